"""Every registered language: a grammar that loads, a tags query that compiles, and
caret-annotated fixtures (see ``tests/lang/annotations.py``) whose definitions,
call sites and imports the generic extractor must find exactly.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codemap.index.extract import FileFacts, extract
from codemap.lang.qualnames import STYLES, python_module_name
from codemap.lang.registry import (
    LANGUAGES,
    LanguageSpec,
    language_for_path,
    query_source,
    ts_language,
    ts_query,
)
from tests.lang.annotations import Expectation, Fixture, parse_fixture

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_files(spec: LanguageSpec) -> list[str]:
    """Paths (relative to the language's fixture folder) of the language's fixtures."""
    root = FIXTURES / spec.name
    if not root.is_dir():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


CASES = [pytest.param(spec, rel, id=f"{spec.name}:{rel}")
         for spec in LANGUAGES for rel in fixture_files(spec)]


@pytest.mark.parametrize("spec", LANGUAGES, ids=lambda s: s.name)
def test_language_has_grammar_queries_and_fixtures(spec: LanguageSpec) -> None:
    language = ts_language(spec.name)
    assert language is not None
    assert "@definition." in query_source(spec.name)
    query = ts_query(spec.name)  # compiles against the grammar, or raises
    assert query is not None and query.pattern_count > 0
    assert spec.qualname_style in STYLES
    for ext in spec.extensions:
        assert language_for_path(f"dir/file{ext}") is spec, ext
    files = fixture_files(spec)
    assert files, f"no fixtures under tests/lang/fixtures/{spec.name}"
    annotated = [f for f in files
                 if parse_fixture((FIXTURES / spec.name / f).read_text("utf-8")).of("definition")]
    assert annotated, f"no definition annotations in the {spec.name} fixtures"


def test_grammars_load_only_when_their_language_is_used() -> None:
    """More languages cost nothing for a repository that does not use them."""
    script = (
        "import sys\n"
        "from codemap.index.extract import extract\n"
        "from codemap.lang.registry import BY_NAME, language_fingerprint\n"
        "for name in BY_NAME: language_fingerprint(name)\n"
        "extract('app.py', b'def f():\\n    return 1\\n', 'python')\n"
        "grammars = {s.grammar.split(':')[0] for s in BY_NAME.values()}\n"
        "print(sorted(m for m in grammars if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "['tree_sitter_python']"


def run_extract(spec: LanguageSpec, rel: str) -> tuple[Fixture, FileFacts]:
    root = FIXTURES / spec.name
    data = (root / rel).read_bytes()
    prefix = ""
    if spec.qualname_style == "python":  # as index.build computes module prefixes
        prefix = python_module_name(rel, lambda p: (root / p).is_file())
    return parse_fixture(data.decode("utf-8")), extract(rel, data, spec.name, prefix)


@pytest.mark.parametrize(("spec", "rel"), CASES)
def test_fixture(spec: LanguageSpec, rel: str) -> None:
    assert language_for_path(rel) is spec, f"{rel} is not a {spec.name} file"
    fixture, facts = run_extract(spec, rel)
    assert not facts.has_error, f"{rel} does not parse cleanly: fix the fixture"
    problems = (check_definitions(fixture, facts) + check_calls(fixture, facts)
                + check_imports(fixture, facts))
    if problems:
        pytest.fail(f"{spec.name}:{rel}\n  " + "\n  ".join(problems)
                    + "\n-- extracted --\n" + describe(facts), pytrace=False)


def check_definitions(fixture: Fixture, facts: FileFacts) -> list[str]:
    problems: list[str] = []
    symbols = facts.symbols
    if fixture.module is not None and symbols[0][3] != fixture.module:
        problems.append(f"module qualname is {symbols[0][3]!r}, expected {fixture.module!r}")
    unmatched = {row[0]: row for row in symbols[1:]}
    for exp in fixture.of("definition"):
        found = [row for row in unmatched.values()
                 if (row[4], row[3], row[5], row[6]) == (exp.kind, exp.subject, exp.start,
                                                           exp.end)]
        if not found:
            near = [f"{r[4]} {r[3]} {r[5]}-{r[6]}" for r in symbols[1:]
                    if r[3] == exp.subject or r[2] == exp.subject.rsplit(".", 1)[-1]]
            problems.append(f"line {exp.annotation_line}: no definition.{exp.kind} {exp.subject} "
                            f"{exp.start}-{exp.end}" + (f" (found: {near})" if near else ""))
            continue
        row = found[0]
        del unmatched[row[0]]
        problem = _caret_problem(fixture, exp, row[2])
        if not exp.start <= exp.line <= exp.end:
            problem = f"caret line {exp.line} is outside {exp.start}-{exp.end}"
        if problem:
            problems.append(f"line {exp.annotation_line}: {problem}")
    for row in unmatched.values():
        problems.append(f"unexpected definition.{row[4]} {row[3]} {row[5]}-{row[6]}")
    return problems


def _caret_problem(fixture: Fixture, exp: Expectation, name: str) -> str:
    """When ``name`` occurs on the caret's source line, the caret must point into it."""
    text = fixture.lines[exp.line - 1]
    spans = []
    start = text.find(name)
    while name and start != -1:
        spans.append((start, start + len(name)))
        start = text.find(name, start + 1)
    if spans and not any(a <= exp.column < b for a, b in spans):
        return f"the caret is not under {name!r}"
    return ""


def _owner_qualname(facts: FileFacts, owner: int) -> str:
    return facts.symbols[owner][3]


def check_calls(fixture: Fixture, facts: FileFacts) -> list[str]:
    problems: list[str] = []
    remaining = list(facts.calls)
    for exp in fixture.of("reference."):
        kind = exp.what.split(".", 1)[1]
        want = (exp.subject, exp.fields.get("recv", ""), exp.line, exp.column + 1, kind)
        found = [c for c in remaining if (c[1], c[2], c[3], c[4], c[5]) == want]
        if not found:
            at = [c for c in facts.calls if c[3] == exp.line]
            problems.append(f"line {exp.annotation_line}: no {exp.what} {exp.subject} "
                            f"recv={want[1]!r} at {exp.line}:{exp.column + 1} "
                            f"(calls on that line: {[_call_text(facts, c) for c in at]})")
            continue
        call = found[0]
        remaining.remove(call)
        owner = _owner_qualname(facts, call[0])
        if "in" in exp.fields and owner != exp.fields["in"]:
            problems.append(f"line {exp.annotation_line}: call {exp.subject} is in {owner!r}, "
                            f"expected {exp.fields['in']!r}")
    if "calls" in fixture.exhaustive:
        problems.extend(f"unexpected call {_call_text(facts, c)}" for c in remaining)
    return problems


def _call_text(facts: FileFacts, call: tuple) -> str:
    owner, name, recv, line, col, kind, _argc = call
    return (f"{line}:{col} reference.{kind} {name}" + (f" recv={recv}" if recv else "")
            + f" in={_owner_qualname(facts, owner)}")


def check_imports(fixture: Fixture, facts: FileFacts) -> list[str]:
    problems: list[str] = []
    remaining = list(facts.imports)
    for exp in fixture.of("import"):
        want = (exp.subject, exp.fields.get("name", ""), exp.fields.get("alias", ""),
                int(exp.fields.get("level", "0")), exp.line)
        found = [i for i in remaining if (i[1], i[2], i[3], i[4], i[5]) == want]
        if not found:
            at = [_import_text(facts, i) for i in facts.imports if i[5] == exp.line]
            problems.append(f"line {exp.annotation_line}: no import {want} (on that line: {at})")
            continue
        row = found[0]
        remaining.remove(row)
        owner = _owner_qualname(facts, row[0])
        if "in" in exp.fields and owner != exp.fields["in"]:
            problems.append(f"line {exp.annotation_line}: import {exp.subject} is in {owner!r}, "
                            f"expected {exp.fields['in']!r}")
    if "imports" in fixture.exhaustive:
        problems.extend(f"unexpected import {_import_text(facts, i)}" for i in remaining)
    return problems


def _import_text(facts: FileFacts, row: tuple) -> str:
    owner, module, name, alias, level, line = row
    parts = [f"{line}: import {module}"]
    parts += [f"{k}={v}" for k, v in (("name", name), ("alias", alias)) if v]
    if level:
        parts.append(f"level={level}")
    return " ".join(parts) + f" in={_owner_qualname(facts, owner)}"


def describe(facts: FileFacts) -> str:
    """Everything extracted from a file, for failure messages."""
    out = [f"module {facts.symbols[0][3]}"]
    out += [f"definition.{r[4]} {r[3]} {r[5]}-{r[6]}" for r in facts.symbols[1:]]
    out += [_call_text(facts, c) for c in facts.calls]
    out += [_import_text(facts, i) for i in facts.imports]
    return "\n".join(out)


def test_a_query_can_inherit_another_languages_query() -> None:
    """TypeScript's routes are JavaScript's (`; inherits: javascript`): one text, both grammars."""
    from codemap.lang.registry import query_source, ts_query

    js = query_source("javascript", "routes")
    ts = query_source("typescript", "routes")
    assert ts.startswith(js) and "inherits: javascript" in ts
    assert ts_query("typescript", "routes").pattern_count == ts_query("javascript",
                                                                      "routes").pattern_count > 0


def test_a_query_can_inherit_a_named_file_of_another_language() -> None:
    """The tags both grammars accept live once (`; inherits: javascript/tags-ecmascript`);
    each language adds its own, and both compile with their own grammar."""
    from codemap.lang.registry import BY_NAME, query_source, ts_query

    shared = (BY_NAME["javascript"].query_dir / "tags-ecmascript.scm").read_text()
    for lang in ("javascript", "typescript", "tsx"):
        if lang not in BY_NAME:
            continue
        text = query_source(lang, "tags")
        assert text.startswith(shared) and len(text) > len(shared) + 200
        assert ts_query(lang, "tags").pattern_count > shared.count("@definition")
    # each keeps the class-field pattern of its own grammar
    assert "(field_definition" in query_source("javascript", "tags")
    assert "(public_field_definition" in query_source("typescript", "tags")
