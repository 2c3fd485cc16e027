"""Route detection per framework, on small real repositories built in a temp dir.

Each test writes an application the way that framework's documentation
shows it (routers in several files, prefixes at construction and at mount
time), commits it, and checks the endpoints: method, composed route,
handler symbol and declaration site. Frameworks we can run here are also
checked against their own runtime route tables in ``test_runtime_*.py``.
"""

from __future__ import annotations

from codemap import api


def table(repo) -> list[tuple[str, str, str | None]]:
    return [(e.method, e.route, e.handler.qualname if e.handler else None)
            for e in api.endpoints(str(repo.root)).endpoints]


def test_flask_blueprints_prefixes_and_method_views(git_repo):
    git_repo.write("shop/__init__.py", '''
from flask import Flask
from .auth import bp as auth_bp
from . import blog

def create_app():
    app = Flask(__name__)
    app.register_blueprint(auth_bp)
    app.register_blueprint(blog.bp, url_prefix="/posts")
    from .api import UserAPI
    app.add_url_rule("/users/<int:id>", view_func=UserAPI.as_view("user"))

    @app.route("/health")
    def health():
        return "ok"
    return app
''')
    git_repo.write("shop/auth.py", '''
from flask import Blueprint
bp = Blueprint("auth", __name__, url_prefix="/auth")

@bp.route("/register", methods=("GET", "POST"))
def register():
    return helper()

def helper():
    return 1

@bp.get("/login")
def login():
    pass
''')
    git_repo.write("shop/blog.py", '''
from flask import Blueprint
bp = Blueprint("blog", __name__, url_prefix="/blog")

@bp.route("/")
def index():
    pass
''')
    git_repo.write("shop/api.py", '''
from flask.views import MethodView

class UserAPI(MethodView):
    def get(self, id):
        pass

    def delete(self, id):
        pass
''')
    git_repo.commit("flask app")
    assert table(git_repo) == [
        ("GET", "/auth/register", "shop.auth.register"),
        ("POST", "/auth/register", "shop.auth.register"),
        ("GET", "/auth/login", "shop.auth.login"),
        ("GET", "/posts/", "shop.blog.index"),  # url_prefix at registration replaces /blog
        ("GET", "/users/<int:id>", "shop.api.UserAPI.get"),
        ("DELETE", "/users/<int:id>", "shop.api.UserAPI.delete"),
        ("GET", "/health", "shop.create_app.health"),
    ]
    first = api.endpoints(str(git_repo.root)).endpoints[0]
    assert (first.framework, first.path, first.line) == ("flask", "shop/auth.py", 5)
    assert first.handler.start_line == 5 and first.handler.kind == "function"


def test_fastapi_routers_and_starlette_lists(git_repo):
    git_repo.write("svc/main.py", '''
from fastapi import FastAPI
from .routers import items
from .routers.users import router as users_router

app = FastAPI()
app.include_router(users_router)
app.include_router(items.router, prefix="/v1")

@app.api_route("/ping", methods=["GET", "HEAD"])
async def ping():
    return {}
''')
    git_repo.write("svc/__init__.py", "")
    git_repo.write("svc/routers/__init__.py", "")
    git_repo.write("svc/routers/users.py", '''
from fastapi import APIRouter
router = APIRouter(prefix="/users")

@router.get("/me")
def me():
    pass

@router.get("/{user_id}")
def user(user_id: int):
    pass
''')
    git_repo.write("svc/routers/items.py", '''
from fastapi import APIRouter
router = APIRouter(prefix="/items")

@router.put("/{item_id}")
def update(item_id: str):
    pass
''')
    git_repo.write("star.py", '''
from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.endpoints import HTTPEndpoint

async def home(request):
    pass

class Thing(HTTPEndpoint):
    async def get(self, request):
        pass
    async def post(self, request):
        pass

routes = [
    Route("/", home),
    Mount("/api", routes=[Route("/things/{id:int}", Thing)]),
]
app = Starlette(routes=routes)
''')
    git_repo.commit("asgi apps")
    assert table(git_repo) == [
        ("GET", "/", "star.home"),
        ("GET", "/api/things/{id:int}", "star.Thing.get"),
        ("POST", "/api/things/{id:int}", "star.Thing.post"),
        ("GET", "/users/me", "svc.routers.users.me"),
        ("GET", "/users/{user_id}", "svc.routers.users.user"),
        ("PUT", "/v1/items/{item_id}", "svc.routers.items.update"),
        ("GET", "/ping", "svc.main.ping"),
        ("HEAD", "/ping", "svc.main.ping"),
    ]


def test_django_includes_regexes_and_class_views(git_repo):
    git_repo.write("site/settings.py", 'ROOT_URLCONF = "site.urls"\n')
    git_repo.write("site/__init__.py", "")
    git_repo.write("site/urls.py", '''
from django.contrib import admin
from django.urls import include, path, re_path
from blog import views as blog_views

urlpatterns = [
    path("", blog_views.home, name="home"),
    path("blog/", include("blog.urls")),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", blog_views.archive),
    path("admin/", admin.site.urls),
]
''')
    git_repo.write("blog/__init__.py", "")
    git_repo.write("blog/urls.py", '''
from django.urls import path
from . import views

urlpatterns = [
    path("<int:pk>/", views.PostDetail.as_view(), name="detail"),
    path("new/", views.create),
]
''')
    git_repo.write("blog/views.py", '''
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

def home(request):
    pass

def archive(request, year):
    pass

@require_POST
def create(request):
    pass

class PostDetail(DetailView):
    def post(self, request, pk):
        pass
''')
    git_repo.commit("django project")
    assert table(git_repo) == [
        ("*", "/", "blog.views.home"),
        ("GET", "/blog/<int:pk>/", "blog.views.PostDetail"),  # get() comes from DetailView
        ("POST", "/blog/<int:pk>/", "blog.views.PostDetail.post"),
        ("POST", "/blog/new/", "blog.views.create"),
        ("*", "/archive/<year>/", "blog.views.archive"),  # re_path, as show_urls shows it
        ("*", "/admin/{?}", None),  # built at run time by the admin site: shown, not guessed
    ]
    admin_site = api.endpoints(str(git_repo.root)).endpoints[-1]
    assert admin_site.unknown == ["handler", "route"]


EXPRESS_APP = {
    "app.js": '''
const express = require('express');
const users = require('./routes/users');
const { router: itemsRouter } = require('./routes/items');
const app = express();
app.use(express.json());
app.get('/', function home(req, res) { res.send('hi'); });
app.use('/users', users);
app.use('/items', itemsRouter);
require('./routes/legacy')(app);
app.route('/book').get((req, res) => res.send('get')).post(createBook);
app.get('title');
function createBook(req, res) {}
module.exports = app;
''',
    "routes/users.js": '''
var express = require('express');
var router = express.Router();
const ctrl = require('../controllers/users');
router.get('/', ctrl.list);
router.get('/:id(\\\\d+)', ctrl.show);
router.post('/', auth, ctrl.create);
function auth(req, res, next) { next(); }
module.exports = router;
''',
    "controllers/users.js": '''
exports.list = function (req, res) { res.json([]); };
exports.show = (req, res) => { res.json({}); };
module.exports.create = function create(req, res) { res.end(); };
''',
    "routes/items.js": '''
const { Router } = require('express');
const router = Router();
router.delete('/:id', async (req, res) => { res.end(); });
module.exports = { router };
''',
    "routes/legacy.js": '''
module.exports = function (app) {
  app.get('/legacy/:page?', function legacy(req, res) { res.end(); });
};
''',
}


def test_express_routers_across_modules(git_repo):
    for rel, text in EXPRESS_APP.items():
        git_repo.write(rel, text)
    git_repo.commit("express app")
    assert table(git_repo) == [
        ("GET", "/", "app.js:home"),
        ("GET", "/users", "controllers/users.js:list"),
        ("GET", "/users/:id(\\d+)", "controllers/users.js:show"),
        ("POST", "/users", "controllers/users.js:create"),  # the last handler, not the middleware
        ("DELETE", "/items/:id", "routes/items.js:<anonymous>"),
        ("GET", "/legacy/:page?", "routes/legacy.js:exports.legacy"),
        ("GET", "/book", "app.js:<anonymous>"),
        ("POST", "/book", "app.js:createBook"),
    ]


def test_koa_fastify_and_nest(git_repo):
    git_repo.write("src/koa.js", '''
const Koa = require('koa');
const Router = require('@koa/router');
const app = new Koa();
const router = new Router({ prefix: '/api' });
const nested = new Router();
nested.get('/deep', (ctx) => {});
router.get('/users/:id', getUser);
router.use('/nested', nested.routes());
app.use(router.routes()).use(router.allowedMethods());
async function getUser(ctx) {}
''')
    git_repo.write("src/fastify.js", '''
const fastify = require('fastify')({ logger: true });
fastify.get('/ping', async (request, reply) => 'pong');
fastify.route({ method: 'POST', url: '/things', handler: createThing });
fastify.register(async function (instance, opts) {
  instance.get('/status', async () => ({}));
}, { prefix: '/v2' });
async function createThing(req, reply) {}
''')
    git_repo.write("src/users.controller.ts", '''
import { Controller, Get, Post, Param } from '@nestjs/common';

@Controller('users')
export class UsersController {
  @Get()
  findAll() { return []; }

  @Get(':id')
  findOne(@Param('id') id: string) { return id; }

  @Post()
  create() {}
}
''')
    git_repo.write("src/main.ts", '''
import { NestFactory } from '@nestjs/core';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api/v1');
  await app.listen(3000);
}
''')
    git_repo.commit("node apps")
    rows = table(git_repo)
    assert ("GET", "/api/v1/users/:id", "src/users.controller.ts:UsersController.findOne") in rows
    assert ("GET", "/api/v1/users", "src/users.controller.ts:UsersController.findAll") in rows
    assert ("POST", "/api/v1/users", "src/users.controller.ts:UsersController.create") in rows
    assert ("GET", "/ping", "src/fastify.js:<anonymous>") in rows
    assert ("POST", "/things", "src/fastify.js:createThing") in rows
    assert ("GET", "/v2/status", "src/fastify.js:<anonymous>") in rows
    assert ("GET", "/api/users/:id", "src/koa.js:getUser") in rows
    assert ("GET", "/api/nested/deep", "src/koa.js:<anonymous>") in rows
    assert len(rows) == 8


def test_spring_class_and_method_mappings(git_repo):
    git_repo.write("src/main/java/com/acme/UserController.java", '''
package com.acme;

import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/users")
public class UserController {
    @GetMapping("/{id}")
    public User get(@PathVariable Long id) { return null; }

    @PostMapping
    public User create(@RequestBody User user) { return null; }

    @RequestMapping(value = "/search", method = {RequestMethod.GET, RequestMethod.POST})
    public List<User> search() { return null; }

    public void notARoute() {}
}
''')
    git_repo.commit("spring")
    assert table(git_repo) == [
        ("GET", "/api/users/{id}", "com.acme.UserController.get"),
        ("POST", "/api/users", "com.acme.UserController.create"),
        ("GET", "/api/users/search", "com.acme.UserController.search"),
        ("POST", "/api/users/search", "com.acme.UserController.search"),
    ]


def test_go_net_http_chi_gin_echo(git_repo):
    git_repo.write("go.mod", "module example.com/goapp\n\ngo 1.22\n")
    git_repo.write("cmd/main.go", '''package main

import (
	"net/http"

	"example.com/goapp/internal/handlers"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/labstack/echo/v4"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", handlers.GetItem)
	mux.Handle("/api/", http.StripPrefix("/api", apiMux()))
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {})

	r := chi.NewRouter()
	r.Route("/users", func(r chi.Router) {
		r.Get("/{userID}", handlers.GetUser)
	})
	r.Mount("/admin", adminRouter())

	g := gin.Default()
	v1 := g.Group("/v1")
	v1.GET("/ping", handlers.Ping)
	registerGin(v1)

	e := echo.New()
	admin := e.Group("/admin")
	admin.GET("/stats/:id", handlers.Stats)
}

func apiMux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("/version", handlers.Version)
	return m
}

func adminRouter() chi.Router {
	r := chi.NewRouter()
	r.Get("/dashboard", handlers.Dashboard)
	return r
}

func registerGin(rg *gin.RouterGroup) {
	rg.POST("/orders", handlers.CreateOrder)
}
''')
    git_repo.write("internal/handlers/http.go", '''package handlers

import "net/http"

func GetItem(w http.ResponseWriter, r *http.Request)   {}
func GetUser(w http.ResponseWriter, r *http.Request)   {}
func Dashboard(w http.ResponseWriter, r *http.Request) {}
func Version(w http.ResponseWriter, r *http.Request)   {}
''')
    git_repo.write("internal/handlers/ctx.go", '''package handlers

import (
	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
)

func Ping(c *gin.Context)        {}
func CreateOrder(c *gin.Context) {}
func Stats(c echo.Context) error { return nil }
''')
    git_repo.commit("go services")
    rows = {(m, r, h) for m, r, h in table(git_repo)}
    assert rows == {
        ("GET", "/items/{id}", "handlers.GetItem"),
        ("*", "/api/version", "handlers.Version"),
        ("*", "/health", "main.main.<anonymous>"),
        ("GET", "/users/{userID}", "handlers.GetUser"),
        ("GET", "/admin/dashboard", "handlers.Dashboard"),
        ("GET", "/v1/ping", "handlers.Ping"),
        ("POST", "/v1/orders", "handlers.CreateOrder"),
        ("GET", "/admin/stats/:id", "handlers.Stats"),
    }


def test_dynamic_routes_are_reported_as_unknown(git_repo):
    git_repo.write("app.py", '''
from flask import Flask
app = Flask(__name__)

for name in ["alpha", "beta"]:
    app.add_url_rule(f"/pages/{name}", view_func=make_view(name))

@app.route(PREFIX + "/x")
def dynamic_prefix():
    pass

def make_view(name):
    return lambda: name
''')
    git_repo.commit("loops")
    eps = api.endpoints(str(git_repo.root)).endpoints
    routes = {(e.route, tuple(e.unknown)) for e in eps}
    assert ("/pages/{?}", ("handler", "route")) in routes
    assert ("{?}/x", ("route",)) in routes
    loop = next(e for e in eps if e.route == "/pages/{?}")
    assert loop.handler is None  # never a guess


def test_duplicate_routes_are_all_listed_in_registration_order(git_repo):
    git_repo.write("app.js", '''
const express = require('express');
const app = express();
app.get('/users/:id', function byId(req, res) {});
app.get('/users/me', function me(req, res) {});
app.get('/users/:id', function shadowed(req, res) {});
''')
    git_repo.commit("dupes")
    assert [h for _m, _r, h in table(git_repo)] == ["app.js:byId", "app.js:me", "app.js:shadowed"]


def test_no_routes_in_code_that_only_looks_like_it(git_repo):
    git_repo.write("client.py", '''
import requests
cache = {}

def fetch():
    requests.get("/users/1")
    cache.get("/x")
    return route("/not/a/route")

def route(x):
    return x
''')
    git_repo.write("util.js", '''
const map = new Map();
map.get('/x');
fetch('/api/users').then(r => r.json());
''')
    git_repo.commit("lookalikes")
    assert table(git_repo) == []
