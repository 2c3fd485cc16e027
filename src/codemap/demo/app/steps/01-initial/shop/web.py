"""A very small request router: just enough web framework for the shop.

Routes are registered with Flask-style decorators
(``@app.get("/orders/<int:order_id>")``) and dispatched from a method and
a path, so the service runs without any dependency.
"""

import json
import logging
import re
from dataclasses import dataclass, field

log = logging.getLogger("shop.web")

CONVERTERS = {"int": (r"\d+", int), "str": (r"[^/]+", str)}


class NotFound(Exception):
    """No route matches the request."""


class HandlerError(Exception):
    """A handler failed while serving a request."""


@dataclass
class Request:
    method: str
    path: str
    body: dict = field(default_factory=dict)
    request_id: str = "-"


@dataclass
class Response:
    status: int
    body: str
    content_type: str = "application/json"


@dataclass
class Route:
    method: str
    pattern: str
    handler: object
    regex: object
    converters: dict


def compile_pattern(pattern):
    """``/orders/<int:order_id>`` -> (regex, {"order_id": int})."""
    converters = {}

    def replace(match):
        kind, name = match.group(1) or "str", match.group(2)
        regex, convert = CONVERTERS[kind]
        converters[name] = convert
        return f"(?P<{name}>{regex})"

    regex = re.compile("^" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, pattern) + "$")
    return regex, converters


class Router:
    def __init__(self):
        self.routes = []

    def route(self, pattern, methods=("GET",)):
        def register(handler):
            regex, converters = compile_pattern(pattern)
            for method in methods:
                self.routes.append(Route(method, pattern, handler, regex, converters))
            return handler

        return register

    def get(self, pattern):
        return self.route(pattern, methods=("GET",))

    def post(self, pattern):
        return self.route(pattern, methods=("POST",))

    def match(self, method, path):
        for route in self.routes:
            found = route.regex.match(path)
            if found and route.method == method:
                params = {k: route.converters[k](v) for k, v in found.groupdict().items()}
                return route, params
        raise NotFound(f"{method} {path}")

    def dispatch(self, request):
        route, params = self.match(request.method, request.path)
        log.info("%s %s -> %s (request %s)", request.method, request.path,
                 route.handler.__name__, request.request_id)
        try:
            return route.handler(request, **params)
        except Exception as exc:
            raise HandlerError(
                f"{request.method} {request.path} failed (request {request.request_id})"
            ) from exc


def encode(value):
    """JSON encoding for our own objects: anything with ``to_dict``."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"cannot encode {type(value).__name__}")


def json_response(payload, status=200):
    body = json.dumps(payload, default=encode, indent=2, sort_keys=True)
    return Response(status, body)
