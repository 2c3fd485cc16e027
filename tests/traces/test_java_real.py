"""Real JVM traces of two small Java services (tests/traces/java_real/), mapped onto
real git repositories that hold their sources and history.

The traces were printed by ``java`` (see each file's first line); one test
reruns javac + java and checks the stored traces are still what the sources
print. Ground truth is the printed frame (class, file, line) and the
``// @sym:`` marker on that line (:mod:`tests.traces.java_real.check`), never
codemap. Figures per trace kind are printed with ``-s``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from codemap import api
from tests.conftest import GitRepoBuilder
from tests.traces.java_real.check import OWN, judge, printed_frames
from tests.traces.java_real.projects import (
    INGEST,
    ORDERS,
    PROJECTS,
    Project,
    build_repo,
    capture,
    compile_project,
    stored,
)

needs_java = pytest.mark.skipif(shutil.which("javac") is None or shutil.which("java") is None,
                                reason="javac / java are not installed")

RUNS = [(p, name) for p in PROJECTS for name, _s, _o in p.runs()]
# what each stored trace exercises (for the figures)
KIND = {
    "not-found": "lambda in Optional.orElseThrow", "wrapped": "Caused by + ... N more",
    "stream": "method reference in a stream", "anonymous": "anonymous class Foo$1",
    "enum": "enum constant body Status$3", "csv": "plain", "record": "record constructor <init>",
    "overflow": "record method reference", "suppressed": "try-with-resources Suppressed",
    "inner": "inner class + lambda", "valueof": "enum valueOf (synthetic)",
    "thread": 'Exception in thread "worker-1" + lambda$new$0 + bridge',
    "thread-hidden": "hidden lambda-form frames", "clinit": "<clinit> + lambda$static$0",
    "deep": "StackOverflowError (1024 frames)", "jul": "java.util.logging",
    "prefixed": "timestamp prefix on every line", "json": "JSON log line (escaped)",
    "quota": "custom exception, multi-line message, overloads",
    "test-discount": "AssertionError in src/test/java",
}


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One real git repository per project (the ``git_repo`` builder, shared by the module)."""
    out = {}
    for project in PROJECTS:
        builder = GitRepoBuilder(tmp_path_factory.mktemp("java-real") / project.name)
        build_repo(builder, project)
        out[project.name] = builder.root
    return out


def _report(repos: dict[str, Path], project: Project, name: str) -> dict[str, Any]:
    return api.trace(stored(project, name), str(repos[project.name])).to_json()


def _frames(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for e in report["exceptions"] for f in e["frames"]]


def _at(frame: dict[str, Any]) -> str:
    """The ``at ...(File.java:N)`` part of a frame's raw line (JSON escapes undone)."""
    found = printed_frames(frame["raw"].replace("\\t", "\t"))
    return found[0].group(0) if found else frame["raw"]


def _own(exc: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["symbol"]["qualname"]) for f in exc["frames"]
            if f["in_repo"] and f["symbol"]]


# -- every frame of every stored trace -------------------------------------------------

@pytest.mark.parametrize(("project", "name"), RUNS, ids=[f"{p.name}-{n}" for p, n in RUNS])
def test_every_frame_lands_on_its_file_line_and_symbol(repos: dict[str, Path], project: Project,
                                                       name: str) -> None:
    report = _report(repos, project, name)
    assert report["language"] == "java"
    frames = _frames(report)
    verdicts = [judge(repos[project.name], f) for f in frames]
    assert [(v.raw, v.reason) for v in verdicts if not v.ok] == []
    # no printed frame of the repository is lost or invented, and each exception lists
    # its frames in call order: the printed (innermost first) order reversed
    printed = [m.group(0) for m in printed_frames(stored(project, name))
               if m.group("cls").startswith(OWN)]
    as_printed = [_at(f) for e in report["exceptions"] for f in reversed(e["frames"])
                  if f["in_repo"] and not f.get("repeated")]
    assert as_printed == printed
    for f in frames:
        if f["in_repo"]:
            assert f["last_commit"]["sha"] and f["last_commit"]["author"]


def test_figures_per_trace_kind(repos: dict[str, Path]) -> None:
    total = good = 0
    lines = []
    for project, name in RUNS:
        report = _report(repos, project, name)
        own = [f for f in _frames(report) if OWN in f["raw"] and ".java:" in f["raw"]]
        ok = sum(judge(repos[project.name], f).ok for f in own)
        lines.append(f"  {project.name}-{name:14} {ok:5}/{len(own):<5} {KIND[name]}")
        total, good = total + len(own), good + ok
    print("\nJava in-repo frames right (file, line, symbol):\n" + "\n".join(lines)
          + f"\n  all: {good}/{total}")
    assert good == total


# -- what an on-call engineer reads -----------------------------------------------------

def test_wrapped_cause_and_suspect(repos: dict[str, Path]) -> None:
    report = _report(repos, ORDERS, "wrapped")
    top, cause = report["exceptions"]
    assert (top["type"], top.get("relation")) == ("com.acme.orders.pricing.PricingException", None)
    assert top["thread"] == "main"
    assert (cause["type"], cause["relation"]) == ("java.lang.NullPointerException", "cause")
    # "... 5 more": the enclosing trace's outermost five frames, first in call order
    assert [f.get("repeated", False) for f in cause["frames"]][:6] == [True] * 5 + [False]
    # the overloads: each frame on its own total(...)
    assert [q for _p, _l, q in _own(top)][-3:] == ["com.acme.orders.service.OrderService.total"] * 3
    assert [line for _p, line, _q in _own(top)][-3:] == [53, 38, 48]
    raising = cause["frames"][-1]
    assert raising["symbol"]["qualname"] == "com.acme.orders.pricing.TaxRule.adjust"
    assert raising["last_commit"]["author"] == "Dan Duke" and raising["last_commit"]["ai"] is True
    best = report["suspects"][0]
    assert best["author"] == "Dan Duke" and best["ai"] is True
    assert any("TaxRule.java" in r for r in best["reasons"])


def test_suppressed_exception_from_close(repos: dict[str, Path]) -> None:
    report = _report(repos, ORDERS, "suppressed")
    main, suppressed = report["exceptions"]
    assert main["type"] == "java.lang.NumberFormatException"
    assert (suppressed["type"], suppressed["relation"]) == ("java.io.IOException", "suppressed")
    assert suppressed["message"] == "source already closed by peer"
    assert _own(suppressed)[-2:] == [
        ("src/main/java/com/acme/orders/Main.java", 45, "com.acme.orders.Main.run"),
        ("src/main/java/com/acme/orders/repo/CsvOrderSource.java", 54,
         "com.acme.orders.repo.CsvOrderSource.close")]


def test_runtime_names_map_to_their_source_symbols(repos: dict[str, Path]) -> None:
    by_function: dict[str, dict[str, Any]] = {}
    for project, name in RUNS:
        for f in _frames(_report(repos, project, name)):
            if f["in_repo"]:
                by_function.setdefault(f"{f['function']}:{f['line']}", f)

    def sym(key: str) -> tuple[str, str, bool | None]:
        f = by_function[key]
        return f["symbol"]["qualname"], f["symbol"]["kind"], f.get("name_mismatch")

    assert sym("com.acme.ingest.Settings.<clinit>:17") == ("com.acme.ingest.Settings", "class", False)
    assert sym("com.acme.ingest.Settings.lambda$static$0:14") == (
        "com.acme.ingest.Settings", "class", False)
    assert sym("com.acme.ingest.stage.EnrichStage.lambda$new$0:12") == (
        "com.acme.ingest.stage.EnrichStage.EnrichStage", "method", False)
    assert sym("com.acme.orders.model.Order.<init>:12") == (
        "com.acme.orders.model.Order.Order", "method", False)
    assert sym("com.acme.ingest.Main.lambda$startWorker$0:38")[0] == "com.acme.ingest.Main.startWorker"
    assert sym("com.acme.orders.service.OrderService$Report.lambda$render$0:94")[0] == (
        "com.acme.orders.service.OrderService.Report.render")
    assert sym("com.acme.orders.service.OrderService$1.compare:68") == (
        "com.acme.orders.service.OrderService.byPriority.compare", "method", False)
    assert sym("com.acme.orders.model.Status$3.next:20") == (
        "com.acme.orders.model.Status.SHIPPED.next", "method", False)
    assert sym("com.acme.orders.model.Order$Line.totalCents:24")[0] == (
        "com.acme.orders.model.Order.Line.totalCents")
    # methods javac writes sit on the class line: an enum's valueOf (the class, named so),
    # a generic override's bridge (the class; its name is any method's, so the mapper
    # cannot tell it from a stale line and says the name differs)
    assert sym("com.acme.ingest.stage.ParseStage.process:7") == (
        "com.acme.ingest.stage.ParseStage", "class", True)
    assert sym("com.acme.orders.model.Status.valueOf:4") == (
        "com.acme.orders.model.Status", "class", False)


def test_thread_and_hidden_lambda_frames(repos: dict[str, Path]) -> None:
    plain = _report(repos, INGEST, "thread")
    exc = plain["exceptions"][0]
    assert exc["thread"] == "worker-1"
    assert exc["frames"][0]["function"] == "java.lang.Thread.run" and not exc["frames"][0]["in_repo"]
    hidden = _report(repos, INGEST, "thread-hidden")
    lambda_forms = [f for f in _frames(hidden) if "$$Lambda$" in f["raw"]]
    assert len(lambda_forms) == 3
    assert all(not f["in_repo"] and f["path"] is None for f in lambda_forms)
    # the same repository frames as without the hidden ones
    assert _own(hidden["exceptions"][0]) == _own(exc)


def test_stack_overflow_is_marked_truncated(repos: dict[str, Path]) -> None:
    exc = _report(repos, INGEST, "deep")["exceptions"][0]
    assert exc["type"] == "java.lang.StackOverflowError" and exc["truncated"] is True
    assert len(exc["frames"]) == 1024
    # where in eval() the stack ran out varies from run to run: line 14 or the recursion
    assert {f["line"] for f in exc["frames"][:-1]} == {17}
    assert {f["symbol"]["qualname"] for f in exc["frames"][:-1]} == {"com.acme.ingest.Expr.eval"}
    full = _report(repos, ORDERS, "wrapped")["exceptions"][0]
    assert "truncated" not in full


def test_log_formats_give_the_same_mapping(repos: dict[str, Path]) -> None:
    """JUL's own format, a timestamp prefix on every line and a JSON log line: one trace."""
    seen = []
    for name in ("jul", "prefixed", "json"):
        report = _report(repos, INGEST, name)
        assert [(e["type"], e["message"], e.get("relation")) for e in report["exceptions"]] == [
            ("java.lang.IllegalStateException", "record 1 rejected", None),
            ("java.lang.StringIndexOutOfBoundsException", "begin 0, end -1, length 4", "cause")]
        seen.append([[(p, q) for p, _l, q in _own(e)][1:] for e in report["exceptions"]])
        raising = report["exceptions"][1]["frames"]
        assert raising[-1]["function"] == "java.lang.String.checkBoundsBeginEnd"
    assert seen[0] == seen[1] == seen[2]


def test_generated_proxy_frames_stay_outside(repos: dict[str, Path]) -> None:
    """Spring wraps beans in CGLIB subclasses; their frames name no source line.
    (Typed from the stored not-found trace plus Spring Boot's proxy frame shapes,
    spring-framework ``ClassUtils.CGLIB_CLASS_SEPARATOR`` = "$$"; Spring is not here.)"""
    text = stored(ORDERS, "not-found").replace(
        "\tat com.acme.orders.web.OrderController.show",
        "\tat com.acme.orders.service.OrderService$$SpringCGLIB$$0.get(<generated>)\n"
        "\tat com.acme.orders.web.OrderController.show")
    frames = _frames(api.trace(text, str(repos["orders"])).to_json())
    proxy = next(f for f in frames if "SpringCGLIB" in f["raw"])
    assert not proxy["in_repo"] and proxy["path"] is None
    assert sum(f["in_repo"] for f in frames) == 5


# -- the call graph around the traced code -----------------------------------------------

def _names(answer: Any, key: str) -> set[str]:
    return {item.symbol.qualname for item in getattr(answer, key)}


def test_overloads_interfaces_and_template_methods(repos: dict[str, Path]) -> None:
    repo = str(repos["orders"])
    svc = "src/main/java/com/acme/orders/service/OrderService.java"
    # the three-argument total(...) has one caller: the one-argument overload's loop
    assert _names(api.callers(f"{svc}:46", repo_path=repo), "callers") == {
        "com.acme.orders.service.OrderService.total"}
    # the interface method is what OrderService calls; the abstract base's final apply
    # implements it, and its bare call of the abstract step reaches both implementations
    assert "com.acme.orders.pricing.PriceRule.apply" in _names(
        api.callees(f"{svc}:46", repo_path=repo), "callees")
    assert {"com.acme.orders.pricing.TaxRule.adjust", "com.acme.orders.pricing.DiscountRule.adjust"} <= \
        _names(api.callees("com.acme.orders.pricing.AbstractRule.apply", repo_path=repo), "callees")
    assert _names(api.callers("com.acme.orders.pricing.TaxRule.adjust", repo_path=repo),
                  "callers") == {"com.acme.orders.pricing.AbstractRule.apply"}
    assert _names(api.callers("com.acme.orders.repo.Repository.find", repo_path=repo),
                  "callers") == {"com.acme.orders.service.OrderService.get"}


def test_record_accessors_and_enum_constant_bodies(repos: dict[str, Path]) -> None:
    repo = str(repos["orders"])
    callers = _names(api.callers("com.acme.orders.model.Order.customer", repo_path=repo), "callers")
    # order.customer() and the method reference Order::customer
    assert {"com.acme.orders.pricing.TaxRule.adjust",
            "com.acme.orders.service.OrderService.totalsByCustomer"} <= callers
    callees = _names(api.callees("src/main/java/com/acme/orders/service/OrderService.java:48",
                                 repo_path=repo), "callees")
    assert "com.acme.orders.model.Order.id" in callees
    assert "com.acme.orders.service.OrderNotFoundException.id" not in callees
    advance = _names(api.callees("com.acme.orders.service.OrderService.advance", repo_path=repo),
                     "callees")
    assert {"com.acme.orders.model.Status.next", "com.acme.orders.model.Status.SHIPPED.next"} <= advance
    found = [m.symbol.qualname for m in api.find("Status.SHIPPED.next", repo_path=repo).matches]
    assert found[0] == "com.acme.orders.model.Status.SHIPPED.next"


# -- the stored traces are real ----------------------------------------------------------

_TIME = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+Z|[A-Z][a-z]{2} \d\d?, \d{4} \d\d?:\d\d:\d\d [AP]M")
_HIDDEN = re.compile(r"\$\$Lambda\$\d+/0x[0-9a-f]+")


def _shape(text: str) -> list[str]:
    """The text without its clock and JDK-specific details: exception lines and own frames."""
    out = []
    for line in _HIDDEN.sub("$$Lambda", _TIME.sub("<time>", text)).splitlines():
        if line.startswith("# program:"):
            continue
        if "\tat " in line and OWN not in line:
            continue  # JDK frames: their lines differ between JDK builds
        out.append(line)
    return out


@pytest.mark.slow
@needs_java
@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_stored_traces_are_what_the_programs_print(tmp_path: Path, project: Project) -> None:
    classes = tmp_path / "classes"
    compile_project(project, classes)
    for name, scenario, options in project.runs():
        text = capture(project, scenario, classes, options)
        want = stored(project, name)
        if name == "deep":  # the recursion depth at which the stack ends varies
            assert text.count("\tat com.acme.ingest.Expr.") == text.count("\tat ") == 1024
            continue
        assert _shape(text) == _shape(want), name


def test_multi_line_message_and_custom_exception(repos: dict[str, Path]) -> None:
    exc = _report(repos, INGEST, "quota")["exceptions"][0]
    assert exc["type"] == "com.acme.ingest.QuotaExceededException" and exc["thread"] == "main"
    assert exc["message"] == "quota exceeded for default: kind=click\nkind=view"
    # write(Object) calls write(Object, String): each frame on its own overload
    assert [(line, q) for _p, line, q in _own(exc)][-2:] == [
        (13, "com.acme.ingest.QuotaSink.write"), (19, "com.acme.ingest.QuotaSink.write")]
    spans = {(f["symbol"]["start_line"], f["symbol"]["end_line"]) for f in exc["frames"][-2:]}
    assert spans == {(11, 14), (16, 21)}


def test_trace_from_the_deployed_revision_after_lines_moved(git_repo: GitRepoBuilder) -> None:
    """The service runs the build of an older commit; HEAD has moved TaxRule.adjust down."""
    build_repo(git_repo, ORDERS)
    deployed = git_repo.git("rev-parse", "HEAD").strip()
    rel = "src/main/java/com/acme/orders/pricing/TaxRule.java"
    text = (git_repo.root / rel).read_text("utf-8")
    git_repo.write(rel, text.replace("    @Override\n", "    /** Tax on top of the total. */\n"
                                     "    // rates are per mille\n    @Override\n", 1))
    git_repo.commit("tax: document the rule", author="Erin Egan <erin@acme.example>",
                    date="2026-11-23T09:00:00+00:00")
    report = api.trace(stored(ORDERS, "wrapped"), str(git_repo.root), rev=deployed).to_json()
    raising = report["exceptions"][1]["frames"][-1]
    assert (raising["path"], raising["line"]) == (rel, 17)
    assert raising["symbol"]["qualname"] == "com.acme.orders.pricing.TaxRule.adjust"
    assert (raising["head_line"], raising["head_status"]) == (19, "moved")
    assert report["suspects"][0]["author"] == "Dan Duke"  # not the later documentation commit
