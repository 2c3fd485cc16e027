"""Attribute routes whose templates combine textually (ASP.NET Core), and function routes.

ASP.NET Core joins a controller's ``[Route("api/[controller]")]`` with an
action's ``[HttpGet("{id}")]`` into one template, replaces the ``[controller]``
and ``[action]`` tokens with the class (minus ``Controller``) and method names,
lets an action template starting with ``/`` or ``~/`` ignore the controller's,
and lets ``[Route("x")]`` on an action give the path of its ``[HttpGet]``. A
framework opts in with ``Framework.route_tokens`` / ``absolute_members``;
its member routes are registered on the framework's root with the combined
template, one per controller template. Mixed into
:class:`codemap.endpoints.compose.Recorder`.

``function`` rules (actix-web ``#[get("/")]`` on a free function) register
on a router of their own, mounted where the function is registered
(``.service(f)``): see :meth:`codemap.endpoints.routers.Composer._eval_binding`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codemap.endpoints.rules import Framework, Rule
from codemap.endpoints.scopes import ScopeRef, text_of

if TYPE_CHECKING:
    from codemap.endpoints.linker import FileCtx
    from codemap.endpoints.routers import Composer, Part, Router


def templated(fw: Framework) -> bool:
    return bool(fw.route_tokens) or fw.absolute_members


def replace_tokens(parts: list[Part], tokens: dict[str, str]) -> list[Part]:
    out = []
    for text, syntax in parts:
        for token, value in tokens.items():
            text = text.replace(token, value)
        out.append((text, syntax))
    return out


class AttributeRoutes:
    c: Composer

    def route(self, *args: Any, **kwargs: Any) -> None:  # provided by Recorder
        raise NotImplementedError

    def attribute_scan(self, ctx: FileCtx, fws: list[Framework]) -> None:
        """Controller templates per class and the member attributes per definition."""
        self.templates: dict[int, list[list[Part]]] = {}
        self.siblings: dict[int, list[tuple[Rule, dict[str, Any]]]] = {}
        for scope, call, target in ctx.facts.get("decorators", ()):
            verb = call.get("verb", "")
            kinds = ("controller",) if target["kind"] == "class" else ("member",)
            found = self.c._rule(fws, verb, kinds)
            if found is None or not templated(found[0]):
                continue
            fw, rule = found
            if rule.kind == "controller":
                parts = self.c.string_parts(ctx, scope, self.c.arg(call, rule.path), fw.syntax)
                if parts is not None:
                    self.templates.setdefault(target["class"], []).append(parts)
            else:
                self.siblings.setdefault(target.get("byte", target["line"]), []).append((rule, call))

    def attribute_route(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework,
                        rule: Rule, target: dict[str, Any], order: tuple[Any, ...]) -> None:
        c = self.c
        siblings = self.siblings.get(target.get("byte", target["line"]), [])
        if rule.combine and any(not r.combine for r, _ in siblings):
            return  # [Route("x")] [HttpGet]: the HttpGet route takes the path
        if not rule.combine and c.arg(call, rule.path) is None:
            given = next((c.arg(cl, r.path) for r, cl in siblings if r.combine), None)
            if given is not None:
                call = {**call, "args": [given]}
        own = text_of(c.arg(call, rule.path))
        absolute = own.startswith(("/", "~/"))
        if own.startswith("~/"):
            call = {**call, "args": [{"str": [own[1:]]}], "kw": {}}
        cls = next((k for k in ctx.facts.get("classes", ()) if k[1] == target["class"]), None)
        name = cls[0] if cls else ""
        if fw.controller_suffix and name.endswith(fw.controller_suffix) \
                and name != fw.controller_suffix:
            name = name[: -len(fw.controller_suffix)]
        values = {"class": name, "function": target["name"]}
        tokens = {token: values.get(what, "") for token, what in fw.route_tokens.items()}
        root = self._root(ctx, fw)
        for template in ([[]] if absolute else self.templates.get(target["class"], [[]])):
            self.route(ctx, scope, call, fw, rule, root, None, order,
                       handler={"decorated": target, "ctx": ctx.path},
                       where=ScopeRef(root, replace_tokens(template, tokens)), tokens=tokens)

    def function_route(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework,
                       rule: Rule, target: dict[str, Any], order: tuple[Any, ...]) -> None:
        """``#[get("/x")] async fn x()``: a route on the function's own router."""
        router, _ = self.c._router(("fn", ctx.path, target.get("byte", -1)), fw.name, ctx.path,
                                   target["line"], "sub")
        self.route(ctx, scope, call, fw, rule, router, None, order,
                   handler={"decorated": target, "ctx": ctx.path})

    def _root(self, ctx: FileCtx, fw: Framework) -> Router:
        root, _ = self.c._router(("default", fw.name), fw.name, ctx.path, 0, "default")
        return root
