"""The local deployment target: the synthesized template run on an embedded moto.

`python -m infra.local` (or `make run`) starts it; tests start it as a child process and talk to it
over HTTP (tests/local_process.py). The generic engine is infra/local/engine/.
"""
