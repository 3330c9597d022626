"""Sunlight: online approval and electronic supervision (网上审批和电子监察)."""
