"""Suspects replay: real bugs of a real package, the traces its old code raises,
and the rank codemap gives the commit that introduced the faulty lines.

The histories are consecutive releases of python-dateutil and pyparsing from
PyPI, one commit per release (different authors and dates). For each case
the script

1. finds the culprit objectively: it runs the reproduction against every
   release (``git archive`` into a scratch "deployment" directory) and takes
   the first release from which on the same exception type is raised;
2. produces the trace by running the reproduction on the deployed buggy
   release (paths under the deployment directory, as in production);
3. maps the trace with ``codemap.traces`` (``--rev`` = the buggy release,
   ``--map deployment=.``) and ranks suspects with
   :func:`codemap.history.suspects.rank_suspects` (incident time: one day
   after the buggy release);
4. prints the culprit's rank next to the baseline an engineer gets from
   plain ``git blame`` of the raising line, and the warm-cache time.

    python benchmarks/suspects_bench.py [--keep]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import GitRepoBuilder  # noqa: E402
from tests.history.releases import commit_releases  # noqa: E402

# package -> (consecutive releases, dependencies deployed beside it like site-packages)
HISTORIES = {
    "python-dateutil": (["2.6.0", "2.6.1", "2.7.0", "2.7.1", "2.7.2", "2.7.3", "2.7.4", "2.7.5",
                         "2.8.0", "2.8.1"], [("six", "1.16.0")]),
    "pyparsing": (["3.0.0", "3.0.1", "3.0.2", "3.0.3", "3.0.4", "3.0.5", "3.0.6", "3.0.7"], []),
}


@dataclass(frozen=True)
class Case:
    name: str
    package: str
    deployed: str  # the release the trace comes from
    exception: str  # the failure's exception type
    code: str  # the reproduction
    changelog: str  # what the fixing release's NEWS says


CASES = [
    Case("tzinfos of an unsupported type", "python-dateutil", "2.8.0", "UnboundLocalError",
         "from dateutil import parser\n"
         "parser.parse('2019-01-01 10:00 XYZ', tzinfos={'XYZ': 1.5})\n",
         "2.8.1: parser.parse will now raise TypeError when tzinfos is passed a type that "
         "cannot be interpreted as a time zone. Prior to this change, it would raise an "
         "UnboundLocalError instead."),
    Case("NaN parsed as a number", "python-dateutil", "2.7.2", "InvalidOperation",
         "from dateutil import parser\nparser.parse('NaN')\n",
         "2.7.3: Fixed an issue where parser.parse would raise Decimal-specific errors "
         "instead of a standard ValueError if certain malformed values were parsed "
         "(e.g. NaN or infinite values)."),
    # held out: added after the weights were set on the two cases above
    Case("delimited_list of a str", "pyparsing", "3.0.5", "AttributeError",
         "import pyparsing as pp\npp.delimited_list('a').parse_string('a,a')\n",
         "3.0.6: Fix bug when delimited_list was called with a str literal instead of a "
         "parse expression."),
]


def run_release(repo: Path, sha: str, code: str, deploy: Path,
                deps: list[tuple[str, str]]) -> tuple[str | None, str]:
    """Run ``code`` against the release at ``sha`` deployed in ``deploy``:
    (exception type or None, stderr)."""
    if deploy.exists():
        shutil.rmtree(deploy)
    deploy.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", sha], cwd=repo, capture_output=True, check=True)
    subprocess.run(["tar", "x", "-C", str(deploy)], input=archive.stdout, check=True)
    script = deploy / "incident.py"
    script.write_text(code)
    path = ":".join([str(deploy), *(str(_dependency(n, v)) for n, v in deps)])
    proc = subprocess.run([sys.executable, "-I", "-c",
                           f"import sys; sys.path[:0] = {path.split(':')!r}; "
                           f"exec(compile(open({str(script)!r}).read(), {str(script)!r}, 'exec'))"],
                          cwd=deploy, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin"})
    if proc.returncode == 0:
        return None, proc.stderr
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    exc = last.split(":", 1)[0].rsplit(".", 1)[-1]
    return exc, proc.stderr


def _dependency(name: str, version: str) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _corpus import sdist

    return sdist(name, version)


def culprit(repo: Path, shas: list[str], case: Case, scratch: Path) -> str:
    """The first release from which on the case's exception is raised (up to the
    deployed release)."""
    versions, deps = HISTORIES[case.package]
    upto = versions.index(case.deployed)
    first = None
    for i in range(upto + 1):
        exc, _ = run_release(repo, shas[i], case.code, scratch / f"bisect-{i}", deps)
        if exc == case.exception:
            first = i if first is None else first
        else:
            first = None
    if first is None:
        raise SystemExit(f"{case.name}: the reproduction does not raise {case.exception}")
    return shas[first]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()

    from codemap.history.blame import blame_line
    from codemap.history.suspects import rank_suspects, suspect_frames
    from codemap.repo import find_repo
    from codemap.traces.service import trace_report

    scratch = Path(tempfile.mkdtemp(prefix="codemap-suspects-"))
    built: dict[str, tuple[GitRepoBuilder, list[str]]] = {}
    for package, (versions, _) in HISTORIES.items():
        builder = GitRepoBuilder(scratch / package / "repo")
        t0 = time.perf_counter()
        shas = commit_releases(builder, package, versions, ROOT / "benchmarks" / ".cache")
        built[package] = (builder, shas)
        print(f"history: {len(shas)} releases of {package} ({versions[0]} .. {versions[-1]}) "
              f"committed in {time.perf_counter() - t0:.1f}s")
    rows = []
    for case in CASES:
        builder, shas = built[case.package]
        versions, deps = HISTORIES[case.package]
        repo = find_repo(builder.root)
        guilty = culprit(builder.root, shas, case, scratch / case.package)
        deployed = shas[versions.index(case.deployed)]
        deploy = scratch / case.package / "srv" / "app"
        exc, trace = run_release(builder.root, deployed, case.code, deploy, deps)
        assert exc == case.exception, trace
        when = int(subprocess.run(["git", "show", "-s", "--format=%ct", deployed],
                                  cwd=builder.root, capture_output=True, text=True,
                                  check=True).stdout) + 86400
        report = trace_report(repo, trace, rev=deployed, maps=[(str(deploy), ".")])
        frames = suspect_frames(report.exceptions[-1].frames)  # the exception that escaped
        t1 = time.perf_counter()
        suspects = rank_suspects(repo, frames, since=when, rev=deployed, limit=len(shas))
        cold = time.perf_counter() - t1
        t1 = time.perf_counter()
        rank_suspects(repo, frames, since=when, rev=deployed, limit=len(shas))
        warm = time.perf_counter() - t1
        ranked = [s.sha for s in suspects]
        rank = ranked.index(guilty) + 1 if guilty in ranked else None
        raising = frames[0]
        blamed = blame_line(repo, raising.path, raising.line, rev=deployed)
        baseline = "culprit" if blamed and blamed.sha == guilty else (
            f"{blamed.summary!r}" if blamed else "nothing")
        version = versions[shas.index(guilty)]
        print(f"\ncase: {case.package}: {case.name}  ({case.changelog})")
        print(f"  trace: {case.exception} raised by {case.deployed}, {len(frames)} in-repo frames;"
              f" raising frame {raising.path}:{raising.line} in {raising.function}")
        print(f"  culprit (first release raising it): {version} {guilty[:10]}")
        print(f"  codemap rank of the culprit: {rank} of {len(suspects)} suspects "
              f"(score {suspects[rank - 1].score if rank else '-'}); "
              f"suspects in {cold * 1000:.0f} ms cold, {warm * 1000:.0f} ms warm")
        for i, s in enumerate(suspects[:3], 1):
            mark = "  <- culprit" if s.sha == guilty else ""
            print(f"    {i}. {s.summary} score {s.score}{mark}")
            for r in s.reasons[:4]:
                print(f"         {r}")
        print(f"  baseline, git blame of the raising line: {baseline} "
              f"(rank {'1' if baseline == 'culprit' else 'miss'})")
        rows.append((case.name, rank, baseline == "culprit", warm))
    print("\nsummary: case, codemap rank, git-blame-of-raising-line finds it, warm ms")
    for name, rank, base, warm in rows:
        print(f"  {name:<34} rank {rank}   blame: {'yes' if base else 'no'}   "
              f"{warm * 1000:.0f} ms")
    if args.keep:
        print(f"scratch kept in {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
