"""Go cover profiles: ``go test -coverprofile=cover.out``.

Format (``golang.org/x/tools/cover``, ``ParseProfiles``)::

    mode: set|count|atomic
    github.com/acme/svc/pkg/file.go:12.34,15.2 3 1

one block per line: ``file:startLine.startCol,endLine.endCol numStmts count``.
File names are import paths (``<module path>/<dir>/<file>.go``), which the
loader maps through the repository's ``go.mod`` files. Profiles concatenated
from several packages repeat the ``mode:`` line and may repeat blocks:
repeated blocks merge as ``go tool cover`` does (``set``: or, else: sum).

Lines are expanded from blocks: a line is a statement when a block with
statements spans it, and covered when any such block ran. Blank and comment
lines inside blocks are dropped later, against the source
(``RecordedFile.block_lines``).
"""

from __future__ import annotations

import re
from pathlib import Path

from codemap.coverage.recording import RecordedFile, StaticRecording, check_line, read_data_file
from codemap.errors import InputError

FORMAT = "go"
RANK = 1
MODES = ("set", "count", "atomic")
_BLOCK = re.compile(r"^(.+):(\d{1,9})\.(\d{1,9}),(\d{1,9})\.(\d{1,9}) (\d{1,9}) (\d{1,19})$")
_MAX_EXPANDED = 20_000_000  # line entries a profile may expand to


def parse_go_profile(data: bytes, path: Path) -> StaticRecording:
    """Parse a Go cover profile."""
    text = data.decode("utf-8", "surrogateescape")
    mode: str | None = None
    blocks: dict[tuple[str, int, int, int, int], list[int]] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        where = f"{path}:{number}"
        if line.startswith("mode:"):
            value = line[5:].strip()
            if value not in MODES:
                raise InputError(f"{where}: unknown Go cover mode {value[:20]!r}")
            if mode is not None and value != mode:
                raise InputError(f"{where}: profiles with different modes ({mode}, {value}) mixed")
            mode = value
            continue
        if mode is None:
            raise InputError(f"{path}: not a Go cover profile (no 'mode:' line first)")
        m = _BLOCK.match(line)
        if m is None:
            raise InputError(f"{where}: not a Go cover block: {line[:60]!r}")
        name = m.group(1)
        l1, c1, l2, c2 = (int(m.group(i)) for i in range(2, 6))
        check_line(l1, where)
        check_line(l2, where)
        if l2 < l1 or (l2 == l1 and c2 < c1):
            raise InputError(f"{where}: block ends before it starts")
        stmts, count = int(m.group(6)), int(m.group(7))
        key = (name, l1, c1, l2, c2)
        old = blocks.get(key)
        if old is None:
            blocks[key] = [stmts, count]
        elif mode == "set":
            old[1] = old[1] | count
        else:
            old[1] += count
    if mode is None:
        raise InputError(f"{path}: not a Go cover profile (empty)")
    files: dict[str, RecordedFile] = {}
    expanded = 0
    for (name, l1, _c1, l2, _c2), (stmts, count) in blocks.items():
        rec = files.get(name)
        if rec is None:
            rec = files[name] = RecordedFile(name, block_lines=True)
        rec.recorded_lines = max(rec.recorded_lines, l2)
        if stmts == 0:
            continue
        expanded += l2 - l1 + 1
        if expanded > _MAX_EXPANDED:
            raise InputError(f"{path}: implausibly large blocks (more than {_MAX_EXPANDED} lines)")
        for lineno in range(l1, l2 + 1):
            rec.hits[lineno] = max(rec.hits.get(lineno, 0), count)
    return StaticRecording(path, files, fmt=FORMAT, rank=RANK, tool=f"go cover ({mode})")


def read_go_profile(path: Path) -> StaticRecording:
    return parse_go_profile(read_data_file(path, "Go cover profile"), path)
