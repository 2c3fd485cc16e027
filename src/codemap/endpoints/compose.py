"""Record what every declaration registers, then walk the routers into endpoints.

Each file's calls, decorators and URL lists become *events* on routers
(:mod:`codemap.endpoints.routers`): a route, or a mount of a child router
under a prefix. Declarations whose router's framework is not known yet
(a route on a function parameter that some other file hands a router to)
wait until every file has been linked. :func:`compose` then walks every
root router depth-first, expanding mounts where they happen, so endpoints
come out in the order the framework registers them, prefixes composed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codemap.endpoints import autoload, scopes
from codemap.endpoints.attributes import AttributeRoutes, templated
from codemap.endpoints.declarations import Declarations
from codemap.endpoints.frameworks import (
    ANY,
    BY_NAME,
    INTERESTING_VERBS,
    Framework,
    Rule,
    frameworks_for,
)
from codemap.endpoints.linker import FileCtx, Workspace
from codemap.endpoints.patterns import UNKNOWN
from codemap.endpoints.resources import Resources
from codemap.endpoints.routers import (
    MAX_DEPTH,
    MAX_ENDPOINTS,
    ChainRef,
    Composer,
    Part,
    RawRoute,
    Router,
)
from codemap.endpoints.scopes import ScopeRef, join_parts

__all__ = ["Composed", "Recorder", "compose", "join_parts"]
from codemap.endpoints.urllists import UrlLists
from codemap.endpoints.viewsets import ViewSetRoutes

_CALL_KINDS = ("route", "mount", "prefix", "group", "chain", "scope", "resources", "define",
               "apply", "viewsets")


@dataclass
class Composed:
    route: RawRoute
    parts: list[Part]
    order: int
    unknown: list[str]
    deps: list[dict[str, Any]]  # dependency references: the routers' and the route's


def _lang_frameworks(ctx: FileCtx) -> list[Framework]:
    return list(ctx.frameworks) or list(frameworks_for(ctx.lang))


class Recorder(Declarations, UrlLists, Resources, AttributeRoutes, ViewSetRoutes):
    """Turns one file's facts into router events."""

    def __init__(self, c: Composer) -> None:
        self.c = c
        self.pending: list[tuple[Any, ...]] = []
        self.modified: dict[str, dict[str, Any]] = {}  # resources call -> chained options
        self.base: tuple[Any, ...] = ()  # where a replayed (concern) call is applied

    # -- routes ----------------------------------------------------------------------
    # -- calls -------------------------------------------------------------------------
    def calls(self, ctx: FileCtx) -> None:
        self.modifiers(ctx)
        for scope, call, byte in ctx.facts.get("calls", ()):
            self.call(ctx, scope, call, byte)

    def call(self, ctx: FileCtx, scope: int, call: dict[str, Any], byte: int,
             base: tuple[Any, ...] = ()) -> None:
        """Record one call; ``base`` orders a replayed call where it is applied."""
        saved, self.base = self.base, base
        try:
            self._call(ctx, scope, call, byte, base)
        finally:
            self.base = saved

    def _call(self, ctx: FileCtx, scope: int, call: dict[str, Any], byte: int,
              base: tuple[Any, ...]) -> None:
        c = self.c
        order = (*base, ctx.path, call.get("line", 0), *call.get("span", (byte,)))
        obj = call.get("call")
        verb = call.get("verb", "")
        if obj is None and self._received(ctx, scope, call, order):
            return  # get("/x") { } in a block: the block's scope is the receiver
        if obj is None or (isinstance(obj, dict) and obj.get("verb") == "require" and not verb):
            self._bare(ctx, scope, call, order)
            return
        if verb not in INTERESTING_VERBS:
            self._helper(ctx, scope, call, order)  # routes.register(app)
            return
        target = c.eval_router(ctx, scope, obj, call.get("line", 1 << 30))
        chain = None
        where = None
        if isinstance(target, ChainRef):
            chain, target = target, target.router
        elif isinstance(target, ScopeRef):
            where, target = target, target.router
        if target is None:
            target = self._implicit(ctx, scope, obj, verb)
        if target is None:
            if not self._global_prefix(ctx, scope, call):
                self._helper(ctx, scope, call, order)
            return
        if target.framework is None:
            self.pending.append((ctx, scope, call, target, chain, order, where))
            return
        self.dispatch(ctx, scope, call, target, chain, order, where)

    def _received(self, ctx: FileCtx, scope: int, call: dict[str, Any],
                  order: tuple[Any, ...]) -> bool:
        """A call without a receiver inside a block that has one (Rails, Ktor)."""
        where = scopes.receiver(self.c, ctx, scope)
        if where is None or self.c._rule(self.c._candidates(ctx, where), call.get("verb", ""),
                                         _CALL_KINDS) is None:
            return False
        self.dispatch(ctx, scope, call, where.router, None, order, where)
        return True

    def dispatch(self, ctx: FileCtx, scope: int, call: dict[str, Any], target: Router,
                 chain: ChainRef | None, order: tuple[Any, ...],
                 where: ScopeRef | None = None) -> None:
        c = self.c
        verb = call.get("verb", "")
        fws = [BY_NAME[target.framework]] if target.framework else _lang_frameworks(ctx)
        found = c._rule(fws, verb, _CALL_KINDS)
        if found is None:
            self._helper(ctx, scope, call, order)
            return
        fw, rule = found
        if chain is not None:
            if rule.kind == "route":
                self.route(ctx, scope, call, fw, rule, target, chain, order)
            return
        if rule.kind == "route":
            if target.framework is None and not self._fits(call, rule):
                return
            self.route(ctx, scope, call, fw, rule, target, None, order, where=where)
        elif rule.kind == "mount":
            self.mounts(ctx, scope, call, fw, rule, target, order, where)
        elif rule.kind == "viewsets":
            self.viewsets(ctx, scope, call, fw, rule, target, order)
        elif rule.kind == "resources":
            self.resources(ctx, scope, call, fw, rule, where or ScopeRef(target), order)
        elif rule.kind == "scope":
            c.eval_router(ctx, scope, call)
        elif rule.kind == "define":
            self.define(ctx, call, fw, rule)
        elif rule.kind == "apply" and where is not None:
            self.apply(ctx, call, fw, rule, where, order)
        elif rule.kind == "prefix":
            parts = c.string_parts(ctx, scope, c.arg(call, rule.path), fw.syntax)
            if parts is not None:
                target.prefix = parts
        elif rule.kind == "group":
            c.eval_router(ctx, scope, call)
        if target.framework is None:
            target.framework = fw.name

    def _global_prefix(self, ctx: FileCtx, scope: int, call: dict[str, Any]) -> bool:
        """``app.setGlobalPrefix('api')`` on an application we cannot follow (Nest)."""
        found = self.c._rule(ctx.frameworks, call.get("verb", ""), ("prefix",))
        if found is None:
            return False
        fw, rule = found
        parts = self.c.string_parts(ctx, scope, self.c.arg(call, rule.path), fw.syntax)
        if parts is None:
            return False
        root, _ = self.c._router(("default", fw.name), fw.name, ctx.path, 0, "default")
        root.prefix = parts
        return True

    @staticmethod
    def _fits(call: dict[str, Any], rule: Rule) -> bool:
        args = call.get("args", [])
        return bool(args) and "str" in args[0] and (rule.handler is None or len(args) >= 2)

    def _implicit(self, ctx: FileCtx, scope: int, obj: Any, verb: str) -> Router | None:
        """A router the file uses but does not define: a framework's default router, or
        a name we cannot follow in a file that uses the framework."""
        if not isinstance(obj, dict) or "name" not in obj:
            return None
        name = obj["name"]
        head = name.partition(".")[0]
        bound = self.c.ws.bind(ctx, scope, head)
        if bound is not None and not (bound.kind == "import" and
                                      not self.c.ws.resolve_module(ctx, *bound.value)):
            return None  # a name we can follow that is not a router: app.webhooks, requests
        for fw in ctx.frameworks:
            if self.c._rule([fw], verb, ("route", "decorator", "mount")) is None:
                continue
            if name in ctx.framework_modules(fw):
                r, _ = self.c._router(("default", fw.name), fw.name, ctx.path, 0, "default")
                return r
            if bound is None and "." not in name:
                r, _ = self.c._router(("implicit", ctx.path, scope, name), fw.name, ctx.path, 0,
                                      "implicit")
                return r
        return None

    def _bare(self, ctx: FileCtx, scope: int, call: dict[str, Any], order: tuple[Any, ...]) -> None:
        """A call with no object: an app factory holding a URL list or a block (Ktor
        ``routing { }``), or a helper call."""
        for fw in ctx.frameworks:
            for rule in fw.rules:
                if rule.kind != "app" or call.get("verb") not in rule.verbs:
                    continue
                if rule.entries is not None:
                    app = self.c._app(ctx, scope, call)
                    if app is not None:
                        self.entries_of(ctx, scope, self.c.arg(call, rule.entries), fw, app, order)
                    return
                if rule.block is not None and self.c._app(ctx, scope, call) is not None:
                    return
        self._helper(ctx, scope, call, order)

    def _helper(self, ctx: FileCtx, scope: int, call: dict[str, Any], order: tuple[Any, ...]) -> None:
        """``register_routes(app)``: the callee's parameter is the router passed in.

        The callee is looked up first: most calls handing a router-like name to a
        function (``self.assertContains(response)``, ``path("x/", views.x)``) call
        nothing whose parameters a router could reach, and their arguments are then
        not evaluated at all."""
        c = self.c
        if self._extension(ctx, scope, call, order):
            return
        args = call.get("args", [])
        if not any(isinstance(a, dict) and "name" in a for a in args):
            return
        obj, verb = call.get("call"), call.get("verb", "")
        if obj is None:
            callee: Any = {"name": verb}
        elif "name" in obj:
            callee = {"name": f"{obj['name']}.{verb}"}
        else:
            callee = obj  # require('./routes')(app)
        target = c._function_scope(ctx, scope, callee)
        if target is None:
            return
        routers: list[tuple[int, Router]] = []
        for i, a in enumerate(args):
            if isinstance(a, dict) and "name" in a:
                r = c.eval_router(ctx, scope, a, call.get("line", 1 << 30))
                if isinstance(r, Router):
                    routers.append((i, r))
        if not routers:
            return
        fctx, fscope = target
        span = fctx.scopes.get(fscope)
        for i, r in routers:
            if span is None or i >= len(span[3]):
                continue
            child, _ = c._router(("param", fctx.path, fscope, i), r.framework, fctx.path, span[4],
                                 "param")
            c._mount(r, child, [], order)
            if child.framework is None:
                child.framework = r.framework

    def _extension(self, ctx: FileCtx, scope: int, call: dict[str, Any],
                   order: tuple[Any, ...]) -> bool:
        """An extension function called on a router: Ktor ``routing { userRoutes() }`` (the
        block's implicit receiver is ``fun Route.userRoutes()``'s ``this``), C#
        ``app.MapUserEndpoints()`` (``this IEndpointRouteBuilder app``). The function is
        found by scope or, since extensions live anywhere, as the one function of the
        language by that name whose first parameter takes the router."""
        c = self.c
        obj = call.get("call")
        if obj is None:
            where = scopes.receiver(c, ctx, scope)
        else:
            found = c.eval_router(ctx, scope, obj, call.get("line", 1 << 30))
            where = found if isinstance(found, ScopeRef) else ScopeRef(found) \
                if isinstance(found, Router) else None
        if where is None or where.framework is None:
            return False
        verb = call.get("verb", "")

        def takes_router(f: FileCtx, span: list[Any]) -> bool:
            return bool(span[3]) and (span[3][0][0] == "this" or c._framework_of_type(
                f, span[3][0][1]) == where.framework) and span[2] == verb

        target = c._function_scope(ctx, scope, {"name": verb}) if obj is None else None
        if target is None or not takes_router(target[0], target[0].scopes[target[1]]):
            candidates = [(f, span[0]) for f in c.ws.files.values() if f.lang == ctx.lang
                          for span in f.scopes.values() if takes_router(f, span)]
            target = candidates[0] if len(candidates) == 1 else None
        if target is None:
            return False
        fctx, fscope = target
        child, _ = c._router(("param", fctx.path, fscope, 0), where.framework, fctx.path,
                             fctx.scopes[fscope][4], "param")
        c._mount(where.router, child, list(where.parts), order)
        return True

    # -- decorators ----------------------------------------------------------------------
    def decorators(self, ctx: FileCtx) -> None:
        c = self.c
        fws = _lang_frameworks(ctx)
        self.attribute_scan(ctx, fws)
        for scope, call, target in ctx.facts.get("decorators", ()):
            verb = call.get("verb", "")
            order = (ctx.path, call.get("line", 0), 0)
            if target["kind"] == "class":
                found = c._rule(fws, verb, ("controller",))
                if found is not None and not templated(found[0]):
                    self._controller(ctx, scope, call, found[0], found[1], target)
                continue
            obj = call.get("call")
            if obj is None or call.get("bare"):
                found = c._rule(fws, verb, ("member", "methods", "function"))
                if found is None:
                    continue
                fw, rule = found
                if rule.kind == "methods":
                    methods, known, _explicit = c.methods(ctx, scope, call, rule)
                    c.method_limits[(ctx.path, target["line"])] = methods if known else [ANY]
                    continue
                if rule.kind == "function":
                    self.function_route(ctx, scope, call, fw, rule, target, order)
                    continue
                if target["class"] == -1:
                    continue
                if templated(fw):
                    self.attribute_route(ctx, scope, call, fw, rule, target, order)
                    continue
                router = self._class_router(ctx, target["class"], fw, None)
                self.route(ctx, scope, call, fw, rule, router, None, order,
                           handler={"decorated": target, "ctx": ctx.path})
                continue
            router = c.eval_router(ctx, scope, obj, call.get("line", 1 << 30))
            if isinstance(router, ChainRef):
                router = router.router
            if router is None:
                router = self._implicit(ctx, scope, obj, verb)
            if router is None:
                continue
            found = c._rule([BY_NAME[router.framework]] if router.framework else fws, verb,
                            ("decorator",))
            if found is None:
                continue
            fw, rule = found
            router.framework = router.framework or fw.name
            self.route(ctx, scope, call, fw, rule, router, None, order,
                       handler={"decorated": target, "ctx": ctx.path})

    def _class_router(self, ctx: FileCtx, start: int, fw: Framework, prefix: list[Part] | None) -> Router:
        c = self.c
        r, new = c._router(("class", ctx.path, start), fw.name, ctx.path, 0, "class", prefix)
        if prefix is not None:
            r.prefix = prefix
        if new:
            root, _ = c._router(("default", fw.name), fw.name, ctx.path, 0, "default")
            c._mount(root, r, [], (ctx.path, start, 0))
        return r

    def _controller(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework,
                    rule: Rule, target: dict[str, Any]) -> None:
        value = self.c.arg(call, rule.path)
        values = value["list"] if isinstance(value, dict) and "list" in value else [value]
        parts = self.c.string_parts(ctx, scope, values[0], fw.syntax) if values[0] else []
        self._class_router(ctx, target["class"], fw, parts if parts is not None else
                           [(UNKNOWN, "unknown")])


def compose(ws: Workspace) -> tuple[list[Composed], Composer]:
    """Every endpoint of the workspace, in registration order, prefixes composed."""
    c = Composer(ws)
    rec = Recorder(c)
    autoload.register_all(c)  # directory loaders: plugin files' routers are the framework's
    for path in ws.declaring:  # decorators first: actix .service(f) mounts f's routes
        ctx = ws.files[path]
        rec.lists(ctx)
        rec.decorators(ctx)
    for path in ws.declaring:  # not the references loaded meanwhile: they declare nothing
        rec.calls(ws.files[path])
    for ctx, scope, call, target, chain, order, where in rec.pending:
        rec.dispatch(ctx, scope, call, target, chain, order, where)
    roots = _roots(c, ws)
    out: list[Composed] = []
    for root in roots:
        fw = BY_NAME.get(root.framework or "")
        start = ([(fw.root_prefix, "lit")] if fw and fw.root_prefix else []) + list(root.prefix)
        _walk(c, root, start, 0, set(), out, ["mount"] if root.kind == "sub" else [],
              list(root.deps))
        if len(out) >= MAX_ENDPOINTS:
            break
    return out, c


def _roots(c: Composer, ws: Workspace) -> list[Router]:
    rank = {"default": 0, "app": 1, "list": 2, "class": 3, "group": 4, "implicit": 5, "param": 6,
            "sub": 7}
    settings: set[str] = set()
    for ctx in list(ws.files.values()):
        for fw in ctx.frameworks:
            if fw.root_setting:
                for _line, value, _aug in ctx.assigns.get((-1, fw.root_setting), ()):
                    if isinstance(value, dict) and "str" in value:
                        target = ws.module_file(ctx, "".join(p for p in value["str"]
                                                             if isinstance(p, str)))
                        if target is not None:
                            settings.add(target.path)
    roots = [r for r in c.routers if not r.mounted and (r.events or r.kind == "default")
             and r.kind != "discard"]
    roots.sort(key=lambda r: (r.path not in settings, rank.get(r.kind, 9), r.path, r.line))
    return roots


def _walk(c: Composer, router: Router, prefix: list[Part], depth: int, seen: set[int],
          out: list[Composed], flags: list[str], deps: list[dict[str, Any]]) -> None:
    if depth > MAX_DEPTH or router.id in seen or len(out) >= MAX_ENDPOINTS:
        return
    seen = seen | {router.id}
    for event in sorted(router.events, key=lambda e: e[0]):
        if event[1] == "route":
            raw: RawRoute = event[2]
            fw = BY_NAME[raw.framework]
            unknown = list(raw.unknown) + flags
            if any(p[1] == "unknown" for p in prefix):
                unknown.append("prefix")
            parts = join_parts(prefix, raw.parts, fw.join)
            if fw.join == "slash" and parts and not parts[0][0].startswith(("/", UNKNOWN)):
                parts = [("/" + parts[0][0], parts[0][1]), *parts[1:]]
            out.append(Composed(raw, parts, len(out), sorted(set(unknown)), deps + raw.deps))
        else:
            _, _, child_id, mount_prefix, replace, mount_deps = event
            child = c.routers[child_id]
            fw = BY_NAME.get(child.framework or router.framework or "")
            mode = fw.join if fw else "slash"
            p = join_parts(prefix, mount_prefix, mode)
            if not replace:
                p = join_parts(p, child.prefix, mode)
            _walk(c, child, p, depth + 1, seen, out, flags, deps + mount_deps + child.deps)
