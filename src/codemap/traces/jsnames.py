"""How JavaScript engines name functions in stack frames, for the name check.

V8 prints ``Class.method``, ``Object.<anonymous>`` (CommonJS top level),
``new Class``, ``async fn``, ``fn [as alias]``; Firefox and Safari print
``fn``, ``Class.prototype.method``, ``fn/<`` (inner anonymous), ``global
code``. Shared by :mod:`codemap.traces.javascript` and
:mod:`codemap.traces.firefox`.
"""

from __future__ import annotations

import re

from codemap.traces.base import NameCheck

_ALIAS = re.compile(r"\s*\[as [^\]]*\]\s*$")
_TOP_LEVEL = {"Object.<anonymous>", "<anonymous>", "global code", "module code", "eval code",
              "<main>", "Module.<anonymous>"}


def names(printed: str) -> NameCheck | None:
    text = _ALIAS.sub("", printed.strip())
    if text.startswith("async "):
        text = text[6:]
    if text.startswith("async*"):
        text = text[6:]
    if text in _TOP_LEVEL:
        return NameCheck(kinds=("module",))
    if text.startswith("new "):
        cls = text[4:].rsplit(".", 1)[-1]
        return NameCheck(names=(cls, "constructor"), kinds=("class",))
    text = text.split("/<", 1)[0].replace(".prototype.", ".")
    text = re.sub(r"(^|\.)(?:get|set) ", r"\1", text)  # "Repo.get size" -> "Repo.size"
    last = text.rsplit(".", 1)[-1]
    if not last or last.startswith("<") or not re.match(r"^[\w$#]+$", last):
        return None
    if last == "constructor":
        return NameCheck(names=("constructor",), kinds=("class",))
    return NameCheck(names=(last, last.lstrip("#")), qualname_suffixes=(text,))
