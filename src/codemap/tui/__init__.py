"""The terminal UI: a thin Textual front end over :mod:`codemap.api`.

Only this package imports Textual. Screens present and dispatch; every
engine call runs in a named thread worker (see :mod:`.loaders`) that posts a
typed message back (see :mod:`.messages`).
"""
