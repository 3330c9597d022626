"""Tiny handlers and a CDK-shaped template for the local runner's tests (no real handlers needed)."""
