"""The vocabulary of the framework tables: :class:`Arg`, :class:`Rule`, :class:`Framework`.

The tables themselves are :mod:`codemap.endpoints.frameworks` (first wave)
and :mod:`codemap.endpoints.secondwave`; what each ``Rule.kind`` means is
documented in :mod:`codemap.endpoints.frameworks`. The fields below the
``second wave`` markers describe capabilities the second-wave frameworks
need (block-scoped routing DSLs, resources, controller#action handlers,
method routers, attribute routes served once registered); each is optional
and off by default, so first-wave entries read exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT")
ANY = "*"


@dataclass(frozen=True)
class Arg:
    """Where a value sits in a call: a position (``-1``: the last) and/or a keyword.

    For JavaScript, ``kw`` also looks into an options object passed as the
    argument at ``obj`` (``new Router({prefix: '/x'})``). ``kw`` may name
    alternatives separated by ``|`` (Rails ``to|=>``: ``get "x", to: "c#a"``
    or ``get "x" => "c#a"``).
    """

    pos: int | None = None
    kw: str | None = None
    obj: int | None = None


@dataclass(frozen=True)
class Rule:
    kind: str
    verbs: tuple[str, ...]
    objects: tuple[str, ...] = ()  # for ``app``: the object the call must be made on (module alias)
    methods: tuple[str, ...] | None = None  # fixed methods; None: from ``method`` or ``default``
    method: Arg | None = None
    default: tuple[str, ...] = ("GET",)
    path: Arg | None = None
    handler: Arg | None = None  # ``route``: the handler (``pos=-1``: the last argument)
    child: Arg | None = None  # ``mount``: the child; pos=-1 with ``rest``: every router argument
    rest: bool = False
    fn: Arg | None = None  # ``group``: an inline function whose first parameter is the child
    entries: Arg | None = None  # ``app`` / ``entry``: an argument holding a URL list
    sub: bool = False  # ``app``: makes a sub-router, served only once mounted (Blueprint)
    replace: bool = False  # ``mount``: the prefix replaces the child's own prefix (Flask)
    dependencies: Arg | None = None  # ``app`` / ``mount`` / ``route`` / ``decorator``: a list
    #                       of the framework's ``dependency_calls`` that run before every
    #                       route it declares, makes or mounts (FastAPI ``dependencies=[...]``)
    wraps: bool = False  # ``mount`` / ``entry``: the child may be an app wrapped in a
    #                      middleware or adapter call of one positional argument, which
    #                      serves the app's routes (``WSGIMiddleware(flask_app)``)
    regex: bool = False  # ``entry``: the path is a regular expression (Django ``re_path``)
    new: bool | None = None  # ``app``: must (True) / must not (False) be a ``new`` expression
    syntax: str = ""  # a route syntax other than the framework's (``re_path``)
    methods_in_path: bool = False  # Go 1.22 "GET /items/{id}"
    # -- second wave ----------------------------------------------------------------------
    block: Arg | None = None  # ``app`` / ``scope`` / ``resources``: the block whose calls
    #                           register under it (Rails ``do ... end``, Ktor / PHP lambdas)
    module: Arg | None = None  # a controller namespace (Rails ``namespace``, ``module:``)
    controller: Arg | None = None  # a controller (Rails ``controller:``, Laravel class)
    action: Arg | None = None  # ``route``: an action of the scope's controller (Rails)
    on: str = ""  # ``scope``: the part of the enclosing resource it opens (member, ...)
    on_arg: Arg | None = None  # ``route``: the same, given as an option (Rails ``on:``)
    resource: str = ""  # ``resources``: the key of ``Framework.resource_actions``
    only: Arg | None = None  # ``resources``: the actions kept / dropped
    except_: Arg | None = None
    param: Arg | None = None  # ``resources``: the member parameter's name (Rails ``param:``)
    path_text: str | None = None  # ``route``: a fixed path (Rails ``root``: "/")
    optional_path: bool = False  # ``route``: without a path, the route is its router's own
    method_router: bool = False  # ``route``: the handler argument names the methods
    #                              (axum ``get(a).post(b)``, actix ``web::get().to(h)``)
    combine: bool = False  # ``member``: a path other member annotations of the same
    #                        definition use when they give none (ASP.NET ``[Route]``)
    builder: bool = False  # ``group``: the call returns the router it is made on, the
    #                        child is only mounted (actix ``.configure(f)``)
    apply: Arg | None = None  # ``resources``: named blocks replayed in its block (Rails
    #                           ``concerns: :commentable``)


@dataclass(frozen=True)
class Autoload:
    """A plugin module that registers every script file below a directory as a plugin,
    under the prefix of its directory path (``@fastify/autoload``: ``register(AutoLoad,
    {dir: join(__dirname, 'routes')})``). Read by :mod:`codemap.endpoints.autoload`; the
    names of the options the module reads and its defaults are its documented ones.
    Regular expressions are Python spellings of the module's JavaScript defaults."""

    module: str  # the loader's module; an import of it names the loader
    verbs: tuple[str, ...]  # the calls registering it on a router
    loader: Arg  # where the loader is in such a call
    options: Arg  # where its options object is
    dir: str = "dir"  # the option naming the directory
    dir_calls: tuple[str, ...] = ("join", "resolve")  # path calls building the directory
    here: tuple[str, ...] = ("__dirname", "import.meta.dirname")  # the calling file's directory
    scripts: str = r"(?<!\.d)\.(?:ts|cts|mts)$|\.(?:js|cjs|mjs)$"  # files that are plugins
    index: str = r"^index\.(?:ts|js|cjs|mjs|cts|mts)$"  # a directory's only plugin, if present
    index_option: str = "indexPattern"
    hooks: str = r"^[_.]?auto_?hooks\.(?:ts|js|cjs|mjs|cts|mts)$"  # hook files: never plugins
    hooks_option: str = "autoHooksPattern"
    ignore_option: str = "ignorePattern"  # tested against the path below the directory
    depth_option: str = "maxDepth"
    dir_prefix_option: str = "dirNameRoutePrefix"  # false: directories add no prefix
    params_option: str = "routeParams"  # true: directories "_id" are parameters ":id"
    param_mark: str = "_"  # "/_id" -> "/:id"; doubled ("__a-__b"): mixed, "__" -> ":"
    param_syntax: str = ":"
    append_option: str = "appendAutoPrefix"  # true: a plugin's own prefix follows the dirs'
    plugin_options: str = "options"  # options handed to every plugin; their prefix leads
    prefix_key: str = "prefix"
    own_prefix: str = "autoPrefix"  # a plugin's export replacing its directory prefix
    override: str = "prefixOverride"  # a plugin's export replacing every prefix
    skip: str = "autoload"  # a plugin exporting this false is not loaded


@dataclass(frozen=True)
class ViewSets:
    """Django REST framework's routers: ``router.register(prefix, ViewSet)`` registers one
    route per standard action the ViewSet class has (defined or inherited) and one per
    extra action its methods declare with a decorator, as ``SimpleRouter.get_urls``
    generates them (regex routes). Read by :mod:`codemap.endpoints.viewsets`; names
    and defaults are DRF's documented ones (3.16)."""

    routers: dict[str, bool]  # router class -> it serves an API root view at its prefix
    list_route: tuple[tuple[str, str], ...]  # (method, action) of ``{prefix}{slash}``
    detail_route: tuple[tuple[str, str], ...]  # (method, action) of ``{prefix}/{lookup}{slash}``
    bases: dict[str, tuple[str, ...]]  # the framework's classes and mixins -> actions defined
    decorator: str = "action"  # an extra action: ``@action(detail=..., methods=[...])``
    detail: str = "detail"
    methods: str = "methods"
    default_methods: tuple[str, ...] = ("GET",)
    url_path: str = "url_path"  # default: the method's name
    mapping: str = "mapping"  # ``@restock.mapping.delete``: another method of the same route
    trailing_slash: str = "trailing_slash"  # a router option: False drops the slash
    lookup_field: str = "lookup_field"  # class attributes naming the lookup parameter
    lookup_url_kwarg: str = "lookup_url_kwarg"
    lookup_regex: str = "lookup_value_regex"
    default_lookup: str = "pk"
    default_regex: str = "[^/.]+"
    root_view: str = "APIRootView"  # the view of a router's API root (``GET {prefix}``)


# (action, method, resource part, suffix): what a ``resources`` declaration registers
ResourceAction = tuple[str, str, str, str]


@dataclass(frozen=True)
class Framework:
    name: str
    languages: tuple[str, ...]
    modules: tuple[str, ...]  # an import of one of these (or a submodule) announces it
    syntax: str  # route pattern syntax, see codemap.endpoints.patterns
    order: str  # "registration": first declared match wins; "specificity": most specific wins
    trailing_slash: str  # "strict", "redirect" (a redirect to the other form), "optional"
    head_implies_get: bool
    rules: tuple[Rule, ...]
    lists: tuple[str, ...] = ()  # module variables holding URL entries (urlpatterns)
    param_types: tuple[str, ...] = ()  # parameter type texts that make a parameter a router
    root_setting: str = ""  # settings variable naming the root URL module (ROOT_URLCONF)
    include: tuple[str, ...] = ()  # entry view calls that include another URL list
    include_attrs: tuple[str, ...] = ()  # attributes holding URL lists built at run time
    class_views: tuple[str, ...] = ()  # ``X.as_view()``: a class-based view
    view_bases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # base -> methods it defines
    view_methods: tuple[str, ...] = ()  # class methods that handle HTTP methods (lower case)
    join: str = "slash"  # how a prefix and a route compose (codemap.endpoints.patterns.join)
    root_prefix: str = ""  # prepended to every route of a root router (Django: "/")
    dependency_calls: tuple[str, ...] = ()  # calls naming a function the framework runs
    #                       before the handler (FastAPI ``Depends(f)``, ``Security(f)``), in
    #                       a rule's ``dependencies`` or a handler parameter's default or type
    dependency_arg: Arg | None = None  # where such a call names the function; when it does
    #                       not, the parameter's type is the dependency (``x: C = Depends()``)
    constructor: str = ""  # the method whose parameters a class dependency's are (__init__)
    call_method: str = ""  # what an instance named as a dependency runs (__call__)
    rooted_paths: bool = False  # a route's literal path starts at the root ("/x", "*", a
    #                             regex, an array of those): only such a verb call anchors
    #                             a file (codemap.endpoints.anchors), not `options.get('x')`
    # -- second wave ----------------------------------------------------------------------
    globals: tuple[str, ...] = ()  # names in scope without an import (Rails, the Route alias)
    facades: tuple[str, ...] = ()  # names denoting the router of the enclosing block, else
    #                                the framework's default router (``Route::get``)
    passthrough: tuple[str, ...] = ()  # calls returning the router they are made on (Build)
    modifiers: tuple[str, ...] = ()  # calls chained on a resources declaration giving its
    #                                  options (Laravel ``->only([...])``)
    action_sep: str = ""  # a string handler "controller<sep>action" ("users#show", "C@m")
    controller_style: str = ""  # "rails": "admin/users" names Admin::UsersController
    invoke: str = ""  # the method that handles a route whose handler is a class (__invoke)
    resource_actions: dict[str, tuple[ResourceAction, ...]] = field(default_factory=dict)
    member_param: str = ""  # a resource's member parameter: ":{param}", "{{{singular}}}"
    nested_param: str = ""  # the parameter resources nested in it see: ":{singular}_{param}"
    default_param: str = ""  # ``{param}`` when the declaration gives none ("id")
    implicit_on: dict[str, str] = field(default_factory=dict)  # resource kind -> the part a
    #                                     declaration in its block goes to (Rails: nested)
    route_tokens: dict[str, str] = field(default_factory=dict)  # "[controller]" -> "class"
    controller_suffix: str = ""  # dropped from a class name for the "class" token
    absolute_members: bool = False  # a member path starting with "/" or "~/" ignores the
    #                                 controller's (ASP.NET)
    case_insensitive: bool = False  # paths match whatever their case (ASP.NET)
    file_prefixes: dict[str, str] = field(default_factory=dict)  # route file -> the prefix
    #                                     its framework serves it under (routes/api.php)
    index_lookup: bool = False  # a handler named by a path the linker cannot follow is
    #                             looked up in the index by its qualified name
    typed_params: bool = False  # a parameter with a declared type is a router only when the
    #                             type is one of ``param_types`` (a Ktor HttpClient is not)
    method_verbs: dict[str, str] = field(default_factory=dict)  # method-router verb -> method
    handler_verbs: tuple[str, ...] = ()  # method-router calls whose argument is the handler
    prefix_wrappers: tuple[str, ...] = ()  # modules whose function, called with a prefix and an
    #                                      app, serves the app under the prefix (koa-mount)
    autoload: Autoload | None = None  # a loader registering a directory's files as plugins
    viewsets: ViewSets | None = None  # routers generating a ViewSet's routes (DRF)
    language_prefix: tuple[str, ...] = ()  # URL-list calls serving their entries under a
    #                       language code (Django ``i18n_patterns``)
    language_optional: str = ""  # their option: False serves the default language unprefixed
    languages_setting: str = ""  # the settings variable listing the language codes
    # -- JAX-RS ---------------------------------------------------------------------------
    locators: bool = False  # member templates combine with the class's; a member with only
    #                         a combining path (``@Path`` without ``@GET``) is a sub-resource
    #                         locator whose return type's members continue its path, and a
    #                         class without a controller template is served only there
    imported: bool = False  # its annotations count only in files importing one of its
    #                         ``modules`` (JAX-RS ``@GET`` / ``@Path`` are Retrofit's too)
    brace_spaces: bool = False  # spaces inside ``{ id : \\d+ }`` are not part of the name or
    #                             regex (JAX-RS templates)
    config_files: tuple[str, ...] = ()  # configuration files, relative to a module's root
    #                       directory, whose keys prefix every route of the module's files
    #                       (read as data by codemap.endpoints.configs; ``.properties`` only)
    config_root: tuple[str, ...] = ()  # keys giving the root of every route (the first set
    #                                    one): Quarkus ``quarkus.http.root-path``
    config_paths: tuple[str, ...] = ()  # keys giving the application path under that root,
    #                       used when the module has no ``prefix`` rule's annotation
    #                       (``@ApplicationPath`` replaces it): ``quarkus.rest.path``


def verb_routes(names: tuple[str, ...], *, case: str = "lower", path: Arg = Arg(pos=0),
                handler: Arg | None = Arg(pos=-1), kind: str = "route",
                **extra: object) -> tuple[Rule, ...]:
    """One rule per HTTP verb; ``case`` spells the verb as the framework does (get, GET, Get)."""
    spell = {"lower": str.lower, "upper": str.upper, "title": str.title}[case]
    return tuple(Rule(kind, (spell(n),), methods=(n.upper(),), path=path, handler=handler,
                      **extra)  # type: ignore[arg-type]
                 for n in names)
