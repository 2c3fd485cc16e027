"""Prepare pasted text for the parsers: lines, JSON-escaped logs, colours, prefixes.

Traces rarely arrive clean. Log shippers put them in JSON strings with
literal ``\\n`` (``{"stack": "Error: x\\n    at f (a.js:1:2)"}``), Apache
inlines PHP traces the same way, terminals add colour codes, and log
formats put a timestamp or a container name before every line. This
module turns the input into :class:`Doc` lines the parsers can match, and
:class:`Prefix` strips a log prefix learned from a trace's first line off
the lines that follow. Everything here is linear in the size of the input.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from codemap.traces import htmlpage

# A literal "\n" followed by something that starts a trace line.
_ESCAPED_TRACE = re.compile(
    r"\\n(?:\\t|\s|\|)*(?:at |File \\?\"|#\d+ |goroutine |Traceback|Caused by|from |"
    r"Stack trace|stack backtrace|\d+: |--- End|[^\s@]{1,300}@\S{1,300}:\d+|[^\s:]{1,300}:\d+:in )"
)
_SGR = re.compile(r"\x1b\[[0-9;:]*m")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "", '"': '"', "\\": "\\", "/": "/"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")


def _unescape_loose(text: str) -> str:
    """Undo JSON / C-style escapes in text that is not a well-formed JSON string."""

    def repl(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] == "u" and len(esc) == 5:
            return chr(int(esc[1:], 16))
        return _SIMPLE_ESCAPES.get(esc, "\\" + esc)

    return _ESCAPE.sub(repl, text)


def _json_strings(line: str) -> list[tuple[int, int]]:
    """(start, end) of each double-quoted string in ``line`` (quotes included).

    A plain scan with ``str.find`` (linear, unlike a regex on hostile input);
    an unterminated string runs to the end of the line.
    """
    spans: list[tuple[int, int]] = []
    pos = line.find('"')
    while pos != -1:
        k = pos + 1
        while True:
            k = line.find('"', k)
            if k == -1:
                spans.append((pos, len(line)))
                return spans
            slashes = 0
            while line[k - 1 - slashes] == "\\":
                slashes += 1
            if slashes % 2 == 0:
                break
            k += 1
        spans.append((pos, k + 1))
        pos = line.find('"', k + 1)
    return spans


def _expand_escaped(line: str) -> list[str]:
    """Split a log line holding a trace with literal ``\\n`` into real lines."""
    pieces: list[str] = []
    pos = 0
    for start, stop in _json_strings(line):
        body = line[start + 1:stop - 1] if stop - start >= 2 and line[stop - 1] == '"' else (
            line[start + 1:stop])
        if "\\n" not in body or not _ESCAPED_TRACE.search(body):
            continue
        try:
            decoded = json.loads('"' + body + '"')
        except ValueError:
            decoded = _unescape_loose(body)
        before = line[pos:start]
        if before.strip():
            pieces.append(before)
        pieces.append(decoded)
        pos = stop
    if not pieces:  # not inside a JSON string: Apache-style inline trace
        return _unescape_loose(line).split("\n")
    rest = line[pos:]
    if rest.strip():
        pieces.append(rest)
    # A blank line between the pieces: the JSON around a trace (``"}``, ``, "logger":
    # "app"}``) is no line of it, so no parser may read it as a message's last line.
    out: list[str] = []
    for k, piece in enumerate(pieces):
        if k:
            out.append("")
        out.extend(piece.split("\n"))
    return out


@dataclass
class Doc:
    """The prepared input: ``lines`` are what parsers match against."""

    lines: list[str]
    # what a parser computed once for the whole input (e.g. pytest's summary lines)
    memo: dict[str, Any] = field(default_factory=dict)
    # the input was HTML (an error page, an escaped log): it may show one trace twice
    html: bool = False

    @staticmethod
    def from_text(text: str) -> Doc:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        html = ("&" in text or "<" in text) and htmlpage.looks_escaped(text)
        if html:
            text = htmlpage.to_text(text)
        if "\x1b[" in text and len(_SGR.findall(text, 0, 200_000)) >= 3:
            text = _SGR.sub("", text)  # a coloured terminal capture: colours mean nothing
        lines: list[str] = []
        for line in text.split("\n"):
            if "\\n" in line and _ESCAPED_TRACE.search(line):
                lines.extend(_expand_escaped(line))
            else:
                lines.append(line)
        return Doc(lines, html=html)

    def __len__(self) -> int:
        return len(self.lines)


_DIGITS = re.compile(r"\d+")


class Prefix:
    """A log prefix (timestamp, level, container name ...) learned from one line.

    Digits may change from line to line (timestamps, pids); everything else
    must repeat. :meth:`strip` removes the prefix and the whitespace that
    separates it from the trace line; lines without it are returned as they are.
    """

    __slots__ = ("_re",)

    def __init__(self, prefix: str) -> None:
        parts = []
        pos = 0
        core = prefix.rstrip()
        for m in _DIGITS.finditer(core):
            parts.append(re.escape(core[pos:m.start()]))
            parts.append(r"\d+")
            pos = m.end()
        parts.append(re.escape(core[pos:]))
        if core:
            self._re: re.Pattern[str] | None = re.compile("".join(parts) + r"[ \t]?")
        else:  # pure indentation: strip exactly that
            self._re = re.compile(re.escape(prefix)) if prefix else None

    _cache: dict[str, Prefix] = {}

    @staticmethod
    def learn(line: str, start: int, *, indentation: bool = False) -> Prefix | None:
        """The prefix before column ``start`` of ``line``.

        Pure indentation counts only when ``indentation`` is true (formats whose
        own lines start at column 0, like Python's ``Traceback``, use it for
        traces pasted indented); otherwise it belongs to the trace's own layout.
        """
        head = line[:start]
        if not (head.strip() or (indentation and head)):
            return None
        key = _DIGITS.sub("0", head)  # one compiled pattern per prefix shape
        hit = Prefix._cache.get(key)
        if hit is None:
            if len(Prefix._cache) > 512:
                Prefix._cache.clear()
            hit = Prefix._cache[key] = Prefix(head)
        return hit

    def matches(self, line: str) -> bool:
        """Whether ``line`` carries the prefix (a line of the same log stream)."""
        return self._re is None or self._re.match(line) is not None

    def strip(self, line: str) -> str:
        if self._re is None:
            return line
        m = self._re.match(line)
        return line[m.end():] if m else line


def clean(doc: Doc, i: int, prefix: Prefix | None) -> str:
    """Line ``i`` of ``doc`` without ``prefix``."""
    line = doc.lines[i]
    return prefix.strip(line) if prefix is not None else line
