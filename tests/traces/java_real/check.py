"""Ground truth for the stored Java traces, independent of codemap's parser.

A frame line ``at com.acme.orders.service.OrderService$1.compare(OrderService.java:68)``
says which file ran (``src/main/java/com/acme/orders/service/OrderService.java``)
and which line; the ``// @sym: X`` marker on that line says which symbol a
correct mapper reports (qualname ends with ``X``; ``X|Y`` allows either).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_AT = re.compile(r"\bat (?:[\w.$-]+/)?(?P<cls>[\w.$]+)\.(?P<method>[\w$<>]+)"
                 r"\((?P<file>[\w$-]+\.java):(?P<line>\d+)\)")
_MARKER = re.compile(r"@sym:\s*(\S+)")
OWN = "com.acme."


@dataclass
class Verdict:
    raw: str
    ok: bool
    reason: str = ""


def expected_path(repo: Path, cls: str, file: str) -> str:
    """Where Maven keeps the class's source: src/main/java, else src/test/java."""
    pkg = cls.rpartition(".")[0].replace(".", "/")
    main = f"src/main/java/{pkg}/{file}"
    test = f"src/test/java/{pkg}/{file}"
    return test if not (repo / main).is_file() and (repo / test).is_file() else main


def printed_frames(text: str) -> list[re.Match[str]]:
    """Every ``at`` line of the text (JSON log lines unescaped first), as printed."""
    lines: list[str] = []
    for line in text.splitlines():
        start = line.find("{")
        if start >= 0:
            try:
                record = json.loads(line[start:])
            except ValueError:
                record = None
            if isinstance(record, dict):
                lines.extend(str(v) for v in record.values())
                continue
        lines.append(line)
    return [m for line in "\n".join(lines).splitlines() if (m := _AT.search(line))]


def judge(repo: Path, frame: dict[str, Any]) -> Verdict:
    """Whether one JSON frame of ``codemap trace --json`` is mapped right."""
    raw = frame["raw"]
    m = _AT.search(raw.replace("\\t", "\t"))
    if m is None or not m.group("cls").startswith(OWN):
        ok = not frame["in_repo"] and frame["path"] is None and frame["symbol"] is None
        return Verdict(raw, ok, "" if ok else "a runtime frame was put in the repository")
    path = expected_path(repo, m.group("cls"), m.group("file"))
    line = int(m.group("line"))
    if not frame["in_repo"] or frame["path"] != path:
        return Verdict(raw, False, f"path {frame['path']!r} != {path!r}")
    if frame["line"] != line:
        return Verdict(raw, False, f"line {frame['line']} != {line}")
    text = (repo / path).read_text("utf-8").splitlines()
    marker = _MARKER.search(text[line - 1]) if 0 < line <= len(text) else None
    if marker is None:
        return Verdict(raw, False, f"no @sym marker on {path}:{line}")
    sym = frame["symbol"]
    if sym is None:
        return Verdict(raw, False, "no symbol")
    if not sym["start_line"] <= line <= sym["end_line"]:
        return Verdict(raw, False, f"line {line} outside {sym['qualname']}")
    q = sym["qualname"]
    for want in marker.group(1).split("|"):
        if q == want or q.endswith("." + want):
            return Verdict(raw, True)
    return Verdict(raw, False, f"symbol {q!r} is not {marker.group(1)!r}")
