"""In-memory implementations of the ports in `sunlight.services.ports`, for unit tests."""
