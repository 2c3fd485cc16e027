"""The JavaScript half of ``callgraph_recall.py``: a real npm package, traced at run time.

The package tarball comes from the npm registry (``npm pack``, cached in
``benchmarks/.cache/``). A copy of it is instrumented with tree-sitter: the
first statement of every function body becomes ``__cmHit(file, line)``
(inserted on the same line, so line numbers do not move). A preloaded
runtime (``node -r``) records, for each hit, the nearest caller frame inside
the package (V8 structured stack traces), and a workload that exercises the
package's public API and its command line runs against the instrumented
copy. Edges are then mapped to codemap symbols of the original files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRELUDE = r"""
const fs = require('fs');
const root = process.env.CM_ROOT;
const seen = new Set();
Error.stackTraceLimit = 6;
global.__cmHit = function (file, line) {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (_e, calls) => calls;
  const holder = {};
  Error.captureStackTrace(holder, global.__cmHit);
  const calls = holder.stack;
  Error.prepareStackTrace = saved;
  for (let i = 1; i < calls.length; i++) {
    const name = calls[i].getFileName();
    if (!name || name.startsWith('node:')) continue;  // native frames (Array.map, ...)
    if (name.startsWith(root)) {
      seen.add(`${name.slice(root.length)}:${calls[i].getLineNumber()}>${file}:${line}`);
    }
    return;
  }
};
process.on('exit', () => {
  fs.writeFileSync(process.env.CM_OUT, JSON.stringify([...seen]));
});
"""

SEMVER_WORKLOAD = r"""
const semver = require(process.env.CM_PKG);
const { SemVer, Range, Comparator } = semver;
const versions = ['1.2.3', 'v2.0.0-rc.1', '1.2.3-alpha.10+build.5', '0.0.1', '10.20.30',
  '1.0.0-beta', '=1.2.3', ' 1.2.3 ', 'x.y.z', '1.2', '2.3.4-pre.1', '3.0.0', '1.2.3-0',
  '0.1.0', '4.5.6+meta', '01.2.3', '1.2.3.4'];
const ranges = ['^1.2.3', '~1.2', '>=1.0.0 <2.0.0', '1.x || >=2.5.0 || 5.0.0 - 7.2.3', '*',
  '>1.2.3-alpha.1', '<=2.0.0', '1.2.3 - 2.3.4', '^0.0.1', '~0.2.3', 'x', '',
  '>=1.2.3 <1.2.5 || >=2.0.0', '^1.2.3-beta.2', '~> 1.2', '>=0.0.0', '<0.0.0-0', '1 - 2'];
const loose = [false, true, { loose: true, includePrerelease: true }];
const tryIt = (f) => { try { return f(); } catch (e) { return e; } };
for (const v of versions) {
  for (const opt of loose) {
    tryIt(() => semver.valid(v, opt)); tryIt(() => semver.clean(v, opt));
    tryIt(() => semver.parse(v, opt)); tryIt(() => semver.coerce(v, opt));
    tryIt(() => semver.coerce(v, { rtl: true })); tryIt(() => semver.prerelease(v, opt));
    tryIt(() => [semver.major(v, opt), semver.minor(v, opt), semver.patch(v, opt)]);
    for (const kind of ['major', 'minor', 'patch', 'prerelease', 'premajor', 'preminor',
                        'prepatch', 'pre', 'release']) {
      tryIt(() => semver.inc(v, kind, opt, 'beta'));
      tryIt(() => semver.inc(v, kind, opt, 'beta', false));
    }
    tryIt(() => { const s = new SemVer(v, opt); s.format(); s.toString(); s.inspect && s.inspect();
      s.compareMain('1.0.0'); s.comparePre('1.0.0-a'); s.compareBuild('1.0.0+b');
      s.compare(new SemVer('0.1.0')); s.inc('minor'); });
  }
  for (const w of versions) {
    tryIt(() => semver.compare(v, w)); tryIt(() => semver.rcompare(v, w, true));
    tryIt(() => semver.compareLoose(v, w)); tryIt(() => semver.compareBuild(v, w));
    tryIt(() => semver.diff(v, w));
    for (const op of ['===', '!==', '', '=', '==', '!=', '>', '>=', '<', '<=', 'nope']) {
      tryIt(() => semver.cmp(v, op, w, true));
    }
    tryIt(() => [semver.gt(v, w), semver.gte(v, w), semver.lt(v, w), semver.lte(v, w),
      semver.eq(v, w), semver.neq(v, w)]);
  }
}
tryIt(() => semver.sort(versions.filter((v) => semver.valid(v))));
tryIt(() => semver.rsort(versions.filter((v) => semver.valid(v))));
for (const r of ranges) {
  for (const opt of loose) {
    tryIt(() => semver.validRange(r, opt)); tryIt(() => semver.toComparators(r, opt));
    tryIt(() => semver.minVersion(r, opt));
    tryIt(() => semver.maxSatisfying(versions, r, opt));
    tryIt(() => semver.minSatisfying(versions, r, opt));
    tryIt(() => semver.simplifyRange(versions.filter((v) => semver.valid(v)), r, opt));
    tryIt(() => { const range = new Range(r, opt); range.format(); range.toString();
      range.test('1.2.4'); range.test(new SemVer('2.0.0')); });
    for (const v of versions) {
      tryIt(() => semver.satisfies(v, r, opt)); tryIt(() => semver.gtr(v, r, opt));
      tryIt(() => semver.ltr(v, r, opt)); tryIt(() => semver.outside(v, r, '>', opt));
    }
    for (const q of ranges) {
      tryIt(() => semver.intersects(r, q, opt)); tryIt(() => semver.subset(r, q, opt));
    }
  }
}
for (const c of ['>=1.2.3', '<2.0.0-0', '=1.0.0', '', '>1.0.0-beta', '~1.2.3', 'bad']) {
  for (const d of ['>=1.0.0', '<1.5.0', '1.2.3', '>3.0.0']) {
    tryIt(() => { const a = new Comparator(c, true); const b = new Comparator(d);
      a.toString(); a.test('1.2.5'); a.intersects(b); b.intersects(a, { loose: true }); });
  }
}
"""


@dataclass(frozen=True)
class JsPackage:
    name: str
    version: str
    style: str
    workload: str
    cli: tuple[tuple[str, ...], ...] = ()  # command lines of the package's bin, relative


JS_PACKAGES = (
    JsPackage("semver", "7.6.3", "functions+classes", SEMVER_WORKLOAD,
              cli=(("bin/semver.js", "1.2.3", "2.0.0-rc.1", "-r", "^1.0.0"),
                   ("bin/semver.js", "-i", "minor", "1.2.3"),
                   ("bin/semver.js", "--coerce", "v3", "-l"),
                   ("bin/semver.js", "-i", "prerelease", "--preid", "beta", "1.2.3", "-n", "0"))),
)

_FUNCTIONS = {"function_declaration", "function_expression", "function", "generator_function",
              "generator_function_declaration", "arrow_function", "method_definition"}


def fetch_npm(name: str, version: str, cache: Path) -> Path:
    """``npm pack`` a package once; returns the extracted ``package`` directory."""
    packs = cache / "npm"
    packs.mkdir(parents=True, exist_ok=True)
    tarball = packs / f"{name}-{version}.tgz"
    if not tarball.exists():
        subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=packs, check=True,
                       stdout=subprocess.DEVNULL)
    dest = cache / "src" / f"{name}-{version}"
    if not dest.exists():
        dest.mkdir(parents=True)
        with tarfile.open(tarball) as tar:
            tar.extractall(dest, filter="data")
    return dest / "package"


def instrument(src: Path, dest: Path) -> int:
    """Copy the package to ``dest`` with a hit call at the start of every function body."""
    import tree_sitter
    import tree_sitter_javascript

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_javascript.language()))
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    count = 0
    for path in sorted(dest.rglob("*.js")):
        if "node_modules" in path.parts:
            continue
        rel = path.relative_to(dest).as_posix()
        data = path.read_bytes()
        edits: list[tuple[int, int, bytes]] = []
        stack = [parser.parse(data).root_node]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if node.type not in _FUNCTIONS:
                continue
            body = node.child_by_field_name("body")
            if body is None:
                continue
            hit = f"__cmHit({json.dumps(rel)}, {node.start_point[0] + 1})".encode()
            if body.type == "statement_block":
                edits.append((body.start_byte + 1, hit + b";"))
            else:  # an expression-bodied arrow: (hit, (expr)), as two insertions
                edits.append((body.start_byte, b"(" + hit + b", ("))
                edits.append((body.end_byte, b"))"))
            count += 1
        for at, text in sorted(edits, key=lambda e: e[0], reverse=True):
            data = data[:at] + text + data[at:]
        path.write_bytes(data)
    return count


def trace(pkg: JsPackage, instrumented: Path, work: Path) -> set[tuple[str, int, str, int]]:
    """Run the workload and the CLI runs; (caller file, line, callee file, line) pairs."""
    work.mkdir(parents=True, exist_ok=True)
    prelude = work / "prelude.js"
    prelude.write_text(PRELUDE)
    workload = work / "workload.js"
    workload.write_text(pkg.workload)
    runs = [[str(workload)]] + [[str(instrumented / c[0]), *c[1:]] for c in pkg.cli]
    found: set[tuple[str, int, str, int]] = set()
    for i, run in enumerate(runs):
        out = work / f"edges-{i}.json"
        env = {**os.environ, "CM_ROOT": str(instrumented) + os.sep, "CM_OUT": str(out),
               "CM_PKG": str(instrumented)}
        subprocess.run(["node", "-r", str(prelude), *run], env=env, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        if not out.exists():
            continue
        for item in json.loads(out.read_text()):
            caller, callee = item.split(">")
            cfile, cline = caller.rsplit(":", 1)
            tfile, tline = callee.rsplit(":", 1)
            found.add((cfile, int(cline), tfile, int(tline)))
    return found


def run_javascript(pkg: JsPackage, misses: int, outcome_cls: Any, compare: Any,
                   index_tree: Any, symbol_map_cls: Any, cache: Path) -> Any:
    import time

    root = fetch_npm(pkg.name, pkg.version, cache)
    outcome = outcome_cls(f"{pkg.name} {pkg.version}", "javascript", pkg.style)
    instrumented = cache / "js" / f"{pkg.name}-{pkg.version}"
    started = time.perf_counter()
    instrument(root, instrumented)
    pairs = trace(pkg, instrumented, cache / "js" / f"{pkg.name}-{pkg.version}-run")
    outcome.run_seconds = time.perf_counter() - started
    reader, outcome.index_seconds = index_tree(root)
    files = {p for p in reader.files() if p.endswith(".js")}
    smap = symbol_map_cls(reader, root, files)
    observed: set[tuple[int, int]] = set()
    for cfile, cline, tfile, tline in pairs:
        callee = _exact_js(smap, tfile, tline)
        caller = smap.find(cfile, cline, "", exact_only=False)
        if callee is not None and caller is not None:
            observed.add((caller, callee))
    ran = {c for c, _ in observed} | {t for _, t in observed}
    compare(outcome, reader, smap, observed, ran, misses)
    return outcome


def _exact_js(smap: Any, path: str, line: int) -> int | None:
    """The named function starting on ``line`` (anonymous callbacks are not symbols)."""
    best = None
    for sid, _name, kind, start, end in smap.by_file.get(path, ()):
        if start == line and kind in ("function", "method", "lambda"):
            if best is None or end - start < best[1]:
                best = (sid, end - start)
    return best[0] if best else None
