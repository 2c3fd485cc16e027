"""Two small Java services (Maven layout) whose real JVM traces are stored beside them.

``orders`` is a Spring-style order service (records, an enum with constant
bodies, an abstract rule with two implementations, overloads, streams with
lambdas and method references, an anonymous comparator, an inner class);
``ingest`` is a worker (generic pipeline over an abstract stage, a thread,
a failing static initialiser, unbounded recursion, java.util.logging with
three formatters: JUL's own, a per-line prefix and JSON lines).

Each stored trace (``traces/<project>-<scenario>.txt``) was printed by
``java`` running ``<main> <scenario>``; its first line says which program,
Java version and command produced it. :func:`capture` reruns the programs
(javac + java) so a test can check the stored traces are still what the
sources print. :func:`build_repo` commits the sources into a real git
repository with several authors and dates; some lines had an earlier version
that a later commit changed, so blame and suspects have history to weigh.

Lines that can appear in a frame end with ``// @sym: X`` (``X|Y``: either
symbol is right, e.g. a compiler bridge method printed on the class line).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import GitRepoBuilder

HERE = Path(__file__).parent
TRACES = HERE / "traces"
STUBS = HERE / "spring_stubs"  # compile-time stand-ins for the Spring annotations, never committed


@dataclass(frozen=True)
class Commit:
    author: str
    date: str
    message: str
    # path prefixes this commit adds: under src/main/java/com/acme/<project>/, or from the
    # repository root for other files (src/test/)
    paths: tuple[str, ...]
    # (path, text in the final source, text it had before this commit)
    earlier: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Project:
    name: str
    main: str
    scenarios: tuple[str, ...]
    history: tuple[Commit, ...]
    extra_sources: tuple[Path, ...] = ()
    # stored name -> (scenario, JVM options): the same run printed another way
    variants: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # stored name -> main class of src/test/java, run without arguments
    tests: tuple[tuple[str, str], ...] = ()

    def runs(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(stored name, scenario, JVM options) of every stored trace; a test's scenario is
        its main class."""
        return ([(s, s, ()) for s in self.scenarios] + list(self.variants)
                + [(name, cls, ()) for name, cls in self.tests])

    @property
    def root(self) -> Path:
        return HERE / self.name

    @property
    def package_dir(self) -> str:
        return f"src/main/java/com/acme/{self.name}"

    def sources(self) -> dict[str, str]:
        """Repository-relative path -> text of every committed file."""
        return {p.relative_to(self.root).as_posix(): p.read_text("utf-8")
                for p in sorted(self.root.rglob("*.java"))}


ORDERS = Project(
    name="orders",
    main="com.acme.orders.Main",
    scenarios=("not-found", "wrapped", "stream", "anonymous", "enum", "csv", "record", "overflow",
               "suppressed", "inner", "valueof"),
    extra_sources=(STUBS,),
    tests=(("test-discount", "com.acme.orders.service.OrderServiceTest"),),
    history=(
        Commit("Alice Able <alice@acme.example>", "2026-08-03T09:12:00+00:00",
               "Order model, CSV import and in-memory repository", ("model/", "repo/")),
        Commit("Bob Baker <bob@acme.example>", "2026-09-15T14:40:00+02:00",
               "Pricing rules: discount and regional tax", ("pricing/",)),
        Commit("Alice Able <alice@acme.example>", "2026-10-01T11:00:00+00:00",
               "OrderService with totals, reports and priority sort", ("service/", "Main.java")),
        Commit("Bob Baker <bob@acme.example>", "2026-10-05T12:00:00+02:00",
               "Checks for the discount rule", ("src/test/",)),
        Commit("Carol Chen <carol@acme.example>", "2026-10-20T16:05:00-04:00",
               "HTTP API for orders and health checks", ("web/",)),
        Commit("Dan Duke <dan@acme.example>", "2026-11-19T10:30:00+00:00",
               "tax: unknown regions are a configuration error, not zero tax\n\n"
               "Co-authored-by: Claude <noreply@anthropic.com>", ("pricing/TaxRule.java",),
               earlier=(("pricing/TaxRule.java", "int rate = ratesPerMille.get(order.customer());",
                         "int rate = ratesPerMille.getOrDefault(order.customer(), 0);"),)),
        Commit("Erin Egan <erin@acme.example>", "2026-11-21T08:45:00+00:00",
               "sort: every customer must have a tier", ("service/OrderService.java",),
               earlier=(("service/OrderService.java", "return PRIORITY.get(order.customer());",
                         "return PRIORITY.getOrDefault(order.customer(), 9);"),)),
    ),
)

INGEST = Project(
    name="ingest",
    main="com.acme.ingest.Main",
    scenarios=("thread", "clinit", "deep", "jul", "prefixed", "json", "quota"),
    # the JDK's lambda-form frames (Main$$Lambda$14/0x...run), hidden unless asked for
    variants=(("thread-hidden", "thread",
               ("-XX:+UnlockDiagnosticVMOptions", "-XX:+ShowHiddenFrames")),),
    history=(
        Commit("Frank Fox <frank@acme.example>", "2026-07-01T10:00:00+00:00",
               "Ingest pipeline over abstract stages", ("stage/", "Pipeline.java", "Expr.java")),
        Commit("Grace Hall <grace@acme.example>", "2026-08-12T13:20:00+00:00",
               "Sinks with quotas; settings", ("Sink.java", "ConsoleSink.java", "QuotaSink.java",
                                               "QuotaExceededException.java", "Settings.java")),
        Commit("Frank Fox <frank@acme.example>", "2026-09-30T09:00:00+00:00",
               "Logging: JSON lines and prefixed formats; worker entry point", ("log/", "Main.java")),
        Commit("Heidi Ito <heidi@acme.example>", "2026-11-22T17:10:00+01:00",
               "enrich: weights come from the catalogue only", ("stage/EnrichStage.java",),
               earlier=(("stage/EnrichStage.java", "weights.get(key) * 10",
                         "weights.getOrDefault(key, 0) * 10"),)),
    ),
)

PROJECTS = (ORDERS, INGEST)
_VERSION = re.compile(r'version "([^"]+)"')


def build_repo(builder: GitRepoBuilder, project: Project) -> None:
    """Commit ``project``'s sources into ``builder`` following its history."""
    sources = project.sources()
    pkg = project.package_dir + "/"
    written: set[str] = set()
    for commit in project.history:
        for rel, text in sources.items():
            sub = rel[len(pkg):] if rel.startswith(pkg) else rel
            if not any(sub.startswith(p) for p in commit.paths):
                continue
            for path, final, before in _later_edits(project, commit):
                if path == sub:
                    assert final in text, (path, final)
                    text = text.replace(final, before)
            builder.write(rel, text)
            written.add(rel)
        builder.commit(commit.message, author=commit.author, date=commit.date)
    missing = set(sources) - written
    assert not missing, f"no commit adds {sorted(missing)}"


def _later_edits(project: Project, commit: Commit) -> list[tuple[str, str, str]]:
    """Edits introduced by commits after ``commit`` (so ``commit`` writes the older text)."""
    out: list[tuple[str, str, str]] = []
    later = project.history[project.history.index(commit) + 1:]
    for c in later:
        out.extend(c.earlier)
    return out


def java_version() -> str:
    proc = subprocess.run(["java", "-version"], capture_output=True, text=True, check=True)
    m = _VERSION.search(proc.stderr)
    return m.group(1) if m else proc.stderr.splitlines()[0]


def compile_project(project: Project, classes: Path) -> None:
    files = [str(p) for p in sorted(project.root.rglob("*.java"))]
    for extra in project.extra_sources:
        files.extend(str(p) for p in sorted(extra.rglob("*.java")))
    proc = subprocess.run(["javac", "-d", str(classes), *files], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _command(project: Project, scenario: str, options: tuple[str, ...]) -> list[str]:
    if "." in scenario:  # a test class's own main
        return ["java", *options, "-cp", "classes", scenario]
    return ["java", *options, "-cp", "classes", project.main, scenario]


def header(project: Project, scenario: str, version: str, options: tuple[str, ...] = ()) -> str:
    main = scenario if "." in scenario else project.main
    return (f"# program: tests/traces/java_real/{project.name} ({main}); java {version}; "
            f"command: {' '.join(_command(project, scenario, options))} (stderr)")


def capture(project: Project, scenario: str, classes: Path, options: tuple[str, ...] = ()) -> str:
    """What ``java`` prints on stderr for one scenario (run from the project directory)."""
    cmd = [str(classes) if part == "classes" else part
           for part in _command(project, scenario, options)]
    proc = subprocess.run(cmd, cwd=project.root, capture_output=True, text=True, timeout=120)
    return proc.stderr


def trace_path(project: Project, scenario: str) -> Path:
    return TRACES / f"{project.name}-{scenario}.txt"


def stored(project: Project, scenario: str) -> str:
    return trace_path(project, scenario).read_text("utf-8")


def regenerate(classes_root: Path) -> None:
    """Rewrite every stored trace (run by hand after changing a source)."""
    version = java_version()
    TRACES.mkdir(exist_ok=True)
    for project in PROJECTS:
        classes = classes_root / project.name
        compile_project(project, classes)
        for name, scenario, options in project.runs():
            text = capture(project, scenario, classes, options)
            trace_path(project, name).write_text(
                header(project, scenario, version, options) + "\n" + text, "utf-8")


if __name__ == "__main__":  # python -m tests.traces.java_real.projects
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        regenerate(Path(tmp))
