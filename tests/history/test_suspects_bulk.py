"""Suspects when a trace runs through a library that arrived in one bulk commit.

The repositories vendor real code (packages of the running Python's standard
library, copied under ``src/`` the way a project vendors a dependency, outside
the paths codemap treats as library locations), commit it in one import, then
make small commits. The traces come from running the committed code with
python3; ``codemap trace`` (:func:`codemap.api.trace`) maps and ranks them.
The import wrote every library line the trace passes through, so blame names
it for the raising line; the small commit that broke things must still lead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codemap import api
from codemap.history.commits import FOOTPRINT_FILES_CAP, Footprint, commit_footprints, commit_infos
from codemap.history.suspects import BULK_BREADTH, breadth
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder

STDLIB = Path(shutil.__file__).parent
needs_tomllib = pytest.mark.skipif(not (STDLIB / "tomllib").is_dir(),
                                   reason="the library vendored here is Python 3.11's tomllib")

SETTINGS_V1 = '''\
"""Service settings: a TOML document plus overrides from the environment."""
import tomlparse


def load(text, overrides):
    settings = tomlparse.loads(text)
    settings.update(overrides)
    return settings
'''

# The overrides go through the parser so that they are validated: string values
# are not quoted, so `region = eu-west` is not TOML.
SETTINGS_V2 = '''\
"""Service settings: a TOML document plus overrides from the environment."""
import tomlparse


def load(text, overrides):
    text += "".join(f"\\n{key} = {value}" for key, value in overrides.items())
    settings = tomlparse.loads(text)
    return settings
'''

MAIN = '''\
from app.settings import load


def main():
    settings = load('name = "shop"\\n', {"region": "eu-west"})
    print(settings["name"], settings["region"])


if __name__ == "__main__":
    main()
'''

# Rate limits for each client, nested as operators write them; `rate = fast` is
# not a TOML value, and the parser finds out three inline tables deep.
LIMITS = '''\
"""Rate limits per API client, kept as TOML so that operators can read them."""
import tomlparse

LIMITS = """
[clients]
web = {api = {orders = {burst = 20, rate = fast}}}
"""


def load_limits():
    return tomlparse.loads(LIMITS)["clients"]
'''

RUN = "import sys; sys.path[:0] = ['src', '.']; from app.main import main; main()"
RUN_LIMITS = ("import sys; sys.path[:0] = ['src', '.']; from app.limits import load_limits; "
              "load_limits()")


def vendor(b: GitRepoBuilder, package: str, dest: str) -> tuple[int, int]:
    """Copy a standard-library package's Python files to ``dest``; (files, lines)."""
    files = lines = 0
    for src in sorted((STDLIB / package).rglob("*.py")):
        text = src.read_text(encoding="utf-8")
        b.write(f"{dest}/{src.relative_to(STDLIB / package).as_posix()}", text)
        files += 1
        lines += len(text.splitlines())
    return files, lines


def crash(b: GitRepoBuilder, run: str = RUN) -> str:
    """Run the committed application and return its traceback."""
    proc = subprocess.run([sys.executable, "-c", run], cwd=b.root, capture_output=True,
                          text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert proc.returncode != 0 and "TOMLDecodeError: Invalid value" in proc.stderr, proc.stderr
    return proc.stderr


def ranked(b: GitRepoBuilder, trace: str, app: str = "app/settings.py") -> list:
    report = api.trace(trace, str(b.root))
    mapped = [f.path for f in report.frames() if f.in_repo]
    assert "src/tomlparse/_parser.py" in mapped and app in mapped
    return list(report.suspects)


@needs_tomllib
def test_the_small_change_to_the_caller_outranks_the_import(git_repo):
    """The shape of an application and its library imported together, then a small
    commit changing the application function that calls into the library (next to
    the frame line, not on it: blame of every frame line names the import)."""
    b = git_repo
    vendor(b, "tomllib", "src/tomlparse")
    vendor(b, "json", "src/json")
    b.write("app/__init__.py", "")
    b.write("app/settings.py", SETTINGS_V1)
    b.write("app/main.py", MAIN)
    imported = b.commit("Import tomllib and json (3.11) and the settings service",
                        author="Mia Web <mia@example.com>", date="2026-03-01T10:00:00+00:00")
    b.write("app/settings.py", SETTINGS_V2)
    culprit = b.commit("Validate overrides by parsing them with the settings\n\n"
                       "Co-authored-by: Claude <noreply@anthropic.com>\n",
                       author="Mia Web <mia@example.com>", date="2026-04-01T10:00:00+00:00")
    b.write("app/main.py", "# entry point\n" + MAIN)
    later = b.commit("Comment the entry point", author="Raj Ops <raj@example.com>",
                     date="2026-04-02T10:00:00+00:00")
    trace = crash(b)
    repo = find_repo(b.root)
    footprint = commit_footprints(repo, commit_infos(repo, [imported]).values())[imported]
    assert footprint.files == 12 and footprint.lines > 2000
    assert breadth(footprint) <= BULK_BREADTH  # an import by its size alone

    suspects = ranked(b, trace)
    order = [s.sha for s in suspects]
    assert order[0] == culprit and imported in order
    assert order.index(imported) > order.index(culprit)
    top, bulk = suspects[0], suspects[order.index(imported)]
    assert top.ai and top.ai_tool == "claude"
    assert any("innermost frame outside imported code" in r for r in top.reasons)
    assert any(r.startswith("changed code right next to line") for r in top.reasons)
    # the import is still named for the raising line, with why it counts less
    assert any(r.endswith("(raising frame)") and r.startswith("changed line") for r in bulk.reasons)
    assert bulk.reasons[0] == (f"a bulk commit (an import or a sweeping change): changed "
                                f"{footprint.files} files, {footprint.lines} lines, so its "
                                f"evidence counts {breadth(footprint):.0%}")
    assert top.score > 0.6 > bulk.score
    assert later not in order[:1]
    # before the small commit, the import is all there is: nothing is moved, and
    # the commits made after the incident do not make the caller own code
    before = api.trace(trace, str(b.root), since="2026-03-15T00:00:00+00:00").suspects
    assert [s.sha for s in before] == [imported]
    assert not any("imported code" in r for r in before[0].reasons)
    assert before[0].reasons[0] == bulk.reasons[0]


@needs_tomllib
def test_a_new_file_of_application_code_outranks_the_library_it_calls(git_repo):
    """The shape of a library imported on its own, patched locally away from the
    trace, then a new application file whose call raises thirteen library frames
    deep: the library's frames must not push the application's out of weight."""
    b = git_repo
    toml_files, toml_lines = vendor(b, "tomllib", "src/tomlparse")
    files, lines = vendor(b, "email", "src/email")
    imported = b.commit("Import tomllib and email from CPython 3.11",
                        author="Kim Lib <kim@example.com>", date="2026-01-10T10:00:00+00:00")
    parser = b.root / "src/tomlparse/_parser.py"
    text = parser.read_text()
    skipped = "    except IndexError:\n        char = None\n    if char == \"#\":"
    assert text.count(skipped) == 1  # skip_comment(), not on the trace's path
    parser.write_text(text.replace(skipped, skipped.replace("IndexError:", "IndexError:  # at the end")))
    patch = b.commit("Mark where comments end", author="Kim Lib <kim@example.com>",
                     date="2026-06-10T10:00:00+00:00")
    b.write("app/__init__.py", "")
    b.write("app/limits.py", LIMITS)
    culprit = b.commit("Rate limits per client", author="Sam App <sam@example.com>",
                       date="2026-06-12T10:00:00+00:00")
    trace = crash(b, RUN_LIMITS)
    report = api.trace(trace, str(b.root))
    depths = [f.path for f in report.frames() if f.in_repo]
    assert depths == ["app/limits.py"] + ["src/tomlparse/_parser.py"] * 13
    suspects = list(report.suspects)
    order = [s.sha for s in suspects]
    assert order == [culprit, imported]  # the patch is off the trace's path
    assert patch not in order
    top, bulk = suspects
    app_frames = [r for r in top.reasons if "app/limits.py" in r]
    assert app_frames[0] == ("changed line 11 of app/limits.py (frame 13 load_limits, "
                             "the innermost frame outside imported code)")
    assert top.score > 0.8 and bulk.score < 0.2
    repo = find_repo(b.root)
    footprint = commit_footprints(repo, commit_infos(repo, [imported]).values())[imported]
    assert footprint == Footprint(files + toml_files, lines + toml_lines)
    assert bulk.reasons[0].endswith("so its evidence counts 32%")  # past where counting stops


@needs_tomllib
def test_a_local_patch_to_the_library_is_the_repositorys_own_code(git_repo):
    """Code imported in bulk and later changed by a focused commit is not imported
    code any more: a patch to the raising library function leads."""
    b = git_repo
    vendor(b, "tomllib", "src/tomlparse")
    vendor(b, "json", "src/json")
    b.write("app/__init__.py", "")
    b.write("app/settings.py", SETTINGS_V1)
    b.write("app/main.py", MAIN.replace('"eu-west"', '"\\"eu-west\\""'))
    imported = b.commit("Import tomllib and json and the settings service",
                        author="Kim Lib <kim@example.com>", date="2026-01-10T10:00:00+00:00")
    b.write("app/settings.py", SETTINGS_V2)
    app = b.commit("Validate overrides by parsing them", author="Sam App <sam@example.com>",
                   date="2026-02-01T10:00:00+00:00")
    parser = b.root / "src/tomlparse/_parser.py"
    text = parser.read_text()
    fast_path = '    # Basic strings\n    if char == \'"\':\n'
    assert fast_path in text
    # "Speed up" value parsing: a quoted value is only looked for as a multiline string
    parser.write_text(text.replace(fast_path, "    # Basic strings\n    if src.startswith('\"\"\"', pos):\n", 1))
    broken = b.commit("tomlparse: check multiline strings first", author="Kim Lib <kim@example.com>",
                      date="2026-02-20T10:00:00+00:00")
    trace = crash(b)
    suspects = ranked(b, trace)
    order = [s.sha for s in suspects]
    assert order[0] == broken
    assert any(r.endswith("(raising frame)") for r in suspects[0].reasons)
    assert order.index(app) < order.index(imported)


@needs_tomllib
def test_a_one_commit_import_is_the_only_suspect_and_says_why_it_is_weak(git_repo):
    b = git_repo
    vendor(b, "tomllib", "src/tomlparse")
    for package in ("idlelib", "asyncio", "email", "xml"):
        vendor(b, package, f"src/{package}")
    b.write("app/__init__.py", "")
    b.write("app/settings.py", SETTINGS_V2)
    b.write("app/main.py", MAIN)
    only = b.commit("Import the monorepo", author="Ada <ada@example.com>",
                    date="2026-01-10T10:00:00+00:00")
    repo = find_repo(b.root)
    footprint = commit_footprints(repo, commit_infos(repo, [only]).values())[only]
    assert footprint == Footprint(FOOTPRINT_FILES_CAP, None, True)  # counted up to the cap
    report = api.trace(crash(b), str(b.root))
    raising = [f for f in report.frames() if f.in_repo][-1]
    suspects = list(report.suspects)
    assert [s.sha for s in suspects] == [only]
    reasons = suspects[0].reasons
    assert f"changed line {raising.line} of src/tomlparse/_parser.py (raising frame)" in reasons
    assert not any("imported code" in r for r in reasons)  # nothing to move: all imported
    assert reasons[0] == (f"a bulk commit (an import or a sweeping change): changed more than "
                           f"{FOOTPRINT_FILES_CAP} files, so its evidence counts 32%")


def test_footprints_of_renames_binaries_merges_and_roots(git_repo):
    b = git_repo
    b.write("a.py", "one\ntwo\nthree\n")
    b.write("b.py", "x\n")
    root = b.commit("root")
    b.git("mv", "a.py", "moved.py")
    b.write("b.py", "x\ny\n")
    b.write("logo.bin", b"\0\1\2\3")
    mixed = b.commit("rename, edit, binary")
    b.git("checkout", "-q", "-b", "side")
    b.write("side.py", "s\n")
    side = b.commit("side")
    b.git("checkout", "-q", "main")
    b.write("main.py", "m\n")
    b.commit("main")
    b.git("merge", "-q", "--no-edit", "side")
    merge = b.git("rev-parse", "HEAD").strip()
    repo = find_repo(b.root)
    infos = commit_infos(repo, [root, mixed, side, merge])
    found = commit_footprints(repo, infos.values())
    assert found[root] == Footprint(2, 4)
    assert found[mixed] == Footprint(3, 1)  # a pure rename: one file, no lines
    assert found[side] == Footprint(1, 1)
    assert found[merge] == Footprint(0, 0)  # a merge's own change is not measured
    assert commit_footprints(repo, infos.values()) == found  # from the cache now
    assert breadth(found[mixed]) == 1.0


@pytest.mark.parametrize(("footprint", "weight"), [
    (Footprint(20, 400), 1.0),  # focused: as large as focused goes
    (Footprint(80, 100), 0.5),  # four times too many files: half
    (Footprint(3, 1600), 0.5),  # a single vendored file of 1,600 lines: half as well
    (Footprint(25, 2487), (400 / 2487) ** 0.5),
    (Footprint(34, 15583), 0.1 ** 0.5),  # past the cap: the floor
    (Footprint(FOOTPRINT_FILES_CAP, None, True), 0.1 ** 0.5),
    (None, 1.0),
])
def test_breadth_halves_for_every_fourfold_growth(footprint, weight):
    assert breadth(footprint) == pytest.approx(weight)
