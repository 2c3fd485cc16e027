"""Extract definitions, call sites, imports and type facts from one file.

The generic extractor runs a language's ``tags.scm`` and keys only on
capture names (documented in :mod:`codemap.lang`); it never branches on the
language. It returns compact tuples, cheap to send from a worker process.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Any, NamedTuple

from codemap.lang.positions import end_line, start_line
from codemap.lang.qualnames import STYLES, python_module_name
from codemap.lang.registry import BY_NAME, language_for_path, ts_cursor, ts_parser, ts_query
from codemap.model import Symbol

MAX_TEXT = 200  # receiver / type texts are clipped: they are hints, not source

# symbol row: (local id, parent local id, name, qualname, kind, start_line, end_line, bases)
SymbolRow = tuple[int, int, str, str, str, int, int, str]
# call row: (caller local id, name, receiver, line, column, kind, argc)
CallRow = tuple[int, str, str, int, int, str, int]
# import row: (scope local id, module, name, alias, level, line)
ImportRow = tuple[int, str, str, str, int, int]
# binding row: (scope local id, name, type, object, line)
BindingRow = tuple[int, str, str, str, int]
# route row: (endpoint role, route facts JSON or None)
RouteRow = tuple[str, "str | None"]


class FileFacts(NamedTuple):
    lines: int
    has_error: bool
    symbols: list[SymbolRow]
    calls: list[CallRow]
    imports: list[ImportRow]
    bindings: list[BindingRow]
    # the file's endpoint role and route facts (:mod:`codemap.endpoints.indexing`), filled
    # by the index workers; None: no role
    routes: RouteRow | None = None


_ROLES: dict[str, dict[int, tuple[str, str, str]]] = {}  # language -> pattern -> role

# call-site captures and the kind stored for them: a call, a constructor call, an attribute
# read (runs a getter when the member is a property), a value entered as a context
# (``with x:`` runs its enter/exit methods), a protocol use (``next(x)``, ``for``, ``x[k]``
# run a method of x named by the language's protocol table)
CALL_KINDS = {"reference.call": "call", "reference.new": "new", "reference.attr": "attr",
              "reference.enter": "enter", "reference.protocol": "protocol"}

_DEF_KINDS = {
    "function": "function", "method": "method", "class": "class", "lambda": "lambda",
    "module": "module", "interface": "class", "struct": "class", "enum": "class",
    "trait": "class", "type": "class", "constructor": "method",
}


def _parser(lang: str) -> Any:
    return ts_parser(lang)


def _cursor(lang: str) -> Any:
    return ts_cursor(lang, "tags") or False


def _role(lang: str, pattern: int, caps: dict[str, Any]) -> tuple[str, str, str]:
    """What a pattern's matches are, from its capture names: a role, its main capture
    and a detail (a call site's kind; for a definition, the field named by its
    ``(#set! binding.params "field")`` setting, see below)."""
    for cap in caps:
        if cap.startswith("definition."):
            settings = ts_query(lang, "tags").pattern_settings(pattern)
            return ("def", cap, settings.get("binding.params") or "")
        if cap in CALL_KINDS:
            return ("call", cap, CALL_KINDS[cap])
        if cap in ("import", "scope", "package", "binding"):
            return (cap, cap, "")
    return ("", "", "")


def _text(data: bytes, node: Any, limit: int = 0) -> str:
    """A node's source text (its first ``limit`` bytes when ``limit``).

    Sliced from the parsed bytes: ``Node.text`` would cost a memoryview and two
    copies per call.
    """
    start = node.start_byte
    end = node.end_byte
    if limit and end - start > limit:
        end = start + limit
    return data[start:end].decode("utf-8", "replace")


def _clip(data: bytes, node: Any) -> str:
    """A node's text clipped to :data:`MAX_TEXT` bytes (receivers, types: hints)."""
    start = node.start_byte
    end = node.end_byte
    if end - start > MAX_TEXT:
        end = start + MAX_TEXT
    return data[start:end].decode("utf-8", "replace")


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] in "'\"`" and text[-1] == text[0]:
        return text[1:-1]
    return text


def count_lines(data: bytes) -> int:
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def parse(data: bytes, lang: str) -> Any:
    """The tree-sitter tree of ``data`` as ``lang`` (one parse serves :func:`extract` and
    the route facts the index keeps)."""
    return _parser(lang).parse(data)


def extract(path: str, data: bytes, lang: str, module_prefix: str = "",
            tree: Any = None) -> FileFacts:
    """Parse ``data`` (the bytes of ``path``) as ``lang``, or take its ``tree``, and
    extract its facts.

    Local symbol id 0 is the file's module symbol; every other symbol, call,
    import and binding refers to its enclosing symbol by local id.
    """
    spec = BY_NAME[lang]
    style = STYLES[spec.qualname_style]
    nlines = count_lines(data)
    if tree is None:
        tree = _parser(lang).parse(data)
    root = tree.root_node
    cursor = _cursor(lang)
    matches = cursor.matches(root) if cursor else []
    wrappers = spec.wrappers
    leading = spec.leading
    relative_dots = spec.relative_dots
    name_strip = spec.name_strip

    # key (start_byte, end_byte) -> [start, end, kind, name, first, last, bases, receiver]
    defs: dict[tuple[int, int], list[Any]] = {}
    scopes: list[list[Any]] = []
    # (site start, name start, kind, name node, receiver captures, argument captures)
    raw_calls: list[tuple[int, int, str, Any, Any, Any]] = []
    raw_imports: list[tuple[int, str, str, str, int, int]] = []
    raw_bindings: list[tuple[int, str, str, str, int]] = []
    package = ""

    roles = _ROLES.setdefault(lang, {})
    for pattern, caps in matches:
        role = roles.get(pattern)
        if role is None:
            role = roles[pattern] = _role(lang, pattern, caps)
        kind, cap, detail = role
        if kind == "call":
            names = caps.get("call.name")
            if not names:
                continue
            name_node = names[0]
            # texts and positions are read later, for the sites kept (most attribute
            # reads are the called function of a call site, and dropped)
            raw_calls.append((caps[cap][0].start_byte, name_node.start_byte, detail, name_node,
                              caps.get("call.receiver"), caps.get("call.args")))
        elif kind == "def":
            node = caps[cap][0]
            names = caps.get("name")
            if not names:
                continue
            key = (node.start_byte, node.end_byte)
            entry = defs.get(key)
            if entry is None:
                shown = node
                parent = node.parent
                if parent is not None and parent.type in wrappers:
                    shown = parent
                first_line = start_line(shown)
                if leading:
                    prev = shown.prev_named_sibling
                    while prev is not None and prev.type in leading:
                        first_line = start_line(prev)
                        prev = prev.prev_named_sibling
                receiver = caps.get("receiver")
                name_text = _text(data, names[0], MAX_TEXT)
                if name_strip:
                    name_text = name_text.lstrip(name_strip) or name_text
                entry = [node.start_byte, node.end_byte, _DEF_KINDS.get(cap[11:], "function"),
                         name_text, first_line, end_line(shown), [],
                         _text(data, receiver[0], MAX_TEXT) if receiver else None]
                defs[key] = entry
            for base in caps.get("class.base", ()):
                text = _text(data, base, MAX_TEXT)
                if text not in entry[6]:
                    entry[6].append(text)
            if detail:
                # (#set! binding.params "parameters"): the definition's parameter list, as
                # a binding named after it and valued "=(...)"; it tells parameters apart
                # from other unknown names (one match fewer than a pattern of its own)
                params = node.child_by_field_name(detail)
                if params is not None:
                    raw_bindings.append((node.start_byte, _clip(data, names[0]),
                                         "=" + _clip(data, params), "", node.start_point[0] + 1))
        elif kind == "binding":
            names = caps.get("binding.name")
            types = caps.get("binding.type")
            values = caps.get("binding.value")
            if not names or not (types or values):
                continue
            node = caps["binding"][0]
            # a type fact is stored as its text; an alias (name = other name) as "=" + text
            typ = (_clip(data, types[0]) if types
                   else "=" + _clip(data, values[0]))
            obj = caps.get("binding.object")
            raw_bindings.append((node.start_byte,
                                 _clip(data, names[0]), typ,
                                 _clip(data, obj[0]) if obj else "",
                                 node.start_point[0] + 1))
        elif kind == "import":
            node = caps["import"][0]
            module = caps.get("import.module")
            module_text = _unquote(_text(data, module[0])) if module else ""
            level = (len(module_text) - len(module_text.lstrip("."))) if relative_dots else 0
            name = caps.get("import.name")
            alias = caps.get("import.alias")
            name_text = ("*" if "import.wildcard" in caps
                         else _text(data, name[0]) if name else "")
            raw_imports.append((node.start_byte, module_text[level:] if level else module_text,
                                name_text, _text(data, alias[0]) if alias else "", level,
                                node.start_point[0] + 1))
        elif kind == "scope":
            node = caps["scope"][0]
            names = caps.get("name")
            if names:
                scopes.append([node.start_byte, node.end_byte, "scope",
                               _text(data, names[0], MAX_TEXT)])
        elif kind == "package":
            names = caps.get("name")
            if names and not package:
                package = _text(data, names[0], MAX_TEXT)

    prefix = path if style.path_prefix else (module_prefix or package)
    module_name = (module_prefix.rsplit(".", 1)[-1] if module_prefix else path.rsplit("/", 1)[-1])
    symbols: list[SymbolRow] = [(0, -1, module_name, style.module(path, prefix), "module", 1,
                                 max(nlines, 1), "")]

    # nesting: definitions and scopes sorted by start, longest first
    items = sorted([*defs.values(), *scopes], key=lambda e: (e[0], -e[1]))
    stack: list[tuple[int, int, int, list[str], str]] = []  # (end, local id, ..., chain, kind)
    def_spans: list[tuple[int, int, int]] = []  # (start, end, local id) of symbols, sorted
    for item in items:
        start, end = item[0], item[1]
        while stack and stack[-1][0] <= start:
            stack.pop()
        parent_id = 0
        chain: list[str] = []
        parent_kind = "module"
        for frame in reversed(stack):
            if frame[1] >= 0:
                parent_id = frame[1]
                break
        if stack:
            chain = [*stack[-1][3], stack[-1][2]]
            parent_kind = stack[-1][4]
        if item[2] == "scope":
            stack.append((end, -1, item[3], chain, "scope"))
            continue
        kind = item[2]
        if kind == "function" and parent_kind == "class":
            kind = "method"
        local_id = len(symbols)
        name = item[3]
        qual = style.member(prefix, chain, name, item[7])
        symbols.append((local_id, parent_id, name, qual, kind, item[4], item[5], ",".join(item[6])))
        def_spans.append((start, end, local_id))
        segment = style.segment(name, item[7]) if style.segment and item[7] else name
        stack.append((end, local_id, segment, chain, kind))

    owner_of = _owners(def_spans)

    calls: list[CallRow] = []
    if raw_calls:
        # one site matched by two patterns: a call wins over a plain attribute read (a
        # position is its name's start byte: the same line and column)
        firm = {c[1] for c in raw_calls if c[2] == "call" or c[2] == "new"}
        seen: set[tuple[int, str]] = set()
        kept = []
        for c in raw_calls:
            ckind = c[2]
            if ckind == "attr":
                if c[1] in firm:
                    continue
            elif ckind == "new":
                ckind = "call"
            pos = (c[1], ckind)
            if pos in seen:
                continue
            seen.add(pos)
            kept.append(c)
        for owner, (_start, _name_start, ckind, name_node, recv, args) in zip(
                owner_of([c[0] for c in kept]), kept):
            row, col = name_node.start_point
            calls.append((owner, _clip(data, name_node),
                          _clip(data, recv[0]) if recv else "",
                          row + 1, col + 1, ckind,
                          args[0].named_child_count if args else -1))
    imports: list[ImportRow] = []
    if raw_imports:
        # one statement matched by a general and a specific pattern: keep the specific rows
        named = {(i[0], i[1]) for i in raw_imports if i[2] or i[3]}
        raw_imports = list(dict.fromkeys(
            i for i in raw_imports if i[2] or i[3] or (i[0], i[1]) not in named))
        owners = owner_of([i[0] for i in raw_imports])
        imports = [(o, i[1], i[2], i[3], i[4], i[5]) for o, i in zip(owners, raw_imports)]
    bindings: list[BindingRow] = []
    if raw_bindings:
        owners = owner_of([b[0] for b in raw_bindings])
        bindings = list(dict.fromkeys(
            (o, b[1], b[2], b[3], b[4]) for o, b in zip(owners, raw_bindings)))
    return FileFacts(nlines, root.has_error, symbols, calls, imports, bindings)


def _owners(def_spans: list[tuple[int, int, int]]) -> Callable[[list[int]], list[int]]:
    """A function giving, for byte offsets, the local id of the innermost symbol around each.

    ``def_spans`` are (start, end, local id), sorted by start then longest first;
    a span holds the offsets ``start <= pos < end``. The spans are cut into
    intervals each owned by one symbol, looked up by bisection.
    """
    if not def_spans:
        return lambda starts: [0] * len(starts)
    bounds = [0]
    owner_at = [0]

    def mark(pos: int, owner: int) -> None:
        if bounds[-1] == pos:
            owner_at[-1] = owner
        else:
            bounds.append(pos)
            owner_at.append(owner)

    stack: list[tuple[int, int]] = []  # (end, local id) of the open spans, innermost last
    for start, end, lid in def_spans:
        while stack and stack[-1][0] <= start:
            closed = stack.pop()[0]
            mark(closed, stack[-1][1] if stack else 0)
        stack.append((end, lid))
        mark(start, lid)
    while stack:
        closed = stack.pop()[0]
        mark(closed, stack[-1][1] if stack else 0)

    def owners(starts: list[int]) -> list[int]:
        return [owner_at[bisect_right(bounds, pos) - 1] for pos in starts]

    return owners


def symbols_from_facts(path: str, lang: str, facts: FileFacts) -> list[Symbol]:
    return [Symbol.make(r[2], r[3], r[4], lang, path, r[5], r[6]) for r in facts.symbols]


def extract_symbols(path: str, data: bytes,
                    has_file: Callable[[str], bool] | None = None) -> list[Symbol]:
    """Parse a file's bytes on the fly (e.g. a file at another revision) into symbols.

    Returns an empty list for languages codemap does not parse.
    """
    spec = language_for_path(path)
    if spec is None:
        return []
    prefix = ""
    if spec.qualname_style == "python":
        prefix = python_module_name(path, has_file or (lambda _p: False))
    return symbols_from_facts(path, spec.name, extract(path, data, spec.name, prefix))
