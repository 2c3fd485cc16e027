"""Fastify apps whose routes ``@fastify/autoload`` loads, against what Fastify served.

The apps are the ones ``fastify generate`` writes (CommonJS, ESM, TypeScript),
grown with nested directories, ``_id`` directories, ``autoPrefix`` exports,
an ignored file, a hook file and files the loader passes over
(``fastify_autoload/README.md``). Each is committed into a real git repository
in three commits; the routes Fastify registered and the handler that answered
a request to each, recorded by running the apps under node, are stored next to
them (``fastify_autoload/truth/``, made by ``truth.cjs.txt``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codemap import api
from tests.conftest import GitRepoBuilder

HERE = Path(__file__).with_name("fastify_autoload")
APPS = ("appjs", "appesm", "appts")


def _build(git_repo: GitRepoBuilder, app: str) -> Path:
    """The app committed as it grew: the generator's skeleton, the routes, a later edit."""
    root = HERE / "apps" / app
    files = {p.relative_to(root).as_posix().removesuffix(".txt"): p.read_text(encoding="utf-8")
             for p in sorted(root.rglob("*.txt"))}
    routes = {rel for rel in files if "/routes/" in f"/{rel}" and not rel.startswith("test/")}
    for rel, text in files.items():
        if rel not in routes:
            git_repo.write(rel, text)
    git_repo.commit("Generate the service", author="Ada Lovelace <ada@example.com>",
                    date="2026-10-01T10:00:00+00:00")
    for rel in sorted(routes):
        git_repo.write(rel, files[rel])
    git_repo.commit("Add routes", author="Grace Hopper <grace@example.com>",
                    date="2026-10-15T14:30:00+00:00")
    last = sorted(routes)[-1]
    git_repo.write(last, files[last] + "\n// reviewed\n")
    git_repo.commit("Review routes", author="Ada Lovelace <ada@example.com>",
                    date="2026-11-02T09:15:00+00:00")
    return git_repo.root


def _truth(app: str) -> dict:
    return json.loads((HERE / "truth" / f"{app}.truth.json").read_text(encoding="utf-8"))


def _handler_right(root: Path, handler: object, name: str) -> bool:
    """Is ``handler`` (a symbol) the function Fastify ran: the one whose definition line
    names it, or, for the generator's anonymous handlers, a function of a route file?"""
    if handler is None:
        return False
    path, line = handler.path, handler.start_line  # type: ignore[attr-defined]
    if "routes/" not in path:
        return False
    if not name:
        return True
    text = (root / path).read_text(encoding="utf-8").splitlines()[line - 1]
    return f"function {name} " in text or f"function {name}(" in text


def _figures(root: Path, app: str) -> tuple[int, int, int, int, list[str]]:
    """(routes right, routes served, requests resolved right, requests, wrong ones)."""
    truth = _truth(app)
    listed = [e for e in api.endpoints(str(root)).endpoints]
    wrong: list[str] = []
    names = {(r["method"], r["url"]): r["handler"] for r in truth["routes"]}
    right = 0
    for (method, url), name in names.items():
        found = [e for e in listed if e.method == method and e.route == url]
        if len(found) == 1 and _handler_right(root, found[0].handler, name):
            right += 1
        else:
            wrong.append(f"route {method} {url}: {[(e.route, e.path) for e in found]}")
    extra = [e for e in listed if (e.method, e.route) not in names]
    wrong += [f"not served: {e.method} {e.route} ({e.path})" for e in extra]
    resolved = 0
    for req, route in zip(truth["requests"], truth["routes"], strict=True):
        assert req["status"] == 200
        matches = api.endpoint(req["request"], str(root)).matches
        name = req["handler"].removeprefix("bound ").strip()
        if matches and matches[0].route == route["url"] and \
                _handler_right(root, matches[0].handler, name):
            resolved += 1
        else:
            wrong.append(f"request {req['request']}: {[(m.route, m.path) for m in matches]}")
    return right, len(names), resolved, len(truth["requests"]), wrong


@pytest.mark.parametrize("app", APPS)
def test_autoloaded_routes_match_what_fastify_served(git_repo: GitRepoBuilder, app: str) -> None:
    root = _build(git_repo, app)
    right, total, resolved, requests, wrong = _figures(root, app)
    assert total >= 4 and requests == total
    assert (right, resolved, wrong) == (total, requests, [])


def test_plugin_files_are_fastify_s_although_they_import_nothing(git_repo: GitRepoBuilder) -> None:
    root = _build(git_repo, "appjs")
    listed = api.endpoints(str(root)).endpoints
    assert listed and {e.framework for e in listed} == {"fastify"}
    plain = (root / "routes/users/index.js").read_text(encoding="utf-8")
    assert "require(" not in plain and "import " not in plain
    by_file = {e.path for e in listed}
    # a directory with an index file loads only it; ignorePattern drops the test file
    assert "routes/users/_id/posts.js" not in by_file
    assert "routes/users/admin/stats.test.js" not in by_file
    match = api.endpoint("GET /users/42", str(root)).matches[0]
    assert (match.route, match.params, match.handler.name) == ("/users/:id", {"id": "42"},
                                                              "showUser")


def test_without_route_params_an_underscore_directory_is_literal(git_repo: GitRepoBuilder) -> None:
    root = _build(git_repo, "appesm")
    routes = {(e.method, e.route) for e in api.endpoints(str(root)).endpoints}
    assert ("GET", "/orders/_id/detail") in routes  # appesm does not set routeParams
    assert ("GET", "/old-shop/catalog") in routes  # export const autoPrefix replaces /shop
    assert not any(r.startswith("/shop/legacy") or "autohooks" in r for _m, r in routes)


def test_options_change_the_prefixes(git_repo: GitRepoBuilder) -> None:
    """``dirNameRoutePrefix: false``, ``options: {prefix}``, ``maxDepth`` and
    ``prefixOverride`` on a hand-written layout. The expected routes are the ones
    fastify 5 / @fastify/autoload 6.5.0 registered for the same files under node
    (``truth.cjs.txt`` on an ``app.js`` plugin making the two registrations)."""
    git_repo.write("server.js", (
        "const fastify = require('fastify')\n"
        "const autoload = require('@fastify/autoload')\n"
        "const path = require('node:path')\n"
        "const app = fastify()\n"
        "app.register(autoload, { dir: path.join(__dirname, 'api'), dirNameRoutePrefix: false,\n"
        "  options: { prefix: '/v2/' } })\n"
        "app.register(autoload, { dir: path.join(__dirname, 'deep'), maxDepth: 1 })\n"
        "app.listen({ port: 3000 })\n"))
    plugin = ("module.exports = async function (app, opts) {\n"
              "  app.get('/NAME', async function NAME () { return {} })\n}\n")
    git_repo.write("api/users/list.js", plugin.replace("NAME", "users"))
    git_repo.write("api/special.js", plugin.replace("NAME", "special") +
                   "module.exports.prefixOverride = '/elsewhere'\n")
    git_repo.write("deep/a/one.js", plugin.replace("NAME", "one"))
    git_repo.write("deep/a/b/two.js", plugin.replace("NAME", "two"))
    git_repo.commit("Autoloaded api")
    routes = {(e.route, e.framework) for e in api.endpoints(str(git_repo.root)).endpoints}
    assert routes == {("/v2/users", "fastify"), ("/elsewhere/special", "fastify"),
                      ("/a/one", "fastify")}


def test_a_loader_required_inline_under_a_prefix(git_repo: GitRepoBuilder) -> None:
    """``register(require('@fastify/autoload'), {dir, options: {prefix}})`` on an app made
    in the file; ``index.ts`` is the directory's plugin; a ``.d.ts`` file is no plugin."""
    git_repo.write("src/server.ts", (
        "import Fastify from 'fastify'\n"
        "import { join } from 'node:path'\n"
        "const app = Fastify()\n"
        "app.register(require('@fastify/autoload'), { dir: join(__dirname, 'handlers'),\n"
        "  routeParams: true, options: { prefix: '/api' } })\n"))
    git_repo.write("src/handlers/teams/_teamId/index.ts", (
        "export default async function (app: any) {\n"
        "  app.get('/members', async function members () { return [] })\n}\n"))
    git_repo.write("src/handlers/teams/types.d.ts", "export interface Team { id: string }\n")
    git_repo.commit("Teams")
    found = [(e.method, e.route, e.framework, e.handler.name if e.handler else None)
             for e in api.endpoints(str(git_repo.root)).endpoints]
    assert found == [("GET", "/api/teams/:teamId/members", "fastify", "members")]
