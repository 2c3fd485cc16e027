"""Rich styles for the parts of a widget, from its component classes.

Theme colours such as ``$text`` are "auto" colours, resolved against the
background they sit on; a *partial* component style leaves them resolved
against nothing (white on a light theme). :func:`foreground` takes the
fully resolved style and keeps only what a span of text should carry.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def foreground(widget: Widget, name: str) -> Style:
    """Colour and weight of component class ``name`` of ``widget`` (no background)."""
    full = widget.get_component_rich_style(name)
    return Style(color=full.color, bold=full.bold, italic=full.italic, underline=full.underline)
