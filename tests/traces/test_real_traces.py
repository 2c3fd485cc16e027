"""Real traces, produced by running code (python3, pytest, node, javac + java) in
temporary git repositories, mapped through ``codemap.api.trace``.

The headline figure: over the whole corpus, >= 98% of in-repo frames must map
to the right file, the right symbol and a line inside the symbol's range
(ground truth: the unrewritten trace and ``@sym:`` markers in the sources).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.traces.realtraces import Case, Corpus, build_corpus

pytestmark = pytest.mark.slow  # runs python3, pytest, node, javac and java: ~20 s

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
needs_java = pytest.mark.skipif(shutil.which("javac") is None, reason="javac is not installed")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("real-traces"))


def test_mapping_accuracy_over_the_whole_corpus(corpus: Corpus) -> None:
    in_repo = [c for c in corpus.checks if c.expected_path is not None]
    good = [c for c in in_repo if c.ok]
    ratio = len(good) / len(in_repo)
    languages = sorted({c.case.language for c in in_repo})
    print(f"\nmapping accuracy: {len(good)}/{len(in_repo)} in-repo frames = {ratio:.2%} "
          f"({', '.join(languages)}; {len(corpus.cases)} traces)")
    for c in in_repo:
        if not c.ok:
            print(f"  miss: {c.case.language}/{c.case.name}: {c.frame.raw.strip()[:90]} | {c.reason}")
    assert len(in_repo) >= 150, "the corpus is too small to measure anything"
    assert ratio >= 0.98


def test_library_frames_are_never_reported_in_repo(corpus: Corpus) -> None:
    outside = [c for c in corpus.checks if c.expected_path is None]
    assert outside, "the corpus should include stdlib / node:internal / JDK frames"
    wrong = [c.frame.raw for c in outside if not c.ok]
    assert wrong == []
    for c in outside:
        assert c.frame.path is None and c.frame.symbol is None


def _in_repo(case: Case, exc: int = 0) -> list[tuple[str | None, str | None]]:
    frames = case.report.exceptions[exc].frames
    return [(f.path, f.symbol.qualname if f.symbol else None) for f in frames if f.in_repo]


def test_python_plain_frames_are_in_call_order(corpus: Corpus) -> None:
    case = corpus.case("python", "plain")
    assert case.report.language == "python"
    exc = case.report.exceptions[0]
    assert (exc.type, exc.message) == ("KeyError", "'NOPE'")
    quals = [q for _, q in _in_repo(case)]
    assert quals == ["shop.run", "shop.run.main", "shop.service.place_order",
                     "shop.models.audited.wrapper", "shop.models.Cart.checkout",
                     "shop.models.Pricing.discount"]
    # runpy's <frozen runpy> frames come first and are library frames
    assert not exc.frames[0].in_repo and exc.frames[0].match == "outside"


def test_python_chained_exceptions(corpus: Corpus) -> None:
    cause = corpus.case("python", "cause").report
    assert [(e.type, e.relation) for e in cause.exceptions] == [
        ("KeyError", None), ("RuntimeError", "raised-from")]
    context = corpus.case("python", "context").report
    assert [(e.type, e.relation) for e in context.exceptions] == [
        ("KeyError", None), ("ValueError", "context")]
    assert context.exceptions[1].frames[-1].symbol.qualname == "shop.models.Cart.__init__"


def test_python_exception_group(corpus: Corpus) -> None:
    report = corpus.case("python", "group").report
    kinds = [(e.type, e.relation) for e in report.exceptions]
    assert kinds[0] == ("ExceptionGroup", None)
    assert ("ValueError", "group") in kinds and ("TypeError", "group") in kinds
    assert ("ExceptionGroup", "group") in kinds  # the nested group
    assert report.exceptions[0].message.startswith("invalid")
    member = next(e for e in report.exceptions if e.type == "TypeError")
    assert member.frames[-1].symbol.qualname == "shop.models.Cart.Line.__init__"


def test_python_syntax_error_block(corpus: Corpus) -> None:
    report = corpus.case("python", "syntax").report
    exc = report.exceptions[-1]
    assert exc.type == "SyntaxError" and exc.extras.get("syntax_error") is True
    last = exc.frames[-1]
    assert (last.path, last.line, last.function) == ("shop/broken.py", 2, None)


def test_python_recursion_and_async_and_thread(corpus: Corpus) -> None:
    rec = corpus.case("python", "recursion").report.exceptions[0]
    assert rec.type == "RecursionError"
    assert rec.frames[-1].symbol.qualname == "shop.service.recurse"
    aio = corpus.case("python", "async").report.exceptions[0]
    assert [q for _, q in _in_repo(corpus.case("python", "async"))] == [
        "shop.run", "shop.run.main", "shop.service.gather_orders", "shop.service.fetch",
        "shop.service.place_order", "shop.models.audited.wrapper", "shop.models.Cart.checkout",
        "shop.models.Pricing.discount"]
    assert any(f.match == "outside" for f in aio.frames)  # asyncio's own frames
    thread = corpus.case("python", "thread").report.exceptions[0]
    assert thread.type == "KeyError" and thread.frames[-1].function == "discount"


def test_python_logging_exc_info(corpus: Corpus) -> None:
    case = corpus.case("python", "logging")
    assert "order failed for 1 items" in case.original
    exc = case.report.exceptions[0]
    assert exc.type == "KeyError"
    assert exc.frames[0].symbol.qualname == "shop.service.logged"


def test_paths_rewritten_like_deployments_still_map(corpus: Corpus) -> None:
    # variant 3 of the Python corpus prints Windows paths (C:\app\shop\...)
    group = corpus.case("python", "group")
    assert "C:\\app\\shop\\service.py" in group.text
    assert {f.match for f in group.report.frames() if f.in_repo} == {"suffix"}
    cause = corpus.case("python", "cause")
    assert "/srv/app/shop/service.py" in cause.text


def test_pytest_tb_modes_agree(corpus: Corpus) -> None:
    def summary(name: str) -> list[tuple[str | None, str | None, tuple]]:
        report = corpus.case("python", name).report
        return [(e.type, e.extras.get("test"),
                 tuple((f.path, f.line) for f in e.frames if f.in_repo))
                for e in report.exceptions if e.relation is None]

    long = summary("pytest-long")
    assert [t for _, t, _ in long] == ["test_bad_coupon", "test_total", "test_chained",
                                       "TestCart.test_empty"]
    assert long == summary("pytest-short") == summary("pytest-auto")
    assert long[1][0] == "AssertionError"
    chained = corpus.case("python", "pytest-long").report.exceptions
    assert [e.relation for e in chained].count("raised-from") == 1
    native = corpus.case("python", "pytest-native").report
    assert [e.type for e in native.exceptions if e.relation is None][:2] == ["KeyError",
                                                                             "AssertionError"]


@needs_node
def test_node_sync_async_and_constructors(corpus: Corpus) -> None:
    sync = corpus.case("javascript", "main.js-sync")
    assert sync.report.language == "javascript"
    assert [q for _, q in _in_repo(sync)][-2:] == ["src/service.js:helpers.load",
                                                   "src/repo.js:Repo.find"]
    asy = corpus.case("javascript", "main.js-async").report.exceptions[0]
    assert asy.frames[0].extras.get("async") is True and asy.frames[0].function == "run"
    ctor = corpus.case("javascript", "main.js-ctor").report.exceptions[0]
    assert ctor.frames[-1].function == "new Repo"
    assert ctor.frames[-1].symbol.qualname == "src/repo.js:Repo.constructor"
    assert ctor.frames[-1].name_mismatch is False
    getter = corpus.case("javascript", "main.js-getter").report.exceptions[0]
    assert getter.frames[-1].symbol.name == "size"


@needs_node
def test_node_error_cause_and_uncaught_excerpt(corpus: Corpus) -> None:
    cause = corpus.case("javascript", "main.js-cause").report
    assert [(e.type, e.message, e.relation) for e in cause.exceptions] == [
        ("Error", "lookup failed", None), ("TypeError", "Cannot read properties of undefined "
                                           "(reading 'name')", "cause")]
    crash = corpus.case("javascript", "crash.js").report.exceptions[0]
    assert crash.type == "TypeError"  # found above the frames, past Node's source excerpt
    assert crash.frames[-1].symbol.qualname == "src/repo.js:Repo.find"


@needs_node
def test_node_es_modules_with_file_urls(corpus: Corpus) -> None:
    case = corpus.case("javascript", "main.mjs-render")
    assert "file:///" in case.text
    frames = [f for f in case.report.frames() if f.in_repo]
    assert frames[0].path == "src/esm/main.mjs" and frames[0].symbol.kind == "module"
    assert frames[-1].path == "src/esm/widget.mjs"
    assert frames[-1].symbol.qualname == "src/esm/widget.mjs:Widget.render"


@needs_java
def test_java_causes_suppressed_and_more(corpus: Corpus) -> None:
    report = corpus.case("java", "all").report
    assert report.language == "java"
    by_type = [(e.type, e.relation) for e in report.exceptions]
    assert ("java.lang.UnsupportedOperationException", "suppressed") in by_type
    assert ("java.lang.NumberFormatException", "cause") in by_type  # <clinit> failure
    last = report.exceptions[-1]
    assert last.relation == "cause" and last.type == "java.lang.ArithmeticException"
    first_deep = next(e for e in report.exceptions if e.extras.get("thread") == "main")
    assert first_deep.type == "java.lang.Exception" and first_deep.message == "level 3"
    repeated = [f for e in report.exceptions for f in e.frames if f.extras.get("repeated")]
    assert repeated and all(f.in_repo or f.match == "outside" for f in repeated)
    # "... N more" frames are the outermost ones: they come first in call order
    cause = next(e for e in report.exceptions if e.relation == "cause" and e.frames)
    assert cause.frames[0].extras.get("repeated") is True


@needs_java
def test_java_runtime_names_are_understood(corpus: Corpus) -> None:
    frames = corpus.case("java", "all").report.frames()
    by_function = {f.function: f for f in frames if f.in_repo}
    init = by_function["com.acme.shop.Cart.<init>"]
    assert init.symbol.qualname == "com.acme.shop.Cart.Cart" and init.name_mismatch is False
    lam = by_function["com.acme.shop.Cart.lambda$total$0"]
    assert lam.symbol.qualname == "com.acme.shop.Cart.total" and lam.name_mismatch is False
    inner = by_function["com.acme.shop.Cart$Totals.ratio"]
    assert inner.symbol.qualname == "com.acme.shop.Cart.Totals.ratio"
    clinit = by_function["com.acme.shop.Boot.<clinit>"]
    assert clinit.symbol.kind == "class" and clinit.name_mismatch is False
    jdk = [f for f in frames if (f.function or "").startswith("java.")]
    assert jdk and not any(f.in_repo for f in jdk)


def test_every_case_found_its_trace(corpus: Corpus) -> None:
    for case in corpus.cases:
        assert case.report.exceptions, case.name
        assert any(f.in_repo for f in case.report.frames()), case.name


def test_index_stays_out_of_the_working_tree(corpus: Corpus) -> None:
    for case in corpus.cases:
        status = Path(case.repo, ".git", "codemap")
        assert status.is_dir()
        assert not (case.repo / ".codemap").exists()


def test_pytest_tb_line_gives_each_failure_where_it_raised(corpus: Corpus) -> None:
    """--tb=line: one line per failing test, where its exception was raised (the last of a
    chain); the tests are named from the short summary that follows."""
    last: dict[str, tuple[str | None, tuple]] = {}
    for e in corpus.case("python", "pytest-long").report.exceptions:  # a chain's last wins
        last[e.extras["test"]] = (e.type, tuple((f.path, f.line) for f in e.frames
                                                 if f.in_repo)[-1:])
    line = corpus.case("python", "pytest-line").report.exceptions
    assert [e.format for e in line] == ["pytest"] * 4
    names = [e.extras.get("test", "").rsplit("::", 1)[-1] for e in line]
    assert names == ["test_bad_coupon", "test_total", "test_chained", "test_empty"]
    assert [(e.type, tuple((f.path, f.line) for f in e.frames if f.in_repo)) for e in line] == [
        last[name if name != "test_empty" else "TestCart.test_empty"] for name in names]
