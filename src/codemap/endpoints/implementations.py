"""The classes that run a method declared on an interface or base class (JAX-RS).

JAX-RS lets a resource's annotations live on an interface (often shared with a
generated client) while a plain class implements it, frequently in a file that
imports nothing of JAX-RS and so declares no route of its own. The route
declared on ``OrdersApi.get`` is then served by ``OrdersResource.get``. The
implementing classes are asked of the index (the ``bases`` it records for
every class, :meth:`codemap.index.store.IndexReader.derived_classes`), following
subclasses a few levels down; each one declaring a method of the same name is
a candidate. Which of several candidates runs is a deployment choice (CDI
alternatives, build properties) that cannot be read statically: every one is
listed, marked ``implementation`` in the endpoint's ``unknown`` list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codemap.model import Symbol

if TYPE_CHECKING:
    from codemap.endpoints.handlers import HandlerResolver
    from codemap.endpoints.linker import FileCtx

MAX_LEVELS = 4  # interface -> abstract base -> implementation -> its subclass


def implementations(resolver: HandlerResolver, ctx: FileCtx, target: dict[str, Any],
                    method: Symbol, languages: tuple[str, ...]) -> list[Symbol]:
    """The methods named like ``method`` in classes implementing / extending the class
    that declares it (``target["class"]`` of ``ctx``) in one of ``languages`` (the
    framework's), nearest level first; empty when none does. A lookup that finds some
    reads the whole index's hierarchy: the answer then recomposes on any change
    (:mod:`codemap.endpoints.freshness`)."""
    cls = next((k for k in ctx.facts.get("classes", ()) if k[1] == target.get("class")), None)
    if cls is None or not cls[0]:
        return []
    found: list[Symbol] = []
    seen: set[str] = {cls[0]}
    level = [cls[0]]
    for _ in range(MAX_LEVELS):
        below: list[str] = []
        for name in level:
            for sub in resolver.subclasses(name):
                if sub.name in seen or sub.language not in languages:
                    continue
                seen.add(sub.name)
                below.append(sub.name)
                member = resolver.members(sub).get(method.name)
                if member is not None and member.id != method.id:
                    found.append(member)
        if not below:
            break
        level = below
    return found
