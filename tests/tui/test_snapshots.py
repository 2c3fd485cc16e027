"""One snapshot per screen, from the scenarios that also render ``screenshots/``.

Clocks are frozen (relative dates), the demo's commits are reproducible (same
shas), and each scenario waits for every worker before the screenshot.
Update after an intended change with ``pytest tests/tui/test_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

import pytest

from tests.tui.scenarios import SCENARIOS, scenario


@pytest.mark.parametrize("name", [s.name for s in SCENARIOS])
def test_screen(name, demo, snap_compare):
    sc = scenario(name)
    assert snap_compare(sc.make_app(demo), terminal_size=sc.size, run_before=sc.run_before())
