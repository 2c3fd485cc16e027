"""Dump the route table a Python web framework builds at run time, as JSON.

Run as a script in a subprocess (so the applications it imports never touch
the test process): ``python runtime_routes.py KIND ROOT [TARGET...]``.
Prints ``{"routes": [...], "files": [...], "failed": [...]}``: each route is
``{"method", "route", "file", "line", "name"}`` where ``file``/``line``
locate the handler's code (repository-relative), and ``files`` lists the
source files whose modules were imported, i.e. where runtime knows the truth.

KIND ``flask``: TARGET is a package exposing ``app`` or ``create_app``;
``asgi``: every ``.py`` module under ROOT is imported and its module-level
FastAPI / Starlette applications are read; ``django``: TARGET is the root
URLconf module, with the test apps to install after it.
"""

from __future__ import annotations

import importlib
import inspect
import io
import json
import os
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout

ROOT = ""
SKIP_METHODS = {"HEAD", "OPTIONS"}


def where(fn):
    fn = inspect.unwrap(fn)
    try:
        path = inspect.getsourcefile(fn)
        line = inspect.getsourcelines(fn)[1] if inspect.isclass(fn) else fn.__code__.co_firstlineno
    except (TypeError, AttributeError, OSError):
        return None
    if path is None:
        return None
    path = os.path.realpath(path)
    if not path.startswith(ROOT + os.sep):
        return None  # the framework's own view (static files, docs, admin...)
    return os.path.relpath(path, ROOT).replace(os.sep, "/"), line, fn.__name__


def add(out, method, route, fn):
    loc = where(fn)
    if loc is not None:
        out.append({"method": method, "route": route, "file": loc[0], "line": loc[1],
                    "name": loc[2]})


def flask_routes(targets):
    out, files, failed = [], set(), []
    for target in targets:
        try:
            with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
                pkg = importlib.import_module(target)
                app = getattr(pkg, "app", None)
                if app is None:
                    factory = pkg.create_app
                    try:
                        app = factory({"TESTING": True, "DATABASE": os.devnull})
                    except TypeError:
                        app = factory()
        except Exception:
            failed.append(f"{target}: {traceback.format_exc(limit=1)}")
            continue
        for rule in app.url_map.iter_rules():
            view = app.view_functions.get(rule.endpoint)
            if view is None:
                continue
            cls = getattr(view, "view_class", None)
            for method in sorted(rule.methods - SKIP_METHODS):
                handler = getattr(cls, method.lower(), None) if cls is not None else view
                add(out, method, rule.rule, handler or cls)
    for mod in list(sys.modules.values()):
        f = getattr(mod, "__file__", None)
        if f and os.path.realpath(f).startswith(ROOT + os.sep):
            files.add(os.path.relpath(os.path.realpath(f), ROOT).replace(os.sep, "/"))
    return out, files, failed


def asgi_routes(_targets):
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route

    out, files, failed = [], set(), []

    def walk(routes, prefix, into):
        for r in routes:
            if hasattr(r, "effective_route_contexts"):  # FastAPI's lazily included routers
                for ctx in r.effective_route_contexts():
                    original = ctx.original_route
                    if hasattr(original, "methods") and getattr(original, "methods", None):
                        for m in sorted(set(original.methods) - SKIP_METHODS):
                            add(into, m, prefix + ctx.path, ctx.endpoint or original.endpoint)
                continue
            if isinstance(r, Mount):
                walk(getattr(r, "routes", []) or [], prefix + r.path, into)
            elif isinstance(r, Route) or hasattr(r, "endpoint") and hasattr(r, "methods"):
                methods = set(r.methods or ()) - SKIP_METHODS
                endpoint = r.endpoint
                if inspect.isclass(endpoint):
                    for m in sorted(methods or {"GET", "POST", "PUT", "DELETE", "PATCH"}):
                        fn = getattr(endpoint, m.lower(), None)
                        if fn is not None:
                            add(into, m, prefix + r.path, fn)
                    continue
                for m in sorted(methods):
                    add(into, m, prefix + r.path, endpoint)

    for dirpath, _dirs, names in os.walk(ROOT):
        for name in sorted(names):
            if not name.endswith(".py"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), ROOT)
            modname = rel[:-3].replace(os.sep, ".")
            if modname.endswith(".__init__"):
                modname = modname[: -len(".__init__")]
            try:
                with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
                    mod = importlib.import_module(modname)
            except BaseException:
                failed.append(modname)
                continue
            found = []
            for value in list(vars(mod).values()):
                if isinstance(value, Starlette) and id(value) not in {id(v) for v in found}:
                    found.append(value)
            # an application mounted in another is served there, not on its own
            mounted = {id(getattr(r, "app", None)) for app in found for r in app.routes
                       if isinstance(r, Mount)}
            found = [a for a in found if id(a) not in mounted]
            mine = []
            for app in found:
                walk(app.routes, "", mine)
            if found:
                files.add(rel.replace(os.sep, "/"))
            out.extend(mine)
    return out, files, failed


def django_routes(targets):
    import django
    from django.conf import settings

    urlconf, apps = targets[0], targets[1:]
    settings.configure(
        DEBUG=True, SECRET_KEY="x", ROOT_URLCONF=urlconf, USE_TZ=True,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes",
                        "django.contrib.sessions", "django.contrib.messages",
                        "django.contrib.admin", "django.contrib.staticfiles", *apps],
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates",
                    "APP_DIRS": True, "OPTIONS": {}}],
        MIDDLEWARE=[], STATIC_URL="/static/")
    django.setup()
    from django.urls import URLPattern, URLResolver, get_resolver

    out, failed, urlconfs = [], [], set()

    def walk(patterns, prefix, depth=0):
        if depth > 6:  # Django's own tests include URLconfs recursively
            return
        for p in patterns:
            text = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                try:
                    module = p.urlconf_module
                    if hasattr(module, "__file__"):
                        urlconfs.add(module.__file__)
                    walk(p.url_patterns, text, depth + 1)
                except Exception:
                    failed.append(text)
            elif isinstance(p, URLPattern):
                cb = p.callback
                cls = getattr(cb, "view_class", None)
                if cls is not None:
                    methods = [m for m in cls.http_method_names
                               if m != "options" and hasattr(cls, m)]
                    for m in methods:
                        fn = getattr(cls, m)
                        target = fn if where(fn) is not None else cls
                        add(out, m.upper(), "/" + text, target)
                else:
                    add(out, "*", "/" + text, cb)

    root = get_resolver()
    urlconfs.add(root.urlconf_module.__file__)
    walk(root.url_patterns, "")
    files = set()
    for mod in list(sys.modules.values()):
        f = getattr(mod, "__file__", None)
        if f and os.path.realpath(f).startswith(ROOT + os.sep):
            files.add(os.path.relpath(os.path.realpath(f), ROOT).replace(os.sep, "/"))
    declared = {os.path.relpath(os.path.realpath(f), ROOT).replace(os.sep, "/") for f in urlconfs
                if os.path.realpath(f).startswith(ROOT + os.sep)}
    return out, files, failed, declared


def main() -> None:
    global ROOT
    kind, root, *targets = sys.argv[1:]
    ROOT = os.path.realpath(root)
    sys.path.insert(0, ROOT)
    os.chdir(ROOT)
    fn = {"flask": flask_routes, "asgi": asgi_routes, "django": django_routes}[kind]
    routes, files, failed, *declared = fn(targets)
    json.dump({"routes": routes, "files": sorted(files), "failed": failed,
               "declared_in": sorted(declared[0]) if declared else None}, sys.stdout)


if __name__ == "__main__":
    main()
