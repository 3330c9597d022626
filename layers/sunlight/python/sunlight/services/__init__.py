"""Use cases. They depend on models and on the ports in `ports.py`, never on boto3 or os.environ."""
