"""How JavaScript engines name functions in stack frames, for the name check.

V8 prints ``Class.method``, ``Object.<anonymous>`` (CommonJS top level),
``new Class``, ``async fn``, ``fn [as alias]``; Firefox and Safari print
``fn``, ``Class.prototype.method``, ``fn/<`` (inner anonymous), ``global
code``. V8's ``Recv.<anonymous>`` is an anonymous function called as a method
of ``Recv`` (``Object.<anonymous>`` is also CommonJS top-level code), and
Node names a callback it keeps in a slot of its own objects after the slot
(``Timeout._onTimeout``): neither says which function ran, so the innermost
symbol at the line stands. Shared by :mod:`codemap.traces.javascript` and
:mod:`codemap.traces.firefox`.
"""

from __future__ import annotations

import re

from codemap.traces.base import NameCheck

_ALIAS = re.compile(r"\s*\[as (?P<alias>[^\]]*)\]\s*$")
_TOP_LEVEL = {"global code", "module code", "eval code", "<main>"}
# "fn (<anonymous>)", "Object.<anonymous>", "RouterImplementation.<anonymous>"
_ANONYMOUS = re.compile(r"^(?:[\w$.]+\.)?<anonymous>$")
# Node's host objects that hold a user callback in a slot V8 names the frame after:
# setTimeout / setInterval, setImmediate, fs.readFile
_CALLBACK_SLOTS = {"Timeout._onTimeout", "Immediate._onImmediate", "ReadFileContext.callback"}


def names(printed: str) -> NameCheck | None:
    am = _ALIAS.search(printed.strip())
    # "Object.listItems [as handler]": called through the property the symbol is named by
    alias = (am.group("alias"),) if am else ()
    text = _ALIAS.sub("", printed.strip())
    if text.startswith("async "):
        text = text[6:]
    if text.startswith("async*"):
        text = text[6:]
    if text in _TOP_LEVEL:
        return NameCheck(kinds=("module",))
    if _ANONYMOUS.match(text) or text in _CALLBACK_SLOTS:
        return None
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
    return NameCheck(names=(last, last.lstrip("#"), *alias), qualname_suffixes=(text,))
