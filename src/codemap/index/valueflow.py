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
LIKELY = "likely"  # third part of a value inferred from elsewhere (call sites): not exact
PASSED_SITES = 300  # call sites of one name read to learn what a parameter receives
PASSED_TARGETS = 24  # callables one parameter may receive before it counts as unknown
_KEYWORD = re.compile(r"^([A-Za-z_]\w*)\s*=(?!=)\s*(.*)$", re.DOTALL)
CALLABLE_KINDS = frozenset(("function", "method", "lambda"))
MAX_CHAIN = 12  # receiver chains longer than this are not followed
GENERIC = re.compile(r"<[^<>]*>")
_BRACKET = re.compile(r"[()\[\]{}]")
_ARG_MARKS = re.compile(r"[,()\[\]{}]")
_CHAIN_MARKS = re.compile(r"[.'\"`()\[\]{}]")
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
    for m in _CHAIN_MARKS.finditer(text):  # only the characters that matter, not every one
        i, ch = m.start(), m.group()
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


def split_args(text: str) -> list[str]:
    """``(a, b=f(x, y), *c)`` -> ``["a", "b=f(x, y)", "*c"]`` (top-level commas only)."""
    inner = text.strip()
    if inner.startswith("("):
        inner = inner[1:]
    if inner.endswith(")"):
        inner = inner[:-1]
    if not _BRACKET.search(inner):  # no nesting (most parameter lists): commas split it
        *out, last = inner.split(",")
        out = [t.strip() for t in out]
        last = last.strip()
        if last:
            out.append(last)
        return out
    out = []
    depth = 0
    start = 0
    for m in _ARG_MARKS.finditer(inner):
        i, ch = m.start(), m.group()
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(inner[start:i].strip())
            start = i + 1
    last = inner[start:].strip()
    if last:
        out.append(last)
    return out


def passed_where(args: str, arg: str) -> tuple[int, str]:
    """Where the argument list ``args`` passes ``arg``: (position, "") or (-1, keyword);
    (-1, "") when neither is known (after ``*xs``, or not found)."""
    index = 0
    for token in split_args(args):
        keyword = _KEYWORD.match(token)
        if keyword:
            if keyword.group(2).strip() == arg:
                return -1, keyword.group(1)
            continue
        if token.startswith("*"):
            break  # positions after an unpacked sequence are unknown
        if token == arg:
            return index, ""
        index += 1
    return -1, ""


def clean_type(text: str, wrappers: tuple[str, ...]) -> str:
    """A type annotation reduced to the dotted name of the class that matters."""
    t = text.strip().strip("'\"").strip()
    t = t.lstrip("*&").strip()
    if t.startswith("[]") and "[]" in wrappers:  # a slice stands for its elements (Go)
        t = t[2:].lstrip("*&").strip()
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
                if returned in self.rules(sid).self_names and kind == "method":
                    cls = self.enclosing_class(sid)  # ``return self``: its own instance
                    if cls is not None:
                        return ("i", cls)
            sig = self.signature.get(sid)
            if sig and sig[0]:
                # (read where the callable stands; in its own scope when it declares type
                # parameters: ``<T> T get()`` returns a T, nobody's class)
                scope = sid if sid in self.type_params else (self.parent.get(sid) or sid)
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
            if deco is not None and deco[0] == "i":  # an object: applying it runs __call__
                method = self.rules(sid).call_method
                deco = self.class_member(deco[1], method) if method else None
                if deco is None or deco[0] != "s":
                    continue
                out.append(self.instance_of(deco))  # what __call__ returns (often itself)
                continue
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
                if value and all(self.returns.get(i) in rules.self_names for i in value[1]):
                    value = None  # a __call__ returning its object applies it, never forwards
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

    # ---- parameters: what the call sites pass ---------------------------------------------
    def param_value(self, sid: int, name: str) -> Value:
        """What parameter ``name`` of callable ``sid`` receives: the callables and classes
        the repository's calls of ``sid`` pass for it (by position or keyword), as a value
        tagged ``likely`` (an outside caller may pass anything); None when it is not a
        parameter, nothing known is passed, or too many different things are."""
        key = (sid, name)
        memo = self._param_memo
        if key in memo:
            return memo[key]
        memo[key] = None  # cycle guard: f(g) inside g's own body
        value = self._param_value(sid, name)
        memo[key] = value
        return value

    def param_names(self, sid: int) -> tuple[str, ...]:
        """The parameter names of a callable whose parameter list is known (else empty)."""
        names = self._param_names.get(sid)
        if names is None:
            text = self.params.get(sid)
            names = self._param_names[sid] = tuple(
                t.split("=", 1)[0].split(":", 1)[0].strip() for t in split_args(text)
            ) if text else ()
        return names

    def _param_value(self, sid: int, name: str) -> Value:
        names = self.param_names(sid)
        if name not in names:
            return None
        index = names.index(name)
        parent = self.parent.get(sid)
        own = self.name[sid]
        rules = self.rules(sid)
        callees = [own]
        if self.kind.get(sid) == "method" and not any(
                "staticmethod" in d for d in self.decorators.get((parent, own), ())):
            index -= 1  # self / cls is bound by the call
            if own in rules.constructors and parent is not None:
                callees.append(self.name[parent])  # Foo(...) runs Foo.__init__
        if index < 0:
            return None
        found: list[Value] = []
        for callee in callees:
            for scope, called, position, keyword, arg in self._sites(callee):
                if position == index or keyword == name:
                    value = self._passed_value(scope, arg)
                    if value is None:
                        continue
                    target = self._called(scope, called)
                    if target is not None and target[0] == "s" and (
                            sid in target[1] or (callee != own and parent in target[1])):
                        found.append(value)
        value = self.merged(found)
        if value is None or value[0] != "s" or len(value[1]) > PASSED_TARGETS:
            return None
        return ("s", value[1], LIKELY)

    def _sites(self, callee: str) -> list[tuple[int, str, int, str, str]]:
        """Names passed to calls of ``callee``: (scope, called text, position, keyword,
        argument), each argument list read once; none for names called too often."""
        sites = self._passed_sites.get(callee)
        if sites is None:
            sites = []
            for scope, called, args, arg in self.passed_rows(callee, PASSED_SITES):
                if SIMPLE_CHAIN.match(arg):
                    position, keyword = passed_where(args, arg)
                    if position >= 0 or keyword:
                        sites.append((scope, called, position, keyword, arg))
            self._passed_sites[callee] = sites
        return sites

    def _called(self, scope: int, called: str) -> Value:
        """What a called text names in ``scope``: ``f``, ``self.m``, ``mod.f``, ``super().m``."""
        key = (scope, called)
        memo = self._called_memo
        if key in memo:
            return memo[key]
        memo[key] = None
        value = None
        if SIMPLE_CHAIN.match(called):
            value = self.eval_dotted(scope, called)
        else:
            head, _, method = called.rpartition(".")
            if head.replace(" ", "") == "super()" and SIMPLE_CHAIN.match(method):
                cls = self.enclosing_class(scope)
                if cls is not None:
                    value = self.class_member(cls, method, after=cls)
        memo[key] = value
        return value

    def _passed_value(self, scope: int, arg: str) -> Value:
        """A passed argument when it is a callable or a class (instances are not followed).

        One step only: an argument that is itself a parameter is not followed to its own
        call sites (the cost would grow with the depth of every call chain)."""
        head = arg.partition(".")[0]
        if head in self.param_names(scope) and not self.binds(scope).get(head) \
                and head not in self.rules(scope).self_names:  # self.m: known without callers
            return None
        value = self.eval_dotted(scope, arg)
        if value is not None and value[0] == "s" and (
                self.kind.get(value[1][0]) in CALLABLE_KINDS
                or self.kind.get(value[1][0]) == "class"):
            return value
        return None

    def eval_dotted(self, scope: int, text: str) -> Value:
        parts = text.split(".")
        value = self.lookup(scope, parts[0])
        for part in parts[1:]:
            if value is None or value == EXTERNAL:
                break
            value = self.member(value, part)
        return value
