"""Repository text with markup or escape sequences is shown literally, in every widget.

The repository, its commit, its author, its coverage context and its crash are
all real (git, coverage.py and python run in a temp dir); the hostile strings
are in the places an attacker controls: source, commit message, author name,
exception message, file name, test context.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from textual.geometry import Region

from codemap.tui.widgets.call_tree import CallTree
from codemap.tui.widgets.code_view import CodeView
from codemap.tui.widgets.commit_detail import CommitDetail
from codemap.tui.widgets.file_tree import FileTree
from codemap.tui.widgets.frame_list import FrameList
from codemap.tui.widgets.history_panel import HistoryPanel
from codemap.tui.widgets.owners import OwnersPanel
from codemap.tui.widgets.status_bar import StatusBar
from codemap.tui.widgets.suspects import SuspectsPanel
from codemap.tui.widgets.symbol_finder import SymbolFinder
from codemap.tui.widgets.tests_panel import LineTestsPanel
from tests.tui.scenarios import drive, settle

MARKUP = "[bold]bold[/bold] [link=http://evil.example]click[/link]"
ESCAPE = "\x1b[31mred\x1b]0;pwned\x07"
SOURCE = f'''def boom(x):
    # {MARKUP} {ESCAPE}
    raise ValueError("{MARKUP} " + chr(27) + "[31mred")
'''
ODD_FILE = "evil/[bold]odd.py"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from tests.conftest import GitRepoBuilder

    repo = GitRepoBuilder(tmp_path_factory.mktemp("hostile") / "repo")
    repo.write("evil/__init__.py", "")
    repo.write("evil/mod.py", SOURCE)
    repo.write(ODD_FILE, "from evil.mod import boom\n\n\ndef odd():\n    return boom(1)\n")
    repo.write("tests/__init__.py", "")
    repo.write("tests/test_evil.py", "from evil.mod import boom\n\n\ndef test_boom():\n"
               "    try:\n        boom(1)\n    except ValueError:\n        pass\n\n\n"
               "test_boom()\n")
    repo.write(".gitignore", ".coverage\n__pycache__/\n")
    repo.commit(f"{MARKUP} {ESCAPE}\n\nbody {MARKUP} {ESCAPE}",
                author="[red]Mallory[/red] \x1b[2J <mallory@example.com>",
                date="2025-11-01T10:00:00+00:00")
    env = {"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "coverage", "run", f"--context={MARKUP}",
                    "-m", "tests.test_evil"], cwd=repo.root, check=True, env=env)
    crash = subprocess.run([sys.executable, "-c", "from evil.mod import boom; boom(1)"],
                           cwd=repo.root, capture_output=True, env=env)
    assert b"\x1b[31m" in crash.stderr  # the exception message really holds the escape
    trace = repo.root.parent / "crash.txt"
    trace.write_bytes(crash.stderr)
    return repo, trace


def shown(widget) -> str:
    """Every character the widget puts on screen."""
    size = widget.outer_size
    lines = widget.render_lines(Region(0, 0, size.width, size.height))
    return "\n".join("".join(seg.text for seg in strip) for strip in lines)


def label_texts(tree) -> str:
    out = []

    def walk(node):
        out.append(str(node.label))
        for child in node.children:
            walk(child)

    walk(tree.root)
    return "\n".join(out)


def assert_literal(text: str, *, markup: bool = True, escape: bool = True) -> None:
    assert "\x1b" not in text and "\x07" not in text
    if markup:
        assert "[bold]bold[/bold]" in text or "[link=http://evil.example]" in text, text
    if escape:
        assert "\\e[" in text, text


def make(repo_root, **kw):
    from codemap.tui.launch import make_app
    from tests.tui.scenarios import frozen_clock

    app = make_app(str(repo_root), **kw)
    app.session.clock = frozen_clock
    return app


async def test_trace_mode_widgets_show_hostile_text_literally(hostile):
    repo, trace = hostile
    app = make(repo.root, trace_file=str(trace))
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        frames = screen.query_one(FrameList)
        assert_literal(label_texts(frames))  # the exception message
        code = screen.query_one(CodeView)
        assert code.path == "evil/mod.py"
        code.move_to(2)
        await settle(pilot)
        assert_literal(shown(code))  # the source
        suspects = screen.query_one(SuspectsPanel)
        assert_literal(shown(suspects), escape=True)  # commit summary and author
        assert "[red]Mallory[/red]" in shown(suspects)
        detail = screen.query_one(CommitDetail)
        assert_literal(shown(detail))  # message, author, patch
        assert "[red]Mallory[/red] \\e[2J" in shown(detail)
        owners = screen.query_one(OwnersPanel)
        assert "[red]Mallory[/red] \\e[2J" in shown(owners) and "\x1b" not in shown(owners)
        tests = screen.query_one(LineTestsPanel)
        code.move_to(3)
        await settle(pilot)
        assert_literal(shown(tests), escape=False)  # the coverage context
        status = screen.query_one(StatusBar)
        assert_literal(shown(status.query_one("#status-note")))  # the blamed commit summary


async def test_explore_mode_widgets_show_hostile_names_literally(hostile):
    repo, _ = hostile
    app = make(repo.root)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(FileTree)
        tree.reveal(ODD_FILE)
        await settle(pilot)
        assert "[bold]odd.py" in label_texts(tree)
        await drive(pilot, ["slash", "type:odd"])
        finder = app.screen.query_one(SymbolFinder)
        assert any("[bold]odd" in s.path for s in finder.matches)
        assert "[bold]odd" in shown(finder.query_one("#finder-results"))
        await drive(pilot, ["enter"])
        code = app.screen.query_one(CodeView)
        assert code.path == ODD_FILE
        assert "[bold]odd" in str(code.border_title)
        callees = app.screen.query_one("#callees", CallTree)
        assert "[bold]odd" in label_texts(callees)


async def test_history_panel_shows_hostile_commits_literally(hostile):
    repo, _ = hostile
    from textual.app import App

    from codemap.repo import find_repo
    from codemap.tui import loaders
    from codemap.tui.session import Session
    from tests.tui.scenarios import frozen_clock

    session = Session(find_repo(repo.root), clock=frozen_clock)
    result = loaders.history(session, "evil/mod.py", 1, 3)

    class One(App[None]):
        def compose(self):
            yield HistoryPanel()

    app = One()
    async with app.run_test(size=(160, 20)) as pilot:
        panel = app.query_one(HistoryPanel)
        panel.show_history("Changes", result, frozen_clock())
        await pilot.pause()
        assert_literal(shown(panel))

