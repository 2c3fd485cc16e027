"""The changed symbols of a range, computed independently of codemap.review.

Straight from ``git diff -U0`` text (hunk headers read with a regex) and the
symbol ranges of both versions of each file (``extract_symbols`` on
``git show`` output), following the contract's rule: a symbol is modified
when any line of its range changed; added / deleted when it has no partner
(same qualname relative to its module, same occurrence) on the other side;
a module when a non-blank line outside every other symbol changed.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from codemap.index.extract import extract_symbols
from codemap.lang.registry import language_for_path

HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")

Row = tuple[str, str, str, int, int, int, int]  # change, path, qualname, start, end, +, -


def git(root: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout


def _tree(root: Path, rev: str) -> set[str]:
    return set(git(root, "ls-tree", "-r", "--name-only", rev).decode().splitlines())


def _show(root: Path, rev: str, path: str) -> bytes:
    return git(root, "show", f"{rev}:{path}")


def file_pairs(root: Path, base: str, head: str) -> list[tuple[str | None, str | None, set, set]]:
    """(old path, new path, added HEAD lines, removed BASE lines) per text file of the diff."""
    text = git(root, "diff", "-U0", "-M", "--no-color", "--no-ext-diff", base, head).decode(
        "utf-8", "replace")
    out = []
    old = new = None
    added: set[int] = set()
    removed: set[int] = set()
    binary = False
    started = False

    def flush() -> None:
        if started and not binary and (old or new):
            out.append((old, new, added, removed))

    for line in text.split("\n"):
        if line.startswith("diff --git "):
            flush()
            started, binary = True, False
            a, b = line[len("diff --git a/"):].split(" b/", 1)
            old, new, added, removed = a, b, set(), set()
        elif line.startswith("new file mode"):
            old = None
        elif line.startswith("deleted file mode"):
            new = None
        elif line.startswith("Binary files"):
            binary = True
        else:
            m = HUNK.match(line)
            if m:
                o, oc = int(m.group(1)), int(m.group(2) or 1) if m.group(2) != "0" else 0
                n, nc = int(m.group(3)), int(m.group(4) or 1) if m.group(4) != "0" else 0
                removed.update(range(o, o + oc))
                added.update(range(n, n + nc))
    flush()
    return out


def _local(qualname: str, module: str) -> str:
    if qualname.startswith(module) and len(qualname) > len(module) and \
            qualname[len(module)] in ".:/#":
        return qualname[len(module) + 1:]
    return qualname


def _keys(symbols: list) -> dict:
    module = [s for s in symbols if s.kind == "module"]
    prefix = module[0].qualname if module else ""
    count: dict[str, int] = {}
    keyed = {}
    for s in symbols:
        if s.kind == "module":
            continue
        local = _local(s.qualname, prefix)
        keyed[(local, count.get(local, 0))] = s
        count[local] = count.get(local, 0) + 1
    return keyed


def _inside_any(n: int, symbols: list) -> bool:
    return any(s.kind != "module" and s.start_line <= n <= s.end_line for s in symbols)


def expected_changes(root: Path, base: str, head: str) -> set[Row]:
    rows: set[Row] = set()
    base_tree, head_tree = _tree(root, base), _tree(root, head)
    for old, new, added, removed in file_pairs(root, base, head):
        if language_for_path(new or old or "") is None:
            continue
        bdata = _show(root, base, old) if old else b""
        hdata = _show(root, head, new) if new else b""
        bsyms = extract_symbols(old, bdata, base_tree.__contains__) if old else []
        hsyms = extract_symbols(new, hdata, head_tree.__contains__) if new else []
        btext = bdata.decode("utf-8", "replace").splitlines()
        htext = hdata.decode("utf-8", "replace").splitlines()

        def inr(s, lines):
            return len([n for n in lines if s.start_line <= n <= s.end_line])

        if new is None:
            for s in bsyms:
                rows.add(("deleted", s.path, s.qualname, s.start_line, s.end_line, 0,
                          inr(s, removed)))
            continue
        if old is None or not bsyms:
            for s in hsyms:
                rows.add(("added", s.path, s.qualname, s.start_line, s.end_line,
                          inr(s, added), 0))
            continue
        bk, hk = _keys(bsyms), _keys(hsyms)
        for key, s in hk.items():
            if key not in bk:
                rows.add(("added", s.path, s.qualname, s.start_line, s.end_line,
                          inr(s, added), 0))
            elif inr(s, added) or inr(bk[key], removed):
                rows.add(("modified", s.path, s.qualname, s.start_line, s.end_line,
                          inr(s, added), inr(bk[key], removed)))
        for key, s in bk.items():
            if key not in hk:
                rows.add(("deleted", s.path, s.qualname, s.start_line, s.end_line, 0,
                          inr(s, removed)))
        top_added = [n for n in added if n <= len(htext) and htext[n - 1].strip()
                     and not _inside_any(n, hsyms)]
        top_removed = [n for n in removed if n <= len(btext) and btext[n - 1].strip()
                       and not _inside_any(n, bsyms)]
        if top_added or top_removed:
            m = [s for s in hsyms if s.kind == "module"][0]
            rows.add(("modified", m.path, m.qualname, m.start_line, m.end_line,
                      len(top_added), len(top_removed)))
    return rows


def actual_rows(changed: list) -> set[Row]:
    """The same rows from a ReviewResult's ``changed`` (dataclasses or JSON dicts)."""
    out: set[Row] = set()
    for c in changed:
        if isinstance(c, dict):
            s = c["symbol"]
            out.add((c["change"], s["path"], s["qualname"], s["start_line"], s["end_line"],
                     c["lines_added"], c["lines_removed"]))
        else:
            s = c.symbol
            out.add((c.change, s.path, s.qualname, s.start_line, s.end_line, c.lines_added,
                     c.lines_removed))
    return out
