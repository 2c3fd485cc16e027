"""Unusable coverage data: one clear line (InputError, exit 2) or a warning, never a crash."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemap.cli.main import cli
from codemap.coverage.service import coverage_report, load_coverage
from codemap.errors import InputError
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder
from tests.coverage.conftest import coverage_run, write_rc

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<coverage><sources><source>&lol3;</source></sources></coverage>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE coverage [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<coverage><sources><source>&xxe;</source></sources></coverage>
"""
CLOVER = b"""<?xml version="1.0" encoding="UTF-8"?>
<coverage generated="1700000000000" clover="3.2.0"><project timestamp="1700000000000">
<file name="a.js" path="/ci/src/a.js"><line num="1" count="1" type="stmt"/></file></project></coverage>
"""


def _err(repo: GitRepoBuilder, data: Path) -> str:
    with pytest.raises(InputError) as info:
        coverage_report(find_repo(repo.root), None, coverage_file=str(data))
    message = info.value.message
    assert "\n" not in message
    return message


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "empty file"),
    (b"\x00\x01binary junk\xff" * 20, "not a coverage file codemap knows"),
    (b"SQLite format 3\x00" + b"\x00garbage" * 100, "corrupt coverage.py data"),
    (b"<html><body>not coverage</body></html>", "XML with root <html> is not coverage data"),
    (b"<coverage><packages><package", "not well-formed XML"),
    (CLOVER, "Clover XML is not supported"),
    (BILLION_LAUGHS, "refusing XML that declares XML entities"),
    (EXTERNAL_ENTITY, "refusing XML that declares XML entities"),
    (b"TN:\nDA:1,1\nend_of_record\n", "DA record outside an SF"),
    (b"SF:a.py\nDA:x,1\nend_of_record\n", "'x' is not a line number"),
    (b"mode: set\nnonsense here\n", "not a Go cover block"),
    (b"mode: turbo\n", "unknown Go cover mode"),
    (b'!coverage.py: This is a private format, don\'t read it directly!{"lines":{}}',
     "coverage.py 4.x data"),
])
def test_unusable_files_give_one_line(geometry_repo: GitRepoBuilder, tmp_path: Path,
                                      content: bytes, expected: str) -> None:
    data = tmp_path / "cov.data"
    data.write_bytes(content)
    assert expected in _err(geometry_repo, data)


def test_foreign_sqlite_is_refused_and_left_untouched(geometry_repo: GitRepoBuilder,
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    data = folder / "app.db"
    conn = sqlite3.connect(data)
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT)")
    conn.commit()
    conn.close()
    before = data.read_bytes()
    assert "an SQLite file, but not coverage.py data" in _err(geometry_repo, data)
    assert data.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["app.db"]


def test_truncated_coverage_file(geometry_repo: GitRepoBuilder, tmp_path: Path) -> None:
    data = tmp_path / ".coverage"
    coverage_run(geometry_repo.root, write_rc(tmp_path / "rc", data), "tests")
    whole = data.read_bytes()
    data.write_bytes(whole[: len(whole) // 3])
    message = _err(geometry_repo, data)
    assert "coverage.py data" in message


def test_missing_file_and_directory(geometry_repo: GitRepoBuilder, tmp_path: Path) -> None:
    assert "no such coverage file" in _err(geometry_repo, tmp_path / "nope.xml")
    assert "is a directory" in _err(geometry_repo, tmp_path)


def test_lcov_for_another_project(geometry_repo: GitRepoBuilder, tmp_path: Path) -> None:
    data = tmp_path / "lcov.info"
    data.write_text("SF:/ci/other/lib/server.ts\nDA:1,1\nend_of_record\n"
                    "SF:/ci/other/lib/client.ts\nDA:3,0\nend_of_record\n")
    report = coverage_report(find_repo(geometry_repo.root), None, coverage_file=str(data))
    assert report.symbols == [] and report.files == []
    assert report.unmapped == ["/ci/other/lib/client.ts", "/ci/other/lib/server.ts"]
    assert any("none of its 2 measured files is a file of this repository" in w
               for w in report.warnings)


def test_partly_foreign_lcov_maps_what_it_can(geometry_repo: GitRepoBuilder,
                                              tmp_path: Path) -> None:
    data = tmp_path / "lcov.info"
    data.write_text("SF:/home/runner/work/x/x/pkg/geometry.py\nDA:6,1\nDA:7,0\nend_of_record\n"
                    "SF:/usr/lib/python3.11/json/__init__.py\nDA:1,1\nend_of_record\n")
    report = coverage_report(find_repo(geometry_repo.root), "pkg/geometry.py",
                             coverage_file=str(data))
    assert report.files[0].missing_lines == [7]
    assert report.unmapped == ["/usr/lib/python3.11/json/__init__.py"]


def test_empty_data(geometry_repo: GitRepoBuilder, tmp_path: Path) -> None:
    from coverage import CoverageData

    data = tmp_path / ".coverage"
    empty = CoverageData(str(data))
    empty.add_lines({})
    empty.write()
    report = coverage_report(find_repo(geometry_repo.root), None, coverage_file=str(data))
    assert report.symbols == []
    assert any("the coverage data is empty" in w for w in report.warnings)
    go = tmp_path / "cover.out"
    go.write_text("mode: set\n")
    report = coverage_report(find_repo(geometry_repo.root), None, coverage_file=str(go))
    assert any("the coverage data is empty" in w for w in report.warnings)


def test_data_of_a_different_revision_is_stale(geometry_repo: GitRepoBuilder,
                                               tmp_path: Path) -> None:
    data = tmp_path / ".coverage"
    coverage_run(geometry_repo.root, write_rc(tmp_path / "rc", data), "tests")
    # the file is rewritten (a later revision) after the data was recorded
    edited = geometry_repo.write("pkg/geometry.py", "# rewritten\n\ndef area(shape):\n    return 0\n")
    later = data.stat().st_mtime + 60
    os.utime(edited, (later, later))
    report = coverage_report(find_repo(geometry_repo.root), "pkg/geometry.py",
                             coverage_file=str(data))
    summary = report.files[0]
    assert summary.stale
    text = " ".join(summary.stale_reasons)
    assert "but the file has 4 lines" in text
    assert "edited (uncommitted) after the coverage data was recorded" in text
    assert all(row.stale for row in report.symbols)


def test_nothing_found(geometry_repo: GitRepoBuilder) -> None:
    repo = find_repo(geometry_repo.root)
    assert load_coverage(repo) is None
    with pytest.raises(InputError, match="no coverage data found"):
        coverage_report(repo, None)


def test_discovered_garbage_is_a_warning_then_an_error(geometry_repo: GitRepoBuilder) -> None:
    geometry_repo.write("coverage.xml", "<html/>")
    repo = find_repo(geometry_repo.root)
    cov = load_coverage(repo)
    assert cov is not None and cov.recordings == []
    assert "XML with root <html>" in cov.warnings[0]
    with pytest.raises(InputError, match="no usable coverage data"):
        coverage_report(repo, None)


def test_cli_prints_one_line_and_exits_2(geometry_repo: GitRepoBuilder, tmp_path: Path) -> None:
    data = tmp_path / "bad.xml"
    data.write_bytes(BILLION_LAUGHS)
    result = CliRunner().invoke(cli, ["coverage", "--repo", str(geometry_repo.root),
                                      "--coverage", str(data), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("codemap: ")
    assert "Traceback" not in result.output
