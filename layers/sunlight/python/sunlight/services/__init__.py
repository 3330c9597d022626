"""Use cases. They depend on models and on the ports in `ports/` (one module per bounded context), never on boto3 or os.environ."""
