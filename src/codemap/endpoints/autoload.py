"""Directory loaders: a router that registers every script file below a directory.

``fastify.register(AutoLoad, {dir: path.join(__dirname, 'routes')})`` (the
layout ``fastify generate`` writes) loads each plugin file below ``routes/``
and registers it under the prefix of its directory path: ``routes/users/
index.js`` serves under ``/users``, ``routes/root.js`` under ``/``. The plugin
files import nothing; their ``fastify`` parameter is the router handed in.

The loader's behaviour is data (:class:`codemap.endpoints.rules.Autoload`, a
``Framework.autoload`` entry); this module replays it over the indexed files
(never the disk: codemap reads the index only), following the loader's own
directory walk: a directory holding an index file loads only that file (and
its subdirectories), hook files are never plugins, ``ignorePattern`` and
``maxDepth`` drop entries, ``dirNameRoutePrefix: false`` drops directory names,
``routeParams: true`` turns ``_id`` directories into ``:id``, and a plugin's
``autoPrefix`` / ``prefixOverride`` export replaces the directory prefix. A
plugin's ``fastify`` parameter becomes a router of the framework mounted on
the registering router, so its routes are the framework's although the file
imports nothing. Options given as anything but literals (a ``dirNameRoutePrefix``
function, a ``matchFilter``) are read as their defaults.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from codemap.endpoints.frameworks import frameworks_for
from codemap.endpoints.linker import FileCtx
from codemap.endpoints.routers import Composer, Part, Router
from codemap.endpoints.rules import Autoload, Framework

_JS_REGEX = re.compile(r"^/(.*)/([a-z]*)$", re.S)
MAX_DIR_DEPTH = 32


def register_all(c: Composer) -> None:
    """Mount every directory-loader registration of the workspace's declaring files
    (before any declaration is recorded, so that the plugin files' routes find their
    router's framework whatever the order the files come in)."""
    for path in c.ws.declaring:
        ctx = c.ws.files[path]
        for fw in frameworks_for(ctx.lang):
            spec = fw.autoload
            if spec is None:
                continue
            names = _loader_names(ctx, spec)
            for scope, call, byte in ctx.facts.get("calls", ()):
                if call.get("verb") in spec.verbs:
                    _register(c, ctx, scope, call, byte, fw, spec, names)


def _loader_names(ctx: FileCtx, spec: Autoload) -> set[str]:
    """Local names bound to the loader module (``AutoLoad`` of ``require('@fastify/autoload')``
    or of ``import AutoLoad from '@fastify/autoload'``)."""
    return {local for (_scope, local), entries in ctx.imports.items()
            if any(mod == spec.module and member in ("", "default") for mod, member, _l in entries)}


def _register(c: Composer, ctx: FileCtx, scope: int, call: dict[str, Any], byte: int,
              fw: Framework, spec: Autoload, names: set[str]) -> None:
    loader = c.arg(call, spec.loader)
    if not isinstance(loader, dict) or not (loader.get("name") in names or
                                            c._required(ctx, scope, loader) == spec.module):
        return  # register(AutoLoad, ...) or register(require('@fastify/autoload'), ...)
    obj = call.get("call")
    parent = c.eval_router(ctx, scope, obj, call.get("line", 1 << 30)) if obj else None
    if not isinstance(parent, Router):
        return
    options = c.arg(call, spec.options)
    opts: dict[str, Any] = options.get("obj", {}) if isinstance(options, dict) else {}
    root = _directory(c, ctx, scope, opts.get(spec.dir), spec)
    if root is None:
        return
    if parent.framework is None:
        parent.framework = fw.name
    walk = _Walk(c, spec, opts, root, ctx, scope)
    order = (ctx.path, call.get("line", 0), *call.get("span", (byte,)))
    for i, (path, prefix) in enumerate(walk.plugins()):
        _mount_plugin(c, fw, parent, path, prefix, walk, (*order, i))
    for path in walk.skipped:  # below the directory but not loaded: served by nothing,
        _discard(c, fw, path)  # unless another plugin registers it itself


def _directory(c: Composer, ctx: FileCtx, scope: int, value: Any, spec: Autoload) -> str | None:
    """The repository directory ``join(__dirname, 'routes')`` names, seen from ``ctx``."""
    if not isinstance(value, dict) or value.get("verb") not in spec.dir_calls:
        return None
    obj = value.get("call")
    if obj is not None and "name" not in obj:
        return None
    args = value.get("args") or []
    if not args or not _is_here(c, ctx, scope, args[0], spec):
        return None
    pieces = []
    for arg in args[1:]:
        parts = c.string_parts(ctx, scope, arg, "lit")
        if parts is None or any(p[1] == "unknown" for p in parts):
            return None
        pieces.append("".join(p[0] for p in parts))
    where = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.path), *pieces))
    if where.startswith("..") or where.startswith("/"):
        return None
    return "" if where == "." else where


def _is_here(c: Composer, ctx: FileCtx, scope: int, value: Any, spec: Autoload) -> bool:
    """Does ``value`` denote the calling file's directory: ``__dirname``,
    ``import.meta.dirname``, or a name the file computes it into that facts do not
    record (``const here = import.meta.dirname ?? dirname(fileURLToPath(...))``)?"""
    if not isinstance(value, dict) or "name" not in value:
        return False
    name = value["name"]
    if name in spec.here:
        return True
    return "." not in name and c.ws.bind(ctx, scope, name) is None


def _literal(value: Any) -> Any:
    """A literal option: True / False, a number, a string, a compiled regex; else None."""
    if not isinstance(value, dict):
        return None
    if "str" in value and all(isinstance(p, str) for p in value["str"]):
        return "".join(value["str"])
    text = str(value.get("?", "")).strip()
    if text in ("true", "false"):
        return text == "true"
    if text.isdigit():
        return int(text)
    m = _JS_REGEX.match(text)
    if m:
        return _regex(m.group(1), re.I if "i" in m.group(2) else 0)
    return None


def _regex(source: str, flags: int = 0) -> re.Pattern[str] | None:
    try:
        return re.compile(source.replace("(?<", "(?P<").replace("(?P<=", "(?<=")
                          .replace("(?P<!", "(?<!"), flags)
    except re.error:
        return None


class _Walk:
    """The loader's directory walk over the indexed files below ``root``."""

    def __init__(self, c: Composer, spec: Autoload, opts: dict[str, Any], root: str,
                 ctx: FileCtx, scope: int) -> None:
        self.c, self.spec, self.root = c, spec, root
        self.ctx, self.scope = ctx, scope

        def pattern(option: str, default: str) -> re.Pattern[str] | None:
            given = _literal(opts.get(option))
            if isinstance(given, str):
                return _regex(given)
            return given if isinstance(given, re.Pattern) else re.compile(default, re.I)

        self.index = pattern(spec.index_option, spec.index)
        self.hooks = pattern(spec.hooks_option, spec.hooks)
        self.scripts = re.compile(spec.scripts, re.I)
        ignore = _literal(opts.get(spec.ignore_option))
        self.ignore = _regex(ignore) if isinstance(ignore, str) else \
            ignore if isinstance(ignore, re.Pattern) else None
        depth = _literal(opts.get(spec.depth_option))
        self.max_depth = depth if isinstance(depth, int) and not isinstance(depth, bool) else None
        self.dir_names = _literal(opts.get(spec.dir_prefix_option)) is not False
        self.params = _literal(opts.get(spec.params_option)) is True
        self.append = _literal(opts.get(spec.append_option)) is True
        shared = opts.get(spec.plugin_options)
        lead = shared.get("obj", {}).get(spec.prefix_key) if isinstance(shared, dict) else None
        text = _literal(lead)
        self.lead = text.rstrip("/") if isinstance(text, str) else ""
        self.tree: dict[str, tuple[set[str], list[str]]] = {}  # dir -> (subdirs, files)
        self.skipped: list[str] = []  # script files the loader passes over
        base = root + "/" if root else ""
        for path in c.ws.sources:
            if not path.startswith(base):
                continue
            rel = path[len(base):].split("/")
            for k in range(len(rel)):
                here = base + "/".join(rel[:k]) if k else root
                subdirs, files = self.tree.setdefault(here.rstrip("/"), (set(), []))
                if k == len(rel) - 1:
                    files.append(path)
                else:
                    subdirs.add(rel[k])

    def plugins(self) -> list[tuple[str, str | None]]:
        """Every plugin file, with its directory prefix (None at the top: no prefix)."""
        out: list[tuple[str, str | None]] = []
        self._dir(self.root, None, 0, out)
        return out

    def _ignored(self, path: str) -> bool:
        if self.ignore is None:
            return False
        rel = path[len(self.root) + 1:] if self.root else path
        return bool(self.ignore.search(rel))

    def _dir(self, where: str, prefix: str | None, depth: int,
             out: list[tuple[str, str | None]]) -> None:
        if depth > MAX_DIR_DEPTH:
            return
        subdirs, files = self.tree.get(where, (set(), []))
        index = next((f for f in sorted(files) if self.index is not None
                      and self.index.search(posixpath.basename(f))), None)
        if index is not None:
            out.append((index, prefix))
            self.skipped.extend(f for f in files if f != index)
            if not subdirs:
                return
        at_max = self.max_depth is not None and self.max_depth <= depth
        for name in sorted(subdirs):
            sub = f"{where}/{name}" if where else name
            if self._ignored(sub) or at_max:
                self.skipped.extend(f for f in self.c.ws.sources if f.startswith(sub + "/"))
                continue
            crumb = (prefix + "/" if prefix else "/") + (name if self.dir_names else "")
            self._dir(sub, crumb, depth + 1, out)
        if index is not None:
            return
        for path in sorted(files):
            base = posixpath.basename(path)
            if self._ignored(path):
                self.skipped.append(path)
                continue
            if not self.scripts.search(base):
                continue
            if self.hooks is not None and self.hooks.search(base):
                continue
            out.append((path, prefix))

    def prefix(self, target: FileCtx, directory: str | None) -> str | None:
        """The prefix the loader gives a plugin (None: the plugin is not loaded)."""
        spec = self.spec
        if _literal(target.exports.get(spec.skip)) is False:
            return None
        own = _literal(target.exports.get(spec.own_prefix))
        override = _literal(target.exports.get(spec.override))
        if self.append and isinstance(own, str) and directory:
            chosen: str | None = f"{directory}/{own}"
        elif isinstance(own, str):
            chosen = own
        else:
            chosen = directory
        if isinstance(override, str):
            text = override
        elif chosen:
            text = self.lead + re.sub(r"/+", "/", chosen)
        else:
            text = self.lead
        if self.params and text:
            mixed = spec.param_mark * 2
            if mixed in text:
                text = text.replace(mixed, spec.param_syntax)
            else:
                text = text.replace("/" + spec.param_mark, "/" + spec.param_syntax)
        return text


def _mount_plugin(c: Composer, fw: Framework, parent: Router, path: str,
                  directory: str | None, walk: _Walk, order: tuple[Any, ...]) -> None:
    target = c.ws.files.get(path)  # a plugin declaring routes is an anchor
    if target is None:
        return
    prefix = walk.prefix(target, directory)
    if prefix is None:
        return
    child = _plugin_router(c, fw, target, "param")
    if child is None:
        return
    parts: list[Part] = [(prefix, fw.syntax)] if prefix else []
    c._mount(parent, child, parts, order)


def _discard(c: Composer, fw: Framework, path: str) -> None:
    """A plugin file the loader does not load: its router serves nothing on its own."""
    target = c.ws.files.get(path)
    if target is not None:
        _plugin_router(c, fw, target, "discard")


def _plugin_router(c: Composer, fw: Framework, target: FileCtx, kind: str) -> Router | None:
    """The router of the ``fastify`` parameter of ``target``'s plugin function (``kind``:
    how it is held), the framework's; None when the file exports no plugin function."""
    fn = _plugin_function(c, target)
    if fn is None:
        return None
    fctx, fscope = fn
    span = fctx.scopes.get(fscope)
    child, _ = c._router(("param", fctx.path, fscope, 0), fw.name, fctx.path,
                         span[4] if span else 0, kind)
    if child.framework is None:
        child.framework = fw.name
    return child


def _plugin_function(c: Composer, target: FileCtx) -> tuple[FileCtx, int] | None:
    """The function a plugin file exports as its main export (``module.exports = async
    function (fastify, opts)``, ``export default async function``, ``export default
    plugin``); also a declaration exported as it is (``export default async function
    name``, ``export async function name``), which the facts keep as its text."""
    exp = c.ws.exported(target, "")
    if exp is not None:
        found = c._function_scope(exp[0], -1, exp[1])
        if found is not None:
            return found
    for name, value in target.exports.items():
        declared = _DECLARED.match(str(value["?"])) if isinstance(value, dict) and "?" in value \
            else None
        if declared:
            own = declared.group(1) or name
            if (-1, own) in target.functions:
                return target, target.functions[(-1, own)]
    return None


_DECLARED = re.compile(r"\s*(?:async\s+)?function\b\s*\*?\s*([\w$]*)")
