"""A tour as steps to walk, one screen at a time: generated, or read from a ``.tour`` file.

The UI's tour mode shows :class:`WalkStep` objects and nothing else, so a
generated tour and a hand-written CodeTour file walk the same way. Steps of
a file are first followed to where their code is now
(:func:`codemap.codetour.check_tour`): a step whose code moved is shown at
its new place, one whose code changed or vanished carries that status.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codemap.repo import Repo
from codemap.tour.model import TourResult


@dataclass(frozen=True)
class WalkStep:
    index: int  # 1-based
    title: str
    path: str | None  # file (or directory) to show; None for a content step
    line: int | None
    description: str  # untrusted text (a docstring, a tour author's Markdown)
    status: str = "ok"  # ok / moved / changed / missing / unverified
    reason: str = ""
    section: str = ""
    facts: str = ""  # one line: owners, bus factor, coverage, AI share, churn
    why: str = ""
    is_dir: bool = False


@dataclass(frozen=True)
class Walk:
    title: str
    steps: list[WalkStep]
    source: str  # "generated" or the tour file's path
    notes: list[str] = field(default_factory=list)


def generated_walk(repo: Repo, tour: TourResult) -> Walk:
    from codemap.tour.markdown import facts_line

    steps = [WalkStep(s.step, s.title, s.path, s.line, s.description or s.summary or "",
                      section=s.section, facts=facts_line(s), why=s.why)
             for s in tour.stops]
    return Walk(f"Tour of {tour.repository}", steps, "generated", list(tour.notes))


def build_generated_walk(repo: Repo, **kwargs: object) -> Walk:
    """Build the tour and its walk (one call for a UI worker)."""
    from codemap.tour.service import build_tour

    return generated_walk(repo, build_tour(repo, **kwargs))  # type: ignore[arg-type]


def file_walk(repo: Repo, tour_file: str) -> Walk:
    """The steps of an existing ``.tour`` file, each followed to its code."""
    from codemap.codetour import check_tour, index_sources, read_tour
    from codemap.index.service import open_index

    tour = read_tour(tour_file)
    symbols_of, elsewhere = index_sources(repo, open_index(repo))
    checks = check_tour(repo, tour, symbols_of, elsewhere)
    steps = []
    for step, check in zip(tour.steps, checks):
        steps.append(WalkStep(
            check.index, step.title or (f"{check.path}:{check.line}" if check.line else
                                        check.path or f"Step {check.index}"),
            check.path, check.line, step.description, check.status, check.reason,
            is_dir=step.directory is not None))
    drifted = sum(c.status in ("moved", "changed", "missing") for c in checks)
    notes = [f"{drifted} of {len(checks)} steps drifted since the tour was written"] if drifted \
        else []
    return Walk(tour.title, steps, tour_file, notes)
