"""AI provenance: commit-level signals in real commits, line-level git-ai notes
and Agent Trace records mapped through blame, and config-extended identities."""

from __future__ import annotations

import json

import pytest

from codemap.config import load_config
from codemap.errors import InputError
from codemap.history.blame import blame_file
from codemap.history.commits import commit_infos
from codemap.history.identities import identity_table
from codemap.history.provenance import commit_verdict
from codemap.history.service import history, who
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder

# Commit identities as the tools write them (provenance-signals.md).
SIGNALS = [
    ("Add parser\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
     "Co-Authored-By: Claude <noreply@anthropic.com>\n",
     "Dev One <dev1@example.com>", None, "claude",
     {"Co-authored-by: Claude <noreply@anthropic.com>".lower(),
      "🤖 Generated with [Claude Code](https://claude.com/claude-code)".lower()}),
    ("Refactor\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>\n",
     "Dev One <dev1@example.com>", None, "claude", None),
    ("Fix loop\n\nCo-authored-by: aider (gpt-4o) <aider@aider.chat>\n",
     "Dev Two <dev2@example.com>", None, "aider", None),
    ("aider: make the test pass\n", "Dev Two <dev2@example.com>", None, "aider",
     {"aider: make the test pass"}),
    ("Tweak", "Dev Two (aider) <dev2@example.com>", None, "aider", None),
    ("Tweak", "Dev Two <dev2@example.com>", "Dev Two (aider) <dev2@example.com>", "aider", None),
    ("Implement feature (#12)",
     "Copilot <198982749+Copilot@users.noreply.github.com>", None, "copilot", None),
    ("Jules change", "google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>",
     None, "jules", None),
    ("Devin change",
     "devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
     None, "devin", None),
    ("Cursor change\n\nCo-authored-by: Cursor <cursoragent@cursor.com>\n",
     "Dev Three <dev3@example.com>", None, "cursor", None),
    ("Codex change", "Codex <codex@openai.com>", None, "codex", None),
    ("Kernel-style\n\nAssisted-by: gemini:gemini-2.5-pro\n", "Dev Four <dev4@example.com>", None,
     "gemini", {"assisted-by: gemini:gemini-2.5-pro"}),
    ("Copilot CLI\n\nCo-authored-by: GitHub Copilot copilot@github.com\n",
     "Dev Four <dev4@example.com>", None, "copilot", None),
]


@pytest.mark.parametrize("message,author,committer,tool,sources", SIGNALS)
def test_commit_level_signals(git_repo: GitRepoBuilder, message, author, committer, tool, sources):
    git_repo.write("a.py", "x = 1\n")
    sha = git_repo.commit(message, author=author, committer=committer)
    repo = find_repo(git_repo.root)
    info = commit_infos(repo, [sha])[sha]
    verdict = commit_verdict(info, identity_table())
    assert verdict.ai and verdict.tool == tool
    assert verdict.sources
    if sources:
        assert {s.lower() for s in verdict.sources} >= sources
    (line,) = blame_file(repo, "a.py")
    assert line.ai and line.ai_tool == tool and line.ai_sources == verdict.sources


@pytest.mark.parametrize("message,author", [
    ("Pair work\n\nCo-authored-by: Jane Doe <jane@example.com>\n", "Dev <dev@example.com>"),
    ("Mention Claude and Copilot in prose only", "Dev <dev@example.com>"),
    ("Generated with protoc from api.proto", "Dev <dev@example.com>"),
    ("Update", "Claudette Colvin <claudette@example.com>"),
])
def test_no_false_positives(git_repo: GitRepoBuilder, message, author):
    git_repo.write("a.py", "x = 1\n")
    sha = git_repo.commit(message, author=author)
    repo = find_repo(git_repo.root)
    verdict = commit_verdict(commit_infos(repo, [sha])[sha], identity_table())
    assert not verdict.ai and verdict.sources == ()


def test_identities_extended_from_config(git_repo: GitRepoBuilder):
    git_repo.write(".codemap.toml", '[ai]\nidentities = [{tool = "corp-agent", '
                                    'emails = ["agent@corp.example"], names = ["corp-bot"]}]\n')
    git_repo.write("a.py", "x = 1\n")
    git_repo.commit("Bot change", author="Corp Bot <agent@corp.example>")
    repo = find_repo(git_repo.root)
    result = who(repo, "a.py")
    assert result.ai.lines == 1 and result.ai.tools == {"corp-agent": 1}
    assert "author e-mail agent@corp.example" in result.ai.sources
    git_repo.write(".codemap.toml", '[ai]\nidentities = [{tool = "x", email_patterns = ["("]}]\n')
    with pytest.raises(InputError, match="bad regular expression"):
        who(repo, "a.py")


def _two_commits(git_repo: GitRepoBuilder) -> tuple[str, str]:
    body = "".join(f"line{i} = {i}\n" for i in range(1, 11))
    first = git_repo.commit("empty start")
    git_repo.write("a.py", body)
    ai_commit = git_repo.commit("Add a.py\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n")
    git_repo.write("a.py", "# header\n# more\n" + body)
    git_repo.commit("Add a header", author="Bob Baker <bob@example.com>")
    return first, ai_commit


GIT_AI_NOTE = """a.py
  s_c9883b05a2487d::t_9f8e7d6c5b4a32 3-5
  h_31dce776f88375 6,7-8
---
{"schema_version": "authorship/3.0.0", "git_ai_version": "1.4.5", "base_commit_sha": "x",
 "prompts": {},
 "humans": {"h_31dce776f88375": {"author": "Alice Able <alice@example.com>"}},
 "sessions": {"s_c9883b05a2487d": {"agent_id": {"tool": "cursor", "id": "6ef2",
   "model": "claude-sonnet-4-5-20250514"}, "human_author": "alice@example.com"}}}
"""


def test_git_ai_notes_override_commit_level(git_repo: GitRepoBuilder):
    _, ai_commit = _two_commits(git_repo)
    git_repo.git("notes", "--ref=ai", "add", "-m", GIT_AI_NOTE, ai_commit)
    lines = blame_file(find_repo(git_repo.root), "a.py")
    by_orig = {bl.orig_line: bl for bl in lines if bl.sha == ai_commit}
    # note lines 3-5 (now 5-7 after the header): the cursor session, line level
    for n in (3, 4, 5):
        assert by_orig[n].ai and by_orig[n].ai_tool == "cursor"
        assert by_orig[n].line == n + 2
        assert "claude-sonnet-4-5-20250514" in by_orig[n].ai_sources[0]
        assert by_orig[n].ai_sources[0].startswith(f"git-ai note (refs/notes/ai) on {ai_commit[:12]}")
    # lines 6-8: a known human, overriding the Co-Authored-By trailer
    for n in (6, 7, 8):
        assert not by_orig[n].ai and "human Alice Able" in by_orig[n].ai_sources[0]
    # lines the note does not cover keep the commit-level verdict
    assert by_orig[1].ai and by_orig[1].ai_tool == "claude"
    assert by_orig[1].ai_sources == ("Co-authored-by: Claude <noreply@anthropic.com>",)
    assert not lines[0].ai  # Bob's header
    result = who(find_repo(git_repo.root), "a.py")
    assert result.ai.lines == 7 and result.ai.tools == {"claude": 4, "cursor": 3}


def test_agent_trace_records_mapped_through_blame(git_repo: GitRepoBuilder):
    git_repo.write("b.py", "".join(f"v{i} = {i}\n" for i in range(1, 11)))
    human = git_repo.commit("Add b.py by hand")
    git_repo.write("b.py", "# top\n" + "".join(f"v{i} = {i}\n" for i in range(1, 11)))
    git_repo.commit("Add a top line")
    record = {
        "version": "0.1.0", "id": "3f2b4c1e-0000-4000-8000-000000000001",
        "timestamp": "2026-01-20T10:00:00Z", "vcs": {"type": "git", "revision": human},
        "tool": {"name": "cursor", "version": "2.0"},
        "files": [{"path": "b.py", "conversations": [
            {"url": "https://example.invalid/c/1",
             "contributor": {"type": "ai", "model_id": "anthropic/claude-opus-4-5-20251101"},
             "ranges": [{"start_line": 2, "end_line": 3}]},
            {"contributor": {"type": "human"}, "ranges": [{"start_line": 4, "end_line": 4}]}]}],
    }
    git_repo.write(".agent-trace/traces.jsonl", "not json\n" + json.dumps(record) + "\n")
    lines = blame_file(find_repo(git_repo.root), "b.py")
    assert [bl.line for bl in lines if bl.ai] == [3, 4]  # recorded lines 2-3, one line down now
    assert lines[2].ai_tool == "cursor" and lines[2].ai_sources[0].startswith(
        "Agent Trace record 3f2b4c1e-0000-4000-8000-000000000001")
    assert "anthropic/claude-opus-4-5-20251101" in lines[2].ai_sources[0]
    assert not lines[4].ai and "human" in lines[4].ai_sources[0]
    assert lines[5].ai_sources == ()


def test_history_flags_ai_commits_with_sources(git_repo: GitRepoBuilder):
    _, ai_commit = _two_commits(git_repo)
    result = history(find_repo(git_repo.root), "a.py")
    flags = {c.sha: (c.ai, c.ai_tool, c.ai_sources) for c in result.commits}
    assert flags[ai_commit] == (True, "claude", ["Co-authored-by: Claude <noreply@anthropic.com>"])
    assert sum(c.ai for c in result.commits) == 1
    # a git-ai note saying the range's lines were a human's overrides the trailer
    git_repo.git("notes", "--ref=ai", "add", "-m",
                 "a.py\n  h_31dce776f88375 1-10\n---\n{}\n", ai_commit)
    result = history(find_repo(git_repo.root), "a.py:3-5")
    entry = next(c for c in result.commits if c.sha == ai_commit)
    assert not entry.ai and entry.ai_sources and "human" in entry.ai_sources[0]


def test_config_file_warnings_and_errors(git_repo: GitRepoBuilder):
    git_repo.write("pyproject.toml", '[tool.codemap]\nmax_file_size = 10\nnoise = 1\n'
                                     '[tool.codemap.trace]\nmaps = {"/srv/app" = "."}\n')
    repo = find_repo(git_repo.root)
    cfg = load_config(repo)
    assert cfg.max_file_size == 10 and cfg.trace_maps == (("/srv/app", "."),)
    assert cfg.source == "pyproject.toml"
    assert cfg.warnings == ("pyproject.toml: tool.codemap.noise: unknown key, ignored",)
    git_repo.write(".codemap.toml", 'exclude = ["vendor/**"]\n[generated]\npatterns = ["*.gen.py"]\n'
                                    '[trace]\nmaps = [["/opt/x", "src"]]\n')
    cfg = load_config(repo)  # .codemap.toml wins over pyproject.toml
    assert cfg.exclude == ("vendor/**",) and cfg.generated_patterns == ("*.gen.py",)
    assert cfg.trace_maps == (("/opt/x", "src"),) and cfg.warnings == ()
    git_repo.write(".codemap.toml", 'exclude = ["a",\nmax_file_size = 3\n')
    with pytest.raises(InputError, match=r"\.codemap\.toml: invalid TOML: .*line 2"):
        load_config(repo)
    git_repo.write(".codemap.toml", 'max_file_size = "big"\n')
    with pytest.raises(InputError, match="max_file_size must be a positive integer"):
        load_config(repo)
