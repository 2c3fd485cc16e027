"""Frames that ran in a function the index has no symbol for: their names prove nothing.

A frame's printed function name is compared with the indexed symbol holding its
line; a name that matches none of them says "code changed since?". But some
functions are never indexed: anonymous ones (JavaScript arrow functions and
function expressions, passed as callbacks) and named function expressions. A
runtime names their frames anyway: V8 after the variable or property they are
assigned to, or, with ``--enable-source-maps``, after the source map's name at
the function's start (an arrow's first parameter: ``k``, ``pattern``). Such a
name cannot match the enclosing indexed symbol however unchanged the code is.

:func:`clear_unindexed` takes the mismatch back (None: cannot tell) for frames
whose position lies inside such a function nested in the frame's symbol. The
node types are data per language (:data:`UNINDEXED_FUNCTIONS`); languages whose
every function is indexed are not listed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from codemap.traces.report import TraceFrame

# (function node types, the parents under which the index names such a function: a
# function there is a symbol of its own, the symbol the frame already has)
_JS = (("arrow_function", "function_expression", "function", "generator_function"),
       ("variable_declarator", "assignment_expression", "pair", "public_field_definition",
        "field_definition"))
UNINDEXED_FUNCTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "javascript": _JS, "typescript": _JS, "tsx": _JS,
}


def clear_unindexed(frames: Iterable[TraceFrame], read: Callable[[str], bytes | None]) -> None:
    """Set ``name_mismatch`` to None on frames that ran in an unindexed function nested in
    their symbol (``read``: a repository file's bytes, None when unreadable)."""
    from codemap.lang.registry import language_for_path

    trees: dict[str, Any] = {}
    for frame in frames:
        sym = frame.symbol
        if not frame.name_mismatch or sym is None or not frame.path or not frame.line:
            continue
        spec = language_for_path(frame.path)
        types = UNINDEXED_FUNCTIONS.get(spec.name) if spec is not None else None
        if not types:
            continue
        if frame.path not in trees:
            trees[frame.path] = _parse(read(frame.path), spec.name)
        tree = trees[frame.path]
        if tree is not None and _inside(tree, frame, sym.start_line, types):
            frame.name_mismatch = None


def _parse(data: bytes | None, lang: str) -> Any:
    if data is None:
        return None
    from codemap.index.extract import parse

    try:
        return parse(data, lang)
    except (ValueError, RuntimeError):
        return None


def _inside(tree: Any, frame: TraceFrame, first_line: int,
            types: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    """Whether the innermost function holding the frame's position is one the index has
    no symbol for (not under a naming parent), within the symbol (on or after its first
    line, 1-based)."""
    functions, naming = types
    row = (frame.line or 1) - 1
    column = max((frame.column or 1) - 1, 0)
    node = tree.root_node.descendant_for_point_range((row, column), (row, column))
    while node is not None:
        if node.type in functions:
            parent = node.parent
            return (node.start_point[0] + 1 >= first_line
                    and (parent is None or parent.type not in naming))
        node = node.parent
    return False
