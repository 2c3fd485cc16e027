"""Attribute routes whose templates combine textually (ASP.NET Core, JAX-RS), and function routes.

ASP.NET Core joins a controller's ``[Route("api/[controller]")]`` with an
action's ``[HttpGet("{id}")]`` into one template, replaces the ``[controller]``
and ``[action]`` tokens with the class (minus ``Controller``) and method names,
lets an action template starting with ``/`` or ``~/`` ignore the controller's,
and lets ``[Route("x")]`` on an action give the path of its ``[HttpGet]``. A
framework opts in with ``Framework.route_tokens`` / ``absolute_members``;
its member routes are registered on the framework's root with the combined
template, one per controller template. Mixed into
:class:`codemap.endpoints.compose.Recorder`.

JAX-RS (``Framework.locators``) joins a class's ``@Path("/orders")`` with a
method's ``@Path("{id}")`` beside its ``@GET`` (slashes normalised, spaces in
``{ id : \\d+ }`` dropped); a class implementing an interface (or extending a
class) takes its ``@Path`` and handles the routes declared on its methods; a
method with ``@Path`` and no HTTP method is a sub-resource locator: the members
of the class it returns are served under its path (a class without ``@Path`` is
served only there, else listed with the mount unknown); ``@ApplicationPath`` is
the prefix of every route. A module whose configuration file sets a root path
(Quarkus ``quarkus.rest.path`` in ``application.properties``,
:mod:`codemap.endpoints.configs`) has a root of its own under that path; an
``@ApplicationPath`` of the module replaces the configured application path, as
the Quarkus configuration reference says (the path applies "when there are no
``@ApplicationPath``" annotations), under the configured HTTP root path.

``function`` rules (actix-web ``#[get("/")]`` on a free function) register
on a router of their own, mounted where the function is registered
(``.service(f)``): see :meth:`codemap.endpoints.routers.Composer._eval_binding`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from codemap.endpoints.configs import module_prefix
from codemap.endpoints.rules import Framework, Rule
from codemap.endpoints.scopes import ScopeRef, join_parts, text_of

if TYPE_CHECKING:
    from codemap.endpoints.linker import FileCtx
    from codemap.endpoints.routers import Composer, Part, Router


_BRACE_SPACES = re.compile(r"\{\s*(\w+)\s*(?::\s*((?:[^{}]|\{[^{}]*\})*?)\s*)?\}")


def templated(fw: Framework) -> bool:
    """Do the framework's member templates combine with their class's (here, not as
    routes on a class router)?"""
    return bool(fw.route_tokens) or fw.absolute_members or fw.locators


def _normalised(parts: list[Part], fw: Framework) -> list[Part]:
    """``{ id : \\d+ }`` -> ``{id:\\d+}`` (``brace_spaces``); with ``locators`` (JAX-RS)
    a template's final ``/`` is dropped, as the spec's template-to-regex step does."""
    out = [(_BRACE_SPACES.sub(lambda m: "{" + m.group(1) + (
        ":" + m.group(2) if m.group(2) is not None else "") + "}", text), syntax)
        if fw.brace_spaces and isinstance(text, str) else (text, syntax) for text, syntax in parts]
    if fw.locators and out and isinstance(out[-1][0], str) and out[-1][0].endswith("/"):
        out[-1] = (out[-1][0].rstrip("/"), out[-1][1])
    return out


def _applies(ctx: FileCtx, fw: Framework) -> bool:
    """May the framework's annotations declare routes in this file?"""
    return not fw.imported or fw in ctx.frameworks


def _simple(type_text: str) -> str:
    """``com.acme.Api<T>`` -> ``Api``."""
    return type_text.split("<", 1)[0].rsplit(".", 1)[-1].strip()


def siblings_route(siblings: list[tuple[Rule, dict[str, Any]]]) -> bool:
    """Does one of a definition's member attributes declare methods (not only a path)?"""
    return any(not r.combine for r, _ in siblings)


def replace_tokens(parts: list[Part], tokens: dict[str, str]) -> list[Part]:
    out = []
    for text, syntax in parts:
        for token, value in tokens.items():
            text = text.replace(token, value)
        out.append((text, syntax))
    return out


_ClassTable = dict[str, list[tuple["FileCtx", list[Any]]]]


class AttributeRoutes:
    c: Composer
    _classes_by: tuple[_ClassTable, _ClassTable] | None = None  # see _class_table
    _modules_by: dict[tuple[str, str], Any] | None = None  # see _module

    def route(self, *args: Any, **kwargs: Any) -> None:  # provided by Recorder
        raise NotImplementedError

    def attribute_scan(self, ctx: FileCtx, fws: list[Framework]) -> None:
        """Controller templates per class and the member attributes per definition."""
        self.templates: dict[int, list[list[Part]]] = {}
        self.siblings: dict[int, list[tuple[Rule, dict[str, Any]]]] = {}
        self.clients = {target["class"] for _s, call, target in ctx.facts.get("decorators", ())
                        if target["kind"] == "class"
                        and self.c._rule(fws, call.get("verb", ""), ("client",)) is not None}
        for scope, call, target in ctx.facts.get("decorators", ()):
            verb = call.get("verb", "")
            kinds = ("controller", "prefix") if target["kind"] == "class" else ("member",)
            found = self.c._rule(fws, verb, kinds)
            if found is None or not templated(found[0]):
                continue
            fw, rule = found
            if not _applies(ctx, fw):
                continue
            if rule.kind == "prefix":  # @ApplicationPath("/api"): every route of the root
                parts = self._template(ctx, scope, call, fw, rule)
                if parts is not None:
                    module = self._module(ctx, fw)  # under a configured root path
                    self._root(ctx, fw).prefix = join_parts(module[1], parts, fw.join) \
                        if module is not None else parts
            elif rule.kind == "controller":
                parts = self._template(ctx, scope, call, fw, rule)
                if parts is not None:
                    self.templates.setdefault(target["class"], []).append(parts)
            else:
                self.siblings.setdefault(target.get("byte", target["line"]), []).append((rule, call))

    def attribute_route(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework,
                        rule: Rule, target: dict[str, Any], order: tuple[Any, ...]) -> None:
        c = self.c
        if not _applies(ctx, fw) or target["class"] in self.clients:
            return  # Retrofit's @GET("x"), a MicroProfile REST client interface
        siblings = self.siblings.get(target.get("byte", target["line"]), [])
        if rule.combine and any(not r.combine for r, _ in siblings):
            return  # [Route("x")] [HttpGet]: the HttpGet route takes the path
        if not rule.combine and c.arg(call, rule.path) is None:
            given = next((c.arg(cl, r.path) for r, cl in siblings if r.combine), None)
            if given is not None:
                call = {**call, "args": [given]}
        given_path = c.arg(call, rule.path)
        if fw.locators and isinstance(given_path, dict) and "str" in given_path:
            call = {**call, "args": [{"str": [p for p, _ in _normalised(
                [(p, "") for p in given_path["str"]], fw)]}], "kw": {}}
        if fw.locators and rule.combine and not siblings_route(siblings):
            self.locator(ctx, scope, call, fw, rule, target, order)
            return
        own = text_of(c.arg(call, rule.path))
        absolute = fw.absolute_members and own.startswith(("/", "~/"))
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
        handler: dict[str, Any] = {"decorated": target, "ctx": ctx.path}
        if fw.locators:  # declared on an interface / base class: the implementation's method
            impl = next(self._implementations(ctx, target), None)
            if impl is not None:
                handler = {"value": {"name": f"{impl[1]}.{target['name']}"}, "ctx": impl[0].path,
                           "scope": -1}
        for router, template in ([(root, [])] if absolute else self._places(ctx, fw, target)):
            self.route(ctx, scope, call, fw, rule, router, None, order, handler=handler,
                       where=ScopeRef(router, replace_tokens(template, tokens)), tokens=tokens)

    def _template(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework,
                  rule: Rule) -> list[Part] | None:
        parts = self.c.string_parts(ctx, scope, self.c.arg(call, rule.path), fw.syntax)
        return _normalised(parts, fw) if parts is not None else None

    def _places(self, ctx: FileCtx, fw: Framework, target: dict[str, Any]
                ) -> list[tuple[Router, list[Part]]]:
        """Where a member's routes go: the root under each class template; for a framework
        with locators, a class without one is served only where a locator returns it."""
        templates = self.templates.get(target["class"])
        if templates:
            return [(self._root(ctx, fw), t) for t in templates]
        if fw.locators:  # class Impl implements Api: Api's @Path is Impl's
            inherited = [t for base in self._bases(ctx, target["class"])
                         for f, start in self._classes(base, ctx.path)
                         for t in self._class_templates(f, start, fw)]
            if inherited:
                return [(self._root(ctx, fw), t) for t in inherited]
            return [(self._resource(ctx.path, target["class"], fw), [])]
        return [(self._root(ctx, fw), [])]

    @staticmethod
    def _bases(ctx: FileCtx, start: int) -> list[str]:
        cls = next((k for k in ctx.facts.get("classes", ()) if k[1] == start), None)
        return [_simple(b) for b in cls[4]] if cls else []

    def _classes(self, name: str, near: str) -> list[tuple[FileCtx, int]]:
        """The classes named ``name`` (simple name) in the workspace: those of the file
        ``near`` first, else every file's."""
        found = [(f, k[1]) for f, k in self._class_table()[0].get(name, ())]
        return [x for x in found if x[0].path == near] or found

    def _class_table(self) -> tuple[_ClassTable, _ClassTable]:
        """The workspace's classes by simple name and by the simple names of their bases,
        made once per composition."""
        table = self._classes_by
        if table is None:
            named: _ClassTable = {}
            based: _ClassTable = {}
            for f in self.c.ws.files.values():
                for k in f.facts.get("classes", ()):
                    named.setdefault(k[0], []).append((f, k))
                    for b in k[4]:
                        based.setdefault(_simple(b), []).append((f, k))
            table = self._classes_by = (named, based)
        return table

    def _class_templates(self, fctx: FileCtx, start: int, fw: Framework) -> list[list[Part]]:
        out = []
        for scope, call, target in fctx.facts.get("decorators", ()):
            if target["kind"] == "class" and target["class"] == start:
                found = self.c._rule([fw], call.get("verb", ""), ("controller",))
                parts = self._template(fctx, scope, call, fw, found[1]) if found else None
                if parts is not None:
                    out.append(parts)
        return out

    def _implementations(self, ctx: FileCtx, target: dict[str, Any]
                         ) -> Iterator[tuple[FileCtx, str]]:
        """Classes implementing / extending the target's class that declare the method."""
        cls = next((k for k in ctx.facts.get("classes", ()) if k[1] == target["class"]), None)
        if cls is None:
            return
        for f, k in self._class_table()[1].get(cls[0], ()):
            if any(span[2] == target["name"] and k[1] <= span[0] < k[2]
                   for span in f.scopes.values()):
                yield f, k[0]

    def _resource(self, path: str, start: int, fw: Framework) -> Router:
        router, _ = self.c._router(("class", path, start), fw.name, path, 0, "sub")
        return router

    def locator(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework,
                rule: Rule, target: dict[str, Any], order: tuple[Any, ...]) -> None:
        """``@Path("{id}/items") ItemsResource items()``: the returned class's members
        continue the locator's path (JAX-RS sub-resource locators)."""
        span = ctx.scopes.get(target.get("byte", -1))
        returned = span[3][0][1] if span and span[3] and span[3][0][0] == "this" else ""
        returned = _simple(returned)
        own = self._template(ctx, scope, call, fw, rule) or []
        if not returned:
            return
        for fctx, start in self._classes(returned, ctx.path):
            child = self._resource(fctx.path, start, fw)
            for router, template in self._places(ctx, fw, target):
                self.c._mount(router, child, join_parts(list(template), list(own), fw.join),
                              order)

    def function_route(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework,
                       rule: Rule, target: dict[str, Any], order: tuple[Any, ...]) -> None:
        """``#[get("/x")] async fn x()``: a route on the function's own router."""
        router, _ = self.c._router(("fn", ctx.path, target.get("byte", -1)), fw.name, ctx.path,
                                   target["line"], "sub")
        self.route(ctx, scope, call, fw, rule, router, None, order,
                   handler={"decorated": target, "ctx": ctx.path})

    def _root(self, ctx: FileCtx, fw: Framework) -> Router:
        """The framework's root router; a module whose configuration gives a root path (a
        Quarkus ``application.properties``) has its own, under that path."""
        module = self._module(ctx, fw)
        if module is None:
            root, _ = self.c._router(("default", fw.name), fw.name, ctx.path, 0, "default")
            return root
        root, new = self.c._router(("default", fw.name, "module", module[0]), fw.name, ctx.path,
                                   0, "default")
        if new:
            root.prefix = join_parts(module[1], module[2] or [], fw.join)
        return root

    def _module(self, ctx: FileCtx, fw: Framework
                ) -> tuple[str, list[Part], list[Part] | None] | None:
        """The configured module of the file (:func:`codemap.endpoints.configs.module_prefix`),
        when its configuration sets a root or application path."""
        if not fw.config_files:
            return None
        table = self._modules_by
        if table is None:
            table = self._modules_by = {}
        key = (fw.name, posixpath.dirname(ctx.path))
        if key not in table:
            found = module_prefix(fw, self.c.ws.configs, ctx.path)
            table[key] = found if found is not None and (found[1] or found[2] is not None) \
                else None
        return table[key]
