"""The program's shape as a tour ranks it: symbols, call edges, file edges.

Read from the index in a few bulk queries (a tour looks at the whole
repository at once, so per-symbol look-ups would cost thousands of
queries). File edges are the cross-file call edges plus the imports that
the index's module resolver (:class:`codemap.index.modules.ModuleResolver`,
through :class:`codemap.index.program.Program`) maps into the repository.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from codemap.model import Symbol


@dataclass
class Structure:
    symbols: dict[int, Symbol]
    parent: dict[int, int | None]
    call_edges: list[tuple[int, int]]
    file_edges: list[tuple[str, str]]
    languages: dict[str, str]  # path -> language
    callers: Counter[int] = field(default_factory=Counter)  # row id -> call edges into it
    caller_files: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    importers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    imports_resolved: bool = True

    def by_path(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for rid, sym in self.symbols.items():
            out[sym.path].append(rid)
        return out


def _import_edges(conn: Any, file_of: dict[int, str]) -> list[tuple[str, str]]:
    from codemap.index.program import Program

    program = Program(conn)
    resolver = program.modules
    edges: list[tuple[str, str]] = []
    rows = conn.execute("SELECT file_id, module, name, alias, level FROM imports").fetchall()
    for fid, module, name, alias, level in rows:
        row = (fid, module or "", name or "", alias or "", level or 0)
        try:
            value = resolver.import_value(row) if name else resolver.module_value(row)
        except Exception:  # the resolver's business; an import we cannot place is skipped
            continue
        if not value or value[0] != "s":
            continue
        src = file_of.get(fid)
        for sid in value[1]:
            dst = program.file_path.get(program.file.get(sid, -1))
            if src and dst and dst != src:
                edges.append((src, dst))
    return edges


def load_structure(reader: Any) -> Structure:
    conn = reader.conn
    symbols: dict[int, Symbol] = {}
    parent: dict[int, int | None] = {}
    languages: dict[str, str] = {}
    file_of: dict[int, str] = {}
    for rid, name, qual, kind, lang, path, start, end, par, fid in conn.execute(
            "SELECT s.id, s.name, s.qualname, s.kind, f.language, f.path, s.start_line, "
            "s.end_line, s.parent_id, f.id FROM symbols s JOIN files f ON f.id = s.file_id"):
        symbols[rid] = Symbol(f"{path}:{start}", name, qual, kind, lang, path, start, end)
        parent[rid] = par
        languages[path] = lang
        file_of[fid] = path
    # (not the guesses: a method name's few definitions linked to every unknown receiver,
    # e.g. each ``x.pk`` of a Django project to the one ``pk`` property, would make it central)
    call_edges = [(a, b) for a, b in conn.execute(
        "SELECT caller_id, callee_id FROM edges WHERE confidence IS NOT 'guess'")
                  if a in symbols and b in symbols]
    st = Structure(symbols, parent, call_edges, [], languages)
    for a, b in call_edges:
        if a == b:
            continue
        st.callers[b] += 1
        src, dst = symbols[a].path, symbols[b].path
        st.caller_files[b].add(src)
        if src != dst:
            st.file_edges.append((src, dst))
            st.importers[dst].add(src)
    try:
        imports = _import_edges(conn, file_of)
    except Exception:  # resolver unavailable or changed: calls alone still rank modules
        st.imports_resolved = False
        imports = []
    for src, dst in imports:
        st.file_edges.append((src, dst))
        st.importers[dst].add(src)
    return st


def test_path_matcher(languages: dict[str, str]) -> Any:
    """A predicate: is this path a test file? (The language's ``test_files``
    patterns, read as the entry-point detection reads them.)"""
    from codemap.entrypoints import _is_test_file
    from codemap.index.callrules import entry_rules

    cache: dict[str, tuple[str, ...]] = {}

    def is_test(path: str) -> bool:
        lang = languages.get(path, "")
        pats = cache.get(lang)
        if pats is None:
            pats = cache[lang] = tuple(entry_rules(lang).test_files) if lang else ()
        return bool(pats) and _is_test_file(path, pats)

    return is_test
