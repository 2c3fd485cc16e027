"""Route patterns of every framework: parse, join prefixes, compile, rank.

A route is a list of parts, each ``(text, syntax)``: composing a Django
``path()`` prefix with an included ``re_path()`` gives parts in two syntaxes.
:func:`tokens` turns one part into literal text, parameters and wildcards
(never raising: what cannot be parsed is kept as literal text or as an
``unknown`` token that matches anything); :func:`compile_route` builds one
anchored regular expression and a specificity key from the tokens.

Syntaxes: ``werkzeug`` (``<int:id>``), ``starlette`` (``{id:int}``),
``django`` (``<int:id>``), ``regex`` (Django ``re_path``), ``express``
(``:id``, ``:id?``, ``:id(\\d+)``, ``*``), ``spring`` (``{id}``,
``{id:\\d+}``, ``*``, ``**``, ``{*rest}``), ``gohttp`` (``{id}``,
``{rest...}``, ``{$}``, a trailing ``/`` matches the subtree), ``gin``
(``:id``, ``*rest``), ``echo`` (``:id``, ``*``), ``chi`` (``{id}``,
``{id:regex}``, ``*``) and ``any`` for patterns typed by a user; for the
second wave: ``rails`` (``:id``, ``*path``, optional ``(/:id)``), ``laravel``
(``{id}``, ``{id?}``), ``aspnet`` (``{id}``, ``{id:int}``, ``{id?}``,
``{id=5}``, ``{*slug}``, ``{**slug}``), ``ktor`` (``{id}``, ``{id?}``,
``{...}``, ``{rest...}``, ``*``), ``axum`` (``:id``, ``*rest`` and, from 0.8,
``{id}``, ``{*rest}``) and ``actix`` (``{id}``, ``{id:\\d+}``, ``{tail}*``).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cached_property, lru_cache

UNKNOWN = "{?}"  # how a part of a route that cannot be known statically is shown

SEG = "[^/]+"
_UUID = "[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"

# converter name -> (regex, crosses slashes, typed)
CONVERTERS: dict[str, dict[str, tuple[str, bool, bool]]] = {
    "werkzeug": {"default": (SEG, False, False), "string": (SEG, False, False),
                 "int": (r"\d+", False, True), "float": (r"\d+\.\d+", False, True),
                 "path": ("[^/].*?", True, False), "uuid": (_UUID, False, True)},
    "starlette": {"str": (SEG, False, False), "int": ("[0-9]+", False, True),
                  "float": (r"[0-9]+(?:\.[0-9]+)?", False, True), "path": (".*", True, False),
                  "uuid": (_UUID, False, True)},
    "django": {"str": (SEG, False, False), "int": ("[0-9]+", False, True),
               "slug": ("[-a-zA-Z0-9_]+", False, True), "uuid": (_UUID, False, True),
               "path": (".+", True, False)},
}


@dataclass(frozen=True)
class Token:
    kind: str  # "lit", "param", "wild" (crosses slashes), "unknown", "end" ({$})
    text: str  # literal text, or the parameter's name
    regex: str = ""
    typed: bool = False
    optional: bool = False


def _lit(text: str) -> Token:
    return Token("lit", text, re.escape(text))


def _param(name: str, regex: str = SEG, typed: bool = False, wild: bool = False,
           optional: bool = False) -> Token:
    if not _valid(regex):
        regex, typed = (".*" if wild else SEG), False
    return Token("wild" if wild else "param", name, regex, typed, optional)


def _compile(regex: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile`` without the FutureWarnings a repository's odd regex may raise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return re.compile(regex, flags)


@lru_cache(maxsize=4096)
def _valid(regex: str) -> bool:
    try:
        _compile(regex)
    except (re.error, RecursionError, OverflowError, ValueError):
        return False
    return True


_WERKZEUG = re.compile(r"<(?:(?P<conv>[A-Za-z_]\w*)(?:\((?P<args>[^)]*)\))?:)?(?P<name>[A-Za-z_]\w*)>")
_DJANGO = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_BRACE = re.compile(r"\{(?P<name>[A-Za-z_]\w*)(?::(?P<conv>[^{}]*(?:\{[^{}]*\}[^{}]*)*))?\}")
_EXPRESS = re.compile(
    r":(?P<name>[A-Za-z_$][\w$]*)(?:\((?P<re>(?:\\.|[^\\()])+)\))?(?P<opt>\?)?|(?P<star>\*)(?P<sname>\w+)?")
_SPRING = re.compile(r"\{\*(?P<rest>\w+)\}|\{(?P<name>\w+)(?::(?P<re>(?:[^{}]|\{[^{}]*\})*))?\}"
                     r"|(?P<dstar>\*\*)|(?P<star>\*)|(?P<q>\?)")
_GOHTTP = re.compile(r"\{(?P<name>[A-Za-z_]\w*)?(?P<rest>\.\.\.)?(?P<end>\$)?\}")
_COLON_STAR = re.compile(r":(?P<name>[A-Za-z_]\w*)|\*(?P<sname>\w*)")
_CHI = re.compile(r"\{(?P<name>[A-Za-z_]\w*)(?::(?P<re>(?:[^{}]|\{[^{}]*\})*))?\}|(?P<star>\*)")
_ANY = re.compile(
    r"<(?:(?P<aconv>[^>:]+):)?(?P<aname>[^>]+)>|\{(?P<bname>[^{}:]*)(?::[^{}]*)?\}"
    r"|(?<=/):(?P<cname>[A-Za-z_]\w*)(?:\([^)]*\))?\??|(?P<star>\*\*?)(?P<sname>\w*)")


def _scan(text: str, rx: re.Pattern[str], make) -> list[Token]:
    out: list[Token] = []
    pos = 0
    for m in rx.finditer(text):
        if m.start() > pos:
            out.append(_lit(text[pos:m.start()]))
        out.extend(make(m))
        pos = m.end()
    if pos < len(text):
        out.append(_lit(text[pos:]))
    return out


def _werkzeug(m: re.Match[str]) -> list[Token]:
    conv = m.group("conv") or "default"
    if conv == "any":
        options = [o.strip().strip("'\"") for o in (m.group("args") or "").split(",") if o.strip()]
        regex = "(?:" + "|".join(re.escape(o) for o in options) + ")" if options else SEG
        return [_param(m.group("name"), regex, typed=True)]
    regex, wild, typed = CONVERTERS["werkzeug"].get(conv, (SEG, False, False))
    return [_param(m.group("name"), regex, typed, wild)]


def _django(m: re.Match[str]) -> list[Token]:
    regex, wild, typed = CONVERTERS["django"].get(m.group("conv") or "str", (SEG, False, False))
    return [_param(m.group("name"), regex, typed, wild)]


def _starlette(m: re.Match[str]) -> list[Token]:
    regex, wild, typed = CONVERTERS["starlette"].get(m.group("conv") or "str", (SEG, False, False))
    return [_param(m.group("name"), regex, typed, wild)]


def _express(m: re.Match[str]) -> list[Token]:
    if m.group("star"):
        return [_param(m.group("sname") or "*", ".*", wild=True)]
    regex = m.group("re")
    return [_param(m.group("name"), regex or "[^/]+?", typed=bool(regex),
                   optional=bool(m.group("opt")))]


def _spring(m: re.Match[str]) -> list[Token]:
    if m.group("rest"):
        return [_param(m.group("rest"), ".*", wild=True)]
    if m.group("name"):
        regex = m.group("re")
        return [_param(m.group("name"), regex or SEG, typed=bool(regex))]
    if m.group("dstar"):
        return [_param("**", ".*", wild=True)]
    if m.group("star"):
        return [_param("*", "[^/]*")]
    return [_param("?", "[^/]")]


def _gohttp(m: re.Match[str]) -> list[Token]:
    if m.group("end"):
        return [Token("end", "$")]
    if m.group("rest"):
        return [_param(m.group("name") or "rest", ".*", wild=True)]
    return [_param(m.group("name") or "_", SEG)]


def _colon_star(m: re.Match[str]) -> list[Token]:
    if m.group("name"):
        return [_param(m.group("name"), SEG)]
    return [_param(m.group("sname") or "*", ".*", wild=True)]


def _chi(m: re.Match[str]) -> list[Token]:
    if m.group("star"):
        return [_param("*", ".*", wild=True)]
    regex = m.group("re")
    return [_param(m.group("name"), regex or SEG, typed=bool(regex))]


def _any(m: re.Match[str]) -> list[Token]:
    if m.group("aname") is not None:
        conv = m.group("aconv") or ""
        return [_param(m.group("aname"), ".+" if conv == "path" else SEG, typed=conv in (
            "int", "float", "uuid", "slug"), wild=conv == "path")]
    if m.group("bname") is not None:
        return [_param(m.group("bname") or "_", SEG)]
    if m.group("cname"):
        return [_param(m.group("cname"), SEG)]
    return [_param(m.group("sname") or "*", ".*", wild=True)]


_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")


_SPECIAL = re.compile(r"[\[\](){}*+?|^$.]")
_QUANT = re.compile(r"(?:[*+?]|\{\d*,?\d*\})\??")


def _group_end(body: str, start: int) -> int:
    """The index after the group opening at ``start`` (and its quantifier), or -1."""
    depth = 0
    i = start
    in_class = False
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                q = _QUANT.match(body, i + 1)
                return q.end() if q else i + 1
        i += 1
    return -1


def _regex_run(run: str) -> Token:
    literal = re.sub(r"\\(.)", r"\1", run)
    if not _SPECIAL.search(re.sub(r"\\.", "", run)):
        return _lit(literal)
    return Token("param", "re", run, typed=True)


def _regex(text: str) -> list[Token]:
    """A Django ``re_path`` regex: literal runs, one parameter per group."""
    body = text[1:] if text.startswith("^") else text
    end = False
    for anchor in ("\\Z", "$"):
        if body.endswith(anchor) and not body.endswith("\\" + anchor):
            body, end = body[: -len(anchor)], True
            break
    if not _valid(body):
        return [Token("unknown", UNKNOWN, ".*")]
    out: list[Token] = []
    run_start = 0
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(" or ch == "[":
            stop = _group_end(body, i) if ch == "(" else -1
            if ch == "[" or stop == -1 or "|" in body[run_start:i]:
                return _whole(body, end)
            if i > run_start:
                out.append(_regex_run(body[run_start:i]))
            group = body[i:stop]
            names = _NAMED_GROUP.findall(group)
            out.append(Token("param", ",".join(names) if names else "re", group, typed=True))
            i = run_start = stop
            continue
        i += 1
    if run_start < len(body):
        if "|" in body[run_start:]:
            return _whole(body, end)
        out.append(_regex_run(body[run_start:]))
    if end:
        out.append(Token("end", "$"))
    return out


def _whole(body: str, end: bool) -> list[Token]:
    names = _NAMED_GROUP.findall(body)
    out = [Token("param", ",".join(names) if names else "re", body, typed=True)]
    if end:
        out.append(Token("end", "$"))
    return out


_RAILS = re.compile(r"\((?P<group>[^()]*)\)|:(?P<name>[A-Za-z_]\w*)|\*(?P<glob>[A-Za-z_]\w*)")
_RAILS_SEG = "[^/.?]+"  # a Rails segment stops at "." (the format) and "?"
_LARAVEL = re.compile(r"\{(?P<name>\w+)(?P<opt>\?)?\}")
_ASPNET = re.compile(r"\{(?P<star>\*{1,2})?(?P<name>\w+)(?P<cons>(?::\w+(?:\([^)]*\))?)*)"
                     r"(?P<default>=[^{}?]*)?(?P<opt>\?)?\}")
_ASPNET_TYPES = {"int": ("-?[0-9]+", True), "long": ("-?[0-9]+", True), "guid": (_UUID, True),
                 "bool": ("(?i:true|false)", True), "alpha": ("[A-Za-z]+", True),
                 "decimal": (r"-?[0-9]+(?:\.[0-9]+)?", True), "double": (r"-?[0-9.eE+-]+", True),
                 "float": (r"-?[0-9.eE+-]+", True), "datetime": ("[^/]+", False)}
_KTOR = re.compile(r"\{(?P<name>\w*)(?P<tail>\.\.\.)?(?P<opt>\?)?\}|(?P<star>\*)")
_AXUM = re.compile(r"\{\*(?P<bw>\w+)\}|\{(?P<bn>\w+)\}|:(?P<cn>\w+)|\*(?P<sn>\w+)")
_ACTIX = re.compile(r"\{(?P<name>\w+)(?::(?P<re>(?:[^{}]|\{[^{}]*\})*))?\}(?P<tail>\*)?")


def _rails(m: re.Match[str]) -> list[Token]:
    if m.group("name"):
        return [_param(m.group("name"), _RAILS_SEG)]
    if m.group("glob"):
        return [_param(m.group("glob"), ".+", wild=True)]
    inner = m.group("group")  # photos(/:id): an optional segment
    single = re.fullmatch(r"(/?):([A-Za-z_]\w*)", inner)
    if single:
        head = [_lit("/")] if single.group(1) else []
        return [*head, _param(single.group(2), _RAILS_SEG, optional=True)]
    regex = "".join(t.regex if t.kind != "lit" else re.escape(t.text)
                    for t in _scan(inner, _RAILS, _rails))
    return [Token("param", "", f"(?:{regex})?")]  # (.:format): optional, unnamed


def _laravel(m: re.Match[str]) -> list[Token]:
    return [_param(m.group("name"), SEG, optional=bool(m.group("opt")))]


def _aspnet(m: re.Match[str]) -> list[Token]:
    name = m.group("name")
    if m.group("star"):
        return [_param(name, ".*", wild=True)]
    optional = bool(m.group("opt") or m.group("default"))
    regex, typed = SEG, False
    for cons in re.findall(r":(\w+(?:\([^)]*\))?)", m.group("cons") or ""):
        if cons.startswith("regex(") and cons.endswith(")"):
            regex, typed = cons[6:-1].strip("^$"), True
        elif cons.split("(")[0].lower() in _ASPNET_TYPES:
            regex, typed = _ASPNET_TYPES[cons.split("(")[0].lower()]
    return [_param(name, regex, typed=typed and not optional, optional=optional)]


def _ktor(m: re.Match[str]) -> list[Token]:
    if m.group("star"):
        return [_param("*", SEG)]
    if m.group("tail"):
        return [_param(m.group("name") or "...", ".*", wild=True)]
    return [_param(m.group("name") or "_", SEG, optional=bool(m.group("opt")))]


def _axum(m: re.Match[str]) -> list[Token]:
    wild = m.group("bw") or m.group("sn")
    if wild:
        return [_param(wild, ".*", wild=True)]
    return [_param(m.group("bn") or m.group("cn"), SEG)]


def _actix(m: re.Match[str]) -> list[Token]:
    if m.group("tail"):
        return [_param(m.group("name"), ".*", wild=True)]
    regex = m.group("re")
    return [_param(m.group("name"), regex or SEG, typed=bool(regex), wild=bool(
        regex and "/" not in regex and (".*" in regex or ".+" in regex)))]


_SCANNERS = {
    "rails": (_RAILS, _rails), "laravel": (_LARAVEL, _laravel), "aspnet": (_ASPNET, _aspnet),
    "ktor": (_KTOR, _ktor), "axum": (_AXUM, _axum), "actix": (_ACTIX, _actix),
    "werkzeug": (_WERKZEUG, _werkzeug), "django": (_DJANGO, _django),
    "starlette": (_BRACE, _starlette), "express": (_EXPRESS, _express),
    "spring": (_SPRING, _spring), "gohttp": (_GOHTTP, _gohttp), "gin": (_COLON_STAR, _colon_star),
    "echo": (_COLON_STAR, _colon_star), "chi": (_CHI, _chi), "any": (_ANY, _any),
}


@lru_cache(maxsize=8192)
def tokens(text: str, syntax: str) -> tuple[Token, ...]:
    """The tokens of one route part in ``syntax``; never raises."""
    if text is None:
        return (Token("unknown", UNKNOWN, ".*"),)
    if syntax == "regex":
        return tuple(_regex(text))
    scanner = _SCANNERS.get(syntax, _SCANNERS["any"])
    out: list[Token] = []
    for i, piece in enumerate(text.split(UNKNOWN)):
        if i:
            out.append(Token("unknown", UNKNOWN, ".*"))
        if piece:
            out.extend(_scan(piece, scanner[0], scanner[1]))
    return tuple(out)


def has_parameters(text: str) -> bool:
    """Does ``text`` (a path a user typed) use route-parameter syntax?"""
    return any(t.kind != "lit" for t in tokens(text, "any"))


@dataclass(frozen=True)
class Compiled:
    body: str  # the regular expression, unanchored (compiled on first use: :attr:`regex`)
    params: tuple[str, ...]
    specificity: tuple[int, ...]
    shape: str  # parameters normalised: "/users/{}/{*}"
    subtree: bool  # a Go pattern ending in "/": matches everything below
    prefix: str  # the literal text every matching path starts with

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The anchored pattern; compiled only when a request is matched (listing routes
        needs the shape and prefix alone)."""
        try:
            return _compile(f"^(?:{self.body})$", re.DOTALL)
        except (re.error, RecursionError, OverflowError, ValueError):
            return re.compile("(?!)")


def _group_name(name: str, used: set[str]) -> str | None:
    if not re.fullmatch(r"[A-Za-z_]\w*", name) or name in used:
        return None
    used.add(name)
    return name


@lru_cache(maxsize=16384)
def compile_route(parts: tuple[tuple[str, str], ...]) -> Compiled:
    """One anchored regex for a route made of ``(text, syntax)`` parts."""
    toks: list[Token] = []
    for text, syntax in parts:
        toks.extend(tokens(text, syntax))
    pieces: list[str] = []
    shape: list[str] = []
    params: list[str] = []
    used: set[str] = set()
    typed = plain = wild = unknown = 0
    static_chars = 0
    end = False
    prefix: list[str] = []
    literal_head = True
    for t in toks:
        if t.kind != "lit" and t.kind != "end":
            literal_head = False
        if t.kind == "lit":
            if literal_head:
                prefix.append(t.text)
            pieces.append(t.regex)
            shape.append(t.text)
            static_chars += len(t.text)
        elif t.kind == "end":
            end = True
        elif t.kind == "unknown":
            pieces.append("(?:.*)")
            shape.append(UNKNOWN)
            unknown += 1
        else:
            inner = f"(?:{t.regex})"
            if "(?P<" in t.regex:  # a Django regex keeps its own named groups
                inner = f"(?:{_dedupe_groups(t.regex, used)})"
                params.extend(_NAMED_GROUP.findall(t.regex))
            elif "," not in t.text and (group := _group_name(t.text, used)):
                inner = f"(?P<{group}>{t.regex})"
                params.append(group)
            if t.optional and t.kind == "param" and pieces and pieces[-1].endswith("/") \
                    and not t.typed:
                pieces[-1] = pieces[-1][:-1]
                inner = f"(?:/{inner})?"
            pieces.append(inner)
            shape.append("{*}" if t.kind == "wild" else "{}")
            if t.kind == "wild":
                wild += 1
            elif t.typed:
                typed += 1
            else:
                plain += 1
    last = parts[-1][0] if parts else ""
    subtree = (bool(parts) and parts[-1][1] == "gohttp" and last.endswith("/") and not end)
    body = "".join(pieces)
    if subtree:
        body += ".*"
    shape_text = "".join(shape)
    static_segments = sum(1 for seg in shape_text.split("/") if seg and "{" not in seg)
    spec = (-unknown, static_segments, -wild, typed, static_chars, plain)
    return Compiled(body, tuple(params), spec, shape_text, subtree, "".join(prefix))


def _dedupe_groups(regex: str, used: set[str]) -> str:
    def repl(m: re.Match[str]) -> str:
        name = m.group("name")
        if name in used:
            return "(?:"
        used.add(name)
        return m.group(0)

    return _NAMED_GROUP.sub(repl, regex)


def display(parts: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
    """A route as people read it: its parts' texts joined, with Django ``re_path``
    regexes shown like ``manage.py show_urls`` shows them (``^`` and ``$`` dropped, a
    named group ``(?P<year>[0-9]{4})`` as ``<year>``, ``\\.`` as ``.``, an optional
    group ``(?:...)?`` as ``(...)?``). Only for showing: matching reads the parts."""
    return "".join(_display_regex(text) if syntax == "regex" else text
                   for text, syntax in parts) or "/"


def _display_regex(text: str) -> str:
    body = text[1:] if text.startswith("^") else text
    for anchor in ("\\Z", "$"):
        if body.endswith(anchor) and not body.endswith("\\" + anchor):
            body = body[: -len(anchor)]
            break
    out: list[str] = []
    i = 0
    while i < len(body):
        if body.startswith("(?P<", i):
            close = body.find(">", i)
            stop = _group_end(body, i)
            if close != -1 and stop != -1:
                q = body[stop - 1] if body[stop - 1] in "?*+" and body[stop - 2] == ")" else ""
                out.append(f"<{body[i + 4:close]}>{q}")
                i = stop
                continue
        if body.startswith("(?:", i):
            out.append("(")
            i += 3
            continue
        if body[i] == "\\" and i + 1 < len(body) and not body[i + 1].isalnum():
            out.append(body[i + 1])
            i += 2
            continue
        out.append(body[i])
        i += 1
    return "".join(out)
