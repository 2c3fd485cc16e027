"""Framework table entries of the second-wave languages (issue #11), as data.

Each entry follows its framework's documented routing semantics:

- **Rails** (Ruby, ``config/routes.rb``): the Rails routing guide ("Rails
  Routing from the Outside In") and ``ActionDispatch::Routing::Mapper``:
  ``resources`` registers its block first, then ``index, create, new, edit,
  show, update (PATCH, PUT), destroy``; a singular ``resource`` registers
  ``new, edit, show, update, destroy, create`` and is served by the plural
  controller; a plural resource nests under ``/:<singular>_id``;
  ``namespace`` adds a path and a controller module; a ``concern``'s block
  is registered where ``concerns`` / ``concerns:`` apply it; routes are tried
  in order; ``HEAD`` is served by ``GET``; a trailing slash is ignored.
- **Laravel** (PHP): the "Routing" and "Controllers / Resource Controllers"
  docs: ``Route::resource`` registers ``index, create, store, show, edit,
  update (PUT, PATCH), destroy`` with the parameter ``{<singular>}``;
  ``apiResource`` drops ``create`` and ``edit``; ``Route::get`` also answers
  ``HEAD``; ``routes/api.php`` is served under ``/api``.
- **ASP.NET Core** (C#): "Routing to controller actions" and "Minimal APIs":
  ``[Route]`` on a controller combines with ``[HttpGet("...")]`` on its
  actions, ``[controller]`` / ``[action]`` are replaced by the names, a
  template starting with ``/`` or ``~/`` ignores the controller's; routes
  are case-insensitive and the most specific wins.
- **Ktor** (Kotlin): "Routing": ``routing { route("/a") { get("/b") { } } }``;
  a verb without a path is its ``route``'s own.
- **axum** (Rust): ``Router::route(path, get(h).post(h2))``, ``nest``,
  ``merge``; ``get`` also answers ``HEAD``.
- **actix-web** (Rust): ``#[get("/")]`` handlers registered with
  ``.service(h)``; ``web::scope``, ``web::resource(..).route(web::get().to(h))``,
  ``App::route``, ``configure``; services are tried in registration order.

Spring (Java's entry) also reads Kotlin classes.
"""

from __future__ import annotations

from codemap.endpoints.rules import ANY, Arg, Framework, ResourceAction, Rule, verb_routes

_BLOCK = Arg(pos=-1)

_RAILS_PLURAL: tuple[ResourceAction, ...] = (
    ("index", "GET", "collection", ""), ("create", "POST", "collection", ""),
    ("new", "GET", "collection", "/new"), ("edit", "GET", "member", "/edit"),
    ("show", "GET", "member", ""), ("update", "PATCH", "member", ""),
    ("update", "PUT", "member", ""), ("destroy", "DELETE", "member", ""))
_RAILS_SINGULAR: tuple[ResourceAction, ...] = (
    ("new", "GET", "collection", "/new"), ("edit", "GET", "member", "/edit"),
    ("show", "GET", "member", ""), ("update", "PATCH", "member", ""),
    ("update", "PUT", "member", ""), ("destroy", "DELETE", "member", ""),
    ("create", "POST", "collection", ""))
_RAILS_ROUTE = dict(path=Arg(pos=0, kw="path"), handler=Arg(kw="to|=>"),
                    controller=Arg(kw="controller"), action=Arg(kw="action"), on_arg=Arg(kw="on"))
_RAILS_RESOURCE = dict(path=Arg(kw="path"), controller=Arg(kw="controller"),
                       module=Arg(kw="module"), only=Arg(kw="only"), except_=Arg(kw="except"),
                       param=Arg(kw="param"), apply=Arg(kw="concerns"), block=_BLOCK)

RAILS = Framework(
    "rails", ("ruby",), ("rails", "action_dispatch"), "rails", "registration", "optional", True,
    rules=(
        Rule("scope", ("draw",), block=_BLOCK),
        Rule("scope", ("namespace",), path=Arg(kw="path", pos=0), module=Arg(kw="module", pos=0),
             block=_BLOCK),
        Rule("scope", ("scope",), path=Arg(kw="path", pos=0), module=Arg(kw="module"),
             controller=Arg(kw="controller"), block=_BLOCK),
        Rule("scope", ("controller",), controller=Arg(pos=0), block=_BLOCK),
        Rule("scope", ("constraints", "defaults", "shallow"), block=_BLOCK),
        Rule("scope", ("member",), on="member", block=_BLOCK),
        Rule("scope", ("collection",), on="collection", block=_BLOCK),
        Rule("scope", ("new",), on="new", block=_BLOCK),
        Rule("scope", ("nested",), on="nested", block=_BLOCK),
        Rule("define", ("concern",), path=Arg(pos=0), block=_BLOCK),
        Rule("apply", ("concerns",), path=Arg(pos=0)),
        Rule("resources", ("resources",), resource="plural", **_RAILS_RESOURCE),
        Rule("resources", ("resource",), resource="singular", **_RAILS_RESOURCE),
        *verb_routes(("get", "post", "patch", "put", "delete"), **_RAILS_ROUTE),
        Rule("route", ("match",), method=Arg(kw="via"), default=(ANY,), **_RAILS_ROUTE),
        Rule("route", ("root",), methods=("GET",), path_text="/", handler=Arg(pos=0, kw="to"),
             controller=Arg(kw="controller"), action=Arg(kw="action")),
    ),
    globals=("Rails",), facades=("Rails.application.routes",), action_sep="#",
    controller_style="rails",
    resource_actions={"plural": _RAILS_PLURAL, "singular": _RAILS_SINGULAR},
    member_param=":{param}", nested_param=":{singular}_{param}", default_param="id",
    implicit_on={"plural": "nested", "singular": "member"}, index_lookup=True,
)

_LARAVEL_RESOURCE: tuple[ResourceAction, ...] = (
    ("index", "GET", "collection", ""), ("create", "GET", "collection", "/create"),
    ("store", "POST", "collection", ""), ("show", "GET", "member", ""),
    ("edit", "GET", "member", "/edit"), ("update", "PUT", "member", ""),
    ("update", "PATCH", "member", ""), ("destroy", "DELETE", "member", ""))
_LARAVEL_OPTIONS = dict(only=Arg(kw="only", obj=2), except_=Arg(kw="except", obj=2),
                        controller=Arg(pos=1))

LARAVEL = Framework(
    "laravel", ("php",), ("Illuminate",), "laravel", "registration", "optional", True,
    rules=(
        *verb_routes(("get", "post", "put", "patch", "delete", "options"), handler=Arg(pos=1)),
        Rule("route", ("any",), methods=(ANY,), path=Arg(pos=0), handler=Arg(pos=1)),
        Rule("route", ("match",), method=Arg(pos=0), path=Arg(pos=1), handler=Arg(pos=2)),
        Rule("route", ("view",), methods=("GET",), path=Arg(pos=0)),  # a view, no handler
        Rule("route", ("redirect", "permanentRedirect"), methods=(ANY,), path=Arg(pos=0)),
        Rule("scope", ("prefix",), path=Arg(pos=0)),
        Rule("scope", ("middleware", "withoutMiddleware", "name", "as", "domain",
                       "scopeBindings", "withoutScopedBindings", "where")),
        Rule("scope", ("namespace",), module=Arg(pos=0)),
        Rule("scope", ("controller",), controller=Arg(pos=0)),
        Rule("scope", ("group",), path=Arg(kw="prefix", obj=0), module=Arg(kw="namespace", obj=0),
             controller=Arg(kw="controller", obj=0), block=_BLOCK),
        Rule("resources", ("resource",), resource="plural", **_LARAVEL_OPTIONS),
        Rule("resources", ("apiResource",), resource="api", **_LARAVEL_OPTIONS),
    ),
    globals=("Route",), facades=("Route",), modifiers=("only", "except"), action_sep="@",
    invoke="__invoke",
    resource_actions={"plural": _LARAVEL_RESOURCE,
                      "api": tuple(a for a in _LARAVEL_RESOURCE if a[0] not in ("create", "edit"))},
    member_param="{{{singular}}}", nested_param="{{{singular}}}",
    file_prefixes={"routes/api.php": "/api"}, index_lookup=True,
)

_ASPNET_VERBS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
_TEMPLATE = Arg(pos=0, kw="template")

ASPNET = Framework(
    "aspnet", ("csharp",), ("Microsoft.AspNetCore",), "aspnet", "specificity", "optional", False,
    rules=(
        Rule("controller", ("Route",), path=_TEMPLATE),
        *(Rule("member", (f"Http{m.title()}",), methods=(m,), path=_TEMPLATE)
          for m in _ASPNET_VERBS),
        Rule("member", ("Route",), methods=(ANY,), path=_TEMPLATE, combine=True),
        Rule("app", ("CreateBuilder", "Create", "CreateSlimBuilder", "CreateEmptyBuilder"),
             objects=("WebApplication",)),
        Rule("group", ("MapGroup",), path=Arg(pos=0, kw="prefix")),
        *(Rule("route", (f"Map{m.title()}",), methods=(m,), path=Arg(pos=0, kw="pattern"),
               handler=Arg(pos=1, kw="handler")) for m in ("GET", "POST", "PUT", "DELETE", "PATCH")),
        Rule("route", ("Map",), methods=(ANY,), path=Arg(pos=0, kw="pattern"),
             handler=Arg(pos=1, kw="handler")),
        Rule("route", ("MapMethods",), method=Arg(pos=1, kw="httpMethods"),
             path=Arg(pos=0, kw="pattern"), handler=Arg(pos=2, kw="handler")),
    ),
    globals=("WebApplication",), passthrough=("Build",),
    param_types=("WebApplication", "IEndpointRouteBuilder", "RouteGroupBuilder",
                 "IApplicationBuilder"), typed_params=True,
    route_tokens={"[controller]": "class", "[action]": "function"}, controller_suffix="Controller",
    absolute_members=True, case_insensitive=True, index_lookup=True,
)

KTOR = Framework(
    "ktor", ("kotlin",), ("io.ktor",), "ktor", "specificity", "strict", False,
    rules=(
        Rule("app", ("routing",), block=_BLOCK),
        Rule("scope", ("route",), path=Arg(pos=0), block=_BLOCK),
        *verb_routes(("get", "post", "put", "delete", "patch", "head", "options"),
                     optional_path=True),
        Rule("route", ("handle",), methods=(ANY,), handler=Arg(pos=-1), optional_path=True),
    ),
    param_types=("Route", "Routing"), index_lookup=True, typed_params=True,
)

_METHOD_VERBS = {"get": "GET", "post": "POST", "put": "PUT", "delete": "DELETE",
                 "patch": "PATCH", "head": "HEAD", "options": "OPTIONS", "trace": "TRACE",
                 "connect": "CONNECT", "any": ANY, "route": ANY}

AXUM = Framework(
    "axum", ("rust",), ("axum",), "axum", "specificity", "strict", True,
    rules=(
        Rule("app", ("new",), objects=("Router",)),
        Rule("route", ("route",), path=Arg(pos=0), handler=Arg(pos=1), method_router=True,
             default=(ANY,)),
        Rule("mount", ("nest",), path=Arg(pos=0), child=Arg(pos=1)),
        Rule("mount", ("merge",), child=Arg(pos=0)),
    ),
    globals=("axum",), passthrough=("with_state", "layer", "route_layer", "fallback"),
    method_verbs={k: v for k, v in _METHOD_VERBS.items() if k != "route"},
    param_types=("Router",), index_lookup=True, typed_params=True,
)

ACTIX = Framework(
    "actix-web", ("rust",), ("actix_web",), "actix", "registration", "strict", False,
    rules=(
        Rule("app", ("new",), objects=("App",)),
        Rule("app", ("scope", "resource"), objects=("web",), path=Arg(pos=0), sub=True),
        Rule("route", ("route",), path=Arg(pos=-2), handler=Arg(pos=-1), method_router=True,
             optional_path=True, default=(ANY,)),
        Rule("route", ("to",), methods=(ANY,), handler=Arg(pos=0), optional_path=True),
        Rule("mount", ("service",), child=Arg(pos=0)),
        Rule("group", ("configure",), fn=Arg(pos=0), builder=True),
        *verb_routes(("get", "post", "put", "delete", "patch", "head", "options", "trace",
                      "connect"), kind="function", handler=None),
        Rule("function", ("route",), method=Arg(kw="method"), path=Arg(pos=0)),
    ),
    globals=("actix_web",), passthrough=("wrap", "wrap_fn", "app_data", "data", "guard",
                                         "default_service", "name"),
    method_verbs=_METHOD_VERBS, handler_verbs=("to",),
    param_types=("web::ServiceConfig", "&mut web::ServiceConfig", "ServiceConfig",
                 "&mut ServiceConfig"), join="concat", index_lookup=True, typed_params=True,
)

SECOND_WAVE: tuple[Framework, ...] = (RAILS, LARAVEL, ASPNET, KTOR, AXUM, ACTIX)
