"""Pure rules: plain functions, no I/O, testable without AWS."""
