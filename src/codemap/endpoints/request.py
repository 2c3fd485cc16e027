"""Read what the on-call engineer pasted: a request line, a URL, a log line, a pattern.

Accepted forms::

    GET /users/42?x=1                 a request line (HTTP/1.x suffix allowed)
    https://api.example.com/users/42  a full URL (any method)
    /users/42                         a bare path (any method)
    10.0.0.1 - - [...] "POST /checkout HTTP/1.1" 500 17   an access-log line
    curl -X DELETE https://host/items/7                   a curl command
    GET /users/<int:id>               a route pattern in any framework's syntax

:func:`parse_request` never raises: it returns a :class:`Request` or a
one-line reason why the text is not a request.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from codemap.endpoints.frameworks import HTTP_METHODS
from codemap.endpoints.model import Request
from codemap.endpoints.patterns import has_parameters

MAX_PATH = 16384  # longer request targets are refused (servers answer 414 well before)
MAX_TEXT = 1 << 20

_TOKEN = r"[A-Za-z][A-Za-z_-]{0,19}"
_LOG = re.compile(rf'"(?P<m>{_TOKEN}) (?P<t>[^\s"]+)(?: HTTP/\d(?:\.\d)?)?"')
_LOG_BARE = re.compile(rf"(?:^|\s)(?P<m>{'|'.join(HTTP_METHODS)}) (?P<t>\S+) HTTP/\d(?:\.\d)?(?:\s|$)")
_LINE = re.compile(rf"^(?P<m>{_TOKEN})\s+(?P<t>\S+)(?:\s+HTTP/\d(?:\.\d)?)?$")
_CURL = re.compile(r"^curl\s")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HOSTPATH = re.compile(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?/")


def _method(token: str) -> str | None:
    upper = token.upper()
    if upper in HTTP_METHODS:
        return upper
    if token == upper and re.fullmatch(r"[A-Z][A-Z_-]*", token):
        return token  # an extension method (PURGE, PROPFIND, ...)
    return None


def _curl(text: str) -> tuple[str | None, str | None]:
    words = text.split()
    method: str | None = None
    target: str | None = None
    has_data = False
    i = 1
    while i < len(words):
        w = words[i].strip("'\"")
        if w in ("-X", "--request") and i + 1 < len(words):
            method = words[i + 1].strip("'\"").upper()
            i += 2
            continue
        if w.startswith("-X") and len(w) > 2:
            method = w[2:].upper()
        elif w in ("-d", "--data", "--data-raw", "--data-binary", "--json", "-F", "--form"):
            has_data = True
        elif target is None and (_URL.match(w) or w.startswith("/")):
            target = w
        i += 1
    if method is None:
        method = "POST" if has_data else "GET"
    return method, target


def _target(target: str) -> tuple[str, str] | str:
    """(path, query) of a request target, or why it is not one."""
    if target == "*":
        return "*", ""
    if _URL.match(target):
        try:
            parts = urlsplit(target)
        except ValueError as exc:
            return f"not a valid URL ({exc})"
        return parts.path or "/", parts.query
    if _HOSTPATH.match(target):
        target = target[target.index("/"):]
    if not target.startswith("/"):
        return f"a request path starts with '/', got {target[:60]!r}"
    # the fragment ends the target: it never reaches a server, in the path or the query
    path, _, query = target.split("#", 1)[0].partition("?")
    return path, query


def parse_request(text: str) -> Request | str:
    """A :class:`Request` for ``text``, or a one-line reason it is not one. Never raises."""
    if not isinstance(text, str):
        return "a request must be text"
    if len(text) > MAX_TEXT:
        return f"the request text is {len(text)} characters long; at most {MAX_TEXT} are read"
    stripped = text.strip().lstrip("\ufeff").strip()
    if not stripped:
        return "empty request: expected 'METHOD /path', a URL, or an access-log line"
    method: str | None = None
    target: str | None = None
    line = _LINE.match(stripped)
    if _CURL.match(stripped):
        method, target = _curl(stripped)
    elif line and _method(line.group("m")):
        method, target = _method(line.group("m")), line.group("t")
    elif (found := _LOG.search(stripped) or _LOG_BARE.search(stripped)) and _method(found.group("m")):
        method, target = _method(found.group("m")), found.group("t")
    elif " " not in stripped and (stripped.startswith("/") or _URL.match(stripped)
                                  or _HOSTPATH.match(stripped)):
        target = stripped
    if target is None:
        shown = stripped.splitlines()[0][:80] if stripped.splitlines() else stripped[:80]
        return (f"cannot read a request from {shown!r}: expected 'METHOD /path', a URL, "
                "a route pattern or an access-log line")
    got = _target(target)
    if isinstance(got, str):
        return got
    path, query = got
    if len(path) > MAX_PATH:
        return (f"the request path is {len(path)} characters long; codemap matches paths of "
                f"at most {MAX_PATH} (servers refuse far shorter ones with 414)")
    return Request(method, path, query, has_parameters(path))
