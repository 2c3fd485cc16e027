"""Turn tree-sitter expression nodes into small JSON values the engine can reason about.

Route declarations are calls whose arguments are strings, lists, keyword
arguments, names of functions, nested calls (``include("app.urls")``,
``UserView.as_view()``) or inline functions. :func:`value_of` converts such
an expression into a compact JSON value, driven by one table of node types
per language (:data:`SYNTAX`), so the code never branches on a language:

``{"str": [pieces]}``       a string; a piece is text, ``{"name": n}`` (an
                            interpolated name, resolved later) or ``None``
                            (a part that cannot be known statically)
``{"name": "a.b"}``         a name or dotted attribute chain
``{"call": obj, "verb": v, "args": [...], "kw": {...}, "line": n}``
                            a call; ``obj`` is a value or None; ``"new": true``
                            for ``new X()``
``{"list": [...]}``         a list, tuple, array or slice literal
``{"obj": {key: value}}``   an object / dict literal
``{"fn": start_byte, "line": a, "end": b, "name": n}``
                            an inline function (its scope is keyed by start byte)
``{"?": text}``             anything else (kept short, for messages)
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Any

from codemap.lang.positions import end_line, start_line

MAX_DEPTH = 12  # nested literals deeper than this are not routes
MAX_ITEMS = 400  # list items kept per literal
MAX_TEXT = 300  # length of a kept string piece / name


@dataclass(frozen=True)
class Syntax:
    """The node types of one grammar that matter to route declarations."""

    strings: frozenset[str]
    string_text: frozenset[str]  # children of a string that hold literal text
    string_dynamic: frozenset[str]  # children of a string that are interpolations
    concat: frozenset[str]  # binary expressions (``+`` joins strings)
    implicit_concat: frozenset[str]  # adjacent literals: "a" "b"
    names: frozenset[str]  # identifiers and dotted member accesses
    calls: dict[str, tuple[str, str]]  # call node type -> (function field, arguments field)
    news: frozenset[str]  # constructor calls (``new X()``)
    members: dict[str, tuple[str, str]]  # member access -> (object field, property field)
    lists: frozenset[str]
    objects: frozenset[str]
    pairs: dict[str, tuple[str, str]]  # keyword argument / object pair -> (key field, value field)
    functions: frozenset[str]
    unwrap: frozenset[str]  # parenthesised / await / & expressions: look through them
    decorators: frozenset[str]  # decorator / annotation node types
    definitions: frozenset[str]  # function / method / class definitions a decorator can sit on
    classes: frozenset[str]
    raw_prefix: bool = False  # string prefixes like r"..." (Python)
    call_objects: tuple[tuple[str, str], ...] = ()  # call node type -> field holding its object


def _fs(*names: str) -> frozenset[str]:
    return frozenset(names)


SYNTAX: dict[str, Syntax] = {
    "python": Syntax(
        strings=_fs("string"), string_text=_fs("string_content", "escape_sequence"),
        string_dynamic=_fs("interpolation"), concat=_fs("binary_operator"),
        implicit_concat=_fs("concatenated_string"), names=_fs("identifier", "attribute"),
        calls={"call": ("function", "arguments")}, news=_fs(),
        members={"attribute": ("object", "attribute")},
        lists=_fs("list", "tuple", "set", "list_comprehension"), objects=_fs("dictionary"),
        pairs={"keyword_argument": ("name", "value"), "pair": ("key", "value")},
        functions=_fs("lambda"), unwrap=_fs("parenthesized_expression", "await"),
        decorators=_fs("decorator"),
        definitions=_fs("function_definition", "class_definition"),
        classes=_fs("class_definition"), raw_prefix=True),
    "javascript": Syntax(
        strings=_fs("string", "template_string"), string_text=_fs("string_fragment", "escape_sequence"),
        string_dynamic=_fs("template_substitution"), concat=_fs("binary_expression"),
        implicit_concat=_fs(), names=_fs("identifier", "member_expression", "this",
                                          "property_identifier"),
        calls={"call_expression": ("function", "arguments"),
               "new_expression": ("constructor", "arguments")},
        news=_fs("new_expression"), members={"member_expression": ("object", "property")},
        lists=_fs("array"), objects=_fs("object"), pairs={"pair": ("key", "value")},
        functions=_fs("arrow_function", "function_expression", "function"),
        unwrap=_fs("parenthesized_expression", "await_expression", "as_expression",
                   "satisfies_expression", "non_null_expression"),
        decorators=_fs("decorator"),
        definitions=_fs("method_definition", "class_declaration", "class", "function_declaration",
                        "abstract_class_declaration"),
        classes=_fs("class_declaration", "class", "abstract_class_declaration")),
    "go": Syntax(
        strings=_fs("interpreted_string_literal", "raw_string_literal"),
        string_text=_fs("interpreted_string_literal_content", "raw_string_literal_content",
                        "escape_sequence"),
        string_dynamic=_fs(), concat=_fs("binary_expression"), implicit_concat=_fs(),
        names=_fs("identifier", "selector_expression", "field_identifier", "package_identifier"),
        calls={"call_expression": ("function", "arguments")}, news=_fs(),
        members={"selector_expression": ("operand", "field")},
        lists=_fs("composite_literal", "literal_value"), objects=_fs(),
        pairs={"keyed_element": ("key", "value")}, functions=_fs("func_literal"),
        unwrap=_fs("parenthesized_expression", "unary_expression", "literal_element"),
        decorators=_fs(), definitions=_fs(), classes=_fs()),
    "java": Syntax(
        strings=_fs("string_literal"), string_text=_fs("string_fragment", "escape_sequence"),
        string_dynamic=_fs(), concat=_fs("binary_expression"), implicit_concat=_fs(),
        names=_fs("identifier", "field_access", "scoped_identifier"),
        calls={"method_invocation": ("name", "arguments"), "annotation": ("name", "arguments"),
               "marker_annotation": ("name", "arguments")}, news=_fs(),
        members={"field_access": ("object", "field")},
        lists=_fs("element_value_array_initializer", "array_initializer"), objects=_fs(),
        pairs={"element_value_pair": ("key", "value")}, functions=_fs("lambda_expression"),
        unwrap=_fs("parenthesized_expression"),
        decorators=_fs("annotation", "marker_annotation"),
        definitions=_fs("method_declaration", "class_declaration", "interface_declaration",
                        "constructor_declaration"),
        classes=_fs("class_declaration", "interface_declaration"),
        call_objects=(("method_invocation", "object"),)),
}
SYNTAX["typescript"] = SYNTAX["javascript"]
SYNTAX["tsx"] = SYNTAX["javascript"]

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
            inner = [c for c in child.named_children if c.type not in ("format_specifier",
                                                                       "type_conversion")]
            if len(inner) == 1 and inner[0].type in syn.names:
                pieces.append({"name": text(inner[0])})
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
    if t in syn.strings:
        return _string(node, syn)
    if t in syn.names:
        return {"name": " ".join(text(node).split())}
    if t in syn.implicit_concat:
        out: dict[str, Any] = {"str": []}
        for child in node.named_children:
            out = _join(out, value_of(child, syn, depth + 1))
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
        return call_value(node, syn, depth)
    if t in syn.lists:
        items = []
        for child in node.named_children:
            if child.type in ("comment", "type_identifier", "slice_type", "array_type"):
                continue
            if child.type in syn.lists and t == "composite_literal":
                return value_of(child, syn, depth + 1)  # []string{...}: the literal_value
            items.append(value_of(child, syn, depth + 1))
            if len(items) >= MAX_ITEMS:
                break
        if t == "list_comprehension":
            return {"?": text(node, 60)}
        return {"list": items}
    if t in syn.objects:
        obj: dict[str, Any] = {}
        for child in node.named_children:
            fields = syn.pairs.get(child.type)
            if fields is None:
                if child.type == "shorthand_property_identifier":
                    obj[text(child)] = {"name": text(child)}
                continue
            key, value = child.child_by_field_name(fields[0]), child.child_by_field_name(fields[1])
            if key is None or value is None:
                continue
            k = value_of(key, syn, depth + 1)
            name = "".join(p for p in k.get("str", []) if isinstance(p, str)) or k.get("name", "")
            if name:
                obj[name] = value_of(value, syn, depth + 1)
        return {"obj": obj}
    if t in syn.functions:
        name = node.child_by_field_name("name")
        return {"fn": node.start_byte, "line": start_line(node), "end": end_line(node),
                "name": text(name) if name is not None else ""}
    return {"?": text(node, 60)}


def call_value(node: Any, syn: Syntax, depth: int = 0) -> dict[str, Any]:
    """A call node as ``{"call": object, "verb": name, "args": [...], "kw": {...}}``."""
    func_field, args_field = syn.calls[node.type]
    func = node.child_by_field_name(func_field)
    obj: dict[str, Any] | None = None
    verb = ""
    if func is not None:
        while func.type in syn.unwrap and func.named_child_count == 1:
            func = func.named_children[0]
        member = syn.members.get(func.type)
        if member is not None:
            o, p = func.child_by_field_name(member[0]), func.child_by_field_name(member[1])
            obj = value_of(o, syn, depth + 1) if o is not None else None
            verb = text(p) if p is not None else ""
        elif func.type in syn.names:
            verb = " ".join(text(func).split())
            if "." in verb:  # a qualified name: org.x.GetMapping, pkg.Func
                head, _, verb = verb.rpartition(".")
                obj = {"name": head}
        else:
            obj = value_of(func, syn, depth + 1)  # require('./x')(app): the callee is a call
    for call_type, field in syn.call_objects:  # Java: object and name are separate fields
        if node.type == call_type:
            o = node.child_by_field_name(field)
            obj = value_of(o, syn, depth + 1) if o is not None else None
    out: dict[str, Any] = {"call": obj, "verb": verb, "line": start_line(node)}
    if node.type in syn.news:
        out["new"] = True
    args_node = node.child_by_field_name(args_field)
    args, kw = arguments(args_node, syn, depth + 1)
    out["args"] = args
    if kw:
        out["kw"] = kw
    return out


def arguments(node: Any, syn: Syntax, depth: int = 0) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Positional and keyword arguments of an argument-list node."""
    args: list[dict[str, Any]] = []
    kw: dict[str, Any] = {}
    if node is None:
        return args, kw
    if node.type not in ("argument_list", "arguments", "annotation_argument_list",
                         "formal_parameters"):
        return [value_of(node, syn, depth)], kw
    for child in node.named_children:
        if child.type == "comment":
            continue
        pair = syn.pairs.get(child.type)
        if pair is not None and child.type != "pair":
            key, value = child.child_by_field_name(pair[0]), child.child_by_field_name(pair[1])
            if key is not None and value is not None:
                kw[text(key)] = value_of(value, syn, depth)
            continue
        if child.type in ("list_splat", "dictionary_splat", "spread_element",
                          "variadic_argument"):
            args.append({"?": text(child, 60)})
            continue
        args.append(value_of(child, syn, depth))
        if len(args) >= MAX_ITEMS:
            break
    return args, kw


def decorated_target(node: Any, syn: Syntax) -> Any:
    """The definition a decorator / annotation belongs to, or None."""
    sib = node.next_named_sibling
    while sib is not None and (sib.type in syn.decorators or sib.type == "comment"):
        sib = sib.next_named_sibling
    if sib is not None and sib.type in syn.definitions:
        return sib
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
        type_text = " ".join(text(tnode).split()) if tnode is not None else ""
        for name in names or ["?"]:
            out.append([name, type_text.lstrip(":").strip()])
    return out
