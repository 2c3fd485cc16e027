"""Pre-review exploration: what a change touches, who to ask, how risky it is.

:func:`build_review` is what :mod:`codemap.api` calls (see :mod:`.service`).
"""

from __future__ import annotations

from typing import Any


def build_review(repo: Any, range_spec: str | None, branch: str | None = None,
                 **kwargs: Any) -> Any:
    """See :func:`codemap.review.service.build_review`."""
    from codemap.review.service import build_review as _build

    return _build(repo, range_spec, branch, **kwargs)
