"""Build the real-trace corpus: write each corpus project into a real git repo, run
its code (python3, node, javac + java) to capture real traces, rewrite some paths
the way containers, CI, Windows agents and bundlers print them, and map each
trace with ``codemap.api.trace``.

Ground truth never comes from codemap: the original (unrewritten) trace says
which file and line really ran, and the ``@sym:`` marker on that source line
says which symbol a correct mapper must report.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from codemap import api
from codemap.traces.detect import find_traces
from codemap.traces.model import RawFrame
from codemap.traces.report import TraceFrame, TraceReport
from tests.conftest import GitRepoBuilder
from tests.traces import corpus_java, corpus_node, corpus_python

_MARKER = re.compile(r"@sym:\s*(\S+)")


@dataclass
class Case:
    language: str
    name: str
    repo: Path
    original: str
    text: str
    report: TraceReport


@dataclass
class FrameCheck:
    case: Case
    frame: TraceFrame
    expected_path: str | None  # None: the frame is outside the repository
    marker: str | None
    ok: bool
    reason: str = ""


@dataclass
class Corpus:
    cases: list[Case] = field(default_factory=list)
    checks: list[FrameCheck] = field(default_factory=list)

    def case(self, language: str, name: str) -> Case:
        for c in self.cases:
            if c.language == language and c.name == name:
                return c
        raise KeyError((language, name))


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "NODE", "JAVA_TOOL"))}
    env.update(PYTHONDONTWRITEBYTECODE="1", HOME=str(home), NO_COLOR="1", LC_ALL="C.UTF-8")
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, timeout=120)
    return (proc.stdout + proc.stderr).decode("utf-8", "replace")


def _build(root: Path, files: dict[str, str]) -> GitRepoBuilder:
    repo = GitRepoBuilder(root)
    for rel, text in files.items():
        repo.write(rel, text)
    repo.commit("corpus")
    return repo


# -- deployment-style path rewrites -----------------------------------------

def _python_variant(text: str, root: Path, k: int) -> str:
    base = str(root) + "/"
    if k == 1:
        return text.replace(base, "/srv/app/")
    if k == 2:
        return text.replace(base, "/home/runner/work/shop/shop/")
    if k == 3:  # a Windows agent: C:\app\shop\models.py
        return re.sub(re.escape(base) + r'([^"\s]*)',
                      lambda m: "C:\\app\\" + m.group(1).replace("/", "\\"), text)
    return text


def _node_variant(text: str, root: Path, k: int) -> str:
    base = str(root) + "/"
    if k == 1:
        return text.replace("file://" + base, "file:///srv/app/").replace(base, "/srv/app/")
    if k == 2:
        return text.replace("file://" + base, "file:///home/runner/work/shop/shop/").replace(
            base, "webpack:///./")
    return text


# -- the three corpora --------------------------------------------------------

def python_cases(tmp: Path) -> list[Case]:
    repo = _build(tmp / "py" / "repo", corpus_python.FILES)
    env = _env(tmp / "py")
    cases = []
    outputs = [(name, _run(["python3", "-m", "shop.run", name], repo.root, env))
               for name in corpus_python.SCENARIOS]
    pytest = shutil.which("pytest", path=str(Path(os.sys.executable).parent)) or "pytest"
    for mode in corpus_python.PYTEST_MODES:
        outputs.append((f"pytest-{mode}", _run(
            [pytest, "-p", "no:cacheprovider", "-q", f"--tb={mode}", "tests"], repo.root, env)))
    for k, (name, out) in enumerate(outputs):
        text = _python_variant(out, repo.root, k % 4)
        cases.append(Case("python", name, repo.root, out, text, api.trace(text, str(repo.root))))
    return cases


def node_cases(tmp: Path) -> list[Case]:
    repo = _build(tmp / "node" / "repo", corpus_node.FILES)
    env = _env(tmp / "node")
    cases = []
    for k, args in enumerate(corpus_node.RUNS):
        out = _run(["node", *args], repo.root, env)
        text = _node_variant(out, repo.root, k % 3)
        name = "-".join(a.rsplit("/", 1)[-1] for a in args)
        cases.append(Case("javascript", name, repo.root, out, text,
                          api.trace(text, str(repo.root))))
    return cases


def java_cases(tmp: Path) -> list[Case]:
    repo = _build(tmp / "java" / "repo", corpus_java.FILES)
    env = _env(tmp / "java")
    classes = tmp / "java" / "classes"  # outside the working tree
    sources = [str(repo.root / rel) for rel in corpus_java.FILES]
    out = _run(["javac", "-d", str(classes), *sources], repo.root, env)
    assert not out.strip(), out
    out = _run(["java", "-cp", str(classes), "com.acme.shop.App", *corpus_java.SCENARIOS],
               repo.root, env)
    return [Case("java", "all", repo.root, out, out, api.trace(out, str(repo.root)))]


# -- ground truth ---------------------------------------------------------------

def _expected_path(case: Case, raw: RawFrame) -> str | None:
    if case.language == "java":
        cls = raw.module or ""
        pkg = cls.rpartition(".")[0].replace(".", "/")
        if not raw.file or not pkg:
            return None
        rel = f"src/main/java/{pkg}/{raw.file}"
        return rel if (case.repo / rel).is_file() else None
    file = raw.file or ""
    if file.startswith("file://"):
        file = unquote(file[len("file://"):])
    if not file or file.startswith(("<", "node:")):
        return None
    path = Path(file) if os.path.isabs(file) else case.repo / file
    try:
        rel = path.resolve().relative_to(case.repo.resolve())
    except ValueError:
        return None
    return rel.as_posix() if path.is_file() else None


def _marker(repo: Path, rel: str, line: int | None) -> str | None:
    if line is None:
        return None
    lines = (repo / rel).read_text("utf-8").splitlines()
    if not 1 <= line <= len(lines):
        return None
    m = _MARKER.search(lines[line - 1])
    return m.group(1) if m else None


def check_case(case: Case) -> list[FrameCheck]:
    """Compare every mapped frame of ``case`` with the ground truth."""
    truth = [f for t in find_traces(case.original) for e in t.exceptions for f in e.frames]
    mapped = case.report.frames()
    assert len(truth) == len(mapped), (case.name, len(truth), len(mapped))
    out = []
    for raw, frame in zip(truth, mapped, strict=True):
        expected = _expected_path(case, raw)
        if expected is None:
            ok = not frame.in_repo
            out.append(FrameCheck(case, frame, None, None, ok, "" if ok else "false positive"))
            continue
        marker = _marker(case.repo, expected, raw.line)
        ok, reason = _judge(frame, expected, marker)
        out.append(FrameCheck(case, frame, expected, marker, ok, reason))
    return out


def _judge(frame: TraceFrame, expected: str, marker: str | None) -> tuple[bool, str]:
    if frame.path != expected:
        return False, f"path {frame.path!r} ({frame.match}) != {expected!r}"
    if marker is None:
        return False, "no @sym marker on the source line"
    if marker == "-":
        return True, ""
    sym = frame.symbol
    if sym is None:
        return False, "no symbol"
    if not (sym.start_line <= (frame.line or 0) <= sym.end_line):
        return False, f"line {frame.line} outside {sym.start_line}-{sym.end_line}"
    if marker == "<module>":
        return (sym.kind == "module", f"expected the module, got {sym.qualname}")
    q = sym.qualname
    if q == marker or any(q.endswith(sep + marker) for sep in ".:/"):
        return True, ""
    return False, f"symbol {q!r} is not {marker!r}"


def build_corpus(tmp: Path) -> Corpus:
    corpus = Corpus()
    corpus.cases.extend(python_cases(tmp))
    if shutil.which("node"):
        corpus.cases.extend(node_cases(tmp))
    if shutil.which("javac") and shutil.which("java"):
        corpus.cases.extend(java_cases(tmp))
    for case in corpus.cases:
        corpus.checks.extend(check_case(case))
    return corpus
