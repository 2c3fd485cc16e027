"""Qualified names in each language's natural form.

A style turns (file prefix, enclosing scope names, name, receiver) into the
qualname the language's own stack traces would print, so trace frames can
be matched to symbols: ``pkg.mod.Class.method`` (Python),
``src/app.js:Router.handle`` (JS/TS), ``com.acme.Foo.bar`` (Java),
``pkg.(*Server).Handle`` (Go). New languages add a style here and name it
in their registry entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class QualnameStyle:
    """How one family of languages spells qualified names."""

    # the qualname of the file's own module symbol, from (path, module prefix)
    module: Callable[[str, str], str]
    # the qualname of a definition from (prefix, scopes, name, receiver)
    member: Callable[[str, Sequence[str], str, str | None], str]
    # the prefix is the file's path (not its module or package name)
    path_prefix: bool = False


def _dotted(prefix: str, scopes: Sequence[str], name: str) -> str:
    parts = [p for p in (prefix, *scopes, name) if p]
    return ".".join(parts)


def _python_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    return _dotted(prefix, scopes, name)


def _path_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    return f"{prefix}:{'.'.join([*scopes, name])}"


def _package_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    return _dotted(prefix, scopes, name)


def _go_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    if receiver:
        recv = receiver.strip()
        # strip type parameters: (s *Stack[T]) -> Stack
        bracket = recv.find("[")
        if bracket != -1:
            recv = recv[:bracket]
        recv_name = recv.lstrip("*").strip()
        recv_text = f"(*{recv_name})" if recv.startswith("*") else recv_name
        return _dotted(prefix, [recv_text], name)
    return _dotted(prefix, scopes, name)


STYLES: dict[str, QualnameStyle] = {
    "python": QualnameStyle(lambda path, prefix: prefix or path, _python_member),
    "path": QualnameStyle(lambda path, prefix: path, _path_member, path_prefix=True),
    "package": QualnameStyle(lambda path, prefix: path, _package_member),
    "go": QualnameStyle(lambda path, prefix: path, _go_member),
}


def python_module_name(path: str, has_file: Callable[[str], bool]) -> str:
    """The dotted module name of a Python file, from its package ``__init__.py`` chain.

    ``src/pkg/sub/mod.py`` with ``src/pkg/__init__.py`` and
    ``src/pkg/sub/__init__.py`` is ``pkg.sub.mod``; ``pkg/__init__.py`` is
    ``pkg``. Outside any package, the path from the root (minus a leading
    ``src/``) in dotted form.
    """
    parts = path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    dirs = parts[:-1]
    top = len(dirs)
    while top > 0 and has_file("/".join([*dirs[:top], "__init__.py"])):
        top -= 1
    if top < len(dirs):
        names = dirs[top:]
    else:
        names = dirs[1:] if dirs and dirs[0] in ("src", "lib") else dirs
    if stem != "__init__":
        names = [*names, stem]
    return ".".join(names) if names else stem
