"""ViewSet routers: one ``router.register(prefix, ViewSet)``, the routes DRF generates.

Django REST framework's ``SimpleRouter`` / ``DefaultRouter`` turn each
registration into regex routes (``SimpleRouter.get_urls``), per registration
in this order: the list route ``{prefix}/`` (GET ``list``, POST ``create``),
the extra actions declared with ``detail=False``, the detail route
``{prefix}/{lookup}/`` (GET ``retrieve``, PUT ``update``, PATCH
``partial_update``, DELETE ``destroy``), then the ``detail=True`` extra actions
(``{prefix}/{lookup}/{url_path}/``); a route is generated only for the methods
whose action the class has, defined or inherited. ``DefaultRouter`` adds its
API root view (``GET {prefix}``) after them. The class hierarchy is read from
the repository's files; a base outside it (DRF installed, not vendored) is
looked up in the framework's table of standard classes and mixins
(``ViewSets.bases``). The lookup parameter is the class's
``lookup_url_kwarg`` or ``lookup_field`` (default ``pk``), its shape
``lookup_value_regex`` (default ``[^/.]+``). Format-suffix routes
(``products.json``) are not listed. Mixed into
:class:`codemap.endpoints.compose.Recorder`; the handler of each route (the
method that runs) is found by :mod:`codemap.endpoints.handlers`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from codemap.endpoints.frameworks import Framework, Rule
from codemap.endpoints.patterns import UNKNOWN
from codemap.endpoints.scopes import text_of

if TYPE_CHECKING:
    from codemap.endpoints.linker import FileCtx, Workspace
    from codemap.endpoints.routers import Composer, Router
    from codemap.endpoints.rules import ViewSets

MAX_DEPTH = 12


@dataclass
class Extra:
    """An extra action: ``@action(detail=True, methods=["post"]) def restock``."""

    name: str
    detail: bool
    methods: list[str]
    url_path: str


@dataclass
class ViewSetClass:
    """What a router reads from a ViewSet class and its bases."""

    actions: set[str] = field(default_factory=set)  # methods defined or inherited
    extras: dict[str, Extra] = field(default_factory=dict)
    attrs: dict[str, str] = field(default_factory=dict)  # lookup_field, ...
    known: bool = True  # every base was found (in the repository or the table)


def find_class(ws: Workspace, ctx: FileCtx, scope: int, name: str,
               depth: int = 0) -> tuple[FileCtx, list[Any]] | None:
    """The class (file and ``classes`` fact) a dotted name denotes, through imports."""
    if depth > MAX_DEPTH or not name:
        return None
    head, _, rest = name.partition(".")
    b = ws.bind(ctx, scope, head)
    if b is None:
        return None
    if b.kind == "class" and not rest:
        return b.ctx, b.value
    if b.kind == "assign" and not rest and isinstance(b.value, dict) and "name" in b.value:
        return find_class(ws, b.ctx, b.scope, b.value["name"], depth + 1)
    if b.kind == "import":
        mod, member = b.value
        for target in ws.resolve_module(ctx, mod, member):
            attr = ws.attribute(target, member, rest)
            if attr and attr not in ("default", "*"):
                found = find_class(ws, target, -1, attr, depth + 1)
                if found is not None:
                    return found
    return None


def _inside(entry: list[Any], start: int) -> bool:
    return entry[1] <= start < entry[2]


def _direct_methods(ctx: FileCtx, entry: list[Any]) -> list[tuple[str, int]]:
    """(name, start byte) of the functions defined directly in a class's body."""
    nested = [c for c in ctx.facts.get("classes", ()) if c is not entry and _inside(entry, c[1])]
    out = []
    for span in ctx.scopes.values():
        if not span[2] or not _inside(entry, span[0]):
            continue
        if span[5] != -1 and _inside(entry, span[5]):
            continue  # a function inside a method
        if any(_inside(c, span[0]) for c in nested):
            continue
        out.append((span[2], span[0]))
    return out


def _flag(value: Any) -> bool | None:
    text = value.get("?", value.get("name", "")) if isinstance(value, dict) else ""
    return {"True": True, "False": False}.get(text)


def read_class(ws: Workspace, spec: ViewSets, ctx: FileCtx, entry: list[Any],
               depth: int = 0) -> ViewSetClass:
    """The actions, extra actions and lookup attributes of a ViewSet class."""
    out = ViewSetClass()
    if depth > MAX_DEPTH:
        out.known = False
        return out
    methods = _direct_methods(ctx, entry)
    out.actions.update(name for name, _ in methods)
    end = entry[5] if len(entry) > 5 else 1 << 30
    for attr in (spec.lookup_field, spec.lookup_url_kwarg, spec.lookup_regex):
        for _scope_line, value, _aug in reversed([e for (s, n), es in ctx.assigns.items()
                                                  if n == attr for e in es]):
            if entry[3] <= _scope_line <= end and "str" in value:
                out.attrs[attr] = text_of(value)
                break
    mapped: list[tuple[str, str]] = []  # (action, method) of @x.mapping.post
    for _scope, call, target in ctx.facts.get("decorators", ()):
        if target.get("class") != entry[1]:
            continue
        obj = call.get("call")
        verb = call.get("verb", "")
        oname = obj.get("name", "") if isinstance(obj, dict) else ""
        if verb == spec.decorator and (not oname or oname.rsplit(".", 1)[-1] != spec.mapping):
            kw = call.get("kw", {})
            detail = _flag(kw.get(spec.detail))
            listed = kw.get(spec.methods)
            items = listed.get("list", []) if isinstance(listed, dict) else []
            names = [text_of(i).upper() for i in items if text_of(i)]
            url_path = text_of(kw.get(spec.url_path)) if spec.url_path in kw else target["name"]
            out.extras[target["name"]] = Extra(target["name"], bool(detail),
                                               names or list(spec.default_methods), url_path)
        elif oname.endswith("." + spec.mapping):
            mapped.append((oname.rsplit(".", 1)[0], verb.upper()))
    for action, method in mapped:
        if action in out.extras and method not in out.extras[action].methods:
            out.extras[action].methods.append(method)
    for base in entry[4]:
        found = find_class(ws, ctx, -1, base)
        if found is not None and found[1] is not entry:
            inherited = read_class(ws, spec, found[0], found[1], depth + 1)
        else:
            known = spec.bases.get(base.rsplit(".", 1)[-1])
            inherited = ViewSetClass(set(known or ()), known=known is not None)
        out.actions |= inherited.actions
        for name, extra in inherited.extras.items():
            if name not in out.extras and name not in dict(methods):
                out.extras[name] = extra
        for k, v in inherited.attrs.items():
            out.attrs.setdefault(k, v)
        out.known = out.known and inherited.known
    return out


class ViewSetRoutes:
    c: Composer

    def viewsets(self, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework, rule: Rule,
                 target: Router, order: tuple[Any, ...]) -> None:
        """Record the routes ``router.register(prefix, ViewSet)`` generates on ``target``."""
        from codemap.endpoints.routers import RawRoute

        spec = fw.viewsets
        if spec is None:
            return
        c = self.c
        value = c.arg(call, rule.handler)
        pv = c.arg(call, rule.path)
        prefix_parts = c.string_parts(ctx, scope, pv, "regex")
        unknown = [] if prefix_parts is not None and not any(
            p[1] == "unknown" for p in prefix_parts) else ["route"]
        prefix = "".join(p[0] for p in prefix_parts) if prefix_parts is not None else UNKNOWN
        made = target.made or {}
        slash = "" if _flag((made.get("kw") or {}).get(spec.trailing_slash)) is False else "/"
        found = find_class(c.ws, ctx, scope, value["name"]) if isinstance(value, dict) and \
            "name" in value else None
        if found is not None:
            read = read_class(c.ws, spec, found[0], found[1])
        else:  # a class we cannot read: every standard route, methods unknown
            read = ViewSetClass({a for _m, a in (*spec.list_route, *spec.detail_route)},
                                known=False)
        if not read.known:
            unknown.append("method")
        kwarg = read.attrs.get(spec.lookup_url_kwarg) or read.attrs.get(spec.lookup_field) \
            or spec.default_lookup
        lookup = f"(?P<{kwarg}>{read.attrs.get(spec.lookup_regex) or spec.default_regex})"

        def url(*pieces: str) -> str:
            text = "/".join((prefix, *pieces)) + slash
            return text[1:] if not prefix and text.startswith("/") else text

        routes: list[tuple[str, list[tuple[str, str]]]] = [
            (url(), [(m, a) for m, a in spec.list_route if a in read.actions])]
        extras = sorted(read.extras.values(), key=lambda e: e.name)  # DRF: by name (getmembers)
        routes += [(url(e.url_path), [(m, e.name) for m in e.methods])
                   for e in extras if not e.detail]
        routes.append((url(lookup), [(m, a) for m, a in spec.detail_route if a in read.actions]))
        routes += [(url(lookup, e.url_path), [(m, e.name) for m in e.methods])
                   for e in extras if e.detail]
        k = 0
        for text, mapping in routes:
            for method, action in mapping:
                handler = {"ctx": ctx.path, "scope": scope, "value": value, "viewset": action}
                raw = RawRoute(fw.name, [method], [(text, "regex")], handler, ctx.path,
                               call.get("line", 0), list(unknown), True)
                target.events.append(((*order, k), "route", raw))
                k += 1
        if spec.routers.get(str(made.get("verb", ""))) and target.id not in c.api_roots:
            c.api_roots.add(target.id)  # DefaultRouter: its API root, after every route
            handler = {"ctx": ctx.path, "scope": scope, "value": None, "viewset": "",
                       "view": spec.root_view}
            raw = RawRoute(fw.name, ["GET"], [("", "regex")], handler, target.path,
                           target.line, [], True)
            target.events.append(((target.path, 1 << 40), "route", raw))


def action_methods(mapping: Any) -> list[tuple[str, str]]:
    """``as_view({"get": "retrieve"})``: (method, action) pairs of an actions mapping."""
    obj = mapping.get("obj") if isinstance(mapping, dict) else None
    if not isinstance(obj, dict):
        return []
    out = []
    for method, action in obj.items():
        name = text_of(action)
        if name:
            out.append((method.upper(), name))
    return out


__all__ = ["Extra", "ViewSetClass", "ViewSetRoutes", "action_methods", "find_class",
           "read_class"]
