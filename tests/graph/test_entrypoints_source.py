"""package.json entry points whose targets are build output missing from the
repository: found back through the ``source`` field, the build's source map
(when the output is on disk, ignored by git) or a source file of the same stem.

Uses the TypeScript project and its real tsc / esbuild output from
tests/traces/sourcemap_project (see its README).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from codemap.entrypoints import _export_targets
from codemap.graph import entry_points
from codemap.index.service import open_index
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder

PROJECT = Path(__file__).parents[1] / "traces" / "sourcemap_project"


def _shop(git_repo: GitRepoBuilder, package: dict[str, object], *, built: bool) -> set[tuple[str, str, str]]:
    """Commit the project with ``package`` as package.json; (kind, name, path) of its
    package.json entry points."""
    src = PROJECT / "project"
    for path in sorted(src.rglob("*.ts")):
        git_repo.write(path.relative_to(src).as_posix(), path.read_bytes())
    git_repo.write("package.json", json.dumps(package))
    git_repo.write(".gitignore", "dist/\nbundle/\n")
    git_repo.commit("shop")
    if built:
        shutil.copytree(PROJECT / "built" / "tsc", git_repo.root / "dist")
        shutil.copytree(PROJECT / "built" / "esbuild", git_repo.root / "bundle")
    repo = find_repo(str(git_repo.root))
    return {(e.kind, e.name, e.symbol.path) for e in entry_points(repo, open_index(repo))
            if e.kind in ("cli", "package_main")}


def test_targets_in_dist_fall_back_to_same_stem_sources(git_repo: GitRepoBuilder) -> None:
    found = _shop(git_repo, {"name": "shop", "main": "./dist/main.js",
                             "bin": {"shop-checkout": "dist/cjs/main.cjs"},
                             "exports": {".": {"types": "./dist/main.d.ts",
                                               "import": "./dist/esm/main.legacy-esm.mjs"},
                                         "./pricing": "./dist/pricing.js"}},
                  built=False)
    assert found == {("package_main", "shop", "src/main.ts"),
                     ("cli", "shop-checkout", "src/main.ts"),
                     ("package_main", "shop/pricing", "src/pricing.ts")}


def test_source_field_wins_for_main(git_repo: GitRepoBuilder) -> None:
    found = _shop(git_repo, {"name": "shop", "main": "./dist/index.js", "source": "src/cart.ts",
                             "bin": "./dist/index.js"}, built=False)
    # "source" describes main (and exports "."), not the bins
    assert found == {("package_main", "shop", "src/cart.ts")}


def test_source_map_of_build_output_on_disk(git_repo: GitRepoBuilder) -> None:
    # no file named like these exists in src/: only the maps can tell
    package = {"name": "shop", "bin": {"shop": "./bundle/app.min.js", "renamed": "./dist/cli.js"}}
    shutil.copytree(PROJECT / "built" / "tsc", git_repo.root / "dist")
    (git_repo.root / "dist" / "cli.js").write_bytes((PROJECT / "built/tsc/main.js").read_bytes())
    found = _shop(git_repo, package, built=False)
    assert ("cli", "renamed", "src/main.ts") in found  # the map's only source
    assert found == {("cli", "renamed", "src/main.ts")}  # bundle/ is not there yet
    shutil.copytree(PROJECT / "built" / "esbuild", git_repo.root / "bundle")
    repo = find_repo(str(git_repo.root))
    found = {(e.kind, e.name, e.symbol.path) for e in entry_points(repo, open_index(repo))
             if e.kind == "cli"}
    # a bundle of three sources: its last mapping is the entry module's code. (One
    # entry point per kind and symbol: "renamed" names the same module after it.)
    assert found == {("cli", "shop", "src/main.ts")}


def test_targets_in_the_repository_are_used_as_they_are(git_repo: GitRepoBuilder) -> None:
    git_repo.write("bin/run.js", "#!/usr/bin/env node\nrequire('../src/main');\n")
    found = _shop(git_repo, {"name": "shop", "bin": {"run": "bin/run.js"}, "main": "src/main"},
                  built=True)
    assert found == {("cli", "run", "bin/run.js"), ("package_main", "shop", "src/main.ts")}


def test_exports_shapes() -> None:
    assert _export_targets("./index.js") == [(".", "./index.js")]
    assert _export_targets({"import": "./a.mjs", "require": "./a.cjs", "types": "./a.d.ts"}) == [
        (".", "./a.mjs"), (".", "./a.cjs")]
    assert _export_targets({".": [{"node": "./n.js"}, "./b.js"], "./x/*": "./x/*.js",
                            "./package.json": "./package.json", "./cli": {"default": "./c.js"}}) == [
        (".", "./n.js"), (".", "./b.js"), ("./cli", "./c.js")]
    assert _export_targets(None) == [] and _export_targets(42) == []
    deep: object = "./deep.js"
    for _ in range(50):
        deep = {"default": deep}
    assert _export_targets(deep) == []  # absurd nesting is not followed
