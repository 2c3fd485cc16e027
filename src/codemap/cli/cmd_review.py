"""``codemap review BASE..HEAD`` (or ``--branch NAME``): a change, seen before reviewing it.

A thin wrapper over :mod:`codemap.review`: JSON per the contract, or a
plain-text report where every piece of repository text (names, commit
summaries, author names) is printed inert.
"""

from __future__ import annotations

import threading

import click

from codemap.cli.options import json_option, repo_option, run_guarded
from codemap.cli.output import echo, echo_line, emit_json

SHOW = 15


def _sym(sym: object) -> str:
    from codemap.model import Symbol

    assert isinstance(sym, Symbol)
    return f"{sym.kind:<8} {sym.qualname}  {sym.path}:{sym.start_line}-{sym.end_line}"


def _print_review(r: object, limit: int) -> None:
    from codemap.review.model import ReviewResult

    assert isinstance(r, ReviewResult)
    added = sum(f.lines_added for f in r.files)
    removed = sum(f.lines_removed for f in r.files)
    labels = f" ({r.base_label}..{r.head_label})" if r.base_label else ""
    echo_line(f"Review {r.base[:12]}..{r.head[:12]}{labels}: {len(r.commits)} commits, "
              f"{len(r.files)} files (+{added} -{removed})")
    for note in r.notes:
        echo_line(f"note: {note}")
    echo()
    echo_line(f"Changed symbols ({len(r.changed)}):")
    for c in r.changed[:limit * 2]:
        echo_line(f"  {c.change:<9} {_sym(c.symbol)}  +{c.lines_added} -{c.lines_removed}")
    if len(r.changed) > limit * 2:
        echo_line(f"  ... and {len(r.changed) - limit * 2} more (--json lists them all)")
    other = [f for f in r.files if f.symbols == 0]
    if other:
        echo_line(f"Other changed files ({len(other)}):")
        for f in other[:limit]:
            kind = "binary" if f.binary else f.status
            echo_line(f"  {kind:<9} {f.path}  +{f.lines_added} -{f.lines_removed}")
    echo()
    echo_line("Risk, highest first:")
    for e in r.risk[:limit]:
        echo_line(f"  {e.score:.2f}  {e.change:<9} {e.symbol.qualname}  "
                  f"{e.symbol.path}:{e.symbol.start_line}")
        for reason in e.reasons:
            echo_line(f"          - {reason}")
    if not r.risk:
        echo_line("  (no changed symbols)")
    echo()
    cut = " (cut: the graph is large)" if r.blast_truncated else ""
    echo_line(f"Blast radius: {len(r.blast_radius)} callers{cut}")
    for b in r.blast_radius[:limit]:
        tag = f"  [{b.endpoint or b.entry_point}]" if (b.endpoint or b.entry_point) else ""
        # as `codemap callers` does: say when the call is only matched by name
        sure = f"  ({b.confidence})" if b.confidence and b.confidence != "exact" else ""
        echo_line(f"  depth {b.depth}  {b.symbol.qualname}  {b.symbol.path}:{b.symbol.start_line}"
                  f"  -> {b.via[0]}{tag}{sure}")
    if len(r.blast_radius) > limit:
        echo_line(f"  ... and {len(r.blast_radius) - limit} more")
    echo()
    d = r.diff_coverage
    if not d.available:
        echo_line("Diff coverage: no coverage data")
    elif d.lines:
        echo_line(f"Diff coverage: {d.covered} of {d.lines} changed lines run by tests "
                  f"({d.percent:.1f}%)")
    else:
        echo_line("Diff coverage: no measured statement among the changed lines")
    echo_line(f"Tests that run the change ({len(r.tests)}):")
    for t in r.tests[:limit]:
        echo_line(f"  {t}")
    if len(r.tests) > limit:
        echo_line(f"  ... and {len(r.tests) - limit} more")
    others = [t for t in r.symbol_tests if t not in r.tests]
    if others:  # a changed symbol whose changed lines hold no statement: its other lines'
        echo_line(f"Tests that run the rest of the changed symbols ({len(others)}; "
                  "their changed lines hold no statement):")
        for t in others[:limit]:
            echo_line(f"  {t}")
        if len(others) > limit:
            echo_line(f"  ... and {len(others) - limit} more")
    p = r.provenance
    echo()
    ai = f"{p.ai_lines} of {p.lines_added} added lines" if p.lines_added else f"{p.ai_lines} lines"
    tools = (" (" + ", ".join(f"{k} {v}" for k, v in p.tools.items()) + ")") if p.tools else ""
    echo_line(f"AI-written: {ai}{tools}; AI-assisted commits: {p.ai_commits} of {len(r.commits)}")
    for source in p.sources[:5]:
        echo_line(f"  evidence: {source}")
    if p.generated_files:
        echo_line("Generated files: " + ", ".join(p.generated_files[:limit]))
    echo_line("Owners of the surrounding code:")
    for o in r.owners[:5]:
        echo_line(f"  {o.share * 100:5.1f}%  {o.name} <{o.email}>")
    if not r.owners:
        echo_line("  (none: only new code)")
    if r.declared_owners:
        echo_line("  CODEOWNERS: " + " ".join(r.declared_owners))


@click.command("review")
@click.argument("range_spec", required=False, metavar="BASE..HEAD")
@click.option("--branch", default=None, help="Review branch NAME against its merge base with "
              "BASE (or with the default branch).")
@click.option("--coverage", "coverage_file", type=click.Path(dir_okay=False), default=None,
              help="Coverage data to read (default: found in the repository).")
@click.option("--limit", type=int, default=SHOW, show_default=True,
              help="Rows per section in the text report.")
@repo_option
@json_option
def review_cmd(range_spec: str | None, branch: str | None, coverage_file: str | None, limit: int,
               repo_path: str | None, as_json: bool) -> None:
    """What the change BASE..HEAD touches: changed symbols, blast radius, diff coverage,
    the tests that run it, AI / generated provenance, owners to ask and a risk ranking.

    BASE...HEAD compares with the merge base; a single commit reviews that commit.
    """
    from codemap.cli.cmd_index import StderrProgress

    bar = StderrProgress()
    cancel = threading.Event()

    def run() -> None:
        from codemap import api
        from codemap.errors import UsageError
        from codemap.review import build_review

        if limit < 1:
            raise UsageError("--limit must be at least 1")
        repo = api.open_repo(repo_path)
        try:
            result = build_review(repo, range_spec, branch, coverage_file=coverage_file,
                                  progress=bar, cancel=cancel)
        finally:
            bar.close()
        if as_json:
            emit_json(result)
        else:
            _print_review(result, limit)

    try:
        run_guarded(run)
    except KeyboardInterrupt:
        cancel.set()
        raise
