"""Adapters: the only place that imports boto3. Each implements a port of `services/ports.py`
and takes its AWS client or resource in the constructor, so tests can inject moto's."""
