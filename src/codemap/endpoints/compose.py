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

import re
from dataclasses import dataclass
from typing import Any

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
from codemap.endpoints.routers import (
    MAX_DEPTH,
    MAX_ENDPOINTS,
    ChainRef,
    Composer,
    Part,
    RawRoute,
    Router,
)
from codemap.endpoints.urllists import UrlLists

_GO_METHOD = re.compile(r"^([A-Z]+)\s+(.*)$", re.DOTALL)
_CALL_KINDS = ("route", "mount", "prefix", "group", "chain")


@dataclass
class Composed:
    route: RawRoute
    parts: list[Part]
    order: int
    unknown: list[str]


def _lang_frameworks(ctx: FileCtx) -> list[Framework]:
    return list(ctx.frameworks) or list(frameworks_for(ctx.lang))


def _looks_like_route(parts: list[Part]) -> bool:
    first = parts[0][0] if parts else ""
    return (not first or first[0] in "/*:^(" or first == UNKNOWN or bool(_GO_METHOD.match(first))
            or "/" in first)


class Recorder(UrlLists):
    """Turns one file's facts into router events."""

    def __init__(self, c: Composer) -> None:
        self.c = c
        self.pending: list[tuple[Any, ...]] = []

    # -- routes ----------------------------------------------------------------------
    def route(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework, rule: Rule,
              target: Router, chain: ChainRef | None, order: tuple[Any, ...],
              handler: dict[str, Any] | None = None) -> None:
        c = self.c
        unknown: list[str] = []
        if chain is not None:
            paths: list[list[Part] | None] = [chain.parts]
        else:
            pv = c.arg(call, rule.path)
            values = pv["list"] if isinstance(pv, dict) and "list" in pv else [pv]
            paths = []
            for v in values:
                parts = c.string_parts(ctx, scope, v, rule.syntax or fw.syntax)
                if parts is None:
                    if v is None and rule.kind not in ("member", "decorator"):
                        return  # app.get('title'): a settings getter, not a route
                    parts = [] if v is None else [(UNKNOWN, "unknown")]
                    if v is not None:
                        unknown.append("route")
                elif any(p[1] == "unknown" for p in parts):
                    unknown.append("route")  # f"/pages/{name}" in a loop
                paths.append(parts)
        if handler is None:
            hv = call["args"][-1] if chain is not None and call.get("args") else c.arg(call, rule.handler)
            if chain is None and hv is not None and hv is c.arg(call, rule.path):
                hv = None  # app.get('title'): the only argument is the path
            if rule.handler is not None and hv is None and chain is None:
                return
            if chain is not None and hv is None:
                return
            mounted = self._handler_router(ctx, scope, hv, target, order)
            if mounted:
                return
            handler = {"ctx": ctx.path, "scope": scope, "value": hv}
        methods, known, explicit = c.methods(ctx, scope, call, rule)
        if not known:
            unknown.append("method")
        for parts in paths:
            if parts is None:
                continue
            if rule.kind == "route" and target.kind in ("implicit", "param", "default") \
                    and not _looks_like_route(parts):
                continue
            m = methods
            if rule.methods_in_path and parts and isinstance(parts[0][0], str):
                found = _GO_METHOD.match(parts[0][0])
                if found:
                    m = [found.group(1)]
                    parts = [(found.group(2), parts[0][1]), *parts[1:]]
                if parts and parts[0][0] and not parts[0][0].startswith("/") \
                        and "/" in parts[0][0]:  # "example.com/path": keep the path
                    parts = [(parts[0][0][parts[0][0].index("/"):], parts[0][1]), *parts[1:]]
            raw = RawRoute(fw.name, list(m), list(parts), handler, ctx.path,
                           call.get("line", 0), list(unknown), explicit or m is not methods)
            target.events.append((order, "route", raw))

    def _handler_router(self, ctx: FileCtx, scope: int, hv: Any, target: Router,
                        order: tuple[Any, ...]) -> bool:
        """``mux.Handle("/api/", http.StripPrefix("/api", api))``: a router as a handler."""
        if not isinstance(hv, dict):
            return False
        prefix: list[Part] = []
        inner = hv
        if "verb" in hv and hv.get("verb") == "StripPrefix" and len(hv.get("args", [])) >= 2:
            prefix = self.c.string_parts(ctx, scope, hv["args"][0], "gohttp") or []
            inner = hv["args"][1]
        if "name" not in inner and "verb" not in inner:
            return False
        child = self.c.eval_router(ctx, scope, inner)
        if isinstance(child, Router) and child is not target:
            self.c._mount(target, child, prefix, order)
            return True
        return False

    def mounts(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework, rule: Rule,
               target: Router, order: tuple[Any, ...]) -> None:
        c = self.c
        args = call.get("args", [])
        prefix: list[Part] = []
        given = False
        if rule.rest:
            rest = list(args)
            if rest:
                first = rest[0]
                parts = c.string_parts(ctx, scope, first, fw.syntax) \
                    if ("str" in first or "name" in first) else None
                if parts is not None and ("str" in first or c.eval_router(ctx, scope, first) is None):
                    prefix, rest, given = parts, rest[1:], True
            children = rest
        else:
            pv = c.arg(call, rule.path)
            if pv is not None:
                given = True
                prefix = c.string_parts(ctx, scope, pv, fw.syntax) or [(UNKNOWN, "unknown")]
            children = [c.arg(call, rule.child)]
        for value in children:
            child = c.eval_router(ctx, scope, value, call.get("line", 1 << 30))
            if isinstance(child, ChainRef):
                child = child.router
            if isinstance(child, Router):
                c._mount(target, child, prefix, order, rule.replace and given)

    # -- calls -------------------------------------------------------------------------
    def calls(self, ctx: FileCtx) -> None:
        c = self.c
        for scope, call, byte in ctx.facts.get("calls", ()):
            order = (ctx.path, call.get("line", 0), byte)
            obj = call.get("call")
            verb = call.get("verb", "")
            if obj is None or (isinstance(obj, dict) and obj.get("verb") == "require" and not verb):
                self._bare(ctx, scope, call, order)
                continue
            if verb not in INTERESTING_VERBS:
                self._helper(ctx, scope, call, order)  # routes.register(app)
                continue
            target = c.eval_router(ctx, scope, obj, call.get("line", 1 << 30))
            chain = None
            if isinstance(target, ChainRef):
                chain, target = target, target.router
            if target is None:
                target = self._implicit(ctx, scope, obj, verb)
            if target is None:
                if not self._global_prefix(ctx, scope, call):
                    self._helper(ctx, scope, call, order)
                continue
            if target.framework is None:
                self.pending.append((ctx, scope, call, target, chain, order))
                continue
            self.dispatch(ctx, scope, call, target, chain, order)

    def dispatch(self, ctx: FileCtx, scope: int, call: dict[str, Any], target: Router,
                 chain: ChainRef | None, order: tuple[Any, ...]) -> None:
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
            self.route(ctx, scope, call, fw, rule, target, None, order)
        elif rule.kind == "mount":
            self.mounts(ctx, scope, call, fw, rule, target, order)
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
        """A call with no object: an app factory holding a URL list, or a helper call."""
        for fw in ctx.frameworks:
            for rule in fw.rules:
                if rule.kind == "app" and rule.entries is not None and call.get("verb") in rule.verbs:
                    app = self.c._app(ctx, scope, call)
                    if app is not None:
                        self.entries_of(ctx, scope, self.c.arg(call, rule.entries), fw, app, order)
                    return
        self._helper(ctx, scope, call, order)

    def _helper(self, ctx: FileCtx, scope: int, call: dict[str, Any], order: tuple[Any, ...]) -> None:
        """``register_routes(app)``: the callee's parameter is the router passed in."""
        c = self.c
        routers: list[tuple[int, Router]] = []
        for i, a in enumerate(call.get("args", [])):
            if isinstance(a, dict) and "name" in a:
                r = c.eval_router(ctx, scope, a, call.get("line", 1 << 30))
                if isinstance(r, Router):
                    routers.append((i, r))
        if not routers:
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

    # -- decorators ----------------------------------------------------------------------
    def decorators(self, ctx: FileCtx) -> None:
        c = self.c
        fws = _lang_frameworks(ctx)
        for scope, call, target in ctx.facts.get("decorators", ()):
            verb = call.get("verb", "")
            order = (ctx.path, call.get("line", 0), 0)
            if target["kind"] == "class":
                found = c._rule(fws, verb, ("controller",))
                if found is not None:
                    self._controller(ctx, scope, call, found[0], found[1], target)
                continue
            obj = call.get("call")
            if obj is None or call.get("bare"):
                found = c._rule(fws, verb, ("member", "methods"))
                if found is None:
                    continue
                fw, rule = found
                if rule.kind == "methods":
                    methods, known, _explicit = c.methods(ctx, scope, call, rule)
                    c.method_limits[(ctx.path, target["line"])] = methods if known else [ANY]
                    continue
                if target["class"] == -1:
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
    for path in sorted(ws.files):
        ctx = ws.files[path]
        rec.lists(ctx)
        rec.decorators(ctx)
        rec.calls(ctx)
    for ctx, scope, call, target, chain, order in rec.pending:
        rec.dispatch(ctx, scope, call, target, chain, order)
    roots = _roots(c, ws)
    out: list[Composed] = []
    for root in roots:
        fw = BY_NAME.get(root.framework or "")
        start = ([(fw.root_prefix, "lit")] if fw and fw.root_prefix else []) + list(root.prefix)
        _walk(c, root, start, 0, set(), out, ["mount"] if root.kind == "sub" else [])
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
    roots = [r for r in c.routers if not r.mounted and (r.events or r.kind == "default")]
    roots.sort(key=lambda r: (r.path not in settings, rank.get(r.kind, 9), r.path, r.line))
    return roots


def join_parts(a: list[Part], b: list[Part], mode: str) -> list[Part]:
    """Compose prefix parts ``a`` and route parts ``b`` the way a framework does.

    ``concat`` (Django, FastAPI, Starlette, Echo, net/http): plain concatenation.
    ``slash``: exactly one slash between the two; a route of ``""`` or ``"/"``
    is the prefix itself (Express, Koa, Spring, Nest, gin, chi).
    ``flask``: ``prefix.rstrip('/') + '/' + rule.lstrip('/')``; an empty rule
    is the prefix itself.
    """
    if not a or not b or mode == "concat":
        return [*a, *b]
    last, first = a[-1][0], b[0][0]
    if not first.strip("/") and len(b) == 1 and (mode == "slash" or not first):
        return [*a[:-1], (last.rstrip("/") if mode == "slash" and first else last, a[-1][1])] \
            if mode == "slash" and last.rstrip("/") else list(a)
    return [*a[:-1], (last.rstrip("/"), a[-1][1]), ("/" + first.lstrip("/"), b[0][1]), *b[1:]]


def _walk(c: Composer, router: Router, prefix: list[Part], depth: int, seen: set[int],
          out: list[Composed], flags: list[str]) -> None:
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
            out.append(Composed(raw, parts, len(out), sorted(set(unknown))))
        else:
            _, _, child_id, mount_prefix, replace = event
            child = c.routers[child_id]
            fw = BY_NAME.get(child.framework or router.framework or "")
            mode = fw.join if fw else "slash"
            p = join_parts(prefix, mount_prefix, mode)
            if not replace:
                p = join_parts(p, child.prefix, mode)
            _walk(c, child, p, depth + 1, seen, out, flags)
