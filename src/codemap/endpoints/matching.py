"""Match a request against the detected endpoints and rank what matches.

A concrete path is matched against each route's compiled pattern (percent-
decoded first, the raw form as a fallback); a route pattern typed by the
user matches routes of the same shape whatever the parameter syntax
(``/users/<int:id>`` = ``/users/{id}`` = ``/users/:id``). Methods must
agree (a route for any method, or ``HEAD`` served by ``GET`` where the
framework does that, matches too). A path that differs only by a trailing
slash matches where the framework accepts or redirects it. Paths of a
framework whose routing ignores case (ASP.NET Core) match whatever their case.

Ranking, best first: routes fully known before those with unknown parts
(an unknown handler does not count: it does not change which route runs),
exact trailing slash before a redirect, exact method before any-method;
then, for frameworks that pick the most specific route (Werkzeug, Go,
gin, echo, chi, Spring, Fastify) static segments beat parameters and
parameters beat wildcards; for frameworks that try routes in order
(Express, Django, FastAPI, Starlette, Koa, Nest) the first declared wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from codemap.endpoints.frameworks import ANY, BY_NAME
from codemap.endpoints.model import Request
from codemap.endpoints.patterns import compile_route

MAX_PARAM = 200


@dataclass(frozen=True)
class Hit:
    record: dict[str, Any]
    params: dict[str, str]
    exact_method: bool
    redirect: bool
    key: tuple[Any, ...]


def _parts(record: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((p[0], p[1]) for p in record["parts"])


def _method_ok(record: dict[str, Any], method: str | None) -> tuple[bool, bool]:
    """(matches, exactly)"""
    rm = record["method"]
    if method is None:
        return True, True
    if rm == method:
        return True, True
    if rm == ANY:
        return True, False
    fw = BY_NAME.get(record["framework"])
    if method == "HEAD" and rm == "GET" and fw is not None and fw.head_implies_get:
        return True, False
    return False, False


def _toggle_slash(path: str) -> str | None:
    if path.endswith("/") and len(path) > 1:
        return path[:-1]
    if not path.endswith("/"):
        return path + "/"
    return None


def _shape(shape: str) -> str:
    return shape.rstrip("/") or "/"


def match(records: list[dict[str, Any]], request: Request) -> list[Hit]:
    """Every record matching ``request``, best first."""
    decoded = unquote(request.path, errors="replace")
    candidates = [decoded] if decoded == request.path else [decoded, request.path]
    query_shape = _shape(compile_route(((request.path, "any"),)).shape) if request.pattern else ""
    lowered = [c.lower() for c in candidates]
    hits: list[Hit] = []
    for record in records:
        ok, exact = _method_ok(record, request.method)
        if not ok:
            continue
        params: dict[str, str] | None = None
        if request.pattern and _shape(record["shape"]) == query_shape:
            params = {}
        elif not _may_match(record["prefix"], lowered):
            continue  # cheap: the route's literal head is not where the path starts
        compiled = compile_route(_parts(record))
        fw = BY_NAME.get(record["framework"])
        regex = _ignoring_case(compiled.regex) if fw is not None and fw.case_insensitive \
            else compiled.regex
        redirect = False
        if params is None:
            params = _concrete(regex, candidates)
        if params is None and fw is not None and fw.trailing_slash != "strict":
            toggled = [t for t in (_toggle_slash(c) for c in candidates) if t]
            params = _concrete(regex, toggled)
            redirect = params is not None and fw.trailing_slash == "redirect"
        if params is None:
            continue
        specific = fw is not None and fw.order == "specificity"
        spec = tuple(-x for x in compiled.specificity) if specific else (0,) * len(
            compiled.specificity)
        # a route whose shape is not fully known ranks after; an unknown handler does not
        # change which route the framework runs (Rails renders an action with no method)
        key = (bool(set(record.get("unknown", ())) - {"handler"}), redirect, not exact, spec,
               record["order"])
        hits.append(Hit(record, params, exact, redirect, key))
    hits.sort(key=lambda h: h.key)
    return hits


@lru_cache(maxsize=4096)
def _ignoring_case(regex: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(regex.pattern, regex.flags | re.IGNORECASE)


def _may_match(prefix: str, paths: list[str]) -> bool:
    """Can a path start the way the route's literal head does (either trailing slash)?"""
    if not prefix:
        return True
    head = prefix.rstrip("/")
    return any(p.startswith(head) for p in paths)


def _concrete(regex: Any, paths: list[str]) -> dict[str, str] | None:
    for path in paths:
        m = regex.match(path)
        if m is not None:
            return {k: v[:MAX_PARAM] for k, v in m.groupdict().items() if v is not None}
    return None
