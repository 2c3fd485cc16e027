"""Dependencies: what a framework runs before a route's handler on every request.

FastAPI runs the functions that ``Depends(f)`` / ``Security(f)`` name in the
application's, a router's, an ``include_router`` call's and a route
decorator's ``dependencies=[...]``, and in the handler's parameters
(``db = Depends(get_db)``, ``user: Annotated[User, Depends(current_user)]``,
``q: Params = Depends()`` naming the type), each with its own
sub-dependencies (a function's parameters, a class's ``__init__``'s): a request to the endpoint runs all of them, so whoever
reads the endpoint needs them as much as the handler.

The tables say which calls name a dependency (``Framework.dependency_calls``,
``Framework.dependency_arg``) and which rules list them
(``Rule.dependencies``); :func:`listed` reads such a list into references,
which routers and routes carry like prefixes
(:mod:`codemap.endpoints.routers`, :mod:`codemap.endpoints.compose`), and
:class:`DependencyResolver` turns an endpoint's references, its handler's
parameters and, recursively, each dependency's own parameters into symbols
of the index. A name that leads to no symbol of the repository (a library's
dependency) is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codemap.endpoints.frameworks import BY_NAME, Framework, Rule
from codemap.endpoints.linker import FileCtx
from codemap.model import Symbol

if TYPE_CHECKING:
    from codemap.endpoints.handlers import HandlerResolver
    from codemap.endpoints.routers import Composer

Ref = dict[str, Any]  # {"ctx": path, "scope": scope, "value": what names the function}
MAX_DEPTH = 8  # sub-dependencies followed this deep
MAX_DEPENDENCIES = 50  # per endpoint


def listed(c: Composer, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework,
           rule: Rule) -> list[Ref]:
    """The dependencies a rule's call lists (``dependencies=[Depends(f)]``, also through a
    name assigned such a list)."""
    if rule.dependencies is None or not fw.dependency_calls:
        return []
    value = c.arg(call, rule.dependencies)
    line = call.get("line", 1 << 30)
    for _ in range(4):  # dependencies=COMMON, COMMON = [Depends(f)] (here or imported)
        if not (isinstance(value, dict) and "name" in value):
            break
        found = _assigned(c, ctx, scope, value["name"], line)
        if found is None:
            return []
        ctx, scope, value, line = found
    items = value.get("list", [value]) if isinstance(value, dict) else []
    out: list[Ref] = []
    for item in items:
        if isinstance(item, dict) and item.get("verb") in fw.dependency_calls:
            named = c.arg(item, fw.dependency_arg)
            if named is not None:
                out.append({"ctx": ctx.path, "scope": scope, "value": named})
    return out


def _assigned(c: Composer, ctx: FileCtx, scope: int, name: str,
              line: int) -> tuple[FileCtx, int, Any, int] | None:
    """Where and what a name was last assigned (followed through one import)."""
    head, _, rest = name.partition(".")
    b = c.ws.bind(ctx, scope, head, line)
    if b is None:
        return None
    if b.kind == "assign" and not rest:
        return b.ctx, b.scope, b.value, b.line
    if b.kind == "import":
        mod, member = b.value
        for target in c.ws.resolve_module(ctx, mod, member):
            attr = c.ws.attribute(target, member, rest)
            entries = target.assigns.get((-1, attr)) if attr else None
            if entries:
                at, value, _augment = max(entries, key=lambda e: e[0])
                return target, -1, value, at
    return None


def _of_function(c: Composer, fctx: FileCtx, fscope: int, fw: Framework) -> list[Ref]:
    """The dependencies a function's parameters name; ``Depends()`` names the type's."""
    out: list[Ref] = []
    for value, names in fctx.deps.get(fscope, ()):
        if value.get("verb") not in fw.dependency_calls:
            continue
        named = c.arg(value, fw.dependency_arg)
        for v in [named] if named is not None else [{"name": n} for n in names]:
            out.append({"ctx": fctx.path, "scope": fscope, "value": v})
    return out


class DependencyResolver:
    """Symbols of an endpoint's dependencies, in the order they are declared: the routers'
    and the route's lists, then the handler's parameters; each followed by its own."""

    def __init__(self, c: Composer, resolver: HandlerResolver) -> None:
        self.c = c
        self.resolver = resolver
        self._refs: dict[tuple[str, int, str], tuple[Symbol | None, list[Ref]]] = {}

    def resolve(self, framework: str, refs: list[Ref],
                handler: dict[str, Any] | None) -> list[Symbol]:
        fw = BY_NAME.get(framework)
        if fw is None or not fw.dependency_calls:
            return []
        todo = list(refs)
        function = self._handler_function(handler)
        if function is not None:
            todo += _of_function(self.c, function[0], function[1], fw)
        out: list[Symbol] = []
        seen: set[str] = set()
        stack = [(ref, 0) for ref in reversed(todo)]
        while stack and len(out) < MAX_DEPENDENCIES:
            ref, depth = stack.pop()
            sym, subs = self._ref(ref, fw)
            if sym is None or sym.id in seen:
                continue
            seen.add(sym.id)
            out.append(sym)
            if depth < MAX_DEPTH:
                stack.extend((sub, depth + 1) for sub in reversed(subs))
        return out

    def _ref(self, ref: Ref, fw: Framework) -> tuple[Symbol | None, list[Ref]]:
        """The symbol a reference names and the references of its own parameters."""
        key = (ref["ctx"], ref["scope"], repr(ref["value"]))
        found = self._refs.get(key)
        if found is None:
            found = None, []
            ctx = self.c.ws.file(ref["ctx"])
            if ctx is not None:
                value = ref["value"]
                sym = self.resolver.symbol_of(ctx, ref["scope"], value, fw)
                if sym is None and fw.call_method and isinstance(value, dict) and "name" in value:
                    # checker = Checker("x"); Depends(checker): the instance's __call__
                    sym = self.resolver.by_name(ctx, ref["scope"],
                                                f"{value['name']}.{fw.call_method}")
                target = self._scope_of(sym, fw) if sym is not None else None
                found = sym, _of_function(self.c, target[0], target[1], fw) if target else []
            self._refs[key] = found
        return found

    def _scope_of(self, sym: Symbol, fw: Framework) -> tuple[FileCtx, int] | None:
        """The function scope whose parameters are a dependency's own: the function's, a
        class's constructor's."""
        ctx = self.c.ws.file(sym.path)
        if ctx is None:
            return None
        if sym.kind == "class":
            entry = ctx.classes.get(sym.name)
            if entry is None or not fw.constructor:
                return None
            for span in ctx.scopes.values():
                if span[2] == fw.constructor and entry[1] <= span[0] < entry[2]:
                    return ctx, span[0]
            return None
        for span in ctx.scopes.values():  # in start order: the outermost of that name
            if span[2] == sym.name and sym.start_line <= span[4] <= sym.end_line:
                return ctx, span[0]
        return None

    def _handler_function(self, handler: dict[str, Any] | None) -> tuple[FileCtx, int] | None:
        """The file and scope of the function a route's handler is (decorated or named)."""
        if not handler:
            return None
        ctx = self.c.ws.file(handler.get("ctx", ""))
        if ctx is None:
            return None
        if "decorated" in handler:
            target = handler["decorated"]
            return (ctx, target["byte"]) if target.get("kind") == "function" else None
        return self.c._function_scope(ctx, handler.get("scope", -1), handler.get("value"))
