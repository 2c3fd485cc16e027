"""The command-line front end: thin click commands over :mod:`codemap.api`."""
