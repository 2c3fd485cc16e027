"""Onboarding tours: where a repository starts, what it leans on, who knows it.

:func:`build_tour` is what :mod:`codemap.api` calls; :mod:`.markdown` and
:mod:`.export` turn a tour into a document or a VS Code CodeTour file.
"""

from __future__ import annotations

from typing import Any


def build_tour(repo: Any, **kwargs: Any) -> Any:
    """See :func:`codemap.tour.service.build_tour`."""
    from codemap.tour.service import build_tour as _build

    return _build(repo, **kwargs)
