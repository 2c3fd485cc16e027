"""``codemap review`` plain text says which blast-radius calls are only guessed.

Found on Flask's tutorial app (flaskr): the tests call ``auth.login()`` on a
pytest fixture, which the call graph can only match by name, so they were
listed as callers of ``flaskr.auth.login`` exactly like its real callers.
JSON already carried ``confidence``; the text now shows it, as ``callers`` does.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder

AUTH = '''\
def login(username, password):
    return {"user": username, "ok": password == "secret"}
'''
AUTH_V2 = '''\
def login(username, password):
    return {"user": username.strip(), "ok": password == "secret"}
'''
VIEWS = '''\
from shop.auth import login


def login_view(form):
    return login(form["username"], form["password"])
'''
TESTS = '''\
def test_login(auth):
    assert auth.login("a", "secret")["ok"]
'''


def test_guessed_callers_are_marked(git_repo: GitRepoBuilder) -> None:
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/auth.py", AUTH)
    git_repo.write("shop/views.py", VIEWS)
    git_repo.write("tests/test_auth.py", TESTS)
    base = git_repo.commit("Login")
    git_repo.write("shop/auth.py", AUTH_V2)
    head = git_repo.commit("Trim user names")
    args = ["review", f"{base}..{head}", "--repo", str(git_repo.root)]
    doc = json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)
    confidence = {b["symbol"]["qualname"]: b.get("confidence") for b in doc["blast_radius"]}
    assert confidence["shop.views.login_view"] == "exact"
    assert confidence["tests.test_auth.test_login"] in ("guess", "likely")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = {ln.split()[2]: ln for ln in result.stdout.splitlines() if ln.startswith("  depth ")}
    assert not lines["shop.views.login_view"].endswith(")")
    assert lines["tests.test_auth.test_login"].endswith(
        f"({confidence['tests.test_auth.test_login']})")
