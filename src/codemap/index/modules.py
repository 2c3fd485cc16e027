"""Where an import points: module texts mapped to files, packages and symbols.

Each language names a strategy in its registry knobs (``imports``):

* ``python``: dotted module names (``files.module``), relative levels,
  packages through ``__init__.py``, namespace packages, and sibling modules
  for scripts outside any package;
* ``path``: JS/TS specifiers relative to the importing file, probed with
  the language's suffixes (``./x`` -> ``x.ts``, ``x/index.js``);
* ``go``: import paths mapped to directories through each ``go.mod``
  module path (or, before the repository root is known, by the longest
  directory suffix of the import path);
* ``qualname`` (Java and the default): the text is a qualified name of a
  class, a static member, or a package.

Anything that does not map into the repository is external: the resolver
never guesses through it.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from codemap.index.callrules import call_rules, entry_rules
from codemap.ownpackages import declared_name

if TYPE_CHECKING:  # pragma: no cover
    from codemap.index.program import Program, Value

EXTERNAL = ("x",)
# a package's files as one program sees them: (directory, language, test files or not)
Unit = tuple[str, str, bool]
_GO_VERSION = re.compile(r"^v\d+$")


class ModuleResolver:
    """Resolves import rows ``(file, module, name, alias, level)`` against a Program."""

    def __init__(self, program: Program) -> None:
        self.p = program
        p = program
        self.py_modules: dict[str, int] = {}
        self.py_prefixes: set[str] = set()
        self.package_dirs: set[str] = set()
        self.by_path: dict[str, int] = {}
        self.go_dirs: set[str] = set()
        for fid, path in p.file_path.items():
            self.by_path[path] = fid
            lang = p.file_lang[fid]
            strategy = call_rules(lang).imports
            if strategy == "python":
                module = p.file_module[fid]
                msym = p.module_sym.get(fid)
                if module and msym is not None:
                    self.py_modules.setdefault(module, msym)
                    parts = module.split(".")
                    for i in range(1, len(parts)):
                        self.py_prefixes.add(".".join(parts[:i]))
                if path.endswith("/__init__.py") or path == "__init__.py":
                    self.package_dirs.add(p.dir_of[fid])
            elif strategy == "go":
                self.go_dirs.add(p.dir_of[fid])
        self._go_mods: list[tuple[str, str]] | None = None
        self._row_memo: dict[tuple, Value] = {}
        self._pkg_names: dict[str, str] = {}
        self._container_set: set[str] | None = None
        self._units: dict[int, Unit | None] = {}  # file id -> its unit (see unit_of)
        self._unit_files: dict[tuple[str, str], list[tuple[int, bool]]] | None = None
        self._closures: dict[Unit, frozenset[str]] = {}
        self._shared_memo: dict[tuple[Unit, Unit], bool] = {}

    # ---- local names ----------------------------------------------------------------
    def local_name(self, row: tuple) -> str | None:
        """The name an import binds in its scope (None: binds nothing usable)."""
        fid, module, name, alias, _level = row
        binds = call_rules(self.p.file_lang.get(fid, "")).import_binds
        if alias:
            if alias in ("_", "."):
                if alias == ".":
                    scope = self.p.module_sym.get(fid)
                    if scope is not None:
                        self.p.stars[scope].append((fid, module, "*", "", 0))
                return None
            return alias
        if name and name != "*":
            return name.split(".")[-1]
        if not module:
            return None
        if binds == "first":
            return re.split(r"[./]", module)[0]
        if binds == "package":
            target = self.module_value(row)
            if target is not None and target[0] == "p" and target[1][0] == "dir":
                pkg = self.package_name(target[1][1], target[1][2])
                if pkg:
                    return pkg
            last = module.rstrip("/").split("/")
            if len(last) > 1 and _GO_VERSION.match(last[-1]):
                last = last[:-1]
            return re.sub(r"[^\w]", "_", last[-1].split(".")[-1]) if last else None
        return re.split(r"[./:\\]+", module.rstrip(".*"))[-1] or None

    def package_name(self, directory: str, lang: str) -> str:
        key = f"{lang}:{directory}"
        name = self._pkg_names.get(key)
        if name is None:
            name = ""
            for ids in self.p.shared_names(directory, lang).values():
                for sid in ids:
                    qual, sname = self.p.qual[sid], self.p.name[sid]
                    if qual.endswith("." + sname):
                        name = qual[: -len(sname) - 1].rsplit(".", 1)[-1]
                        break
                if name:
                    break
            self._pkg_names[key] = name
        return name

    # ---- what an import means --------------------------------------------------------
    def import_value(self, row: tuple) -> Value:
        memo = self._row_memo
        if row in memo:
            return memo[row]
        memo[row] = None
        value = self._import_value(row)
        memo[row] = value
        return value

    def _import_value(self, row: tuple) -> Value:
        fid, module, name, alias, level = row
        rules = call_rules(self.p.file_lang.get(fid, ""))
        if not module and not level:  # an export of this very module: alias -> name
            msym = self.p.module_sym.get(fid)
            return self.p.local(msym, name) if msym is not None and name != alias else None
        target = self.module_value(row)
        if name == "*":
            return target
        if not name:
            if rules.imports == "python" and not alias:
                first = module.split(".")[0]
                return self.python_module(first, fid)
            if rules.default_import == "default" and target not in (None, EXTERNAL):
                for export in rules.default_exports:
                    found = self.p.member(target, export)
                    if found is not None:
                        return found
            return target
        if target is None or target == EXTERNAL:
            return target
        if rules.imports == "qualname":
            return target
        found = self.p.member(target, name)
        return found

    def module_value(self, row: tuple) -> Value:
        """The module / package / class an import row's module text names."""
        fid, module, name, _alias, level = row
        strategy = call_rules(self.p.file_lang.get(fid, "")).imports
        if strategy == "python":
            dotted = self.python_absolute(fid, module, level)
            return self.python_module(dotted, fid) if dotted is not None else None
        if strategy == "path":
            return self.path_module(fid, module)
        if strategy == "go":
            return self.go_package(module, self.p.file_lang[fid])
        text = module if not name or name == "*" else f"{module}.{name}"
        return self.qualified(text, self.p.file_lang[fid], star=name == "*")

    # ---- python ------------------------------------------------------------------------
    def python_absolute(self, fid: int, module: str, level: int) -> str | None:
        if not level:
            return module
        own = self.p.file_module.get(fid, "")
        parts = own.split(".") if own else []
        path = self.p.file_path[fid]
        if not (path.endswith("/__init__.py") or path == "__init__.py"):
            parts = parts[:-1]
        up = level - 1
        if up > len(parts):
            return None
        base = parts[: len(parts) - up]
        if module:
            base = [*base, module]
        return ".".join(base)

    def python_module(self, dotted: str, fid: int | None = None) -> Value:
        msym = self.py_modules.get(dotted)
        if msym is not None:
            return ("s", (msym,))
        if dotted in self.py_prefixes:
            return ("p", ("py", dotted))
        if fid is not None and self.p.dir_of.get(fid, "") not in self.package_dirs:
            # a script outside any package imports its siblings (sys.path[0])
            own = self.p.file_module.get(fid, "")
            if "." in own:
                sibling = own.rsplit(".", 1)[0] + "." + dotted
                msym = self.py_modules.get(sibling)
                if msym is not None:
                    return ("s", (msym,))
                if sibling in self.py_prefixes:
                    return ("p", ("py", sibling))
        return EXTERNAL

    def submodule(self, module_sym: int, name: str) -> Value:
        fid = self.p.file[module_sym]
        if call_rules(self.p.file_lang[fid]).imports != "python":
            return None
        own = self.p.file_module.get(fid, "")
        dotted = f"{own}.{name}" if own else name
        found = self.python_module(dotted)
        return None if found == EXTERNAL else found

    # ---- paths (JS/TS) --------------------------------------------------------------------
    def path_module(self, fid: int, spec: str) -> Value:
        if not spec:
            return None
        base = self.p.dir_of.get(fid, "")
        if spec.startswith("."):
            start = posixpath.normpath(posixpath.join(base, spec))
            candidates = [start]
        elif spec.startswith("/"):
            candidates = [spec.lstrip("/")]
        elif spec[:2] in ("@/", "~/"):
            candidates = [f"src/{spec[2:]}", spec[2:]]
        else:
            return EXTERNAL
        suffixes = call_rules(self.p.file_lang[fid]).import_suffixes
        for cand in candidates:
            stems = [cand]
            stem, ext = posixpath.splitext(cand)
            if ext in (".js", ".mjs", ".cjs", ".jsx"):
                stems.append(stem)  # TS sources imported by their compiled name
            for s in stems:
                for suffix in ("", *suffixes):
                    target = self.by_path.get(s + suffix)
                    if target is not None and target in self.p.module_sym:
                        return ("s", (self.p.module_sym[target],))
        return EXTERNAL

    # ---- go ----------------------------------------------------------------------------------
    def read_ahead(self) -> None:
        """Read now what would be read from SQLite on first use (before a fork: the
        forked process cannot use the connection)."""
        if self.go_dirs:
            self.go_modules()

    def go_modules(self) -> list[tuple[str, str]]:
        """(module root directory, module path) of every go.mod, when the root is known."""
        if self._go_mods is None:
            mods: list[tuple[str, str]] = []
            root = self._root()
            if root is not None:
                for (path,) in self.p.conn.execute(
                        "SELECT path FROM files WHERE path = 'go.mod' OR path LIKE '%/go.mod'"):
                    try:
                        text = (root / path).read_text(encoding="utf-8", errors="replace")
                    except OSError:
                        continue
                    module = declared_name("go", text)
                    if module:
                        mods.append((path.rsplit("/", 1)[0] if "/" in path else "", module))
            mods.sort(key=lambda m: -len(m[1]))
            self._go_mods = mods
        return self._go_mods

    def _root(self) -> Path | None:
        root = getattr(self.p, "root", None)
        if root is None:
            row = self.p.conn.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()
            root = row[0] if row else None
        return Path(root) if root else None

    def go_package(self, import_path: str, lang: str) -> Value:
        if not self.go_dirs:
            return EXTERNAL
        for mod_dir, mod_path in self.go_modules():
            if import_path == mod_path or import_path.startswith(mod_path + "/"):
                rel = import_path[len(mod_path):].strip("/")
                directory = posixpath.join(mod_dir, rel) if mod_dir else rel
                directory = directory.strip("/")
                if directory in self.go_dirs:
                    return ("p", ("dir", directory, lang))
                return EXTERNAL
        # no go.mod known: the longest repository directory that ends the import path
        parts = import_path.strip("/").split("/")
        for i in range(len(parts)):
            directory = "/".join(parts[i:])
            if directory in self.go_dirs and (i > 0 or len(parts) == 1):
                return ("p", ("dir", directory, lang))
        return EXTERNAL

    # ---- qualified names (Java, default) -------------------------------------------------
    def qualified(self, text: str, lang: str, *, star: bool = False) -> Value:
        text = text.rstrip(".*")
        for form in dict.fromkeys((text, re.sub(r"::|\\|/", ".", text))):
            ids = self.p.by_qual.get(form)
            if ids:
                return ("s", tuple(ids))
            if star:
                if form in self._containers():
                    return ("p", ("pkg", form, lang))
                continue
            head, _, last = form.rpartition(".")
            if head:
                owner = self.p.by_qual.get(head)
                if owner and self.p.kind[owner[0]] == "class":
                    found = self.p.class_member(owner[0], last)
                    if found is not None:
                        return found
        return EXTERNAL

    def _containers(self) -> set[str]:
        """Every dotted prefix that holds a qualname (packages, classes)."""
        if self._container_set is None:  # Program.container of each qualname's first symbol
            name = self.p.name
            found: set[str] = set()
            add = found.add
            for qual, ids in self.p.by_qual.items():
                short = name[ids[0]]
                if len(qual) > len(short) and qual.endswith(short):
                    add(qual[: len(qual) - len(short) - 1])
            found.discard("")
            self._container_set = found
        return self._container_set

    # ---- namespaces ---------------------------------------------------------------------------
    def namespace_member(self, key: tuple, name: str) -> Value:
        tag = key[0]
        if tag == "dir":
            ids = self.p.shared_names(key[1], key[2]).get(name)
            return ("s", tuple(ids)) if ids else None
        if tag == "pkg":
            ids = self.p.by_qual.get(f"{key[1]}.{name}")
            return ("s", tuple(ids)) if ids else None
        if tag == "py":
            found = self.python_module(f"{key[1]}.{name}")
            return None if found == EXTERNAL else found
        if tag == "q":
            ids = self.p.by_qual.get(f"{key[1]}.{name}")
            return ("s", tuple(ids)) if ids else None
        return None

    # ---- programs: which packages one program may link ------------------------------------
    def unit_of(self, fid: int) -> Unit | None:
        """The package unit of a file, for a language whose programs are rooted in a
        main package (the entry rules' ``main_package``, Go): its directory (a package is
        a directory), language and whether it is a test file (a test binary is a program
        of its own); None for other languages (every definition may share a program)."""
        units = self._units
        if fid in units:
            return units[fid]
        lang = self.p.file_lang.get(fid, "")
        rules = entry_rules(lang)
        unit = None
        if rules.main_package:
            from codemap.entrypoints import _is_test_file

            path = self.p.file_path.get(fid, "")
            unit = (self.p.dir_of.get(fid, ""), lang,
                    bool(rules.test_files) and _is_test_file(path, rules.test_files))
        units[fid] = unit
        return unit

    def shares_program(self, unit: Unit | None, sid: int) -> bool:
        """Whether code of ``unit`` may run definition ``sid`` (dynamic dispatch, a guess):
        a root (a main package, or a package's tests) is imported by nobody, so it links
        only what it imports, directly or not, and two roots never share a program; two
        library packages may always end up in one."""
        if unit is None:
            return True
        other = self.unit_of(self.p.file.get(sid, -1))
        if other is None or other[0] == unit[0] or other[1] != unit[1]:
            return True
        key = (unit, other)
        found = self._shared_memo.get(key)
        if found is None:
            root, other_root = self._is_root(unit), self._is_root(other)
            if root and other_root:
                found = False
            elif root:
                found = other[0] in self._closure(unit)
            elif other_root:
                found = unit[0] in self._closure(other)
            else:
                found = True
            self._shared_memo[key] = found
        return found

    def _is_root(self, unit: Unit) -> bool:
        main = entry_rules(unit[1]).main_package
        return unit[2] or (bool(main) and self.package_name(unit[0], unit[1]) == main)

    def _closure(self, unit: Unit) -> frozenset[str]:
        """The directories a unit imports, directly or through other packages (its own
        included); a package's test files import for its tests only."""
        found = self._closures.get(unit)
        if found is not None:
            return found
        files = self._files_by_dir()
        directory, lang, tests = unit
        seen = {directory}
        frontier = [fid for fid, test in files.get((directory, lang), ()) if tests or not test]
        while frontier:
            nxt: list[int] = []
            for fid in frontier:
                for row in self.p.package_imports.get(fid, ()):
                    target = self.module_value(row)
                    if target is None or target == EXTERNAL:
                        continue
                    if target[0] == "p" and target[1][0] == "dir":
                        imported = target[1][1]
                    elif target[0] == "s":
                        imported = self.p.dir_of.get(self.p.file.get(target[1][0], -1), "")
                    else:
                        continue
                    if imported not in seen:
                        seen.add(imported)
                        nxt.extend(f for f, test in files.get((imported, lang), ()) if not test)
            frontier = nxt
        found = self._closures[unit] = frozenset(seen)
        return found

    def _files_by_dir(self) -> dict[tuple[str, str], list[tuple[int, bool]]]:
        """(directory, language) -> (file id, whether a test file) of every unit's file."""
        if self._unit_files is None:
            out: dict[tuple[str, str], list[tuple[int, bool]]] = {}
            for fid in self.p.file_path:
                unit = self.unit_of(fid)
                if unit is not None:
                    out.setdefault(unit[:2], []).append((fid, unit[2]))
            self._unit_files = out
        return self._unit_files

