"""Was a commit, or a line, written by an AI assistant? With the evidence.

Two levels, the finer one winning:

* **commit level** (:func:`commit_verdict`): ``Co-authored-by:`` and
  ``Assisted-by:`` trailers naming an AI tool, "Generated with ..." /
  "Made with ..." footers and tool trailers, aider's ``(aider)`` name suffix
  and ``aider: `` message prefix, bot accounts and noreply e-mails of coding
  agents as author or committer. What counts as an AI identity is the data
  table of :mod:`codemap.history.identities`.
* **line level** (:func:`line_verdicts`): git-ai authorship notes under
  ``refs/notes/ai`` (:mod:`codemap.history.gitai`) and Agent Trace records
  in ``.agent-trace/traces.jsonl`` (:mod:`codemap.history.agent_trace`).
  Their line numbers refer to the commit that recorded them, which is
  exactly blame's (commit, original path, original line) for each line, so
  a line's record is found by looking up its blame origin. A line-level
  record overrides the commit-level guess for the lines it covers, in both
  directions (a human line in an AI-co-authored commit is human).

Every verdict names its evidence in ``sources``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from codemap.history.commits import CommitInfo
from codemap.history.identities import IdentityTable

_COAUTHOR = re.compile(r"(?im)^[ \t]*co-authored-by[ \t]*:[ \t]*(.*?)[ \t]*$")
_ASSISTED = re.compile(r"(?im)^[ \t]*assisted-by[ \t]*:[ \t]*(.*?)[ \t]*$")
_NAME_EMAIL = re.compile(r"^(.*?)\s*<([^<>]*)>\s*$")


@dataclass(frozen=True)
class AiVerdict:
    """Whether code is AI-written, by which tool, and why we think so."""

    ai: bool
    tool: str | None = None
    sources: tuple[str, ...] = ()
    level: str = "commit"  # "commit" or "line"

    def to_json(self) -> list[object]:
        return [self.ai, self.tool, list(self.sources), self.level]

    @staticmethod
    def from_json(d: list[object]) -> AiVerdict:
        return AiVerdict(bool(d[0]), d[1] if isinstance(d[1], str) else None,
                         tuple(str(s) for s in d[2]), str(d[3]))  # type: ignore[union-attr]


HUMAN = AiVerdict(False)


def _split_person(text: str) -> tuple[str, str]:
    m = _NAME_EMAIL.match(text)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    parts = text.split()
    if parts and "@" in parts[-1]:  # "GitHub Copilot copilot@github.com"
        return " ".join(parts[:-1]), parts[-1]
    return text.strip(), ""


def commit_verdict(info: CommitInfo, table: IdentityTable) -> AiVerdict:
    """The commit-level AI verdict for ``info``; ``HUMAN`` (no sources) when no signal."""
    tools: list[str] = []
    sources: list[str] = []

    def add(tool: str, source: str) -> None:
        if tool not in tools:
            tools.append(tool)
        if source not in sources:
            sources.append(source)

    message = info.message
    for m in _COAUTHOR.finditer(message):
        name, email = _split_person(m.group(1))
        tool = table.by_coauthor(name, email)
        if tool:
            add(tool, f"Co-authored-by: {m.group(1)}")
    for m in _ASSISTED.finditer(message):
        value = m.group(1)
        name, email = _split_person(value)
        tool = table.by_coauthor(name.split(":")[0], email) or "unknown"
        add(tool, f"Assisted-by: {value}")
    for role, name, email in (("author", info.raw_author, info.raw_email),
                              ("committer", info.committer, info.committer_email),
                              ("author", info.author, info.email)):
        tool = table.by_name(name)
        if tool:
            add(tool, f"{role} {name} <{email}>")
            continue
        tool = table.by_email(email)
        if tool:
            add(tool, f"{role} e-mail {email}")
    for tool, line in table.in_message(message):
        add(tool, line)
    if not sources:
        return HUMAN
    return AiVerdict(True, tools[0], tuple(sources), "commit")


@dataclass(frozen=True)
class LineRecord:
    """A line-level authorship record: lines ``start..end`` of ``path`` as of ``sha``."""

    sha: str  # full or abbreviated commit id the line numbers refer to
    path: str
    start: int
    end: int
    verdict: AiVerdict


class LineRecords:
    """Line-level records indexed by (commit, path) for blame-origin look-ups."""

    def __init__(self, records: Iterable[LineRecord] = ()) -> None:
        self._by_key: dict[tuple[str, str], list[LineRecord]] = {}
        self._short: dict[str, set[str]] = {}
        for rec in records:
            self.add(rec)

    def add(self, rec: LineRecord) -> None:
        sha = rec.sha.lower()
        self._by_key.setdefault((sha, rec.path), []).append(rec)
        self._short.setdefault(sha[:7], set()).add(sha)

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def for_commit(self, sha: str, path: str) -> list[LineRecord]:
        """Every record of ``path`` at commit ``sha`` (full or abbreviated)."""
        out: list[LineRecord] = []
        for recorded in self._short.get(sha[:7], ()):
            if sha.startswith(recorded) or recorded.startswith(sha):
                out.extend(self._by_key.get((recorded, path), ()))
        return out

    def lookup(self, sha: str, path: str, line: int) -> AiVerdict | None:
        """The verdict of the last record covering ``line`` of ``path`` at ``sha``."""
        found: AiVerdict | None = None
        for rec in self.for_commit(sha, path):
            if rec.start <= line <= rec.end:
                found = rec.verdict if found is None else _merge(found, rec.verdict)
        return found


def change_verdict(commit_level: AiVerdict, records: LineRecords, sha: str, path: str,
                   spans: Iterable[tuple[int, int]] | None = None) -> AiVerdict:
    """The verdict for a commit's change to ``path`` (lines ``spans`` of its version,
    or the whole file): AI when a covering line record says so, human when the
    covering records all say human, else the commit's own verdict."""
    recs = records.for_commit(sha, path) if records else []
    if spans is not None:
        spans = list(spans)
        recs = [r for r in recs if any(r.start <= hi and lo <= r.end for lo, hi in spans)]
    if not recs:
        return commit_level
    found = recs[0].verdict
    for rec in recs[1:]:
        if rec.verdict.ai and not found.ai:
            found = rec.verdict
        elif rec.verdict.ai == found.ai:
            found = AiVerdict(found.ai, found.tool or rec.verdict.tool,
                              tuple(dict.fromkeys(found.sources + rec.verdict.sources)), "line")
    return found


def _merge(a: AiVerdict, b: AiVerdict) -> AiVerdict:
    if a.ai != b.ai:  # conflicting records: the later one (b) wins, both are evidence
        return AiVerdict(b.ai, b.tool, tuple(dict.fromkeys(b.sources + a.sources)), "line")
    return AiVerdict(a.ai, a.tool or b.tool, tuple(dict.fromkeys(a.sources + b.sources)), "line")


def line_verdict(commit_level: AiVerdict, records: LineRecords, sha: str, path: str,
                 line: int) -> AiVerdict:
    """The verdict for one line: a covering line-level record, else the commit's."""
    if not records:
        return commit_level
    found = records.lookup(sha, path, line)
    return found if found is not None else commit_level
