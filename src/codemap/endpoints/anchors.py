"""Which files can declare routes on their own (anchors), decided on the bytes, from the tables.

The index workers decide each file's role (:mod:`codemap.endpoints.indexing`).

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
decorator-only verb written as a decorator (``@require_POST``; a route
decorator on a router, called, its path no dotted name: ``@app.get("/x")``,
not ``@mock.patch("pkg.attr")``), a URL-list name (``urlpatterns``) or a
root-URL setting assigned at module level. Every other file is a
*reference*: parsed only when a name in an anchor leads to it (an imported
router, a view class, a helper function handed a router) and it holds a
marker, and never scanned for declarations of its own.

:data:`ANCHOR_SYNTAX` says, per language, how a decorator starts and how a
literal path argument starts; only there do decorator-only verbs and module
names stop anchoring a file. Where a language spells path literals, a verb
whose every declaring rule takes the path as its first argument (Express
``router.get('/x', h)``, Koa ``router.prefix('/v1')``) anchors a file only
when called with one: ``cache.get(key)`` does not, so a vendored bundle full
of ``.get(`` calls (MathJax) is not parsed for routes. Where every such
framework's paths start at the root (``Framework.rooted_paths``: Express, Koa,
Fastify), the literal must too (``'/x'``, ``'*'``, a regex, an array of those,
a template starting with either or with a substitution): a vendored
``options.get('multiple')`` (select2 in Django's admin) or
``Promise.all([a, b])`` does not anchor. A rule that
can be called without a path (``app.use(router)``), or takes it by keyword,
keeps the plain call shape. Languages not in the table keep every marker file
an anchor.

Known limit of the path shape: a route whose path is a variable
(``router.get(PATHS.home, h)``), or a Koa named route
(``router.get('user', '/users/:id', h)``), anchors its file only through
another word (``express()``, ``Router()``, a decorator, a literal-path route).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from codemap.endpoints.frameworks import frameworks_for, markers_for
from codemap.endpoints.rules import Rule

NONE, ANCHOR, REFERENCE = "none", "anchor", "ref"

# rule kinds that only ever match a decorator / annotation, never a plain call
DECORATOR_KINDS = frozenset({"decorator", "member", "controller", "methods", "function"})
# decorator kinds declaring on a router object, called with the path first: `@app.get("/x")`
# (never `@get(...)` nor uncalled; and a path is no dotted name: `@mock.patch("pkg.attr")`,
# `@mock.patch.object(...)`, `@patch("x.y")` are not routes)
ROUTER_DECORATOR_KINDS = frozenset({"decorator"})
# rule kinds that declare nothing where they stand: a URL-list entry (`path("x/", view)`)
# counts only inside a list, which anchors its file by its name (`urlpatterns`) or by
# the app call holding it (`Starlette(routes=[...])`), or is reached from one
LISTED_KINDS = frozenset({"entry"})


@dataclass(frozen=True)
class AnchorSyntax:
    """How a language spells what anchoring looks for."""

    sigil: bytes  # what a decorator / annotation starts with (`@app.get("/")`, `@GetMapping`)
    paths: bytes = b""  # the bytes a literal path argument can start with ("" : not told apart)
    type_args: bool = False  # a call may carry type arguments: `fastify.get<Reply>('/x', h)`
    string: bytes = b""  # a string literal's opening: its prefix letters, then its quotes
    rooted: bytes = b""  # a pattern: a literal path that starts at the root ('/x', '*',
    #                      a regex, an array of such, a template starting with either or
    #                      with a substitution), for frameworks with ``rooted_paths``


# one literal that starts at the root: a string or template opening with / or *, a template
# opening with a substitution (`${base}/x`), a regex literal (not a comment)
_JS_ROOTED = rb"""(?:['"`][/*]|`\$\{|/(?![/*]))"""
_JS = AnchorSyntax(b"@", b"'\"`/[", type_args=True,  # strings, templates, regexes, arrays
                   rooted=rb"(?:" + _JS_ROOTED + rb"|\[\s*" + _JS_ROOTED + rb")")
ANCHOR_SYNTAX: dict[str, AnchorSyntax] = {
    "python": AnchorSyntax(b"@", string=rb"[rRuUbB]{0,2}(['\"])"),
    "javascript": _JS, "typescript": _JS, "tsx": _JS,
    "java": AnchorSyntax(b"@"),  # Spring: annotations only
}

_NAME = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_CALL_TAIL = re.compile(rb"\s*\(")

CALL, DECORATOR, NAME, SETTING, PATH = "call", "decorator", "name", "setting", "path"
ROOTED = "rooted"  # a PATH whose literal starts at the root (`app.get('/x'`)
ROUTER_DECORATOR = "router-decorator"
_ASSIGN_TAIL = re.compile(rb"[ \t]*=(?!=)")
# `verb<T>(`: type arguments, one level of nesting
_TYPE_ARGS = rb"(?:<[^()<>]{0,200}(?:<[^()<>]{0,200}>[^()<>]{0,200})*>\s*)?"


def _path_first(rule: Rule) -> bool:
    """Does every call of ``rule`` give its path as a literal first argument?"""
    path = rule.path
    return (path is not None and path.pos == 0 and path.kw is None and not rule.rest
            and not rule.optional_path and rule.path_text is None)


@cache
def anchor_words(language: str) -> tuple[tuple[bytes, str], ...] | None:
    """The words that make a marker file of ``language`` an anchor, each with the shape it
    must have (:data:`CALL` ``verb(``, :data:`PATH` ``verb('/x'``, :data:`DECORATOR`
    ``@x.verb``, :data:`NAME` a whole word); None: every marker file is an anchor."""
    syntax = ANCHOR_SYNTAX.get(language)
    if syntax is None:
        return None
    frameworks = frameworks_for(language)
    decorator_only: set[str] = set()
    bare: set[str] = set()  # decorator verbs some rule reads without a router object
    called: set[str] = set()
    plain: set[str] = set()  # called verbs some rule lets go without a literal first path
    unrooted: set[str] = set()  # called verbs of a framework whose paths may not start at /
    for fw in frameworks:
        for rule in fw.rules:
            if rule.kind in LISTED_KINDS:
                continue
            for verb in rule.verbs:
                if rule.kind in DECORATOR_KINDS:
                    decorator_only.add(verb)
                    if rule.kind not in ROUTER_DECORATOR_KINDS:
                        bare.add(verb)
                    continue
                called.add(verb)
                if not syntax.paths or rule.kind == "app" or not _path_first(rule):
                    plain.add(verb)
                if not (fw.rooted_paths and syntax.rooted):
                    unrooted.add(verb)
    decorator_only -= called
    names = {n for fw in frameworks for n in (*fw.lists, *fw.globals, *fw.facades) if n}
    settings = {fw.root_setting for fw in frameworks if fw.root_setting}
    return tuple([(v.encode(), CALL if v in plain else PATH if v in unrooted else ROOTED)
                  for v in sorted(called)]
                 + [(v.encode(), DECORATOR if v in bare else ROUTER_DECORATOR)
                    for v in sorted(decorator_only)]
                 + [(n.encode(), NAME) for n in sorted(names)]
                 + [(n.encode(), SETTING) for n in sorted(settings)])


@cache
def _path_tail(language: str) -> re.Pattern[bytes]:
    """What follows a :data:`PATH` word: ``(`` and the start of a literal path."""
    syntax = ANCHOR_SYNTAX[language]
    return re.compile(rb"\s*" + (_TYPE_ARGS if syntax.type_args else b"") + rb"\(\s*["
                      + re.escape(syntax.paths) + rb"]")


@cache
def _rooted_tail(language: str) -> re.Pattern[bytes]:
    """What follows a :data:`ROOTED` word: ``(`` and a literal path starting at the root."""
    syntax = ANCHOR_SYNTAX[language]
    return re.compile(rb"\s*" + (_TYPE_ARGS if syntax.type_args else b"") + rb"\(\s*"
                      + syntax.rooted)


@cache
def _decorators(language: str) -> re.Pattern[bytes] | None:
    """One pattern for every decorator-shaped word: it starts with the sigil, so the
    regex engine skips to each sigil instead of trying every word at every byte. A
    :data:`DECORATOR` word may stand alone (``@require_POST``); a :data:`ROUTER_DECORATOR`
    word sits on an object and is called (``@app.get(``)."""
    words = anchor_words(language) or ()
    alone = [re.escape(w) for w, shape in words if shape == DECORATOR]
    on_router = [re.escape(w) for w, shape in words if shape == ROUTER_DECORATOR]
    if not alone and not on_router:
        return None
    sigil = re.escape(ANCHOR_SYNTAX[language].sigil) + rb"[ \t]*"
    forms = []
    if alone:
        forms.append(rb"(?:[A-Za-z_][\w.]*\.)?(?:" + b"|".join(alone) + rb")(?![A-Za-z0-9_])")
    if on_router:
        syntax = ANCHOR_SYNTAX[language]
        dotted = (rb"(?!\s*" + syntax.string + rb"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\1)"
                  if syntax.string else b"")
        forms.append(rb"[A-Za-z_][\w.]*\.(?:" + b"|".join(on_router) + rb")\s*\(" + dotted)
    return re.compile(sigil + rb"(?:" + b"|".join(forms) + rb")")


def _shaped(data: bytes, at: int, word: bytes, shape: str, language: str) -> bool:
    if at > 0 and data[at - 1] in _NAME:
        return False
    end = at + len(word)
    if shape == CALL:
        return _CALL_TAIL.match(data, end) is not None
    if shape == PATH:
        return _path_tail(language).match(data, end) is not None
    if shape == ROOTED:
        return _rooted_tail(language).match(data, end) is not None
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
        if shape == DECORATOR or shape == ROUTER_DECORATOR:
            continue
        at = data.find(word)
        while at != -1:
            if _shaped(data, at, word, shape, language):
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
