"""Which lines count for which symbol.

A statement belongs to the innermost function that runs it, so nested
functions are carved out of their parents: the generic rule gives a
function its whole range minus the bodies of the definitions nested in it
(the nested definition's first line stays with the parent, which executes
it); a class gets its range minus nested classes; a module the whole file.

Python follows coverage.py's own function regions (``coverage json``
``functions``/``classes``), so our figures equal coverage.py's: a
function's region is its *body* (the ``def`` line and decorators run in the
enclosing scope), nested function bodies are removed from the enclosing
function, and a class's region is the union of its methods' bodies.
Languages with their own rule register it in :data:`REGION_RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from codemap.coverage import import_coveragepy
from codemap.model import Symbol


def _parents(symbols: Sequence[Symbol]) -> list[int | None]:
    order = sorted(range(len(symbols)),
                   key=lambda i: (symbols[i].start_line, -symbols[i].end_line, i))
    parent: list[int | None] = [None] * len(symbols)
    stack: list[int] = []
    for i in order:
        sym = symbols[i]
        while stack and not (symbols[stack[-1]].start_line <= sym.start_line
                             and sym.end_line <= symbols[stack[-1]].end_line):
            stack.pop()
        parent[i] = stack[-1] if stack else None
        stack.append(i)
    return parent


def generic_regions(symbols: Sequence[Symbol]) -> list[set[int] | None]:
    """Own lines per symbol (aligned with ``symbols``) by the generic rule."""
    parent = _parents(symbols)
    own: list[set[int] | None] = []
    for sym in symbols:
        own.append(None if sym.kind == "module" else set(range(sym.start_line, sym.end_line + 1)))
    for j, p in enumerate(parent):
        if p is None or own[p] is None or symbols[j].kind == "module":
            continue
        owner = symbols[p]
        child = symbols[j]
        if owner.kind == "class" and child.kind != "class":
            continue  # methods are part of their class
        own[p] -= set(range(child.start_line + 1, child.end_line + 1))  # type: ignore[operator]
    return own


def python_regions(symbols: Sequence[Symbol], source: str) -> dict[int, set[int]]:
    """coverage.py's function and class regions, matched to the symbols by ``def`` line."""
    import_coveragepy()
    from coverage.regions import code_regions

    regions = code_regions(source)
    by_kind: dict[str, list] = {"function": [], "class": []}
    for region in regions:
        if region.kind in by_kind:
            by_kind[region.kind].append(region)
    out: dict[int, set[int]] = {}
    for i, sym in enumerate(symbols):
        kind = "class" if sym.kind == "class" else "function" if sym.kind in ("function", "method") \
            else None
        if kind is None:
            continue
        best = None
        for region in by_kind[kind]:
            if sym.start_line <= region.start <= sym.end_line and \
                    region.name.rsplit(".", 1)[-1] == sym.name and \
                    (best is None or region.start < best.start):
                best = region
        if best is not None:
            out[i] = set(best.lines)
    return out


# language -> rule(symbols, source text) -> {symbol position: own lines}; others use the generic rule
REGION_RULES: dict[str, Callable[[Sequence[Symbol], str], dict[int, set[int]]]] = {
    "python": python_regions,
}


def own_lines(symbols: Sequence[Symbol], source: str | None) -> list[set[int] | None]:
    """The lines whose statements count for each symbol (None: the whole file)."""
    own = generic_regions(symbols)
    if source is None:
        return own
    for language in sorted({s.language for s in symbols}):
        rule = REGION_RULES.get(language)
        if rule is None:
            continue
        try:
            overrides = rule(symbols, source)
        except Exception:  # source does not parse for the rule: keep the generic regions
            continue
        for i, lines in overrides.items():
            own[i] = lines
    return own
