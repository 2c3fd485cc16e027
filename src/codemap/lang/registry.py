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
    name_strip: str = ""  # characters stripped from the start of definition names (Ruby :sym)
    extra: dict[str, Any] = field(default_factory=dict)  # per-language knobs for resolvers

    @property
    def query_dir(self) -> Path:
        return QUERIES_DIR / (self.queries or self.name)


# Call-graph and entry-point knobs of the first-wave languages (codemap.index.callrules
# documents each key; a language without them gets generic defaults).
_PY_EXTRA: dict[str, Any] = {
    "calls": {
        "self_names": ("self", "cls", "type(self)", "self.__class__", "mcs", "metacls"),
        "class_self_names": ("cls", "type(self)", "self.__class__", "mcs", "metacls"),
        "super_names": ("super",), "constructors": ("__init__", "__new__"),
        "call_method": "__call__", "imports": "python", "import_binds": "first",
        "property_types": r"(^|\.)(property|cached_property|abstractproperty)$",
        "abstract_types": r"(^|\.)abstract(method|property)$", "stub_types": r"(^|\.)overload$",
        "metaclass_attr": "metaclass",
        # pytest passes a test (or a fixture) the fixture named like each parameter: the
        # closest one, in its class, its module, then conftest.py up the directories
        "fixture_types": r"^(pytest\.|pytest_asyncio\.)?fixture\b", "fixture_requesters": r"^test",
        "fixture_files": ("conftest.py",),
        "enter_methods": ("__enter__", "__exit__"), "descriptor_get": "__get__",
        "protocols": (("next", ("__next__",)), ("iter", ("__iter__",)), ("for", ("__iter__",)),
                      ("len", ("__len__",)), ("str", ("__str__",)), ("repr", ("__repr__",)),
                      ("bool", ("__bool__", "__len__")), ("hash", ("__hash__",)),
                      ("reversed", ("__reversed__",)), ("[", ("__getitem__",)),
                      ("[]=", ("__setitem__",)), ("del[]", ("__delitem__",)),
                      ("+", ("__add__",)), ("-", ("__sub__",)), ("*", ("__mul__",)),
                      ("/", ("__truediv__",)), ("//", ("__floordiv__",)), ("%", ("__mod__",)),
                      ("**", ("__pow__",)), ("@", ("__matmul__",)), ("|", ("__or__",)),
                      ("&", ("__and__",)), ("^", ("__xor__",)), ("<<", ("__lshift__",)),
                      (">>", ("__rshift__",)), ("~", ("__invert__",)), ("==", ("__eq__",)),
                      ("!=", ("__ne__", "__eq__")), ("<", ("__lt__",)), (">", ("__gt__",)),
                      ("<=", ("__le__",)), (">=", ("__ge__",)),
                      ("+=", ("__iadd__", "__add__")), ("-=", ("__isub__", "__sub__")),
                      ("*=", ("__imul__", "__mul__")), ("|=", ("__ior__", "__or__")),
                      ("&=", ("__iand__", "__and__"))),
        "type_wrappers": ("Optional", "Union", "Annotated", "ClassVar", "Final", "Type", "type",
                          "typing.Optional", "t.Optional"),
        "builtin_methods": (
            "get items keys values pop popitem update setdefault append extend insert remove "
            "clear copy sort reverse index count join split rsplit strip lstrip rstrip replace "
            "format startswith endswith lower upper encode decode read write close readline "
            "readlines add discard union intersection difference issubset find splitlines "
            "partition rpartition isdigit isalpha title capitalize zfill ljust rjust center "
            "group groups match search sub findall finditer seek tell flush fileno").split(),
    },
    "entry": {
        "main_block": r"^if\s+__name__\s*==\s*['\"]__main__['\"]\s*:",
        "main_files": ("__main__.py",),
        "test_files": ("test_*.py", "*_test.py", "tests/**/*.py", "test/**/*.py"),
        "test_names": r"^test",
    },
}
_JS_EXTRA: dict[str, Any] = {
    "calls": {
        "self_names": ("this",), "super_names": ("super",), "constructors": ("constructor",),
        "imports": "path", "import_binds": "alias", "default_import": "default",
        "default_exports": ("default", "exports"), "require_names": ("require",),
        "import_suffixes": (".js", ".ts", ".tsx", ".jsx", ".mjs", ".cjs", ".mts", ".cts",
                            "/index.js", "/index.ts", "/index.tsx", "/index.jsx", "/index.mjs"),
        "type_wrappers": ("Promise", "Readonly", "Partial", "Required", "NonNullable"),
        "bare_guess": True, "property_types": r"^get$",
        "builtin_methods": (
            "push pop shift unshift slice splice concat join map filter reduce reduceRight "
            "forEach some every find findIndex indexOf lastIndexOf includes keys values entries "
            "sort reverse fill flat flatMap split replace replaceAll trim trimStart trimEnd "
            "toLowerCase toUpperCase startsWith endsWith charAt charCodeAt substring substr "
            "padStart padEnd match matchAll test exec then catch finally call apply bind "
            "toString valueOf hasOwnProperty get set has delete add clear log warn error info "
            "debug emit on once off addEventListener removeEventListener").split(),
    },
    "entry": {
        "test_files": ("*.test.*", "*.spec.*", "test/**", "tests/**", "__tests__/**"),
    },
}
_GO_EXTRA: dict[str, Any] = {
    "calls": {"self_names": (), "super_names": (), "shared_scope": "directory",
              "imports": "go", "import_binds": "package", "static_types": True,
              "implicit_interfaces": True, "foreign_declared": True, "fixed_arity": True,
              # a slice's value stands for its elements (ranging over it, passing xs ...T)
              "type_wrappers": ("[]",)},
    "entry": {"main_names": ("main",), "main_package": "main", "test_files": ("*_test.go",),
              "test_names": r"^(Test|Benchmark|Example|Fuzz)([A-Z_0-9]|$)"},
}
_JAVA_EXTRA: dict[str, Any] = {
    "calls": {"self_names": ("this",), "super_names": ("super",),
              "constructor_is_class_name": True, "class_scope": True,
              "shared_scope": "directory", "imports": "qualname", "import_binds": "last",
              "static_types": True, "fixed_arity": True, "qualified_self": True,
              # java.lang and same-package types need no import: a declared type the
              # repository does not define is the platform's or a library's
              "foreign_declared": True, "unresolved_foreign": True},
    "entry": {"main_names": ("main",),
              "test_files": ("src/test/**", "*Test.java", "*Tests.java", "Test*.java"),
              "test_classes": r"(^Test|Tests?$)"},
}

# Second-wave knobs: facts of each language's semantics (self / super names,
# constructors, implicit member scope, entry points); how their import texts
# map to files is left to the resolver's defaults (see codemap.index.callrules).
_RUBY_EXTRA: dict[str, Any] = {
    "calls": {"self_names": ("self",), "super_names": ("super",), "constructors": ("initialize",),
              "class_scope": True},
    "entry": {"test_files": ("spec/**", "test/**", "*_spec.rb", "*_test.rb"),
              "test_names": r"^test_"},
}
_RUST_EXTRA: dict[str, Any] = {
    "calls": {"self_names": ("self", "Self"), "super_names": ()},
    "entry": {"main_names": ("main",), "test_files": ("tests/**", "benches/**")},
}
_CSHARP_EXTRA: dict[str, Any] = {
    "calls": {"self_names": ("this",), "super_names": ("base",),
              "constructor_is_class_name": True, "class_scope": True},
    "entry": {"main_names": ("Main",), "test_files": ("*Tests.cs", "*Test.cs")},
}
_PHP_EXTRA: dict[str, Any] = {
    "calls": {"self_names": ("$this", "self", "static"), "super_names": ("parent",),
              "constructors": ("__construct",), "call_method": "__invoke"},
    "entry": {"test_files": ("tests/**", "*Test.php"), "test_names": r"^test"},
}
_KOTLIN_EXTRA: dict[str, Any] = {
    "calls": {"self_names": ("this",), "super_names": ("super",),
              "constructor_is_class_name": True, "class_scope": True,
              "shared_scope": "directory"},
    "entry": {"main_names": ("main",), "test_files": ("src/test/**", "*Test.kt")},
}
_C_EXTRA: dict[str, Any] = {
    "calls": {"self_names": (), "super_names": ()},
    "entry": {"main_names": ("main",)},
}
_CPP_EXTRA: dict[str, Any] = {
    "calls": {"self_names": ("this",), "super_names": (), "constructor_is_class_name": True,
              "class_scope": True},
    "entry": {"main_names": ("main",)},
}

LANGUAGES: tuple[LanguageSpec, ...] = (
    LanguageSpec("python", (".py", ".pyi", ".pyw"), "tree_sitter_python:language", "python",
                 wrappers=("decorated_definition",), relative_dots=True, extra=_PY_EXTRA),
    LanguageSpec("javascript", (".js", ".jsx", ".mjs", ".cjs"), "tree_sitter_javascript:language",
                 "path", wrappers=("export_statement", "lexical_declaration", "variable_declaration"),
                 leading=("decorator",), minified_check=True, extra=_JS_EXTRA),
    LanguageSpec("typescript", (".ts", ".mts", ".cts"), "tree_sitter_typescript:language_typescript",
                 "path", wrappers=("export_statement", "lexical_declaration", "variable_declaration"),
                 leading=("decorator",), minified_check=True, extra=_JS_EXTRA),
    LanguageSpec("tsx", (".tsx",), "tree_sitter_typescript:language_tsx", "path",
                 queries="typescript",
                 wrappers=("export_statement", "lexical_declaration", "variable_declaration"),
                 leading=("decorator",), minified_check=True, extra=_JS_EXTRA),
    LanguageSpec("go", (".go",), "tree_sitter_go:language", "go",
                 extra=_GO_EXTRA),
    LanguageSpec("java", (".java",), "tree_sitter_java:language", "package", extra=_JAVA_EXTRA),
    # second wave (issue #11): grammars load on first use, so they cost nothing elsewhere
    LanguageSpec("ruby", (".rb", ".rake", ".gemspec", ".ru"), "tree_sitter_ruby:language", "ruby",
                 filenames=("Rakefile", "Gemfile", "Guardfile"), name_strip=":",
                 extra=_RUBY_EXTRA),
    LanguageSpec("rust", (".rs",), "tree_sitter_rust:language", "rust",
                 leading=("attribute_item",), extra=_RUST_EXTRA),
    LanguageSpec("csharp", (".cs",), "tree_sitter_c_sharp:language", "package",
                 extra=_CSHARP_EXTRA),
    LanguageSpec("php", (".php", ".phtml"), "tree_sitter_php:language_php", "php",
                 extra=_PHP_EXTRA),
    LanguageSpec("kotlin", (".kt", ".kts"), "tree_sitter_kotlin:language", "package",
                 extra=_KOTLIN_EXTRA),
    LanguageSpec("c", (".c",), "tree_sitter_c:language", "c", extra=_C_EXTRA),
    # .h goes to C++: its grammar also reads C headers, and C++ headers are mostly .h
    LanguageSpec("cpp", (".cpp", ".cc", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ipp",
                         ".tpp", ".inl", ".h"), "tree_sitter_cpp:language", "cpp",
                 wrappers=("template_declaration",), extra=_CPP_EXTRA),
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


def query_source(name: str, kind: str = "tags", root: Path | None = None) -> str:
    """The text of a language's query ``kind``.

    A query file may start with ``; inherits: lang[,lang]`` (the convention of
    nvim-treesitter): those languages' queries of the same kind come first.
    TypeScript's grammar extends JavaScript's, so a query written for both
    lives once. ``lang/other`` inherits that language's file ``other.scm``
    instead: the tags both grammars accept as written live in
    ``javascript/tags-ecmascript.scm``. ``root``: another queries directory (an old
    copy, to compare against), laid out like this package's.
    """
    folder = BY_NAME[name].query_dir
    path = (root / folder.name if root is not None else folder) / f"{kind}.scm"
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8")
    parents: list[str] = []
    for line in text.splitlines():
        if not line.startswith(";"):
            break
        if line[1:].strip().startswith("inherits:"):
            parents = [p.strip() for p in line.split(":", 1)[1].split(",") if p.strip()]
    return "".join((query_source(*parent.split("/", 1), root=root) if "/" in parent
                    else query_source(parent, kind, root)) + "\n" for parent in parents) + text


@cache
def ts_query(name: str, kind: str = "tags") -> Any:
    """The compiled query ``kind`` (``tags``, ``routes``) for a language, or None."""
    import tree_sitter

    source = query_source(name, kind)
    if not source.strip():
        return None
    return tree_sitter.Query(ts_language(name), source)


@cache
def ts_parser(name: str) -> Any:
    """A reusable tree-sitter ``Parser`` for a language (one per process)."""
    import tree_sitter

    return tree_sitter.Parser(ts_language(name))


@cache
def ts_cursor(name: str, kind: str = "tags") -> Any:
    """A reusable ``QueryCursor`` over the language's ``kind`` query, or None without one."""
    import tree_sitter

    query = ts_query(name, kind)
    return tree_sitter.QueryCursor(query) if query is not None else None


@cache
def language_fingerprint(name: str) -> str:
    """A hash of what determines a language's extraction: its grammar build and queries.

    Stored in the index; when it changes, only that language's files are
    re-parsed. Computed from file metadata, without importing the grammar.
    """
    import importlib.util
    import os

    spec = BY_NAME[name]
    module_name = spec.grammar.split(":")[0]
    digest = hashlib.sha1(spec.qualname_style.encode())
    digest.update(repr((spec.wrappers, spec.leading, spec.relative_dots, spec.name_strip)).encode())
    found = importlib.util.find_spec(module_name)
    for location in (found.submodule_search_locations or []) if found else []:
        for entry in sorted(os.listdir(location)):
            if entry.endswith((".so", ".pyd", ".dylib")):
                st = os.stat(os.path.join(location, entry))
                digest.update(f"{entry}:{st.st_size}:{st.st_mtime_ns}".encode())
    for scm in sorted(spec.query_dir.glob("*.scm")):
        digest.update(scm.name.encode())
        digest.update(query_source(name, scm.stem).encode())  # inherited queries included
    # the generic code that turns captures into rows is part of every language's output
    here = Path(__file__).parent
    for code in (here / "qualnames.py", here.parent / "index" / "extract.py"):
        digest.update(code.read_bytes())
    return digest.hexdigest()[:16]
