"""URL lists: Django ``urlpatterns`` and Starlette ``routes``, with their includes and mounts.

A URL list is a router whose events are its entries, in order. An entry is
a route (``path("x/", view)``, ``Route("/x", endpoint)``), or a mount of
another list under a prefix: ``include("app.urls")``, ``include([...])``,
``include((patterns, "ns"))``, ``Mount("/api", routes=[...])`` or
``Mount("/sub", app=other)``. Lists grow with ``+=``, ``.append`` and
``.extend``; ``i18n_patterns(...)`` serves its entries under a language code
(the codes of ``settings.LANGUAGES`` when written there as literals; optional
with ``prefix_default_language=False``), ``router.urls`` is the routes a
ViewSet router generates (:mod:`codemap.endpoints.viewsets`); other helpers
(``format_suffix_patterns(...)``) are looked through.
Mixed into :class:`codemap.endpoints.compose.Recorder`.
"""

from __future__ import annotations

import re
from typing import Any

from codemap.endpoints.frameworks import ANY, Framework, Rule
from codemap.endpoints.linker import FileCtx
from codemap.endpoints.patterns import UNKNOWN
from codemap.endpoints.routers import MAX_DEPTH, Composer, RawRoute, Router
from codemap.endpoints.scopes import text_of

_LANGUAGE = "language_code"
_ANY_LANGUAGE = r"[a-zA-Z]{2,3}(?:[-_@][a-zA-Z0-9]{2,8}){0,2}"  # en, en-us, zh-hans, sr-latn


def _false(value: Any) -> bool:
    return isinstance(value, dict) and value.get("?", value.get("name")) == "False"


class UrlLists:
    c: Composer

    def route(self, *args: Any, **kwargs: Any) -> None:  # provided by Recorder
        raise NotImplementedError

    def lists(self, ctx: FileCtx) -> None:
        for fw in ctx.frameworks:
            if not fw.lists:
                continue
            for (scope, name), entries in ctx.assigns.items():
                if scope != -1 or name not in fw.lists:
                    continue
                router = self.list_router(ctx, name, fw)
                for line, value, _aug in sorted(entries, key=lambda e: e[0]):
                    self.entries_of(ctx, -1, value, fw, router, (ctx.path, line, 0))
            for scope, call, byte in ctx.facts.get("calls", ()):
                obj = call.get("call")
                if (call.get("verb") in ("append", "extend", "insert") and isinstance(obj, dict)
                        and obj.get("name") in fw.lists and scope == -1):
                    router = self.list_router(ctx, obj["name"], fw)
                    args = call.get("args", [])[-1:]
                    for a in args:
                        self.entries_of(ctx, -1, a, fw, router,
                                        (ctx.path, call.get("line", 0), byte))

    def list_router(self, ctx: FileCtx, name: str, fw: Framework) -> Router:
        r, _ = self.c._router(("list", ctx.path, name), fw.name, ctx.path, 0, "list")
        return r

    def entries_of(self, ctx: FileCtx, scope: int, value: Any, fw: Framework, router: Router,
                   order: tuple[Any, ...], depth: int = 0) -> None:
        if not isinstance(value, dict) or depth > MAX_DEPTH:
            return
        if "list" in value:
            for i, item in enumerate(value["list"]):
                self.entries_of(ctx, scope, item, fw, router, (*order, i), depth + 1)
            return
        if "name" in value:
            child = self._list_named(ctx, scope, value["name"], fw)
            if child is not None:
                self.c._mount(router, child, [], order)
            return
        if "verb" not in value:
            return
        if value["verb"] in fw.language_prefix:  # i18n_patterns(...): under a language code
            child, _ = self.c._router(("inline", ctx.path, value.get("line", 0), repr(order)),
                                      fw.name, ctx.path, value.get("line", 0), "list")
            for i, a in enumerate(value.get("args", [])):
                self.entries_of(ctx, scope, a, fw, child, (*order, i), depth + 1)
            optional = _false(value.get("kw", {}).get(fw.language_optional))
            self.c._mount(router, child, [(self._language_part(fw, optional), "regex")], order)
            return
        rule = next((r for r in fw.rules if r.kind == "entry" and value["verb"] in r.verbs), None)
        if rule is None:  # format_suffix_patterns(urlpatterns)
            for i, a in enumerate(value.get("args", [])):
                self.entries_of(ctx, scope, a, fw, router, (*order, i), depth + 1)
            return
        self.entry(ctx, scope, value, fw, rule, router, order, depth)

    def entry(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework, rule: Rule,
              router: Router, order: tuple[Any, ...], depth: int) -> None:
        c = self.c
        view = c.arg(call, rule.handler)
        included = isinstance(view, dict) and view.get("verb") in fw.include
        # admin.site.urls, router.urls: URL lists built at run time
        built = (isinstance(view, dict) and "name" in view and
                 view["name"].rsplit(".", 1)[-1] in fw.include_attrs)
        if included or built:
            parts = c.string_parts(ctx, scope, c.arg(call, rule.path), rule.syntax or fw.syntax)
            parts = parts if parts is not None else [(UNKNOWN, "unknown")]
            child = self._included(ctx, scope, view, fw, order, depth) if included else \
                self._built(ctx, scope, view["name"], fw)
            if child is not None:
                c._mount(router, child, parts, order)
                return
            # what the list holds cannot be seen: say so rather than drop it
            raw = RawRoute(fw.name, [ANY], [*parts, (UNKNOWN, "unknown")], None, ctx.path,
                           call.get("line", 0), ["route"], False)
            router.events.append((order, "route", raw))
            return
        if rule.child is not None or rule.entries is not None:  # Starlette Mount
            parts = c.string_parts(ctx, scope, c.arg(call, rule.path), fw.syntax) or []
            sub = c.arg(call, rule.entries)
            if sub is not None:
                child, _ = c._router(("inline", ctx.path, call.get("line", 0), repr(order)), fw.name,
                                     ctx.path, call.get("line", 0), "list")
                self.entries_of(ctx, scope, sub, fw, child, order, depth + 1)
                c._mount(router, child, parts, order)
            app = c.arg(call, rule.child)
            if app is not None:
                found = c.mounted(ctx, scope, app, wraps=rule.wraps)
                if found is not None:
                    c._mount(router, found, parts, order)
            return
        self.route(ctx, scope, call, fw, rule, router, None, order)

    def _included(self, ctx: FileCtx, scope: int, view: dict[str, Any], fw: Framework,
                  order: tuple[Any, ...], depth: int) -> Router | None:
        args = view.get("args", [])
        if not args:
            return None
        first = args[0]
        if isinstance(first, dict) and "list" in first and first["list"] and \
                not any("verb" in i for i in first["list"]):
            first = first["list"][0]  # include((patterns, "app_name"))
        if isinstance(first, dict) and "str" in first:
            spec = "".join(p for p in first["str"] if isinstance(p, str))
            target = self.c.ws.module_file(ctx, spec)
            return self.list_router(target, fw.lists[0], fw) if target is not None else None
        if isinstance(first, dict) and "name" in first:
            return self._list_named(ctx, scope, first["name"], fw)
        if isinstance(first, dict) and "list" in first:
            child, _ = self.c._router(("inline", ctx.path, view.get("line", 0), repr(order)),
                                      fw.name, ctx.path, view.get("line", 0), "list")
            self.entries_of(ctx, scope, first, fw, child, order, depth + 1)
            return child
        return None

    def _language_part(self, fw: Framework, optional: bool) -> str:
        """The regex of a language prefix: the codes of the settings' ``LANGUAGES`` when
        the settings module (the one naming the root URL list) lists them as literals,
        else any language code; optional (``prefix_default_language=False``: the default
        language is served unprefixed, the others prefixed)."""
        codes: list[str] = []
        for ctx in list(self.c.ws.files.values()):
            if (-1, fw.root_setting) not in ctx.assigns:
                continue
            for _line, value, _aug in ctx.assigns.get((-1, fw.languages_setting), ()):
                for item in value.get("list", []) if isinstance(value, dict) else []:
                    first = (item.get("list") or [None])[0] if isinstance(item, dict) else None
                    code = text_of(first) if isinstance(first, dict) and "str" in first else ""
                    if code and code not in codes:
                        codes.append(code)
        alternatives = "|".join(re.escape(c) for c in sorted(codes, key=lambda c: (-len(c), c)))
        part = f"(?P<{_LANGUAGE}>{alternatives or _ANY_LANGUAGE})/"
        return f"(?:{part})?" if optional else part

    def _built(self, ctx: FileCtx, scope: int, name: str, fw: Framework) -> Router | None:
        """``router.urls``: the URL list a router we follow (a DRF ``DefaultRouter``) builds."""
        obj, _, attr = name.rpartition(".")
        if not obj or attr not in fw.include_attrs:
            return None
        found = self.c.eval_router(ctx, scope, {"name": obj})
        return found if isinstance(found, Router) and found.kind in ("app", "sub") else None

    def _list_named(self, ctx: FileCtx, scope: int, name: str, fw: Framework) -> Router | None:
        built = self._built(ctx, scope, name, fw)
        if built is not None:
            return built
        head, _, rest = name.partition(".")
        b = self.c.ws.bind(ctx, scope, head)
        if b is None:
            return None
        if b.kind == "import":
            mod, member = b.value
            for target in self.c.ws.resolve_module(ctx, mod, member):
                attr = rest or (member if member not in ("", "*") else "")
                if target.module.endswith("." + member) or not attr or attr in fw.lists:
                    return self.list_router(target, attr if attr in fw.lists else fw.lists[0], fw)
            return None
        if b.kind == "assign" and not rest:
            if b.scope == -1 and head in fw.lists:
                return self.list_router(ctx, head, fw)
            child, new = self.c._router(("named", ctx.path, head), fw.name, ctx.path, b.line, "list")
            if new:
                self.entries_of(b.ctx, b.scope, b.value, fw, child, (ctx.path, b.line, 0))
            return child
        return None
