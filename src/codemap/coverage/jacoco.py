"""JaCoCo XML reports (``jacoco:report``, Gradle ``jacocoTestReport``, ``jacococli report --xml``).

Shape (``report.dtd`` 1.1)::

    <report name="..">
      <sessioninfo id=".." start="1700000000000" dump="1700000001000"/>
      <group name="module">            (optional, nests)
        <package name="com/acme">
          <class name="com/acme/Foo" sourcefilename="Foo.java">..</class>
          <sourcefile name="Foo.java">
            <line nr="12" mi="0" ci="3" mb="0" cb="0"/>

Per ``<line>``: missed/covered instructions (``mi``/``ci``) and branches
(``mb``/``cb``). A line is a statement when it has instructions, covered
when any ran. The file is ``<package name>/<sourcefile name>``
(``com/acme/Foo.java``), relative to a source root (``src/main/java``)
that the report does not name; the loader finds it by suffix.
"""

from __future__ import annotations

from pathlib import Path

from codemap.coverage.recording import RecordedFile, StaticRecording, check_line, read_data_file
from codemap.coverage.safexml import parse_xml
from codemap.errors import InputError

FORMAT = "jacoco"
RANK = 3


def _num(attrs: dict[str, str], key: str, where: str) -> int:
    value = attrs.get(key, "0").strip() or "0"
    if not value.isdigit() or len(value) > 12:
        raise InputError(f"{where}: {key}={value[:30]!r} is not a count")
    return int(value)


class _Handler:
    def __init__(self, name: str) -> None:
        self.name = name
        self.root_seen = False
        self.depth = 0
        self.timestamp: float | None = None
        self.package: str | None = None
        self.current: RecordedFile | None = None
        self.files: dict[str, RecordedFile] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if not self.root_seen:
            self.root_seen = True
            if tag != "report":
                raise InputError(f"{self.name}: XML with root <{tag[:40]}> is not a JaCoCo report")
            return
        if tag == "sessioninfo":
            for key in ("dump", "start"):
                value = attrs.get(key, "")
                if value.isdigit() and len(value) < 16:
                    stamp = int(value) / 1000.0
                    if self.timestamp is None or stamp > self.timestamp:
                        self.timestamp = stamp
                    break
        elif tag == "package":
            self.package = (attrs.get("name") or "").strip("/")
        elif tag == "sourcefile" and self.package is not None:
            base = attrs.get("name") or ""
            if not base:
                raise InputError(f"{self.name}: <sourcefile> without a name")
            name = f"{self.package}/{base}" if self.package else base
            found = self.files.get(name)
            if found is None:
                found = self.files[name] = RecordedFile(name)
            self.current = found
        elif tag == "line" and self.current is not None:
            where = f"{self.name}: {self.current.name}"
            nr = attrs.get("nr", "")
            if not nr.isdigit() or len(nr) > 9:
                raise InputError(f"{where}: line nr={nr[:30]!r} is not a line number")
            line = check_line(int(nr), where)
            mi, ci = _num(attrs, "mi", where), _num(attrs, "ci", where)
            mb, cb = _num(attrs, "mb", where), _num(attrs, "cb", where)
            rec = self.current
            rec.recorded_lines = max(rec.recorded_lines, line)
            if mi + ci > 0:
                rec.hits[line] = max(rec.hits.get(line, 0), 1 if ci > 0 else 0)
            if mb + cb > 0:
                old = rec.branches.get(line)
                if old is None or old[1] < cb:
                    rec.branches[line] = (mb + cb, cb)

    def end(self, tag: str) -> None:
        self.depth -= 1
        if tag == "sourcefile":
            self.current = None
        elif tag == "package":
            self.package = None


def parse_jacoco(data: bytes, path: Path) -> StaticRecording:
    """Parse JaCoCo XML bytes."""
    handler = _Handler(str(path))
    parse_xml(data, name=str(path), start=handler.start, end=handler.end)
    if not handler.root_seen:
        raise InputError(f"{path}: empty XML document")
    return StaticRecording(path, handler.files, fmt=FORMAT, rank=RANK, timestamp=handler.timestamp,
                           tool=None)


def read_jacoco(path: Path) -> StaticRecording:
    return parse_jacoco(read_data_file(path, "JaCoCo XML"), path)
