"""The local deployment target: the synthesized template run on an embedded moto, in one process.

`python -m infra.local` (or `make run`) starts it; tests use `start_local_system`.
"""
