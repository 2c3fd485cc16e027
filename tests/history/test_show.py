"""``codemap show REV``: the commit panel of the UI, on the command line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder


def test_show_gives_message_provenance_and_diff(git_repo: GitRepoBuilder) -> None:
    git_repo.write("app.py", "def f():\n    return 1\n")
    git_repo.commit("initial", author="Ann Able <ann@example.com>")
    git_repo.write("app.py", "def f():\n    return 2\n")
    sha = git_repo.commit("Change f\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
                          author="Bo Baker <bo@example.com>")
    result = CliRunner().invoke(cli, ["show", "HEAD", "--json", "--repo", str(git_repo.root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sha"] == sha and data["author"] == "Bo Baker" and data["summary"] == "Change f"
    assert data["ai"] is True and any("Claude" in s for s in data["ai_sources"])
    assert "-    return 1" in data["diff"] and "+    return 2" in data["diff"]
    assert data["diff_truncated"] is False
    text = CliRunner().invoke(cli, ["show", sha[:10], "--repo", str(git_repo.root)])
    assert text.exit_code == 0 and f"commit {sha}" in text.output and "AI-assisted" in text.output
