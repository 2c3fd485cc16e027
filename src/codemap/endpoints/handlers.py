"""Handlers: from what a route declaration names to the symbol in the index.

A handler is a decorated function, a name (``views.index``, an imported
function, a Go method value), an inline function, a class-based view
(``UserView.as_view()``: one endpoint per HTTP method the class or its
bases handle) or a wrapped one (``login_required(views.index)``). Names are
followed through imports with :class:`~codemap.endpoints.linker.Workspace`;
symbols come from the index. A handler named as a controller action
(``"users#show"``, ``[C::class, 'show']``) is found by
:mod:`codemap.endpoints.actions`; for frameworks with ``index_lookup``, a
name the linker cannot follow (a Rust path, a Kotlin ``::handler``, a C#
``Handlers.Get`` in another file) is looked up in the index by its
qualified name and taken when exactly one symbol fits. A handler that
cannot be found is reported as ``null`` with ``"handler"`` in the
endpoint's ``unknown`` list, never guessed.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from codemap.endpoints.actions import find_action, normalized, split_action
from codemap.endpoints.frameworks import ANY, BY_NAME, HANDLER_WRAPPERS, Framework
from codemap.endpoints.implementations import implementations
from codemap.endpoints.linker import FileCtx, Workspace
from codemap.endpoints.routers import Composer
from codemap.endpoints.viewsets import action_methods
from codemap.index.store import IndexReader
from codemap.lang.qualnames import plain_receivers
from codemap.model import Symbol

MAX_DEPTH = 8
_CALLABLE = ("function", "method", "lambda")


@dataclass(frozen=True)
class Resolved:
    method: str
    symbol: Symbol | None
    unknown: bool
    candidate: bool = False  # one of several implementations, any of which may run


class HandlerResolver:
    def __init__(self, reader: IndexReader, ws: Workspace, composer: Composer) -> None:
        self.reader = reader
        self.ws = ws
        self._symbols: dict[str, list[Symbol]] = {}
        self._named: dict[str, list[Symbol]] = {}
        self._derived: dict[str, list[Symbol]] | None = None  # base name -> derived classes
        self._top: dict[str, dict[str, Symbol]] = {}
        self._members: dict[tuple[str, str, int, int], dict[str, Symbol]] = {}
        self._limits: dict[str, list[tuple[int, list[str]]]] = {}
        for (path, line), methods in composer.method_limits.items():
            self._limits.setdefault(path, []).append((line, methods))
        # what was read from the index (codemap.endpoints.freshness): files, or everything
        self.read: set[str] = set()
        self.everywhere = False

    # -- the index ------------------------------------------------------------------
    def symbols(self, path: str) -> list[Symbol]:
        found = self._symbols.get(path)
        if found is None:
            self.read.add(path)
            found = self._symbols[path] = self.reader.symbols_in_file(path)
        return found

    def symbol_at(self, path: str, line: int) -> Symbol | None:
        self.read.add(path)
        return self.reader.symbol_at(path, line)

    def named(self, name: str) -> list[Symbol]:
        """Every symbol (not module) named ``name``, or a qualified ``X::name`` / ``X\\name``
        (Ruby's ``class Admin::UsersController`` is named so)."""
        found = self._named.get(name)
        if found is None:
            self.everywhere = True
            found = self._named[name] = self.reader.by_name(name)
        return found

    def subclasses(self, name: str) -> list[Symbol]:
        """The classes directly implementing / extending the class ``name``: asked of every
        file's recorded bases (a lookup over the whole index)."""
        if self._derived is None:
            self._derived = self.reader.derived_classes()
        found = self._derived.get(name, [])
        if found:
            self.everywhere = True
        return found

    def top_level(self, path: str) -> dict[str, Symbol]:
        """Module-level definitions of a file by name (the first of a name wins)."""
        found = self._top.get(path)
        if found is None:
            syms = [s for s in self.symbols(path) if s.kind != "module"]
            found = {}
            for s in syms:
                inside = any(o is not s and o.start_line <= s.start_line and s.end_line <= o.end_line
                             and (o.start_line, -o.end_line) < (s.start_line, -s.end_line)
                             for o in syms)
                if not inside:
                    found.setdefault(s.name, s)
            self._top[path] = found
        return found

    def members(self, cls: Symbol) -> dict[str, Symbol]:
        """Direct methods of a class symbol, by name (read-only: shared by every caller)."""
        key = (cls.path, cls.qualname, cls.start_line, cls.end_line)
        found = self._members.get(key)
        if found is None:
            found = self._members[key] = self._find_members(cls)
        return found

    def _find_members(self, cls: Symbol) -> dict[str, Symbol]:
        out: dict[str, Symbol] = {}
        for s in self.symbols(cls.path):
            if s is cls or s.kind not in _CALLABLE:
                continue
            if not (cls.start_line <= s.start_line and s.end_line <= cls.end_line):
                continue
            rest = s.qualname[len(cls.qualname):] if s.qualname.startswith(cls.qualname) else ""
            # Class.m, Class:m (JS), Klass#m (Ruby), Klass::m (Rust, PHP static), C->m (PHP)
            if rest[: len(rest) - len(s.name)] in (".", ":", "#", "::", "->") \
                    and rest.endswith(s.name):
                out.setdefault(s.name, s)
        # Go: methods are declared beside the type, in any file of its package (their
        # qualnames name the type, through a pointer receiver or not)
        head = plain_receivers(cls.qualname) + "."
        for path in self.ws.go_dirs.get(posixpath.dirname(cls.path), ()):
            for s in self.symbols(path):
                if s.kind == "method" and plain_receivers(s.qualname) == head + s.name:
                    out.setdefault(s.name, s)
        return out

    def _enclosing_def(self, path: str, line: int, name: str) -> Symbol | None:
        sym = self.symbol_at(path, line)
        if sym is not None and sym.kind != "module" and (not name or sym.name == name):
            return sym
        for s in self.symbols(path):
            if s.name == name and s.start_line <= line <= s.end_line and s.kind != "module":
                return s
        return None

    # -- names ------------------------------------------------------------------------
    def by_name(self, ctx: FileCtx, scope: int, name: str, depth: int = 0) -> Symbol | None:
        """The function, method or class a (dotted) name denotes at ``scope`` of ``ctx``."""
        if depth > MAX_DEPTH or not name:
            return None
        head, _, rest = name.partition(".")
        if head in ("this", "self") and rest:
            return None
        b = self.ws.bind(ctx, scope, head)
        if b is None:
            return self._nearby(ctx, name)
        if b.kind == "function":
            sym = self._enclosing_def(ctx.path, b.line, head)
            return None if rest else sym
        if b.kind == "class":
            cls = self.top_level(ctx.path).get(head)
            return self._member(cls, rest) if rest else cls
        if b.kind == "assign":
            value = b.value
            if isinstance(value, dict) and "name" in value:
                return self.by_name(b.ctx, b.scope, value["name"] + (f".{rest}" if rest else ""),
                                    depth + 1)
            if isinstance(value, dict) and "fn" in value and not rest:
                return self.inline(b.ctx.path, value)
            if isinstance(value, dict) and "verb" in value and rest:
                # an instance: x = UserController(); x = new UserController(); h := NewHandler()
                cls = self.by_name(b.ctx, b.scope, _callee(value), depth + 1)
                if cls is not None and cls.kind == "class":
                    return self._member(cls, rest)
                if cls is not None and cls.kind == "function" and "." not in rest:
                    # h := api.NewHandler(repo): the one method of that name in the package
                    # of the function that made the value
                    return self._nearby_in(posixpath.dirname(cls.path), f"_.{rest}")
                return self._nearby(ctx, name)
            return self._nearby(ctx, name) if rest else None
        if b.kind == "import":
            mod, member = b.value
            for target in self.ws.resolve_module(ctx, mod, member):
                exp = target.exports.get("default") if member in ("", "default") else None
                if isinstance(exp, dict) and "name" in exp:  # module.exports = controller
                    attr = exp["name"] + (f".{rest}" if rest else "")
                else:
                    attr = self.ws.attribute(target, member, rest)
                if not attr:
                    continue
                found = self._in_module(target, attr, depth)
                if found is not None:
                    return found
            return None
        if b.kind == "param" and rest:
            # func Routes(s *billing.Service) { ...s.Invoice }: a method of the parameter's type
            ptype = str(b.value[1] or "") if isinstance(b.value, (list, tuple)) and len(b.value) > 1 \
                else ""
            tname = ptype.lstrip("*&[]. ")
            if "." not in rest and tname.replace(".", "").isidentifier():
                cls = self.by_name(ctx, scope, tname, depth + 1) if "." in tname \
                    else self._in_module(ctx, tname, depth + 1)  # a type of this package
                found = self._member(cls, rest) if cls is not None and cls.kind == "class" else None
                if found is not None:
                    return found
            return self._nearby(ctx, name)  # else the one method of that name in the package
        return None

    def _in_module(self, target: FileCtx, attr: str, depth: int) -> Symbol | None:
        head, _, rest = attr.partition(".")
        top = self.top_level(target.path)
        if head in top:
            sym = top[head]
            return self._member(sym, rest) if rest else sym
        exp = target.exports.get(head)
        if isinstance(exp, dict) and exp.get("name") and exp["name"] != head:
            return self.by_name(target, -1, exp["name"] + (f".{rest}" if rest else ""), depth + 1)
        if head in {n for (_s, n) in target.assigns} or head in {n for (_s, n) in target.imports}:
            return self.by_name(target, -1, attr, depth + 1)
        # a Go package spans several files
        for other in self.ws.go_dirs.get(posixpath.dirname(target.path), ()):
            if other != target.path and head in self.top_level(other):
                sym = self.top_level(other)[head]
                return self._member(sym, rest) if rest else sym
        return None

    def _member(self, cls: Symbol | None, name: str) -> Symbol | None:
        if cls is None or not name or "." in name:
            return None
        return self.members(cls).get(name)

    def _nearby(self, ctx: FileCtx, name: str) -> Symbol | None:
        """A name bound nowhere visible: a definition of the same package (Go), or a
        method value ``h.Get`` whose receiver type we do not track: the one method of
        that name in the package."""
        return self._nearby_in(posixpath.dirname(ctx.path), name)

    def _nearby_in(self, directory: str, name: str) -> Symbol | None:
        last = name.rsplit(".", 1)[-1]
        same_dir = [p for p in self.ws.go_dirs.get(directory, ())]
        found: list[Symbol] = []
        for p in same_dir:
            for s in self.symbols(p):
                if s.name == last and s.kind in _CALLABLE:
                    found.append(s)
        if "." not in name:
            top = [s for s in found if s.kind == "function"]
            return top[0] if len(top) == 1 else None
        methods = [s for s in found if s.kind == "method"]
        return methods[0] if len(methods) == 1 else None

    def inline(self, path: str, value: dict[str, Any]) -> Symbol:
        """The symbol of an inline function: the index's, or one made for it."""
        line, end = value.get("line", 1), value.get("end", value.get("line", 1))
        best = None
        for s in self.symbols(path):
            if s.kind != "module" and line <= s.start_line and s.end_line <= end:
                if best is None or (s.end_line - s.start_line) > (best.end_line - best.start_line):
                    best = s
        if best is not None and best.start_line == line:
            return best
        outer = self.symbol_at(path, line)
        lang = outer.language if outer else self.ws.sources.get(path, ("", ""))[0]
        name = value.get("name") or "<anonymous>"
        if outer is None:
            qual = name
        elif outer.kind != "module":
            qual = f"{outer.qualname}.{name}"
        else:  # spell it like the file's top-level definitions: pkg.mod.f, src/app.js:f
            sibling = next(iter(self.top_level(path).values()), None)
            if sibling is not None and sibling.qualname.endswith(sibling.name):
                qual = sibling.qualname[: len(sibling.qualname) - len(sibling.name)] + name
            elif outer.qualname == path:  # a module named by its path: routes/web.php:<anonymous>
                qual = f"{path}:{name}"
            else:
                qual = _member_qualname(outer, name)
        return Symbol.make(name, qual, "lambda", lang, path, line, end)

    # -- routes -----------------------------------------------------------------------------
    def resolve(self, framework: str, methods: list[str], handler: dict[str, Any] | None,
                explicit: bool) -> list[Resolved]:
        """(method, handler) pairs for one route: class-based views give one per method."""
        fw = BY_NAME[framework]
        if not handler:
            return [Resolved(m, None, True) for m in methods]
        ctx = self.ws.file(handler.get("ctx", ""))
        if ctx is None:
            return [Resolved(m, None, True) for m in methods]
        if "decorated" in handler:
            target = handler["decorated"]
            sym = self._enclosing_def(ctx.path, target["line"], target["name"])
            if sym is not None and sym.kind == "class":
                return self._class_view(fw, ctx, sym, methods, explicit)
            impls = implementations(self, ctx, target, sym, fw.languages) \
                if fw.locators and sym else []
            if impls:  # declared on an interface: the implementing class's method runs
                return [Resolved(m, s, False, len(impls) > 1) for s in impls for m in methods]
            return [Resolved(m, sym, sym is None) for m in self._limited(sym, methods)]
        if "viewset" in handler:  # a route a ViewSet router generated (DRF)
            return self._viewset(fw, ctx, handler, methods)
        if fw.viewsets is not None and _as_view_actions(fw, handler.get("value")):
            return self._viewset_view(fw, ctx, handler)
        if fw.action_sep or "action" in handler:
            named = split_action(fw, handler)
            if named is not None:  # "users#show", [UserController::class, 'show']
                module = handler.get("context", {}).get("module", [])
                sym = find_action(self, fw, ctx, named[0], named[1], module)
                return [Resolved(m, sym, sym is None) for m in methods]
        value = handler.get("value")
        sym, view_class = self._value(ctx, handler.get("scope", -1), value, fw, 0)
        if sym is None and fw.index_lookup:
            sym = self._indexed(ctx, value)
        if sym is not None and sym.kind == "class" and fw.invoke:  # an invokable controller
            sym = self.members(sym).get(fw.invoke, sym)
        if sym is not None and (view_class or (sym.kind == "class" and fw.view_methods)):
            return self._class_view(fw, ctx, sym, methods, explicit)
        if view_class and sym is None:
            return self._external_view(fw, value, methods)
        return [Resolved(m, sym, sym is None) for m in self._limited(sym, methods)]

    def _viewset(self, fw: Framework, ctx: FileCtx, handler: dict[str, Any],
                 methods: list[str]) -> list[Resolved]:
        """The method of the ViewSet class that runs the route's action: its own or one it
        inherits (a mixin in the repository); the class when the method is not in it."""
        if not handler["viewset"]:  # a router's own view (DRF's API root)
            return [Resolved(m, None, False) for m in methods]
        cls, _ = self._value(ctx, handler.get("scope", -1), handler.get("value"), fw, 0)
        found = self.inherited(cls, handler["viewset"], 0) if cls is not None else None
        return [Resolved(m, found or cls, cls is None) for m in methods]

    def _viewset_view(self, fw: Framework, ctx: FileCtx, handler: dict[str, Any]) -> list[Resolved]:
        """``TagViewSet.as_view({"get": "retrieve"})``: one method per mapped action."""
        value = handler["value"]
        cls, _ = self._value(ctx, handler.get("scope", -1), value.get("call"), fw, 0)
        out = []
        for method, action in _as_view_actions(fw, value):
            found = self.inherited(cls, action, 0) if cls is not None else None
            out.append(Resolved(method, found or cls, cls is None))
        return out

    def inherited(self, cls: Symbol, name: str, depth: int) -> Symbol | None:
        """The method ``name`` of a class or, first found, of its bases in the repository."""
        own = self.members(cls).get(name)
        if own is not None or depth > MAX_DEPTH:
            return own
        ctx = self.ws.file(cls.path)
        entry = ctx.classes.get(cls.name) if ctx is not None else None
        for base in (entry[4] if entry else []):
            base_sym = self.by_name(ctx, -1, base) if ctx is not None else None
            if base_sym is not None and base_sym.kind == "class" and base_sym.id != cls.id:
                found = self.inherited(base_sym, name, depth + 1)
                if found is not None:
                    return found
        return None

    def symbol_of(self, ctx: FileCtx, scope: int, value: Any, fw: Framework) -> Symbol | None:
        """The function or class a value names (a dependency: ``Depends(get_db)``)."""
        return self._value(ctx, scope, value, fw, 0)[0]

    def _value(self, ctx: FileCtx, scope: int, value: Any, fw: Framework,
               depth: int) -> tuple[Symbol | None, bool]:
        if not isinstance(value, dict) or depth > MAX_DEPTH:
            return None, False
        if "fn" in value:
            return self.inline(ctx.path, value), False
        if "name" in value:
            sym = self.by_name(ctx, scope, value["name"])
            if sym is not None:
                return sym, False
            assigned = self._assigned(ctx, scope, value["name"], depth)
            if assigned is not None:  # view = HelloView.as_view(); view = partial(f, ...)
                return self._value(assigned[0], assigned[1], assigned[2], fw, depth + 1)
            return None, False
        if "verb" in value:
            verb = value["verb"]
            obj = value.get("call")
            if verb in fw.class_views and isinstance(obj, dict):
                sym, _ = self._value(ctx, scope, obj, fw, depth + 1)
                return sym, True
            if verb == "bind" and isinstance(obj, dict):  # handler.bind(this)
                return self._value(ctx, scope, obj, fw, depth + 1)
            # wrappers: login_required(views.x), http.HandlerFunc(f), cache_page(60)(views.x)
            for a in reversed(value.get("args", [])):
                sym, cbv = self._value(ctx, scope, a, fw, depth + 1)
                if sym is not None and sym.kind != "class" or cbv:
                    return sym, cbv
            if verb in HANDLER_WRAPPERS and isinstance(obj, dict):
                return self._value(ctx, scope, obj, fw, depth + 1)
        return None, False

    def _indexed(self, ctx: FileCtx, value: Any) -> Symbol | None:
        """The one callable (or class) of the file's language whose qualified name ends
        with the dotted name, nearest first: same file, then same directory."""
        if not isinstance(value, dict) or "name" not in value:
            return None
        dotted = normalized(value["name"])
        last = dotted.rsplit(".", 1)[-1]
        found = [s for s in self.named(last) if s.language == ctx.lang
                 and s.kind in (*_CALLABLE, "class")
                 and ("." + normalized(s.qualname)).endswith("." + dotted)]
        for near in (lambda s: s.path == ctx.path,
                     lambda s: posixpath.dirname(s.path) == posixpath.dirname(ctx.path),
                     lambda s: True):
            picked = [s for s in found if near(s)]
            if picked:
                return picked[0] if len(picked) == 1 else None
        return None

    def _assigned(self, ctx: FileCtx, scope: int, name: str,
                  depth: int) -> tuple[FileCtx, int, Any] | None:
        """The value assigned to a name (followed through imports)."""
        if depth > MAX_DEPTH:
            return None
        head, _, rest = name.partition(".")
        b = self.ws.bind(ctx, scope, head)
        if b is None:
            return None
        if b.kind == "assign" and not rest:
            return b.ctx, b.scope, b.value
        if b.kind == "import":
            mod, member = b.value
            for target in self.ws.resolve_module(ctx, mod, member):
                attr = self.ws.attribute(target, member, rest)
                if attr and attr not in ("default", "*") and "." not in attr:
                    found = self._assigned(target, -1, attr, depth + 1)
                    if found is not None:
                        return found
        return None

    def _limited(self, sym: Symbol | None, methods: list[str]) -> list[str]:
        """Django function views: methods allowed by ``@require_POST`` and friends."""
        if sym is None or methods != [ANY]:
            return methods
        for line, allowed in self._limits.get(sym.path, ()):
            if sym.start_line <= line <= sym.end_line:
                inner = self.symbol_at(sym.path, line)
                if inner is not None and inner.id == sym.id:
                    return allowed
        return methods

    def _class_view(self, fw: Framework, ctx: FileCtx, cls: Symbol, methods: list[str],
                    explicit: bool) -> list[Resolved]:
        handled = self._view_methods(fw, cls, 0)
        out = []
        for name in fw.view_methods:
            if name not in handled:
                continue
            m = name.upper()
            if explicit and methods != [ANY] and m not in methods:
                continue
            out.append(Resolved(m, handled[name] or cls, False))
        if not out:
            return [Resolved(m, cls, False) for m in methods]
        return out

    def _view_methods(self, fw: Framework, cls: Symbol, depth: int) -> dict[str, Symbol | None]:
        found: dict[str, Symbol | None] = {}
        own = self.members(cls)
        for name in fw.view_methods:
            if name in own:
                found[name] = own[name]
        if depth > MAX_DEPTH:
            return found
        ctx = self.ws.file(cls.path)
        entry = ctx.classes.get(cls.name) if ctx is not None else None
        for base in (entry[4] if entry else []):
            base_sym = self.by_name(ctx, -1, base) if ctx is not None else None
            if base_sym is not None and base_sym.kind == "class" and base_sym.id != cls.id:
                inherited = self._view_methods(fw, base_sym, depth + 1)
            else:
                inherited = {m: None for m in fw.view_bases.get(base.rsplit(".", 1)[-1], ())}
            for name, sym in inherited.items():
                found.setdefault(name, sym)
        return found

    def _external_view(self, fw: Framework, value: dict[str, Any], methods: list[str]) -> list[Resolved]:
        """``TemplateView.as_view(...)``: a framework's own view; methods from the table."""
        obj = value.get("call") or {}
        base = obj.get("name", "").rsplit(".", 1)[-1] if isinstance(obj, dict) else ""
        known = fw.view_bases.get(base)
        if known:
            return [Resolved(m.upper(), None, False) for m in fw.view_methods if m in known]
        return [Resolved(m, None, True) for m in methods]


def _as_view_actions(fw: Framework, value: Any) -> list[tuple[str, str]]:
    """(method, action) pairs of ``ViewSet.as_view({"get": "retrieve"})``, else []."""
    if not isinstance(value, dict) or value.get("verb") not in fw.class_views \
            or not isinstance(value.get("call"), dict):
        return []
    args = value.get("args") or [None]
    return action_methods(value.get("kw", {}).get("actions") or args[0])


def _callee(value: dict[str, Any]) -> str:
    obj = value.get("call")
    verb = value.get("verb", "")
    if isinstance(obj, dict) and "name" in obj:
        return f"{obj['name']}.{verb}"
    return verb


def _member_qualname(module: Symbol, name: str) -> str:
    """A module-level name spelled in the language's qualname style."""
    from codemap.lang.qualnames import STYLES
    from codemap.lang.registry import BY_NAME as LANGUAGES

    spec = LANGUAGES.get(module.language)
    if spec is None:
        return f"{module.qualname}.{name}"
    style = STYLES[spec.qualname_style]
    return style.member(module.path if style.path_prefix else module.qualname, [], name, None)
