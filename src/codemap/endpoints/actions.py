"""Controller actions: handlers named as a controller and an action, found in the index.

Rails names a handler ``"admin/users#show"`` (or ``controller:`` / ``action:``
inside a ``namespace``), which is the method ``show`` of the class
``Admin::UsersController``; Laravel names one ``'UserController@show'`` or
``[UserController::class, 'show']``, a method of a PHP class whose
namespace comes from a ``use`` or from a ``namespace()`` group. The class is
looked up in the index by its qualified name (compared with every
language's separators read as ``.``), then the method among its direct
members. Nothing found is ``None``: the route is listed with an unknown
handler (Rails actions may have no method at all: implicit rendering).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from codemap.endpoints.inflections import camelize
from codemap.endpoints.rules import Framework
from codemap.endpoints.scopes import text_of

if TYPE_CHECKING:
    from codemap.endpoints.handlers import HandlerResolver
    from codemap.endpoints.linker import FileCtx
    from codemap.model import Symbol

_SEPARATORS = re.compile(r"::|->|\\|#|:|/")


def normalized(qualname: str) -> str:
    """``App\\Http\\C->m``, ``Admin::C#m``, ``crate::a::f`` -> dotted: ``App.Http.C.m``."""
    return _SEPARATORS.sub(".", qualname).strip(".")


def split_action(fw: Framework, handler: dict[str, Any]) -> tuple[str, str] | None:
    """(controller, action) a route names, or None when it names a handler otherwise."""
    value = handler.get("value")
    context = handler.get("context", {})
    controller, action = handler.get("controller", ""), handler.get("action", "")
    if isinstance(value, dict) and "str" in value and fw.action_sep:
        text = text_of(value)
        if fw.action_sep in text:
            controller, _, action = text.partition(fw.action_sep)
        elif text and context.get("controller"):
            action = text  # Laravel Route::controller(C::class)->group(): Route::get('/', 'show')
    elif isinstance(value, dict) and "list" in value and len(value["list"]) == 2:
        cls, method = value["list"]  # [UserController::class, 'show']
        if "name" in cls and "str" in method:
            controller, action = cls["name"], text_of(method)
    if not action:
        return None
    return controller or context.get("controller", ""), action


def class_names(fw: Framework, ctx: FileCtx | None, controller: str,
                module: list[str]) -> list[str]:
    """The qualified class names (dotted) a controller reference may denote, best first."""
    if fw.controller_style == "rails":
        path = controller.lstrip("/") if controller.startswith("/") else "/".join(
            [*module, controller])
        return [normalized(camelize(path) + "Controller")]
    name = normalized(controller)
    out = []
    if ctx is not None:  # use App\Http\Controllers\UserController;
        head = name.split(".")[0]
        for (_scope, local), entries in ctx.imports.items():
            if local == head:
                out.extend(normalized(mod) + name[len(head):] for mod, _m, _l in entries)
    if module:
        out.append(".".join([*(normalized(m) for m in module), name]))
    out.append(name)
    return out


def find_action(resolver: HandlerResolver, fw: Framework, ctx: FileCtx | None,
                controller: str, action: str, module: list[str]) -> Symbol | None:
    """The method ``action`` of the class ``controller`` names, or None."""
    for name in class_names(fw, ctx, controller, module):
        for cls in find_classes(resolver, name, ctx.lang if ctx else ""):
            found = resolver.members(cls).get(action)
            if found is not None:
                return found
    return None


def find_classes(resolver: HandlerResolver, dotted: str, lang: str) -> list[Symbol]:
    """Classes whose qualified name is ``dotted`` or ends with it (segment-aligned)."""
    last = dotted.rsplit(".", 1)[-1]
    found = [s for s in resolver.named(last) if s.kind == "class"
             and (not lang or s.language == lang)]
    exact = [s for s in found if normalized(s.qualname) == dotted]
    if exact:
        return exact
    return [s for s in found if ("." + normalized(s.qualname)).endswith("." + dotted)]
