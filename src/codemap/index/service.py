"""The index as the rest of codemap sees it: open (building on demand), query.

``open_index`` refreshes the index (cheap when nothing changed: an ``lstat``
per parsed file and per directory, see :mod:`codemap.index.snapshot`) and returns an
:class:`~codemap.index.store.IndexReader`. A corrupt or foreign database
file is moved aside and rebuilt, with a warning on stderr.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from functools import partial
from pathlib import Path

from codemap.cache import cache_dir
from codemap.errors import UsageError
from codemap.index import store
from codemap.index.build import index_lock, refresh
from codemap.index.store import IndexReader
from codemap.model import AtResult, FindResult, IndexStats
from codemap.progress import CancelToken, ProgressHook
from codemap.repo import Repo
from codemap.safe import inert_line

DB_NAME = "index.sqlite"


def db_path(repo: Repo) -> Path:
    return cache_dir(repo) / DB_NAME


def _warn(message: str) -> None:
    print(f"codemap: {inert_line(message)}", file=sys.stderr)


def _discard(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass


def _open_writable(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """Open (creating or rebuilding) the database; returns (conn, why it was rebuilt)."""
    rebuilt: str | None = None
    for attempt in range(2):
        try:
            conn = store.connect(path)
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if tables and "meta" not in tables:
                raise sqlite3.DatabaseError("not a codemap index")
            if "meta" in tables:
                schema = store.get_meta(conn).get("schema")
                if schema != store.SCHEMA_VERSION:
                    conn.close()
                    _discard(path)
                    rebuilt = f"index schema changed ({schema} -> {store.SCHEMA_VERSION}); rebuilt"
                    conn = store.connect(path)
            store.init_schema(conn)
            return conn, rebuilt
        except sqlite3.DatabaseError as exc:
            if attempt:
                raise
            rebuilt = f"the index at {path} was unreadable ({exc}); rebuilt it"
            _warn(rebuilt)
            _discard(path)
    raise AssertionError("unreachable")


def _settings(repo: Repo) -> tuple[int, tuple[str, ...]]:
    from codemap.config import load_config

    config = load_config(repo)
    from codemap.config import warn_once

    for warning in config.warnings:
        warn_once(warning)
    return config.max_file_size, tuple(config.exclude)


def build_index(repo: Repo, *, progress: ProgressHook | None = None,
                cancel: CancelToken | None = None, full: bool = False,
                resolve_edges: bool = True, prepare: bool = False) -> IndexStats:
    """Build or refresh ``repo``'s index; returns what was done.

    ``resolve_edges=False`` leaves call edges stale (see :func:`refresh`).
    ``prepare`` (``codemap index``): when the index changed, also compose the endpoints
    when what they read changed (:func:`codemap.endpoints.service.prepare`: routes are
    part of the index; composed once the rows are in, before the call graph is resolved,
    which they do not read) and build the cache ``find`` reads
    (:func:`codemap.index.search.load_names`, keyed by the committed index; a fraction
    of a second on a 15,000-file repository), so the first query after an index pays
    for neither.
    """
    path = db_path(repo)
    max_size, exclude = _settings(repo)
    with index_lock(path.parent):
        conn, rebuilt = _open_writable(path)
        try:
            before = _generation(conn) if prepare else None
            stats = refresh(repo, conn, max_size=max_size, exclude=exclude, progress=progress,
                            cancel=cancel, full=full, rebuilt=rebuilt,
                            resolve_edges=resolve_edges,
                            prepare=partial(_prepare_endpoints, repo) if prepare else None)
            if prepare and _generation(conn) != before:
                from codemap.index.search import load_names

                load_names(conn)
            return stats
        finally:
            conn.close()


def _prepare_endpoints(repo: Repo, conn: sqlite3.Connection) -> None:
    """Compose the endpoints of the rows in ``conn`` ahead of the first query."""
    from codemap.endpoints.service import prepare as prepare_endpoints

    try:
        prepare_endpoints(repo, IndexReader(conn, repo.root))
    except Exception as exc:  # routes failing must not fail the index
        _warn(f"endpoints not composed ahead ({type(exc).__name__}: {exc}); "
              "codemap endpoints will compose them")


def _generation(conn: sqlite3.Connection) -> str | None:
    """What changes with every write of the index (its ``indexed_at``)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'indexed_at'").fetchone()
    return row[0] if row else None


def open_index(repo: Repo, *, refresh: bool = True, progress: ProgressHook | None = None,
               cancel: CancelToken | None = None, need_edges: bool = True) -> IndexReader:
    """A reader over ``repo``'s index, refreshed first unless ``refresh`` is false.

    Callers that never read call edges pass ``need_edges=False``: after an edit
    they pay for re-parsing the changed files only, not for re-resolving calls.
    """
    path = db_path(repo)
    if refresh or not path.exists():
        build_index(repo, progress=progress, cancel=cancel, resolve_edges=need_edges)
    try:
        conn = store.connect(path, readonly=True)
        conn.execute("SELECT 1 FROM meta LIMIT 1")
    except sqlite3.DatabaseError:
        build_index(repo, progress=progress, cancel=cancel, full=True)
        conn = store.connect(path, readonly=True)
    return IndexReader(conn, repo.root)


def parse_location(repo: Repo, location: str) -> tuple[str, int]:
    """``PATH:LINE`` -> (repo-relative path, line)."""
    path, sep, line = location.rpartition(":")
    if not sep or not path or not re.fullmatch(r"[0-9]+", line.strip()):
        raise UsageError(f"expected PATH:LINE, got {location!r}")
    inner = re.fullmatch(r"(.+):([0-9]+)", path)
    if inner and not os.path.lexists(path) and not os.path.lexists(repo.root / path):
        path, line = inner.group(1), inner.group(2)  # PATH:LINE:COLUMN, as compilers print it
    if len(line.strip()) > 9:
        raise UsageError(f"line number out of range in {location!r}")
    rel = repo.rel(path) if (os.path.isabs(path) or (Path.cwd() / path).exists()) else path
    number = int(line)
    if number < 1:
        raise UsageError(f"line numbers start at 1, got {number}")
    return rel.replace("\\", "/"), number


def symbol_at(repo: Repo, location: str) -> AtResult:
    path, line = parse_location(repo, location)
    reader = open_index(repo, need_edges=False)
    if not reader.has_path(path):
        raise UsageError(f"{path} is not a file of the repository {repo.root}")
    row = reader.conn.execute("SELECT lines FROM files WHERE path = ?", (path,)).fetchone()
    if row is not None and row[0] is not None and line > max(int(row[0]), 1):
        raise UsageError(f"{path} has {row[0]} lines; there is no line {line}")
    sym = reader.symbol_at(path, line)
    return AtResult(sym, reader.parents(sym) if sym else [])


def find_symbols(repo: Repo, query: str, *, limit: int = 20,
                 reader: IndexReader | None = None) -> FindResult:
    """Fuzzy search over names and qualnames, best first (rapidfuzz; see
    :mod:`codemap.index.search` for the scoring)."""
    q = query.strip()
    if not q:
        raise UsageError("find needs a non-empty query")
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    from codemap.index.search import search

    reader = reader or open_index(repo, need_edges=False)
    return FindResult(query, search(reader, q, limit))


def export_index(repo: Repo, target: str, *, progress: ProgressHook | None = None) -> IndexStats:
    """Refresh the index, then write a self-contained copy of it to ``target``.

    The copy holds repository-relative paths and content hashes only, so it
    can be imported on another machine whose checkout lives elsewhere.
    """
    stats = build_index(repo, progress=progress)
    out = Path(target).expanduser()
    if out.exists() and out.is_dir():
        raise UsageError(f"{target} is a directory; give a file name for the exported index")
    try:
        if out.resolve().is_relative_to(repo.root.resolve()) and repo.is_git:
            _warn(f"writing the export inside the repository ({target}) as you asked")
    except OSError:
        pass
    tmp = out.with_name(out.name + ".tmp")
    src = store.connect(db_path(repo), readonly=True)
    try:
        dst = sqlite3.connect(tmp)
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.execute("UPDATE files SET mtime_ns = NULL, ino = NULL")  # machine-local facts
        dst.commit()
        dst.execute("VACUUM")
        dst.close()
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {exc}") from exc
    finally:
        src.close()
    os.replace(tmp, out)
    return stats


def import_index(repo: Repo, source: str, *, progress: ProgressHook | None = None) -> IndexStats:
    """Replace ``repo``'s index with an exported one, then refresh what differs.

    Files whose content hash matches the working tree are reused as they are;
    only files whose content differs are re-parsed.
    """
    from codemap.errors import InputError

    src_path = Path(source).expanduser()
    if not src_path.is_file():
        raise InputError(f"{source}: no such index file")
    try:
        src = sqlite3.connect(store.readonly_uri(src_path), uri=True)
        meta = dict(src.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{source} is not a codemap index ({exc})") from exc
    if meta.get("schema") != store.SCHEMA_VERSION:
        src.close()
        raise InputError(f"{source} was exported by another codemap version (index schema "
                         f"{meta.get('schema')!r}, this one uses {store.SCHEMA_VERSION!r})")
    path = db_path(repo)
    with index_lock(path.parent):
        tmp = path.with_name(path.name + ".import")
        tmp.unlink(missing_ok=True)
        dst = sqlite3.connect(tmp)
        with dst:
            src.backup(dst)
        dst.close()
        src.close()
        _discard(path)
        os.replace(tmp, path)
    return build_index(repo, progress=progress)
