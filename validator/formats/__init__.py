"""One reader (and writer) per text format: strict JSON, YAML, the exchange file."""
