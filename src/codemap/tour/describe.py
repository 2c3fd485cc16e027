"""What a tour stop is, in its authors' words: its docstring or leading comment.

Two ways a language documents a definition, both described per language as
data in :data:`DOC_STYLES` (the code below never branches on a language):

* a **body string**: the first statement of the body is a string literal
  (Python docstrings); found with tree-sitter, by node types the table names;
* a **leading comment**: the comment lines right above the definition
  (JSDoc, Javadoc, Go doc comments, ``#`` comments), found in the text.

A module's description is its body string, else the first comment block of
the file that is not a licence header or a shebang.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Any

from codemap.model import Symbol

MAX_SUMMARY = 320
_LICENCE = re.compile(r"(?i)\b(copyright|licen[cs]e[ds]?|spdx-license-identifier|all rights reserved)\b")
_RULER = re.compile(r"[-=#*~_+/]{3,}")
_STRING_QUOTES = re.compile(r"^[rRbBuUfF]{0,2}('''|\"\"\"|'|\")(.*)\1$", re.DOTALL)


@dataclass(frozen=True)
class BodyDoc:
    """Node types of a language whose docs are the first string of a body."""

    definitions: tuple[str, ...]  # definition nodes that own a body
    body_field: str  # field name of the body in a definition
    statement: str  # the statement node that wraps a bare expression
    strings: tuple[str, ...]  # string literal node types


@dataclass(frozen=True)
class DocStyle:
    line_comments: tuple[str, ...] = ("//",)
    block: tuple[str, str] | None = ("/*", "*/")
    body: BodyDoc | None = None


_C_LIKE = DocStyle()
DOC_STYLES: dict[str, DocStyle] = {
    "python": DocStyle(line_comments=("#",), block=None,
                       body=BodyDoc(("function_definition", "class_definition"), "body",
                                    "expression_statement", ("string", "concatenated_string"))),
    "javascript": _C_LIKE, "typescript": _C_LIKE, "tsx": _C_LIKE, "java": _C_LIKE,
    "go": _C_LIKE, "c": _C_LIKE, "cpp": _C_LIKE, "c_sharp": _C_LIKE, "kotlin": _C_LIKE,
    "rust": DocStyle(line_comments=("///", "//!", "//")), "php": DocStyle(line_comments=("//", "#")),
    "ruby": DocStyle(line_comments=("#",), block=("=begin", "=end")),
}
_PARSERS: dict[str, Any] = {}


def _style(language: str) -> DocStyle:
    return DOC_STYLES.get(language, _C_LIKE)


def summary(doc: str | None) -> str | None:
    """The first paragraph of ``doc`` on one line, clipped."""
    if not doc:
        return None
    text = ""
    for para in doc.strip().split("\n\n"):
        text = " ".join(part.strip() for part in para.splitlines() if part.strip())
        if text and not (_RULER.search(text) and len(_RULER.sub(" ", text).split()) <= 4):
            break  # the first paragraph that is prose, not a banner ("*** Exceptions ***")
        text = ""
    if len(text) > MAX_SUMMARY:
        text = text[: MAX_SUMMARY - 1].rstrip() + "…"
    return text or None


def describe(symbol: Symbol, data: bytes) -> str | None:
    """The documentation of ``symbol`` found in ``data`` (its file's bytes), or None."""
    style = _style(symbol.language)
    lines = data.decode("utf-8", "replace").splitlines()
    if style.body is not None:
        found = _body_doc(symbol, data, style.body)
        if found:
            return found
    if symbol.kind == "module":
        return _first_comment_block(lines, style)
    return _leading_comment(lines, symbol.start_line, style)


# ----------------------------------------------------------------------------- body strings


def _parser(language: str) -> Any:
    parser = _PARSERS.get(language)
    if parser is None:
        import tree_sitter

        from codemap.lang.registry import ts_language

        parser = _PARSERS[language] = tree_sitter.Parser(ts_language(language))
    return parser


def _string_value(node: Any, body: BodyDoc) -> str | None:
    if node.type != body.strings[0]:  # concatenation: join its parts
        parts = [_string_value(c, body) for c in node.named_children if c.type in body.strings]
        joined = "".join(p for p in parts if p)
        return joined or None
    raw = node.text.decode("utf-8", "replace")
    m = _STRING_QUOTES.match(raw.strip())
    return m.group(2) if m else None


def _first_string(block: Any, body: BodyDoc) -> str | None:
    for child in block.named_children:
        if child.type == "comment":
            continue
        if child.type == body.statement and child.named_child_count == 1 \
                and child.named_children[0].type in body.strings:
            value = _string_value(child.named_children[0], body)
            return inspect.cleandoc(value) if value and value.strip() else None
        return None
    return None


def _definition_at(root: Any, row_lo: int, row_hi: int, body: BodyDoc) -> Any:
    """The outermost definition node starting within rows ``row_lo..row_hi``."""
    stack = [root]
    while stack:
        node = stack.pop()
        overlapping = [c for c in node.named_children
                       if c.start_point[0] <= row_hi and c.end_point[0] >= row_lo]
        for child in overlapping:
            if child.type in body.definitions and row_lo <= child.start_point[0] <= row_hi:
                return child
        stack.extend(reversed(overlapping))
    return None


def _body_doc(symbol: Symbol, data: bytes, body: BodyDoc) -> str | None:
    try:
        tree = _parser(symbol.language).parse(data)
    except Exception:  # no grammar for the language: fall back to comments
        return None
    if symbol.kind == "module":
        return _first_string(tree.root_node, body)
    # the definition line follows its decorators: look within the symbol's first lines
    lo = symbol.start_line - 1
    node = _definition_at(tree.root_node, lo, min(symbol.end_line - 1, lo + 40), body)
    if node is None:
        return None
    block = node.child_by_field_name(body.body_field)
    return _first_string(block, body) if block is not None else None


# ----------------------------------------------------------------------------- comments


def _comment_text(lines: list[str], style: DocStyle) -> str | None:
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if style.block is not None:
            opener, closer = style.block
            if s.startswith(opener):
                s = s[len(opener):].lstrip("*!")
            if s.endswith(closer):
                s = s[: -len(closer)]
            if s.startswith("*") and not s.startswith("*/"):
                s = s[1:]
        for prefix in sorted(style.line_comments, key=len, reverse=True):
            if s.startswith(prefix):
                s = s[len(prefix):]
                break
        out.append(s.rstrip())
    text = inspect.cleandoc("\n".join(out)).strip()
    text = re.sub(r"(?m)^\s*@\w+.*$", "", text).strip()  # JSDoc/Javadoc tags are not prose
    if _RULER.search(text) and len(_RULER.sub(" ", text).split()) <= 4:
        return None  # a section ruler ("# -- symbols -----"), not a description
    return text or None


def _is_comment(line: str, style: DocStyle, in_block: bool) -> bool:
    s = line.strip()
    if in_block:
        return True
    if any(s.startswith(p) for p in style.line_comments):
        return True
    return style.block is not None and s.startswith(style.block[0])


def _leading_comment(lines: list[str], start_line: int, style: DocStyle) -> str | None:
    i = start_line - 2  # 0-based index of the line above the definition
    end = i
    if i < 0:
        return None
    closer = style.block[1] if style.block else None
    opener = style.block[0] if style.block else None
    if closer and lines[i].strip().endswith(closer):
        while i >= 0 and not lines[i].strip().startswith(opener or ""):
            i -= 1
        if i < 0:
            return None
        return _comment_text(lines[i:end + 1], style)
    while i >= 0 and any(lines[i].strip().startswith(p) for p in style.line_comments):
        i -= 1
    if i == end:
        return None
    return _comment_text(lines[i + 1:end + 1], style)


def _first_comment_block(lines: list[str], style: DocStyle) -> str | None:
    i = 0
    n = len(lines)
    while i < n:
        s = lines[i].strip()
        if not s or s.startswith("#!") or s.startswith("'use strict'") or s.startswith('"use strict"'):
            i += 1
            continue
        if not _is_comment(lines[i], style, False):
            return None
        start = i
        if style.block is not None and s.startswith(style.block[0]):
            if not s[len(style.block[0]):].rstrip().endswith(style.block[1]):
                while i < n and not lines[i].rstrip().endswith(style.block[1]):
                    i += 1
            i += 1
        else:
            while i < n and any(lines[i].strip().startswith(p) for p in style.line_comments):
                i += 1
        text = _comment_text(lines[start:i], style)
        if text and not _LICENCE.search(text[:400]):
            return text
    return None
