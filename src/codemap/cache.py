"""Where the index lives.

Inside git: ``<git dir>/codemap/`` (never the working tree). Outside git:
the user cache directory (platformdirs), one folder per absolute root path.
``CODEMAP_CACHE_DIR`` overrides both (one folder per root path below it).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from codemap.repo import Repo


def _root_key(root: Path) -> str:
    digest = hashlib.sha1(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{root.name or 'root'}-{digest}"


def cache_dir(repo: Repo) -> Path:
    """The directory holding ``repo``'s index and caches (created on demand)."""
    override = os.environ.get("CODEMAP_CACHE_DIR")
    if override:
        path = Path(override).expanduser() / _root_key(repo.root)
    elif repo.git_dir is not None:
        path = repo.git_dir / "codemap"
    else:
        from platformdirs import user_cache_dir

        path = Path(user_cache_dir("codemap", appauthor=False)) / _root_key(repo.root)
    path.mkdir(parents=True, exist_ok=True)
    return path
