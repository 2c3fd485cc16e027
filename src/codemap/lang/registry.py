"""The language table: the only place a language is added.

An entry names the file extensions, the grammar wheel (module and function
returning the language pointer), the folder of query files and the qualname
style (see :mod:`codemap.lang.qualnames`). Grammars and queries load lazily,
on first use of a language, so adding languages costs nothing for
repositories that do not use them.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

QUERIES_DIR = Path(__file__).parent / "queries"


@dataclass(frozen=True)
class LanguageSpec:
    """Everything codemap knows about one language, as data."""

    name: str
    extensions: tuple[str, ...]
    grammar: str  # "module:function" returning the tree-sitter language pointer
    qualname_style: str  # a key of codemap.lang.qualnames.STYLES
    queries: str = ""  # folder under queries/ (defaults to name)
    wrappers: tuple[str, ...] = ()  # parent node types whose range belongs to a definition
    leading: tuple[str, ...] = ()  # preceding sibling node types that belong to a definition
    filenames: tuple[str, ...] = ()  # exact file names (e.g. "Rakefile")
    minified_check: bool = False  # skip minified bundles (JS/CSS-like sources)
    relative_dots: bool = False  # leading dots of an import module count relative levels
    extra: dict[str, Any] = field(default_factory=dict)  # per-language knobs for resolvers

    @property
    def query_dir(self) -> Path:
        return QUERIES_DIR / (self.queries or self.name)


LANGUAGES: tuple[LanguageSpec, ...] = (
    LanguageSpec("python", (".py", ".pyi", ".pyw"), "tree_sitter_python:language", "python",
                 wrappers=("decorated_definition",), relative_dots=True),
    LanguageSpec("javascript", (".js", ".jsx", ".mjs", ".cjs"), "tree_sitter_javascript:language",
                 "path", wrappers=("export_statement", "lexical_declaration", "variable_declaration"),
                 leading=("decorator",), minified_check=True),
    LanguageSpec("typescript", (".ts", ".mts", ".cts"), "tree_sitter_typescript:language_typescript",
                 "path", wrappers=("export_statement", "lexical_declaration", "variable_declaration"),
                 leading=("decorator",), minified_check=True),
    LanguageSpec("tsx", (".tsx",), "tree_sitter_typescript:language_tsx", "path",
                 queries="typescript",
                 wrappers=("export_statement", "lexical_declaration", "variable_declaration"),
                 leading=("decorator",), minified_check=True),
    LanguageSpec("go", (".go",), "tree_sitter_go:language", "go", wrappers=("type_declaration",)),
    LanguageSpec("java", (".java",), "tree_sitter_java:language", "package"),
)

BY_NAME: dict[str, LanguageSpec] = {spec.name: spec for spec in LANGUAGES}
_BY_EXT: dict[str, LanguageSpec] = {ext: spec for spec in LANGUAGES for ext in spec.extensions}
_BY_FILENAME: dict[str, LanguageSpec] = {n: spec for spec in LANGUAGES for n in spec.filenames}


def language_for_path(path: str) -> LanguageSpec | None:
    """The language of a repository path, by file name then extension."""
    base = path.rsplit("/", 1)[-1]
    spec = _BY_FILENAME.get(base)
    if spec is not None:
        return spec
    dot = base.rfind(".")
    if dot <= 0:
        return None
    return _BY_EXT.get(base[dot:].lower())


@cache
def ts_language(name: str) -> Any:
    """The tree-sitter ``Language`` object for a registered language."""
    import tree_sitter

    module_name, func = BY_NAME[name].grammar.split(":")
    module = importlib.import_module(module_name)
    return tree_sitter.Language(getattr(module, func)())


def query_source(name: str, kind: str = "tags") -> str:
    path = BY_NAME[name].query_dir / f"{kind}.scm"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@cache
def ts_query(name: str, kind: str = "tags") -> Any:
    """The compiled query ``kind`` (``tags``, ``routes``) for a language, or None."""
    import tree_sitter

    source = query_source(name, kind)
    if not source.strip():
        return None
    return tree_sitter.Query(ts_language(name), source)


def language_fingerprint(name: str) -> str:
    """A hash of what determines a language's extraction: its grammar version and queries.

    Stored in the index; when it changes, only that language's files are re-parsed.
    """
    spec = BY_NAME[name]
    module_name = spec.grammar.split(":")[0]
    try:
        from importlib.metadata import version

        grammar_version = version(module_name.replace("_", "-"))
    except Exception:  # pragma: no cover - metadata missing in odd installs
        grammar_version = "?"
    digest = hashlib.sha1(grammar_version.encode())
    digest.update(spec.qualname_style.encode())
    digest.update(repr((spec.wrappers, spec.leading)).encode())
    for scm in sorted(spec.query_dir.glob("*.scm")):
        digest.update(scm.name.encode())
        digest.update(scm.read_bytes())
    return digest.hexdigest()[:16]
