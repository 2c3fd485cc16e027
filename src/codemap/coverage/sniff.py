"""Tell a coverage file's format from its content, and read it with the right reader.

File names lie (``coverage.xml`` may be Cobertura or Clover, ``cover.out``
anything), so the first bytes decide: the SQLite or legacy banner of
coverage.py, ``mode:`` of a Go profile, the root element of XML
(``<coverage>`` Cobertura, ``<report>`` JaCoCo), LCOV record keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from codemap.coverage.coveragepy import LEGACY_BANNER, SQLITE_MAGIC
from codemap.coverage.pyanalysis import PyRules
from codemap.coverage.recording import Recording
from codemap.errors import InputError

FORMATS = ("coverage.py", "cobertura", "jacoco", "lcov", "go")
_HEAD = 65536
_XML_SKIP = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", re.DOTALL)
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_LCOV_KEY = re.compile(rb"^(?:TN|SF|VER):", re.MULTILINE)
_SUPPORTED = "coverage.py data, Cobertura XML, JaCoCo XML, LCOV or a Go cover profile"


def sniff(path: Path) -> str:
    """The format of the coverage file at ``path`` (one of :data:`FORMATS`), or InputError."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a coverage file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return sniff_bytes(head, str(path))


def sniff_bytes(head: bytes, name: str) -> str:
    if head.startswith(SQLITE_MAGIC) or head.startswith(LEGACY_BANNER):
        return "coverage.py"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text:
        raise InputError(f"{name}: empty file, no coverage data")
    if text.startswith(b"mode:"):
        return "go"
    if text.startswith(b"<"):
        body = _XML_SKIP.sub(b"", text).lstrip()
        m = _XML_ROOT.match(body)
        root = m.group(1).decode("ascii", "replace") if m else ""
        if root == "coverage":
            return "cobertura"
        if root == "report":
            return "jacoco"
        if not root:
            raise InputError(f"{name}: XML without a root element, not coverage data")
        raise InputError(f"{name}: XML with root <{root[:40]}> is not coverage data "
                         f"(expected {_SUPPORTED})")
    if _LCOV_KEY.search(text[:8192]):
        return "lcov"
    raise InputError(f"{name}: not a coverage file codemap knows (expected {_SUPPORTED})")


def read_coverage_file(path: Path, python_rules: Callable[[], PyRules]) -> Recording:
    """Sniff and read one data file. ``python_rules`` supplies coverage.py's exclusion rules."""
    fmt = sniff(path)
    if fmt == "coverage.py":
        from codemap.coverage.coveragepy import read_coveragepy

        return read_coveragepy([path], python_rules())
    if fmt == "cobertura":
        from codemap.coverage.cobertura import read_cobertura

        return read_cobertura(path)
    if fmt == "jacoco":
        from codemap.coverage.jacoco import read_jacoco

        return read_jacoco(path)
    if fmt == "go":
        from codemap.coverage.gocover import read_go_profile

        return read_go_profile(path)
    from codemap.coverage.lcov import read_lcov

    return read_lcov(path)
