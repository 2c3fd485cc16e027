"""The three Node services of ``node_real/``, committed into real git repositories.

Each app is built in four commits by three authors (the layout a service grows
in: skeleton, routes and controllers, service classes, then typed errors in
the services), so blame and suspects see history. The fourth commit changes
the ``throw new X(`` lines the third wrote as ``throw new Error(``. The
TypeScript app's tsc output (``built/``, with source maps) is copied to
``dist/``, which the repository ignores, as build output usually is.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import GitRepoBuilder

HERE = Path(__file__).parent
APPS = HERE / "apps"
TRACES = HERE / "traces"
APP_NAMES = ("express-shop", "koa-inventory", "fastify-billing")
_THROW = re.compile(r"throw new [A-Za-z]*\(")
_COMMITS = (
    ("Skeleton service", "Ada Lovelace <ada@example.com>", "2026-09-01T10:00:00+00:00",
     lambda rel: rel in ("package.json", "tsconfig.json") or rel.startswith(("src/server.", "src/app."))),
    ("Routes and controllers", "Grace Hopper <grace@example.com>", "2026-10-03T14:30:00+00:00",
     lambda rel: rel.startswith(("src/routes/", "src/controllers/", "src/admin/", "src/plugins/"))),
    ("Service classes", "Linus Torvalds <linus@example.com>", "2026-11-02T09:15:00+00:00",
     lambda rel: rel.startswith("src/services/")),
)


def sources(app: str) -> dict[str, str]:
    """Repository path -> text of the app's committed files (not its build output)."""
    root = APPS / app
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*")) if p.is_file() and "built" not in p.relative_to(root).parts}


def build(git_repo: GitRepoBuilder, app: str) -> Path:
    """``app`` committed into ``git_repo`` with its history; returns the repository root."""
    files = sources(app)
    git_repo.write(".gitignore", "node_modules/\ndist/\n")
    for summary, author, date, picks in _COMMITS:
        for rel, text in files.items():
            if picks(rel):
                git_repo.write(rel, _THROW.sub("throw new Error(", text) if summary == "Service classes"
                               else text)
        git_repo.commit(summary, author=author, date=date)
    for rel, text in files.items():
        git_repo.write(rel, text)
    if git_repo.git("status", "--porcelain").strip():  # an app whose services throw nothing
            git_repo.commit("Typed errors in services", author="Ada Lovelace <ada@example.com>",
                        date="2026-11-20T16:45:00+00:00")
    built = APPS / app / "built"
    if built.is_dir():
        shutil.copytree(built, git_repo.root / "dist")
    return git_repo.root


def trace_text(name: str) -> str:
    return (TRACES / f"{name}.txt").read_text(encoding="utf-8")
