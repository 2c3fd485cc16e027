"""What each web framework's route declarations look like, as data.

One :class:`Framework` entry per framework: which imports announce it, how
its routers are made, which calls / decorators / annotations / list entries
declare routes or mount routers under a prefix, where the path, methods and
handler sit in their arguments, its route-pattern syntax
(:mod:`codemap.endpoints.patterns`) and how it picks among matching routes.
The generic engine (:mod:`codemap.endpoints.compose`) reads only these
tables; adding a framework is adding an entry here.

A :class:`Rule` ``kind`` is one of:

``app``        a call that makes a router/app (``Flask()``, ``express.Router()``)
``group``      ``router.verb(prefix)`` makes a child router (gin/echo ``Group``);
               with ``fn`` the child is the inline function's first parameter
               (chi ``Route("/x", func(r chi.Router) {...})``)
``route``      ``router.verb(path, handlers...)`` declares an endpoint
``decorator``  ``@router.verb(path)`` on a function declares an endpoint
``mount``      ``router.verb(prefix, child)`` mounts a child router / sub-app
``prefix``     ``router.verb(prefix)`` sets the router's own prefix
``chain``      ``router.verb(path)`` returns a route object whose method calls
               take handlers only (Express ``router.route('/x').get(h)``)
``controller`` a class decorator / annotation giving the prefix of its methods
``member``     a method decorator / annotation inside a controller
``entry``      an entry of a URL list (Django ``path``, Starlette ``Route``)
``methods``    a decorator restricting a function view's methods
               (Django ``@require_POST``)
``scope``      ``verb(prefix) { block }`` / ``router.verb(prefix)``: declarations in
               the block (or chained on the result) register on the *same* router
               under the prefix, a controller namespace and a controller, in
               declaration order (Rails ``namespace``/``scope``/``member``, Ktor
               ``route``, Laravel ``prefix``/``group``); calls without a receiver,
               or on a framework facade (``Route::``), inside a block register on
               the innermost enclosing block's scope
``resources``  one declaration registering a table of RESTful routes
               (``Framework.resource_actions``): Rails ``resources``/``resource``,
               Laravel ``Route::resource``; its block nests under the resource
``define``     ``verb(name) { block }``: a named block registered nowhere itself,
               replayed where an ``apply`` rule (or a ``resources`` rule's
               ``apply`` option) names it (Rails ``concern`` / ``concerns``)
``client``     a class annotation marking an HTTP client interface: its member
               annotations declare no route (MicroProfile ``@RegisterRestClient``)
``function``   an attribute on a free function declaring its route, served once
               the function is registered on a router (actix ``#[get("/")]`` and
               ``.service(f)``); unregistered, it is listed with ``mount`` unknown

The data types are in :mod:`codemap.endpoints.rules`; the second-wave entries
(Rails, Laravel, ASP.NET Core, Ktor, axum, actix-web; Spring also reads
Kotlin) are in :mod:`codemap.endpoints.secondwave`.
"""

from __future__ import annotations

from functools import cache

from codemap.endpoints.rules import (
    ANY,
    HTTP_METHODS,
    Arg,
    Autoload,
    Framework,
    Rule,
    ViewSets,
    verb_routes,
)
from codemap.endpoints.secondwave import SECOND_WAVE

__all__ = ["ANY", "BY_NAME", "FRAMEWORKS", "HANDLER_WRAPPERS", "HTTP_METHODS", "INTERESTING_VERBS",
           "REFERENCE_DECORATORS", "REFERENCE_DECORATOR_OBJECTS",
           "Arg", "Framework", "Rule", "dependency_verbs", "frameworks_for", "markers_for"]

_VERBS = ("get", "post", "put", "delete", "patch", "options", "head")
_verb_routes = verb_routes


_DJANGO_VIEW_BASES: dict[str, tuple[str, ...]] = {
    "View": (), "TemplateView": ("get",), "ListView": ("get",), "DetailView": ("get",),
    "RedirectView": ("get", "head", "post", "delete", "put", "patch"),
    "FormView": ("get", "post", "put"), "CreateView": ("get", "post", "put"),
    "UpdateView": ("get", "post", "put"), "DeleteView": ("get", "post", "delete"),
    "ArchiveIndexView": ("get",), "YearArchiveView": ("get",), "MonthArchiveView": ("get",),
    "WeekArchiveView": ("get",), "DayArchiveView": ("get",), "TodayArchiveView": ("get",),
    "DateDetailView": ("get",), "BaseDetailView": ("get",), "BaseListView": ("get",),
    "ProcessFormView": ("get", "post", "put"), "BaseFormView": ("get", "post", "put"),
    "BaseCreateView": ("get", "post", "put"), "BaseUpdateView": ("get", "post", "put"),
    "BaseDeleteView": ("get", "post", "delete"), "DeletionMixin": ("delete", "post"),
    "LoginView": ("get", "post", "put"), "LogoutView": ("post",),
    "PasswordChangeView": ("get", "post", "put"), "PasswordChangeDoneView": ("get",),
    "PasswordResetView": ("get", "post", "put"), "PasswordResetDoneView": ("get",),
    "PasswordResetConfirmView": ("get", "post", "put"), "PasswordResetCompleteView": ("get",),
    # Django REST framework
    "APIView": (), "GenericAPIView": (), "CreateAPIView": ("post",), "ListAPIView": ("get",),
    "RetrieveAPIView": ("get",), "DestroyAPIView": ("delete",), "UpdateAPIView": ("put", "patch"),
    "ListCreateAPIView": ("get", "post"), "RetrieveUpdateAPIView": ("get", "put", "patch"),
    "RetrieveDestroyAPIView": ("get", "delete"),
    "RetrieveUpdateDestroyAPIView": ("get", "put", "patch", "delete"),
}

FLASK = Framework(
    "flask", ("python",), ("flask",), "werkzeug", "specificity", "redirect", True,
    rules=(
        Rule("app", ("Flask",)),
        Rule("app", ("Blueprint",), path=Arg(kw="url_prefix"), sub=True),
        Rule("decorator", ("route",), method=Arg(kw="methods"), path=Arg(pos=0, kw="rule")),
        *_verb_routes(("get", "post", "put", "delete", "patch"), kind="decorator",
                      path=Arg(pos=0, kw="rule")),
        Rule("route", ("add_url_rule",), method=Arg(kw="methods"), path=Arg(pos=0, kw="rule"),
             handler=Arg(pos=2, kw="view_func")),
        Rule("mount", ("register_blueprint",), path=Arg(kw="url_prefix"), child=Arg(pos=0),
             replace=True),
    ),
    class_views=("as_view",), view_bases={"MethodView": (), "View": ()},
    view_methods=("get", "post", "put", "delete", "patch", "head", "options"),
    param_types=("Flask", "Blueprint", "flask.Flask", "flask.Blueprint"), join="flask",
)

_FASTAPI_DEPS = Arg(kw="dependencies")
FASTAPI = Framework(
    "fastapi", ("python",), ("fastapi",), "starlette", "registration", "redirect", False,
    rules=(
        Rule("app", ("FastAPI",), entries=Arg(kw="routes"), dependencies=_FASTAPI_DEPS),
        Rule("app", ("APIRouter",), path=Arg(kw="prefix"), sub=True,
             dependencies=_FASTAPI_DEPS),
        *_verb_routes(("get", "post", "put", "delete", "patch", "options", "head", "trace"),
                      kind="decorator", path=Arg(pos=0, kw="path"), handler=None,
                      dependencies=_FASTAPI_DEPS),
        Rule("decorator", ("api_route",), method=Arg(kw="methods"), path=Arg(pos=0, kw="path"),
             dependencies=_FASTAPI_DEPS),
        Rule("route", ("add_api_route",), method=Arg(kw="methods"), path=Arg(pos=0, kw="path"),
             handler=Arg(pos=1, kw="endpoint"), dependencies=_FASTAPI_DEPS),
        Rule("mount", ("include_router",), path=Arg(kw="prefix"), child=Arg(pos=0, kw="router"),
             dependencies=_FASTAPI_DEPS),
        Rule("mount", ("mount",), path=Arg(pos=0, kw="path"), child=Arg(pos=1, kw="app"),
             wraps=True),
    ),
    param_types=("FastAPI", "APIRouter", "fastapi.FastAPI", "fastapi.APIRouter"), join="concat",
    dependency_calls=("Depends", "Security"), dependency_arg=Arg(pos=0, kw="dependency"),
    constructor="__init__", call_method="__call__",
)

STARLETTE = Framework(
    "starlette", ("python",), ("starlette",), "starlette", "registration", "redirect", True,
    rules=(
        Rule("app", ("Starlette",), entries=Arg(pos=1, kw="routes")),
        Rule("app", ("Router",), new=False, entries=Arg(pos=0, kw="routes"), sub=True),
        Rule("entry", ("Route",), method=Arg(pos=2, kw="methods"), path=Arg(pos=0, kw="path"),
             handler=Arg(pos=1, kw="endpoint")),
        Rule("entry", ("Mount",), path=Arg(pos=0, kw="path"), child=Arg(pos=1, kw="app"),
             entries=Arg(pos=2, kw="routes"), wraps=True),
        Rule("route", ("add_route",), method=Arg(pos=2, kw="methods"), path=Arg(pos=0, kw="path"),
             handler=Arg(pos=1, kw="route")),
        Rule("decorator", ("route",), method=Arg(kw="methods"), path=Arg(pos=0, kw="path")),
        Rule("mount", ("mount",), path=Arg(pos=0, kw="path"), child=Arg(pos=1, kw="app"),
             wraps=True),
    ),
    lists=("routes",), join="concat",
    view_bases={"HTTPEndpoint": ()},
    view_methods=("get", "post", "put", "delete", "patch", "head", "options"),
)

# Django REST framework's ViewSets and routers (rest_framework/viewsets.py, mixins.py,
# routers.py): which actions each standard class defines, used when DRF is installed
# rather than in the repository
_DRF_CRUD = ("list", "create", "retrieve", "update", "partial_update", "destroy")
_DRF_VIEWSETS = ViewSets(
    routers={"DefaultRouter": True, "SimpleRouter": False},
    list_route=(("GET", "list"), ("POST", "create")),
    detail_route=(("GET", "retrieve"), ("PUT", "update"), ("PATCH", "partial_update"),
                  ("DELETE", "destroy")),
    bases={"View": (), "APIView": (), "GenericAPIView": (), "object": (),  # no actions
           "ViewSetMixin": (), "ViewSet": (), "GenericViewSet": (),
           "ReadOnlyModelViewSet": ("list", "retrieve"), "ModelViewSet": _DRF_CRUD,
           "ListModelMixin": ("list",), "CreateModelMixin": ("create",),
           "RetrieveModelMixin": ("retrieve",), "UpdateModelMixin": ("update", "partial_update"),
           "DestroyModelMixin": ("destroy",)},
)

DJANGO = Framework(
    "django", ("python",), ("django", "rest_framework"), "django", "registration", "redirect",
    False,
    rules=(
        Rule("entry", ("path",), path=Arg(pos=0, kw="route"), handler=Arg(pos=1, kw="view"),
             default=(ANY,)),
        Rule("entry", ("re_path", "url"), path=Arg(pos=0, kw="route"),
             handler=Arg(pos=1, kw="view"), regex=True, syntax="regex", default=(ANY,)),
        Rule("methods", ("require_http_methods",), method=Arg(pos=0, kw="request_method_list")),
        Rule("methods", ("require_GET",), methods=("GET",)),
        Rule("methods", ("require_POST",), methods=("POST",)),
        Rule("methods", ("require_safe",), methods=("GET", "HEAD")),
        Rule("methods", ("api_view",), method=Arg(pos=0, kw="http_method_names")),
        Rule("app", tuple(_DRF_VIEWSETS.routers), objects=("routers", ""), sub=True),
        Rule("viewsets", ("register",), path=Arg(pos=0, kw="prefix"),
             handler=Arg(pos=1, kw="viewset")),
    ),
    lists=("urlpatterns",), root_setting="ROOT_URLCONF", include=("include",), join="concat",
    include_attrs=("urls",), viewsets=_DRF_VIEWSETS,
    language_prefix=("i18n_patterns",), language_optional="prefix_default_language",
    languages_setting="LANGUAGES",
    root_prefix="/",
    class_views=("as_view",), view_bases=_DJANGO_VIEW_BASES,
    view_methods=("get", "post", "put", "patch", "delete", "head", "trace"),
)

EXPRESS = Framework(
    "express", ("javascript", "typescript", "tsx"), ("express",), "express", "registration",
    "optional", True,
    rules=(
        Rule("app", ("express",)),
        Rule("app", ("Router",), objects=("express", ""), sub=True),
        *_verb_routes(_VERBS),
        Rule("route", ("all",), methods=(ANY,), path=Arg(pos=0), handler=Arg(pos=-1)),
        Rule("chain", ("route",), path=Arg(pos=0)),
        Rule("mount", ("use",), path=Arg(pos=0), child=Arg(pos=-1), rest=True, wraps=True),
    ),
    rooted_paths=True,
)

KOA = Framework(
    "koa", ("javascript", "typescript", "tsx"), ("@koa/router", "koa-router", "koa"), "express",
    "registration", "optional", True,
    rules=(
        Rule("app", ("Router",), path=Arg(kw="prefix", obj=0)),
        Rule("app", ("Koa",)),
        *_verb_routes(_VERBS),
        Rule("route", ("del",), methods=("DELETE",), path=Arg(pos=0), handler=Arg(pos=-1)),
        Rule("route", ("all",), methods=(ANY,), path=Arg(pos=0), handler=Arg(pos=-1)),
        Rule("mount", ("use",), path=Arg(pos=0), child=Arg(pos=-1), rest=True, wraps=True),
        Rule("prefix", ("prefix",), path=Arg(pos=0)),
    ),
    rooted_paths=True, prefix_wrappers=("koa-mount",),
)

FASTIFY = Framework(
    "fastify", ("javascript", "typescript", "tsx"), ("fastify",), "express", "specificity",
    "strict", True,
    rules=(
        Rule("app", ("fastify", "Fastify")),
        *_verb_routes(_VERBS, handler=Arg(pos=-1, kw="handler", obj=-1)),
        Rule("route", ("all",), methods=(ANY,), path=Arg(pos=0), handler=Arg(pos=-1)),
        Rule("route", ("route",), method=Arg(kw="method", obj=0), path=Arg(kw="url", obj=0),
             handler=Arg(kw="handler", obj=0)),
        Rule("group", ("register",), path=Arg(kw="prefix", obj=1), fn=Arg(pos=0)),
    ),
    param_types=("FastifyInstance",), rooted_paths=True,
    autoload=Autoload("@fastify/autoload", ("register",), loader=Arg(pos=0),
                      options=Arg(pos=1)),
)

NEST = Framework(
    "nestjs", ("typescript", "tsx", "javascript"), ("@nestjs/common", "@nestjs/core"), "express",
    "registration", "optional", True,
    rules=(
        Rule("controller", ("Controller",), path=Arg(pos=0, kw="path", obj=0)),
        *_verb_routes(("get", "post", "put", "delete", "patch", "options", "head"),
                      kind="member", case="title", path=Arg(pos=0, kw="path", obj=0),
                      handler=None),
        Rule("member", ("All",), methods=(ANY,), path=Arg(pos=0, kw="path", obj=0)),
        Rule("prefix", ("setGlobalPrefix",), path=Arg(pos=0)),
    ),
)

SPRING = Framework(
    "spring", ("java", "kotlin"), ("org.springframework",), "spring", "specificity", "strict", False,
    rules=(
        Rule("controller", ("RequestMapping",), path=Arg(pos=0, kw="value|path")),
        Rule("member", ("RequestMapping",), method=Arg(kw="method"), default=(ANY,),
             path=Arg(pos=0, kw="value|path")),
        Rule("member", ("GetMapping",), methods=("GET",), path=Arg(pos=0, kw="value|path")),
        Rule("member", ("PostMapping",), methods=("POST",), path=Arg(pos=0, kw="value|path")),
        Rule("member", ("PutMapping",), methods=("PUT",), path=Arg(pos=0, kw="value|path")),
        Rule("member", ("DeleteMapping",), methods=("DELETE",), path=Arg(pos=0, kw="value|path")),
        Rule("member", ("PatchMapping",), methods=("PATCH",), path=Arg(pos=0, kw="value|path")),
    ),
)

_JAXRS_PATH = Arg(pos=0, kw="value")
JAXRS = Framework(
    "jaxrs", ("java", "kotlin"), ("javax.ws.rs", "jakarta.ws.rs"), "actix", "specificity",
    "optional", True,
    rules=(
        Rule("controller", ("Path",), path=_JAXRS_PATH),
        *(Rule("member", (m,), methods=(m,), path=_JAXRS_PATH) for m in
          ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")),
        Rule("member", ("Path",), methods=(ANY,), path=_JAXRS_PATH, combine=True),
        Rule("prefix", ("ApplicationPath",), path=_JAXRS_PATH),
        Rule("client", ("RegisterRestClient",)),  # MicroProfile: the interface calls a service
    ),
    locators=True, brace_spaces=True, imported=True,
    # Quarkus: the application path of a module's resources, unless @ApplicationPath gives it
    config_files=("src/main/resources/application.properties",),
    config_root=("quarkus.http.root-path",),
    config_paths=("quarkus.rest.path", "quarkus.resteasy-reactive.path", "quarkus.resteasy.path"),
)

GO_HTTP = Framework(
    "net/http", ("go",), ("net/http",), "gohttp", "specificity", "strict", True,
    rules=(
        Rule("app", ("NewServeMux",), objects=("http",)),
        # a handler may be a mux, also wrapped: Handle("/api/", logging(StripPrefix("/api", m)))
        Rule("route", ("HandleFunc", "Handle"), path=Arg(pos=0), handler=Arg(pos=1),
             default=(ANY,), methods_in_path=True, wraps=True),
    ),
    param_types=("*http.ServeMux", "http.ServeMux"), join="concat",
)

GIN = Framework(
    "gin", ("go",), ("github.com/gin-gonic/gin",), "gin", "specificity", "redirect", False,
    rules=(
        Rule("app", ("Default", "New"), objects=("gin",)),
        Rule("group", ("Group",), path=Arg(pos=0)),
        *_verb_routes(("get", "post", "put", "delete", "patch", "options", "head"), case="upper"),
        Rule("route", ("Any",), methods=(ANY,), path=Arg(pos=0), handler=Arg(pos=-1)),
        Rule("route", ("Handle",), method=Arg(pos=0), path=Arg(pos=1), handler=Arg(pos=-1)),
    ),
    param_types=("*gin.Engine", "*gin.RouterGroup", "gin.IRouter", "gin.IRoutes"),
)

ECHO = Framework(
    "echo", ("go",), ("github.com/labstack/echo",), "echo", "specificity", "strict", False,
    rules=(
        Rule("app", ("New",), objects=("echo",)),
        Rule("group", ("Group",), path=Arg(pos=0)),
        *_verb_routes(("get", "post", "put", "delete", "patch", "options", "head"), case="upper",
                      handler=Arg(pos=1)),
        Rule("route", ("Any",), methods=(ANY,), path=Arg(pos=0), handler=Arg(pos=1)),
        Rule("route", ("Match",), method=Arg(pos=0), path=Arg(pos=1), handler=Arg(pos=2)),
        Rule("route", ("Add",), method=Arg(pos=0), path=Arg(pos=1), handler=Arg(pos=2)),
    ),
    param_types=("*echo.Echo", "*echo.Group"), join="concat",
)

CHI = Framework(
    "chi", ("go",), ("github.com/go-chi/chi",), "chi", "specificity", "strict", False,
    rules=(
        Rule("app", ("NewRouter", "NewMux"), objects=("chi",)),
        Rule("group", ("Route",), path=Arg(pos=0), fn=Arg(pos=1)),
        Rule("group", ("Group",), fn=Arg(pos=0)),
        Rule("group", ("With",)),
        *_verb_routes(("get", "post", "put", "delete", "patch", "options", "head", "connect",
                       "trace"), case="title"),
        Rule("route", ("Handle", "HandleFunc"), methods=(ANY,), path=Arg(pos=0),
             handler=Arg(pos=1)),
        Rule("route", ("Method", "MethodFunc"), method=Arg(pos=0), path=Arg(pos=1),
             handler=Arg(pos=2)),
        Rule("mount", ("Mount",), path=Arg(pos=0), child=Arg(pos=1), wraps=True),
    ),
    param_types=("chi.Router", "*chi.Mux", "chi.Routes"),
)

FRAMEWORKS: tuple[Framework, ...] = (FLASK, FASTAPI, STARLETTE, DJANGO, EXPRESS, KOA, FASTIFY,
                                     NEST, SPRING, JAXRS, GO_HTTP, GIN, ECHO, CHI, *SECOND_WAVE)
BY_NAME: dict[str, Framework] = {f.name: f for f in FRAMEWORKS}

# Go's http.StripPrefix / http.HandlerFunc wrap a handler without changing it
HANDLER_WRAPPERS: frozenset[str] = frozenset({"HandlerFunc", "StripPrefix", "TimeoutHandler",
                                              "routes", "middleware", "callback"})

INTERESTING_VERBS: frozenset[str] = frozenset(
    {v for f in FRAMEWORKS for r in f.rules for v in r.verbs}
    | {v for f in FRAMEWORKS for v in (*f.include, *f.class_views, *f.passthrough, *f.modifiers,
                                        *f.method_verbs, *f.handler_verbs)}
    | {v for f in FRAMEWORKS if f.viewsets for v in (f.viewsets.decorator,)}
    | {v for f in FRAMEWORKS for v in f.language_prefix}
    | HANDLER_WRAPPERS | {"append", "extend", "insert", "format_suffix_patterns", "require"})

# decorators a reference file keeps (:mod:`codemap.endpoints.facts`), read where a router
# registers the class they sit in: ``@action(...)``, and ``@x.mapping.post`` by the last
# name of their object
REFERENCE_DECORATORS: frozenset[str] = frozenset(
    f.viewsets.decorator for f in FRAMEWORKS if f.viewsets)
REFERENCE_DECORATOR_OBJECTS: frozenset[str] = frozenset(
    f.viewsets.mapping for f in FRAMEWORKS if f.viewsets)


@cache
def frameworks_for(language: str) -> tuple[Framework, ...]:
    return tuple(f for f in FRAMEWORKS if language in f.languages)


@cache
def dependency_verbs(language: str) -> frozenset[str]:
    """The ``dependency_calls`` of ``language``'s frameworks."""
    return frozenset(v for f in frameworks_for(language) for v in f.dependency_calls)


@cache
def markers_for(language: str) -> tuple[bytes, ...]:
    """Byte strings one of which a file must contain to declare or mount routes, derived
    from the tables: framework module names, ``.verb(`` calls, ``@Verb`` decorators,
    bare entry calls (``path(``) and URL-list names. A cheap filter before parsing."""
    out: set[bytes] = set()
    for fw in frameworks_for(language):
        out.update(m.encode() for m in (*fw.modules, *fw.globals, *fw.facades))
        out.update(n.encode() for n in fw.lists)
        for rule in fw.rules:
            for verb in rule.verbs:
                v = verb.encode()
                if rule.kind in ("controller", "member", "methods", "decorator"):
                    out.add(b"@" + v)
                if rule.kind in ("app", "entry", "methods"):
                    out.add(v + b"(")
                out.add(b"." + v + b"(")
    return tuple(sorted(out))
