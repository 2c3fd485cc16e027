"""Real traces of three Node services (Express, Koa, Fastify in TypeScript) mapped onto
their repositories.

The apps and the traces they printed live in ``node_real/`` (see its README):
each trace was captured by running the app under node 20 and sending a request
that makes a handler throw (a sync throw, an ``await`` rejection, an error in a
class method or constructor called from a handler, an error in a callback),
as Node prints it on a crash, as Koa's ``app.onerror`` logs it (indented, ESM
``file://`` URLs) and as Fastify's pino logger writes it (a JSON line whose
stack has literal ``\\n``). The TypeScript app ran from tsc's ``dist/``
output (and once with ``--enable-source-maps``): its frames must come back to
``src/*.ts`` through the source maps. The expected positions below were read
off the sources by hand, and for the TypeScript app checked against node's own
``--enable-source-maps`` run. The traces were made under ``/tmp/nodesweep/``,
a different root from the test repositories: paths are matched by suffix.

One test runs the Express app again to regenerate a trace; it needs the
framework packages installed offline (``CODEMAP_NODE_MODULES`` naming a
``node_modules`` that holds express 4) and is skipped otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemap import api
from codemap.cli.main import cli
from tests.traces.node_real import apps

# trace -> (app, exception type, in-repo frames in call order: (path, line, qualname suffix))
EXPECTED: dict[str, tuple[str, str, list[tuple[str, int, str]]]] = {
    "express_async_rejection": ("express-shop", "NotFoundError", [
        ("src/controllers/usersController.js", 11, ":show"),
        ("src/services/userService.js", 24, ":UserService.find")]),
    "express_sync_typeerror": ("express-shop", "TypeError", [
        ("src/controllers/usersController.js", 17, ":profile")]),
    "express_class_method": ("express-shop", "Error", [
        ("src/controllers/ordersController.js", 9, ":total"),
        ("src/services/orderService.js", 27, ":OrderService.total"),
        ("src/services/orderService.js", 27, ":OrderService.total"),  # the reduce callback
        ("src/services/orderService.js", 20, ":OrderService.priceOf")]),
    "express_constructor": ("express-shop", "RangeError", [
        ("src/controllers/ordersController.js", 14, ":create"),
        ("src/services/orderService.js", 6, ":Order.constructor")]),
    "express_callback": ("express-shop", "TypeError", [
        ("src/controllers/ordersController.js", 22, ":receipt")]),
    "express_next_err": ("express-shop", "TypeError", [
        ("src/controllers/usersController.js", 22, ":updateProfile"),
        ("src/services/userService.js", 35, ":UserService.rename")]),
    "koa_async_method": ("koa-inventory", "TypeError", [
        ("src/controllers/itemsController.mjs", 6, ":show"),
        ("src/services/inventory.mjs", 17, ":Inventory.load")]),
    "koa_sync_throw": ("koa-inventory", "StockError", [
        ("src/controllers/itemsController.mjs", 18, ":restock")]),
    "koa_mounted_admin": ("koa-inventory", "RangeError", [
        ("src/admin/statsController.mjs", 6, ":showStats"),
        ("src/services/inventory.mjs", 37, ":Inventory.totalValue"),
        ("src/services/inventory.mjs", 41, ":Inventory.round")]),
    "koa_callback": ("koa-inventory", "Error", [
        ("src/services/inventory.mjs", 46, ":Inventory.forget")]),
    "koa_create": ("koa-inventory", "TypeError", [
        ("src/controllers/itemsController.mjs", 12, ":create"),
        ("src/services/inventory.mjs", 22, ":Inventory.add")]),
    "fastify_async_arrow": ("fastify-billing", "TypeError", [
        ("src/controllers/accountsController.ts", 11, ":AccountsController.show")]),
    "fastify_class_method": ("fastify-billing", "BillingError", [
        ("src/controllers/accountsController.ts", 15, ":AccountsController.charge"),
        ("src/services/billing.ts", 24, ":BillingService.charge")]),
    "fastify_nested_plugin": ("fastify-billing", "RangeError", [
        ("src/plugins/invoices.ts", 10, ":invoicesPlugin"),  # the anonymous arrow inside it
        ("src/services/billing.ts", 30, ":BillingService.invoice"),
        ("src/services/billing.ts", 36, ":BillingService.lines")]),
    "fastify_callback": ("fastify-billing", "Error", [
        ("src/services/billing.ts", 43, ":BillingService.render")]),
    "fastify_callback_srcmaps": ("fastify-billing", "Error", [
        ("src/services/billing.ts", 43, ":BillingService.render")]),
}
_HEADER = re.compile(r"^# codemap node_real trace: program (?P<app>[\w-]+), v20\.\d+\.\d+, command: ")
_OUTSIDE = ("node_modules/", "node:", "<anonymous>")


@pytest.fixture
def built(git_repo):
    """app name -> repository root (built on first use; one app a test needs)."""
    roots: dict[str, Path] = {}

    def get(app: str) -> Path:
        if app not in roots:
            roots[app] = apps.build(git_repo if not roots else _another(git_repo, app), app)
        return roots[app]

    return get


def _another(git_repo, app: str):
    from tests.conftest import GitRepoBuilder

    return GitRepoBuilder(git_repo.root.parent / app)


def _report(root: Path, name: str) -> dict:
    result = CliRunner().invoke(cli, ["trace", str(apps.TRACES / f"{name}.txt"), "--repo", str(root),
                                      "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_stored_trace_says_which_program_and_node_made_it():
    names = sorted(p.stem for p in apps.TRACES.glob("*.txt"))
    assert names == sorted(EXPECTED)
    for name in names:
        m = _HEADER.match(apps.trace_text(name).splitlines()[0])
        assert m is not None and m.group("app") == EXPECTED[name][0], name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_in_repo_frames_land_on_the_right_file_line_and_symbol(built, name):
    app, etype, want = EXPECTED[name]
    report = _report(built(app), name)
    assert report["language"] in ("javascript", "typescript")
    [exc] = report["exceptions"]
    assert exc["type"] == etype
    mine = [f for f in exc["frames"] if f["in_repo"]]
    got = [(f["path"], f["line"], f["symbol"]["qualname"] if f["symbol"] else None) for f in mine]
    assert [(p, line) for p, line, _q in got] == [(p, line) for p, line, _s in want], got
    for (_p, _l, qualname), (_wp, _wl, suffix) in zip(got, want):
        assert qualname is not None and qualname.endswith(suffix), (qualname, suffix)
    # a name V8 gives an anonymous function or a Node callback slot is not a mismatch
    assert not any(f.get("name_mismatch") for f in mine), mine
    for f in exc["frames"]:
        if any(mark in (f["file"] or "<anonymous>") for mark in _OUTSIDE):
            assert f["in_repo"] is False and f["path"] is None, f


@pytest.mark.parametrize("name", ["fastify_async_arrow", "fastify_class_method",
                                  "fastify_nested_plugin", "fastify_callback"])
def test_compiled_frames_come_back_to_the_typescript_through_the_source_maps(built, name):
    report = _report(built("fastify-billing"), name)
    for f in report["exceptions"][0]["frames"]:
        if f["in_repo"]:
            assert f["path"].endswith(".ts")
            generated = f["mapped_from"]["path"]
            assert generated.startswith("dist/") and generated.endswith(".js")
            assert f["mapped_from"]["map"] == generated + ".map"


def test_the_raising_commit_is_the_first_suspect(built):
    """``throw new NotFoundError`` was written by the 'Typed errors' commit."""
    report = _report(built("express-shop"), "express_async_rejection")
    assert report["suspects"][0]["summary"] == "Typed errors in services"
    assert report["suspects"][0]["author"] == "Ada Lovelace"


def test_text_output_names_each_repository_frame(built):
    root = built("koa-inventory")
    result = CliRunner().invoke(cli, ["trace", str(apps.TRACES / "koa_mounted_admin.txt"),
                                      "--repo", str(root)])
    assert result.exit_code == 0, result.output
    for where in ("src/admin/statsController.mjs:6", "src/services/inventory.mjs:37",
                  "src/services/inventory.mjs:41"):
        assert where in result.output
    assert "RangeError" in result.output


def test_callers_and_callees_of_controllers_and_services(built):
    root = str(built("express-shop"))
    callers = api.callers("src/services/userService.js:24", repo_path=root)
    assert {c.symbol.qualname.rsplit(":", 1)[-1] for c in callers.callers} == \
        {"show", "UserService.rename"}
    callees = api.callees("src/controllers/ordersController.js:9", repo_path=root)
    assert [c.symbol.qualname for c in callees.callees] == \
        ["src/services/orderService.js:OrderService.total"]


# -- regenerating a trace ------------------------------------------------------------------
def _node_modules() -> Path | None:
    given = os.environ.get("CODEMAP_NODE_MODULES")
    if not given or shutil.which("node") is None:
        return None
    path = Path(given)
    return path if (path / "express" / "package.json").is_file() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_AT = re.compile(r"^\s+at (?:(?P<fn>[^()]*?) \()?(?P<file>[^()\s]+):(?P<line>\d+):(?P<col>\d+)\)?$")


def _own_frames(text: str, root_marker: str) -> list[tuple[str | None, str, int, int]]:
    out = []
    for line in text.splitlines():
        m = _AT.match(line)
        if m and "node_modules" not in m.group("file") and root_marker in m.group("file"):
            rel = m.group("file").split(root_marker, 1)[1]
            out.append((m.group("fn"), rel, int(m.group("line")), int(m.group("col"))))
    return out


@pytest.mark.skipif(_node_modules() is None,
                    reason="needs node and express 4 installed offline (CODEMAP_NODE_MODULES)")
def test_running_the_express_app_again_prints_the_stored_trace(built):
    root = built("express-shop")
    (root / "node_modules").symlink_to(_node_modules(), target_is_directory=True)
    port = _free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NODE")}, "PORT": str(port)}
    proc = subprocess.Popen(["node", "src/server.js"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/users/42/profile", timeout=5)
    finally:
        time.sleep(0.3)
        proc.terminate()
        _out, err = proc.communicate(timeout=10)
    fresh = err.decode("utf-8", "replace")
    stored = apps.trace_text("express_sync_typeerror")
    assert _own_frames(fresh, f"{root}/") == _own_frames(stored, "/express-shop/") != [], fresh
    assert "TypeError: Cannot read properties of undefined (reading 'bio')" in fresh
    (root / "node_modules").unlink()
    report = api.trace(fresh, repo_path=str(root))
    mine = [f for f in report.exceptions[0].frames if f.in_repo]
    assert [(f.path, f.line) for f in mine] == [("src/controllers/usersController.js", 17)]


def test_a_service_held_in_a_class_field_links_its_calls(built):
    """``private readonly billing = new BillingService()``: ``this.billing.charge()``
    is BillingService.charge, typed by the field's initializer (not a name guess)."""
    root = str(built("fastify-billing"))
    result = CliRunner().invoke(cli, ["callers", "src/services/billing.ts:24", "--repo", root,
                                      "--json"])
    assert result.exit_code == 0, result.output
    [caller] = json.loads(result.output)["callers"]
    assert caller["symbol"]["qualname"].endswith(":AccountsController.charge")
    assert caller["line"] == 15 and caller["confidence"] in ("exact", "likely")


def test_console_trace_and_an_error_cause_chain(git_repo):
    """``console.trace('starting')`` prints ``Trace: starting``; an error thrown with
    ``{ cause: err }`` prints the cause as an indented ``[cause]:`` block."""
    script = apps.HERE / "scripts" / "cause-chain"
    for path in sorted(script.rglob("*.js")):
        git_repo.write(path.relative_to(script).as_posix(), path.read_text(encoding="utf-8"))
    git_repo.commit("loader script")
    text = (apps.HERE / "scripts" / "cause-chain.txt").read_text(encoding="utf-8")
    report = api.trace(text, repo_path=str(git_repo.root))
    got = [(e.type, e.message, [(f.path, f.line, f.symbol.qualname if f.symbol else None)
                                for f in e.frames if f.in_repo]) for e in report.exceptions]
    assert got == [
        ("Trace", "starting", [("main.js", 12, "main.js")]),
        ("Error", "loading failed", [("main.js", 8, "main.js:main")]),
        ("SyntaxError", "Expected property name or '}' in JSON at position 1", [
            ("main.js", 13, "main.js"), ("main.js", 6, "main.js:main"),
            ("lib/store.js", 8, "lib/store.js:fetchAll"), ("lib/store.js", 8, "lib/store.js:fetchAll"),
            ("lib/store.js", 4, "lib/store.js:Store.load")]),
    ]


def test_a_function_called_through_a_property_of_another_name(git_repo):
    """V8 prints a named function expression by its own name and the property it was
    called through: ``Object.listItems [as handler]`` is the symbol named ``handler``,
    and the timer callback (``Timeout._onTimeout``) is the module's code."""
    script = apps.HERE / "scripts" / "named-expressions"
    git_repo.write("routes.js", (script / "routes.js").read_text(encoding="utf-8"))
    git_repo.commit("routes")
    text = (apps.HERE / "scripts" / "named-expressions.txt").read_text(encoding="utf-8")
    [exc] = api.trace(text, repo_path=str(git_repo.root)).exceptions
    got = [(f.line, f.symbol.qualname, f.name_mismatch) for f in exc.frames if f.in_repo]
    assert got == [(14, "routes.js", None), (10, "routes.js:show", False),
                   (5, "routes.js:routes.handler", False)]
