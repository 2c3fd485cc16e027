"""Run a package's test suite under ``sys.setprofile`` and record the calls it makes.

Used by ``callgraph_recall.py`` in a child process: ``python pytrace_runner.py
PKG_DIR OUT.json -- <pytest args>``. Records every (caller code, callee code)
pair where both functions are defined under PKG_DIR (test directories
excluded), and every package code object that ran, and writes them as JSON:
``{"codes": [[file, first_line, name], ...], "ran": [i, ...], "edges": [[i, j], ...]}``.
"""

from __future__ import annotations

import json
import os
import sys
import threading


def main() -> int:
    pkg_dir, out_path = os.path.abspath(sys.argv[1]), sys.argv[2]
    args = sys.argv[sys.argv.index("--") + 1:]
    sys.path.insert(0, os.path.dirname(pkg_dir))
    prefix = pkg_dir + os.sep
    test_marks = (os.sep + "tests" + os.sep, os.sep + "test" + os.sep)
    ours: dict[object, bool] = {}
    ran: set[object] = set()
    edges: set[tuple[object, object]] = set()

    def is_ours(code: object) -> bool:
        found = ours.get(code)
        if found is None:
            name = code.co_filename  # type: ignore[attr-defined]
            found = ours[code] = name.startswith(prefix) and not any(m in name for m in test_marks)
        return found

    def profile(frame, event, arg):  # noqa: ANN001
        if event != "call":
            return
        code = frame.f_code
        if not is_ours(code):
            return
        ran.add(code)
        back = frame.f_back
        if back is not None and is_ours(back.f_code):
            edges.add((back.f_code, code))

    import pytest

    threading.setprofile(profile)
    sys.setprofile(profile)
    try:
        status = pytest.main(args)
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
    codes = list({*ran, *(c for e in edges for c in e)})
    index = {c: i for i, c in enumerate(codes)}
    data = {
        "codes": [[c.co_filename, c.co_firstlineno, c.co_name] for c in codes],  # type: ignore[attr-defined]
        "ran": [index[c] for c in ran],
        "edges": [[index[a], index[b]] for a, b in edges],
        "status": int(status),
    }
    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
