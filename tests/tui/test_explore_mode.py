"""Explore mode: finder, file tree, callers / callees, go to definition, back / forward."""

from __future__ import annotations

from codemap.tui.widgets.call_tree import CallTree
from codemap.tui.widgets.code_view import CodeView
from codemap.tui.widgets.file_tree import FileTree
from codemap.tui.widgets.symbol_finder import SymbolFinder
from tests.tui.scenarios import Scenario, drive, settle


def explore_app(demo):
    return Scenario("e", "").make_app(demo)


def tree_labels(tree: CallTree) -> list[str]:
    out = []

    def walk(node):
        for child in node.children:
            out.append(str(child.label))
            walk(child)

    walk(tree.root)
    return out


async def test_find_a_symbol_and_follow_its_callers_and_callees(demo):
    app = explore_app(demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await drive(pilot, ["slash", "type:bulk_rate", "enter"])
        code = app.screen.query_one(CodeView)
        assert code.path == "shop/pricing.py"
        assert code.lines[code.cursor_line - 1].startswith("def bulk_rate")
        callers = app.screen.query_one("#callers", CallTree)
        assert callers.symbol.qualname == "shop.pricing.bulk_rate"
        assert any("line_price" in label for label in tree_labels(callers))
        # open the caller: the code view goes to its call site
        node = next(n for n in callers.root.children if n.data and n.data.symbol.name == "line_price")
        callers.focus()
        callers.move_cursor(node)
        await drive(pilot, ["enter"])
        assert code.path == "shop/pricing.py"
        assert "bulk_rate(line.quantity)" in code.lines[code.cursor_line - 1]
        callees = app.screen.query_one("#callees", CallTree)
        await settle(pilot)
        assert callees.symbol.name == "line_price"
        assert any("bulk_rate" in label for label in tree_labels(callees))


async def test_go_to_definition_and_back_forward(demo):
    app = explore_app(demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await drive(pilot, ["slash", "type:order_total", "enter"])
        code = app.screen.query_one(CodeView)
        assert code.path == "shop/orders.py"
        call = next(i for i, s in enumerate(code.lines, 1) if "line_price(line)" in s)
        code.move_to(call)
        await drive(pilot, ["d"])
        assert code.path == "shop/pricing.py"
        assert code.lines[code.cursor_line - 1].startswith("def line_price")
        await drive(pilot, ["left_square_bracket"])
        assert code.path == "shop/orders.py" and code.cursor_line == call
        await drive(pilot, ["right_square_bracket"])
        assert code.path == "shop/pricing.py"
        # the cursor position is remembered per place; there is nothing before the first
        await drive(pilot, ["left_square_bracket", "left_square_bracket"])
        assert code.path == "shop/orders.py" and code.cursor_line == call
        assert any("nothing to go back to" in n.message for n in app._notifications)


async def test_double_click_on_a_name_goes_to_its_definition(demo):
    app = explore_app(demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await drive(pilot, ["slash", "type:order_total", "enter"])
        code = app.screen.query_one(CodeView)
        call = next(i for i, s in enumerate(code.lines, 1) if "line_price(line)" in s)
        code.center_on(call)
        await settle(pilot)
        y = call - 1 - int(code.scroll_y) + 1  # + the top border
        x = code._layout().width + code.lines[call - 1].index("line_price") + 2
        await pilot.click(CodeView, offset=(x, y), times=2)
        await settle(pilot)
        assert code.path == "shop/pricing.py"
        assert code.lines[code.cursor_line - 1].startswith("def line_price")


async def test_file_tree_opens_files(demo):
    app = explore_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(FileTree)
        tree.reveal("client/cart.js")
        await settle(pilot)
        tree.focus()
        await drive(pilot, ["enter"])
        code = app.screen.query_one(CodeView)
        assert code.path == "client/cart.js"
        assert code.has_blame


async def test_finder_shows_no_match_and_keys_move_the_results(demo):
    app = explore_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await drive(pilot, ["slash", "type:zzzqqq"])
        finder = app.screen.query_one(SymbolFinder)
        assert finder.matches == []
        finder.input.value = ""
        await drive(pilot, ["type:to_dict", "down", "enter"])
        code = app.screen.query_one(CodeView)
        assert code.path == "shop/orders.py"


async def test_explore_without_git(tmp_path):
    from codemap.tui.launch import make_app

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("def f():\n    return g()\n\n\ndef g():\n    return 1\n")
    app = make_app(str(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await drive(pilot, ["slash", "type:f", "enter"])
        code = app.screen.query_one(CodeView)
        assert code.path == "pkg/mod.py" and not code.has_blame
        await drive(pilot, ["c", "down", "d"])
        assert code.lines[code.cursor_line - 1].startswith("def g")
