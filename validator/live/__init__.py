"""Live mode: calling the real API, polling, recording redacted exchanges."""
