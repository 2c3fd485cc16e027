"""Resource routes: one declaration, a table of RESTful routes (Rails, Laravel).

``resources :photos`` / ``Route::resource('photos', PhotoController::class)``
register the routes of ``Framework.resource_actions`` (action, method, part,
suffix), in that order, where the part is the resource's *collection*
(``/photos``) or *member* (``/photos/:id``, ``/photos/{photo}``). The member
and nested parameters are named from the singular of the resource
(:mod:`codemap.endpoints.inflections`); a singular resource (``resource
:profile``) has no member parameter and is served by the plural controller.
``only`` / ``except`` (options, or Laravel's chained ``->only([...])``)
filter the actions; a dotted Laravel name (``photos.comments``) nests. A
block (Rails) registers first, on a scope whose implicit part is the
resource's nested one, so its routes come before the resource's own, as
Rails registers them. Mixed into :class:`codemap.endpoints.compose.Recorder`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from codemap.endpoints.inflections import pluralize, singularize
from codemap.endpoints.rules import Framework, Rule
from codemap.endpoints.scopes import ScopeRef, descend, join_parts, register_block, text_of

if TYPE_CHECKING:
    from codemap.endpoints.linker import FileCtx
    from codemap.endpoints.routers import Composer, Part


def _key(call: dict[str, Any]) -> str:
    return json.dumps(call, sort_keys=True, default=str)[:2000]


def _names(value: Any) -> list[str]:
    """``:only`` / ``except`` values: a name, or a list of names."""
    items = value.get("list", [value]) if isinstance(value, dict) else []
    return [t for t in (text_of(i) for i in items) if t]


class Resources:
    c: Composer
    modified: dict[str, dict[str, Any]]
    base: tuple[Any, ...]

    def call(self, *args: Any, **kwargs: Any) -> None:  # provided by Recorder
        raise NotImplementedError

    def define(self, ctx: FileCtx, call: dict[str, Any], fw: Framework, rule: Rule) -> None:
        """``concern :commentable do ... end``: the block registers nothing where it is
        written; :meth:`apply` replays it."""
        name = text_of(self.c.arg(call, rule.path))
        block = self.c.arg(call, rule.block)
        if not name or not isinstance(block, dict) or "fn" not in block:
            return
        self.c.macros[(fw.name, name)] = (ctx, block["fn"])
        self.c.blocks[(ctx.path, block["fn"])] = ScopeRef(self._discard(fw))

    def apply(self, ctx: FileCtx, call: dict[str, Any], fw: Framework, rule: Rule,
              where: ScopeRef, base: tuple[Any, ...]) -> None:
        """``concerns :commentable`` / ``resources :photos, concerns: [...]``: replay the
        named blocks' declarations in ``where``, ordered at ``base``."""
        spec = rule.apply if rule.kind == "resources" else rule.path
        value = self.c.arg(call, spec)
        names = _names(value) if rule.kind == "resources" else [
            text_of(a) for a in call.get("args", []) if text_of(a)]
        for name in names:
            found = self.c.macros.get((fw.name, name))
            key = (fw.name, name)
            if found is None or key in self.c.replaying:
                continue
            mctx, fn = found
            span = mctx.scopes.get(fn)
            if span is None:
                continue
            self.c.replaying.add(key)
            self.c.blocks[(mctx.path, fn)] = where
            try:
                for scope, inner, byte in mctx.facts.get("calls", ()):
                    if span[0] < byte < span[1]:
                        self.call(mctx, scope, inner, byte, base)
            finally:
                self.c.blocks[(mctx.path, fn)] = ScopeRef(self._discard(fw))
                self.c.replaying.discard(key)

    def _discard(self, fw: Framework) -> Any:
        r, _ = self.c._router(("discard", fw.name), fw.name, "", 0, "discard")
        return r

    def modifiers(self, ctx: FileCtx) -> None:
        """Options chained on a resources declaration: ``Route::resource(...)->only([...])``."""
        for fw in ctx.frameworks:
            if not fw.modifiers:
                continue
            kinds = {v for r in fw.rules if r.kind == "resources" for v in r.verbs}
            for _scope, call, _byte in ctx.facts.get("calls", ()):
                found: dict[str, Any] = {}
                node = call
                while isinstance(node, dict) and node.get("verb") in fw.modifiers:
                    found.setdefault(node["verb"], (node.get("args") or [None])[0])
                    node = node.get("call")
                if found and isinstance(node, dict) and node.get("verb") in kinds:
                    self.modified.setdefault(_key(node), {}).update(found)

    def resources(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework,
                  rule: Rule, where: ScopeRef, order: tuple[Any, ...]) -> None:
        from codemap.endpoints.routers import RawRoute

        c = self.c
        where = descend(fw, where)
        chained = self.modified.get(_key(call), {})
        only = _names(chained.get("only") or c.arg(call, rule.only))
        dropped = set(_names(chained.get("except") or c.arg(call, rule.except_)))
        path_option = text_of(c.arg(call, rule.path))
        controller_option = text_of(c.arg(call, rule.controller))
        module = text_of(c.arg(call, rule.module))
        param = text_of(c.arg(call, rule.param)) or fw.default_param
        singular = rule.resource == "singular"
        block = c.arg(call, rule.block)
        end = block.get("end", call.get("line", 0)) if isinstance(block, dict) else call.get(
            "line", 0)
        for n, value in enumerate(call.get("args", [])):
            if not isinstance(value, dict) or "str" not in value:
                continue  # Rails: resources :photos, :books; Laravel: the name only
            name = text_of(value)
            if not name or (n > 0 and rule.controller is not None and rule.controller.pos == n):
                continue
            *parents, last = name.split(".") if fw.nested_param else [name]
            parts: list[Part] = list(where.parts)
            for parent in parents:  # Laravel 'photos.comments'
                parts = join_parts(parts, [(f"/{parent}/" + fw.nested_param.format(
                    singular=singularize(parent), param=param), fw.syntax)], fw.join)
            one = last if singular else singularize(last)
            collection = join_parts(parts, [("/" + (path_option or last), fw.syntax)], fw.join)
            member = collection if singular else join_parts(collection, [(
                "/" + fw.member_param.format(singular=one, param=param), fw.syntax)], fw.join)
            nested = collection if singular else join_parts(collection, [(
                "/" + fw.nested_param.format(singular=one, param=param), fw.syntax)], fw.join)
            controller = controller_option or (pluralize(last) if singular else last)
            context = {**where.context, "controller": controller, "level": rule.resource,
                       "resource": {"collection": collection, "member": member,
                                    "nested": nested}}
            if module:
                context["module"] = [*context.get("module", []), *module.split("/")]
            inner = ScopeRef(where.router, list(where.parts), context)
            register_block(c, ctx, call, rule, inner)
            self.apply(ctx, call, fw, rule, inner, (*self.base, ctx.path, end, 1 << 39, n))
            handler_context = {"module": context.get("module", []), "controller": controller}
            for i, (action, method, part, suffix) in enumerate(
                    fw.resource_actions.get(rule.resource, ())):
                if (only and action not in only) or action in dropped:
                    continue
                base = member if part == "member" else collection
                route = join_parts(base, [(suffix, fw.syntax)], fw.join) if suffix else base
                handler = {"ctx": ctx.path, "scope": scope, "value": None, "action": action,
                           "controller": controller, "context": handler_context}
                raw = RawRoute(fw.name, [method], list(route), handler, ctx.path,
                               call.get("line", 0), [], True)
                where.router.events.append(((*self.base, ctx.path, end, 1 << 40, n, i), "route",
                                            raw))
