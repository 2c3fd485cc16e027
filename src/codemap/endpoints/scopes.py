"""Scopes of block-structured routing DSLs: a router, a path prefix and a handler context.

Rails (``namespace :admin do ... end``), Ktor (``route("/api") { ... }``)
and Laravel (``Route::prefix('admin')->group(function () { ... })``) do not
make child routers: declarations inside a block register on the *same*
route table, in declaration order, under the block's prefix and with its
controller namespace / controller. A :class:`ScopeRef` is that place: what
a ``scope`` rule evaluates to, what the calls in its block see as their
implicit receiver (or as the framework facade ``Route::``), and what
``resources`` and routes register on. Its ``context`` carries:

``module``      controller namespace segments (``["admin"]``)
``controller``  the controller declarations without one use
``resource``    the enclosing resource's ``collection`` / ``member`` /
                ``nested`` parts (for ``member do``, ``on: :member``)
``level``       the resource kind whose block this is ("plural", "singular"),
                or the part opened ("member", ...), or ""

Blocks are keyed by ``(file, start byte of the block)`` in
``Composer.blocks``; a router reached by any other means is the scope
``ScopeRef(router, [], {})``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from codemap.endpoints.rules import Framework, Rule

if TYPE_CHECKING:
    from codemap.endpoints.linker import FileCtx
    from codemap.endpoints.routers import Composer, Part, Router


@dataclass
class ScopeRef:
    router: Router
    parts: list[Part] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def framework(self) -> str | None:
        return self.router.framework


def text_of(value: Any) -> str:
    """The literal text of a string or the dotted text of a name ("" otherwise)."""
    if not isinstance(value, dict):
        return ""
    if "str" in value:
        return "".join(p for p in value["str"] if isinstance(p, str))
    return str(value.get("name", ""))


def descend(fw: Framework, scope: ScopeRef, on: str = "") -> ScopeRef:
    """The part of the enclosing resource a declaration goes to: ``on`` when given
    (``member``, ``collection``, ``new``, ``nested``), else the framework's default for
    a declaration made directly in a resource's block (Rails: nested / member)."""
    level = scope.context.get("level", "")
    resource = scope.context.get("resource")
    part = on or fw.implicit_on.get(level, "")
    if not part or not resource:
        return scope
    if part == "new":
        parts = join_parts(resource["collection"], [("/new", "lit")], fw.join)
    else:
        parts = list(resource.get(part, resource["collection"]))
    return ScopeRef(scope.router, parts, {**scope.context, "level": part})


def open_scope(c: Composer, ctx: FileCtx, scope: int, call: dict[str, Any], fw: Framework,
               rule: Rule, parent: ScopeRef) -> ScopeRef:
    """The scope a ``scope`` rule opens under ``parent`` (and registers for its block)."""
    base = descend(fw, parent, rule.on)
    parts = list(base.parts)
    context = dict(base.context)
    if not rule.on and context.get("level") in fw.implicit_on:
        context["level"] = ""
    value = c.arg(call, rule.path)
    if isinstance(value, dict) and ("str" in value or "name" in value):
        found = c.string_parts(ctx, scope, value, fw.syntax)
        if found:
            parts = join_parts(parts, found, fw.join)
    module = text_of(c.arg(call, rule.module))
    if module:
        context["module"] = [*context.get("module", []), *module.replace(".", "/").split("/")]
    controller = text_of(c.arg(call, rule.controller))
    if controller:
        context["controller"] = controller
    out = ScopeRef(base.router, parts, context)
    register_block(c, ctx, call, rule, out)
    return out


def register_block(c: Composer, ctx: FileCtx, call: dict[str, Any], rule: Rule,
                   target: ScopeRef) -> None:
    """Calls inside the rule's block argument register on ``target``."""
    block = c.arg(call, rule.block)
    if isinstance(block, dict) and "fn" in block:
        c.blocks[(ctx.path, block["fn"])] = target


def receiver(c: Composer, ctx: FileCtx, scope: int) -> ScopeRef | None:
    """The implicit receiver at ``scope``: the innermost enclosing registered block, or
    an extension function's ``this`` parameter typed as a router (Ktor ``fun Route.x()``)."""
    for s in ctx.chain(scope):
        found = c.blocks.get((ctx.path, s))
        if found is not None:
            return found
        span = ctx.scopes.get(s)
        if span is not None and span[3] and span[3][0][0] == "this":
            fw = c._framework_of_type(ctx, span[3][0][1])
            if fw is not None:
                r, _ = c._router(("param", ctx.path, s, 0), fw, ctx.path, span[4], "param")
                return ScopeRef(r)
    return None


def file_scope(c: Composer, ctx: FileCtx, fw: Framework) -> ScopeRef:
    """A facade used outside any block: the framework's default router, under the prefix
    the framework serves this route file at (Laravel ``routes/api.php``: ``/api``)."""
    root, _ = c._router(("default", fw.name), fw.name, ctx.path, 0, "default")
    for pattern, prefix in fw.file_prefixes.items():
        if ctx.path == pattern or ctx.path.endswith("/" + pattern):
            return ScopeRef(root, [(prefix, "lit")])
    return ScopeRef(root)


def join_parts(a: list[Part], b: list[Part], mode: str) -> list[Part]:
    """Compose prefix parts ``a`` and route parts ``b`` the way a framework does.

    ``concat`` (Django, FastAPI, Starlette, Echo, net/http): plain concatenation.
    ``slash``: exactly one slash between the two; a route of ``""`` or ``"/"``
    is the prefix itself (Express, Koa, Spring, Nest, gin, chi).
    ``flask``: ``prefix.rstrip('/') + '/' + rule.lstrip('/')``; an empty rule
    is the prefix itself.
    """
    if not a or not b or mode == "concat":
        return [*a, *b]
    last, first = a[-1][0], b[0][0]
    if not first.strip("/") and len(b) == 1 and (mode == "slash" or not first):
        return [*a[:-1], (last.rstrip("/") if mode == "slash" and first else last, a[-1][1])] \
            if mode == "slash" and last.rstrip("/") else list(a)
    return [*a[:-1], (last.rstrip("/"), a[-1][1]), ("/" + first.lstrip("/"), b[0][1]), *b[1:]]
