"""Trace mode driven with Pilot on the demo's real crash."""

from __future__ import annotations

import pytest

from codemap.tui.widgets.code_view import CodeView
from codemap.tui.widgets.commit_detail import CommitDetail
from codemap.tui.widgets.frame_list import FrameList
from codemap.tui.widgets.owners import OwnersPanel
from codemap.tui.widgets.suspects import SuspectsPanel
from codemap.tui.widgets.tests_panel import LineTestsPanel
from tests.tui.scenarios import UNRELATED_TRACE, Scenario, app_on_trace, drive, settle


def trace_app(demo, **kw):
    return Scenario("t", "", trace=True, **kw).make_app(demo)


async def test_opens_on_the_raising_frame_with_blame_coverage_and_suspects(demo):
    app = trace_app(demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.MODE == "trace"
        frames = screen.query_one(FrameList)
        refs = frames.frame_refs
        raising = [r for r in refs if r.raising]
        assert len(raising) == 1 and raising[0].frame.path == "shop/pricing.py"
        assert raising[0].frame.function == "bulk_rate"
        # library frames (json, runpy) are there but folded
        library = [r for r in refs if not r.frame.in_repo]
        assert library and all(not n.parent.is_expanded for n in frames._frame_nodes
                               if n.data is not None and not n.data.frame.in_repo)
        code = screen.query_one(CodeView)
        assert code.path == "shop/pricing.py" and code.cursor_line == raising[0].frame.line
        assert code.target_line == raising[0].frame.line
        assert "BULK_TIERS[tier]" in code.lines[code.cursor_line - 1]
        bl = code.blame_at(code.cursor_line)
        assert bl is not None and bl.sha == demo.culprit and bl.ai
        suspects = screen.query_one(SuspectsPanel).suspects
        assert suspects and suspects[0].sha == demo.culprit
        assert any("raising frame" in r for r in suspects[0].reasons)
        # the best suspect's commit is shown with its diff
        detail = screen.query_one(CommitDetail)
        assert detail.sha == demo.culprit
        text = "\n".join(t.plain for t in detail.lines)
        assert "Co-Authored-By: Claude" in text and "+    return BULK_TIERS[tier]" in text
        owners = str(screen.query_one(OwnersPanel).render())
        assert "Tom Okafor" in owners and "AI-written" in owners
        tests = str(screen.query_one(LineTestsPanel).render())
        assert "test_bulk_tiers" in tests


async def test_blame_parent_walks_back_and_back_returns(demo):
    app = trace_app(demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await drive(pilot, ["c", "comma"])
        code = app.screen.query_one(CodeView)
        assert code.rev is not None and code.rev != demo.culprit
        assert code.path == "shop/pricing.py"
        # before the bulk-discount commit the file had no BULK_TIERS at all
        assert not any("BULK_TIERS" in s for s in code.lines)
        await drive(pilot, ["left_square_bracket"])
        assert code.rev is None and any("BULK_TIERS" in s for s in code.lines)
        await drive(pilot, ["right_square_bracket"])
        assert code.rev is not None


async def test_blame_parent_on_a_first_commit_says_so(demo):
    app = trace_app(demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        code = app.screen.query_one(CodeView)
        # line 1 of pricing.py comes from the commit that created the file... walk twice
        code.move_to(6)  # COUPONS: written when the file was created
        await drive(pilot, ["c", "comma"])
        assert any("created the file" in n.message for n in app._notifications)


async def test_choosing_frames_suspects_and_lines(demo):
    app = trace_app(demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        frames = app.screen.query_one(FrameList)
        frames.focus()
        await drive(pilot, ["up"])  # the caller: line_price
        code = app.screen.query_one(CodeView)
        assert code.path == "shop/pricing.py" and "bulk_rate(line.quantity)" in \
            code.lines[code.cursor_line - 1]
        frame = next(r for r in frames.frame_refs if r.frame.function == "get_order")
        frames.select_frame(frame.exception, frame.index)
        await settle(pilot)
        assert code.path == "shop/app.py"
        # enter on a code line shows that line's commit
        code.focus()
        await drive(pilot, ["enter"])
        assert app.screen.query_one(CommitDetail).sha == code.blame_at(code.cursor_line).sha
        # a second suspect
        suspects = app.screen.query_one(SuspectsPanel)
        suspects.focus()
        await drive(pilot, ["down"])
        assert app.screen.query_one(CommitDetail).sha == suspects.suspects[1].sha


async def test_library_frame_shows_its_file_without_blame(demo):
    app = trace_app(demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        frames = app.screen.query_one(FrameList)
        lib = next(r for r in frames.frame_refs if not r.frame.in_repo and r.frame.file
                   and r.frame.file.endswith("flask/__init__.py"))
        frames.select_frame(lib.exception, lib.index)
        await settle(pilot)
        code = app.screen.query_one(CodeView)
        assert code.path.endswith("flask/__init__.py") and not code.has_blame
        assert "outside the repository" in code.border_title


async def test_trace_that_matches_nothing_stays_usable(demo):
    app = Scenario("t", "", trace_text=UNRELATED_TRACE).make_app(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        code = app.screen.query_one(CodeView)
        assert not code.lines and "No frame of this trace" in code.note
        assert app.screen.query_one(SuspectsPanel).suspects == []
        await drive(pilot, ["c", "comma", "1"])  # nothing to blame; switching modes works
        assert app.screen.MODE == "explore"


async def test_paste_a_trace(demo):
    app = Scenario("t", "").make_app(demo)
    app.start_mode = "trace"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "No trace loaded" in app.screen.query_one(CodeView).note
        await drive(pilot, ["p"])
        from textual.widgets import TextArea

        area = app.screen.query_one(TextArea)
        area.text = open(demo.trace_file, encoding="utf-8").read()
        await drive(pilot, ["ctrl+s"])
        assert app.screen.MODE == "trace"
        assert app.screen.query_one(CodeView).path == "shop/pricing.py"


async def test_not_a_trace_is_a_notification_not_a_crash(demo):
    app = Scenario("t", "", trace_text="just some log line\nanother one\n").make_app(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("no stack trace" in n.message for n in app._notifications)
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_sizes_and_resize(demo, size):
    app = trace_app(demo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        code = app.screen.query_one(CodeView)
        assert code.region.width > 20 and code.region.height > 5
        side = app.screen.query_one("#side")
        assert side.display == (size[0] >= 120)
        await drive(pilot, ["s"])
        assert side.display == (size[0] < 120)
        await pilot.resize_terminal(70, 20)
        await settle(pilot)
        await pilot.resize_terminal(*size)
        await settle(pilot)
        assert code.path == "shop/pricing.py"
        visible = range(int(code.scroll_y), int(code.scroll_y) + code.size.height)
        assert code.cursor_line - 1 in visible


async def test_trace_mapped_at_a_deployed_revision(demo):
    from codemap.tui.launch import make_app
    from tests.tui.scenarios import frozen_clock

    app = make_app(demo.repo, trace_file=demo.trace_file, rev=demo.culprit)
    app.session.clock = frozen_clock
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        code = app.screen.query_one(CodeView)
        assert code.rev == demo.culprit and code.path == "shop/pricing.py"
        assert "@" in str(code.border_title) or code.rev == app.session.rev
        assert "BULK_TIERS[tier]" in code.lines[code.cursor_line - 1]
        assert code.blame_at(code.cursor_line).sha == demo.culprit


async def test_trace_in_a_directory_without_git(tmp_path):
    import subprocess
    import sys


    root = tmp_path / "plain"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "calc.py").write_text("def ratio(a, b):\n    return a / b\n\n\n"
                                         "def main():\n    return ratio(1, 0)\n")
    crash = subprocess.run([sys.executable, "-c", "from app.calc import main; main()"],
                           cwd=root, capture_output=True)
    app = app_on_trace(root, crash.stderr, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        code = app.screen.query_one(CodeView)
        assert code.path == "app/calc.py" and "a / b" in code.lines[code.cursor_line - 1]
        assert not code.has_blame
        assert app.screen.query_one(SuspectsPanel).suspects == []
        assert "no git" in str(app.screen.query_one(OwnersPanel).render())
        await drive(pilot, ["c", "comma"])  # nothing to blame: a notice, not a crash
        assert app.is_running


async def test_the_enrichment_of_a_replaced_mapping_is_ignored(demo):
    """On a cold start the trace is mapped twice (files first, then symbols) and each
    mapping is enriched: the suspects shown must be those of the current mapping, whatever
    order the two enrichments finish in (the first one's spans lack the symbols)."""
    import copy

    from codemap.tui import messages as m

    app = trace_app(demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = app.screen
        panel = screen.query_one(SuspectsPanel)
        shown = [s.sha for s in panel.suspects]
        assert shown and shown[0] == demo.culprit
        stale = copy.deepcopy(screen.report)
        stale.suspects = []
        screen.post_message(m.TraceEnriched(stale, mapped=copy.deepcopy(screen.report)))
        await settle(pilot)
        assert [s.sha for s in panel.suspects] == shown  # a late, stale enrichment
        fresh = copy.deepcopy(screen.report)
        fresh.suspects = fresh.suspects[:1]
        screen.post_message(m.TraceEnriched(fresh, mapped=screen.report))
        await settle(pilot)
        assert [s.sha for s in panel.suspects] == shown[:1]  # the current one lands


async def test_a_recursions_middle_copies_fold_into_one_node(git_repo, tmp_path):
    """A real RecursionError through two functions: the first and the last ping/pong pair
    are listed, the 28 pairs between fold into one collapsed node that still holds them."""
    import subprocess
    import sys


    git_repo.write("game/__init__.py", "")
    git_repo.write("game/rally.py", (
        "def ping(n):\n    return pong(n + 1)\n\n\n"
        "def pong(n):\n    if n > 60:\n        raise RecursionError(f'gave up at {n}')\n"
        "    return ping(n + 1)\n"))
    git_repo.commit("rally")
    proc = subprocess.run([sys.executable, "-c", "from game.rally import ping; ping(0)"],
                          cwd=git_repo.root, capture_output=True, text=True)
    app = app_on_trace(git_repo.root, proc.stderr, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        frames = app.screen.query_one(FrameList)
        refs = frames.frame_refs
        assert len(refs) == 63  # every frame is still there
        folded = [n for n in frames._frame_nodes if n.parent is not None
                  and str(n.parent.label).startswith("↻")]
        assert len(folded) == 56 and not folded[0].parent.is_expanded
        assert str(folded[0].parent.label) == "↻ 28× the 2 frames above"
        raising = [r for r in refs if r.raising]
        assert raising[0].frame.line == 7 and frames.cursor_node.data == raising[0]


async def test_a_trace_through_the_installed_package_opens_on_the_checkout(git_repo, tmp_path):
    """The crash ran the repository's package as installed in a virtualenv: the frames
    open on the checkout's files, and the code view's title says they ran an installed
    copy (which stays on screen, unlike the status line)."""
    import os
    import subprocess
    import sys


    git_repo.write("pyproject.toml", '[project]\nname = "shop-kit"\nversion = "1.0"\n')
    git_repo.write("src/shop/__init__.py", "")
    git_repo.write("src/shop/cart.py", "def total(items):\n"
                                       "    return sum(i['price'] for i in items)\n")
    git_repo.commit("shop")
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "shop"
    site.mkdir(parents=True)
    for name in ("__init__.py", "cart.py"):
        (site / name).write_bytes((git_repo.root / "src" / "shop" / name).read_bytes())
    app_py = tmp_path / "app.py"
    app_py.write_text("from shop.cart import total\ntotal([{}])\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc = subprocess.run([sys.executable, "-B", str(app_py)], capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(site.parent)}, timeout=60)
    app = app_on_trace(git_repo.root, proc.stderr, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        code = app.screen.query_one(CodeView)
        assert code.path == "src/shop/cart.py" and code.cursor_line == 2
        assert "ran installed: version may differ" in str(code.border_title)
