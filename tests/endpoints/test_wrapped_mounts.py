"""Apps mounted through a middleware or adapter keep the mount's prefix.

``app.mount("/v1", WSGIMiddleware(flask_app))`` (FastAPI's "Including WSGI"
page, verbatim below) serves the Flask app's routes under ``/v1``: a mount
rule with ``wraps`` (the tables) looks through a call of one positional
argument that is an app, whatever the wrapper's name, also when the wrapped
app was assigned to a name first or takes keyword options
(``CORSMiddleware(sub, allow_origins=[...])``).
"""

from __future__ import annotations

from codemap import api


def table(repo) -> list[tuple[str, str, str | None]]:
    return [(e.method, e.route, e.handler.qualname if e.handler else None)
            for e in api.endpoints(str(repo.root)).endpoints]


# docs_src/wsgi/tutorial001.py of the FastAPI 0.115.6 sdist
FASTAPI_WSGI = '''from fastapi import FastAPI
from fastapi.middleware.wsgi import WSGIMiddleware
from flask import Flask, request
from markupsafe import escape

flask_app = Flask(__name__)


@flask_app.route("/")
def flask_main():
    name = request.args.get("name", "World")
    return f"Hello, {escape(name)} from Flask!"


app = FastAPI()


@app.get("/v2")
def read_main():
    return {"message": "Hello World"}


app.mount("/v1", WSGIMiddleware(flask_app))
'''


def test_a_flask_app_mounted_through_wsgi_middleware_is_served_under_the_prefix(git_repo):
    git_repo.write("main.py", FASTAPI_WSGI)
    git_repo.commit("fastapi docs: including WSGI")
    assert table(git_repo) == [("GET", "/v2", "main.read_main"),
                               ("GET", "/v1/", "main.flask_main")]
    [m] = api.endpoint("GET /v1/?name=x", str(git_repo.root)).matches
    assert (m.route, m.framework, m.handler.name) == ("/v1/", "flask", "flask_main")
    assert api.endpoint("GET /", str(git_repo.root)).matches == []


def test_wrappers_assigned_nested_or_with_options_and_starlette_mounts(git_repo):
    git_repo.write("svc/__init__.py", "")
    git_repo.write("svc/legacy.py", '''from flask import Flask

legacy = Flask(__name__)


@legacy.route("/old")
def old():
    return "old"
''')
    git_repo.write("svc/main.py", '''from a2wsgi import WSGIMiddleware as A2WSGI
from asgiref.wsgi import WsgiToAsgi
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.cors import CORSMiddleware
from werkzeug.debug import DebuggedApplication

from .legacy import legacy

reports = FastAPI()


@reports.get("/daily")
def daily():
    return []


admin = FastAPI()


@admin.get("/users")
def admin_users():
    return []


app = FastAPI()
wrapped = WsgiToAsgi(DebuggedApplication(legacy, evalex=False))
app.mount(path="/legacy", app=wrapped)
app.mount("/reports", CORSMiddleware(reports, allow_origins=["*"]))
app.mount("/admin", A2WSGI(admin))
app.mount("/static", StaticFiles(directory="static"), name="static")
''')
    git_repo.write("svc/star.py", '''from starlette.applications import Starlette
from starlette.middleware.wsgi import WSGIMiddleware
from starlette.routing import Mount, Route

from .legacy import legacy


async def home(request):
    pass


app = Starlette(routes=[
    Route("/", home),
    Mount("/flask", app=WSGIMiddleware(legacy)),
])
''')
    git_repo.commit("mounts")
    routes = table(git_repo)
    assert ("GET", "/legacy/old", "svc.legacy.old") in routes
    assert ("GET", "/reports/daily", "svc.main.daily") in routes
    assert ("GET", "/admin/users", "svc.main.admin_users") in routes
    assert ("GET", "/flask/old", "svc.legacy.old") in routes
    assert ("GET", "/", "svc.star.home") in routes
    # nothing is served unprefixed, nothing made up for StaticFiles(directory=...)
    assert not {r for r in routes if r[1] in ("/old", "/daily", "/users")}
    assert len(routes) == 5


def test_express_apps_mounted_directly_or_through_a_wrapper(git_repo):
    git_repo.write("guard.js", '''module.exports = function guard(app) {
  return function (req, res, next) { return app(req, res, next); };
};
''')
    git_repo.write("app.js", '''const express = require('express');
const guard = require('./guard');

const app = express();
const admin = express();
const api = express.Router();

admin.get('/stats', (req, res) => res.send('s'));
api.get('/items', (req, res) => res.send('i'));

app.use('/api', api);
app.use('/admin', guard(admin));
app.listen(3000);
module.exports = app;
''')
    git_repo.commit("express")
    assert [(m, r) for m, r, _h in table(git_repo)] == [("GET", "/api/items"),
                                                       ("GET", "/admin/stats")]
