"""Adapters: the only modules that talk to AWS. Clients are injected by `sunlight.bootstrap`."""
