"""Endpoint mode: a request, its route, the handler's call tree with per-node facts."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from codemap.tui.widgets.call_tree import CallTree
from codemap.tui.widgets.code_view import CodeView
from codemap.tui.widgets.history_panel import HistoryPanel
from codemap.tui.widgets.owners import OwnersPanel
from codemap.tui.widgets.tests_panel import LineTestsPanel
from tests.tui.scenarios import Scenario, drive, settle


async def test_request_matches_route_and_shows_the_handler_tree(demo):
    app = Scenario("e", "", endpoint="GET /orders/42").make_app(demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.MODE == "endpoint"
        assert [m.route for m in screen.matches] == ["/orders/<int:order_id>"]
        tree = screen.query_one(CallTree)
        assert tree.symbol.qualname == "shop.app.get_order"
        names = [c.data.symbol.name for c in tree.root.children if c.data]
        assert "find_order" in names and "to_dict" in names
        # every node gets owner / coverage / recent-change facts
        labels = [str(c.label) for c in tree.root.children]
        assert all("cov" in label and "Maya Chen" in label for label in labels if "find_order" in label)
        code = screen.query_one(CodeView)
        assert code.path == "shop/app.py" and code.target_line == tree.symbol.start_line
        assert "Maya Chen" in str(screen.query_one(OwnersPanel).render())
        assert "Initial order service" in str(screen.query_one(HistoryPanel).render())
        assert "test_get_order" in str(screen.query_one(LineTestsPanel).render())
        # walk down the tree: the code follows the highlighted node
        tree.focus()
        await drive(pilot, ["down"])
        node = tree.cursor_node.data.symbol
        assert code.path == node.path
        before = tree.cursor_node.is_expanded
        await drive(pilot, ["enter"])  # toggles the node
        assert tree.cursor_node.is_expanded != before
        # small levels open by themselves: the path down to the crashing function shows
        found = []

        def walk(node):
            for child in node.children:
                if child.data is not None:
                    found.append(child.data.symbol.qualname)
                walk(child)

        walk(tree.root)
        assert "shop.pricing.bulk_rate" in found


async def test_typing_another_request_and_no_match(demo):
    app = Scenario("e", "").make_app(demo)
    app.start_mode = "endpoint"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#endpoint-input", Input)
        assert box.has_focus
        await drive(pilot, ["type:POST /orders", "enter"])
        assert app.screen.query_one(CallTree).symbol.name == "create_order"
        box.value = ""
        await drive(pilot, ["slash", "type:DELETE /nowhere", "enter"])
        assert app.screen.matches == []
        routes = app.screen.query_one("#routes", OptionList)
        assert "no route matches" in str(routes.get_option_at_index(0).prompt)
