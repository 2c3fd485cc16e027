"""Which code is central: PageRank over the call graph and the module graph.

A function many others call (directly or through other central functions)
is one a newcomer meets everywhere; PageRank on the caller -> callee graph
measures exactly that. Modules are ranked on the graph of files, an edge
for each call or import from one file into another (weighted by count).

networkx is imported on first use. Its ``pagerank`` needs NumPy and SciPy;
where they are not installed, networkx's own pure-Python power iteration
(the same algorithm, same parameters) is used instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

ALPHA = 0.85
TOL = 1.0e-6
MAX_ITER = 200


def _pagerank(graph: Any) -> dict[Any, float]:
    import networkx as nx

    try:
        try:
            return dict(nx.pagerank(graph, alpha=ALPHA, tol=TOL, max_iter=MAX_ITER,
                                    weight="weight"))
        except ImportError:  # no NumPy / SciPy: the pure-Python iteration
            from networkx.algorithms.link_analysis import pagerank_alg

            return dict(pagerank_alg._pagerank_python(graph, alpha=ALPHA, tol=TOL,
                                                      max_iter=MAX_ITER, weight="weight"))
    except nx.PowerIterationFailedConvergence:
        return {n: 1.0 / graph.number_of_nodes() for n in graph}


def pagerank(edges: Iterable[tuple[Any, Any]], nodes: Iterable[Any] = ()) -> dict[Any, float]:
    """PageRank of each node of the directed graph ``edges`` (repeats add weight).

    Self-loops (recursion) are dropped: calling yourself says nothing about
    how central you are. Isolated ``nodes`` get the baseline score.
    """
    import networkx as nx

    weights: Counter[tuple[Any, Any]] = Counter((a, b) for a, b in edges if a != b)
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from((a, b, float(w)) for (a, b), w in weights.items())
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_edges() == 0:
        return {n: 1.0 / graph.number_of_nodes() for n in graph}
    return _pagerank(graph)


def ranked(scores: dict[Any, float]) -> list[tuple[Any, float]]:
    """Nodes best first (ties: by key, so the order is stable)."""
    return sorted(scores.items(), key=lambda kv: (-kv[1], str(kv[0])))
