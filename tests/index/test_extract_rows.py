"""The extractor's rows where its speed work could change them: the parameter-list
binding (made from the definition's match), call sites against attribute reads, and
the owner of each row (found by bisection over the symbols' spans)."""

from __future__ import annotations

from codemap.index.extract import _owners, extract

SOURCE = b'''import functools

@functools.lru_cache
def f(a, b=g):
    return h(a, key=b)


class C(Base):
    def m(self, x):
        y = lambda: x.run()
        return self.items.count + y()

    @property
    def n(self):
        return [v.w for v in self.vs]
'''


def test_a_functions_parameter_list_is_a_binding_after_its_decorators_and_before_its_defaults(
) -> None:
    facts = extract("pkg/m.py", SOURCE, "python", "pkg.m")
    rows = [b for b in facts.bindings if b[1] in ("f", "b")]
    assert rows == [
        (0, "f", "functools.lru_cache", "@", 3),  # the decorator (owned by the module)
        (1, "f", "=(a, b=g)", "", 4),  # the parameter list, named after the function
        (1, "b", "=g", "", 4),  # the default value
        (1, "f", "h", "", 4),  # f ends in return h(...)
    ]
    methods = [b for b in facts.bindings if b[2].startswith("=(self")]
    assert methods == [(3, "m", "=(self, x)", "", 9), (5, "n", "=(self)", "", 14)]


def test_an_attribute_read_that_is_the_called_function_is_a_call_only() -> None:
    facts = extract("pkg/m.py", SOURCE, "python", "pkg.m")
    rows = [(c[1], c[2], c[3], c[5]) for c in facts.calls]
    assert ("run", "x", 10, "call") in rows
    assert ("run", "x", 10, "attr") not in rows
    # reads that are not called stay reads, in source order
    reads = [r for r in rows if r[3] == "attr"]
    assert reads == [("items", "self", 11, "attr"), ("count", "self.items", 11, "attr"),
                     ("w", "v", 15, "attr"), ("vs", "self", 15, "attr")]


def test_every_offset_is_owned_by_the_innermost_span_around_it() -> None:
    facts = extract("pkg/m.py", SOURCE, "python", "pkg.m")
    assert [s[2] for s in facts.symbols] == ["m", "f", "C", "m", "y", "n"]
    # spans as extract makes them: nested, sorted by start then longest first; one
    # empty span and one ending where the next starts
    spans = [(10, 400, 1), (20, 90, 2), (30, 60, 3), (45, 45, 4), (60, 90, 5), (120, 130, 6),
             (400, 410, 7)]
    owner_of = _owners(spans)
    offsets = list(range(0, 420))

    def innermost(pos: int) -> int:
        inside = [lid for start, end, lid in spans if start <= pos < end]
        return inside[-1] if inside else 0

    assert owner_of(offsets) == [innermost(p) for p in offsets]
    assert _owners([])([5, 0]) == [0, 0]
