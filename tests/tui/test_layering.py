"""The front ends stay thin: headless commands never import Textual."""

from __future__ import annotations

import subprocess
import sys


def test_demo_no_ui_and_the_engine_never_import_textual(tmp_path):
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from codemap.cli.main import cli\n"
        f"r = CliRunner().invoke(cli, ['demo', '--no-ui', '--dir', {str(tmp_path / 'd')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "import codemap.tui.loaders, codemap.tui.calls, codemap.tui.session, codemap.tui.navigation\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
