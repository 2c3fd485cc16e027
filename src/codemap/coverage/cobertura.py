"""Cobertura XML: coverage.py ``coverage xml``, istanbul/jest/c8 ``cobertura``, gcovr.

Shape (all three flavours)::

    <coverage timestamp=".." version="..">
      <sources><source>/abs/root</source></sources>
      <packages><package name=".."><classes>
        <class name=".." filename="pkg/mod.py">
          <methods><method ..><lines><line number="3" hits="1"/></lines></method></methods>
          <lines>
            <line number="3" hits="1"/>
            <line number="5" hits="0" branch="true" condition-coverage="50% (1/2)"/>
          </lines>
        </class>

Only a class's own ``<lines>`` count: istanbul repeats them under
``<methods>``. Several classes may name one file (Java inner classes,
gcovr): their lines merge, keeping the larger hit count. ``filename`` is
relative to one of the ``<source>`` roots. ``timestamp`` is milliseconds
(coverage.py, istanbul) or seconds (gcovr) since the epoch.
"""

from __future__ import annotations

import re
from pathlib import Path

from codemap.coverage.recording import (
    RecordedFile,
    StaticRecording,
    check_line,
    read_data_file,
)
from codemap.coverage.safexml import parse_xml
from codemap.errors import InputError

FORMAT = "cobertura"
RANK = 2
_CONDITION = re.compile(r"\((\d{1,9})\s*/\s*(\d{1,9})\)")
_TOOLS = (("coverage.py", "coverage.py"), ("gcovr", "gcovr"), ("istanbul", "istanbul"),
          ("cobertura", "cobertura"))


def _int(value: str | None, what: str, default: int | None = None) -> int:
    if value is None or value == "":
        if default is not None:
            return default
        raise InputError(f"{what}: missing number")
    text = value.strip()
    try:
        if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
            if len(text) > 30:
                raise ValueError(text)
            return int(text)
        number = float(text)  # some generators write hits="1.0"
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(text)
        return int(number)
    except ValueError:
        raise InputError(f"{what}: {value[:40]!r} is not a number") from None


class _Handler:
    def __init__(self, name: str) -> None:
        self.name = name
        self.stack: list[str] = []
        self.root_seen = False
        self.timestamp: float | None = None
        self.version: str | None = None
        self.tool: str | None = None
        self.sources: list[str] = []
        self._text: list[str] | None = None
        self.files: dict[str, RecordedFile] = {}
        self._current: RecordedFile | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if not self.root_seen:
            self.root_seen = True
            if tag != "coverage":
                raise InputError(f"{self.name}: XML with root <{tag[:40]}> is not Cobertura coverage")
            if "clover" in attrs or "generated" in attrs:
                raise InputError(f"{self.name}: Clover XML is not supported; export Cobertura or LCOV")
            self._root(attrs)
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(tag)
        if tag == "source" and parent == "sources":
            self._text = []
        elif tag == "class":
            filename = attrs.get("filename") or attrs.get("name")
            if not filename:
                raise InputError(f"{self.name}: <class> without filename")
            found = self.files.get(filename)
            if found is None:
                found = self.files[filename] = RecordedFile(filename)
            self._current = found
        elif tag == "line" and parent == "lines" and len(self.stack) >= 3 and \
                self.stack[-3] == "class" and self._current is not None:
            self._line(attrs)
        elif tag == "project" and len(self.stack) == 2:
            raise InputError(f"{self.name}: Clover XML is not supported; export Cobertura or LCOV")

    def _root(self, attrs: dict[str, str]) -> None:
        stamp = attrs.get("timestamp")
        if stamp:
            try:
                value = float(stamp)
            except ValueError:
                value = 0.0
            if value > 1e11:  # milliseconds
                value /= 1000.0
            if 0 < value < 1e11:
                self.timestamp = value
        self.version = attrs.get("version") or None

    def _line(self, attrs: dict[str, str]) -> None:
        assert self._current is not None
        where = f"{self.name}: {self._current.name}"
        line = check_line(_int(attrs.get("number"), where), where)
        hits = max(0, _int(attrs.get("hits"), where, default=0))
        rec = self._current
        rec.hits[line] = max(rec.hits.get(line, 0), hits)
        if attrs.get("branch", "").lower() == "true":
            m = _CONDITION.search(attrs.get("condition-coverage", ""))
            if m:
                covered, total = int(m.group(1)), int(m.group(2))
                covered = min(covered, total)
                old = rec.branches.get(line)
                if old is None or old[1] < covered:
                    rec.branches[line] = (total, covered)

    def end(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()
        if tag == "source" and self._text is not None:
            root = "".join(self._text).strip()
            if root:
                self.sources.append(root)
            self._text = None
        elif tag == "class":
            self._current = None

    def text(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def comment(self, data: str) -> None:
        lowered = data.lower()
        for needle, tool in _TOOLS:
            if needle in lowered and self.tool is None:
                self.tool = tool


def parse_cobertura(data: bytes, path: Path) -> StaticRecording:
    """Parse Cobertura XML bytes (``path`` names the file in messages and the recording)."""
    handler = _Handler(str(path))
    parse_xml(data, name=str(path), start=handler.start, end=handler.end, text=handler.text,
              comment=handler.comment)
    if not handler.root_seen:
        raise InputError(f"{path}: empty XML document")
    tool = handler.tool
    if tool is None and handler.version and handler.version.lower().startswith("gcovr"):
        tool = "gcovr"
    if tool and handler.version and tool == "coverage.py":
        tool = f"coverage.py {handler.version}"
    return StaticRecording(path, handler.files, fmt=FORMAT, rank=RANK, timestamp=handler.timestamp,
                           tool=tool, roots=tuple(handler.sources))


def read_cobertura(path: Path) -> StaticRecording:
    return parse_cobertura(read_data_file(path, "Cobertura XML"), path)
