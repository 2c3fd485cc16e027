"""Values flowing through names: type facts, call results, aliases, decorators.

A mixin of :class:`~codemap.index.program.Program`, plus the text helpers
that split receiver chains and reduce type annotations to class names.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from codemap.index.program import Value

EXTERNAL: tuple[str] = ("x",)  # a value from outside the repository
CALLABLE_KINDS = frozenset(("function", "method", "lambda"))
MAX_CHAIN = 12  # receiver chains longer than this are not followed
GENERIC = re.compile(r"<[^<>]*>")
SIMPLE_CHAIN = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")


def split_chain(text: str) -> list[str] | None:
    """``a.b(c).d`` -> ``["a", "b(c)", "d"]``; None for texts that are not simple chains."""
    if SIMPLE_CHAIN.match(text):
        parts = text.split(".")
        return parts if len(parts) <= MAX_CHAIN else None
    parts = []
    depth = 0
    start = 0
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "." and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    if depth != 0 or any(not p for p in parts) or len(parts) > MAX_CHAIN:
        return None
    return parts


def clean_type(text: str, wrappers: tuple[str, ...]) -> str:
    """A type annotation reduced to the dotted name of the class that matters."""
    t = text.strip().strip("'\"").strip()
    t = t.lstrip("*&").strip()
    if t.endswith("[]") or t.startswith("[]"):
        return ""
    for _ in range(4):
        bracket = t.find("[")
        angle = t.find("<")
        if bracket == -1 and angle == -1:
            break
        cut = min(i for i in (bracket, angle) if i != -1)
        head = t[:cut].strip()
        if head in wrappers:
            inner = t[cut + 1:].rstrip("]>").strip()
            t = inner.split(",")[0].strip().strip("'\"").lstrip("*&").strip()
        else:
            t = head
    if "|" in t:
        options = [o.strip() for o in t.split("|") if o.strip() not in ("None", "null", "undefined")]
        t = options[0] if options else ""
    return t if re.fullmatch(r"[\w$.]+", t or "") else ""


class ValueFlow:
    """Type facts and what calling a value yields (mixed into Program)."""

    # ---- expressions and types -----------------------------------------------------------
    def type_value(self, scope: int, text: str) -> Value:
        """The value a type fact describes: an instance of the class it names."""
        key = (scope, text)
        memo = self._type_memo
        if key in memo:
            return memo[key]
        memo[key] = None
        if text.startswith("="):  # an alias: the value of another name
            target = text[1:].strip()
            value = self.eval_dotted(scope, target) if SIMPLE_CHAIN.match(target) else None
        else:
            name = clean_type(text, self.rules(scope).type_wrappers)
            value = self.instance_of(self.eval_dotted(scope, name) if name else None)
        memo[key] = value
        return value

    def instance_of(self, value: Value) -> Value:
        """What calling/annotating with ``value`` yields: an instance of a class."""
        if value is None or value[0] != "s":
            # what an outside function returns, or an outside class makes, is unknown: it may
            # well be an object of the repository (a callback's argument, a container's item)
            return value if value is not None and value[0] == "i" else None
        sid = value[1][0]
        kind = self.kind.get(sid)
        if kind == "class":
            return ("i", sid)
        if kind == "module":  # a CommonJS module whose exports is a class or a function
            for export in self.rules(sid).default_exports:
                held = self.local(sid, export)
                if held is not None and held != value and held[0] == "s" \
                        and self.kind.get(held[1][0]) != "module":
                    return self.instance_of(held)
            return None
        if kind in CALLABLE_KINDS:
            returned = self.returns.get(sid)
            if returned is not None:  # a nested function it returns (a wrapper, a closure)
                inner = self.children.get(sid, {}).get(returned)
                if inner and self.kind.get(inner[0]) in CALLABLE_KINDS:
                    return ("s", tuple(inner))
            sig = self.signature.get(sid)
            if sig and sig[0]:
                scope = self.parent.get(sid) or sid
                return self.type_value(scope, sig[0])
        return None

    def decorated(self, sid: int) -> list[Value]:
        """What the decorators of ``sid`` turn it into, innermost decorator first."""
        memo = self._decorated_memo.get(sid)
        if memo is not None:
            return memo
        self._decorated_memo[sid] = []
        scope = self.parent.get(sid)
        texts = self.decorators.get((scope, self.name[sid])) if scope is not None else None
        out: list[Value] = []
        for text in reversed(texts or ()):
            head = text.partition("(")[0].strip() if text.endswith(")") else text
            if not SIMPLE_CHAIN.match(head):
                continue
            deco = self.eval_dotted(scope, head)
            if text.endswith(")"):  # @deco(args): what deco(args) returns is the decorator
                deco = self.instance_of(deco)
            if deco is None or deco[0] != "s":
                continue
            out.append(self.instance_of(deco))  # applying it: a wrapper, or an instance
        self._decorated_memo[sid] = out
        return out

    def runs_instead(self, sid: int) -> list[int]:
        """What really runs when the decorated callable ``sid`` is called: the wrappers its
        decorators return, or ``__call__`` of the object a class decorator makes."""
        out: list[int] = []
        rules = self.rules(sid)
        for value in self.decorated(sid):
            if value is None:
                continue
            if value[0] == "i":
                found = self.class_member(value[1], rules.call_method) if rules.call_method \
                    else None
                value = found if found and found[0] == "s" else None
            if value and value[0] == "s":
                out.extend(i for i in value[1] if self.kind.get(i) in CALLABLE_KINDS and i != sid)
        return out

    def getter_instead(self, sid: int) -> list[int]:
        """What runs when a method turned into a descriptor object is read: its ``__get__``."""
        method = self.rules(sid).descriptor_get
        out: list[int] = []
        if not method:
            return out
        for value in self.decorated(sid):
            if value is not None and value[0] == "i":
                found = self.class_member(value[1], method)
                if found and found[0] == "s":
                    out.extend(i for i in found[1] if self.kind.get(i) in CALLABLE_KINDS)
        return out

    def eval_dotted(self, scope: int, text: str) -> Value:
        parts = text.split(".")
        value = self.lookup(scope, parts[0])
        for part in parts[1:]:
            if value is None or value == EXTERNAL:
                break
            value = self.member(value, part)
        return value
