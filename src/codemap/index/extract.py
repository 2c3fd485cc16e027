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


# a pattern's role: (role, main capture, detail, firm call site, dedupe code, the name its
# call sites get from the pattern or ""), see _role
Role = tuple[str, str, str, bool, int, str]
_ROLES: dict[str, dict[int, Role]] = {}  # language -> pattern -> role

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


# a call site's kind as deduplicated: a constructor call counts as a call (kept as "new")
_DEDUPE = {"call": 0, "new": 0, "attr": 1, "enter": 2, "protocol": 3}
_DEDUPE_KINDS = 8  # dedupe key: name start byte * 8 + code
_ATTR = _DEDUPE["attr"]
_NAMED = 4  # the dedupe code of a site its pattern names (#set! call.name)


def _role(lang: str, pattern: int, caps: dict[str, Any]) -> Role:
    """What a pattern's matches are, from its capture names: a role, its main capture,
    a detail (a call site's kind; for a definition, the field named by its
    ``(#set! binding.params "field")`` setting, see below), whether its sites are
    calls (a call or a constructor call: they win over attribute reads), its
    sites' dedupe code (see :func:`_call_rows`) and the name a
    ``(#set! call.name "...")`` setting gives its call sites (``x[k] = v``: "[]=")."""
    for cap in caps:
        if cap.startswith("definition."):
            settings = ts_query(lang, "tags").pattern_settings(pattern)
            return ("def", cap, settings.get("binding.params") or "", False, 0, "")
        if cap in CALL_KINDS:
            stored = CALL_KINDS[cap]
            named = ts_query(lang, "tags").pattern_settings(pattern).get("call.name") or ""
            return ("call", cap, stored, stored == "call" or stored == "new",
                    _NAMED if named else _DEDUPE[stored], named)
        if cap in ("import", "scope", "package", "binding"):
            return (cap, cap, "", False, 0, "")
    return ("", "", "", False, 0, "")


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


def _clip(src: str, fix: bool, node: Any) -> str:
    """A node's text, its first :data:`MAX_TEXT` bytes: sliced from ``src``, the file
    decoded once as Latin-1 (``fix``: the file is not all ASCII, see :func:`_utf8`)."""
    s = node.start_byte
    e = node.end_byte
    text = src[s:e if e - s <= MAX_TEXT else s + MAX_TEXT]
    return _utf8(text) if fix and not text.isascii() else text


def _utf8(text: str) -> str:
    """A slice of a file decoded as Latin-1 (one character per byte), as its bytes decode
    in UTF-8.

    Receivers, types and names are clipped to :data:`MAX_TEXT` bytes (hints, not
    source) and decoded with replacement characters. :func:`extract` slices them
    from the file decoded once as Latin-1, where byte offsets hold, and only a
    slice that is not ASCII is re-read here: the same text as slicing and decoding
    the bytes, one copy fewer.
    """
    return text.encode("latin-1").decode("utf-8", "replace")


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

    The loop over matches runs once per match (about 600,000 on Django), so it
    is written for speed: a pattern's role is worked out once per process, a
    call site keeps its match's captures and reads its texts and position only
    when it is kept (most attribute reads are the called function of a call site,
    and dropped), and texts are sliced from the file decoded once (:func:`_clip`).
    """
    spec = BY_NAME[lang]
    style = STYLES[spec.qualname_style]
    nlines = count_lines(data)
    if tree is None:
        tree = _parser(lang).parse(data)
    root = tree.root_node
    cursor = _cursor(lang)
    matches = cursor.matches(root) if cursor else []

    # key (start_byte, end_byte) -> [start, end, kind, name, first, last, bases, receiver]
    defs: dict[tuple[int, int], list[Any]] = {}
    scopes: list[list[Any]] = []
    # (name start, pattern role, name node, captures), in match order
    raw_calls: list[tuple[int, Role, Any, dict[str, list[Any]]]] = []
    firm: set[int] = set()  # name starts of call and constructor sites
    named: set[int] = set()  # name starts of sites their pattern names (they replace others)
    raw_imports: list[tuple[int, str, str, str, int, int]] = []
    raw_bindings: list[tuple[int, str, str, str, int]] = []
    package = ""
    add_call = raw_calls.append
    add_binding = raw_bindings.append
    add_firm = firm.add
    # texts: slices of the file decoded as Latin-1, re-read as UTF-8 when not ASCII (_utf8)
    src = data.decode("latin-1")
    fix = not data.isascii()

    roles = _ROLES.setdefault(lang, {})
    for pattern, caps in matches:
        role = roles.get(pattern)
        if role is None:
            role = roles[pattern] = _role(lang, pattern, caps)
        kind = role[0]
        if kind == "call":
            names = caps.get("call.name")
            if names is None:
                continue
            name_node = names[0]
            start = name_node.start_byte
            if role[3]:
                add_firm(start)
            elif role[5]:
                named.add(start)
            add_call((start, role, name_node, caps))
        elif kind == "binding":
            names = caps.get("binding.name")
            if names is None:
                continue
            types = caps.get("binding.type")
            if types is None:
                values = caps.get("binding.value")
                if values is None:
                    continue
                typ = "=" + _clip(src, fix, values[0])  # an alias (name = other name)
            else:
                typ = _clip(src, fix, types[0])
            name = _clip(src, fix, names[0])
            objs = caps.get("binding.object")
            obj = "" if objs is None else _clip(src, fix, objs[0])
            node = caps["binding"][0]
            add_binding((node.start_byte, name, typ, obj, node.start_point[0] + 1))
        elif kind == "def":
            _definition(src, fix, spec, caps, role, defs, raw_bindings)
        elif kind == "import":
            node = caps["import"][0]
            module = caps.get("import.module")
            module_text = _unquote(_text(data, module[0])) if module else ""
            level = ((len(module_text) - len(module_text.lstrip(".")))
                     if spec.relative_dots else 0)
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

    bounds, owner_at = _owner_table(def_spans)
    calls = _call_rows(src, fix, raw_calls, firm, named, bounds, owner_at) if raw_calls else []
    owner_of = _owners(def_spans, (bounds, owner_at))
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
            [(o, b[1], b[2], b[3], b[4]) for o, b in zip(owners, raw_bindings)]))
    return FileFacts(nlines, root.has_error, symbols, calls, imports, bindings)


def _definition(src: str, fix: bool, spec: Any, caps: dict[str, list[Any]], role: Role,
                defs: dict[tuple[int, int], list[Any]],
                raw_bindings: list[tuple[int, str, str, str, int]]) -> None:
    """Record one definition match in ``defs`` (and its parameter-list binding); ``src``
    and ``fix`` as in :func:`_call_rows`."""
    cap, detail = role[1], role[2]
    node = caps[cap][0]
    names = caps.get("name")
    if not names:
        return
    key = (node.start_byte, node.end_byte)
    entry = defs.get(key)
    name = ""
    if entry is None or detail:  # (another match of a known definition: its bases only)
        name = _clip(src, fix, names[0])
    if entry is None:
        shown = node
        parent = node.parent
        if parent is not None and parent.type in spec.wrappers:
            shown = parent
        first_line = start_line(shown)
        leading = spec.leading
        if leading:
            prev = shown.prev_named_sibling
            while prev is not None and prev.type in leading:
                first_line = start_line(prev)
                prev = prev.prev_named_sibling
        receiver = caps.get("receiver")
        if receiver is not None:
            receiver = _clip(src, fix, receiver[0])
        shown_name = name
        if spec.name_strip:
            shown_name = name.lstrip(spec.name_strip) or name
        entry = [key[0], key[1], _DEF_KINDS.get(cap[11:], "function"), shown_name, first_line,
                 end_line(shown), [], receiver]
        defs[key] = entry
    bases = caps.get("class.base")
    if bases is not None:
        known = entry[6]
        for n in bases:
            text = _clip(src, fix, n)
            if text not in known:
                known.append(text)
    if detail:
        # (#set! binding.params "parameters"): the definition's parameter list, as
        # a binding named after it and valued "=(...)"; it tells parameters apart
        # from other unknown names (one match fewer than a pattern of its own)
        params = node.child_by_field_name(detail)
        if params is not None:
            text = _clip(src, fix, params)
            raw_bindings.append((key[0], name, "=" + text, "", node.start_point[0] + 1))


def _call_rows(src: str, fix: bool, raw_calls: list[tuple[int, Role, Any, dict[str, list[Any]]]],
               firm: set[int], named: set[int], bounds: list[int], owner_at: list[int]
               ) -> list[CallRow]:
    """The call rows kept of ``raw_calls`` (in match order), with their texts and positions.

    ``src`` is the file decoded as Latin-1 (``fix``: it is not all ASCII, see :func:`_utf8`).
    One site matched by two patterns: a call wins over a plain attribute read (a
    position is its name's start byte: the same line and column); otherwise the
    first match of a (position, kind) is kept, a constructor call counting as a call
    there (and stored as "new"); a site its pattern names (``named``: ``x[k] = v`` is
    "[]=") replaces the others found at its position (the ``x[k]`` read).
    """
    seen: set[int] = set()
    add_seen = seen.add
    calls: list[CallRow] = []
    add = calls.append
    for name_start, role, name_node, caps in raw_calls:
        if role[4] == _ATTR and name_start in firm:  # an attribute read that is also a call
            continue
        if named and name_start in named and not role[5]:
            continue
        key = name_start * _DEDUPE_KINDS + role[4]
        if key in seen:
            continue
        add_seen(key)
        row, col = name_node.start_point
        # (the loop's two texts sliced as _clip does, inline: a call each would cost
        # 2-3% of the whole extraction)
        e = name_node.end_byte
        name = role[5] or src[name_start:e if e - name_start <= MAX_TEXT else name_start + MAX_TEXT]
        if fix and not name.isascii():
            name = _utf8(name)
        recv = caps.get("call.receiver")
        if recv is None:
            receiver = ""
        else:
            s = recv[0].start_byte
            e = recv[0].end_byte
            receiver = src[s:e if e - s <= MAX_TEXT else s + MAX_TEXT]
            if fix and not receiver.isascii():
                receiver = _utf8(receiver)
        args = caps.get("call.args")
        add((owner_at[bisect_right(bounds, caps[role[1]][0].start_byte) - 1], name, receiver,
             row + 1, col + 1, role[2], -1 if args is None else args[0].named_child_count))
    return calls


def _owner_table(def_spans: list[tuple[int, int, int]]) -> tuple[list[int], list[int]]:
    """Bounds and owners: the local id of the innermost symbol around a byte offset
    ``pos`` is ``owner_at[bisect_right(bounds, pos) - 1]`` (:func:`_call_rows` looks
    it up inline, :func:`_owners` for a list of offsets).

    ``def_spans`` are (start, end, local id), sorted by start then longest first;
    a span holds the offsets ``start <= pos < end``. The spans are cut into
    intervals each owned by one symbol (0, the module, outside every span).
    """
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
    return bounds, owner_at


def _owners(def_spans: list[tuple[int, int, int]],
            table: tuple[list[int], list[int]] | None = None) -> Callable[[list[int]], list[int]]:
    """A function giving, for byte offsets, the local id of the innermost symbol around
    each (``table``: the spans' :func:`_owner_table`, when made already)."""
    bounds, owner_at = table or _owner_table(def_spans)

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
