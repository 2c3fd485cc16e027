"""git-ai authorship notes (``refs/notes/ai``): line-level AI attribution.

The git-ai project (git-ai-project/git-ai, standard ``authorship/3.0.0``)
attaches one note per commit under ``refs/notes/ai``::

    src/main.rs
      s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-10,15-20
      h_31dce776f88375 42-50
    ---
    { "schema_version": "authorship/3.0.0", "humans": {...}, "sessions": {...},
      "prompts": {...} }

File paths start at column 0 (double-quoted when they contain whitespace),
entries are indented two spaces, ranges are 1-based and refer to the file as
of the annotated commit. ``s_...`` keys are AI sessions (their tool and model
in ``sessions``), ``h_...`` keys are known humans, bare 16-hex keys are
legacy prompt records (in ``prompts``). Lines no key covers say nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from codemap.history.commits import decode
from codemap.history.git import run_git
from codemap.history.provenance import AiVerdict, LineRecord
from codemap.repo import Repo

NOTES_REF = "refs/notes/ai"
_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")
_LEGACY = re.compile(r"^[0-9a-f]{16}$")


def _unquote(path: str) -> str:
    if len(path) >= 2 and path[0] == path[-1] == '"':
        try:
            value = json.loads(path)
        except ValueError:
            return path[1:-1]
        return value if isinstance(value, str) else path[1:-1]
    return path


def _agent(meta: dict[str, Any], section: str, key: str) -> tuple[str | None, str | None]:
    entry = meta.get(section, {}).get(key) if isinstance(meta.get(section), dict) else None
    if not isinstance(entry, dict):
        return None, None
    agent = entry.get("agent_id") if isinstance(entry.get("agent_id"), dict) else {}
    tool = agent.get("tool") if isinstance(agent.get("tool"), str) else None
    model = agent.get("model") if isinstance(agent.get("model"), str) else None
    return tool, model


def _verdict(key: str, meta: dict[str, Any], sha: str) -> AiVerdict | None:
    where = f"git-ai note ({NOTES_REF}) on {sha[:12]}"
    if key.startswith("h_"):
        humans = meta.get("humans") if isinstance(meta.get("humans"), dict) else {}
        who = humans.get(key, {}).get("author") if isinstance(humans.get(key), dict) else None
        return AiVerdict(False, None, (f"{where}: human {who or key}",), "line")
    if key.startswith("s_"):
        session = key.split("::", 1)[0]
        tool, model = _agent(meta, "sessions", session)
        detail = " ".join(x for x in (tool or "AI", "session", session, f"({model})" if model else "")
                          if x)
        return AiVerdict(True, tool or "unknown", (f"{where}: {detail}",), "line")
    if _LEGACY.match(key):
        tool, model = _agent(meta, "prompts", key)
        detail = " ".join(x for x in (tool or "AI", "prompt", key, f"({model})" if model else "")
                          if x)
        return AiVerdict(True, tool or "unknown", (f"{where}: {detail}",), "line")
    return None


def parse_note(text: str, sha: str) -> list[LineRecord]:
    """The line records of one git-ai note attached to commit ``sha``."""
    head, sep, tail = text.partition("\n---\n")
    if not sep and text.startswith("---\n"):
        head, tail = "", text[4:]
    try:
        meta = json.loads(tail) if tail.strip() else {}
    except ValueError:
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    records: list[LineRecord] = []
    path: str | None = None
    for raw in head.splitlines():
        if not raw.strip():
            continue
        if not raw.startswith(" "):
            path = _unquote(raw.rstrip())
            continue
        if path is None:
            continue
        key, _, ranges = raw.strip().rpartition(" ")
        verdict = _verdict(key.strip(), meta, sha) if key else None
        if verdict is None:
            continue
        for part in ranges.split(","):
            m = _RANGE.match(part.strip())
            if m:
                start = int(m.group(1))
                records.append(LineRecord(sha, path, start, int(m.group(2) or start), verdict))
    return records


def notes_for(repo: Repo, shas: Iterable[str]) -> list[LineRecord]:
    """Records of every git-ai note attached to one of ``shas`` (none without the ref)."""
    wanted = set(shas)
    out = run_git(repo, ["notes", f"--ref={NOTES_REF}", "list"], check=False)
    blobs: list[tuple[str, str]] = []
    for line in out.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1] in wanted:
            blobs.append((parts[0], parts[1]))
    if not blobs:
        return []
    data = run_git(repo, ["cat-file", "--batch"],
                   input_bytes="".join(f"{b}\n" for b, _ in blobs).encode())
    records: list[LineRecord] = []
    pos = 0
    for _, commit in blobs:
        nl = data.find(b"\n", pos)
        if nl < 0:
            break
        header = data[pos:nl].split()
        if len(header) != 3 or header[1] == b"missing":
            pos = nl + 1
            continue
        size = int(header[2])
        body = data[nl + 1: nl + 1 + size]
        pos = nl + 1 + size + 1
        records.extend(parse_note(decode(body), commit))
    return records
