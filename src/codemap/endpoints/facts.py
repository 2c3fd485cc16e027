"""Route facts of one file: what its ``routes.scm`` anchors say, as plain JSON.

The generic extractor runs a language's ``routes.scm`` and keys only on the
capture names documented in :mod:`codemap.endpoints`; expression nodes
become JSON values through :mod:`codemap.endpoints.syntax`. Facts are
per file and independent of every other file, so they are cached by content
hash (:mod:`codemap.endpoints.store`); linking files together happens later
in :mod:`codemap.endpoints.compose`.

A file's facts::

    {"scopes":  [[start_byte, end_byte, name, [[param, type], ...], line, parent], ...],
     "calls":   [[scope, call value, start_byte], ...],
     "decorators": [[scope, call value, target], ...],
     "assigns": [[scope, name, value, line, augmented], ...],
     "exports": [[name, value], ...],
     "imports": [[scope, local name, module, member, line], ...],
     "classes": [[name, start_byte, end_byte, line, [bases], end_line], ...],
     "returns": [[scope, value, line], ...],
     "deps":    [[scope, call value, [type names]], ...]}

``scope`` is the start byte of the innermost enclosing function (``-1`` at
module level); ``target`` is ``{"kind", "name", "line", "start", "end",
"class", "byte"}`` where ``class`` is the start byte of the enclosing class or
-1 and ``byte`` the definition's own start byte. An extension function's
receiver (``@scope.receiver``, Kotlin ``fun Route.x()``) is recorded as a
first parameter named ``this``. ``deps`` are the calls of a framework's
``dependency_calls`` (FastAPI ``Depends(f)``) in a function's parameters, with
the names in that parameter's type (``x: Annotated[C, Depends()]``). In a grammar that parses ``f(a) { }`` as a
call of a call (:attr:`Syntax.curried`), only the outer call is kept.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from typing import Any

from codemap.endpoints.frameworks import (
    INTERESTING_VERBS,
    REFERENCE_DECORATOR_OBJECTS,
    REFERENCE_DECORATORS,
    dependency_verbs,
    frameworks_for,
    markers_for,
)
from codemap.endpoints.syntax import (
    SYNTAX,
    Syntax,
    call_value,
    decorated_target,
    detached_arguments,
    is_bare_call,
    params_of,
    text,
)
from codemap.endpoints.syntax import value_of as _value_of
from codemap.lang.positions import end_line, start_line
from codemap.lang.registry import ts_cursor, ts_parser


def _parser(lang: str) -> Any:
    return ts_parser(lang)


def _cursor(lang: str) -> Any:
    return ts_cursor(lang, "routes") or False


def has_routes_query(lang: str) -> bool:
    return bool(_cursor(lang))


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] in "'\"`" and s[-1] == s[0]:
        return s[1:-1]
    return s


_VERSION = re.compile(r"^v\d+$")


def _bound_name(module: str) -> str:
    """The name an unaliased import binds: ``a.b.c`` -> ``a``; ``net/http`` -> ``http``;
    ``github.com/go-chi/chi/v5`` -> ``chi``; ``gopkg.in/yaml.v3`` -> ``yaml``."""
    if "/" not in module:
        return module.split(".")[0]
    segs = [s for s in module.split("/") if s]
    if len(segs) > 1 and _VERSION.match(segs[-1]):
        segs.pop()
    return re.sub(r"\.v\d+$", "", segs[-1]) if segs else module


class _Scopes:
    """Innermost enclosing function scope of a byte offset."""

    def __init__(self, spans: list[list[Any]]) -> None:
        self.spans = sorted(spans, key=lambda s: (s[0], -s[1]))
        self.starts = [s[0] for s in self.spans]
        # parent of each scope: the innermost earlier scope that contains it
        stack: list[list[Any]] = []
        for span in self.spans:
            while stack and stack[-1][1] <= span[0]:
                stack.pop()
            span[5] = stack[-1][0] if stack else -1
            stack.append(span)

    def at(self, pos: int, *, strict: bool = False) -> int:
        i = bisect.bisect_right(self.starts, pos) - 1
        while i >= 0:
            s = self.spans[i]
            if s[0] <= pos < s[1] and not (strict and s[0] == pos):
                return s[0]
            i -= 1
        return -1


def _interesting_call(value: dict[str, Any]) -> bool:
    """Does a call value call a name some framework table knows?"""
    return value.get("verb", "") in INTERESTING_VERBS


def _handed_names(args: Any, syn: Any, limit: int = 64) -> set[str]:
    """The names (heads of dotted ones) a call is handed, also inside wrapping calls: ``h``
    of ``mux.HandleFunc("/x", h.Get)`` and of ``mux.Handle("/y", http.HandlerFunc(h.Put))``."""
    out: set[str] = set()
    stack = list(args.named_children)
    while stack and limit > 0:
        limit -= 1
        node = stack.pop()
        if node.type in syn.names:
            out.add(text(node, 200).partition(".")[0].strip())
        else:
            stack.extend(node.named_children)
    return out


@cache
def _reference_calls(lang: str) -> bool:
    """Do a reference's calls matter in ``lang``? Only where a framework names its router
    without an import (``Rails``, ``Route::``): a file's frameworks are read from them."""
    return any(fw.globals or fw.facades for fw in frameworks_for(lang))


def _kept_in_reference(caps: dict[str, Any]) -> bool:
    """A decorator a reference keeps: one a router reads from the class it sits in
    (DRF ``@action(...)``, ``@restock.mapping.post``)."""
    verb = caps.get("call.verb")
    obj = caps.get("call.object")
    return bool(verb) and (text(verb[0]) in REFERENCE_DECORATORS or (
        bool(obj) and text(obj[0]).rsplit(".", 1)[-1] in REFERENCE_DECORATOR_OBJECTS))


def extract_routes(data: bytes, lang: str, tree: Any = None, *,
                   reference: bool = False) -> dict[str, Any]:
    """Parse ``data`` as ``lang`` (or take its ``tree``, parsed already) and return its
    route facts (see the module docstring).

    A ``reference`` (a file read because a name led to it, never scanned for
    declarations: :mod:`codemap.endpoints.anchors`) has no decorators, and calls only
    where they tell its frameworks (``require('express')``, :func:`_reference_calls`).
    """
    syn: Syntax = SYNTAX[lang]
    light = reference and not _reference_calls(lang)
    cursor = _cursor(lang)
    if not cursor:
        return {}
    if tree is None:
        tree = _parser(lang).parse(data)
    matches = cursor.matches(tree.root_node)

    scope_spans: dict[int, list[Any]] = {}
    raw_calls: list[Any] = []
    raw_decorators: list[Any] = []
    raw_assigns: list[Any] = []
    raw_exports: list[Any] = []
    raw_imports: list[Any] = []
    raw_returns: list[Any] = []
    params_of_scope: dict[int, Any] = {}  # scope start -> its parameter list node
    classes: dict[int, list[Any]] = {}
    for _pattern, caps in matches:
        if "route.scope" in caps:
            node = caps["route.scope"][0]
            name = caps.get("scope.name")
            params = caps.get("scope.params")
            receiver = caps.get("scope.receiver")
            span = scope_spans.get(node.start_byte)
            if span is None:
                span = scope_spans[node.start_byte] = [
                    node.start_byte, node.end_byte, text(name[0]) if name else "",
                    params_of(params[0]) if params else [], start_line(node), -1]
            elif params and not span[3]:
                span[3] = params_of(params[0])
            if params:
                params_of_scope.setdefault(node.start_byte, params[0])
            if receiver and not (span[3] and span[3][0][0] == "this"):
                span[3] = [["this", " ".join(text(receiver[0]).split())], *span[3]]
        elif "route.call" in caps:
            verb = caps.get("call.verb")
            callee = caps.get("call.callee")
            raw_calls.append((caps["route.call"][0], text(verb[0]) if verb else "",
                              caps.get("call.object"), caps.get("call.args"),
                              bool(callee) and text(callee[0], 12).startswith("require")))
        elif "route.decorator" in caps:
            if not light or _kept_in_reference(caps):
                raw_decorators.append(caps["route.decorator"][0])
        elif "route.assign" in caps:
            raw_assigns.append(caps)
        elif "route.export" in caps:
            raw_exports.append(caps)
        elif "route.import" in caps:
            raw_imports.append(caps)
        elif "route.return" in caps:
            raw_returns.append(caps)
        elif "route.class" in caps:
            node = caps["route.class"][0]
            entry = classes.get(node.start_byte)
            if entry is None:
                name = caps.get("class.name")
                entry = classes[node.start_byte] = [text(name[0]) if name else "", node.start_byte,
                                                    node.end_byte, start_line(node), [],
                                                    end_line(node)]
            for base in caps.get("class.base", ()):
                b = " ".join(text(base).split())
                for kw in ("extends ", "implements "):
                    if b.startswith(kw):
                        b = b[len(kw):]
                if b not in entry[4]:
                    entry[4].append(b)

    scopes = _Scopes(list(scope_spans.values()))
    class_spans = sorted((c[1], c[2]) for c in classes.values())

    def enclosing_class(pos: int) -> int:
        best = -1
        for s, e in class_spans:
            if s > pos:
                break
            if s <= pos < e:
                best = s
        return best

    facts: dict[str, Any] = {"scopes": [s[:6] for s in scopes.spans], "calls": [],
                             "decorators": [], "assigns": [], "exports": [], "imports": [],
                             "classes": sorted(classes.values(), key=lambda c: c[1]),
                             "returns": [], "deps": []}

    # names that may hold routers: assigned from route-related calls, or used as the
    # object of one (a parameter or an import that is a router); a call passing such a
    # name to another function may hand that function a router
    routerish: set[str] = set()

    for caps in raw_imports:
        node = caps["route.import"][0]
        module = caps.get("import.module")
        if not module:
            continue
        mod = _unquote(text(module[0]))
        scope = scopes.at(node.start_byte)
        line = start_line(node)
        if "import.wildcard" in caps:
            facts["imports"].append([scope, "*", mod, "*", line])
            continue
        names = caps.get("import.name", [])
        aliases = caps.get("import.alias", [])
        if names:
            for i, name in enumerate(names):
                alias = aliases[i] if i < len(aliases) and len(names) == len(aliases) else None
                member = text(name)
                local = text(alias) if alias is not None else member
                facts["imports"].append([scope, local, mod, member, line])
        elif aliases:
            alias = aliases[0]
            local = text(alias)
            # `import x from 'm'` binds the default export; `import a.b as x`,
            # `import * as x from 'm'`, `x = require('m')` bind the whole module
            parent = alias.parent
            member = "default" if parent is not None and parent.type == "import_clause" else ""
            facts["imports"].append([scope, local, mod, member, line])
        else:
            local = _bound_name(mod)
            facts["imports"].append([scope, local, mod, "", line])

    # h := api.NewHandler(repo); mux.HandleFunc("/x", h.Get); w := logging(sub):
    # a local assigned from any call is kept when a route-related call is handed it or
    # one of its methods, also through wrapping calls (StripPrefix("/v1", w))
    handed = {head for _n, verb, _o, args, _r in raw_calls if args and verb in INTERESTING_VERBS
              for head in _handed_names(args[0], syn)}
    for caps in raw_assigns:
        node = caps["route.assign"][0]
        name = caps.get("assign.name")
        value = caps.get("assign.value")
        if not name or not value:
            continue
        v = _value_of(value[0], syn)
        scope = scopes.at(node.start_byte)
        # module-level calls are kept whatever they call: view = update_wrapper(partial(f), f)
        keep = ("str" in v or "list" in v or "name" in v or "obj" in v or "fn" in v
                or ("verb" in v and (scope == -1 or _interesting_call(v)
                                     or text(name[0]) in handed)))
        if not keep:
            continue
        n = text(name[0])
        if "verb" in v and _interesting_call(v) or "name" in v:
            routerish.add(n)
        facts["assigns"].append([scope, n, v, start_line(node), bool(caps.get("assign.augment"))])

    for caps in raw_returns:  # fn api() -> Router { Router::new().route(...) }
        value = caps.get("return.value")
        if value and (value[0].type in syn.calls or value[0].type in syn.names):
            facts["returns"].append([scopes.at(value[0].start_byte), _value_of(value[0], syn),
                                     start_line(value[0])])

    for caps in raw_exports:
        node = caps["route.export"][0]
        value = caps.get("export.value")
        if not value:
            continue
        name = caps.get("export.name")
        # `export default function app() {}` exports `default`, not `app`
        default = name is None or any(child.type == "default" for child in node.children)
        facts["exports"].append(["default" if default else text(name[0]),
                                 _value_of(value[0], syn)])

    depends = dependency_verbs(lang)
    if depends:
        for node, verb, _obj, _args, _req in raw_calls:
            if verb in depends:
                found = _dependency(node, scopes, params_of_scope, depends, syn)
                if found is not None:
                    facts["deps"].append(found)

    # only route-related calls are converted whole; another call is kept when it hands a
    # router-ish name to a function (register_routes(app)) or calls require('x')(...)
    later = []
    for node, verb, obj, _args, via_require in raw_calls:
        parent = node.parent
        if parent is not None and parent.type in syn.decorators:
            continue  # the decorator's call is read with the decorator
        if parent is not None and parent.type in syn.curried and parent.type == node.type \
                and parent.named_children[:1] == [node]:
            continue  # get("/x") { }: read with the outer call, which holds the block
        if node.type in syn.bare_calls and is_bare_call(node, syn):
            continue  # Ruby `Rails.root`: an attribute read, not a declaration
        if light and not (via_require or verb == "require" or (
                obj and text(obj[0], 12).startswith("require"))):
            continue  # a reference's calls tell only its modules: require('fastify')
        if verb in INTERESTING_VERBS or via_require:
            if obj and obj[0].type in syn.names:
                routerish.add(text(obj[0]).partition(".")[0].strip())
            facts["calls"].append([scopes.at(node.start_byte), call_value(node, syn),
                                   node.start_byte, node.end_byte])
        else:
            later.append((node, _args, obj))
    for node, args, obj in later:
        if args and any(a.type in syn.names and text(a) in routerish
                        for a in args[0].named_children):
            facts["calls"].append([scopes.at(node.start_byte), call_value(node, syn),
                                   node.start_byte, node.end_byte])
        elif obj and obj[0].type in syn.names and syn.extensions and \
                text(obj[0]).partition(".")[0].strip() in routerish:
            # C# app.MapUserEndpoints(): an extension method whose `this` is the router
            facts["calls"].append([scopes.at(node.start_byte), call_value(node, syn),
                                   node.start_byte, node.end_byte])
        elif syn.call_blocks and not obj and scopes.at(node.start_byte) != -1:
            # Ktor `routing { userRoutes() }`: a bare call may hand the block's implicit
            # receiver to an extension function; kept when it passes nothing but blocks
            v = call_value(node, syn)
            if all("fn" in a for a in v["args"]):
                facts["calls"].append([scopes.at(node.start_byte), v, node.start_byte,
                                       node.end_byte])

    for node in raw_decorators:
        call = node.named_children[0] if node.named_child_count else None
        if node.type in syn.calls:  # annotations read like calls
            v = call_value(node, syn)
        elif call is not None and call.type in syn.calls:
            v = call_value(call, syn)
        else:
            target_name = node.named_children[-1] if node.named_child_count else None
            if target_name is None:
                continue
            full = " ".join(text(target_name).split())
            obj, _, verb = full.rpartition(".")
            v = {"call": {"name": obj} if obj else None, "verb": verb, "args": [],
                 "line": start_line(node), "bare": True}
            detached = detached_arguments(node, syn)
            if detached is not None:
                v["args"] = detached
        if not _interesting_call(v):
            continue
        target = decorated_target(node, syn)
        if target is None:
            continue
        tname = target.child_by_field_name("name")
        is_class = target.type in syn.classes
        info = {"kind": "class" if is_class else "function",
                "name": text(tname) if tname is not None else "",
                "line": start_line(tname) if tname is not None else start_line(target),
                "start": start_line(target), "end": end_line(target), "byte": target.start_byte,
                "class": enclosing_class(target.start_byte if is_class else node.start_byte)
                if not is_class else target.start_byte}
        facts["decorators"].append([scopes.at(node.start_byte), v, info])

    # source order; calls starting together (a chain a.b().c()) innermost first, as they run
    facts["calls"].sort(key=lambda c: (c[2], c[3]))
    facts["calls"] = [c[:3] for c in facts["calls"]]
    return facts


def _dependency(node: Any, scopes: _Scopes, params: dict[int, Any], depends: frozenset[str],
                syn: Syntax) -> list[Any] | None:
    """``[scope, call value, [type names]]`` for a dependency call in a function's
    parameters (``x = Depends(f)``, ``x: Annotated[T, Depends(f)]``); None elsewhere."""
    scope = scopes.at(node.start_byte)
    plist = params.get(scope)
    if plist is None or not (plist.start_byte <= node.start_byte < plist.end_byte):
        return None
    param = node
    while param.parent is not None and param.parent != plist:
        param = param.parent
    value = call_value(node, syn)
    names: list[str] = []
    tnode = param.child_by_field_name("type") if param.parent is not None else None
    if tnode is not None and not value["args"] and not value.get("kw"):
        stack = [tnode]  # Depends() names nothing: the type's names (not its calls' args)
        while stack and len(names) < 8:
            n = stack.pop()
            if n.type in syn.names:
                name = " ".join(text(n).split())
                if name.rsplit(".", 1)[-1] not in depends:
                    names.append(name)
            elif n.type not in syn.calls:
                stack.extend(reversed(n.named_children))
    return [scope, value, names]


def _read(root: str, path: str) -> bytes | None:
    import os

    try:
        with open(os.path.join(root, path), "rb") as fh:
            return fh.read()
    except OSError:
        return None


def extract_file(root: str, path: str, lang: str) -> dict[str, Any] | None:
    """Read and extract one reference file (see :func:`extract_routes`); None when it has
    no marker (nothing in it can matter to routes)."""
    if not has_routes_query(lang):
        return None
    data = _read(root, path)
    if data is None or not any(m in data for m in markers_for(lang)):
        return None
    try:
        return extract_routes(data, lang, reference=True)
    except RecursionError:
        return None
