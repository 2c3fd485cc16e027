"""Every mount style of the Node services in ``tests/traces/node_real/apps`` resolves a
request to its handler under the full mounted path.

Express: ``app.use('/api', apiRouter)`` across modules, ``router.use('/users', r)``,
``router.route('/:id/profile').get(h).post(h)``, controllers exported from other
modules. Koa: ``new Router({prefix})``, ``router.use('/v1', v1.routes(), ...)`` and
koa-mount's ``app.use(mount('/admin', adminApp))`` of a whole Koa app. Fastify
(TypeScript): ``register(plugin, {prefix})`` nested two plugins deep, handlers as
methods of a controller instance made inside the plugin. codemap never runs the
code: only the sources are committed (the traces of the same apps are in
``tests/traces/test_node_real.py``).
"""

from __future__ import annotations

import pytest

from codemap import api
from tests.conftest import GitRepoBuilder
from tests.traces.node_real import apps

ROUTES = {
    "express-shop": [
        ("GET", "/health", "src/controllers/healthController.js:health"),
        ("GET", "/api/users", "src/controllers/usersController.js:list"),
        ("GET", "/api/users/:id", "src/controllers/usersController.js:show"),
        ("GET", "/api/users/:id/profile", "src/controllers/usersController.js:profile"),
        ("POST", "/api/users/:id/profile", "src/controllers/usersController.js:updateProfile"),
        ("GET", "/api/orders/:orderId/total", "src/controllers/ordersController.js:total"),
        ("POST", "/api/orders", "src/controllers/ordersController.js:create"),
        ("GET", "/api/orders/:orderId/receipt", "src/controllers/ordersController.js:receipt"),
    ],
    "koa-inventory": [
        ("GET", "/admin/stats", "src/admin/statsController.mjs:showStats"),
        ("DELETE", "/admin/cache/:key", "src/admin/statsController.mjs:flushCache"),
        ("GET", "/api/ping", "src/controllers/pingController.mjs:ping"),
        ("GET", "/api/v1/items/:id", "src/controllers/itemsController.mjs:show"),
        ("POST", "/api/v1/items", "src/controllers/itemsController.mjs:create"),
        ("PUT", "/api/v1/items/:id/stock", "src/controllers/itemsController.mjs:restock"),
    ],
    "fastify-billing": [
        ("GET", "/status", "src/app.ts:buildApp.<anonymous>"),
        ("GET", "/accounts/:id", "src/controllers/accountsController.ts:AccountsController.show"),
        ("POST", "/accounts/:id/charge",
         "src/controllers/accountsController.ts:AccountsController.charge"),
        ("GET", "/v2/invoices/:number", "src/plugins/invoices.ts:invoicesPlugin.<anonymous>"),
        ("GET", "/v2/invoices/:number/pdf", "src/plugins/invoices.ts:invoicesPlugin.renderPdf"),
    ],
}

# the requests the traces of tests/traces/node_real were made with, and the handler each reached
REQUESTS = [
    ("express-shop", "GET /api/users/42", "/api/users/:id", "usersController.js:show"),
    ("express-shop", "GET /api/users/42/profile", "/api/users/:id/profile", "usersController.js:profile"),
    ("express-shop", "POST /api/users/1/profile", "/api/users/:id/profile",
     "usersController.js:updateProfile"),
    ("express-shop", "GET /api/orders/7/total", "/api/orders/:orderId/total", "ordersController.js:total"),
    ("express-shop", "POST /api/orders", "/api/orders", "ordersController.js:create"),
    ("express-shop", "GET /api/orders/9/receipt", "/api/orders/:orderId/receipt",
     "ordersController.js:receipt"),
    ("koa-inventory", "GET /api/v1/items/42", "/api/v1/items/:id", "itemsController.mjs:show"),
    ("koa-inventory", "PUT /api/v1/items/1/stock", "/api/v1/items/:id/stock",
     "itemsController.mjs:restock"),
    ("koa-inventory", "POST /api/v1/items", "/api/v1/items", "itemsController.mjs:create"),
    ("koa-inventory", "GET /admin/stats", "/admin/stats", "statsController.mjs:showStats"),
    ("koa-inventory", "DELETE /admin/cache/users", "/admin/cache/:key", "statsController.mjs:flushCache"),
    ("fastify-billing", "GET /accounts/zz", "/accounts/:id", "AccountsController.show"),
    ("fastify-billing", "POST /accounts/a1/charge", "/accounts/:id/charge", "AccountsController.charge"),
    ("fastify-billing", "GET /v2/invoices/X9", "/v2/invoices/:number", "invoicesPlugin.<anonymous>"),
    ("fastify-billing", "GET /v2/invoices/INV-1/pdf", "/v2/invoices/:number/pdf",
     "invoicesPlugin.renderPdf"),
]


def _sources_only(git_repo: GitRepoBuilder, app: str) -> str:
    for rel, text in apps.sources(app).items():
        git_repo.write(rel, text)
    git_repo.commit(f"{app} sources")
    return str(git_repo.root)


def table(root: str) -> list[tuple[str, str, str | None]]:
    return [(e.method, e.route, e.handler.qualname if e.handler else None)
            for e in api.endpoints(root).endpoints]


@pytest.mark.parametrize("app", sorted(ROUTES))
def test_every_route_is_listed_under_its_full_mounted_path(git_repo, app):
    got = table(_sources_only(git_repo, app))
    assert sorted(got) == sorted(ROUTES[app])


@pytest.mark.parametrize(("app", "request_line", "route", "handler"), REQUESTS,
                         ids=[f"{a}:{r}" for a, r, _x, _y in REQUESTS])
def test_a_request_reaches_the_handler_that_threw(git_repo, app, request_line, route, handler):
    root = _sources_only(git_repo, app)
    matches = api.endpoint(request_line, root).matches
    assert matches, request_line
    best = matches[0]
    assert best.route == route
    assert best.handler is not None and best.handler.qualname.endswith(handler)


def test_koa_mount_required_in_commonjs_and_nested(git_repo):
    """``const mount = require('koa-mount')``; ``mount('/a', mount('/b', app))`` adds both
    prefixes; ``mount(app)`` without a prefix serves the app at the root."""
    git_repo.write("server.js", """\
const Koa = require('koa');
const Router = require('@koa/router');
const mount = require('koa-mount');
const { reports } = require('./reports');

const inner = new Koa();
const r = new Router();
r.get('/daily/:day', reports.daily);
inner.use(r.routes());

const health = new Koa();
const h = new Router();
h.get('/healthz', reports.health);
health.use(h.routes());

const app = new Koa();
app.use(mount('/ops', mount('/reports', inner)));
app.use(mount(health));
app.listen(3000);
""")
    git_repo.write("reports.js", """\
exports.reports = {
  daily(ctx) { ctx.body = ctx.params.day; },
  health(ctx) { ctx.body = 'ok'; },
};
""")
    git_repo.commit("ops app")
    routes = {(m, r) for m, r, _h in table(str(git_repo.root))}
    assert routes == {("GET", "/ops/reports/daily/:day"), ("GET", "/healthz")}
    [match] = api.endpoint("GET /ops/reports/daily/monday", str(git_repo.root)).matches
    assert match.route == "/ops/reports/daily/:day"


def test_a_mount_function_of_another_module_adds_no_prefix(git_repo):
    """Only koa-mount's function mounts under its first argument: a local helper
    called ``mount`` with two arguments is not followed."""
    git_repo.write("app.mjs", """\
import Koa from 'koa';
import Router from '@koa/router';
import { mount } from './helpers.mjs';

const sub = new Koa();
const r = new Router();
r.get('/inside', (ctx) => { ctx.body = 1; });
sub.use(r.routes());

const app = new Koa();
app.use(mount('/x', sub));
""")
    git_repo.write("helpers.mjs", "export function mount(prefix, app) { return app.callback(); }\n")
    git_repo.commit("helper named mount")
    assert "/x/inside" not in {r for _m, r, _h in table(str(git_repo.root))}


def test_routers_made_on_an_inline_require_and_mounted_through_one(git_repo):
    """``require('express').Router()`` makes a router like ``express.Router()`` does, and
    ``app.use('/api', require('./routes/api'))`` mounts the module's router."""
    git_repo.write("app.js", """\
const express = require('express');
const app = express();
app.use('/api', require('./routes/api'));
app.listen(3000);
""")
    git_repo.write("routes/api.js", """\
const router = require('express').Router();
router.use('/users', require('./users'));
module.exports = router;
""")
    git_repo.write("routes/users.js", """\
const router = require('express').Router();
router.get('/:id', function getUser(req, res) { res.json({ id: req.params.id }); });
module.exports = router;
""")
    git_repo.commit("inline requires")
    assert table(str(git_repo.root)) == [("GET", "/api/users/:id", "routes/users.js:getUser")]
