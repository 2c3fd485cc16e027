"""Which files can declare routes on their own (anchors), decided on the bytes, from the tables.

Route extraction parses every file holding one of its language's markers
(:func:`codemap.endpoints.frameworks.markers_for`). In Python the markers
include ``.get(`` and the frameworks' module names, so in a Django or a
data-science code base most files qualify although few declare anything:
on a 15,000-file monorepo of Django, SymPy, pandas, SciPy, NumPy and
Matplotlib, 3,600 files were parsed and composed to find 867 routes
declared in about 100 of them.

An *anchor* holds a marker that only a declaration can explain: a call of a
verb some framework rule reads as a call (``add_url_rule(``, ``Blueprint(``;
not a URL-list entry such as ``path(``, which counts only inside a list), a
decorator-only verb written as a decorator
(``@app.get(``, ``@require_POST``), a URL-list name (``urlpatterns``) or a
root-URL setting assigned at module level. Every other file is a
*reference*: parsed only when a name in an anchor leads to it (an imported
router, a view class, a helper function handed a router) and it holds a
marker, and never scanned for declarations of its own.

:data:`DECORATOR_SIGILS` says, per language, how a decorator starts; only
there do decorator-only verbs and module names stop anchoring a file.
Languages not in the table keep every marker file an anchor.
"""

from __future__ import annotations

import re
from functools import cache

from codemap.endpoints.frameworks import frameworks_for, markers_for

NONE, ANCHOR, REFERENCE = "none", "anchor", "ref"

# rule kinds that only ever match a decorator / annotation, never a plain call
DECORATOR_KINDS = frozenset({"decorator", "member", "controller", "methods", "function"})
# rule kinds that declare nothing where they stand: a URL-list entry (`path("x/", view)`)
# counts only inside a list, which anchors its file by its name (`urlpatterns`) or by
# the app call holding it (`Starlette(routes=[...])`), or is reached from one
LISTED_KINDS = frozenset({"entry"})

# language -> the bytes a decorator starts with (`@app.get("/")`, `@require_POST`)
DECORATOR_SIGILS: dict[str, bytes] = {"python": b"@"}

_NAME = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_CALL_TAIL = re.compile(rb"\s*\(")

CALL, DECORATOR, NAME, SETTING = "call", "decorator", "name", "setting"
_ASSIGN_TAIL = re.compile(rb"[ \t]*=(?!=)")


@cache
def anchor_words(language: str) -> tuple[tuple[bytes, str], ...] | None:
    """The words that make a marker file of ``language`` an anchor, each with the shape it
    must have (:data:`CALL` ``verb(``, :data:`DECORATOR` ``@x.verb``, :data:`NAME` a whole
    word); None: every marker file is an anchor."""
    if language not in DECORATOR_SIGILS:
        return None
    frameworks = frameworks_for(language)
    decorator_only: set[str] = set()
    called: set[str] = set()
    for fw in frameworks:
        for rule in fw.rules:
            if rule.kind in LISTED_KINDS:
                continue
            for verb in rule.verbs:
                (decorator_only if rule.kind in DECORATOR_KINDS else called).add(verb)
    decorator_only -= called
    names = {n for fw in frameworks for n in (*fw.lists, *fw.globals, *fw.facades) if n}
    settings = {fw.root_setting for fw in frameworks if fw.root_setting}
    return tuple([(v.encode(), CALL) for v in sorted(called)]
                 + [(v.encode(), DECORATOR) for v in sorted(decorator_only)]
                 + [(n.encode(), NAME) for n in sorted(names)]
                 + [(n.encode(), SETTING) for n in sorted(settings)])


@cache
def _decorators(language: str) -> re.Pattern[bytes] | None:
    """One pattern for every decorator-shaped word: it starts with the sigil, so the
    regex engine skips to each sigil instead of trying every word at every byte."""
    words = [w for w, shape in anchor_words(language) or () if shape == DECORATOR]
    if not words:
        return None
    return re.compile(re.escape(DECORATOR_SIGILS[language]) + rb"[ \t]*(?:[A-Za-z_][\w.]*\.)?(?:"
                      + b"|".join(re.escape(w) for w in words) + rb")(?![A-Za-z0-9_])")


def _shaped(data: bytes, at: int, word: bytes, shape: str) -> bool:
    if at > 0 and data[at - 1] in _NAME:
        return False
    end = at + len(word)
    if shape == CALL:
        return _CALL_TAIL.match(data, end) is not None
    if shape == SETTING:  # a module-level assignment: `ROOT_URLCONF = "site.urls"`
        return (at == 0 or data[at - 1] in b"\r\n") and _ASSIGN_TAIL.match(data, end) is not None
    return end >= len(data) or data[end] not in _NAME


def is_anchor(data: bytes, language: str) -> bool:
    """Does a file of ``language`` hold a word in an anchoring shape?"""
    words = anchor_words(language)
    if words is None:
        return True
    decorators = _decorators(language)
    if decorators is not None and decorators.search(data):
        return True
    for word, shape in words:
        if shape == DECORATOR:
            continue
        at = data.find(word)
        while at != -1:
            if _shaped(data, at, word, shape):
                return True
            at = data.find(word, at + 1)
    return False


def file_role(data: bytes, language: str) -> str:
    """:data:`ANCHOR`, :data:`REFERENCE` or :data:`NONE` (no marker) for a file's bytes.

    Where anchors are told apart, a file that is not one is a reference without
    looking for markers at all (the slower test, on every file): whether it has
    any is decided when it is read, if ever (:func:`codemap.endpoints.facts.extract_file`).
    """
    if anchor_words(language) is None:
        return ANCHOR if any(m in data for m in markers_for(language)) else NONE
    if is_anchor(data, language) and any(m in data for m in markers_for(language)):
        return ANCHOR
    return REFERENCE
