"""Python values that flow into calls: callbacks handed to builtins, aliases, partials,
parameter defaults, patched class attributes, and what call sites pass for a parameter."""

from __future__ import annotations

CALLBACKS = {
    "app/__init__.py": "",
    "app/flow.py": (
        "from functools import partial, reduce\n"
        "\n"
        "def double(x):\n"
        "    return x * 2\n"
        "\n"
        "def halve(x):\n"
        "    return x / 2\n"
        "\n"
        "def add(a, b):\n"
        "    return a + b\n"
        "\n"
        "def mapped(xs):\n"
        "    return list(map(double, xs))\n"
        "\n"
        "def folded(xs):\n"
        "    return reduce(add, xs, 0)\n"
        "\n"
        "def pick(flag, xs):\n"
        "    f = double if flag else halve\n"
        "    return f(xs)\n"
        "\n"
        "def bound(xs):\n"
        "    g = partial(add, 1)\n"
        "    return g(xs)\n"
        "\n"
        "class Sorter:\n"
        "    def rank(self, item):\n"
        "        return item\n"
        "    def order(self, items):\n"
        "        return sorted(items, key=self.rank)\n"
        "    def copy(self):\n"
        "        return self.__class__()\n"
    ),
}


def test_callbacks_handed_to_builtins_are_called_from_the_frame(build_graph) -> None:
    edges = build_graph(CALLBACKS)
    assert ("app.flow.mapped", "app.flow.double") in edges
    assert ("app.flow.folded", "app.flow.add") in edges
    assert ("app.flow.Sorter.order", "app.flow.Sorter.rank") in edges
    # the builtin itself is outside the repository: nothing else is linked
    assert not any(caller == "app.flow.mapped" and callee != "app.flow.double"
                   for caller, callee in edges)


def test_conditional_alias_and_partial(build_graph) -> None:
    edges = build_graph(CALLBACKS)
    assert edges[("app.flow.pick", "app.flow.double")] == "likely"  # one of two
    assert edges[("app.flow.pick", "app.flow.halve")] == "likely"
    assert ("app.flow.bound", "app.flow.add") in edges  # calling a partial calls its function


def test_instance_class_called_through_dunder_class(build_graph) -> None:
    edges = build_graph(CALLBACKS)
    assert ("app.flow.Sorter.copy", "app.flow.Sorter") in edges  # no __init__: the class


PARAMS = {
    "lib/__init__.py": "",
    "lib/ops.py": (
        "def identity(x):\n"
        "    return x\n"
        "\n"
        "def negate(x):\n"
        "    return -x\n"
        "\n"
        "def return_none(exc):\n"
        "    return None\n"
        "\n"
        "def valmap(func, d):\n"
        "    return {k: func(v) for k, v in d.items()}\n"
        "\n"
        "def apply_all(func, xs):\n"
        "    return list(map(func, xs))\n"
        "\n"
        "def check(spec, func, builtin_func, *args):\n"
        "    return builtin_func(*args)\n"
        "\n"
        "class Guard:\n"
        "    def __init__(self, func, handler=return_none):\n"
        "        self.func = func\n"
        "        self.handler = handler\n"
        "    def __call__(self, x):\n"
        "        try:\n"
        "            return self.func(x)\n"
        "        except Exception as exc:\n"
        "            return self.handler(exc)\n"
        "\n"
        "def mystery(func):\n"
        "    return func()\n"
    ),
    "lib/use.py": (
        "from lib.ops import Guard, apply_all, check, identity, negate, valmap\n"
        "\n"
        "def run(d):\n"
        "    valmap(identity, d)\n"
        "    apply_all(negate, [1])\n"
        "    check(None, run, negate, 1)\n"
        "    return Guard(func=identity)(3)\n"
    ),
}


def test_a_parameter_holds_what_call_sites_pass(build_graph) -> None:
    edges = build_graph(PARAMS)
    assert edges[("lib.ops.valmap", "lib.ops.identity")] == "likely"
    assert edges[("lib.ops.apply_all", "lib.ops.negate")] == "likely"  # via map(func, ...)
    # by position: run is passed as func (not called), negate as builtin_func (called)
    assert edges[("lib.ops.check", "lib.ops.negate")] == "likely"
    assert ("lib.ops.check", "lib.use.run") not in edges
    # a keyword argument of a constructor reaches self.func through __init__
    assert edges[("lib.ops.Guard.__call__", "lib.ops.identity")] == "likely"
    # nothing in the repository passes mystery a function: its parameter stays unknown
    assert not any(caller == "lib.ops.mystery" for caller, _ in edges)


def test_a_parameter_default_is_what_runs_when_none_is_passed(build_graph) -> None:
    edges = build_graph(PARAMS)
    assert ("lib.ops.Guard.__call__", "lib.ops.return_none") in edges


PATCHED = {
    "p/__init__.py": "",
    "p/core.py": (
        "class Element:\n"
        "    def _parse_plain(self, s):\n"
        "        return s\n"
        "    def _parse_cached(self, s):\n"
        "        return s\n"
        "    _parse = _parse_plain\n"
        "    def parse(self, s):\n"
        "        return self._parse(s)\n"
        "    @staticmethod\n"
        "    def enable_cache():\n"
        "        Element._parse = Element._parse_cached\n"
        "\n"
        "def walk(items):\n"
        "    for e in items:\n"
        "        e._parse(1)\n"
        "\n"
        "def escape(c):\n"
        "    return c\n"
        "\n"
        "def plain(c):\n"
        "    return c\n"
        "\n"
        "def collapse(s, raw):\n"
        "    def escape(c):\n"
        "        return '\\\\' + c\n"
        "    if raw:\n"
        "        escape = plain\n"
        "    return escape(s)\n"
    ),
}


def test_class_attribute_patched_from_elsewhere(build_graph) -> None:
    edges = build_graph(PATCHED)
    assert ("p.core.Element.parse", "p.core.Element._parse_plain") in edges
    assert ("p.core.Element.parse", "p.core.Element._parse_cached") in edges
    # an unknown receiver's method found only as one class's alias: a guess
    assert edges[("p.core.walk", "p.core.Element._parse_plain")] == "guess"
    assert edges[("p.core.walk", "p.core.Element._parse_cached")] == "guess"


def test_a_def_rebound_in_its_scope_may_run_either(build_graph) -> None:
    edges = build_graph(PATCHED)
    assert ("p.core.collapse", "p.core.collapse.escape") in edges
    assert ("p.core.collapse", "p.core.plain") in edges
    assert ("p.core.collapse", "p.core.escape") not in edges


DECORATED = {
    "d/__init__.py": "",
    "d/deco.py": (
        "import functools\n"
        "\n"
        "def logged(fn):\n"
        "    @functools.wraps(fn)\n"
        "    def wrapper(*a, **k):\n"
        "        return fn(*a, **k)\n"
        "    return wrapper\n"
        "\n"
        "@logged\n"
        "def handler(request):\n"
        "    return request\n"
        "\n"
        "class lazy:\n"
        "    def __init__(self, fget):\n"
        "        self.fget = fget\n"
        "    def __get__(self, obj, cls):\n"
        "        return self.fget(obj)\n"
        "\n"
        "class Model:\n"
        "    @lazy\n"
        "    def size(self):\n"
        "        return 1\n"
    ),
}


def test_wrappers_call_what_they_decorate_even_when_called_from_outside(build_graph) -> None:
    # nothing in the repository calls handler or reads Model.size (a framework does)
    edges = build_graph(DECORATED)
    assert edges[("d.deco.logged.wrapper", "d.deco.handler")] == "likely"
    assert edges[("d.deco.lazy.__get__", "d.deco.Model.size")] == "likely"


CONFIGS = {
    "n/__init__.py": "",
    "n/norm.py": (
        "class Normalizer:\n"
        "    def __init__(self, grammar):\n"
        "        self.grammar = grammar\n"
        "\n"
        "class Finder(Normalizer):\n"
        "    def __init__(self, grammar):\n"
        "        super().__init__(grammar)\n"
        "\n"
        "class Config:\n"
        "    normalizer_class = Normalizer\n"
        "    def create(self, grammar):\n"
        "        return self.normalizer_class(grammar)\n"
        "\n"
        "class FinderConfig(Config):\n"
        "    normalizer_class = Finder\n"
    ),
    "n/grammar.py": (
        "class BaseParser:\n"
        "    def __init__(self, text):\n"
        "        self.text = text\n"
        "\n"
        "class PyParser(BaseParser):\n"
        "    pass\n"
        "\n"
        "def tokenize(text):\n"
        "    return [text]\n"
        "\n"
        "class Grammar:\n"
        "    def __init__(self, text, tokenizer, parser=BaseParser):\n"
        "        self._tokenizer = tokenizer\n"
        "        self._parser = parser\n"
        "    def parse(self, code):\n"
        "        return self._parser(self._tokenizer(code))\n"
        "\n"
        "class PyGrammar(Grammar):\n"
        "    def __init__(self, text):\n"
        "        super().__init__(text, tokenizer=tokenize, parser=PyParser)\n"
    ),
}


def test_a_subclass_rebinding_a_class_attribute_is_dispatched_to(build_graph) -> None:
    edges = build_graph(CONFIGS)
    assert edges[("n.norm.Config.create", "n.norm.Normalizer.__init__")] == "exact"
    assert edges[("n.norm.Config.create", "n.norm.Finder.__init__")] == "likely"


def test_super_init_keywords_reach_the_base_parameters(build_graph) -> None:
    edges = build_graph(CONFIGS)
    assert edges[("n.grammar.Grammar.parse", "n.grammar.tokenize")] == "likely"
    assert ("n.grammar.Grammar.parse", "n.grammar.BaseParser.__init__") in edges  # default
    # PyParser has no __init__ of its own: calling it runs BaseParser.__init__ (already linked)
    assert not any(callee.startswith("n.grammar.PyGrammar") for _c, callee in edges
                   if _c == "n.grammar.Grammar.parse")


GUESSES = {
    "lib/__init__.py": "",
    "lib/tree.py": (
        "class Node:\n"
        "    @property\n"
        "    def start_pos(self):\n"
        "        return (1, 0)\n"
        "    @property\n"
        "    def kind(self):\n"
        "        return 'node'\n"
        "\n"
        "class Leaf(Node):\n"
        "    kind = 'leaf'\n"
        "\n"
        "def where(node):\n"
        "    return node.start_pos, node.kind\n"
        "\n"
        "def visit(node):\n"
        "    return node.render_issue()\n"
    ),
    "tests/__init__.py": "",
    "tests/test_tree.py": (
        "class FakeIssue:\n"
        "    def render_issue(self):\n"
        "        return 'x'\n"
        "\n"
        "def test_where():\n"
        "    FakeIssue().render_issue()\n"
    ),
}


def test_guesses_skip_tests_and_class_constants(build_graph) -> None:
    edges = build_graph(GUESSES)
    # an unknown receiver's property read is guessed by its rare name...
    assert edges[("lib.tree.where", "lib.tree.Node.start_pos")] == "guess"
    # ...but not when a class body binds that name to a literal (a plain attribute)
    assert ("lib.tree.where", "lib.tree.Node.kind") not in edges
    # library code is never guessed to call into the test suite
    assert ("lib.tree.visit", "tests.test_tree.FakeIssue.render_issue") not in edges
    assert ("tests.test_tree.test_where", "tests.test_tree.FakeIssue.render_issue") in edges


FIXTURES = {
    "app/__init__.py": "",
    "app/auth.py": (
        "def login(username):\n"  # a view with the same method name: never the target
        "    return username\n"
    ),
    "tests/__init__.py": "",
    "tests/conftest.py": (
        "import pytest\n"
        "\n"
        "class AuthActions:\n"
        "    def __init__(self, client):\n"
        "        self.client = client\n"
        "    def login(self, username='test'):\n"
        "        return self.client\n"
        "\n"
        "class Store:\n"
        "    def load(self):\n"
        "        return 1\n"
        "\n"
        "@pytest.fixture\n"
        "def client():\n"
        "    return object()\n"
        "\n"
        "@pytest.fixture\n"
        "def auth(client) -> AuthActions:\n"
        "    return AuthActions(client)\n"
        "\n"
        "@pytest.fixture(scope='session')\n"
        "def store():\n"
        "    return Store()\n"
    ),
    "tests/api/__init__.py": "",
    "tests/api/conftest.py": (
        "import pytest\n"
        "\n"
        "class FakeStore:\n"
        "    def load(self):\n"
        "        return 2\n"
        "\n"
        "@pytest.fixture\n"
        "def store(store):\n"  # overrides the parent's, and asks for it
        "    store.load()\n"
        "    return FakeStore()\n"
    ),
    "tests/api/test_views.py": (
        "import pytest\n"
        "\n"
        "def test_login(auth):\n"
        "    auth.login()\n"
        "\n"
        "def test_store(store):\n"
        "    store.load()\n"
        "\n"
        "def helper(auth):\n"  # not a test nor a fixture: pytest passes it nothing
        "    auth.login()\n"
        "\n"
        "class TestLocal:\n"
        "    @pytest.fixture\n"
        "    def store(self):\n"
        "        return Local()\n"
        "    def test_it(self, store):\n"
        "        store.load()\n"
        "\n"
        "class Local:\n"
        "    def load(self):\n"
        "        return 3\n"
    ),
}


def test_pytest_fixtures_fill_the_parameters_of_tests_and_fixtures(build_graph) -> None:
    edges = build_graph(FIXTURES)
    views = "tests.api.test_views"
    # the conftest.py fixture's return value: the method of its class, not the same-named view
    assert edges[(f"{views}.test_login", "tests.conftest.AuthActions.login")] == "likely"
    assert (f"{views}.test_login", "app.auth.login") not in edges
    # the closest fixture wins: the directory's conftest.py over the parent's ...
    assert (f"{views}.test_store", "tests.api.conftest.FakeStore.load") in edges
    assert (f"{views}.test_store", "tests.conftest.Store.load") not in edges
    # ... which an overriding fixture of the same name receives
    assert ("tests.api.conftest.store", "tests.conftest.Store.load") in edges
    assert ("tests.api.conftest.store", "tests.api.conftest.FakeStore.load") not in edges
    # a fixture of the test's class comes first
    assert (f"{views}.TestLocal.test_it", f"{views}.Local.load") in edges
    assert (f"{views}.TestLocal.test_it", "tests.api.conftest.FakeStore.load") not in edges
    # a plain function's parameter is not a fixture
    assert (f"{views}.helper", "tests.conftest.AuthActions.login") not in edges or \
        edges[(f"{views}.helper", "tests.conftest.AuthActions.login")] == "guess"
