"""Routes a test file declares (a test's own app, a router under test) are not the
repository's endpoints: listed apart, never matched ahead of the application's, and
no tour stop or entry point. Found on go-chi, whose ``*_test.go`` files declare about
40 routes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from codemap import api
from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder

APP = '''\
from flask import Flask

app = Flask(__name__)


@app.route("/orders/<oid>")
def order(oid):
    return oid
'''

TEST = '''\
from flask import Flask


def test_a_router_of_its_own():
    app = Flask(__name__)

    @app.route("/")
    def home():
        return "home"

    @app.route("/orders/<oid>")
    def fake_order(oid):
        return "fake"

    assert app.test_client().get("/").data == b"home"
'''


def _repo(git_repo: GitRepoBuilder) -> GitRepoBuilder:
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/web.py", APP)
    git_repo.write("tests/test_web.py", TEST)
    git_repo.commit("an app and a test with an app of its own")
    return git_repo


def test_routes_declared_in_tests_are_listed_apart(git_repo: GitRepoBuilder) -> None:
    root = str(_repo(git_repo).root)
    listed = api.endpoints(root)
    assert [(e.route, e.handler.qualname) for e in listed.endpoints] == [
        ("/orders/<oid>", "shop.web.order")]
    assert sorted(e.route for e in listed.test_endpoints) == ["/", "/orders/<oid>"]
    text = CliRunner().invoke(cli, ["endpoints", "--repo", root]).output
    assert "shop.web.order" in text and "fake_order" not in text
    assert "2 routes declared in test files" in text
    data = json.loads(CliRunner().invoke(cli, ["endpoints", "--repo", root, "--json"]).output)
    assert [e["route"] for e in data["endpoints"]] == ["/orders/<oid>"]
    assert len(data["test_endpoints"]) == 2


def test_a_request_matches_the_application_before_a_test(git_repo: GitRepoBuilder) -> None:
    root = str(_repo(git_repo).root)
    hit = api.endpoint("GET /orders/42", root)
    assert [m.handler.qualname for m in hit.matches] == ["shop.web.order"]
    only_a_test = api.endpoint("GET /", root)  # no route of the app: the test's, then
    assert [m.handler.qualname for m in only_a_test.matches] == [
        "tests.test_web.test_a_router_of_its_own.home"]


def test_an_unsupported_framework_is_named_as_such(git_repo: GitRepoBuilder) -> None:
    git_repo.write("app.py", "import bottle\n\n@bottle.route('/x')\ndef x():\n    return 1\n")
    git_repo.commit("a bottle app")
    text = CliRunner().invoke(cli, ["endpoints", "--repo", str(git_repo.root)]).output
    assert text.startswith("no endpoints found; the frameworks codemap reads: ")
    assert "flask" in text and "django" in text
