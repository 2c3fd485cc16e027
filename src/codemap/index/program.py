"""The whole indexed program in memory, as scopes the call resolver can walk.

Loaded from the index in a handful of bulk queries (no per-call SQL): every
symbol with its parent, the names each scope defines, imports and local
type facts per scope, class bases resolved to classes, and attribute types
per class. Lookups are memoised dicts, so resolving a large repository is a
pass over its call sites with dictionary hits.

Memory is kept in proportion on large repositories (issue #10): names and
kinds are interned, loaded lists become tuples, and the two most numerous
kinds of facts (names passed in calls, type facts of local names) stay in
SQLite as rowids on large repositories, read back per called name / per
file into a bounded cache (:mod:`codemap.index.bindstore`). The memos of derived
values can be dropped between files (:meth:`Program.forget`).

Values the resolver passes around are small tuples:

* ``("s", ids)`` one or more symbols (several: overloads, conditional defs)
* ``("i", class_id)`` an instance of a class
* ``("p", key)`` a namespace that is not a symbol (a Go/Java package
  directory, an object literal, a Python namespace package)
* ``("x",)`` something outside the repository (stop: never guessed)
* ``None`` unknown
"""

from __future__ import annotations

import functools
import re
import sqlite3
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from codemap.index.bindstore import BindingStore, binding_texts
from codemap.index.callrules import CallRules, call_rules, entry_rules
from codemap.index.hierarchy import Hierarchy
from codemap.index.tables import TABLE_OBJECT
from codemap.index.valueflow import (  # noqa: F401 - re-exported for the resolver
    CALLABLE_KINDS,
    EXTERNAL,
    LIKELY,
    SIMPLE_CHAIN,
    ValueFlow,
    clean_type,
    split_chain,
)

Value = tuple[Any, ...] | None
_NO: dict = {}  # an empty scope (read only)
_UNSET = object()


@functools.lru_cache(maxsize=4096)
def _matches(pattern: str, text: str) -> bool:
    """``re.search(pattern, text)``, once per distinct decorator text."""
    return re.search(pattern, text) is not None


class Program(BindingStore, Hierarchy, ValueFlow):
    """Scopes, names, imports and class hierarchies of an indexed repository."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.file_path: dict[int, str] = {}
        self.file_lang: dict[int, str] = {}
        self.file_module: dict[int, str] = {}
        self.module_sym: dict[int, int] = {}  # file id -> its module symbol
        self.name: dict[int, str] = {}
        self.kind: dict[int, str] = {}
        self.parent: dict[int, int | None] = {}
        self.file: dict[int, int] = {}
        self.qual: dict[int, str] = {}
        self.base_texts: dict[int, list[str]] = {}
        # (lists while loading, tuples once loaded: a third of the memory for one item)
        self.children: dict[int, dict[str, tuple[int, ...]]] = defaultdict(dict)
        self.ctors: dict[int, list[int]] = defaultdict(list)  # methods named like their class
        self.imports: dict[int, dict[str, list[tuple]]] = defaultdict(dict)
        self.stars: dict[int, list[tuple]] = defaultdict(list)
        # the plain bindings (type facts and aliases of local names) stay in SQLite: per file,
        # the rowids of its rows, read back by :meth:`binds` into a bounded cache of files
        self._binding_rows: dict[int, array] = {}  # file id -> rowids, in file order
        self._bound: set[int] = set()  # scopes with plain bindings
        self._binds_cache: dict[int, dict[int, dict[str, str | list[str]]]] = {}
        self._cached_rows = 0  # plain binding rows in _binds_cache
        self._passed_eager: dict[str, list[tuple[int, str, str, str]]] | None = None
        self.attrs: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(dict)
        self.signature: dict[int, tuple[str, str]] = {}  # callable -> (result type, params)
        self.by_qual: dict[str, tuple[int, ...]] = defaultdict(list)
        self.properties: set[tuple[int, str]] = set()  # (class, name) of property getters
        self.decorators: dict[tuple[int, str], list[str]] = defaultdict(list)  # (scope, name)
        self.returns: dict[int, str] = {}  # callable -> the name it returns
        self.callables_by_name: dict[tuple[str, str], tuple[int, ...]] = defaultdict(list)
        self.dir_of: dict[int, str] = {}
        self._pending_imports: list[tuple[int, tuple]] = []
        self._foreign_attrs: list[tuple[int, str, str, str]] = []  # obj.name = ... (not self)
        self.table_bindings: list[tuple[int, str, str]] = []  # (scope, table, "=value")
        self.params: dict[int, str] = {}  # callable -> its parameter list text "(a, b=1)"
        self.type_params: dict[int, set[str]] = {}  # class / callable -> its type parameters
        self._class_names: dict[str, set[str]] | None = None  # language -> names of its classes
        # file id -> its import rows, for languages whose programs are rooted in a main
        # package (which packages one program links: ModuleResolver.shares_program)
        self.package_imports: dict[int, list[tuple]] = defaultdict(list)
        # called name's last part -> rowids of the ``bindings`` rows that pass a name to it,
        # in file order (read back by :meth:`passed_rows` only for the names asked about)
        self.passed: dict[str, array] = {}
        self._file_rules: dict[int, CallRules] = {}
        self._class_memo: dict[int | None, int | None] = {}
        self._prefix_memo: dict[int, str] = {}
        self._dir_files: dict[tuple[str, str], list[int]] | None = None
        self._descriptors: list[int] | None = None
        self._load()
        self._drop_stubs()
        self._lookup_memo: dict[tuple[int, str], Value] = {}
        self._member_memo: dict[tuple, Value] = {}
        self._mro_memo: dict[int, list[int]] = {}
        self._where_memo: dict[tuple, tuple | list] = {}  # (class, name, after) -> definer
        self._building = 0  # bases / MROs being computed (their memos are not final yet)
        self._bases_memo: dict[int, list[int]] = {}
        self._subs: dict[int, list[int]] | None = None
        self._subs_memo: dict[int, list[int]] = {}
        self._type_memo: dict[tuple[int, str], Value] = {}
        self._param_memo: dict[tuple[int, str], Value] = {}
        self._fixture_memo: dict[tuple[int, str], Value] = {}
        self._fixture_dirs: dict[tuple[str, ...], dict[str, list[int]]] = {}
        self._param_names: dict[int, tuple[str, ...]] = {}
        self._passed_sites: dict[str, list[tuple[int, str, int, str, str]]] = {}
        self._called_memo: dict[tuple[int, str], Value] = {}
        self._decorated_memo: dict[int, list[Value]] = {}
        self._shared: dict[tuple[str, str], dict[str, list[int]]] = {}
        from codemap.index.modules import ModuleResolver

        self.modules = ModuleResolver(self)
        self._bind_imports()
        self._attach_foreign_attrs()

    # ---- loading -------------------------------------------------------------
    def _load(self) -> None:
        q = self.conn.execute
        for fid, path, lang, module in q(
                "SELECT id, path, language, module FROM files WHERE status IN ('parsed','partial')"):
            self.file_path[fid] = path
            self.file_lang[fid] = lang
            self.file_module[fid] = module or ""
            self.dir_of[fid] = path.rsplit("/", 1)[0] if "/" in path else ""
        children = self.children
        rows = q("SELECT id, file_id, parent_id, name, qualname, kind, bases "
                 "FROM symbols").fetchall()
        if not rows:
            return self._load_facts()
        # the per-symbol columns, built at C speed; names and kinds repeat: one copy each
        ids, fids, parents, names, quals, kinds, all_bases = zip(*rows)
        del rows
        intern = sys.intern
        names = tuple(map(intern, names))
        kinds = tuple(map(intern, kinds))
        self.name.update(zip(ids, names))
        self.kind.update(zip(ids, kinds))
        self.parent.update(zip(ids, parents))
        self.file.update(zip(ids, fids))
        self.qual.update(zip(ids, quals))
        file_rules = self._file_rules
        for fid in set(fids):
            file_rules[fid] = call_rules(self.file_lang.get(fid, ""))
        name_of, kind_of, file_lang = self.name, self.kind, self.file_lang
        by_qual, callables_by_name = self.by_qual, self.callables_by_name
        for sid, fid, parent, name, qual, kind, bases in zip(
                ids, fids, parents, names, quals, kinds, all_bases):
            if parent is None:
                self.module_sym[fid] = sid
            elif name == name_of.get(parent) and kind in CALLABLE_KINDS \
                    and kind_of.get(parent) == "class" \
                    and call_rules(file_lang.get(fid, "")).constructor_is_class_name:
                self.ctors[parent].append(sid)  # Java-style constructors: not members by name
            else:
                children[parent].setdefault(name, []).append(sid)
            if bases:
                self.base_texts[sid] = bases.split(",")
            by_qual[qual].append(sid)
            if kind in CALLABLE_KINDS:
                callables_by_name[(file_lang.get(fid, ""), name)].append(sid)
        del ids, fids, parents, names, quals, kinds, all_bases
        self._attach_receiver_methods()
        for table in (children.values(), (by_qual, callables_by_name)):
            for names_ids in table:
                for key, found in names_ids.items():
                    names_ids[key] = tuple(found)
        self._load_facts()

    def _drop_stubs(self) -> None:
        """Signature-only declarations (``@typing.overload``: the language's ``stub_types``)
        never run: a name defined several times in a scope loses as many of its first
        definitions as it has such decorators (the stubs come before the definition that
        runs), in every table a call is resolved through. A call of an overloaded function
        is then a call of its implementation, not a guess among its stubs."""
        dropped: set[int] = set()
        children = self.children
        for (scope, name), texts in self.decorators.items():
            ids = children.get(scope, _NO).get(name)
            if not ids or len(ids) < 2:
                continue
            pattern = self.rules(ids[0]).stub_types
            stubs = sum(1 for text in texts if pattern and _matches(pattern, text))
            if 0 < stubs < len(ids):
                dropped.update(ids[:stubs])
                children[scope][name] = ids[stubs:]
        for sid in dropped:
            for table, key in ((self.by_qual, self.qual[sid]),
                               (self.callables_by_name, (self.lang(sid), self.name[sid]))):
                kept = tuple(other for other in table.get(key, ()) if other != sid)
                if kept:
                    table[key] = kept
                else:
                    table.pop(key, None)

    def _load_facts(self) -> None:
        """Import rows (bound to names later, by _bind_imports), then binding rows."""
        intern = sys.intern
        rooted = {fid for fid, lang in self.file_lang.items() if entry_rules(lang).main_package}
        for fid, scope, module, name, alias, level in self.conn.execute(
                "SELECT file_id, scope_id, module, name, alias, level FROM imports "
                "ORDER BY file_id, rowid"):
            row = (fid, intern(module or ""), intern(name or ""), alias or "", level or 0)
            if fid in rooted:  # every import, ``_`` ones too: they link a package as well
                self.package_imports[fid].append(row)
            if name == "*" and not alias:
                self.stars[scope].append(row)
            else:
                self._pending_imports.append((scope, row))
        self._load_bindings()

    def member_names(self) -> set[str] | None:
        """Every name a member lookup (``x.name``, whatever ``x`` is) can find something
        under: definitions, imports, type facts and attributes, qualname parts, module
        names. None when the type facts are not all in memory (read back from SQLite)."""
        names = self.bound_names()
        if names is None:
            return None
        names.update(self.name.values())
        for table in (self.imports, self.attrs):
            for scope_names in table.values():
                names.update(scope_names)
        # namespace members are found by their qualname: its last part (after "." or ":")
        names.update({qual.rpartition(".")[2].rpartition(":")[2] for qual in self.by_qual})
        for module in set(self.file_module.values()):  # submodules, namespace packages
            names.update(module.split("."))
        return names

    def descriptor_methods(self) -> list[int]:
        """Methods whose decorators make them descriptor objects (reading runs ``__get__``)."""
        if self._descriptors is None:
            out: list[int] = []
            for scope, name in self.decorators:
                for sid in self.children.get(scope, _NO).get(name, ()):
                    if self.kind.get(sid) in CALLABLE_KINDS and self.getter_instead(sid):
                        out.append(sid)
            self._descriptors = out
        return list(self._descriptors)

    def _bind_imports(self) -> None:
        """Bind import rows to the local names they define (needs the module resolver)."""
        for scope, row in self._pending_imports:
            local = self.modules.local_name(row)
            if local:
                self.imports[scope].setdefault(local, []).append(row)
        self._pending_imports = []

    def _add_binding(self, scope: int, name: str, typ: str, obj: str) -> bool:
        """Place one binding row's fact; whether it is a plain binding of a local name
        (kept in SQLite, read back by :meth:`binds`)."""
        if scope not in self.kind or not typ:
            return False
        if name.startswith("("):  # a name passed in a call: read by _load_bindings
            return False
        kind = self.kind[scope]
        if name == self.name[scope] and kind in CALLABLE_KINDS:
            # a binding named after its own callable: its signature, or a name it returns
            if typ.startswith("=("):
                self.params[scope] = typ[1:]
            elif typ.startswith("="):
                self.returns[scope] = typ[1:]
            else:
                self.signature[scope] = (typ, obj if obj.startswith("(") else "")
            return False
        if obj[:1] == "<":  # a type parameter of this class or callable (``<T>``)
            self.type_params.setdefault(scope, set()).add(name)
            return False
        if obj == "@":  # a decorator of the definition ``name`` in this scope
            self.decorators[(scope, name)].append(typ)
            pattern = self.rules(scope).property_types
            if pattern and _matches(pattern, typ):
                self.properties.add((scope, name))
            return False
        if obj == TABLE_OBJECT:  # a dict-literal table value: DispatchTables reads those
            return False
        if obj:
            rules = self.rules(scope)
            if obj in rules.self_names:
                cls = self.enclosing_class(scope)
                if cls is not None:
                    self.attrs[cls].setdefault(name, []).append((scope, typ))
            else:  # Cls.attr = ... / obj.attr = ...: placed once names can be looked up
                self._foreign_attrs.append((scope, obj, name, typ))
            return False
        if kind == "class":
            pattern = self.rules(scope).property_types
            if pattern and _matches(pattern, typ):  # a getter declared in the class body
                self.properties.add((scope, name))
                return False
            self.attrs[scope].setdefault(name, []).append((scope, typ))
        return True

    def _attach_foreign_attrs(self) -> None:
        """``Cls.attr = f`` / ``obj.attr = f`` outside the class (a class patched from elsewhere,
        an instance given an attribute): ``attr`` becomes an attribute of that class."""
        attached = False
        for scope, obj, name, typ in self._foreign_attrs:
            value = self.lookup(scope, obj)
            if value is None or value == EXTERNAL:
                continue
            if value[0] == "s" and self.kind.get(value[1][0]) == "class":
                cls = value[1][0]
            elif value[0] == "i":
                cls = value[1]
            else:
                continue
            self.attrs[cls].setdefault(name, []).append((scope, typ))
            attached = True
        self._foreign_attrs = []
        self._where_memo.clear()  # attributes were added: where names are found may change
        if attached:  # lookups made above may have seen the classes without these attributes
            self._lookup_memo.clear()
            self._member_memo.clear()
            self._type_memo.clear()
            self._param_memo.clear()
            self.modules._row_memo.clear()

    def release(self) -> None:
        """Break the program's one reference cycle (with its module resolver): the model
        is then freed at once when dropped, instead of by a later cyclic collection that
        walks its millions of objects (most of a second on a mid-sized repository)."""
        self.modules.p = None  # type: ignore[assignment]

    def _memos(self) -> tuple[dict, ...]:
        """The memos of derived values (each recomputable from the loaded facts)."""
        return (self._lookup_memo, self._member_memo, self._type_memo, self._param_memo,
                self._fixture_memo, self._called_memo, self._decorated_memo, self._where_memo, self._passed_sites,
                self._param_names, self._subs_memo, self.modules._row_memo)

    def snapshot(self) -> tuple[list[dict], Any]:
        """The memos whose values may depend on the order of the questions (cycle guards,
        and what derives from them), copied: :meth:`restore` puts them back."""
        return [dict(memo) for memo in self._ordered_memos()], self._subs

    def restore(self, saved: tuple[list[dict], Any]) -> None:
        """The memos as :meth:`snapshot` saw them (between two files only)."""
        memos, self._subs = saved
        for memo, kept in zip(self._ordered_memos(), memos, strict=True):
            memo.clear()
            memo.update(kept)

    def _ordered_memos(self) -> tuple[dict, ...]:
        return (*self._memos(), self._bases_memo, self._mro_memo)

    def memo_size(self) -> int:
        """How many derived values are remembered (what :meth:`forget` would free)."""
        return sum(map(len, self._memos()))

    def forget(self) -> None:
        """Drop the memoised derived values (never while a lookup is under way): memory
        stays bounded on large repositories. Values first computed inside a cycle guard may
        come out differently afterwards, so a driver forgets at fixed points of its input
        (the same tree then still gives the same answers)."""
        for memo in self._memos():
            memo.clear()

    def merged(self, values: list[Value]) -> Value:
        """One value for a name bound several ways (``f = a`` here, ``f = b`` there, a ``def``
        rebound): the union of the callables (or classes) when they all are, else the first."""
        values = [v for v in values if v is not None]
        if not values:
            return None
        first = values[0]
        if len(values) == 1 or first[0] != "s":
            return first
        callable_kind = self.kind.get(first[1][0]) in CALLABLE_KINDS
        ids: dict[int, None] = {}
        inferred = False
        for value in values:
            if value[0] != "s" or (self.kind.get(value[1][0]) in CALLABLE_KINDS) != callable_kind \
                    or (not callable_kind and self.kind.get(value[1][0]) != "class"):
                return first
            ids.update(dict.fromkeys(value[1]))
            inferred = inferred or len(value) > 2
        return ("s", tuple(ids), LIKELY) if inferred else ("s", tuple(ids))

    def _attach_receiver_methods(self) -> None:
        """Methods declared outside their type (Go receivers) become members of that type."""
        kind_of, parent_of = self.kind, self.parent
        outside = [sid for sid, kind in kind_of.items() if kind == "method"
                   and kind_of.get(parent_of[sid]) == "module"]  # type: ignore[arg-type]
        if not outside:  # (most languages: none, and no need to list the types)
            return
        top_types: dict[tuple[str, str], list[int]] = defaultdict(list)
        for sid, kind in kind_of.items():
            if kind == "class":
                parent = parent_of[sid]
                if parent is not None and kind_of.get(parent) == "module":
                    fid = self.file[sid]
                    top_types[(self.dir_of.get(fid, ""), self.name[sid])].append(sid)
        for sid in outside:
            qual, name = self.qual[sid], self.name[sid]
            container = qual[: len(qual) - len(name) - 1] if qual.endswith("." + name) else ""
            owner = container.rsplit(".", 1)[-1].strip("()*") if container else ""
            if not owner:
                continue
            fid = self.file[sid]
            for cls in top_types.get((self.dir_of.get(fid, ""), owner), ()):
                self.children[cls].setdefault(name, []).append(sid)

    def type_value(self, scope: int, text: str) -> Value:
        """:meth:`ValueFlow.type_value`, and foreign for a declared type from outside the
        repository where the language says so (``foreign_declared``): ``h http.Header``
        is nothing of the repository's, while an unknown type (``string``) stays unknown."""
        value = ValueFlow.type_value(self, scope, text)
        if value is None and text[:1] != "=":
            rules = self.rules(scope)
            if rules.foreign_declared:
                name = clean_type(text, rules.type_wrappers)
                found = self.eval_dotted(scope, name) if name else None
                if found == EXTERNAL or (found is None and name and rules.unresolved_foreign
                                         and self._unresolved_foreign(scope, name)):
                    value = self._type_memo[(scope, text)] = EXTERNAL
        return value

    def _unresolved_foreign(self, scope: int, name: str) -> bool:
        """Whether a type ``name`` that resolves to nothing in ``scope`` is from outside the
        repository (``unresolved_foreign``): not a type parameter of ``scope`` or of what
        encloses it, and not the name of any class of the repository."""
        head = name.partition(".")[0]
        sid: int | None = scope
        while sid is not None:
            if head in self.type_params.get(sid, ()):
                return False
            sid = self.parent.get(sid)
        if name in self.by_qual:
            return False
        if self._class_names is None:
            names: dict[str, set[str]] = defaultdict(set)
            for cls, kind in self.kind.items():
                if kind == "class":
                    names[self.lang(cls)].add(self.name[cls])
            self._class_names = names
        return name.rpartition(".")[2] not in self._class_names.get(self.lang(scope), ())

    # ---- basic facts -----------------------------------------------------------
    def lang(self, sid: int) -> str:
        return self.file_lang.get(self.file.get(sid, -1), "")

    def rules(self, sid: int) -> CallRules:
        fid = self.file.get(sid, -1)
        rules = self._file_rules.get(fid)
        if rules is None:
            rules = self._file_rules[fid] = call_rules(self.file_lang.get(fid, ""))
        return rules

    def symbol_rules(self, sid: int) -> CallRules | None:
        """The rules of a symbol's language; None when ``sid`` is no symbol of the index."""
        fid = self.file.get(sid)
        return None if fid is None else self._file_rules.get(fid)

    def enclosing_class(self, sid: int | None) -> int | None:
        """The innermost class holding ``sid`` (``sid`` itself when it is a class)."""
        memo = self._class_memo
        if sid in memo:
            return memo[sid]
        start = sid
        found = None
        seen = 0
        while sid is not None and seen < 64:
            if self.kind.get(sid) == "class":
                found = sid
                break
            sid = self.parent.get(sid)
            seen += 1
        memo[start] = found
        return found

    def module_of(self, sid: int) -> int | None:
        return self.module_sym.get(self.file.get(sid, -1))

    def container(self, sid: int) -> str:
        """The qualname of what holds ``sid`` (``src/a.js:obj`` for ``src/a.js:obj.f``)."""
        qual, name = self.qual[sid], self.name[sid]
        if qual.endswith(name) and len(qual) > len(name):
            return qual[: len(qual) - len(name) - 1]
        return ""

    # ---- name lookup -------------------------------------------------------------
    def lookup(self, scope: int, name: str) -> Value:
        """What ``name`` means in ``scope``: local, enclosing, module, shared scopes."""
        key = (scope, name)
        memo = self._lookup_memo
        value = memo.get(key, _UNSET)
        if value is not _UNSET:
            return value
        memo[key] = None  # cycle guard
        value = memo[key] = self._lookup(scope, name)
        return value

    def _lookup(self, scope: int, name: str) -> Value:
        rules = self._file_rules.get(self.file.get(scope, -1)) or self.rules(scope)
        if name in rules.self_names:
            cls = self.enclosing_class(scope)
            if cls is not None:
                return ("s", (cls,)) if name in rules.class_self_names else ("i", cls)
        if name in self.children.get(scope, _NO) or name in self.imports.get(scope, _NO) \
                or (scope in self._bound and name in self.binds(scope)) \
                or (scope in self.params and name in self.param_names(scope)):
            value = self.local(scope, name)  # (None whenever the scope has no such name)
            if value is not None:
                return value
        kind = self.kind.get(scope)
        if kind == "class" and rules.class_scope:
            value = self.class_member(scope, name)
            if value is not None:
                return value
        if kind == "module":
            return self.module_fallback(scope, name)
        outer = self.parent.get(scope)
        while outer is not None and not rules.class_scope and self.kind.get(outer) == "class":
            outer = self.parent.get(outer)  # class bodies are not visible from their methods
        return self.lookup(outer, name) if outer is not None else None

    def outer_scope(self, scope: int, rules: CallRules) -> int | None:
        """The scope a lookup in ``scope`` falls back to (as :meth:`_lookup` walks, inline
        there: class bodies are not visible from their methods, unless the language says so)."""
        outer = self.parent.get(scope)
        while outer is not None and not rules.class_scope and self.kind.get(outer) == "class":
            outer = self.parent.get(outer)
        return outer

    def only_parameter(self, scope: int, name: str, rules: CallRules) -> bool:
        """Whether ``name`` is, in callable ``scope``, a parameter and nothing else (no
        definition, import or type fact, not ``self``): :meth:`lookup` then gives what the
        callers pass (:meth:`param_value`, callables and classes only), else the outer
        scope's value. Not a parameter a fixture fills (:meth:`fixture_value`: an instance)."""
        return (scope in self.params and name not in rules.self_names
                and name not in self.children.get(scope, _NO)
                and name not in self.imports.get(scope, _NO)
                and not (scope in self._bound and name in self.binds(scope))
                and name in self.param_names(scope)
                and not (rules.fixture_types and self.fixture_value(scope, name) is not None))

    def local(self, sid: int, name: str) -> Value:
        """A name defined directly in scope ``sid``: definition, import or typed local."""
        defs = self.children.get(sid, _NO).get(name)
        if defs:
            binds = self.binds(sid).get(name)
            if binds:  # a def rebound to another callable in the same scope: either may run
                aliases = [self.type_value(sid, typ) for typ in binding_texts(binds)
                           if typ.startswith("=")]
                return self.merged([("s", tuple(defs)), *aliases])
            return ("s", tuple(defs))
        rows = self.imports.get(sid, _NO).get(name)
        if rows:
            for row in rows:
                value = self.modules.import_value(row)
                if value is not None:
                    return value
            return EXTERNAL
        binds = self.binds(sid).get(name)
        value = None
        if binds:
            if binds.__class__ is str:
                value = self.type_value(sid, binds)
            else:
                values = [self.type_value(sid, typ) for typ in binds]
                if EXTERNAL in values and self.rules(sid).foreign_declared:
                    # bound in several places (a closure's parameter of the same name): a
                    # declared outside type does not hide what the repository binds it to
                    values = [v for v in values if v != EXTERNAL] or values
                value = self.merged(values)
        if sid in self.params and name in self.param_names(sid):
            # a parameter: its default or annotation, and what the call sites pass
            passed = self.param_value(sid, name)
            if passed is None and value is None:
                passed = self.fixture_value(sid, name)
            if passed is not None:
                return self.merged([value, passed]) if value is not None else passed
        return value

    def fixture_value(self, sid: int, name: str) -> Value:
        """What the test framework passes parameter ``name`` of ``sid`` (a test or a fixture):
        what the closest fixture of that name returns (CallRules.fixture_types); None when
        the language has no fixtures, ``sid`` does not request any, or none is in the
        repository (the framework's own, a plugin's)."""
        key = (sid, name)
        memo = self._fixture_memo
        if key in memo:
            return memo[key]
        memo[key] = None  # cycle guard
        value = None
        rules = self.rules(sid)
        if rules.fixture_types and self._requests_fixtures(sid, rules):
            for fixture in self._fixtures_named(sid, name, rules):
                if fixture != sid:  # a fixture overriding one of its name asks for that one
                    value = self.instance_of(("s", (fixture,)))
                    break
        memo[key] = value
        return value

    def _requests_fixtures(self, sid: int, rules: CallRules) -> bool:
        own = self.name[sid]
        if rules.fixture_requesters and _matches(rules.fixture_requesters, own):
            return True
        return self._is_fixture(sid, rules)

    def _is_fixture(self, sid: int, rules: CallRules) -> bool:
        texts = self.decorators.get((self.parent.get(sid), self.name[sid]), ())
        return any(_matches(rules.fixture_types, text.partition("(")[0]) for text in texts)

    def _fixtures_named(self, sid: int, name: str, rules: CallRules) -> Iterator[int]:
        """Fixtures named ``name`` as the framework looks for them from ``sid``, closest
        first: the enclosing classes, the module, then the fixture files (conftest.py) of
        the module's directory and of every directory above it."""
        scope = self.parent.get(sid)
        while scope is not None:
            for fixture in self.children.get(scope, _NO).get(name, ()):
                if self._is_fixture(fixture, rules):
                    yield fixture
            scope = self.parent.get(scope)
        if not rules.fixture_files:
            return
        files = self._fixture_files(rules.fixture_files)
        fid = self.file[sid]
        here = self.file_path.get(fid, "")
        directory = here.rpartition("/")[0]
        while True:
            for module in files.get(directory, ()):
                if self.file[module] == fid:
                    continue  # (the module itself: looked at above)
                for fixture in self.children.get(module, _NO).get(name, ()):
                    if self._is_fixture(fixture, rules):
                        yield fixture
            if not directory:
                return
            directory = directory.rpartition("/")[0]

    def _fixture_files(self, names: tuple[str, ...]) -> dict[str, list[int]]:
        """Directory -> module symbols of the fixture files (``conftest.py``) in it."""
        found = self._fixture_dirs.get(names)
        if found is None:
            found = self._fixture_dirs[names] = defaultdict(list)
            for fid, path in self.file_path.items():
                directory, _, base = path.rpartition("/")
                module = self.module_sym.get(fid)
                if base in names and module is not None:
                    found[directory].append(module)
        return found

    def module_fallback(self, module: int, name: str) -> Value:
        """Names a module sees beyond its own: star imports, then its shared scope."""
        outside = None
        for row in self.stars.get(module, ()):
            target = self.modules.module_value(row)
            if target is not None and target != EXTERNAL:
                value = self.member(target, name, seen=(module,))
                if value == EXTERNAL:
                    # a star module that imports the name (TypeScript's `export *` does
                    # not even pass imports on, Python's passes them): a later one may
                    # define it, as `export * from "./a"; export * from "./b"` barrels do
                    outside = value
                elif value is not None:
                    return value
        if outside is not None:
            return outside
        rules = self.rules(module)
        if rules.shared_scope == "directory":
            fid = self.file[module]
            ids = self.shared_names(self.dir_of.get(fid, ""), self.file_lang[fid]).get(name)
            if ids:
                return ("s", tuple(ids))
        prefix = self.top_prefix(module)
        if prefix and prefix + name in self.modules._containers():
            return ("p", ("q", prefix + name))  # a naming scope: an object literal, a namespace
        return None

    def top_prefix(self, module: int) -> str:
        """What a module's top-level qualnames start with (``pkg.mod.``, ``src/a.js:``)."""
        prefix = self._prefix_memo.get(module)
        if prefix is None:
            prefix = ""
            for name, ids in self.children.get(module, {}).items():
                for sid in ids:
                    qual = self.qual[sid]
                    if qual.endswith(name) and (not prefix or len(qual) - len(name) < len(prefix)):
                        prefix = qual[: len(qual) - len(name)]
            self._prefix_memo[module] = prefix
        return prefix

    def shared_names(self, directory: str, lang: str) -> dict[str, list[int]]:
        """Top-level names of every file of ``lang`` in ``directory`` (a Go/Java package)."""
        key = (directory, lang)
        names = self._shared.get(key)
        if names is None:
            names = {}
            if self._dir_files is None:
                self._dir_files = defaultdict(list)
                for fid in self.file_path:
                    self._dir_files[(self.dir_of[fid], self.file_lang[fid])].append(fid)
            for fid in self._dir_files.get((directory, lang), ()):
                msym = self.module_sym.get(fid)
                for child, ids in self.children.get(msym, {}).items():
                    for sid in ids:
                        if self.kind[sid] != "method" or self.parent[sid] != msym:
                            names.setdefault(child, []).append(sid)
            self._shared[key] = names
        return names

    # ---- members -------------------------------------------------------------------
    def member(self, value: Value, name: str, seen: tuple = ()) -> Value:
        """``value.name``: a module's, package's or class's member, an instance attribute."""
        if value is None or value == EXTERNAL:
            return value
        key = (value, name)
        memo = self._member_memo
        if key in memo:
            return memo[key]
        memo[key] = None
        result = self._member(value, name, seen)
        memo[key] = result
        return result

    def _member(self, value: tuple, name: str, seen: tuple) -> Value:
        tag = value[0]
        if tag == "i":
            return self.class_member(value[1], name, instance=True)
        if tag == "p":
            return self.modules.namespace_member(value[1], name)
        ids = value[1]
        sid = ids[0]
        kind = self.kind.get(sid)
        if kind == "module":
            if sid in seen or len(seen) > 16:
                return None
            found = self.local(sid, name)
            if found is None:
                found = self.module_fallback(sid, name) if self.stars.get(sid) else None
            if found is None:
                found = self.modules.submodule(sid, name)
            if found is None:  # CommonJS: members of what module.exports holds
                for export in self.rules(sid).default_exports:
                    held = self.local(sid, export)
                    if held is not None and held != value and held != EXTERNAL:
                        found = self.member(held, name, seen=(*seen, sid))
                        if found is not None:
                            break
            return found
        if kind == "class":
            return self.class_member(sid, name)
        return None
