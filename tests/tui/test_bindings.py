"""Every binding of every mode does what its description says."""

from __future__ import annotations

import pytest

from codemap.tui.widgets.code_view import CodeView
from codemap.tui.widgets.frame_list import FrameList
from tests.tui.scenarios import Scenario, drive, settle

FOCUS_KEYS = {
    "trace": [("f", "frames"), ("c", "code"), ("x", "suspects")],
    "explore": [("t", "file-tree"), ("c", "code"), ("u", "callers"), ("o", "callees"),
                ("slash", "finder-input")],
    "endpoint": [("t", "endpoint-tree"), ("c", "code"), ("slash", "endpoint-input")],
}


def app_for(mode, demo):
    if mode == "trace":
        return Scenario("b", "", trace=True).make_app(demo)
    if mode == "endpoint":
        return Scenario("b", "", endpoint="GET /orders/42").make_app(demo)
    return Scenario("b", "").make_app(demo)


@pytest.mark.parametrize("mode", sorted(FOCUS_KEYS))
async def test_focus_keys(mode, demo):
    app = app_for(mode, demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        for key, target in FOCUS_KEYS[mode]:
            await drive(pilot, ["escape", key])
            assert app.focused is not None and app.focused.id == target, (key, app.focused)


async def test_trace_explore_here_and_raising_frame(demo):
    app = app_for("trace", demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        frames = app.screen.query_one(FrameList)
        frames.focus()
        await drive(pilot, ["home"])
        assert not frames.cursor_node.data or not frames.cursor_node.data.raising
        await drive(pilot, ["r"])
        assert frames.cursor_node.data.raising
        await drive(pilot, ["e"])
        assert app.screen.MODE == "explore"
        code = app.screen.query_one(CodeView)
        assert code.path == "shop/pricing.py" and "BULK_TIERS[tier]" in code.lines[code.cursor_line - 1]


async def test_endpoint_explore_here(demo):
    app = app_for("endpoint", demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await drive(pilot, ["escape", "e"])
        assert app.screen.MODE == "explore"
        assert app.screen.query_one(CodeView).path == "shop/app.py"
