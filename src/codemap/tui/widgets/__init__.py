"""Widgets, one concept per module; each carries its DEFAULT_CSS and nests its messages."""
