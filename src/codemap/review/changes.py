"""Which symbols a change adds, modifies and deletes.

Each changed file is parsed at BASE and at HEAD (``extract_symbols`` on the
blob contents, so the answer does not depend on the working tree). A
symbol of one side is paired with the symbol of the other side that has the
same qualname relative to its module, counting repeats in source order
(a renamed file keeps its pairs). Then:

* **added**: a HEAD symbol without a BASE partner;
* **deleted**: a BASE symbol without a HEAD partner (reported at BASE);
* **modified**: a pair where an added line falls in the HEAD range or a
  removed line falls in the BASE range: "any line of its range changed".

A module symbol stands for a file's top-level code: it is added or deleted
with its file, and modified when a changed line lies outside every other
symbol of the file. ``direct`` tells whether a changed line is one of the
symbol's own lines (not only inside a nested symbol): a class whose method
changed is modified, but not directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from codemap.model import Symbol
from codemap.review.diff import FileChange


@dataclass(frozen=True)
class SymbolChange:
    """One changed symbol (at HEAD; at BASE when deleted)."""

    symbol: Symbol
    change: str  # added / modified / deleted
    lines_added: int
    lines_removed: int
    direct: bool
    base_symbol: Symbol | None = None  # the BASE partner of a modified symbol
    changed_lines: tuple[int, ...] = ()  # added HEAD lines (BASE lines when deleted) in range


def _local(sym: Symbol, module: Symbol | None) -> str:
    if module is None or sym.kind == "module":
        return sym.qualname
    prefix = module.qualname
    q = sym.qualname
    if prefix and q.startswith(prefix) and len(q) > len(prefix) and q[len(prefix)] in ".:/#":
        return q[len(prefix) + 1:]
    return q


def _keyed(symbols: list[Symbol]) -> dict[tuple[str, int], Symbol]:
    module = next((s for s in symbols if s.kind == "module"), None)
    seen: dict[str, int] = {}
    out: dict[tuple[str, int], Symbol] = {}
    for sym in symbols:
        if sym.kind == "module":
            continue
        local = _local(sym, module)
        n = seen.get(local, 0)
        seen[local] = n + 1
        out[(local, n)] = sym
    return out


def _in(sym: Symbol, lines: set[int]) -> list[int]:
    if not lines:
        return []
    if len(lines) < sym.end_line - sym.start_line + 1:
        return sorted(n for n in lines if sym.start_line <= n <= sym.end_line)
    return [n for n in range(sym.start_line, sym.end_line + 1) if n in lines]


def innermost(symbols: list[Symbol]) -> dict[int, Symbol]:
    """line -> the innermost non-module symbol holding it (lines outside all are absent)."""
    paint: dict[int, Symbol] = {}
    for sym in sorted((s for s in symbols if s.kind != "module"),
                      key=lambda s: (-(s.end_line - s.start_line), s.start_line)):
        for n in range(sym.start_line, sym.end_line + 1):
            paint[n] = sym
    return paint


def _nonblank(lines: set[int], text: list[str] | None) -> set[int]:
    if text is None:
        return lines
    return {n for n in lines if n > len(text) or text[n - 1].strip()}


def classify(fc: FileChange, base_syms: list[Symbol], head_syms: list[Symbol],
             base_text: list[str] | None = None, head_text: list[str] | None = None
             ) -> list[SymbolChange]:
    """The changed symbols of one file, HEAD order first, then deletions in BASE order.

    ``base_text``/``head_text`` (the lines of each side) let blank lines be told
    apart: a blank line changed between two definitions does not make the
    module "modified", nor a class "directly" changed.
    """
    out: list[SymbolChange] = []
    base_mod = next((s for s in base_syms if s.kind == "module"), None)
    head_mod = next((s for s in head_syms if s.kind == "module"), None)
    if fc.new_path is None:  # the file was deleted: every symbol goes with it
        for sym in base_syms:
            lines = _in(sym, fc.removed)
            out.append(SymbolChange(sym, "deleted", 0, len(lines), True, None, tuple(lines)))
        return out
    if fc.old_path is None or not base_syms:  # added, or not parsed before (new language)
        for sym in head_syms:
            lines = _in(sym, fc.added)
            out.append(SymbolChange(sym, "added", len(lines), 0, True, None, tuple(lines)))
        return out

    base_keys = _keyed(base_syms)
    head_keys = _keyed(head_syms)
    head_inner = innermost(head_syms)
    base_inner = innermost(base_syms)
    added_text = _nonblank(fc.added, head_text)
    removed_text = _nonblank(fc.removed, base_text)
    direct_head = {head_inner[n] for n in added_text if n in head_inner}
    direct_base = {base_inner[n] for n in removed_text if n in base_inner}
    top_added = sorted(n for n in added_text if n not in head_inner)
    top_removed = [n for n in removed_text if n not in base_inner]
    if head_mod is not None and (top_added or top_removed):
        out.append(SymbolChange(head_mod, "modified", len(top_added), len(top_removed), True,
                                base_mod, tuple(top_added)))
    for key, sym in head_keys.items():
        partner = base_keys.get(key)
        added = _in(sym, fc.added)
        if partner is None:
            out.append(SymbolChange(sym, "added", len(added), 0, True, None, tuple(added)))
            continue
        removed = _in(partner, fc.removed)
        if added or removed:
            direct = sym in direct_head or partner in direct_base
            out.append(SymbolChange(sym, "modified", len(added), len(removed), direct, partner,
                                    tuple(added)))
    for key, sym in base_keys.items():
        if key not in head_keys:
            removed = _in(sym, fc.removed)
            out.append(SymbolChange(sym, "deleted", 0, len(removed), True, None, tuple(removed)))
    return out


Side = tuple[list[Symbol], list[str] | None]  # a side's symbols and its lines


def changed_symbols(changes: list[FileChange], parse: Callable[[FileChange, str], Side]
                    ) -> list[SymbolChange]:
    """Classify every parsed file; ``parse(fc, side)`` returns a side's symbols and lines."""
    out: list[SymbolChange] = []
    for fc in changes:
        if fc.binary:
            continue
        base_syms, base_text = parse(fc, "base") if fc.old_path is not None else ([], None)
        head_syms, head_text = parse(fc, "head") if fc.new_path is not None else ([], None)
        if not base_syms and not head_syms:
            continue
        out.extend(classify(fc, base_syms, head_syms, base_text, head_text))
    return out
