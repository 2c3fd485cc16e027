"""Extract definitions, call sites, imports and type facts from one file.

The generic extractor runs a language's ``tags.scm`` and keys only on
capture names (documented in :mod:`codemap.lang`); it never branches on the
language. It returns compact tuples, cheap to send from a worker process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from codemap.lang.positions import end_line, start_line
from codemap.lang.qualnames import STYLES, python_module_name
from codemap.lang.registry import BY_NAME, language_for_path, ts_cursor, ts_parser
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


class FileFacts(NamedTuple):
    lines: int
    has_error: bool
    symbols: list[SymbolRow]
    calls: list[CallRow]
    imports: list[ImportRow]
    bindings: list[BindingRow]


_ROLES: dict[str, dict[int, tuple[str, str]]] = {}  # language -> pattern -> role

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


def _role(caps: dict[str, Any]) -> tuple[str, str]:
    """What a pattern's matches are (a role and its main capture), from its capture names."""
    for cap in caps:
        if cap.startswith("definition."):
            return ("def", cap)
        if cap in CALL_KINDS:
            return ("call", cap)
        if cap in ("import", "scope", "package", "binding"):
            return (cap, cap)
    return ("", "")


def _text(node: Any, limit: int = 0) -> str:
    raw = node.text
    if limit and len(raw) > limit:
        raw = raw[:limit]
    return raw.decode("utf-8", "replace")


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] in "'\"`" and text[-1] == text[0]:
        return text[1:-1]
    return text


def count_lines(data: bytes) -> int:
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def extract(path: str, data: bytes, lang: str, module_prefix: str = "") -> FileFacts:
    """Parse ``data`` (the bytes of ``path``) as ``lang`` and extract its facts.

    Local symbol id 0 is the file's module symbol; every other symbol, call,
    import and binding refers to its enclosing symbol by local id.
    """
    spec = BY_NAME[lang]
    style = STYLES[spec.qualname_style]
    nlines = count_lines(data)
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
    raw_calls: list[tuple[int, str, str, int, int, str, int]] = []
    raw_imports: list[tuple[int, str, str, str, int, int]] = []
    raw_bindings: list[tuple[int, str, str, str, int]] = []
    package = ""

    roles = _ROLES.setdefault(lang, {})
    for pattern, caps in matches:
        role = roles.get(pattern)
        if role is None:
            role = roles[pattern] = _role(caps)
        kind, cap = role
        if kind == "call":
            names = caps.get("call.name")
            if not names:
                continue
            name_node = names[0]
            recv = caps.get("call.receiver")
            args = caps.get("call.args")
            row, col = name_node.start_point
            raw_calls.append((
                caps[cap][0].start_byte, name_node.text[:MAX_TEXT].decode("utf-8", "replace"),
                recv[0].text[:MAX_TEXT].decode("utf-8", "replace") if recv else "",
                row + 1, col + 1, CALL_KINDS[cap],
                args[0].named_child_count if args else -1,
            ))
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
                name_text = _text(names[0], MAX_TEXT)
                if name_strip:
                    name_text = name_text.lstrip(name_strip) or name_text
                entry = [node.start_byte, node.end_byte, _DEF_KINDS.get(cap[11:], "function"),
                         name_text, first_line, end_line(shown), [],
                         _text(receiver[0], MAX_TEXT) if receiver else None]
                defs[key] = entry
            for base in caps.get("class.base", ()):
                text = _text(base, MAX_TEXT)
                if text not in entry[6]:
                    entry[6].append(text)
        elif kind == "binding":
            names = caps.get("binding.name")
            types = caps.get("binding.type")
            values = caps.get("binding.value")
            if not names or not (types or values):
                continue
            node = caps["binding"][0]
            # a type fact is stored as its text; an alias (name = other name) as "=" + text
            typ = (types[0].text[:MAX_TEXT].decode("utf-8", "replace") if types
                   else "=" + values[0].text[:MAX_TEXT].decode("utf-8", "replace"))
            obj = caps.get("binding.object")
            raw_bindings.append((node.start_byte,
                                 names[0].text[:MAX_TEXT].decode("utf-8", "replace"), typ,
                                 obj[0].text[:MAX_TEXT].decode("utf-8", "replace") if obj else "",
                                 node.start_point[0] + 1))
        elif kind == "import":
            node = caps["import"][0]
            module = caps.get("import.module")
            module_text = _unquote(_text(module[0])) if module else ""
            level = (len(module_text) - len(module_text.lstrip("."))) if relative_dots else 0
            name = caps.get("import.name")
            alias = caps.get("import.alias")
            name_text = "*" if "import.wildcard" in caps else (_text(name[0]) if name else "")
            raw_imports.append((node.start_byte, module_text[level:] if level else module_text,
                                name_text, _text(alias[0]) if alias else "", level,
                                node.start_point[0] + 1))
        elif kind == "scope":
            node = caps["scope"][0]
            names = caps.get("name")
            if names:
                scopes.append([node.start_byte, node.end_byte, "scope", _text(names[0], MAX_TEXT)])
        elif kind == "package":
            names = caps.get("name")
            if names and not package:
                package = _text(names[0], MAX_TEXT)

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

    def enclosing(starts: list[int]) -> list[int]:
        order = sorted(range(len(starts)), key=starts.__getitem__)
        result = [0] * len(starts)
        open_: list[tuple[int, int]] = []
        di = 0
        for i in order:
            pos = starts[i]
            while di < len(def_spans) and def_spans[di][0] <= pos:
                s, e, lid = def_spans[di]
                while open_ and open_[-1][0] <= s:
                    open_.pop()
                open_.append((e, lid))
                di += 1
            while open_ and open_[-1][0] <= pos:
                open_.pop()
            result[i] = open_[-1][1] if open_ else 0
        return result

    calls: list[CallRow] = []
    if raw_calls:
        owners = enclosing([c[0] for c in raw_calls])
        seen: set[tuple[int, int, str]] = set()
        # one site matched by two patterns: a call wins over a plain attribute read
        firm = {(c[3], c[4]) for c in raw_calls if c[5] in ("call", "new")}
        for owner, c in zip(owners, raw_calls):
            kind = "call" if c[5] == "new" else c[5]
            pos = (c[3], c[4], kind)
            if pos in seen or (kind == "attr" and pos[:2] in firm):
                continue
            seen.add(pos)
            calls.append((owner, c[1], c[2], c[3], c[4], c[5], c[6]))
    imports: list[ImportRow] = []
    if raw_imports:
        # one statement matched by a general and a specific pattern: keep the specific rows
        named = {(i[0], i[1]) for i in raw_imports if i[2] or i[3]}
        raw_imports = list(dict.fromkeys(
            i for i in raw_imports if i[2] or i[3] or (i[0], i[1]) not in named))
        owners = enclosing([i[0] for i in raw_imports])
        imports = [(o, i[1], i[2], i[3], i[4], i[5]) for o, i in zip(owners, raw_imports)]
    bindings: list[BindingRow] = []
    if raw_bindings:
        owners = enclosing([b[0] for b in raw_bindings])
        bindings = list(dict.fromkeys(
            (o, b[1], b[2], b[3], b[4]) for o, b in zip(owners, raw_bindings)))
    return FileFacts(nlines, root.has_error, symbols, calls, imports, bindings)


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
