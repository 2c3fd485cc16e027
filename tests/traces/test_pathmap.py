"""PathMapper: foreign paths (containers, CI, Windows, bundlers) -> repository paths."""

from __future__ import annotations

import pytest

from codemap.pathmap import HOW_VALUES, PathMapper

FILES = [
    "manage.py", "pkg/__init__.py", "pkg/mod.py", "tests/pkg/mod.py", "services/api/handler.py",
    "src/App.js", "src/components/Button.js", "src/main/java/com/acme/Foo.java",
    "cmd/server/main.go", "internal/db/db.go", "App/Example1.cs", "lib/loader.js",
]


@pytest.fixture
def mapper() -> PathMapper:
    return PathMapper(FILES, [("/srv/other", "services/api")], repo_root="/home/me/repo")


@pytest.mark.parametrize(("raw", "path", "how"), [
    ("/home/me/repo/pkg/mod.py", "pkg/mod.py", "exact"),
    ("pkg/mod.py", "pkg/mod.py", "exact"),
    ("./pkg/mod.py", "pkg/mod.py", "exact"),
    ("webpack:///./src/App.js", "src/App.js", "exact"),
    ("webpack-internal:///./src/App.js", "src/App.js", "exact"),
    ("webpack://myapp/./src/components/Button.js", "src/components/Button.js", "exact"),
    ("http://localhost:5000/src/App.js?v=3", "src/App.js", "exact"),
    ("async http://localhost:5000/src/App.js", "src/App.js", "exact"),
    ("/srv/other/handler.py", "services/api/handler.py", "prefix-map"),
    ("file:///home/runner/work/x/x/src/App.js", "src/App.js", "suffix"),
    ("file:///home/runner/work/x/x/src/my%20App/../App.js", "src/App.js", "suffix"),
    ("webpack:///mnt/pinboard/src/App.js", "src/App.js", "suffix"),
    ("/home/runner/work/x/x/cmd/server/main.go", "cmd/server/main.go", "suffix"),
    ("C:\\build\\App\\Example1.cs", "App/Example1.cs", "suffix"),
    ("c:\\BUILD\\app\\example1.CS", "App/Example1.cs", "suffix"),
    ("file:///C:/build/App/Example1.cs", "App/Example1.cs", "suffix"),
    ("/srv/app/manage.py", "manage.py", "suffix"),
    ("com/acme/Foo.java", "src/main/java/com/acme/Foo.java", "suffix"),
    ("/srv/app/internal/db/db.go", "internal/db/db.go", "suffix"),
    ("loader.js", "lib/loader.js", "suffix"),
])
def test_maps_into_repo(mapper: PathMapper, raw: str, path: str, how: str) -> None:
    match = mapper.map(raw)
    assert (match.path, match.how) == (path, how)
    assert match.candidates == (path,)
    assert match.in_repo


@pytest.mark.parametrize("raw", [
    "/home/me/repo/.venv/lib/python3.11/site-packages/x.py",
    "/usr/lib/python3.11/json/decoder.py",
    "/usr/local/lib/python3.12/site-packages/django/core/handlers/base.py",
    "/usr/lib/python3/dist-packages/pkg/mod.py",
    "C:\\Python311\\Lib\\json\\decoder.py",
    "<frozen runpy>", "<string>", "<stdin>", "<anonymous>", "[native code]", "native",
    "node:internal/modules/cjs/loader", "node:fs", "internal/modules/cjs/loader.js",
    "/app/node_modules/express/lib/router.js", "webpack:///./node_modules/react-dom/index.js",
    "/var/www/html/vendor/gears/pdf/src/Pdf/Docx/SimpleXMLElement.php",
    "/usr/local/go/src/runtime/panic.go", "/opt/hostedtoolcache/go/1.21.0/x64/src/net/http/server.go",
    "/root/go/pkg/mod/github.com/x/y@v1.2.3/z.go",
    "jrt:/java.base/java/lang/Thread.java", "/usr/lib/jvm/java-17/lib/src.zip",
    "/rustc/e092d0b6b43f2de967af0887873151bb1c0b18d3/library/core/src/fmt/mod.rs",
    "/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/tokio-1.0.0/src/lib.rs",
    "/usr/lib/ruby/3.3.0/net/http.rb", "/usr/local/bundle/gems/rack-3.0.0/lib/rack.rb",
    "/_/src/libraries/System.Private.CoreLib/src/System/Threading/Tasks/Task.cs",
])
def test_library_paths_are_outside(mapper: PathMapper, raw: str) -> None:
    match = mapper.map(raw)
    assert (match.path, match.how) == (None, "outside")


def test_library_marker_above_repo_root_does_not_hide_repo() -> None:
    m = PathMapper(["app/models.py"], repo_root="/home/me/vendor/project")
    assert m.map("/home/me/vendor/project/app/models.py").how == "exact"


def test_ties_are_ambiguous_with_candidates(mapper: PathMapper) -> None:
    match = mapper.map("/srv/app/pkg/mod.py")
    assert match.how == "ambiguous" and match.path is None
    assert match.candidates == ("pkg/mod.py", "tests/pkg/mod.py")


def test_map_many_settles_ties_by_learned_root(mapper: PathMapper) -> None:
    results = mapper.map_many(["/srv/app/manage.py", "/srv/app/pkg/mod.py"])
    assert [r.path for r in results] == ["manage.py", "pkg/mod.py"]
    # alone, it stays ambiguous
    assert mapper.map_many(["/srv/app/pkg/mod.py"])[0].how == "ambiguous"


def test_prefix_map_settles_ambiguity() -> None:
    m = PathMapper(FILES, [("/srv/app", ".")])
    assert m.map("/srv/app/pkg/mod.py").how == "prefix-map"
    assert m.map("/srv/app/pkg/mod.py").path == "pkg/mod.py"
    w = PathMapper(FILES, [("C:\\build", "tests")])
    assert w.map("C:\\build\\pkg\\mod.py").path == "tests/pkg/mod.py"
    a = PathMapper(FILES, [("/srv/app", "/home/me/repo/tests")], repo_root="/home/me/repo")
    assert a.map("/srv/app/pkg/mod.py").path == "tests/pkg/mod.py"


def test_unrelated_and_unknown_paths(mapper: PathMapper) -> None:
    assert mapper.map("/opt/x/loader.js").how == "none"  # one shared segment is not evidence
    assert mapper.map("/opt/x/nothing.py").how == "none"
    assert mapper.map("/home/me/repo/build/gen.py").how == "none"
    assert mapper.map("").how == "none"
    assert mapper.map("   ").how == "none"


def test_every_answer_uses_a_known_how(mapper: PathMapper) -> None:
    for raw in ["x", "/", "\\\\", "file://", "webpack://", "C:", "a/../../b", "?", "http://h"]:
        assert mapper.map(raw).how in HOW_VALUES


def test_suffix_matching_on_a_large_project() -> None:
    # speed is measured in benchmarks/trace_bench.py and coverage_bench.py, not here
    files = [f"pkg{i % 40}/sub{i % 7}/mod{i}.py" for i in range(1000)]
    files += [f"pkg{i}/__init__.py" for i in range(40)]
    mapper = PathMapper(files)
    raws = [f"/srv/app/{f}" for f in files] * 20 + [f"/ci/work/{f}" for f in files]
    for raw in raws:
        assert mapper.map(raw).path == raw.split("/", 3)[3]
    fresh = PathMapper(files)
    for raw in raws[:1040]:
        assert fresh.map(raw).how == "suffix"
