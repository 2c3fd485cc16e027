"""Render SVG screenshots of every UI mode on the demo into ``screenshots/``.

The scenarios are the snapshot tests' (``tests/tui/scenarios.py``), so the
README shows exactly the screens the tests check. Run from the repository
root::

    python scripts/screenshots.py            # every scenario
    python scripts/screenshots.py trace help # some of them
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.tui.scenarios

from tests.tui.scenarios import FROZEN_NOW, SCENARIOS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="scenarios to render (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args(argv)
    wanted = [s for s in SCENARIOS if not args.names or s.name in args.names]
    unknown = set(args.names) - {s.name for s in SCENARIOS}
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")

    from textual._doc import take_svg_screenshot

    from codemap.demo.builder import build_demo

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="codemap-screenshots-") as tmp:
        demo = build_demo(Path(tmp) / "demo", now=FROZEN_NOW)  # the snapshots' clock
        for sc in wanted:
            svg = take_svg_screenshot(app=sc.make_app(demo), terminal_size=sc.size,
                                      run_before=sc.run_before(), title="codemap")
            path = args.out / f"{sc.name}.svg"
            path.write_text(svg, encoding="utf-8")
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {sc.title}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
