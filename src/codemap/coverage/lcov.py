"""LCOV tracefiles: istanbul/nyc/c8/jest ``lcov.info``, gcov via lcov/geninfo,
coverage.py ``coverage lcov``.

Records we use (``geninfo(1)``)::

    SF:<source file>              starts a file record
    DA:<line>,<count>[,<checksum>] a statement line and its execution count
    BRDA:<line>,<block>,<branch>,<taken>   one branch outcome ("-" = never reached)
    end_of_record

Everything else (``TN``, ``VER``, ``FN``/``FNDA``/``FNL``/``FNA``, the
``LF``/``LH``/``BRF``/``BRH`` totals) is ignored: function regions come from
codemap's own symbols. One file may have several records (one per test
name or per merged run): counts add up. A record line that does not parse
is an :class:`InputError` naming the line, so garbage is never mistaken for data.
"""

from __future__ import annotations

import re
from pathlib import Path

from codemap.coverage.recording import (
    RecordedFile,
    StaticRecording,
    check_line,
    merge_hits,
    read_data_file,
)
from codemap.errors import InputError

FORMAT = "lcov"
RANK = 1
_MAX_COUNT_DIGITS = 30
_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _count(text: str, where: str) -> int:
    text = text.strip()
    if text == "-":
        return 0
    if text.isdigit() and len(text) <= _MAX_COUNT_DIGITS:
        return int(text)
    try:
        value = float(text)  # some generators write 1.0 or 1e3
    except ValueError:
        raise InputError(f"{where}: {text[:40]!r} is not a count") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(f"{where}: {text[:40]!r} is not a count")
    return max(0, int(value))


def _line_no(text: str, where: str) -> int:
    text = text.strip()
    if not text.isdigit() or len(text) > 9:
        raise InputError(f"{where}: {text[:40]!r} is not a line number")
    return check_line(int(text), where)


def parse_lcov(data: bytes, path: Path) -> StaticRecording:
    """Parse LCOV tracefile bytes."""
    text = data.decode("utf-8", "surrogateescape")
    files: dict[str, RecordedFile] = {}
    # per file: (line, block, branch) -> taken, so repeated records of a branch merge
    outcomes: dict[str, dict[tuple[int, str, str], int]] = {}
    current: RecordedFile | None = None
    saw_record = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        where = f"{path}:{number}"
        key, sep, value = line.partition(":")
        if line == "end_of_record":
            current = None
            continue
        if not sep:
            raise InputError(f"{where}: not an LCOV record: {line[:60]!r}")
        if key == "SF":
            name = value.strip()
            if not name:
                raise InputError(f"{where}: SF record without a file name")
            current = files.get(name)
            if current is None:
                current = files[name] = RecordedFile(name)
                outcomes[name] = {}
            saw_record = True
        elif key == "DA":
            if current is None:
                raise InputError(f"{where}: DA record outside an SF ... end_of_record block")
            parts = value.split(",")
            if len(parts) < 2:
                raise InputError(f"{where}: DA record needs line,count")
            merge_hits(current.hits, _line_no(parts[0], where), _count(parts[1], where))
        elif key == "BRDA":
            if current is None:
                raise InputError(f"{where}: BRDA record outside an SF ... end_of_record block")
            parts = value.split(",")
            if len(parts) < 4:
                raise InputError(f"{where}: BRDA record needs line,block,branch,taken")
            lineno = _line_no(parts[0], where)
            # lcov 2 allows commas inside the branch expression: taken is the last field
            branch_key = (lineno, parts[1].strip(), ",".join(parts[2:-1]).strip())
            taken = _count(parts[-1], where)
            table = outcomes[current.name]
            table[branch_key] = table.get(branch_key, 0) + taken
        elif not _KEY.match(key):
            raise InputError(f"{where}: not an LCOV record: {line[:60]!r}")
        # other upper-case keys (TN, VER, FN, FNDA, FNL, FNA, LF, LH, BRF, BRH, ...) carry
        # nothing codemap needs
    if not saw_record:
        raise InputError(f"{path}: no LCOV records (no SF: lines)")
    for name, table in outcomes.items():
        per_line: dict[int, list[int]] = {}
        for (lineno, _block, _branch), taken in table.items():
            stats = per_line.setdefault(lineno, [0, 0])
            stats[0] += 1
            stats[1] += 1 if taken > 0 else 0
        files[name].branches = {k: (v[0], v[1]) for k, v in per_line.items()}
    return StaticRecording(path, files, fmt=FORMAT, rank=RANK)


def read_lcov(path: Path) -> StaticRecording:
    return parse_lcov(read_data_file(path, "LCOV"), path)
