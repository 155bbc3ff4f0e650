from validator.cli.main import entry

entry()
