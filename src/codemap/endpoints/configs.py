"""Framework configuration files read as data: the root path a module's routes are served under.

Some frameworks take the prefix of every route from a configuration file
rather than from code: Quarkus serves the JAX-RS resources of a module under
``quarkus.rest.path`` (Quarkus 3 "REST"; ``quarkus.resteasy-reactive.path``
and ``quarkus.resteasy.path`` before it), itself under ``quarkus.http.root-path``,
both read from ``src/main/resources/application.properties``. A
:class:`~codemap.endpoints.rules.Framework` names the files
(``config_files``, relative to a module's root) and the keys
(``config_root``, ``config_paths``); this module finds those files among the
repository's files, reads them (never runs anything) and answers the prefix
of the module holding a source file: the innermost directory above it that
has one of the files.

Only ``.properties`` files are read: YAML (``application.yaml``) would need a
YAML parser, which is not a dependency of codemap. They are read as
``java.util.Properties.load`` reads them (the ``javaproperties`` library:
comments, ``key=value`` / ``key: value`` / ``key value``, continuations and
escapes). Profile keys (``%dev.quarkus.rest.path``)
are another profile's values and are not the default one. A value naming
another property (``${api.base}``) is followed within the same file; one
that cannot be followed makes the prefix unknown.

The texts read are part of the endpoint engine's inputs
(:class:`codemap.endpoints.freshness.IndexState`): editing one recomposes.
"""

from __future__ import annotations

import posixpath
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from codemap.endpoints.patterns import UNKNOWN

if TYPE_CHECKING:
    from codemap.endpoints.routers import Part
    from codemap.endpoints.rules import Framework
    from codemap.index.store import IndexReader

MAX_BYTES = 512 * 1024  # a configuration file larger than this is not read
_REFERENCE = re.compile(r"\$\{([^{}:]+)(?::([^{}]*))?\}")


@cache
def config_files() -> tuple[str, ...]:
    """Every framework's configuration files (relative to a module root)."""
    from codemap.endpoints.frameworks import FRAMEWORKS

    return tuple(sorted({name for fw in FRAMEWORKS for name in fw.config_files}))


def read_configs(reader: IndexReader) -> tuple[tuple[str, str], ...]:
    """(path, text) of every framework configuration file of the indexed repository, in
    path order; a file that cannot be read, is not a regular file or is too large is left
    out."""
    names = config_files()
    if not names:
        return ()
    out: list[tuple[str, str]] = []
    for name in names:
        rows = reader.conn.execute(
            "SELECT path FROM files WHERE path = ? OR substr(path, -?) = ? ORDER BY path",
            (name, len(name) + 1, "/" + name)).fetchall()
        for (path,) in rows:
            text = _read(reader.root / path)
            if text is not None:
                out.append((path, text))
    return tuple(sorted(out))


def _read(path: Path) -> str | None:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None


def parse_properties(text: str) -> dict[str, str]:
    """The key/value pairs of a ``.properties`` text, as ``java.util.Properties.load``
    reads them (a later key wins); none when Java would refuse it (a malformed
    ``\\uXXXX`` escape)."""
    import javaproperties

    try:
        return javaproperties.loads(text)
    except ValueError:  # javaproperties.InvalidUEscapeError
        return {}


def _resolved(props: dict[str, str], value: str, depth: int = 0) -> str | None:
    """``${key}`` / ``${key:default}`` references replaced from the same file; None when
    one cannot be (an environment variable, a key set elsewhere)."""
    if "${" not in value:
        return value
    if depth > 8:
        return None
    failed = False

    def replace(m: re.Match[str]) -> str:
        nonlocal failed
        found = props.get(m.group(1).strip())
        if found is None:
            if m.group(2) is None:
                failed = True
                return ""
            return m.group(2)
        inner = _resolved(props, found, depth + 1)
        if inner is None:
            failed = True
            return ""
        return inner

    out = _REFERENCE.sub(replace, value)
    return None if failed or "${" in out else out


def _path_parts(value: str | None) -> list[Part]:
    """A configured path as route parts: a leading slash, no trailing one, "/" none."""
    if value is None:
        return [(UNKNOWN, "unknown")]
    text = value.strip().strip("/")
    return [("/" + text, "lit")] if text else []


def module_prefix(fw: Framework, configs: dict[str, str], source: str
                  ) -> tuple[str, list[Part], list[Part] | None] | None:
    """The module holding the file ``source`` and its configured prefix: (the module's
    directory, the parts of every route's root (``config_root``), the parts of the
    application path (``config_paths``; None: not configured)); None when no directory
    above the file has one of the framework's configuration files."""
    if not fw.config_files:
        return None
    directory = posixpath.dirname(source)
    while True:
        found = [configs[p] for p in (posixpath.join(directory, name) if directory else name
                                      for name in fw.config_files) if p in configs]
        if found:
            props: dict[str, str] = {}
            for text in found:
                props.update(parse_properties(text))
            root: list[Part] = []
            for key in fw.config_root:
                if key in props:
                    root = _path_parts(_resolved(props, props[key]))
                    break
            path = next((_path_parts(_resolved(props, props[key]))
                         for key in fw.config_paths if key in props), None)
            return directory, root, path
        if not directory:
            return None
        directory = posixpath.dirname(directory)
