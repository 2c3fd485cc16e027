"""Turn coverage.py context names into test ids (pytest node ids where possible).

What the tools record, per executed line:

- pytest-cov ``--cov-context=test``: ``tests/test_x.py::TestA::test_y[1]|run``
  (also ``|setup`` and ``|teardown`` for fixture code), the node id
  relative to pytest's rootdir;
- coverage.py ``dynamic_context = test_function``: the test function's
  qualified name, ``tests.test_x.TestA.test_y`` (module ``__name__`` as
  imported, so ``test_x.TestA.test_y`` under rootdir-relative imports);
- a static context (``coverage run --context=py312``) prefixes either with
  ``static|``; alone it is just a label;
- the empty context: code that ran outside any test (imports, collection).

Node ids keep their parameters and are made repository-relative (pytest's
rootdir may be a subdirectory); dotted names are resolved to the test file
that defines the module, giving ``tests/test_x.py::TestA::test_y``. A name
that resolves to no file is kept as recorded rather than dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PHASES = ("run", "setup", "teardown")
_DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_<>]\w*>?)+$")


def _is_test_file(path: str) -> bool:
    base = path.rsplit("/", 1)[-1]
    return (base.startswith("test") or base.endswith("_test.py") or "/tests/" in f"/{path}"
            or "/test/" in f"/{path}")


class TestNamer:
    """Normalises raw context names against one repository's files (memoised)."""

    __test__ = False  # not a pytest test class despite the name

    def __init__(self, repo_files: Iterable[str]) -> None:
        self._files = [f for f in repo_files if f.endswith(".py")]
        self._file_set = set(self._files)
        self._modules: dict[str, list[str]] | None = None
        self._memo: dict[str, str | None] = {}
        self._paths: dict[str, str | None] = {}

    def name(self, context: str) -> str | None:
        """The test id for ``context``, or None for the empty (no test) context."""
        if context in self._memo:
            return self._memo[context]
        result = self._name(context)
        self._memo[context] = result
        return result

    def names(self, contexts: Iterable[str]) -> list[str]:
        """Sorted, de-duplicated test ids of several contexts."""
        out = {n for n in (self.name(c) for c in contexts) if n}
        return sorted(out)

    # -- internals --------------------------------------------------------

    def _name(self, context: str) -> str | None:
        text = context.strip()
        if not text:
            return None
        pieces = text.split("|")
        if len(pieces) > 1 and pieces[-1] in PHASES:
            pieces = pieces[:-1]
        # a node id: from the first piece holding "::" to the end ("|" may occur in parameters)
        for i, piece in enumerate(pieces):
            if "::" in piece:
                return self._node_id("|".join(pieces[i:]))
        dynamic = pieces[-1]
        if not dynamic:
            return None
        if _DOTTED.match(dynamic):
            resolved = self._dotted(dynamic)
            if resolved:
                return resolved
        return "|".join(p for p in pieces if p)

    def _node_id(self, node: str) -> str:
        path, sep, rest = node.partition("::")
        path = path.replace("\\", "/")
        if path.startswith("./"):
            path = path[2:]
        if path in self._file_set or not path.endswith(".py"):
            return f"{path}{sep}{rest}"
        found = self._paths.get(path, "")
        if found == "":
            hits = [f for f in self._files if f.endswith("/" + path)]
            found = self._paths[path] = hits[0] if len(hits) == 1 else None
        return f"{found}{sep}{rest}" if found else f"{path}{sep}{rest}"

    def _module_index(self) -> dict[str, list[str]]:
        if self._modules is None:
            index: dict[str, list[str]] = {}
            for f in self._files:
                parts = f[:-3].split("/")
                if parts[-1] == "__init__":
                    parts = parts[:-1]
                for k in range(1, len(parts) + 1):
                    index.setdefault(".".join(parts[-k:]), []).append(f)
            self._modules = index
        return self._modules

    def _dotted(self, dotted: str) -> str | None:
        parts = dotted.split(".")
        index = self._module_index()
        for k in range(len(parts) - 1, 0, -1):
            files = index.get(".".join(parts[:k]))
            if not files:
                continue
            if len(files) > 1:
                exact = [f for f in files
                         if f[:-3].replace("/", ".") == ".".join(parts[:k])
                         or f[: -len("/__init__.py")].replace("/", ".") == ".".join(parts[:k])]
                tests = [f for f in files if _is_test_file(f)]
                files = exact if len(exact) == 1 else tests
            if len(files) == 1:
                return f"{files[0]}::{'::'.join(parts[k:])}"
            return None
        return None
