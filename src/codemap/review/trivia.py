"""Did a changed symbol's code change, or only its comments, docstrings and layout?

A comment added to a function cannot break it, so such a change should rank
below any real code change. The question is answered on both versions'
tree-sitter parses: for each side, the code tokens on the changed lines a
symbol owns (its own lines, not a nested symbol's; a module owns the lines
outside every other symbol) are listed as (node type, text, depth), leaving
out comments and docstrings. Equal lists on both sides mean no statement
changed: only comments, docstrings, blank lines or layout (the depth keeps a
re-indented Python statement that changed blocks a code change).

What a comment or a docstring is per language is data (:data:`RULES`): the
comment node types, a query for strings that are documentation, and a query
for comments a compiler or tool reads (Go's ``//go:build``, the cgo
preamble, Ruby's magic comments), which count as code.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from codemap.model import Symbol
from codemap.review.changes import SymbolChange, innermost
from codemap.review.diff import FileChange


@dataclass(frozen=True)
class TriviaRules:
    """What holds no code in one language."""

    comments: tuple[str, ...]  # node types of comments
    docstrings: str = ""  # query: captures (any name) strings that are only documentation
    directives: str = ""  # query: captures comments that a compiler or tool reads


_C_LIKE = TriviaRules(("comment",))
_JS = TriviaRules(("comment",), directives=(
    r'((comment) @d (#match? @d "^(///\\s*<reference|//\\s*@ts-|/\\*\\*?\\s*@jsx|//\\s*@flow)"))'))

RULES: dict[str, TriviaRules] = {
    # a string alone as a statement (not an f-string) does nothing: docstrings and the like
    "python": TriviaRules(
        ("comment",),
        docstrings=r'((expression_statement . (string) @doc .) (#not-match? @doc "^[a-zA-Z]*[fF]"))',
        directives=r'((comment) @d (#match? @d "^#!|^#.*coding[:=]"))'),
    "javascript": _JS,
    "typescript": _JS,
    "tsx": _JS,
    "go": TriviaRules(("comment",), directives=(
        r'((comment) @d (#match? @d "^//(go:|line |export |\\s*\\+build)"))'
        r'((comment) @d . (import_declaration (import_spec path: (_) @_p)) (#eq? @_p "\"C\""))')),
    "java": TriviaRules(("line_comment", "block_comment")),
    "kotlin": TriviaRules(("line_comment", "block_comment", "multiline_comment")),
    "rust": TriviaRules(("line_comment", "block_comment")),
    "csharp": TriviaRules(("comment", "preproc_region", "preproc_endregion")),
    # Doctrine-style annotations in doc blocks are read at run time by frameworks
    "php": TriviaRules(("comment",), directives=(
        r'((comment) @d (#match? @d "^/\\*\\*(.|\\n)*@[A-Z][A-Za-z\\\\]*\\s*\\("))')),
    "ruby": TriviaRules(("comment",), directives=(
        r'((comment) @d (#match? @d "^#\\s*-?\\*?-?\\s*(frozen_string_literal|encoding|coding|'
        r'warn_indent|shareable_constant_value)\\s*:"))')),
    "c": _C_LIKE,
    "cpp": _C_LIKE,
}
DEFAULT_RULES = TriviaRules(("comment", "line_comment", "block_comment"))


@dataclass(frozen=True)
class Verdict:
    """``code``: a statement changed; ``kinds``: what else the changed lines held."""

    code: bool
    kinds: tuple[str, ...] = ()  # among "comments", "docstrings", "blank lines", "layout"

    def reason(self) -> str:
        kinds = list(self.kinds) or ["blank lines"]
        words = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
        return f"{words} only: no statement changed"


Token = tuple[int, int, str, bytes, int]  # start byte, end byte, node type, text, depth


@dataclass
class SideFacts:
    """One version of a file, seen on its changed lines."""

    tokens: dict[int, list[Token]] = field(default_factory=dict)  # line -> code tokens on it
    comment: set[int] = field(default_factory=set)
    doc: set[int] = field(default_factory=set)
    blank: set[int] = field(default_factory=set)


@cache
def _query(language: str, kind: str) -> Any:
    import tree_sitter

    from codemap.lang.registry import ts_language

    source = getattr(RULES.get(language, DEFAULT_RULES), kind)
    return tree_sitter.Query(ts_language(language), source) if source else None


def _captured(language: str, kind: str, root: Any, first: int, last: int) -> set[tuple[int, int]]:
    query = _query(language, kind)
    if query is None:
        return set()
    import tree_sitter

    cursor = tree_sitter.QueryCursor(query)
    cursor.set_point_range((first, 0), (last + 1, 0))
    return {(n.start_byte, n.end_byte) for name, nodes in cursor.captures(root).items()
            if not name.startswith("_") for n in nodes}


def _rows(node: Any) -> tuple[int, int]:
    (r0, _), (r1, c1) = node.start_point, node.end_point
    return r0, (r1 - 1 if c1 == 0 and r1 > r0 else r1)


def scan(language: str, data: bytes, lines: Iterable[int]) -> SideFacts:
    """Code tokens, comment, docstring and blank lines among ``lines`` (1-based) of ``data``."""
    from codemap.lang.registry import ts_parser

    facts = SideFacts()
    rows = sorted({n - 1 for n in lines if n > 0})
    if not rows:
        return facts
    text = data.splitlines()
    facts.blank = {r + 1 for r in rows if r >= len(text) or not text[r].strip()}
    rules = RULES.get(language, DEFAULT_RULES)
    root = ts_parser(language).parse(data).root_node
    docs = _captured(language, "docstrings", root, rows[0], rows[-1])
    directives = _captured(language, "directives", root, rows[0], rows[-1])

    def hit(r0: int, r1: int) -> list[int]:
        i = bisect_left(rows, r0)
        out = []
        while i < len(rows) and rows[i] <= r1:
            out.append(rows[i] + 1)
            i += 1
        return out

    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        on = hit(*_rows(node))
        if not on:
            continue
        span = (node.start_byte, node.end_byte)
        if node.type in rules.comments and span not in directives:
            facts.comment.update(on)
            continue
        if span in docs:
            facts.doc.update(on)
            continue
        children = node.children
        own = _own_text(node, children, data)
        if own is not None:
            token = (node.start_byte, node.end_byte, node.type, own, depth)
            for n in on:
                facts.tokens.setdefault(n, []).append(token)
        stack.extend((child, depth + 1) for child in reversed(children))
    return facts


def _own_text(node: Any, children: list[Any], data: bytes) -> bytes | None:
    """A leaf's text; a node's text between its children when that is not only blanks
    (string contents around escape sequences); else None."""
    if not children:
        return data[node.start_byte:node.end_byte]
    pieces = []
    at = node.start_byte
    for child in children:
        pieces.append(data[at:child.start_byte])
        at = child.end_byte
    pieces.append(data[at:node.end_byte])
    if not any(p.strip() for p in pieces):
        return None
    return b"\0".join(pieces)


def _sequence(facts: SideFacts, lines: list[int]) -> list[tuple[str, bytes, int]]:
    seen: dict[tuple[int, int, str], tuple[str, bytes, int]] = {}
    for n in lines:
        for start, end, kind, text, depth in facts.tokens.get(n, ()):
            seen.setdefault((start, end, kind), (kind, text, depth))
    return [seen[key] for key in sorted(seen)]


def _owned(lines: Iterable[int], paint: dict[int, Symbol], sym: Symbol) -> list[int]:
    if sym.kind == "module":
        return sorted(n for n in lines if n not in paint)
    return sorted(n for n in lines if n in paint and paint[n].id == sym.id)


def judge_file(fc: FileChange, changed: list[SymbolChange], language: str,
               base: tuple[list[Symbol], bytes], head: tuple[list[Symbol], bytes]
               ) -> dict[str, Verdict]:
    """HEAD symbol id -> verdict, for the directly modified symbols of one file."""
    wanted = [sc for sc in changed if sc.change == "modified" and sc.direct
              and sc.base_symbol is not None]
    if not wanted:
        return {}
    (base_syms, base_data), (head_syms, head_data) = base, head
    base_facts = scan(language, base_data, fc.removed)
    head_facts = scan(language, head_data, fc.added)
    base_paint, head_paint = innermost(base_syms), innermost(head_syms)
    out: dict[str, Verdict] = {}
    for sc in wanted:
        assert sc.base_symbol is not None
        head_lines = _owned(fc.added, head_paint, sc.symbol)
        base_lines = _owned(fc.removed, base_paint, sc.base_symbol)
        if _sequence(head_facts, head_lines) != _sequence(base_facts, base_lines):
            out[sc.symbol.id] = Verdict(True)
            continue
        kinds = []
        sides = ((head_facts, head_lines), (base_facts, base_lines))
        for name, attr in (("comments", "comment"), ("docstrings", "doc"), ("blank lines", "blank")):
            if any(n in getattr(f, attr) for f, ls in sides for n in ls):
                kinds.append(name)
        if not kinds or (kinds == ["blank lines"]
                         and any(n in f.tokens for f, ls in sides for n in ls)):
            kinds = ["layout"]
        out[sc.symbol.id] = Verdict(False, tuple(kinds))
    return out


def judge(changes: list[FileChange], changed: list[SymbolChange], blobs: dict[str, bytes],
          base_symbols: dict[str, list[Symbol]], head_symbols: dict[str, list[Symbol]]
          ) -> dict[str, Verdict]:
    """HEAD symbol id -> verdict for every directly modified symbol of a parsed language
    (files whose versions or symbols are missing are left out: unknown)."""
    from codemap.lang.registry import language_for_path

    by_path: dict[str, list[SymbolChange]] = {}
    for sc in changed:
        if sc.change == "modified" and sc.direct:
            by_path.setdefault(sc.symbol.path, []).append(sc)
    out: dict[str, Verdict] = {}
    for fc in changes:
        scs = by_path.get(fc.new_path or "")
        spec = language_for_path(fc.new_path or "")
        if not scs or spec is None or fc.old_path is None or fc.binary:
            continue
        base_data, head_data = blobs.get(fc.old_blob or ""), blobs.get(fc.new_blob or "")
        base_syms, head_syms = base_symbols.get(fc.old_path), head_symbols.get(fc.new_path or "")
        if base_data is None or head_data is None or base_syms is None or head_syms is None:
            continue
        out.update(judge_file(fc, scs, spec.name, (base_syms, base_data), (head_syms, head_data)))
    return out
