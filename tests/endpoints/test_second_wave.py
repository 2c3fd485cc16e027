"""Route detection for the second-wave languages (issue #11): Rails, Laravel, ASP.NET Core,
Ktor and Spring on Kotlin, axum and actix-web.

Each test copies a small application from ``second_wave/<framework>/`` into a real git
repository and checks every detected route (method, composed route, framework, handler
qualname, in registration order) and how requests match them. The runtimes cannot run
here, so each expected table is written by hand from the framework's documented routing
semantics; ``second_wave/README.md`` names the document behind each one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from codemap import api
from codemap.cli.main import cli
from codemap.endpoints.inflections import camelize, pluralize, singularize
from codemap.endpoints.patterns import compile_route, tokens

FIXTURES = Path(__file__).with_name("second_wave")


def _app(git_repo, name: str, into: str = "") -> None:
    base = FIXTURES / name
    for path in sorted(base.rglob("*")):
        if path.is_file():
            git_repo.write(str(Path(into) / path.relative_to(base)), path.read_text())


def _table(repo, framework: str | None = None) -> list[tuple[str, str, str, str | None]]:
    return [(e.method, e.route, e.framework, e.handler.qualname if e.handler else None)
            for e in api.endpoints(str(repo.root)).endpoints
            if framework is None or e.framework == framework]


def _match(repo, request: str) -> list[tuple[str, str, str | None, dict[str, str]]]:
    return [(m.method, m.route, m.handler.qualname if m.handler else None, m.params)
            for m in api.endpoint(request, str(repo.root)).matches]


@pytest.fixture(scope="module")
def rails(tmp_path_factory):
    from tests.conftest import GitRepoBuilder

    repo = GitRepoBuilder(tmp_path_factory.mktemp("rails"))
    _app(repo, "rails")
    repo.commit("rails app")
    return repo


def test_rails_routes_resources_namespaces_and_controller_actions(rails):
    # Rails guide, "Rails Routing from the Outside In": resources register their block
    # first, then their concerns, then index, create, new, edit, show, update (PATCH, PUT),
    # destroy; a singular resource is served by the plural controller; nested resources
    # take :<singular>_id
    assert _table(rails) == [
        ("GET", "/", "rails", "PagesController#home"),
        ("GET", "/about", "rails", "PagesController#about"),
        ("POST", "/login", "rails", "SessionsController#create"),
        ("DELETE", "/logout", "rails", "SessionsController#destroy"),
        ("GET", "/contact", "rails", "PagesController#contact"),
        ("POST", "/contact", "rails", "PagesController#contact"),
        ("GET", "/articles/:id/preview", "rails", "ArticlesController#preview"),
        ("GET", "/articles/search", "rails", "ArticlesController#search"),
        ("GET", "/articles/:article_id/comments", "rails", "CommentsController#index"),
        ("POST", "/articles/:article_id/comments", "rails", "CommentsController#create"),
        ("DELETE", "/articles/:article_id/comments/:id", "rails", "CommentsController#destroy"),
        ("GET", "/articles", "rails", "ArticlesController#index"),
        ("POST", "/articles", "rails", "ArticlesController#create"),
        ("GET", "/articles/new", "rails", None),  # no method: Rails renders new.html.erb
        ("GET", "/articles/:id/edit", "rails", "ArticlesController#edit"),
        ("GET", "/articles/:id", "rails", "ArticlesController#show"),
        ("PATCH", "/articles/:id", "rails", "ArticlesController#update"),
        ("PUT", "/articles/:id", "rails", "ArticlesController#update"),
        ("DELETE", "/articles/:id", "rails", "ArticlesController#destroy"),
        ("GET", "/profile/edit", "rails", "ProfilesController#edit"),
        ("GET", "/profile", "rails", "ProfilesController#show"),
        ("PATCH", "/profile", "rails", "ProfilesController#update"),
        ("PUT", "/profile", "rails", "ProfilesController#update"),
        ("GET", "/admin/users", "rails", "Admin::UsersController#index"),
        ("POST", "/admin/users", "rails", "Admin::UsersController#create"),
        ("GET", "/admin/users/:id", "rails", "Admin::UsersController#show"),
        ("PATCH", "/admin/users/:id", "rails", "Admin::UsersController#update"),
        ("PUT", "/admin/users/:id", "rails", "Admin::UsersController#update"),
        ("DELETE", "/admin/users/:id", "rails", "Admin::UsersController#destroy"),
        ("GET", "/admin/dashboard", "rails", "Admin::DashboardController#show"),
        ("GET", "/api/v1/orders", "rails", "Api::V1::OrdersController#index"),
        ("GET", "/api/v1/orders/:number", "rails", "Api::V1::OrdersController#show"),
        ("GET", "/files/*path", "rails", "FilesController#download"),
    ]
    endpoints = api.endpoints(str(rails.root)).endpoints
    new = next(e for e in endpoints if e.route == "/articles/new")
    assert new.unknown == ["handler"] and (new.path, new.line) == ("config/routes.rb", 14)
    show = next(e for e in endpoints if e.route == "/admin/users/:id" and e.method == "GET")
    assert (show.handler.path, show.handler.start_line, show.handler.kind) == (
        "app/controllers/admin/users_controller.rb", 11, "method")


def test_rails_requests_match_in_registration_order(rails):
    # /articles/new is declared before /articles/:id, which would also take "new"
    assert _match(rails, "GET /articles/new") == [
        ("GET", "/articles/new", None, {}),
        ("GET", "/articles/:id", "ArticlesController#show", {"id": "new"})]
    assert _match(rails, "GET /articles/42/comments") == [
        ("GET", "/articles/:article_id/comments", "CommentsController#index",
         {"article_id": "42"})]
    assert _match(rails, "PUT /admin/users/7") == [
        ("PUT", "/admin/users/:id", "Admin::UsersController#update", {"id": "7"})]
    assert _match(rails, "GET /api/v1/orders/A-1001")[0][2:] == (
        "Api::V1::OrdersController#show", {"number": "A-1001"})
    assert _match(rails, "GET /files/docs/q3.pdf") == [
        ("GET", "/files/*path", "FilesController#download", {"path": "docs/q3.pdf"})]
    [head] = api.endpoint("HEAD /about", str(rails.root)).matches  # GET answers HEAD
    assert (head.route, head.exact_method) == ("/about", False)
    assert _match(rails, "GET /articles/")[0][1] == "/articles"  # a trailing slash is ignored
    assert _match(rails, "DELETE /profile") == []  # only show, edit, update


def test_laravel_routes_groups_resources_and_controllers(git_repo):
    _app(git_repo, "laravel")
    git_repo.commit("laravel app")
    c = "App\\Http\\Controllers\\"
    # Laravel "Controllers": resource actions index, create, store, show, edit, update
    # (PUT, PATCH), destroy with {singular} parameters; apiResource has no create / edit;
    # routes/api.php is served under /api
    assert _table(git_repo) == [
        ("GET", "/api/orders", "laravel", c + "Api\\OrderController->index"),
        ("POST", "/api/orders", "laravel", c + "Api\\OrderController->store"),
        ("GET", "/api/orders/{order}", "laravel", c + "Api\\OrderController->show"),
        ("PUT", "/api/orders/{order}", "laravel", c + "Api\\OrderController->update"),
        ("PATCH", "/api/orders/{order}", "laravel", c + "Api\\OrderController->update"),
        ("DELETE", "/api/orders/{order}", "laravel", c + "Api\\OrderController->destroy"),
        ("GET", "/api/v2/status", "laravel", "routes/api.php:<anonymous>"),
        ("GET", "/", "laravel", "routes/web.php:<anonymous>"),
        ("GET", "/about", "laravel", None),  # Route::view: a template, no handler
        ("GET", "/user/{id}", "laravel", c + "UserController->show"),
        ("POST", "/user", "laravel", c + "UserController->store"),
        ("GET", "/search", "laravel", c + "UserController->search"),
        ("POST", "/search", "laravel", c + "UserController->search"),
        ("POST", "/server", "laravel", c + "ProvisionServer->__invoke"),
        ("GET", "/admin/reports/{year}/{month?}", "laravel", c + "Admin\\ReportController->index"),
        ("GET", "/admin/users/{user}/edit", "laravel", c + "UserController->edit"),
        ("PUT", "/admin/users/{user}", "laravel", c + "UserController->update"),
        ("GET", "/photos", "laravel", c + "PhotoController->index"),
        ("POST", "/photos", "laravel", c + "PhotoController->store"),
        ("GET", "/photos/{photo}", "laravel", c + "PhotoController->show"),
        ("PUT", "/photos/{photo}", "laravel", c + "PhotoController->update"),
        ("PATCH", "/photos/{photo}", "laravel", c + "PhotoController->update"),
        ("DELETE", "/photos/{photo}", "laravel", c + "PhotoController->destroy"),
        ("GET", "/photos/{photo}/comments", "laravel", c + "PhotoCommentController->index"),
        ("POST", "/photos/{photo}/comments", "laravel", c + "PhotoCommentController->store"),
    ]
    closure = next(e for e in api.endpoints(str(git_repo.root)).endpoints if e.route == "/")
    assert (closure.handler.kind, closure.handler.start_line, closure.handler.end_line) == (
        "lambda", 12, 14)
    assert _match(git_repo, "GET /user/42") == [
        ("GET", "/user/{id}", c + "UserController->show", {"id": "42"})]
    # {month?} is optional: the route answers with and without it
    assert _match(git_repo, "GET /admin/reports/2024")[0][3] == {"year": "2024"}
    assert _match(git_repo, "GET /admin/reports/2024/05")[0][3] == {"year": "2024", "month": "05"}
    assert _match(git_repo, "PATCH /photos/3")[0][2] == c + "PhotoController->update"
    assert _match(git_repo, "GET /photos/3/edit") == []  # ->except(['create', 'edit'])
    assert _match(git_repo, "HEAD /user/7")[0][1] == "/user/{id}"  # Route::get answers HEAD
    assert _match(git_repo, "DELETE /api/orders/9")[0][2] == c + "Api\\OrderController->destroy"


def test_aspnet_attribute_routes_and_minimal_apis(git_repo):
    _app(git_repo, "aspnet")
    git_repo.commit("aspnet app")
    u = "Shop.Api.Controllers.UsersController."
    o = "Shop.Api.Endpoints.OrderEndpoints."
    # "Routing to controller actions": [Route] on the controller combines with the
    # actions' [HttpGet(...)]; [controller] is the class name without "Controller";
    # "/health" is not combined. Minimal APIs: MapGroup prefixes, MapMethods' methods.
    assert _table(git_repo) == [
        ("GET", "/api/Users", "aspnet", u + "List"),
        ("GET", "/api/Users/{id:int}", "aspnet", u + "Get"),
        ("POST", "/api/Users", "aspnet", u + "Create"),
        ("DELETE", "/api/Users/{id}", "aspnet", u + "Delete"),
        ("GET", "/api/Users/search", "aspnet", u + "Search"),
        ("GET", "/api/Users/Export", "aspnet", u + "Export"),
        ("GET", "/health", "aspnet", u + "Health"),
        ("GET", "/ping", "aspnet", "Shop.Api/Program.cs:<anonymous>"),
        ("GET", "/files/{*path}", "aspnet", "Shop.Api.FileHandlers.Download"),
        ("POST", "/files", "aspnet", "Shop.Api.FileHandlers.Upload"),
        ("GET", "/orders", "aspnet", o + "GetAll"),
        ("GET", "/orders/{id:guid}", "aspnet", o + "GetById"),
        ("PUT", "/orders/{id:guid}", "aspnet", o + "Update"),
        ("PATCH", "/orders/{id:guid}", "aspnet", o + "Update"),
    ]
    # routing is case-insensitive; {id:int} takes digits only
    assert _match(git_repo, "GET /api/users/42") == [
        ("GET", "/api/Users/{id:int}", u + "Get", {"id": "42"})]
    assert _match(git_repo, "GET /API/USERS")[0][1] == "/api/Users"
    assert _match(git_repo, "GET /api/users/abc") == []
    assert _match(git_repo, "DELETE /api/users/abc")[0][3] == {"id": "abc"}
    assert _match(git_repo, "GET /api/users/search")[0][2] == u + "Search"
    assert _match(git_repo, "GET /files/img/logo.png") == [
        ("GET", "/files/{*path}", "Shop.Api.FileHandlers.Download", {"path": "img/logo.png"})]
    guid = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    assert _match(git_repo, f"PATCH /orders/{guid}") == [
        ("PATCH", "/orders/{id:guid}", o + "Update", {"id": guid})]
    assert _match(git_repo, "GET /orders/not-a-guid") == []


def test_ktor_routing_dsl_and_spring_on_kotlin(git_repo):
    _app(git_repo, "kotlin")
    git_repo.commit("kotlin app")
    # Ktor "Routing": route() prefixes, verbs with and without a path, extension functions
    # on Route; the handler is the lambda itself
    assert _table(git_repo) == [
        ("GET", "/v2/users/{id}", "spring", "com.acme.web.UserController.get"),
        ("POST", "/v2/users", "spring", "com.acme.web.UserController.create"),
        ("GET", "/v2/users/search", "spring", "com.acme.web.UserController.search"),
        ("POST", "/v2/users/search", "spring", "com.acme.web.UserController.search"),
        ("GET", "/", "ktor", "com.acme.module.<anonymous>"),
        ("GET", "/api/health", "ktor", "com.acme.module.<anonymous>"),
        ("GET", "/api/orders", "ktor", "com.acme.module.<anonymous>"),
        ("POST", "/api/orders", "ktor", "com.acme.module.<anonymous>"),
        ("GET", "/api/orders/{id}", "ktor", "com.acme.module.<anonymous>"),
        ("GET", "/api/users/{id?}", "ktor", "com.acme.routes.userRoutes.<anonymous>"),
        ("DELETE", "/api/users/{id}", "ktor", "com.acme.routes.userRoutes.<anonymous>"),
        ("GET", "/static/{...}", "ktor", "com.acme.module.<anonymous>"),
    ]
    endpoints = api.endpoints(str(git_repo.root)).endpoints
    by_id = next(e for e in endpoints if e.route == "/api/orders/{id}")
    assert (by_id.handler.kind, by_id.handler.path, by_id.handler.start_line) == (
        "lambda", "src/main/kotlin/com/acme/Application.kt", 19)
    assert (by_id.path, by_id.line) == ("src/main/kotlin/com/acme/Application.kt", 19)
    assert _match(git_repo, "GET /api/orders/7")[0][1:] == (
        "/api/orders/{id}", "com.acme.module.<anonymous>", {"id": "7"})
    # what the lambda calls comes from the call graph of its enclosing function's lines
    [found] = api.endpoint("GET /api/orders/7", str(git_repo.root)).matches
    assert [c.qualname for c in found.callees] == ["com.acme.findOrder"]
    # {id?} is optional, {...} takes the rest of the path
    assert _match(git_repo, "GET /api/users")[0][1] == "/api/users/{id?}"
    assert _match(git_repo, "GET /api/users/3")[0][3] == {"id": "3"}
    assert _match(git_repo, "GET /static/css/site.css")[0][1] == "/static/{...}"
    assert _match(git_repo, "GET /v2/users/3") == [
        ("GET", "/v2/users/{id}", "com.acme.web.UserController.get", {"id": "3"})]


def test_axum_and_actix_in_one_cargo_workspace(git_repo):
    git_repo.write("Cargo.toml", '[workspace]\nmembers = ["api", "web"]\n')
    _app(git_repo, "axum", "api")
    _app(git_repo, "actix", "web")
    git_repo.commit("rust services")
    # axum: Router::route with method routers, nest() prefixes, `:id` / `*path` (0.7) and
    # `{period}` (0.8); actix-web: #[get] handlers served where .service() registers them
    assert _table(git_repo) == [
        ("GET", "/", "axum", "crate::root"),
        ("GET", "/users", "axum", "crate::handlers::list_users"),
        ("POST", "/users", "axum", "crate::handlers::create_user"),
        ("GET", "/users/:id", "axum", "crate::handlers::show_user"),
        ("DELETE", "/users/:id", "axum", "crate::handlers::delete_user"),
        ("GET", "/files/*path", "axum", "crate::handlers::serve_file"),
        ("POST", "/webhook", "axum", "crate::handlers::webhook"),
        ("GET", "/admin/stats/{period}", "axum", "crate::admin::stats"),
        ("GET", "/", "actix-web", "crate::hello"),
        ("POST", "/echo", "actix-web", "crate::echo"),
        ("GET", "/api/orders/{id}", "actix-web", "crate::orders::get_order"),
        ("GET", "/api/ping", "actix-web", "crate::manual_hello"),
        ("GET", "/api/orders", "actix-web", "crate::orders::list_orders"),
        ("POST", "/api/orders", "actix-web", "crate::orders::create_order"),
        ("GET", "/static/{tail:.*}", "actix-web", "crate::manual_hello"),
        ("GET", "/hey", "actix-web", "crate::manual_hello"),
    ]
    handlers = {(e.framework, e.route, e.method): e.handler
                for e in api.endpoints(str(git_repo.root)).endpoints}
    assert handlers["axum", "/users/:id", "GET"].path == "api/src/handlers.rs"
    assert handlers["actix-web", "/", "GET"].path == "web/src/main.rs"
    assert handlers["actix-web", "/api/orders", "POST"].path == "web/src/orders.rs"
    # both services answer "GET /": each framework's route is listed
    assert sorted(m[2] for m in _match(git_repo, "GET /")) == ["crate::hello", "crate::root"]
    assert _match(git_repo, "GET /users/42") == [
        ("GET", "/users/:id", "crate::handlers::show_user", {"id": "42"})]
    assert _match(git_repo, "HEAD /users/42")[0][1] == "/users/:id"  # axum's get answers HEAD
    assert _match(git_repo, "PUT /users/42") == []
    assert _match(git_repo, "GET /files/a/b.txt")[0][3] == {"path": "a/b.txt"}
    assert _match(git_repo, "GET /admin/stats/week")[0][3] == {"period": "week"}
    assert _match(git_repo, "GET /api/orders/5") == [
        ("GET", "/api/orders/{id}", "crate::orders::get_order", {"id": "5"})]
    assert _match(git_repo, "GET /static/css/x.css")[0][3] == {"tail": "css/x.css"}


def test_endpoint_command_matches_second_wave_routes(git_repo):
    _app(git_repo, "rails")
    git_repo.commit("rails app")
    result = CliRunner().invoke(cli, ["endpoint", "GET /admin/users/42", "--repo",
                                      str(git_repo.root), "--json"])
    assert result.exit_code == 0, result.output
    [match] = json.loads(result.output)["matches"]
    assert (match["method"], match["route"], match["framework"]) == (
        "GET", "/admin/users/:id", "rails")
    assert match["handler"]["qualname"] == "Admin::UsersController#show"
    assert match["params"] == {"id": "42"}


def test_nothing_is_a_route_outside_the_routing_dsls(git_repo):
    # Rails helpers, a Ktor client and an RSpec request spec call get/root/resources too
    git_repo.write("app/models/report.rb", '''class Report
  def path
    Rails.root.join("reports", "#{id}.pdf")
  end

  def self.recent
    resources = all.limit(5)
    resources.map { |r| r.get(:title) }
  end
end
''')
    git_repo.write("spec/requests/users_spec.rb", '''require "rails_helper"

RSpec.describe "Users", type: :request do
  it "lists users" do
    get "/users"
    expect(response).to have_http_status(200)
  end
end
''')
    git_repo.write("src/main/kotlin/Client.kt", '''import io.ktor.client.*
import io.ktor.client.request.*

suspend fun fetch(client: HttpClient): String {
    val response = client.get("/users") {
        header("X-Trace", "1")
    }
    return response.toString()
}
''')
    git_repo.commit("not routes")
    assert _table(git_repo) == []


@pytest.mark.parametrize(("route", "syntax", "path", "params"), [
    ("/users/:id", "rails", "/users/42", {"id": "42"}),
    ("/users/:id", "rails", "/users/42.json", None),  # a Rails segment stops at "."
    ("/photos(/:id)", "rails", "/photos", {}),
    ("/photos(/:id)", "rails", "/photos/3", {"id": "3"}),
    ("/files/*path", "rails", "/files/a/b", {"path": "a/b"}),
    ("/users/{id}", "laravel", "/users/42", {"id": "42"}),
    ("/posts/{slug?}", "laravel", "/posts", {}),
    ("/users/{id:int}", "aspnet", "/users/42", {"id": "42"}),
    ("/users/{id:int}", "aspnet", "/users/x", None),
    ("/users/{id:int?}", "aspnet", "/users", {}),
    ("/blog/{*slug}", "aspnet", "/blog/2024/hello", {"slug": "2024/hello"}),
    ("/blog/{**slug}", "aspnet", "/blog/a/b", {"slug": "a/b"}),
    ("/users/{id}", "ktor", "/users/42", {"id": "42"}),
    ("/users/{id?}", "ktor", "/users", {}),
    ("/files/{path...}", "ktor", "/files/a/b", {"path": "a/b"}),
    ("/users/:id", "axum", "/users/42", {"id": "42"}),
    ("/users/{id}", "axum", "/users/42", {"id": "42"}),
    ("/assets/*rest", "axum", "/assets/a/b", {"rest": "a/b"}),
    ("/assets/{*rest}", "axum", "/assets/a/b", {"rest": "a/b"}),
    ("/users/{id}", "actix", "/users/42", {"id": "42"}),
    ("/users/{id:\\d+}", "actix", "/users/abc", None),
    ("/static/{tail:.*}", "actix", "/static/a/b.css", {"tail": "a/b.css"}),
])
def test_path_parameter_syntaxes(route, syntax, path, params):
    found = compile_route(((route, syntax),)).regex.match(path)
    if params is None:
        assert found is None
    else:
        assert found is not None
        assert {k: v for k, v in found.groupdict().items() if v is not None} == params


def test_resource_names_follow_english_inflections():
    assert [singularize(w) for w in ("photos", "categories", "people", "addresses", "statuses",
                                     "boxes", "news", "user_profiles")] == [
        "photo", "category", "person", "address", "status", "box", "news", "user_profile"]
    assert [pluralize(w) for w in ("profile", "category", "person", "status", "box")] == [
        "profiles", "categories", "people", "statuses", "boxes"]
    assert camelize("admin/user_profiles") + "Controller" == "Admin::UserProfilesController"


_SECOND_WAVE_SYNTAXES = ["rails", "laravel", "aspnet", "ktor", "axum", "actix"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["/", "users", ":id", "*", "*rest", "{id}", "{id?}", "{*x}",
                                 "{**x}", "{id:int}", "{x:regex(^a$)}", "{t:.*}", "{...}",
                                 "(", ")", "(/:id)", "(.:format)", "?", "{", "}", "=", "\\",
                                 "[", "]", ".", "~"]), max_size=12),
       st.sampled_from(_SECOND_WAVE_SYNTAXES))
def test_second_wave_route_parsers_never_raise(pieces, syntax):
    text = "".join(pieces)
    assert isinstance(tokens(text, syntax), tuple)
    compile_route((("/", "lit"), (text, syntax))).regex.match("/users/1")
