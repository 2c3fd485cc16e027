"""Agent Trace records (``.agent-trace/traces.jsonl``): line-level attribution.

Agent Trace (cursor/agent-trace, RFC v0.1.0) is a vendor-neutral JSON
"Trace Record": ``vcs{type, revision}``, ``tool{name, version}`` and
``files[{path, conversations[{contributor{type, model_id}, ranges[{start_line,
end_line, contributor?}]}]}]``. Its reference implementation appends one
record per line to ``.agent-trace/traces.jsonl``. "Line numbers in a trace
refer to positions at the recorded revision": a line is attributed by
blaming it and looking up records of the blamed commit.

Contributor types: ``ai`` and ``mixed`` count as AI, ``human`` as human,
``unknown`` says nothing. Malformed lines are skipped (and counted), never
fatal: the file is written by other tools.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from codemap.history.provenance import AiVerdict, LineRecord

TRACES_FILE = ".agent-trace/traces.jsonl"


def _contributor(value: Any) -> tuple[str | None, str | None]:
    if not isinstance(value, dict):
        return None, None
    kind = value.get("type")
    model = value.get("model_id")
    return (kind if isinstance(kind, str) else None, model if isinstance(model, str) else None)


def _verdict(kind: str | None, model: str | None, tool: str | None, record_id: str,
             path: str) -> AiVerdict | None:
    if kind not in ("ai", "mixed", "human"):
        return None
    detail = kind + (f" ({model})" if model else "") + (f" via {tool}" if tool else "")
    source = f"Agent Trace record {record_id} ({TRACES_FILE}) for {path}: {detail}"
    if kind == "human":
        return AiVerdict(False, None, (source,), "line")
    vendor = model.split("/")[0] if model and "/" in model else None
    return AiVerdict(True, tool or vendor or "unknown", (source,), "line")


def _records(record: dict[str, Any]) -> Iterator[LineRecord]:
    vcs = record.get("vcs")
    revision = vcs.get("revision") if isinstance(vcs, dict) else None
    if not isinstance(revision, str) or len(revision) < 7:
        return
    tool_info = record.get("tool")
    tool = tool_info.get("name") if isinstance(tool_info, dict) else None
    tool = tool if isinstance(tool, str) else None
    record_id = str(record.get("id") or "?")[:36]
    files = record.get("files")
    for f in files if isinstance(files, list) else ():
        path = f.get("path") if isinstance(f, dict) else None
        if not isinstance(path, str):
            continue
        while path.startswith("./"):
            path = path[2:]
        convs = f.get("conversations")
        for conv in convs if isinstance(convs, list) else ():
            if not isinstance(conv, dict):
                continue
            kind, model = _contributor(conv.get("contributor"))
            ranges = conv.get("ranges")
            for rng in ranges if isinstance(ranges, list) else ():
                if not isinstance(rng, dict):
                    continue
                start, end = rng.get("start_line"), rng.get("end_line", rng.get("start_line"))
                if not isinstance(start, int) or not isinstance(end, int) or end < start:
                    continue
                r_kind, r_model = _contributor(rng.get("contributor"))
                verdict = _verdict(r_kind or kind, r_model or model, tool, record_id, path)
                if verdict is not None:
                    yield LineRecord(revision.lower(), path, start, end, verdict)


def parse_traces(data: bytes) -> tuple[list[LineRecord], int]:
    """The line records in a ``traces.jsonl`` file, and how many lines were unusable."""
    records: list[LineRecord] = []
    bad = 0
    for raw in data.splitlines():
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except ValueError:
            bad += 1
            continue
        if not isinstance(record, dict):
            bad += 1
            continue
        records.extend(_records(record))
    return records, bad
