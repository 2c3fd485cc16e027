"""Routers: which router an expression denotes, across files.

The engine reads only the framework tables (:mod:`codemap.endpoints.frameworks`):
a router is made by an ``app`` / ``group`` rule, a function parameter that
a caller hands a router to, a controller class, a framework's default
router (Go's ``http.DefaultServeMux``) or a URL list. Routes and mounts are
*events* on a router, kept in declaration order
(:mod:`codemap.endpoints.compose` records them and walks the result).
Block-structured DSLs (Rails, Ktor, Laravel groups) evaluate to a
:class:`~codemap.endpoints.scopes.ScopeRef` (a router, a prefix and a handler
context) instead of a child router; see :mod:`codemap.endpoints.scopes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codemap.endpoints import dependencies, scopes
from codemap.endpoints.frameworks import ANY, BY_NAME, HANDLER_WRAPPERS, Arg, Framework, Rule
from codemap.endpoints.linker import Binding, FileCtx, Workspace
from codemap.endpoints.patterns import UNKNOWN
from codemap.endpoints.scopes import ScopeRef

Part = tuple[str, str]  # (route text, syntax)
CALL_KINDS = ("group", "chain", "route", "mount", "prefix", "scope", "resources")
MAX_DEPTH = 16
MAX_ENDPOINTS = 200_000


@dataclass
class Router:
    id: int
    framework: str | None
    path: str
    line: int
    kind: str  # app, group, param, list, class, default, implicit, chain
    prefix: list[Part] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)  # (order, "route"|"mount", ...)
    mounted: bool = False
    deps: list[dict[str, Any]] = field(default_factory=list)  # dependencies of all its routes
    made: dict[str, Any] | None = None  # the call that made an ``app`` router (its options)


@dataclass
class ChainRef:
    """``router.route('/x')``: a route object whose verbs take handlers only."""

    router: Router
    parts: list[Part]

    @property
    def framework(self) -> str | None:
        return self.router.framework


@dataclass
class RawRoute:
    framework: str
    methods: list[str]
    parts: list[Part]
    handler: dict[str, Any] | None  # {"ctx", "scope", "value"} or {"decorated": target}
    path: str
    line: int
    unknown: list[str]
    explicit: bool = True  # methods were given (not the framework's default)
    deps: list[dict[str, Any]] = field(default_factory=list)  # the declaration's dependencies


class Composer:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.routers: list[Router] = []
        self.keys: dict[tuple[Any, ...], Router] = {}
        self.method_limits: dict[tuple[str, int], list[str]] = {}  # Django @require_POST
        self.blocks: dict[tuple[str, int], ScopeRef] = {}  # (file, block start) -> its scope
        self.macros: dict[tuple[str, str], tuple[FileCtx, int]] = {}  # Rails concerns
        self.replaying: set[tuple[str, str]] = set()
        self.api_roots: set[int] = set()  # ViewSet routers whose API root is recorded
        self._evaluating: set[tuple[Any, ...]] = set()

    # -- routers -----------------------------------------------------------------
    def _router(self, key: tuple[Any, ...], framework: str | None, path: str, line: int,
                kind: str, prefix: list[Part] | None = None) -> tuple[Router, bool]:
        found = self.keys.get(key)
        if found is not None:
            if found.framework is None and framework:
                found.framework = framework
            return found, False
        r = Router(len(self.routers), framework, path, line, kind, list(prefix or []))
        self.routers.append(r)
        self.keys[key] = r
        return r, True

    def _mount(self, parent: Router, child: Router, prefix: list[Part], order: tuple[Any, ...],
               replace: bool = False, deps: list[dict[str, Any]] | None = None) -> None:
        """Mount ``child`` on ``parent`` under ``prefix`` (with the mount's dependencies)."""
        if parent is child or any(e[1] == "mount" and e[2] == child.id and e[3] == prefix
                                  for e in parent.events):
            return  # the same child under the same prefix: evaluated twice, mounted once
        child.mounted = True
        parent.events.append((order, "mount", child.id, prefix, replace, deps or []))

    # -- values --------------------------------------------------------------------
    def string_parts(self, ctx: FileCtx, scope: int, value: Any, syntax: str,
                     depth: int = 0) -> list[Part] | None:
        """Route text parts of a value: strings, names of string constants, ``a + b``."""
        if not isinstance(value, dict) or depth > 6:
            return None
        if "str" in value:
            out: list[Part] = []
            for piece in value["str"]:
                if isinstance(piece, str):
                    out.append((piece, syntax))
                else:
                    resolved = None
                    if isinstance(piece, dict) and "name" in piece:
                        resolved = self._const(ctx, scope, piece["name"], syntax, depth)
                    out.extend(resolved if resolved is not None else [(UNKNOWN, "unknown")])
            return out
        if "name" in value:
            return self._const(ctx, scope, value["name"], syntax, depth)
        return None

    def _const(self, ctx: FileCtx, scope: int, name: str, syntax: str,
               depth: int) -> list[Part] | None:
        head, _, rest = name.partition(".")
        b = self.ws.bind(ctx, scope, head)
        if b is None:
            return None
        if b.kind == "assign" and not rest:
            return self.string_parts(b.ctx, b.scope, b.value, syntax, depth + 1)
        if b.kind == "import":
            mod, member = b.value
            for target in self.ws.resolve_module(ctx, mod, member):
                attr = self.ws.attribute(target, member, rest)
                if attr and attr not in ("default", "*"):
                    found = self.string_parts(target, -1, {"name": attr}, syntax, depth + 1)
                    if found is not None:
                        return found
        return None

    @staticmethod
    def arg(call: dict[str, Any], spec: Arg | None) -> Any:
        """The value at ``spec`` in a call value, or None."""
        if spec is None:
            return None
        args = call.get("args", [])
        if spec.kw is not None:
            for kw in spec.kw.split("|"):
                if kw in call.get("kw", {}):
                    return call["kw"][kw]
            if spec.obj is not None and args:
                idx = spec.obj if spec.obj >= 0 else len(args) + spec.obj
                if 0 <= idx < len(args) and "obj" in args[idx] and spec.kw in args[idx]["obj"]:
                    return args[idx]["obj"][spec.kw]
        if spec.pos is not None and args:
            idx = spec.pos if spec.pos >= 0 else len(args) + spec.pos
            if 0 <= idx < len(args):
                v = args[idx]
                if spec.obj is not None and "obj" in v and spec.pos == spec.obj:
                    return None  # an options object is not the value itself
                return v
        return None

    def methods(self, ctx: FileCtx, scope: int, call: dict[str, Any],
                rule: Rule) -> tuple[list[str], bool, bool]:
        """(methods, known, explicit) a rule gives a call; not explicit: the default."""
        if rule.methods is not None:
            return list(rule.methods), True, True
        value = self.arg(call, rule.method)
        if value is None:
            return list(rule.default), True, False
        items = value.get("list", [value]) if isinstance(value, dict) else []
        out: list[str] = []
        for item in items:
            parts = self.string_parts(ctx, scope, item, "lit")
            text = "".join(p[0] for p in parts) if parts else ""
            if not text and isinstance(item, dict) and "name" in item:
                text = item["name"].rsplit(".", 1)[-1]  # RequestMethod.POST, http.MethodGet
                text = text[6:] if text.startswith("Method") and len(text) > 6 else text
            text = text.strip().upper()
            if not text or UNKNOWN in text:
                return [ANY], False, True
            out.append(ANY if text in ("ALL", "ANY") else text)  # Rails via: :all
        return (out or list(rule.default)), True, bool(out)

    # -- evaluation: which router does an expression denote? -------------------------
    def eval_router(self, ctx: FileCtx, scope: int, value: Any, line: int = 1 << 30,
                    depth: int = 0) -> Router | ChainRef | ScopeRef | None:
        if not isinstance(value, dict) or depth > MAX_DEPTH:
            return None
        if "name" in value:
            return self._eval_name(ctx, scope, value["name"], line, depth)
        if "verb" in value:
            return self._eval_call(ctx, scope, value, depth)
        return None

    def mounted(self, ctx: FileCtx, scope: int, value: Any, line: int = 1 << 30,
                wraps: bool = False) -> Router | None:
        """The router a mount's child denotes; with ``wraps`` (a rule's flag), also an app
        wrapped in middleware or an adapter (:meth:`_wrapped`)."""
        found = self.eval_router(ctx, scope, value, line)
        if isinstance(found, (ChainRef, ScopeRef)):
            found = found.router
        if found is None and wraps:
            found = self._prefixed(ctx, scope, value, line) or \
                self._wrapped(ctx, scope, value, line, 0)
        return found if isinstance(found, Router) else None

    def _prefixed(self, ctx: FileCtx, scope: int, value: Any, line: int) -> Router | None:
        """``mount('/admin', adminApp)``: a function of a framework's ``prefix_wrappers``
        module called with a prefix and an app serves the app under the prefix. It
        denotes a router holding that one mount, which the outer ``use`` mounts."""
        if not isinstance(value, dict) or value.get("call") is not None:
            return None
        args = value.get("args", [])
        if "verb" not in value or len(args) != 2 or "." in value["verb"]:
            return None
        b = self.ws.bind(ctx, scope, value["verb"], line)
        if b is None or b.kind != "import":
            return None
        fw = next((f for f in ctx.frameworks if b.value[0] in f.prefix_wrappers), None)
        child = self.mounted(ctx, scope, args[1], line, True) if fw is not None else None
        prefix = self.string_parts(ctx, scope, args[0], fw.syntax) if fw is not None else None
        if fw is None or child is None or prefix is None:
            return None
        at = value.get("line", line)
        wrapper, _ = self._router(("prefixed", ctx.path, at, repr(args)[:160]), fw.name,
                                  ctx.path, at, "group")
        self._mount(wrapper, child, prefix, (ctx.path, at, 0))
        return wrapper

    def _wrapped(self, ctx: FileCtx, scope: int, value: Any, line: int,
                 depth: int) -> Router | None:
        """``WSGIMiddleware(flask_app)``, ``CORSMiddleware(sub, allow_origins=[...])``,
        ``WsgiToAsgi(app)`` (also assigned to a name first, and nested): a call of one
        positional argument that is an app serves that app's routes. A call on a router
        (``app.listen(port)``) wraps nothing."""
        if not isinstance(value, dict) or depth > 4:
            return None
        if "name" in value:
            if "." in value["name"]:
                return None
            b = self.ws.bind(ctx, scope, value["name"], line)
            if b is None or b.kind != "assign":
                return None
            return self._wrapped(b.ctx, b.scope, b.value, b.line, depth + 1)
        args = value.get("args", [])
        if "verb" not in value or len(args) != 1:
            return None
        obj = value.get("call")
        if obj is not None and self.eval_router(ctx, scope, obj, line) is not None:
            return None
        inner = self.eval_router(ctx, scope, args[0], line)
        if isinstance(inner, (ChainRef, ScopeRef)):
            inner = inner.router
        if isinstance(inner, Router):
            return inner
        return self._wrapped(ctx, scope, args[0], line, depth + 1)

    def _eval_name(self, ctx: FileCtx, scope: int, name: str, line: int,
                   depth: int) -> Router | ChainRef | ScopeRef | None:
        for fw in ctx.frameworks:
            if name in fw.facades:  # Route::get inside a group's closure, Rails...routes.draw
                return scopes.receiver(self, ctx, scope) or scopes.file_scope(self, ctx, fw)
        head, _, rest = name.partition(".")
        b = self.ws.bind(ctx, scope, head, line)
        if b is None:
            return None
        if rest:
            if b.kind == "import":
                mod, member = b.value
                for target in self.ws.resolve_module(ctx, mod, member):
                    attr = self.ws.attribute(target, member, rest)
                    if not attr:
                        continue
                    found = self.eval_router(target, -1, {"name": attr}, depth=depth + 1)
                    if found is not None:
                        return found
            return None
        return self._eval_binding(b, depth)

    def _eval_binding(self, b: Binding, depth: int) -> Router | ChainRef | ScopeRef | None:
        key = ("binding", b.ctx.path, b.kind, b.scope, b.line, repr(b.value)[:200])
        if key in self._evaluating:
            return None
        self._evaluating.add(key)
        try:
            if b.kind == "assign":
                return self.eval_router(b.ctx, b.scope, b.value, b.line, depth + 1)
            if b.kind == "function":  # actix: a #[get("/")] handler registered with .service(f)
                return self.keys.get(("fn", b.ctx.path, b.scope))
            if b.kind == "param":
                index, ptype = b.value
                fw = self._framework_of_type(b.ctx, ptype)
                if fw is None and ptype and any(f.typed_params for f in b.ctx.frameworks):
                    return None  # fun fetch(client: HttpClient): not a router
                r, _ = self._router(("param", b.ctx.path, b.scope, index), fw, b.ctx.path, b.line,
                                    "param")
                return r
            if b.kind == "import":
                mod, member = b.value
                for target in self.ws.resolve_module(b.ctx, mod, member):
                    exp = self.ws.exported(target, member)
                    if exp is not None:
                        found = self.eval_router(exp[0], -1, exp[1], depth=depth + 1)
                        if found is not None:
                            return found
                    elif member in ("", "default"):
                        continue
            return None
        finally:
            self._evaluating.discard(key)

    def _framework_of_type(self, ctx: FileCtx, ptype: str) -> str | None:
        if not ptype:
            return None
        for fw in ctx.frameworks or [f for f in BY_NAME.values() if ctx.lang in f.languages]:
            if ptype in fw.param_types:
                return fw.name
        return None

    def _candidates(self, ctx: FileCtx, router: Router | ChainRef | None) -> list[Framework]:
        if router is not None and router.framework:
            return [BY_NAME[router.framework]]
        return list(ctx.frameworks)

    def _rule(self, fws: list[Framework], verb: str, kinds: tuple[str, ...]) -> tuple[Framework, Rule] | None:
        for fw in fws:
            for rule in fw.rules:
                if rule.kind in kinds and verb in rule.verbs:
                    return fw, rule
        return None

    def _eval_call(self, ctx: FileCtx, scope: int, call: dict[str, Any],
                   depth: int) -> Router | ChainRef | ScopeRef | None:
        verb = call.get("verb", "")
        obj = call.get("call")
        line = call.get("line", 0)
        # require('fastify')({...}): calling a module; require('./routes'): its export
        if obj is not None and obj.get("verb") == "require" and not verb:
            spec = self.string_parts(ctx, scope, (obj.get("args") or [None])[0], "lit")
            module = "".join(p[0] for p in spec) if spec else ""
            for fw in ctx.frameworks:
                if module in fw.modules:
                    rule = next((r for r in fw.rules if r.kind == "app" and not r.objects and
                                 module.rsplit("/", 1)[-1] in r.verbs), None)
                    if rule is not None:
                        r, _ = self._router(("app", ctx.path, line, module), fw.name, ctx.path,
                                            line, "app")
                        return r
            return None
        if verb == "require" and obj is None:
            spec = self.string_parts(ctx, scope, (call.get("args") or [None])[0], "lit")
            if spec:
                target = self.ws.module_file(ctx, "".join(p[0] for p in spec))
                if target is not None:
                    exp = self.ws.exported(target, "")
                    if exp is not None:
                        return self.eval_router(exp[0], -1, exp[1], depth=depth + 1)
            return None
        app = self._app(ctx, scope, call)
        if app is not None:
            return app
        parent: Router | ChainRef | ScopeRef | None
        if obj is None:
            parent = scopes.receiver(self, ctx, scope)  # route("/x") { } inside a block
            if parent is None or self._rule(self._candidates(ctx, parent), verb,
                                            CALL_KINDS) is None:
                return self._returned_router(ctx, scope, verb, depth)
        else:
            parent = self.eval_router(ctx, scope, obj, line, depth + 1)
        if parent is None and isinstance(obj, dict) and "name" in obj and "." not in obj["name"]:
            b = self.ws.bind(ctx, scope, obj["name"], line)
            if b is not None and b.kind == "import":  # pkg.Routes(): a function of another module
                return self._returned_router(ctx, scope, f"{obj['name']}.{verb}", depth)
        found = self._rule(self._candidates(ctx, parent), verb, CALL_KINDS)
        if found is None:
            if parent is not None and (verb in HANDLER_WRAPPERS or verb in getattr(
                    BY_NAME.get(parent.framework or ""), "passthrough", ())):
                return parent  # router.routes(), router.middleware(), builder.Build()
            return None
        fw, rule = found
        if parent is None:
            return None
        if rule.kind in ("route", "mount", "prefix", "resources"):
            return parent  # chained: app.use(a).use(b), route('/x').get(h).post(h)
        if rule.kind == "scope":
            if isinstance(parent, ChainRef):
                return None
            base = parent if isinstance(parent, ScopeRef) else ScopeRef(parent)
            return scopes.open_scope(self, ctx, scope, call, fw, rule, base)
        outer: list[Part] = []
        if isinstance(parent, ScopeRef):  # a child router made inside a scope
            outer, parent = parent.parts, parent.router
        prefix = self.string_parts(ctx, scope, self.arg(call, rule.path), fw.syntax) or []
        if isinstance(parent, ChainRef):
            return None
        if rule.kind == "chain":
            return ChainRef(parent, prefix)
        if outer:
            prefix = [*outer, *prefix]
        key = (rule.kind, ctx.path, line, verb, call.get("args") and repr(call["args"][0])[:80])
        fn = self.arg(call, rule.fn)
        if isinstance(fn, dict) and "fn" in fn:
            child, new = self._router(("param", ctx.path, fn["fn"], 0), fw.name, ctx.path,
                                      fn.get("line", line), "param")
        elif fn is not None:
            target = self._function_scope(ctx, scope, fn)
            if target is None:
                return None
            child, new = self._router(("param", target[0].path, target[1], 0), fw.name,
                                      target[0].path, line, "param")
            new = True
        else:
            child, new = self._router(key, fw.name, ctx.path, line, "group")
        if new or not child.mounted:
            span = call.get("span")  # where the call is: a group made in a chain mounts there
            order = (ctx.path, line, *span) if span else (ctx.path, line, len(parent.events))
            self._mount(parent, child, prefix, order)
        return parent if rule.builder else child

    def _app(self, ctx: FileCtx, scope: int, call: dict[str, Any]) -> Router | None:
        verb = call.get("verb", "")
        obj = call.get("call")
        for fw in ctx.frameworks:
            modules = ctx.framework_modules(fw)
            callee_is_module = obj is None and verb in modules
            for rule in fw.rules:
                if rule.kind != "app":
                    continue
                if rule.new is not None and bool(call.get("new")) != rule.new:
                    continue
                if not (verb in rule.verbs or (callee_is_module and
                                               fw.modules[0].rsplit("/", 1)[-1] in rule.verbs)):
                    continue
                if obj is not None:
                    oname = obj.get("name") if isinstance(obj, dict) else None
                    # Router::new() with `use axum::Router`; axum::Router::new()
                    named = bool(oname) and rule.objects and oname.rsplit(".", 1)[-1] in \
                        rule.objects and oname.split(".")[0] in ctx.framework_names(fw)
                    if oname not in modules and not named and \
                            self._required(ctx, scope, obj) not in fw.modules:
                        continue  # require('express').Router() calls the module's Router
                elif rule.objects and "" not in rule.objects and not callee_is_module:
                    continue
                line = call.get("line", 0)
                prefix = self.string_parts(ctx, scope, self.arg(call, rule.path), fw.syntax) or []
                r, new = self._router(("app", ctx.path, line, verb), fw.name, ctx.path, line,
                                      "sub" if rule.sub else "app", prefix)
                if new:
                    r.made = call
                if new and rule.dependencies is not None:
                    r.deps = dependencies.listed(self, ctx, scope, call, fw, rule)
                scopes.register_block(self, ctx, call, rule, ScopeRef(r))  # routing { ... }
                return r
        return None

    def _required(self, ctx: FileCtx, scope: int, value: Any) -> str:
        """The module ``require('m')`` names (a literal), else ""."""
        if not isinstance(value, dict) or value.get("verb") != "require" or value.get("call"):
            return ""
        spec = self.string_parts(ctx, scope, (value.get("args") or [None])[0], "lit")
        return "".join(p[0] for p in spec) if spec else ""

    def _function_scope(self, ctx: FileCtx, scope: int, value: Any) -> tuple[FileCtx, int] | None:
        """The function a value names (a def, an import of one, an inline function)."""
        if not isinstance(value, dict):
            return None
        if "fn" in value:
            return ctx, value["fn"]
        if "verb" in value and value.get("verb") == "require":
            spec = self.string_parts(ctx, scope, (value.get("args") or [None])[0], "lit")
            target = self.ws.module_file(ctx, "".join(p[0] for p in spec)) if spec else None
            if target is not None:
                exp = self.ws.exported(target, "")
                if exp is not None:
                    return self._function_scope(exp[0], -1, exp[1])
            return None
        if "name" not in value:
            return None
        head, _, rest = value["name"].partition(".")
        b = self.ws.bind(ctx, scope, head)
        if b is None:
            return None
        if b.kind == "function" and not rest:
            return b.ctx, b.scope
        if b.kind == "assign" and not rest:
            return self._function_scope(b.ctx, b.scope, b.value)
        if b.kind == "import":
            mod, member = b.value
            for target in self.ws.resolve_module(ctx, mod, member):
                name = rest or (member if member not in ("", "default", "*") else "")
                if name:
                    found = target.functions.get((-1, name))
                    if found is not None:
                        return target, found
                    exp = target.exports.get(name)
                    if exp is not None and exp != {"name": name}:
                        return self._function_scope(target, -1, exp)
                else:
                    exp = self.ws.exported(target, "")
                    if exp is not None:
                        return self._function_scope(exp[0], -1, exp[1])
        return None

    def _returned_router(self, ctx: FileCtx, scope: int, verb: str,
                         depth: int) -> Router | ChainRef | None:
        """``adminRouter()``: the one router a function builds and returns."""
        if depth > MAX_DEPTH - 4:
            return None
        target = self._function_scope(ctx, scope, {"name": verb})
        if target is None:
            return None
        fctx, fscope = target
        found = None
        candidates = [(entries[-1][1], entries[-1][0]) for (s, _name), entries
                      in fctx.assigns.items() if s == fscope]
        candidates += [(value, line) for value, line in fctx.returns.get(fscope, ())]
        for value, line in candidates:
            r = self.eval_router(fctx, fscope, value, line, depth + 1)
            if isinstance(r, Router):
                if found is not None and found is not r:
                    return None
                found = r
        return found
