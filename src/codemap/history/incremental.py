"""Reading ``git blame --incremental`` output.

The incremental format is the porcelain format without line contents: an
entry per run of lines (``sha orig final count``), the commit's details the
first time it appears, and ``filename`` last. It is a fraction of
``--porcelain``'s size, faster for git to write and for us to read.
Paths come C-quoted when they hold control characters, quotes or
backslashes (:func:`unquote_path`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from codemap.history.commits import decode


def iso_date(ts: int, tz: str) -> str:
    """Seconds since the epoch and a ``+hhmm`` offset as ISO 8601 with that offset."""
    try:
        sign = -1 if tz.startswith("-") else 1
        offset = timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])) * sign
        return datetime.fromtimestamp(ts, timezone(offset)).isoformat()
    except (ValueError, OverflowError, OSError):
        return datetime.fromtimestamp(0, timezone.utc).isoformat()


SHAS = re.compile(rb"^([0-9a-f]{40}) \d+ \d+ \d+$", re.M)
_C_ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
              '"': '"', "\\": "\\"}


def unquote_path(text: str) -> str:
    """A path as git prints it: C-quoted (``"a\\tb"``, octal bytes) when it holds
    control characters, quotes or backslashes."""
    if len(text) < 2 or not (text[0] == text[-1] == '"'):
        return text
    out = bytearray()
    body = text[1:-1].encode("utf-8", "surrogateescape")
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == 0x5C and i + 1 < len(body):  # backslash
            nxt = chr(body[i + 1])
            if nxt in "01234567" and i + 4 <= len(body):
                out.append(int(body[i + 1:i + 4], 8) & 0xFF)
                i += 4
                continue
            out += _C_ESCAPES.get(nxt, nxt).encode("utf-8", "surrogateescape")
            i += 2
            continue
        out.append(ch)
        i += 1
    return decode(bytes(out))


def parse_incremental(out: bytes) -> tuple[dict[str, dict[str, Any]], list[tuple[int, str, int, str]]]:
    """``git blame --incremental`` output as (commit details by sha, lines).

    Each line is ``(final line, sha, original line, original path)``, sorted.
    An entry is a header ``sha orig final count`` (a run of ``count`` lines),
    the commit's details the first time it appears (author, summary, ...),
    ``previous``/``boundary`` lines, and always ``filename`` last. No line
    content is printed, which makes this several times less output than
    ``--porcelain`` and faster for git to write.
    """
    commits: dict[str, dict[str, Any]] = {}
    lines: list[tuple[int, str, int, str]] = []
    header: list[bytes] | None = None
    current: dict[str, Any] = {}
    for raw in out.split(b"\n"):
        if header is None:
            parts = raw.split(b" ")
            if len(parts) != 4 or len(parts[0]) != 40:
                continue
            header = parts
            sha = parts[0].decode("ascii")
            current = commits.get(sha) or commits.setdefault(sha, {})
            continue
        key, _, value = raw.partition(b" ")
        if key == b"filename":
            path = unquote_path(decode(value))
            orig, final, count = int(header[1]), int(header[2]), int(header[3])
            lines.extend((final + k, sha, orig + k, path) for k in range(count))
            current.setdefault("filename", path)
            header = None
        elif key == b"previous":
            psha, _, ppath = decode(value).partition(" ")
            current.setdefault("previous", (psha, unquote_path(ppath)))
        elif key == b"boundary":
            current["boundary"] = True
        else:
            current[key.decode("ascii", "replace")] = decode(value)
    lines.sort()
    return commits, lines
