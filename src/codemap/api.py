"""The façade both front ends call: one function per contract command.

Each function finds the repository, then delegates to the package that owns
the capability. Imports are lazy so a command pays only for what it uses
(``codemap at`` must not import GitPython, coverage.py or Textual).
Return values are dataclasses whose field names equal the contract's JSON
keys; :func:`codemap.model.to_json` turns them into JSON data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from codemap.progress import CancelToken, ProgressHook
from codemap.repo import Repo, find_repo

if TYPE_CHECKING:  # pragma: no cover
    from codemap.model import AtResult, FindResult, IndexStats


def open_repo(repo_path: str | None = None) -> Repo:
    return find_repo(repo_path)


def index(repo_path: str | None = None, *, progress: ProgressHook | None = None,
          cancel: CancelToken | None = None, full: bool = False) -> IndexStats:
    from codemap.index.service import build_index

    return build_index(open_repo(repo_path), progress=progress, cancel=cancel, full=full,
                       prepare=True)


def at(location: str, repo_path: str | None = None) -> AtResult:
    from codemap.index.service import symbol_at

    return symbol_at(open_repo(repo_path), location)


def find(query: str, limit: int = 20, repo_path: str | None = None) -> FindResult:
    from codemap.index.service import find_symbols

    return find_symbols(open_repo(repo_path), query, limit=limit)


def trace(text: str, repo_path: str | None = None, *, rev: str | None = None,
          maps: Sequence[tuple[str, str]] = (), since: str | None = None,
          coverage_file: str | None = None) -> Any:
    from codemap.traces.service import trace_report

    return trace_report(open_repo(repo_path), text, rev=rev, maps=maps, since=since,
                        coverage_file=coverage_file)


def who(target: str, repo_path: str | None = None) -> Any:
    from codemap.history.service import who as _who

    return _who(open_repo(repo_path), target)


def history(target: str, limit: int = 20, repo_path: str | None = None) -> Any:
    from codemap.history.service import history as _history

    return _history(open_repo(repo_path), target, limit=limit)


def show(rev: str, repo_path: str | None = None) -> Any:
    from codemap.history.commits import commit_detail

    return commit_detail(open_repo(repo_path), rev)


def coverage(target: str | None, coverage_file: str | None = None,
             repo_path: str | None = None) -> Any:
    from codemap.coverage.service import coverage_report

    return coverage_report(open_repo(repo_path), target, coverage_file=coverage_file)


def graph(repo_path: str | None = None) -> Any:
    from codemap.graph import whole_graph

    return whole_graph(open_repo(repo_path))


def callers(symbol: str, depth: int = 1, repo_path: str | None = None) -> Any:
    from codemap.graph import callers as _callers

    return _callers(open_repo(repo_path), symbol, depth=depth)


def callees(symbol: str, depth: int = 1, repo_path: str | None = None) -> Any:
    from codemap.graph import callees as _callees

    return _callees(open_repo(repo_path), symbol, depth=depth)


def paths(to: str, source: str | None = None, max_paths: int = 10,
          repo_path: str | None = None, max_length: int | None = None) -> Any:
    from codemap.graph import MAX_PATH_LENGTH, call_paths

    return call_paths(open_repo(repo_path), to, source=source, max_paths=max_paths,
                      max_length=max_length or MAX_PATH_LENGTH)


def endpoints(repo_path: str | None = None) -> Any:
    from codemap.endpoints.service import list_endpoints

    return list_endpoints(open_repo(repo_path))


def endpoint(request: str, repo_path: str | None = None) -> Any:
    from codemap.endpoints.service import match_endpoint

    return match_endpoint(open_repo(repo_path), request)


def tour(repo_path: str | None = None, **options: Any) -> Any:
    """Options: ``months``, ``max_stops``, ``coverage_file``, ``now`` (see build_tour)."""
    from codemap.tour import build_tour

    return build_tour(open_repo(repo_path), **options)


def review(range_spec: str | None, repo_path: str | None = None, *,
           branch: str | None = None, **options: Any) -> Any:
    """Options: ``coverage_file`` (see build_review)."""
    from codemap.review import build_review

    return build_review(open_repo(repo_path), range_spec, branch=branch, **options)
