"""Names across files: what a name in a file refers to, and which file a module is.

Route declarations refer to routers and handlers by name: ``bp`` imported
from ``.auth``, ``require('./routes/users')``, a Go package. A
:class:`Workspace` holds every file's route facts and answers "what is this
name bound to here" (an assignment, a function parameter, an import, a
function or a class), walking the file's scopes outwards. Module
specifiers are resolved to repository files by the language's module style
(a table entry in :data:`MODULE_STYLES`), never by branching on a language.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from codemap.endpoints.frameworks import Framework, frameworks_for

# language -> how its module specifiers name files
MODULE_STYLES: dict[str, str] = {
    "python": "dotted", "javascript": "relative", "typescript": "relative", "tsx": "relative",
    "go": "package", "java": "none", "rust": "rust", "ruby": "none", "php": "none",
    "csharp": "none", "kotlin": "none",
}
_MODULE_SEPS = ("/", ".", "::", "\\")
_JS_EXTS = ("", ".js", ".ts", ".tsx", ".jsx", ".mjs", ".cjs", "/index.js", "/index.ts",
            "/index.tsx", "/index.jsx", "/index.mjs")


@dataclass
class FileCtx:
    """One file's route facts, indexed for lookups."""

    path: str
    lang: str
    module: str  # dotted module name (Python) or ""
    facts: dict[str, Any]
    frameworks: list[Framework] = field(default_factory=list)
    imports: dict[tuple[int, str], list[tuple[str, str, int]]] = field(default_factory=dict)
    assigns: dict[tuple[int, str], list[tuple[int, Any, bool]]] = field(default_factory=dict)
    scopes: dict[int, list[Any]] = field(default_factory=dict)  # start -> [start,end,name,params,line,parent]
    functions: dict[tuple[int, str], int] = field(default_factory=dict)  # (parent scope, name) -> start
    exports: dict[str, Any] = field(default_factory=dict)
    classes: dict[str, list[Any]] = field(default_factory=dict)
    returns: dict[int, list[tuple[Any, int]]] = field(default_factory=dict)  # scope -> values
    deps: dict[int, list[tuple[Any, list[str]]]] = field(default_factory=dict)  # function ->
    #                                         its parameters' dependency calls, type names
    _modules: dict[str, set[str]] = field(default_factory=dict)
    _names: dict[str, set[str]] = field(default_factory=dict)
    _chains: dict[int, list[int]] = field(default_factory=dict)

    @staticmethod
    def build(path: str, lang: str, module: str, facts: dict[str, Any]) -> FileCtx:
        ctx = FileCtx(path, lang, module, facts)
        for scope, local, mod, member, line in facts.get("imports", ()):
            ctx.imports.setdefault((scope, local), []).append((mod, member, line))
        for scope, name, value, line, augment in facts.get("assigns", ()):
            ctx.assigns.setdefault((scope, name), []).append((line, value, augment))
        for span in facts.get("scopes", ()):
            ctx.scopes[span[0]] = span
            if span[2]:
                ctx.functions.setdefault((span[5], span[2]), span[0])
        for name, value in facts.get("exports", ()):
            ctx.exports.setdefault(name, value)
        for cls in facts.get("classes", ()):
            ctx.classes.setdefault(cls[0], cls)
        for scope, value, line in facts.get("returns", ()):
            ctx.returns.setdefault(scope, []).append((value, line))
        for scope, value, names in facts.get("deps", ()):
            ctx.deps.setdefault(scope, []).append((value, names))
        mods = {m for (_s, _l), entries in ctx.imports.items() for m, _mem, _ln in entries}
        for _scope, call, _byte in facts.get("calls", ()):  # require('fastify')({...})
            for c in (call, call.get("call")):
                if isinstance(c, dict) and c.get("verb") == "require" and c.get("call") is None:
                    first = (c.get("args") or [{}])[0]
                    mods.update(p for p in first.get("str", []) if isinstance(p, str))
        heads = {_head(c) for _s, c, _b in facts.get("calls", ())} - {""}
        for fw in frameworks_for(lang):
            if any(under(m, p) for m in mods for p in fw.modules) or \
                    any(h.split(".")[0] in fw.globals or h in fw.facades for h in heads):
                ctx.frameworks.append(fw)
        return ctx

    def chain(self, scope: int) -> list[int]:
        """``scope`` and its enclosing scopes, innermost first, ending with -1 (module)."""
        found = self._chains.get(scope)
        if found is None:
            found = self._chains[scope] = self._chain(scope)
        return found

    def _chain(self, scope: int) -> list[int]:
        out: list[int] = []
        seen: set[int] = set()
        while scope != -1 and scope not in seen and scope in self.scopes:
            seen.add(scope)
            out.append(scope)
            scope = self.scopes[scope][5]
        out.append(-1)
        return out

    def framework_modules(self, fw: Framework) -> set[str]:
        """Local names bound to an import of one of ``fw``'s modules."""
        cached = self._modules.get(fw.name)
        if cached is not None:
            return cached
        out = self._modules[fw.name] = set()
        for (_scope, local), entries in self.imports.items():
            for mod, member, _line in entries:
                if any(under(mod, p) for p in fw.modules) and member in ("", "default", "*"):
                    out.add(local)
        return out

    def framework_names(self, fw: Framework) -> set[str]:
        """Local names bound to a module of ``fw`` or to anything imported from one
        (``use axum::Router``), and the names it puts in scope without an import."""
        cached = self._names.get(fw.name)
        if cached is not None:
            return cached
        out = self._names[fw.name] = set(self.framework_modules(fw)) | set(fw.globals)
        for (_scope, local), entries in self.imports.items():
            if any(under(mod, p) for mod, _member, _line in entries for p in fw.modules):
                out.add(local)
        return out


def under(module: str, prefix: str) -> bool:
    """Is ``module`` the module ``prefix`` or inside it (``a/b``, ``a.b``, ``a::b``, ``A\\B``)?"""
    return module == prefix or any(module.startswith(prefix + sep) for sep in _MODULE_SEPS)


def _head(value: Any) -> str:
    """The name a call chain starts from (``Route`` of ``Route::prefix('a')->group()``)."""
    obj = value.get("call") if isinstance(value, dict) else None
    while isinstance(obj, dict) and "verb" in obj:
        obj = obj.get("call")
    return str(obj["name"]) if isinstance(obj, dict) and "name" in obj else ""


@dataclass(frozen=True)
class Binding:
    kind: str  # "assign", "param", "import", "function", "class"
    ctx: FileCtx
    scope: int
    value: Any = None  # assign: the value; param: [index, type]; import: (module, member)
    line: int = 0


class Workspace:
    """Every file's facts plus the module maps needed to follow imports."""

    def __init__(self, files: dict[str, FileCtx], sources: dict[str, tuple[str, str]],
                 load: Callable[[str], dict[str, Any] | None] | None = None) -> None:
        """``files``: facts of files that declare something; ``sources``: every parsed file
        of the repository as path -> (language, module), for following imports;
        ``load(path)``: the facts of another file, read when a name leads to it
        (a reference, :mod:`codemap.endpoints.anchors`; None: it has none)."""
        self.files = files
        self.declaring = sorted(files)  # the files whose declarations are recorded
        self.sources = sources
        self.load = load
        self.by_module: dict[str, str] = {m: p for p, (_lang, m) in sources.items() if m}
        # (module, is a package, spec, member) -> paths: the same import is followed often
        self._dotted_paths: dict[tuple[str, bool, str, str], list[str]] = {}
        self.go_dirs: dict[str, list[str]] = {}
        # path -> text of the frameworks' configuration files (codemap.endpoints.configs)
        self.configs: dict[str, str] = {}
        for p, (lang, _m) in sources.items():
            if MODULE_STYLES.get(lang) == "package":
                self.go_dirs.setdefault(posixpath.dirname(p), []).append(p)

    def file(self, path: str) -> FileCtx | None:
        """The context of any parsed file (with no facts when it declares nothing)."""
        ctx = self.files.get(path)
        if ctx is None and path in self.sources:
            lang, module = self.sources[path]
            facts = self.load(path) if self.load is not None else None
            ctx = self.files[path] = FileCtx.build(path, lang, module, facts or {})
        return ctx

    # -- modules ---------------------------------------------------------------
    def resolve_module(self, ctx: FileCtx, spec: str, member: str = "") -> list[FileCtx]:
        """The files a module specifier names, seen from ``ctx`` (empty: not in the repo)."""
        style = MODULE_STYLES.get(ctx.lang, "none")
        paths: list[str] = []
        if style == "dotted":
            key = (ctx.module, ctx.path.endswith("__init__.py"), spec, member)
            found = self._dotted_paths.get(key)
            if found is None:
                found = self._dotted_paths[key] = self._dotted(ctx, spec, member)
            paths = found
        elif style == "relative" and spec.startswith("."):
            base = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.path), spec))
            paths = [next((base + ext for ext in _JS_EXTS if base + ext in self.sources), "")]
        elif style == "package":
            segs = spec.strip("/").split("/")
            for k in range(len(segs)):
                found = self.go_dirs.get("/".join(segs[k:]))
                if found:
                    paths = found
                    break
        elif style == "rust":
            paths = self._rust(ctx, spec, member)
        return [c for c in (self.file(p) for p in paths if p) if c is not None]

    def _rust(self, ctx: FileCtx, spec: str, member: str) -> list[str]:
        """``crate::a::b``, ``self::x``, ``super::x``, ``handlers`` (a ``mod`` of this module):
        the file ``a/b.rs`` or ``a/b/mod.rs``; the longest prefix of the path that is a file
        (the rest names an item inside it)."""
        segs = [s for s in spec.replace("::", ".").split(".") if s]
        base = _rust_module_dir(ctx.path)
        if segs[:1] == ["crate"]:
            base, segs = _rust_crate_dir(ctx.path), segs[1:]
        elif segs[:1] == ["self"]:
            segs = segs[1:]
        while segs[:1] == ["super"]:
            base, segs = posixpath.dirname(base), segs[1:]
        names = [*segs, member] if member and member not in ("*", "self") else segs
        for n in range(len(names), 0, -1):
            stem = posixpath.join(base, *names[:n])
            for candidate in (stem + ".rs", stem + "/mod.rs"):
                if candidate in self.sources:
                    return [candidate]
        return []

    def _dotted(self, ctx: FileCtx, spec: str, member: str) -> list[str]:
        level = len(spec) - len(spec.lstrip("."))
        name = spec[level:]
        if level:
            package = ctx.module.split(".")
            if not ctx.path.endswith("__init__.py"):
                package = package[:-1]
            package = package[: len(package) - (level - 1)] if level > 1 else package
            name = ".".join([*package, name] if name else package)
        out = []
        if member and member not in ("*", "default") and f"{name}.{member}" in self.by_module:
            out.append(self.by_module[f"{name}.{member}"])  # from pkg import submodule
        elif name in self.by_module:
            out.append(self.by_module[name])
        return out

    @staticmethod
    def attribute(target: FileCtx, member: str, rest: str) -> str:
        """The dotted name inside ``target`` that ``member.rest`` of an import denotes."""
        stem = posixpath.splitext(posixpath.basename(target.path))[0]
        if stem == "mod":
            stem = posixpath.basename(posixpath.dirname(target.path))
        if member in ("", "default", "*") or target.module == member \
                or target.module.endswith("." + member) \
                or (MODULE_STYLES.get(target.lang) == "rust" and stem == member):
            return rest  # the import bound the module itself
        return f"{member}.{rest}" if rest else member

    def module_file(self, ctx: FileCtx, spec: str) -> FileCtx | None:
        found = self.resolve_module(ctx, spec)
        return found[0] if found else None

    # -- names -----------------------------------------------------------------
    def bind(self, ctx: FileCtx, scope: int, name: str, line: int = 1 << 30) -> Binding | None:
        """What ``name`` refers to at ``scope`` of ``ctx`` (innermost scope first)."""
        for s in ctx.chain(scope):
            imported = ctx.imports.get((s, name))
            if imported:  # `const x = require('m')` is an import first
                mod, member, iline = imported[-1]
                return Binding("import", ctx, s, (mod, member), iline)
            entries = ctx.assigns.get((s, name))
            if entries:
                before = [e for e in entries if e[0] <= line and not e[2]] or \
                    [e for e in entries if not e[2]] or entries
                chosen = before[-1]
                return Binding("assign", ctx, s, chosen[1], chosen[0])
            if s != -1:
                span = ctx.scopes.get(s)
                if span is not None:
                    for i, (pname, ptype) in enumerate(span[3]):
                        if pname == name:
                            return Binding("param", ctx, s, [i, ptype], span[4])
            fn = ctx.functions.get((s, name))
            if fn is not None:
                return Binding("function", ctx, fn, None, ctx.scopes[fn][4])
        if name in ctx.classes:
            return Binding("class", ctx, -1, ctx.classes[name], ctx.classes[name][3])
        return None

    def exported(self, target: FileCtx, member: str) -> tuple[FileCtx, Any] | None:
        """The value a module exports as ``member`` ("" or "default": the module's main export)."""
        if member in ("", "default"):
            value = target.exports.get("default")
            if value is not None:
                return target, value
            return None
        value = target.exports.get(member)
        if value is not None:
            return target, value
        return target, {"name": member}


def _rust_crate_dir(path: str) -> str:
    """The directory of the crate root (``src`` of ``src/a/b.rs``)."""
    dirs = path.split("/")[:-1]
    if "src" in dirs:
        return "/".join(dirs[: len(dirs) - dirs[::-1].index("src")])
    return "/".join(dirs)


def _rust_module_dir(path: str) -> str:
    """The directory holding the child modules of the module a file is."""
    directory, base = posixpath.split(path)
    if base in ("main.rs", "lib.rs", "mod.rs"):
        return directory
    return posixpath.join(directory, posixpath.splitext(base)[0])
