"""Qualified names in each language's natural form.

A style turns (file prefix, enclosing scope names, name, receiver) into the
qualname the language's own stack traces would print, so trace frames can
be matched to symbols: ``pkg.mod.Class.method`` (Python),
``src/app.js:Router.handle`` (JS/TS), ``com.acme.Foo.bar`` (Java, Kotlin,
C#), ``pkg.(*Server).Handle`` (Go), ``Mod::Klass#method`` (Ruby),
``crate::net::Server::run`` (Rust), ``App\\Http\\Controller->show`` (PHP),
``ns::Klass::method`` (C++), ``function`` (C). New languages add a style
here and name it in their registry entry.

The member function sees only the enclosing scope names and an optional
``@receiver`` text; where a language needs more (Ruby's class vs. method,
PHP's static methods, C++ out-of-line definitions), the query captures it as
the receiver and the style documents what it means.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class QualnameStyle:
    """How one family of languages spells qualified names."""

    # the qualname of the file's own module symbol, from (path, module prefix)
    module: Callable[[str, str], str]
    # the qualname of a definition from (prefix, scopes, name, receiver)
    member: Callable[[str, Sequence[str], str, str | None], str]
    # the prefix is the file's path (not its module or package name)
    path_prefix: bool = False
    # what a definition that has a @receiver contributes to the qualnames of the
    # definitions nested in it, from (name, receiver); None: its bare name. Go's
    # (*Server).handle, C++'s Server::handle (out of line) and JS's Cart.add
    # (prototype) keep their owner in the qualnames of their closures.
    segment: Callable[[str, str], str] | None = None


def _dotted(prefix: str, scopes: Sequence[str], name: str) -> str:
    parts = [p for p in (prefix, *scopes, name) if p]
    return ".".join(parts)


def _python_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    return _dotted(prefix, scopes, name)


def _path_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    # a receiver is the constructor of a prototype method (``Foo.prototype.bar = ...``)
    owner = [receiver] if receiver else scopes
    return f"{prefix}:{'.'.join([*owner, name])}"


def _package_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    return _dotted(prefix, scopes, name)


def _go_receiver(receiver: str) -> str:
    recv = receiver.strip()
    # strip type parameters: (s *Stack[T]) -> Stack
    bracket = recv.find("[")
    if bracket != -1:
        recv = recv[:bracket]
    recv_name = recv.lstrip("*").strip()
    return f"(*{recv_name})" if recv.startswith("*") else recv_name


_RECEIVER_MARK = re.compile(r"\(\*?([\w$]+)\)")


def plain_receivers(qualname: str) -> str:
    """A qualname with its pointer-receiver marks dropped: ``pkg.(*Store).Get`` is also
    ``pkg.Store.Get`` (how users write it, and how a method is found beside its type)."""
    return _RECEIVER_MARK.sub(r"\1", qualname)


def _go_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    if receiver:
        return _dotted(prefix, [_go_receiver(receiver)], name)
    return _dotted(prefix, scopes, name)


def _ruby_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    """``Mod::Klass`` for constants, ``Klass#method``, ``Klass.singleton_method``.

    Classes and modules are constants (their names start with an upper-case
    letter) and nest with ``::``. A method is an instance method (``#``)
    unless the query captured a ``@receiver`` (``def self.build``) or it sits
    in a ``class << self`` block, which the query makes a scope named
    ``self``. Top-level methods keep their bare name.
    """
    singleton = bool(receiver) or (bool(scopes) and scopes[-1] == "self")
    owner = "::".join(s for s in scopes if s != "self")
    if name[:1].isupper() and not singleton:
        return f"{owner}::{name}" if owner else name
    if not owner:
        return name
    return f"{owner}{'.' if singleton else '#'}{name}"


@lru_cache(maxsize=4096)
def rust_module_path(path: str) -> str:
    """The module path of a Rust file, from its place in the crate.

    ``src/lib.rs`` and ``src/main.rs`` are the crate root (``crate``);
    ``src/a/b.rs`` and ``src/a/b/mod.rs`` are ``crate::a::b``. Files under
    ``src/bin/``, and the top level of ``tests/``, ``examples/`` and
    ``benches/``, are crate roots of their own; ``build.rs`` too. Workspace
    members (``crates/x/src/...``) count from their own ``src/``.
    """
    parts = path.split("/")
    parts[-1] = parts[-1][:-3] if parts[-1].endswith(".rs") else parts[-1]
    dirs = parts[:-1]
    anchor = len(dirs) - 1 - dirs[::-1].index("src") if "src" in dirs else -1
    if anchor < 0:
        anchor = next((i for i, d in enumerate(dirs) if d in ("tests", "examples", "benches")), -1)
    rest = parts[anchor + 1:]
    if anchor >= 0 and parts[anchor] == "src":
        if rest[:1] == ["bin"]:  # src/bin/x.rs and src/bin/x/main.rs are crate roots
            rest = rest[2:]
        if rest in (["lib"], ["main"]):
            rest = []
    elif len(rest) == 1 or (len(rest) == 2 and rest[1] == "main"):
        rest = []  # tests/it.rs, examples/demo/main.rs, build.rs: crate roots
    if rest and rest[-1] == "mod":
        rest = rest[:-1]
    return "::".join(["crate", *rest])


def _rust_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    # the prefix is the file's path; ``impl`` blocks are scopes named after their type
    return "::".join([rust_module_path(prefix), *scopes, name])


def _php_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    """``Ns\\Klass->method`` for instance methods, ``Ns\\Klass::method`` for static ones.

    This is how PHP's stack traces print frames (``#0 f.php(12): Ns\\C->m()``,
    ``Ns\\C::create()``). The query captures the ``static`` modifier as the
    receiver. Functions and classes are ``Ns\\name``.
    """
    head = "\\".join(p for p in (prefix, scopes[0] if scopes else name) if p)
    if not scopes:
        return head
    return head + ("::" if receiver else "->") + "->".join([*scopes[1:], name])


_TEMPLATE_ARGS = re.compile(r"<[^<>]*>")


def _cpp_owner(name: str, receiver: str) -> str:
    """The owner part of a qualified declarator: ``Stack<T>::pop`` -> ``Stack``."""
    text = receiver.replace(" ", "")
    while "<" in text:
        reduced = _TEMPLATE_ARGS.sub("", text)
        if reduced == text:
            break
        text = reduced
    text = text.lstrip(":")
    bare = name.replace(" ", "")
    if text.endswith(bare):
        text = text[: len(text) - len(bare)]
    return text.rstrip(":")


def _cpp_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    """``ns::Klass::method``; for an out-of-line definition (``void Foo::bar() {}``)
    the query captures the qualified declarator (``Foo::bar``) as the receiver.
    Template arguments are dropped (``Stack<T>::pop`` -> ``Stack::pop``).
    """
    owner = _cpp_owner(name, receiver) if receiver else ""
    return "::".join([*scopes, *([owner] if owner else []), name])


def _c_member(prefix: str, scopes: Sequence[str], name: str, receiver: str | None) -> str:
    return name


STYLES: dict[str, QualnameStyle] = {
    "python": QualnameStyle(lambda path, prefix: prefix or path, _python_member),
    "path": QualnameStyle(lambda path, prefix: path, _path_member, path_prefix=True,
                          segment=lambda name, receiver: f"{receiver}.{name}"),
    "package": QualnameStyle(lambda path, prefix: path, _package_member),
    "go": QualnameStyle(lambda path, prefix: path, _go_member,
                        segment=lambda name, receiver: f"{_go_receiver(receiver)}.{name}"),
    "ruby": QualnameStyle(lambda path, prefix: path, _ruby_member),
    "rust": QualnameStyle(lambda path, prefix: rust_module_path(path), _rust_member,
                          path_prefix=True),
    "php": QualnameStyle(lambda path, prefix: path, _php_member),
    "cpp": QualnameStyle(lambda path, prefix: path, _cpp_member,
                         segment=lambda name, receiver: "::".join(
                             p for p in (_cpp_owner(name, receiver), name) if p)),
    "c": QualnameStyle(lambda path, prefix: path, _c_member),
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
