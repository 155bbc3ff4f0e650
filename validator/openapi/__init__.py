"""OpenAPI 3.0/3.1 in and out: import specs as contracts (with overlays), export contracts."""
