"""What one route or mount declaration records on a router.

A route declaration (``app.get("/x", h)``, ``get :preview`` in a Rails
block, an attribute, a resource action) becomes one :class:`RawRoute` per
path and method, with its handler: a decorated definition, a value the
handler resolver follows, or a controller / action. Made inside a scope
(:mod:`codemap.endpoints.scopes`) it takes the scope's prefix and handler
context; a method router argument (axum ``get(a).post(b)``) gives one route
per method. A mount records a child router under a prefix. Mixed into
:class:`codemap.endpoints.compose.Recorder`.
"""

from __future__ import annotations

import re
from typing import Any

from codemap.endpoints import dependencies, scopes
from codemap.endpoints.attributes import replace_tokens
from codemap.endpoints.frameworks import Framework, Rule
from codemap.endpoints.linker import FileCtx
from codemap.endpoints.methodrouters import method_handlers
from codemap.endpoints.patterns import UNKNOWN
from codemap.endpoints.routers import ChainRef, Composer, Part, RawRoute, Router
from codemap.endpoints.scopes import ScopeRef, join_parts, text_of

_GO_METHOD = re.compile(r"^([A-Z]+)\s+(.*)$", re.DOTALL)
_RAILS_SHORTHAND = re.compile(r"^/?[-\w]+/[-\w/]+$")
_RAILS_ACTION = re.compile(r"^/?[-\w]+$")


def _looks_like_route(parts: list[Part]) -> bool:
    first = parts[0][0] if parts else ""
    return (not first or first[0] in "/*:^(" or first == UNKNOWN or bool(_GO_METHOD.match(first))
            or "/" in first)


class Declarations:
    c: Composer

    def route(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework, rule: Rule,
              target: Router, chain: ChainRef | None, order: tuple[Any, ...],
              handler: dict[str, Any] | None = None, where: ScopeRef | None = None,
              tokens: dict[str, str] | None = None) -> None:
        """Record the route(s) one declaration makes on ``target`` (under ``where``'s prefix
        and handler context when it is made inside a scope)."""
        c = self.c
        unknown: list[str] = []
        if where is not None:
            where = scopes.descend(fw, where, text_of(c.arg(call, rule.on_arg)))
        hv_given = c.arg(call, rule.handler) if chain is None else None
        if chain is not None:
            paths: list[list[Part] | None] = [chain.parts]
        elif rule.path_text is not None:
            paths = [[(rule.path_text, rule.syntax or fw.syntax)]]
        else:
            pv = c.arg(call, rule.path)
            if rule.optional_path and (pv is None or pv is hv_given):
                pv = {"str": []}  # get { }, .route(web::get().to(h)): the router's own path
            values = pv["list"] if isinstance(pv, dict) and "list" in pv else [pv]
            paths = []
            for v in values:
                parts = c.string_parts(ctx, scope, v, rule.syntax or fw.syntax)
                if parts is None:
                    if v is None and rule.kind not in ("member", "decorator", "function"):
                        return  # app.get('title'): a settings getter, not a route
                    parts = [] if v is None else [(UNKNOWN, "unknown")]
                    if v is not None:
                        unknown.append("route")
                elif any(p[1] == "unknown" for p in parts):
                    unknown.append("route")  # f"/pages/{name}" in a loop
                paths.append(replace_tokens(parts, tokens) if tokens else parts)
        pairs: list[tuple[list[str] | None, dict[str, Any]]] = []
        if handler is None:
            hv = call["args"][-1] if chain is not None and call.get("args") else hv_given
            if chain is None and hv is not None and hv is c.arg(call, rule.path) \
                    and not rule.optional_path:
                hv = None  # app.get('title'): the only argument is the path
            if rule.handler is not None and hv is None and chain is None and rule.action is None:
                return
            if chain is not None and hv is None:
                return
            routed = method_handlers(fw, hv) if rule.method_router else None
            if routed:  # axum get(a).post(b), actix web::get().to(h)
                pairs = [([m], self._handler(ctx, scope, call, fw, rule, h, where, paths))
                         for m, h in routed]
            elif self._handler_router(ctx, scope, hv, target, order, rule.wraps):
                return
            else:
                pairs = [(None, self._handler(ctx, scope, call, fw, rule, hv, where, paths))]
        else:
            pairs = [(None, handler)]
        methods, known, explicit = c.methods(ctx, scope, call, rule)
        if not known:
            unknown.append("method")
        outer = where.parts if where is not None else []
        deps = dependencies.listed(c, ctx, scope, call, fw, rule)
        for fixed, handled in pairs:
            for parts in paths:
                if parts is None:
                    continue
                if rule.kind == "route" and where is None and \
                        target.kind in ("implicit", "param", "default") and not _looks_like_route(parts):
                    continue
                m = fixed or methods
                if rule.methods_in_path and parts and isinstance(parts[0][0], str):
                    found = _GO_METHOD.match(parts[0][0])
                    if found:
                        m = [found.group(1)]
                        parts = [(found.group(2), parts[0][1]), *parts[1:]]
                    if parts and parts[0][0] and not parts[0][0].startswith("/") \
                            and "/" in parts[0][0]:  # "example.com/path": keep the path
                        parts = [(parts[0][0][parts[0][0].index("/"):], parts[0][1]), *parts[1:]]
                full = join_parts(outer, parts, fw.join) if outer else list(parts)
                raw = RawRoute(fw.name, list(m), full, handled, ctx.path, call.get("line", 0),
                               list(unknown), explicit or m is not methods, deps)
                target.events.append((order, "route", raw))

    def _handler(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework,
                 rule: Rule, hv: Any, where: ScopeRef | None,
                 paths: list[list[Part] | None]) -> dict[str, Any]:
        """What names the handler: the value, plus a controller / action and the scope's
        controller context for frameworks that name handlers as controller actions."""
        out: dict[str, Any] = {"ctx": ctx.path, "scope": scope, "value": hv}
        context = where.context if where is not None else {}
        if context.get("module") or context.get("controller"):
            out["context"] = {"module": context.get("module", []),
                              "controller": context.get("controller", "")}
        action = text_of(self.c.arg(call, rule.action))
        controller = text_of(self.c.arg(call, rule.controller))
        if controller:
            out["controller"] = controller
        if action:
            out["action"] = action
        elif hv is None and fw.controller_style == "rails" and paths and paths[0]:
            # Rails: `get "photos/search"` is photos#search; `get :preview` the action preview
            path = "".join(p[0] for p in paths[0])
            if _RAILS_SHORTHAND.match(path):
                ctrl, _, act = path.strip("/").rpartition("/")
                out["controller"], out["action"] = ctrl, act.replace("-", "_")
            elif _RAILS_ACTION.match(path):
                out["action"] = path.replace("-", "_")
        return out

    def _handler_router(self, ctx: FileCtx, scope: int, hv: Any, target: Router,
                        order: tuple[Any, ...], wraps: bool = False) -> bool:
        """``mux.Handle("/api/", http.StripPrefix("/api", api))``: a router as a handler.
        With ``wraps`` (the rule's flag) also one wrapped in middleware calls, directly
        or through a variable: ``logging(http.StripPrefix("/api", api))``,
        ``requireToken(admin)``; mounted under what the ``StripPrefix`` calls remove."""
        found = self._router_in(ctx, scope, hv, target, wraps, 0)
        if found is None:
            return False
        self.c._mount(target, found[0], found[1], order)
        return True

    def _router_in(self, ctx: FileCtx, scope: int, value: Any, target: Router, wraps: bool,
                   depth: int) -> tuple[Router, list[Part]] | None:
        if not isinstance(value, dict) or depth > 6 or not ("name" in value or "verb" in value):
            return None
        child = self.c.eval_router(ctx, scope, value)
        if isinstance(child, Router):
            return (child, []) if child is not target else None
        args = value.get("args", [])
        if value.get("verb") == "StripPrefix" and len(args) >= 2:
            found = self._router_in(ctx, scope, args[1], target, wraps, depth + 1)
            if found is None:
                return None
            strip = self.c.string_parts(ctx, scope, args[0], "gohttp") or []
            return found[0], [*strip, *found[1]]
        if not wraps:
            return None
        if "name" in value:
            b = self.c.ws.bind(ctx, scope, value["name"]) if "." not in value["name"] else None
            if b is None or b.kind != "assign":
                return None
            return self._router_in(b.ctx, b.scope, b.value, target, wraps, depth + 1)
        for a in args:
            found = self._router_in(ctx, scope, a, target, wraps, depth + 1)
            if found is not None:
                return found
        return None

    def mounts(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework, rule: Rule,
               target: Router, order: tuple[Any, ...], where: ScopeRef | None = None) -> None:
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
        if where is not None and where.parts:
            prefix = join_parts(where.parts, prefix, fw.join)
        deps = dependencies.listed(c, ctx, scope, call, fw, rule)
        for value in children:
            child = c.mounted(ctx, scope, value, call.get("line", 1 << 30), rule.wraps)
            if child is not None:
                c._mount(target, child, prefix, order, rule.replace and given, deps)
