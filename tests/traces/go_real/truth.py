"""Ground truth for a Go frame, read from what the Go runtime printed, never from codemap.

A Go function line names the package path and the function exactly:
``example.com/shop/internal/store.(*Store).Get`` is method ``Get`` of ``*Store`` in
package directory ``internal/store`` of module ``example.com/shop``;
``main.logging.func1`` is a closure inside ``logging`` of the main package. The
location line gives the file (absolute, or ``module/dir/file.go`` under
``-trimpath``) and the line. :func:`expected` turns both into the repository path,
line, symbol name and receiver a correct mapper must report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLOSURE = re.compile(r"^(?:func\d+|gowrap\d+|deferwrap\d+|\d+)$")


@dataclass(frozen=True)
class Expected:
    path: str
    line: int
    name: str  # the function or method name (closures: the enclosing function)
    receiver: str | None  # "Store" for (*Store).Get


def expected(function: str, file: str, line: int, module: str, repo_dirs: tuple[str, ...]
             ) -> Expected | None:
    """What frame ``function`` at ``file:line`` must map to; None for frames outside the
    repository (``module`` is the repository's module path; ``repo_dirs`` the absolute
    directories the program was built in)."""
    rel = None
    for root in repo_dirs:
        if file.startswith(root.rstrip("/") + "/"):
            rel = file[len(root.rstrip("/")) + 1:]
    if file.startswith(module + "/"):
        rel = file[len(module) + 1:]
    if rel is None:
        return None
    slash = function.rfind("/")
    dot = function.find(".", slash + 1)
    parts = function[dot + 1:].split(".")
    while len(parts) > 1 and _CLOSURE.match(parts[-1]):
        parts.pop()
    receiver = None
    if len(parts) > 1:
        receiver = parts[-2].strip("()*")
    return Expected(rel, line, parts[-1], receiver)
