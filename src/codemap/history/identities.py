"""The table of AI coding assistants, and matching commit identities against it.

The table is data (``codemap/data/ai_identities.toml``) that users extend
from their config file (``[ai] identities``). This module compiles it once
and answers "which AI tool, if any, does this name / e-mail / trailer /
message line belong to?". Deciding what a whole commit says is
:mod:`codemap.history.provenance`'s job.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from codemap.errors import InputError

DATA_FILE = "ai_identities.toml"


@dataclass(frozen=True)
class Identity:
    """One AI tool's identities, compiled."""

    tool: str
    emails: frozenset[str]
    names: frozenset[str]
    email_patterns: tuple[re.Pattern[str], ...]
    name_patterns: tuple[re.Pattern[str], ...]
    coauthor_patterns: tuple[re.Pattern[str], ...]
    message_patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class IdentityTable:
    """Every known AI identity; ``key`` changes whenever the table does."""

    identities: tuple[Identity, ...]
    key: str

    def by_email(self, email: str) -> str | None:
        low = email.strip().lower()
        if not low:
            return None
        for ident in self.identities:
            if low in ident.emails or any(p.search(low) for p in ident.email_patterns):
                return ident.tool
        return None

    def by_name(self, name: str) -> str | None:
        low = name.strip().lower()
        if not low:
            return None
        for ident in self.identities:
            if low in ident.names or any(p.search(name) for p in ident.name_patterns):
                return ident.tool
        return None

    def by_coauthor(self, name: str, email: str) -> str | None:
        """The tool a ``Co-authored-by: name <email>`` trailer names, if any."""
        tool = self.by_email(email)
        if tool:
            return tool
        low = name.strip().lower()
        for ident in self.identities:
            if low in ident.names or any(p.search(name.strip()) for p in ident.coauthor_patterns):
                return ident.tool
        return None

    def in_message(self, message: str) -> list[tuple[str, str]]:
        """``(tool, evidence line)`` for every message pattern found in ``message``."""
        found: list[tuple[str, str]] = []
        for ident in self.identities:
            for pattern in ident.message_patterns:
                m = pattern.search(message)
                if m:
                    found.append((ident.tool, _line_at(message, m.start())))
                    break
        return found


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:end if end >= 0 else len(text)].strip()


def _compile(patterns: Iterable[str], where: str, flags: int) -> tuple[re.Pattern[str], ...]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p, flags))
        except re.error as exc:
            raise InputError(f"{where}: bad regular expression {p!r}: {exc}") from exc
    return tuple(out)


def _entry(raw: Mapping[str, Any], where: str) -> Identity:
    def strings(key: str) -> list[str]:
        value = raw.get(key, [])
        return [value] if isinstance(value, str) else list(value)

    flags = re.IGNORECASE
    return Identity(
        tool=str(raw["tool"]),
        emails=frozenset(e.lower() for e in strings("emails")),
        names=frozenset(n.lower() for n in strings("names")),
        email_patterns=_compile(strings("email_patterns"), where, flags),
        name_patterns=_compile(strings("name_patterns"), where, flags),
        coauthor_patterns=_compile(strings("coauthor_patterns"), where, flags),
        message_patterns=_compile(strings("message_patterns"), where, flags | re.MULTILINE),
    )


@lru_cache(maxsize=1)
def _builtin_entries() -> tuple[Mapping[str, Any], ...]:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    text = resources.files("codemap").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    return tuple(tomllib.loads(text)["identity"])


@lru_cache(maxsize=8)
def _table(extra_json: str) -> IdentityTable:
    extra = json.loads(extra_json)
    entries = [_entry(e, f"codemap/data/{DATA_FILE}") for e in _builtin_entries()]
    entries[:0] = [_entry(e, "config [ai] identities") for e in extra]  # user entries first
    key = hashlib.sha1(
        (json.dumps(list(_builtin_entries()), sort_keys=True) + extra_json).encode()
    ).hexdigest()[:16]
    return IdentityTable(tuple(entries), key)


def identity_table(extra: Iterable[Mapping[str, Any]] = ()) -> IdentityTable:
    """The built-in table plus ``extra`` entries (from the config file), compiled once."""
    extra_json = json.dumps([dict(e) for e in extra], sort_keys=True, default=list)
    return _table(extra_json)
