"""Traces that run through an installed copy of the repository's own package.

In production the repository's code often runs *installed*: a library's
maintainer reads a trace from an app that has it under ``node_modules/`` or
``site-packages/``. Those are library locations, yet the files there are this
repository's. Each trace here is real: the repository's files are installed
into a deployment directory (as npm and pip lay them out), an app there
calls them, and the runtime prints the trace. The layouts that cannot run
here (a Go module cache, a Cargo registry, a Ruby gem directory) are typed-in
paths in the shape those tools write, marked as such.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codemap import api
from codemap.ownpackages import OwnPackages
from codemap.pathmap import PathMapper
from tests.conftest import GitRepoBuilder

WIDGET = """\
'use strict'
const pad = require('leftpad')

function formatPrice (cents) {
  return pad(cents / 100, 8)
}

module.exports = { formatPrice }
"""

LEFTPAD = """\
module.exports = function pad (text, width) {
  if (typeof text !== 'string') throw new TypeError('pad needs a string')
  return text.padStart(width)
}
"""

SERVER = """\
const { formatPrice } = require('@acme/widgets/lib/format')
function render (order) {
  return formatPrice(order.total)
}
render({ total: 1250 })
"""


def _install(repo: Path, target: Path) -> None:
    """Copy the repository's tracked files to ``target``, as a package manager would."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=repo, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / rel, target / rel)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to make the trace")
def test_a_node_trace_through_node_modules_maps_into_the_package(git_repo: GitRepoBuilder,
                                                                   tmp_path: Path) -> None:
    git_repo.write("package.json", json.dumps({"name": "@acme/widgets", "version": "1.2.0"}))
    git_repo.write("lib/format.js", WIDGET)
    # a fixture package.json naming another package must not disturb the real one
    git_repo.write("test/fixtures/app/package.json", json.dumps({"name": "fixture-app"}))
    git_repo.commit("widgets")
    deploy = tmp_path / "deploy"
    pkg = deploy / "node_modules" / "@acme" / "widgets"
    _install(git_repo.root, pkg)
    # the package's own dependency, installed inside it: a library, never the repository's
    dep = pkg / "node_modules" / "leftpad"
    dep.mkdir(parents=True)
    (dep / "index.js").write_text(LEFTPAD)
    (deploy / "server.js").write_text(SERVER)
    proc = subprocess.run(["node", "server.js"], cwd=deploy, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode != 0 and "pad needs a string" in proc.stderr

    report = api.trace(proc.stderr, str(git_repo.root))
    # node's crash header ("/.../node_modules/@acme/widgets/...:2", the source line, a caret)
    # is no Firefox frame "fn@url:line" for all its "@": one exception, the V8 one
    assert [(e.type, e.format) for e in report.exceptions] == [("TypeError", "v8")]
    exc = report.exceptions[0]
    by_file = {(f.path, f.line): f for f in exc.frames if f.in_repo}
    # formatPrice ran at lib/format.js:5, as installed under node_modules/@acme/widgets
    frame = by_file[("lib/format.js", 5)]
    assert frame.match == "installed"
    assert frame.symbol is not None and frame.symbol.name == "formatPrice"
    raws = [f.raw for f in exc.frames]
    assert any("node_modules/leftpad/index.js" in r for r in raws)
    outside = [f for f in exc.frames if "leftpad" in f.raw or "server.js" in f.raw]
    assert outside and not any(f.in_repo for f in outside)
    # the installed version may not be the checkout's: the report says so
    warning = next(w for w in report.extras["warnings"] if "installed copy" in w)
    assert f"({pkg}/)" in warning  # where it was installed


def test_a_python_trace_through_site_packages_maps_into_src(git_repo: GitRepoBuilder,
                                                            tmp_path: Path) -> None:
    git_repo.write("pyproject.toml", '[project]\nname = "shop-kit"\nversion = "1.0"\n')
    git_repo.write("src/shop/__init__.py", "")
    git_repo.write("src/shop/cart.py", "def total(items):\n"
                                       "    return sum(i['price'] for i in items)\n")
    git_repo.write("tests/test_cart.py", "from shop.cart import total\n")
    git_repo.commit("shop")
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    (site / "shop").mkdir(parents=True)
    for name in ("__init__.py", "cart.py"):
        shutil.copy2(git_repo.root / "src" / "shop" / name, site / "shop" / name)
    app = tmp_path / "app.py"
    app.write_text("from shop.cart import total\nprint(total([{'price': 1}, {}]))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc = subprocess.run([sys.executable, "-B", str(app)], env={**env, "PYTHONPATH": str(site)},
                          capture_output=True, text=True, timeout=60)
    assert "KeyError" in proc.stderr

    report = api.trace(proc.stderr, str(git_repo.root))
    frames = report.exceptions[0].frames
    mine = [f for f in frames if f.in_repo]
    assert [(f.path, f.line, f.match) for f in mine][-2:] == [
        ("src/shop/cart.py", 2, "installed"), ("src/shop/cart.py", 2, "installed")]
    assert mine[-1].symbol is not None and mine[-1].symbol.qualname.endswith("total")
    assert not any(f.in_repo for f in frames if f.raw and "app.py" in f.raw)


# typed-in: the paths Go, Cargo and RubyGems write for an installed module, crate and gem
# (their tools need the network to fill a module cache here)
@pytest.mark.parametrize(("manifest", "text", "installed", "expected"), [
    ("go.mod", "module github.com/Acme/kit\n\ngo 1.22\n",
     "/root/go/pkg/mod/github.com/!acme/kit@v1.4.0/log/log.go", "log/log.go"),
    ("Cargo.toml", '[package]\nname = "fastkit"\nversion = "0.3.1"\n',
     "/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/fastkit-0.3.1/src/lib.rs",
     "src/lib.rs"),
    ("fastkit.gemspec", 'Gem::Specification.new do |spec|\n  spec.name = "fastkit"\nend\n',
     "/usr/local/bundle/ruby/3.3.0/gems/fastkit-0.3.1/lib/fastkit.rb", "lib/fastkit.rb"),
])
def test_installed_layouts_of_other_ecosystems(git_repo: GitRepoBuilder, manifest: str,
                                               text: str, installed: str,
                                               expected: str) -> None:
    git_repo.write(manifest, text)
    git_repo.write(expected, "x\n")
    git_repo.commit("package")
    files = [manifest, expected]
    mapper = PathMapper(files, repo_root=str(git_repo.root))
    match = mapper.map(installed)
    assert (match.path, match.how) == (expected, "installed")
    # another package in the same place stays a library
    other = installed.replace("kit", "other").replace("fastkit", "otherkit")
    assert mapper.map(other).how == "outside"


def test_a_name_declared_twice_is_nobodys(git_repo: GitRepoBuilder) -> None:
    git_repo.write("package.json", json.dumps({"name": "dup"}))
    git_repo.write("examples/package.json", json.dumps({"name": "dup"}))
    git_repo.write("index.js", "x\n")
    git_repo.commit("two")
    mapper = PathMapper(["package.json", "examples/package.json", "index.js"],
                        repo_root=str(git_repo.root))
    assert mapper.map("/srv/node_modules/dup/index.js").how == "outside"


def test_manifests_are_read_only_when_a_library_path_is_met(tmp_path: Path) -> None:
    reads: list[str] = []

    def read(rel: str) -> bytes | None:
        reads.append(rel)
        return json.dumps({"name": "w"}).encode()

    own = OwnPackages(["package.json", "lib/a.js"], read)
    mapper = PathMapper(["package.json", "lib/a.js"], read=read)
    assert mapper.map("/srv/app/lib/a.js").path == "lib/a.js"
    assert reads == []
    assert own.locate("/srv/node_modules/w/lib/a.js") == "lib/a.js"
    assert own.locate("/srv/node_modules/w/lib/missing.js") is None
    assert reads == ["package.json"]


def test_only_a_distributions_python_packages_count_and_never_its_tests() -> None:
    files = ["pyproject.toml", "src/shop/__init__.py", "src/shop/cart.py", "tests/__init__.py",
             "tests/test_cart.py"]
    mapper = PathMapper(files, read=lambda _rel: None)
    site = "/usr/lib/python3/dist-packages"
    assert mapper.map(f"{site}/shop/cart.py").path == "src/shop/cart.py"
    assert mapper.map(f"{site}/tests/test_cart.py").how == "outside"  # another package's tests
    # an application (no packaging file) is not installed: its names there are others'
    app = PathMapper(["shop/__init__.py", "shop/cart.py"], read=lambda _rel: None)
    assert app.map(f"{site}/shop/cart.py").how == "outside"


def test_a_script_beside_a_distribution_is_not_installed() -> None:
    files = ["pyproject.toml", "src/shop/__init__.py", "src/shop/cart.py", "tools/release.py",
             "src/helpers.py", "flat.py"]
    mapper = PathMapper(files, read=lambda _rel: None)
    site = "/usr/lib/python3/dist-packages"
    assert mapper.map(f"{site}/helpers.py").path == "src/helpers.py"  # a module of src/
    assert mapper.map(f"{site}/flat.py").path == "flat.py"  # beside pyproject.toml
    assert mapper.map(f"{site}/release.py").how == "outside"  # a script, not installed
