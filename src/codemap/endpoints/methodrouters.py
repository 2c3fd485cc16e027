"""Method routers: handler arguments that also say which HTTP methods they serve.

axum routes a path to a *method router*, ``get(list).post(create)``; actix
routes one to ``web::get().to(show)`` (a method guard, then the handler).
:func:`method_handlers` reads such an expression, driven by the framework's
``method_verbs`` (``get`` -> ``GET``, ``any`` -> every method) and
``handler_verbs`` (``to``: its argument is the handler), into ``(method,
handler value)`` pairs. Calls it does not know (``.layer(...)``,
``.guard(...)``) are looked through.
"""

from __future__ import annotations

from typing import Any

from codemap.endpoints.rules import ANY, Framework

MAX_DEPTH = 16


def method_handlers(fw: Framework, value: Any, depth: int = 0) -> list[tuple[str, Any]] | None:
    """``[(method, handler value), ...]`` in declaration order, or None when ``value``
    is not a method router."""
    if not isinstance(value, dict) or "verb" not in value or depth > MAX_DEPTH:
        return None
    verb = value.get("verb", "")
    obj = value.get("call")
    args = value.get("args", [])
    inner = method_handlers(fw, obj, depth + 1) if isinstance(obj, dict) else None
    if verb in fw.handler_verbs and args:  # web::get().to(h): the guards before .to() say
        methods = _guards(fw, obj)
        return [(m, args[0]) for m in (methods or [ANY])]
    if verb in fw.method_verbs and args:  # get(h).post(h2)
        return [*(inner or []), (fw.method_verbs[verb], args[0])]
    return inner


def _guards(fw: Framework, value: Any) -> list[str]:
    """The methods named by the calls a ``.to(h)`` is chained on (``web::get()``)."""
    out: list[str] = []
    depth = 0
    while isinstance(value, dict) and "verb" in value and depth < MAX_DEPTH:
        method = fw.method_verbs.get(value.get("verb", ""))
        if method and not value.get("args") and method != ANY:
            out.insert(0, method)
        value = value.get("call")
        depth += 1
    return out
