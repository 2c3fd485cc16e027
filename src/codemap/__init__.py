"""codemap: from a stack trace, an endpoint or a diff to the code that matters.

The package is an engine (no Textual import anywhere outside ``codemap.tui``)
with two thin front ends: ``codemap.cli`` and ``codemap.tui``.
"""

__version__ = "0.1.0"
