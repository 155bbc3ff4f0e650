"""The `respcontract` command line: one thin module per subcommand."""
