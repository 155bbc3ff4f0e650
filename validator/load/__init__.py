"""Loading: contract files, schema folders, configuration and the parse-cache."""
