"""What the index stores about a file's routes: its role and, for an anchor, its route facts.

Routes are part of the index: the index workers already hold every file's
bytes and parsed tree, so they decide each file's role
(:mod:`codemap.endpoints.anchors`) and extract an anchor's route facts
(:mod:`codemap.endpoints.facts`) from the tree they parsed for symbols; a
first ``codemap endpoints`` then reads or parses nothing but the few
references a declaration leads to. This module is the one door from the
index into the endpoint code (per-file and independent of every other
file, like the tags extraction); composing routes across files stays in
:mod:`codemap.endpoints.compose`.

:func:`fingerprint` is part of a language's fingerprint in the index: when the
code or tables that shape roles and facts change, that language's files are
parsed again, like after a changed query.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

# the modules whose code or tables decide roles and facts (not how files are composed)
_SHAPING = ("indexing.py", "anchors.py", "facts.py", "syntax.py", "grammars.py",
            "frameworks.py", "secondwave.py", "rules.py")
_HERE = Path(__file__).parent


@cache
def _shaping_code() -> str:
    digest = hashlib.sha1()
    for name in _SHAPING:
        digest.update((_HERE / name).read_bytes())
    return digest.hexdigest()


@cache
def fingerprint(language: str) -> str:
    """A hash of what decides the route facts of ``language``'s files ("" without a
    ``routes.scm``: nothing is extracted; the query itself is in the language's own
    fingerprint). Reads files only, imports nothing."""
    from codemap.lang.registry import BY_NAME

    spec = BY_NAME.get(language)
    if spec is None or not (spec.query_dir / "routes.scm").is_file():
        return ""
    return hashlib.sha1(f"{language}:{_shaping_code()}".encode()).hexdigest()[:12]


def prepare_workers(language: str) -> None:
    """Load what :func:`file_routes` needs for ``language`` (the ``routes.scm`` query, the
    tables and the anchor words) before the index forks its workers, which inherit it."""
    from codemap.endpoints.anchors import anchor_words
    from codemap.endpoints.facts import has_routes_query

    if fingerprint(language) and has_routes_query(language):
        anchor_words(language)


def file_routes(data: bytes, language: str, tree: Any) -> tuple[str, str | None] | None:
    """``(role, facts JSON)`` of a parsed file for the index; None for a file of no role
    (a language without ``routes.scm``, or no marker where anchors are not told apart).

    ``tree`` is the file's tree-sitter tree, parsed once for symbols and routes. A
    reference's facts are None (read later, if a declaration leads to it); so are an
    anchor's when they cannot be extracted (nesting too deep).
    """
    if not fingerprint(language):  # no routes.scm (the query is compiled for anchors only)
        return None
    from codemap.endpoints.anchors import ANCHOR, NONE, file_role

    role = file_role(data, language)
    if role == NONE:
        return None
    if role != ANCHOR:
        return role, None
    from codemap.endpoints.facts import extract_routes

    try:
        facts = extract_routes(data, language, tree)
    except RecursionError:
        return role, None
    return role, json.dumps(facts, separators=(",", ":")) if facts else None


def load_facts(text: str | None) -> dict[str, Any] | None:
    """An anchor's facts as :func:`file_routes` stored them (None: none, or unreadable)."""
    if not text:
        return None
    try:
        facts = json.loads(text)
    except ValueError:
        return None
    return facts if isinstance(facts, dict) and facts else None
