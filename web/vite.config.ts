import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// The SPA reads its API and Cognito settings from /config.json at startup (written by the CDK
// deployment, or served by the local runner), so nothing environment-specific is built in.
// `npm run dev` proxies /config.json to a running local system (make run).
const localWeb = process.env.SUNLIGHT_WEB_URL ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Element Plus is one chunk of about 1 MB (300 KB gzipped); the views are split per route.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/config.json': localWeb },
  },
  test: {
    environment: 'node',
    include: ['tests/unit/**/*.test.ts'],
  },
})
