"""Matching requests to endpoints: parameters of every syntax, methods, ranking, edge cases.

Arranged with the library on real repositories; acted on through the CLI
where the contract is about output (JSON shape, exit status, inert text).
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from codemap import api
from codemap.cli.main import cli


def _matches(repo, request: str):
    return api.endpoint(request, str(repo.root)).matches


def _flask(git_repo):
    git_repo.write("app.py", '''
from flask import Flask
app = Flask(__name__)

@app.route("/users/<int:id>", methods=["GET", "DELETE"])
def user(id):
    return load(id)

@app.get("/users/me")
def me():
    return load(0)

@app.get("/files/<path:name>")
def files(name):
    pass

@app.get("/items/")
def items():
    pass

def load(id):
    return audit(id)

def audit(id):
    return id
''')
    git_repo.commit("flask")
    return git_repo


def test_parameters_methods_and_static_beats_parameter(git_repo):
    repo = _flask(git_repo)
    [m] = _matches(repo, "GET /users/42?x=1")
    assert (m.route, m.params, m.handler.qualname) == ("/users/<int:id>", {"id": "42"}, "app.user")
    assert [c.qualname for c in m.callees] == ["app.load", "app.audit"]
    assert _matches(repo, "GET /users/abc") == []  # <int:> does not take letters
    ranked = _matches(repo, "GET /users/me")
    assert [m.route for m in ranked] == ["/users/me"]  # <int:id> cannot match "me"
    assert [m.method for m in _matches(repo, "DELETE /users/7")] == ["DELETE"]
    assert _matches(repo, "POST /users/7") == []
    head = _matches(repo, "HEAD /users/7")
    assert [(m.method, m.exact_method) for m in head] == [("GET", False)]  # Flask serves HEAD
    assert {m.method for m in _matches(repo, "/users/7")} == {"GET", "DELETE"}


def test_paths_percent_encoding_and_trailing_slashes(git_repo):
    repo = _flask(git_repo)
    [m] = _matches(repo, "GET /files/a/b%20c.txt")
    assert m.params == {"name": "a/b c.txt"}
    [m] = _matches(repo, "GET /items")
    assert m.route == "/items/" and m.redirect  # Werkzeug redirects /items to /items/
    [m] = _matches(repo, "GET /items/")
    assert not m.redirect
    long = "GET /files/" + "x/" * 3000
    assert _matches(repo, long)[0].route == "/files/<path:name>"


def test_route_patterns_and_log_lines(git_repo):
    repo = _flask(git_repo)
    for text in ("GET /users/{id}", "GET /users/:id", "GET /users/<id>"):
        assert [m.route for m in _matches(repo, text)] == ["/users/<int:id>"], text
    line = '127.0.0.1 - - [24/Nov/2026:10:00:00 +0000] "DELETE /users/9 HTTP/1.1" 500 17'
    assert [m.handler.name for m in _matches(repo, line)] == ["user"]


def test_ranking_follows_each_framework(git_repo):
    git_repo.write("server.js", '''
const express = require('express');
const app = express();
app.get('/users/:id', function byId(req, res) {});
app.get('/users/me', function me(req, res) {});
''')
    git_repo.write("main.go", '''package main

import "github.com/gin-gonic/gin"

func main() {
	r := gin.Default()
	r.GET("/v/:id", ByID)
	r.GET("/v/me", Me)
}

func ByID(c *gin.Context) {}
func Me(c *gin.Context)   {}
''')
    git_repo.commit("two frameworks")
    # Express tries routes in order: /users/:id answers /users/me first
    assert [m.handler.name for m in _matches(git_repo, "GET /users/me")] == ["byId", "me"]
    # gin's tree prefers the static segment
    assert [m.handler.name for m in _matches(git_repo, "GET /v/me")] == ["Me", "ByID"]
    assert [m.rank for m in _matches(git_repo, "GET /v/me")] == [1, 2]


def test_django_regexes_match(git_repo):
    git_repo.write("urls.py", '''
from django.urls import path, re_path
from views import archive, detail

urlpatterns = [
    re_path(r"^archive/(?P<year>[0-9]{4})/$", archive),
    path("posts/<slug:slug>/", detail),
]
''')
    git_repo.write("views.py", "def archive(request, year):\n    pass\n\n\ndef detail(request, slug):\n    pass\n")
    git_repo.commit("django")
    [m] = _matches(git_repo, "GET /archive/2024/")
    assert (m.method, m.params, m.handler.name) == ("*", {"year": "2024"}, "archive")
    assert _matches(git_repo, "GET /archive/24/") == []
    [m] = _matches(git_repo, "POST /posts/hello-world/")
    assert m.params == {"slug": "hello-world"}


def test_cli_json_text_and_errors(git_repo):
    repo = _flask(git_repo)
    runner = CliRunner()
    out = runner.invoke(cli, ["endpoint", "GET /users/42", "--repo", str(repo.root), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["query"] == "GET /users/42"
    [m] = data["matches"]
    assert {"method", "route", "framework", "handler", "callees"} <= set(m)
    assert m["handler"]["id"] == "app.py:5" and m["callees"][0]["qualname"] == "app.load"

    listed = runner.invoke(cli, ["endpoints", "--repo", str(repo.root), "--json"])
    assert listed.exit_code == 0
    eps = json.loads(listed.stdout)["endpoints"]
    assert {(e["method"], e["route"]) for e in eps} >= {("GET", "/users/<int:id>"),
                                                       ("GET", "/users/me")}
    assert all({"method", "route", "framework", "handler"} <= set(e) for e in eps)

    text = runner.invoke(cli, ["endpoints", "--repo", str(repo.root)])
    assert text.exit_code == 0 and text.stdout.splitlines()[0].split()[:2] == ["METHOD", "ROUTE"]

    bad = runner.invoke(cli, ["endpoint", "not a request", "--repo", str(repo.root)])
    assert bad.exit_code == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.output


def test_repository_text_is_inert_in_the_table(git_repo):
    git_repo.write("app.py", 'from flask import Flask\napp = Flask(__name__)\n\n'
                   '@app.get("/x\x1b[31mred")\ndef red():\n    pass\n')
    git_repo.commit("escape")
    out = CliRunner().invoke(cli, ["endpoints", "--repo", str(git_repo.root)])
    assert out.exit_code == 0
    assert "\x1b" not in out.stdout and "\\e[31mred" in out.stdout


def test_a_corrupt_endpoint_cache_is_rebuilt(git_repo, capsys):
    from codemap.cache import cache_dir
    from codemap.endpoints.store import DB_NAME
    from codemap.repo import find_repo

    repo = _flask(git_repo)
    before = [e.route for e in api.endpoints(str(repo.root)).endpoints]
    db = cache_dir(find_repo(str(repo.root))) / DB_NAME
    db.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (db.parent / (DB_NAME + suffix)).unlink(missing_ok=True)
    assert [e.route for e in api.endpoints(str(repo.root)).endpoints] == before
    assert "endpoint cache" in capsys.readouterr().err


def test_a_changed_file_changes_the_answer(git_repo):
    repo = _flask(git_repo)
    assert [m.route for m in _matches(repo, "GET /users/me")] == ["/users/me"]
    text = (repo.root / "app.py").read_text().replace('@app.get("/users/me")', '@app.get("/me")')
    repo.write("app.py", text)  # not committed: the working tree is what is read
    assert _matches(repo, "GET /users/me") == []
    assert [m.route for m in _matches(repo, "GET /me")] == ["/me"]
