// ESLint for the SPA (flat config): JavaScript's and typescript-eslint's recommended rules, and
// eslint-plugin-vue's essential rules for Vue 3 (those that find errors, not style). vue-tsc
// (`npm run typecheck`) does the type checking; this finds what the compiler does not.
// Run by `make lint` (and so by `make test`).
import js from "@eslint/js";
import pluginVue from "eslint-plugin-vue";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // schema.d.ts is generated from the API's OpenAPI document (scripts/api-types.mjs).
  { ignores: ["dist/", "node_modules/", "test-artifacts/", "src/api/schema.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs["flat/essential"],
  {
    files: ["**/*.{ts,vue}"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: [".vue"] },
    },
  },
  {
    files: ["tests/**/*.ts", "*.config.{js,ts}", "scripts/**/*.mjs"],
    languageOptions: { globals: { ...globals.node } },
  },
);
