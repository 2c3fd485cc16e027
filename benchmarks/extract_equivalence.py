"""Extraction equivalence and CPU cost: the facts of ``extract()`` before and after a change.

Speed work on the extractor (``codemap.index.extract`` and the ``tags.scm``
queries) must not change a single stored fact, nor the order of rows within a
file (the call-graph resolver reads rows in stored order). This script runs
``extract`` over a corpus (Django's sdist, the language fixtures of the test
suite, and whatever other trees are given: Go, JavaScript, TypeScript, Java, and a
copy of codemap's own source, frozen, since it changes under our feet) and:

* ``save OUT [--old DIR]``: pickles every file's ``FileFacts`` (the baseline, before a
  change; with ``--old``, made by an old copy of the code, see below);
* ``check OUT``: runs again and compares, file by file, list by list, in order;
* ``time [--old DIR]``: CPU time (``time.process_time``) of extract over the
  Django files, alternating the current code with an old copy in DIR (a copy of
  ``extract.py`` and of the ``queries/`` directory) in the same process;
* ``worker --old DIR``: the same for the whole per-file work of an index worker,
  stage by stage (parse, extract, route facts, shard write), with DIR also holding
  a copy of ``index/shards.py`` and of the ``endpoints/`` directory; the route facts
  and the shard rows of both must be identical.

    python benchmarks/extract_equivalence.py save /tmp/facts.pickle [--extra DIR ...]
    python benchmarks/extract_equivalence.py check /tmp/facts.pickle [--extra DIR ...]
    python benchmarks/extract_equivalence.py time --old /tmp/cm_old [--rounds 3]
    python benchmarks/extract_equivalence.py worker --old /tmp/cm_old [--rounds 3]

Rounds alternate whole passes: a file just walked by one version is warm in the
caches for the other, which would favour whichever runs second.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import pickle
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import fresh_copy, sdist  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MAX_SIZE = 1_000_000


def _files(root: Path) -> list[tuple[Path, str, str]]:
    """(full path, repository path, language) of every parsable file under ``root``."""
    from codemap.lang.registry import language_for_path

    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            spec = language_for_path(rel)
            if spec is None or not full.is_file() or full.stat().st_size > MAX_SIZE:
                continue
            out.append((full, rel, spec.name))
    return out


def _prefix(root: Path, rel: str, lang: str) -> str:
    from codemap.lang.qualnames import python_module_name
    from codemap.lang.registry import BY_NAME

    if BY_NAME[lang].qualname_style != "python":
        return ""
    return python_module_name(rel, lambda p: (root / p).is_file())


def corpus(extra: list[str]) -> list[tuple[str, str, bytes, str, str]]:
    """(key, repository path, bytes, language, module prefix) of every corpus file."""
    from codemap.index.scan import skip_reason
    from codemap.lang.registry import BY_NAME

    roots = [("django", django_tree()), ("fixtures", REPO / "tests" / "lang" / "fixtures")]
    roots += [(f"extra{i}", Path(d)) for i, d in enumerate(extra)]
    out = []
    for label, root in roots:
        for full, rel, lang in _files(root):
            data = full.read_bytes()
            if skip_reason(data, BY_NAME[lang].minified_check) is not None:
                continue
            out.append((f"{label}:{rel}", rel, data, lang, _prefix(root, rel, lang)))
    return out


def django_tree() -> Path:
    if Path("/tmp/dj/django").is_dir():
        return Path("/tmp/dj")
    return fresh_copy(sdist("Django", "5.1.4"))


def run_all(extract: Any, files: list[tuple[str, str, bytes, str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, rel, data, lang, prefix in files:
        try:
            out[key] = tuple(extract(rel, data, lang, prefix))
        except RecursionError:
            out[key] = "RecursionError"
    return out


def compare(old: dict[str, Any], new: dict[str, Any]) -> int:
    bad = 0
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        bad += 1
        if bad <= 10:
            print(f"DIFF {key}")
            if isinstance(a, tuple) and isinstance(b, tuple):
                for field, x, y in zip(("lines", "has_error", "symbols", "calls", "imports",
                                        "bindings"), a, b):
                    if x == y:
                        continue
                    if isinstance(x, list):
                        sx, sy = set(x), set(y)
                        print(f"  {field}: {len(x)} vs {len(y)} rows; only old: "
                              f"{sorted(sx - sy)[:5]}; only new: {sorted(sy - sx)[:5]}"
                              + ("; same rows, other order" if sx == sy else ""))
                    else:
                        print(f"  {field}: {x!r} vs {y!r}")
    return bad


def load_old(directory: Path) -> ModuleType:
    """The ``extract`` module of an old copy, with its own queries."""
    import tree_sitter

    from codemap.lang import registry

    module = _load_module("_old_extract", directory / "extract.py")
    cursors: dict[str, Any] = {}

    def cursor(lang: str) -> Any:
        if lang not in cursors:
            query = tree_sitter.Query(registry.ts_language(lang),
                                       registry.query_source(lang, "tags", directory / "queries"))
            cursors[lang] = tree_sitter.QueryCursor(query)
        return cursors[lang]

    module._cursor = cursor  # type: ignore[attr-defined]
    module._ROLES = {}  # type: ignore[attr-defined]
    return module


def _load_module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _old_routes(directory: Path) -> Any:
    """``file_routes`` of the old copy: its anchors and facts modules, the current tables."""
    from codemap.endpoints.indexing import fingerprint

    anchors = _load_module("_old_anchors", directory / "endpoints" / "anchors.py")
    facts = _load_module("_old_facts", directory / "endpoints" / "facts.py")
    indexing = _load_module("_old_indexing", directory / "endpoints" / "indexing.py")

    def file_routes(data: bytes, lang: str, tree: Any) -> Any:
        if not fingerprint(lang):
            return None
        role = anchors.file_role(data, lang)
        if role == anchors.NONE:
            return None
        if role != anchors.ANCHOR:
            return role, None
        try:
            found = facts.extract_routes(data, lang, tree)
        except RecursionError:
            return role, None
        return role, indexing.json.dumps(found, separators=(",", ":")) if found else None

    return file_routes


def worker_times(files: list[tuple[str, str, bytes, str, str]], old_dir: Path,
                 rounds: int) -> None:
    """CPU per stage of the workers' per-file path, old copy against current code."""
    import gc
    import sqlite3
    import tempfile

    from codemap.endpoints.indexing import file_routes, prepare_workers
    from codemap.index import extract as current
    from codemap.index import shards

    prepare_workers("python")
    old_shards = _load_module("_old_shards", old_dir / "shards.py")
    versions = {"old": (load_old(old_dir).extract, _old_routes(old_dir), old_shards.ShardWriter),
                "new": (current.extract, file_routes, shards.ShardWriter)}
    stages = ("parse", "extract", "routes", "write")
    times: dict[str, dict[str, list[float]]] = {v: {s: [] for s in stages} for v in versions}
    first: dict[str, tuple[list[Any], str]] = {}
    gc.freeze()  # as a worker does (build._init_worker)
    gc.set_threshold(100_000, 20, 100)
    clock = time.process_time
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for name, (extract, routes_of, writer_class) in versions.items():
                writer = writer_class(tempfile.mkdtemp(dir=tmp))
                spent = dict.fromkeys(stages, 0.0)
                found = []
                for file_id, (_key, rel, data, lang, prefix) in enumerate(files, 1):
                    t0 = clock()
                    tree = current.parse(data, lang)
                    t1 = clock()
                    facts = extract(rel, data, lang, prefix, tree)
                    t2 = clock()
                    routes = routes_of(data, lang, tree)
                    t3 = clock()
                    if routes is not None:
                        facts = facts._replace(routes=routes)
                    writer.write(file_id, (rel, lang, prefix, "h", len(data), 0, 0, "parsed"),
                                 facts)
                    t4 = clock()
                    for stage, spent_now in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                        spent[stage] += spent_now
                    found.append(routes)
                writer.conn.close()
                for stage in stages:
                    times[name][stage].append(spent[stage])
                if r == 0:
                    first[name] = (found, writer.path)

        def rows(path: str) -> dict[str, list[Any]]:
            conn = sqlite3.connect(path)
            try:
                return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
                        for t in ("files", *shards.FILE_TABLES)}
            finally:
                conn.close()

        same_routes = first["old"][0] == first["new"][0]
        same_rows = rows(first["old"][1]) == rows(first["new"][1])
    print(f"{len(files)} Django .py files; route facts "
          f"{'IDENTICAL' if same_routes else 'DIFFER'}, shard rows "
          f"{'IDENTICAL' if same_rows else 'DIFFER'}")
    best = {v: {s: min(times[v][s]) for s in stages} for v in versions}
    for name in versions:
        print(f"{name}: " + ", ".join(f"{s} {best[name][s]:.3f}" for s in stages)
              + f"; total {sum(best[name].values()):.3f} s CPU")
    print("new/old: " + ", ".join(f"{s} {best['new'][s] / best['old'][s]:.3f}" for s in stages)
          + f"; total {sum(best['new'].values()) / sum(best['old'].values()):.3f}")
    if not (same_routes and same_rows):
        sys.exit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("save", "check", "time", "worker"))
    ap.add_argument("out", nargs="?", default="/tmp/extract-facts.pickle")
    ap.add_argument("--extra", action="append", default=[],
                    help="another source tree to include (Go, JS, TS, Java...)")
    ap.add_argument("--old", help="directory with an old extract.py and queries/ (time mode)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from codemap.index import extract as current

    if args.mode in ("save", "check"):
        files = corpus(args.extra)
        extract = load_old(Path(args.old)).extract if args.old else current.extract
        facts = run_all(extract, files)
        if args.mode == "save":
            with open(args.out, "wb") as fh:
                pickle.dump(facts, fh)
            print(f"saved the facts of {len(facts)} files to {args.out}")
            return
        with open(args.out, "rb") as fh:
            old = pickle.load(fh)
        bad = compare(old, facts)
        rows = sum(len(f[k]) for f in facts.values() if isinstance(f, tuple) for k in (2, 3, 4, 5))
        print(f"{len(facts)} files, {rows} rows: {'IDENTICAL' if not bad else f'{bad} differ'}")
        sys.exit(1 if bad else 0)
    files = [f for f in corpus([]) if f[0].startswith("django:")]
    py = [f for f in files if f[3] == "python"]
    if args.mode == "worker":
        if not args.old:
            ap.error("worker needs --old DIR")
        worker_times(py, Path(args.old), args.rounds)
        return
    print(f"{len(py)} Django .py files")
    versions = [("new", current.extract)]
    if args.old:
        versions.insert(0, ("old", load_old(Path(args.old)).extract))
    times: dict[str, list[float]] = {name: [] for name, _ in versions}
    for _name, fn in versions:  # warm-up: queries compiled, grammars loaded
        fn(*py[0][1:2], py[0][2], py[0][3], py[0][4])
    for _ in range(args.rounds):
        for name, fn in versions:
            start = time.process_time()
            for _key, rel, data, lang, prefix in py:
                fn(rel, data, lang, prefix)
            times[name].append(time.process_time() - start)
    for name, values in times.items():
        print(f"{name}: CPU {min(values):.3f} s best, " + ", ".join(f"{v:.3f}" for v in values))
    if args.old:
        print(f"new/old: {min(times['new']) / min(times['old']):.3f}")


if __name__ == "__main__":
    main()
