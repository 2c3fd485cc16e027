"""The endpoint answers as dataclasses whose field names are the contract's JSON keys.

``endpoints``: ``{"endpoints": [Endpoint]}``; ``endpoint``: ``{"query",
"request", "matches": [EndpointMatch]}``. Fields beyond the contract's
(``path``/``line`` of the declaration, ``unknown``, ``params``, ...) are
additions, which the contract allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codemap.model import Symbol


@dataclass(frozen=True)
class Endpoint:
    """One method + route of one framework, and the code that handles it."""

    method: str  # "GET", ...; "*" when any method is accepted
    route: str  # in the framework's own syntax, prefixes composed
    framework: str
    handler: Symbol | None
    path: str  # where the route was declared (repository-relative)
    line: int
    unknown: list[str] = field(default_factory=list)  # parts that could not be known statically
    # the route's parts joined as written (``route`` shows a regex as people read it)
    pattern: str = ""


@dataclass(frozen=True)
class EndpointList:
    endpoints: list[Endpoint] = field(default_factory=list)
    # routes declared in test files (a test's own app): not the repository's endpoints
    test_endpoints: list[Endpoint] = field(default_factory=list)
    frameworks: list[str] = field(default_factory=list)  # the frameworks codemap reads


@dataclass(frozen=True)
class Request:
    """What was asked: a method (or None for any) and a path, or a route pattern."""

    method: str | None
    path: str
    query: str = ""
    pattern: bool = False  # the path is a route pattern, not a concrete URL path


@dataclass(frozen=True)
class EndpointMatch:
    method: str
    route: str
    framework: str
    handler: Symbol | None
    path: str
    line: int
    unknown: list[str]
    params: dict[str, str]
    callees: list[Symbol]
    exact_method: bool  # False: the route accepts any method, or HEAD served by GET
    redirect: bool  # the framework answers with a redirect to the other trailing-slash form
    rank: int  # 1 = what the framework would run
    # what the framework runs before the handler on every request (FastAPI ``Depends``),
    # in declaration order; also among ``callees``
    dependencies: list[Symbol] = field(default_factory=list)


@dataclass(frozen=True)
class MatchResult:
    query: str
    request: Request
    matches: list[EndpointMatch] = field(default_factory=list)
