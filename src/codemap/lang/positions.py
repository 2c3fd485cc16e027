"""The one place tree-sitter positions become codemap lines.

tree-sitter gives 0-based rows and an exclusive end point; the contract uses
1-based, inclusive line numbers. A node that ends at column 0 of a row ends
on the previous line.
"""

from __future__ import annotations

from typing import Any


def start_line(node: Any) -> int:
    return node.start_point[0] + 1


def end_line(node: Any) -> int:
    row, col = node.end_point
    if col == 0 and row > node.start_point[0]:
        return row
    return row + 1


def line_span(node: Any) -> tuple[int, int]:
    """1-based inclusive (first, last) lines of ``node``."""
    return start_line(node), end_line(node)
