"""Turn tree-sitter expression nodes into small JSON values the engine can reason about.

Route declarations are calls whose arguments are strings, lists, keyword
arguments, names of functions, nested calls (``include("app.urls")``,
``UserView.as_view()``) or inline functions. :func:`value_of` converts such
an expression into a compact JSON value, driven by one table of node types
per language (:data:`codemap.endpoints.grammars.SYNTAX`), so the code never
branches on a language:

``{"str": [pieces]}``       a string; a piece is text, ``{"name": n}`` (an
                            interpolated name, resolved later) or ``None``
                            (a part that cannot be known statically)
``{"name": "a.b"}``         a name or dotted attribute chain
``{"call": obj, "verb": v, "args": [...], "kw": {...}, "line": n, "span": [a, b]}``
                            a call; ``obj`` is a value or None; ``"new": true``
                            for ``new X()``; ``span`` its start and end bytes
``{"list": [...]}``         a list, tuple, array or slice literal
``{"obj": {key: value}}``   an object / dict literal
``{"fn": start_byte, "line": a, "end": b, "name": n}``
                            an inline function (its scope is keyed by start byte)
``{"?": text}``             anything else (kept short, for messages)
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from codemap.endpoints.grammars import SYNTAX, Syntax
from codemap.lang.positions import end_line, start_line

__all__ = ["SYNTAX", "Syntax", "arguments", "call_value", "decorated_target", "params_of", "text",
           "value_of"]

MAX_DEPTH = 12  # nested literals deeper than this are not routes
MAX_ITEMS = 400  # list items kept per literal
MAX_TEXT = 300  # length of a kept string piece / name
_ARG_LISTS = frozenset({"argument_list", "arguments", "annotation_argument_list",
                        "formal_parameters"})
_CLASS_REF = re.compile(r"^(?:::)?([\w.\\:]+?)(?:::class)?$")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "/": "/", "0": "\0"}


def text(node: Any, limit: int = MAX_TEXT) -> str:
    raw = node.text
    if len(raw) > limit:
        raw = raw[:limit]
    return raw.decode("utf-8", "replace")


def _escape(node: Any, raw: bool) -> str:
    t = text(node)
    if raw or len(t) < 2 or t[0] != "\\":
        return t
    if len(t) == 2:
        return _ESCAPES.get(t[1], t[1])
    try:  # \x1b, \u00e9
        return codecs.decode(t, "unicode_escape")
    except (UnicodeDecodeError, ValueError):
        return t


def _string(node: Any, syn: Syntax) -> dict[str, Any]:
    raw = False
    if syn.raw_prefix:
        head = node.child(0)
        raw = head is not None and "r" in text(head, 8).lower()
    pieces: list[Any] = []
    has_text_child = False
    for child in node.children:
        if child.type in syn.string_text:
            has_text_child = True
            pieces.append(_escape(child, raw) if child.type == "escape_sequence" else text(child))
        elif child.type in syn.string_dynamic:
            inner = [c for c in child.named_children if c.type not in (
                "format_specifier", "type_conversion", "interpolation_brace",
                "interpolation_alignment_clause", "interpolation_format_clause")]
            if child.type in syn.names:  # PHP "x{$id}": the interpolation is the name itself
                pieces.append({"name": _name(child, syn)})
            elif len(inner) == 1 and inner[0].type in syn.names:
                pieces.append({"name": _name(inner[0], syn)})
            else:
                pieces.append(None)
    if not has_text_child and not pieces:
        body = text(node)
        # a literal without text children ("" or a grammar that keeps text inline)
        for quote in ('"""', "'''", '"', "'", "`"):
            start = body.find(quote)
            if start != -1 and body.endswith(quote) and len(body) >= start + 2 * len(quote):
                inner = body[start + len(quote): len(body) - len(quote)]
                return {"str": [inner] if inner else []}
        return {"str": []}
    return {"str": _merge(pieces)}


def _merge(pieces: list[Any]) -> list[Any]:
    out: list[Any] = []
    for p in pieces:
        if isinstance(p, str) and out and isinstance(out[-1], str):
            out[-1] += p
        elif p != "":
            out.append(p)
    return out


def _join(left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    """``a + b`` of two values: a string when either side is a string."""
    def pieces(v: dict[str, Any]) -> list[Any]:
        if "str" in v:
            return list(v["str"])
        if "name" in v:
            return [{"name": v["name"]}]
        return [None]

    return {"str": _merge(pieces(left) + pieces(right))}


def child(node: Any, spec: str) -> Any:
    """A child by spec: a field name, ``@N`` (the Nth named child) or ``@type`` (the first
    named child of that type); see :mod:`codemap.endpoints.grammars`."""
    if node is None or not spec:
        return None
    if spec[0] != "@":
        return node.child_by_field_name(spec)
    key = spec[1:]
    named = node.named_children
    if key.lstrip("-").isdigit():
        i = int(key)
        return named[i] if -len(named) <= i < len(named) else None
    return next((c for c in named if c.type == key), None)


def _name(node: Any, syn: Syntax) -> str:
    name = " ".join(text(node).split())
    if syn.path_sep:
        name = name.replace(syn.path_sep, ".")
    return name


def _class_ref(node: Any, syn: Syntax) -> dict[str, Any]:
    """``UserController::class``, ``typeof(UserController)``, ``::handler``: the name."""
    inner = node.child_by_field_name("type")
    raw = " ".join(text(inner if inner is not None else node).split())
    found = _CLASS_REF.match(raw)
    if found is None:
        return {"?": raw[:60]}
    name = found.group(1)
    return {"name": name.replace(syn.path_sep, ".") if syn.path_sep else name}


def _pair(node: Any, syn: Syntax) -> tuple[Any, Any] | None:
    """(key node, value node) of a keyword argument / pair, or None when it has no key."""
    spec = syn.pairs.get(node.type)
    if spec is None:
        return None
    key, value = child(node, spec[0]), child(node, spec[1])
    if key is None or value is None or key == value:
        return None
    return key, value


def _arrow_pair(node: Any) -> tuple[Any, Any] | None:
    """A list item ``key => value`` (PHP arrays), or None."""
    named = node.named_children
    if len(named) == 2 and any(c.type == "=>" for c in node.children):
        return named[0], named[1]
    return None


def _key_text(value: dict[str, Any]) -> str:
    return "".join(p for p in value.get("str", []) if isinstance(p, str)) or value.get("name", "")


def value_of(node: Any, syn: Syntax, depth: int = 0) -> dict[str, Any]:
    """The JSON value of an expression node (see the module docstring)."""
    if node is None:
        return {"?": ""}
    if depth > MAX_DEPTH:
        return {"?": text(node, 60)}
    t = node.type
    while t in syn.unwrap and node.named_child_count >= 1:
        if node.named_child_count != 1 and t != "unary_expression":
            break
        node = node.named_children[-1]
        t = node.type
    if t in syn.symbols:
        return {"str": [text(node).lstrip(":")]}
    if t in syn.strings:
        return _string(node, syn)
    if t in syn.class_refs:
        return _class_ref(node, syn)
    if t in syn.names:
        return {"name": _name(node, syn)}
    if t in syn.implicit_concat:
        out: dict[str, Any] = {"str": []}
        for c in node.named_children:
            out = _join(out, value_of(c, syn, depth + 1))
        return out
    if t in syn.concat:
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op is not None and text(op) == "+" and left is not None and right is not None:
            lv, rv = value_of(left, syn, depth + 1), value_of(right, syn, depth + 1)
            if "str" in lv or "str" in rv:
                return _join(lv, rv)
        return {"?": text(node, 60)}
    if t in syn.calls:
        if t in syn.bare_calls:
            bare = _bare_call(node, syn, depth)
            if bare is not None:
                return bare
        return call_value(node, syn, depth)
    if t in syn.lists:
        return _list(node, syn, depth)
    if t in syn.objects:
        obj: dict[str, Any] = {}
        for c in node.named_children:
            pair = _pair(c, syn)
            if pair is None:
                if c.type == "shorthand_property_identifier":
                    obj[text(c)] = {"name": text(c)}
                continue
            name = _key_text(value_of(pair[0], syn, depth + 1))
            if name:
                obj[name] = value_of(pair[1], syn, depth + 1)
        return {"obj": obj}
    if t in syn.functions:
        name = node.child_by_field_name("name")
        return {"fn": node.start_byte, "line": start_line(node), "end": end_line(node),
                "name": text(name) if name is not None else ""}
    return {"?": text(node, 60)}


def _list(node: Any, syn: Syntax, depth: int) -> dict[str, Any]:
    t = node.type
    items = []
    keyed: dict[str, Any] = {}
    for c in node.named_children:
        if c.type in ("comment", "type_identifier", "slice_type", "array_type"):
            continue
        if c.type in syn.lists and t in syn.list_wrappers:
            return value_of(c, syn, depth + 1)  # []string{...}: the literal_value
        pair = _arrow_pair(c) if c.type in syn.pair_items else None
        if pair is not None:  # ['prefix' => 'admin']: an array with keys is an object
            key = _key_text(value_of(pair[0], syn, depth + 1))
            if key:
                keyed[key] = value_of(pair[1], syn, depth + 1)
            continue
        items.append(value_of(c, syn, depth + 1))
        if len(items) >= MAX_ITEMS:
            break
    if t == "list_comprehension":
        return {"?": text(node, 60)}
    if keyed and not items:
        return {"obj": keyed}
    return {"list": items}


def is_bare_call(node: Any, syn: Syntax) -> bool:
    """A call without arguments or block (``a.b`` in Ruby reads an attribute)."""
    if node.type not in syn.bare_calls:
        return False
    args_spec = syn.calls[node.type][1]
    return child(node, args_spec) is None and not (
        node.type in syn.call_blocks and child(node, syn.call_blocks[node.type]) is not None)


def _bare_call(node: Any, syn: Syntax, depth: int) -> dict[str, Any] | None:
    """``Rails.application.routes``: a call without arguments or block on a name is a name."""
    if not is_bare_call(node, syn):
        return None
    func = child(node, syn.calls[node.type][0])
    for call_type, field in syn.call_objects:
        if node.type == call_type and func is not None:
            obj = node.child_by_field_name(field)
            if obj is None:
                return {"name": _name(func, syn)}
            value = value_of(obj, syn, depth + 1)
            if "name" in value:
                return {"name": f"{value['name']}.{_name(func, syn)}"}
    return None


def call_value(node: Any, syn: Syntax, depth: int = 0) -> dict[str, Any]:
    """A call node as ``{"call": object, "verb": name, "args": [...], "kw": {...}}``."""
    func_field, args_field = syn.calls[node.type]
    func = child(node, func_field)
    args_node = child(node, args_field)
    block_spec = syn.call_blocks.get(node.type)
    block = child(node, block_spec) if block_spec else None
    if (node.type in syn.curried and func is not None and func.type == node.type
            and args_node is None and block is not None):
        out = call_value(func, syn, depth)  # route("/x") { ... }: the block ends the inner call
        out["args"].append(value_of(block, syn, depth + 1))
        out["line"], out["span"] = start_line(node), [node.start_byte, node.end_byte]
        return out
    obj: dict[str, Any] | None = None
    verb = ""
    verb_node = None
    if func is not None:
        while func.type in syn.unwrap and func.named_child_count == 1:
            func = func.named_children[0]
        member = syn.members.get(func.type)
        if member is not None:
            o, p = child(func, member[0]), child(func, member[1])
            if o is not None and p is not None and o == p:
                o = None
            obj = value_of(o, syn, depth + 1) if o is not None else None
            verb = text(p) if p is not None else ""
            verb_node = p
        elif func.type in syn.names:
            verb = _name(func, syn)
            if "." in verb:  # a qualified name: org.x.GetMapping, pkg.Func
                head, _, verb = verb.rpartition(".")
                obj = {"name": head}
        else:
            obj = value_of(func, syn, depth + 1)  # require('./x')(app): the callee is a call
    for call_type, field in syn.call_objects:  # Java: object and name are separate fields
        if node.type == call_type:
            o = node.child_by_field_name(field)
            obj = value_of(o, syn, depth + 1) if o is not None else None
            verb_node = func if o is not None else None
    # a chained call a.b()\n.c() is declared where its verb is written
    out = {"call": obj, "verb": verb, "line": start_line(verb_node if verb_node is not None
                                                          else node),
           "span": [node.start_byte, node.end_byte]}
    if node.type in syn.news:
        out["new"] = True
    args, kw = arguments(args_node, syn, depth + 1)
    if block is not None:
        args.append(value_of(block, syn, depth + 1))
    out["args"] = args
    if kw:
        out["kw"] = kw
    return out


def arguments(node: Any, syn: Syntax, depth: int = 0) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Positional and keyword arguments of an argument-list node.

    A pair whose key is a string literal (Ruby ``get "x" => "c#a"``) gives its key as a
    positional argument and its value under the keyword ``"=>"``.
    """
    args: list[dict[str, Any]] = []
    kw: dict[str, Any] = {}
    if node is None:
        return args, kw
    if node.type in syn.token_args:
        return _token_arguments(node, syn, depth)
    if node.type not in _ARG_LISTS and node.type not in syn.arg_lists:
        return [value_of(node, syn, depth)], kw
    kwargs = syn.kwargs if syn.kwargs is not None else frozenset(syn.pairs) - {"pair"}
    for c in node.named_children:
        if c.type == "comment":
            continue
        pair = _pair(c, syn) if c.type in kwargs else None
        if pair is not None:
            key, value = pair
            if key.type in syn.strings:
                args.append(value_of(key, syn, depth))
                kw["=>"] = value_of(value, syn, depth)
            else:
                kw[text(key).lstrip(":")] = value_of(value, syn, depth)
            continue
        if c.type in ("list_splat", "dictionary_splat", "spread_element",
                      "variadic_argument", "splat_argument", "hash_splat_argument"):
            args.append({"?": text(c, 60)})
            continue
        args.append(value_of(c, syn, depth))
        if len(args) >= MAX_ITEMS:
            break
    return args, kw


def _token_arguments(node: Any, syn: Syntax,
                     depth: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A macro's token tree: ``("/x", method = "GET", method = "HEAD")``; a repeated
    keyword collects a list."""
    args: list[dict[str, Any]] = []
    kw: dict[str, Any] = {}
    tokens = [c for c in node.children if c.type not in ("(", ")", "[", "]", "{", "}", ",")]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (tok.type == "identifier" and i + 2 < len(tokens) and tokens[i + 1].type == "="):
            key, value = text(tok), value_of(tokens[i + 2], syn, depth)
            if key in kw:
                prev = kw[key]
                kw[key] = {"list": [*prev["list"], value]} if "list" in prev else {
                    "list": [prev, value]}
            else:
                kw[key] = value
            i += 3
            continue
        if tok.is_named:
            args.append(value_of(tok, syn, depth))
        i += 1
    return args, kw


def decorated_target(node: Any, syn: Syntax) -> Any:
    """The definition a decorator / annotation belongs to, or None."""
    sib = node.next_named_sibling
    while sib is not None and (sib.type in syn.decorators or sib.type.endswith("comment")):
        sib = sib.next_named_sibling
    if sib is not None and sib.type in syn.definitions:
        return sib
    wrapper = node.parent if node.parent is not None and node.parent.type in syn.detached else None
    while wrapper is not None and wrapper.parent is not None and wrapper.parent.type in syn.detached:
        wrapper = wrapper.parent
    if wrapper is not None:  # @A("/x") parsed as an expression: the definition follows it
        sib = wrapper.next_named_sibling
        return sib if sib is not None and sib.type in syn.definitions else None
    parent = node.parent
    for _ in range(3):
        if parent is None:
            return None
        if parent.type in syn.definitions:
            return parent
        for field in ("definition", "declaration"):
            child = parent.child_by_field_name(field)
            if child is not None and child.type in syn.definitions:
                return child
        parent = parent.parent
    return None


def detached_arguments(node: Any, syn: Syntax) -> list[dict[str, Any]] | None:
    """The arguments of an annotation the grammar detached from them (see ``detached``)."""
    parent = node.parent
    if parent is None or parent.type not in syn.detached:
        return None
    sib = node.next_named_sibling
    if sib is None or sib.type != syn.detached[parent.type]:
        return None
    return [value_of(c, syn) for c in sib.named_children]


def params_of(node: Any) -> list[list[str]]:
    """``[[name, type text], ...]`` for a parameter list (or a single parameter)."""
    if node is None:
        return []
    items = [node] if node.type == "identifier" else list(node.named_children)
    out: list[list[str]] = []
    for child in items:
        if child.type == "comment":
            continue
        names: list[str] = []
        if child.type == "identifier":
            names = [text(child)]
        else:
            for field in ("name", "pattern"):
                found = child.child_by_field_name(field)
                if found is not None:
                    names = [text(found)]
                    break
            if not names:
                # Go: `a, b int` holds several names; Python: typed / default params
                names = [text(c) for c in child.named_children if c.type == "identifier"][:1]
        tnode = child.child_by_field_name("type")
        if tnode is None and child.named_child_count >= 2 and \
                child.named_children[-1].type.endswith("type"):
            tnode = child.named_children[-1]  # Kotlin `client: HttpClient`
        type_text = " ".join(text(tnode).split()) if tnode is not None else ""
        for name in names or ["?"]:
            out.append([name, type_text.lstrip(":").strip()])
    return out
