"""A small stand-in for the parts of Flask that the demo service uses.

`codemap demo` runs the example service (its tests, and the request that
crashes) with this package first on PYTHONPATH, so the demo works without
installing Flask and produces the same traceback on every machine. The
names and the behaviour of the parts used here follow Flask's: routing
with werkzeug-style rules (`<int:order_id>`), `jsonify`, the `request`
object, and the test client (with `app.testing = True`, errors propagate
to the caller, as in Flask). The demo also runs on real Flask.
"""

import json
import re

__version__ = "3.1-demo"

_CONVERTERS = {"int": (r"\d+", int), "string": (r"[^/]+", str), "path": (r".+", str)}


class Response:
    def __init__(self, data=b"", status=200, mimetype="text/html"):
        self.data = data if isinstance(data, bytes) else str(data).encode("utf-8")
        self.status_code = status
        self.mimetype = mimetype

    def get_data(self, as_text=False):
        return self.data.decode("utf-8") if as_text else self.data

    def get_json(self):
        return json.loads(self.data)


class Request:
    def __init__(self, method, path, json_body=None):
        self.method = method
        self.path = path
        self._json = json_body

    def get_json(self, silent=False):
        return self._json


class _RequestProxy:
    """`flask.request`: the request being handled."""

    current = None

    def __getattr__(self, name):
        if _RequestProxy.current is None:
            raise RuntimeError("Working outside of request context.")
        return getattr(_RequestProxy.current, name)


request = _RequestProxy()


def jsonify(*args, **kwargs):
    payload = args[0] if len(args) == 1 and not kwargs else (list(args) if args else kwargs)
    return Response(json.dumps(payload, indent=2, sort_keys=True) + "\n",
                    mimetype="application/json")


class NotFound(Exception):
    code = 404


class Rule:
    def __init__(self, rule, methods, view_func):
        self.rule = rule
        self.methods = set(methods)
        self.view_func = view_func
        self.converters = {}

        def replace(match):
            kind, name = match.group(1) or "string", match.group(2)
            regex, convert = _CONVERTERS[kind]
            self.converters[name] = convert
            return f"(?P<{name}>{regex})"

        self.regex = re.compile("^" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, rule) + "$")

    def match(self, method, path):
        found = self.regex.match(path)
        if found is None or method not in self.methods:
            return None
        return {k: self.converters[k](v) for k, v in found.groupdict().items()}


class Flask:
    def __init__(self, import_name):
        self.import_name = import_name
        self.rules = []
        self.testing = False

    def add_url_rule(self, rule, endpoint=None, view_func=None, methods=None):
        self.rules.append(Rule(rule, methods or ["GET"], view_func))

    def route(self, rule, methods=None, **options):
        def decorator(view_func):
            self.add_url_rule(rule, view_func=view_func, methods=methods)
            return view_func

        return decorator

    def get(self, rule, **options):
        return self.route(rule, methods=["GET"], **options)

    def post(self, rule, **options):
        return self.route(rule, methods=["POST"], **options)

    def dispatch_request(self):
        req = _RequestProxy.current
        for rule in self.rules:
            params = rule.match(req.method, req.path)
            if params is not None:
                return rule.view_func(**params)
        raise NotFound(f"{req.method} {req.path}")

    def make_response(self, result):
        status = 200
        if isinstance(result, tuple):
            result, status = result
        if not isinstance(result, Response):
            result = jsonify(result) if isinstance(result, (dict, list)) else Response(result)
        result.status_code = status
        return result

    def full_dispatch_request(self):
        try:
            return self.make_response(self.dispatch_request())
        except NotFound:
            return Response("Not Found", 404)
        except Exception:
            if self.testing:
                raise
            return Response("Internal Server Error", 500)

    def test_client(self):
        return FlaskClient(self)


class FlaskClient:
    def __init__(self, app):
        self.application = app

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def open(self, path, method="GET", json=None):
        _RequestProxy.current = Request(method.upper(), path, json)
        try:
            return self.application.full_dispatch_request()
        finally:
            _RequestProxy.current = None

    def get(self, path, **kwargs):
        return self.open(path, method="GET", **kwargs)

    def post(self, path, **kwargs):
        return self.open(path, method="POST", **kwargs)
