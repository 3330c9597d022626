"""Benchmarks: scripts that print figures. Tests assert correctness only; speed is measured here."""
