"""Plain-text CLI output of tab-indented repository text.

Found on immer 10.1.1 (tab-indented TypeScript): ``codemap show`` printed
every tab of the diff as the escape ``\\x09``. Tabs are expanded as a
terminal would; other control characters stay escaped.
"""

from __future__ import annotations

from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder


def test_show_expands_tabs_and_keeps_escaping_controls(git_repo: GitRepoBuilder) -> None:
    git_repo.write("src/cart.ts", "export function total(lines) {\n\treturn 0\n}\n")
    git_repo.commit("Cart")
    git_repo.write("src/cart.ts", "export function total(lines) {\n\treturn lines.length\n}\n")
    sha = git_repo.commit("Count lines \x1b[31mred\x1b[0m\tand\ttabbed")
    result = CliRunner().invoke(cli, ["show", sha, "--repo", str(git_repo.root)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\\x09" not in out and "\t" not in out
    assert "+       return lines.length" in out.splitlines()  # tab stops of 8, as `git show`
    assert "\x1b" not in out and "\\e[31mred\\e[0m" in out
