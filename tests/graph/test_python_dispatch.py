"""Python dispatch the call graph follows without a plain call: guesses across a few class
hierarchies for property reads, abstract methods and property setters, protocol methods
of subclasses, decorator factories, metaclasses, and dispatch tables."""

from __future__ import annotations

from tests.graph.conftest import line_edges

SHAPES = {
    "geo/__init__.py": "",
    "geo/shapes.py": (
        "from abc import ABC, abstractmethod\n"
        "\n"
        "class Shape(ABC):\n"
        "    @property\n"
        "    @abstractmethod\n"
        "    def end(self):\n"
        "        '''where it ends'''\n"
        "\n"
        "    @abstractmethod\n"
        "    def area(self):\n"
        "        '''its area'''\n"
        "\n"
        "    def describe(self):\n"
        "        return self.area()\n"
        "\n"
        "class Square(Shape):\n"
        "    def __init__(self, side):\n"
        "        self.side = side\n"
        "    @property\n"
        "    def end(self):\n"
        "        return self.side\n"
        "    def area(self):\n"
        "        return self.side * self.side\n"
        "\n"
        "class Circle(Shape):\n"
        "    @property\n"
        "    def end(self):\n"
        "        return 2\n"
        "    def area(self):\n"
        "        return 3\n"
        "\n"
        "class Token:\n"
        "    @property\n"
        "    def end(self):\n"
        "        return 1\n"
        "    def flush(self):\n"
        "        return 1\n"
        "\n"
        "class Part:\n"
        "    @property\n"
        "    def end(self):\n"
        "        return 0\n"
        "    def flush(self):\n"
        "        return 0\n"
        "\n"
        "class Stream:\n"
        "    def flush(self):\n"
        "        return 2\n"
        "\n"
        "class Buffer(Stream):\n"
        "    def flush(self):\n"
        "        return 3\n"
        "\n"
        "def last(thing):\n"
        "    return thing.end\n"
        "\n"
        "def drain(thing):\n"
        "    return thing.flush()\n"
    ),
}


def test_property_reads_are_guessed_across_a_few_hierarchies(build_graph) -> None:
    edges = build_graph(SHAPES)
    # ``end`` is a getter in three unrelated hierarchies: a read of an unknown object's
    # ``end`` may run any of the concrete ones...
    for cls in ("Square", "Circle", "Token", "Part"):
        assert edges[("geo.shapes.last", f"geo.shapes.{cls}.end")] == "guess"
    # ...never the abstract declaration, which has overrides to dispatch to
    assert ("geo.shapes.last", "geo.shapes.Shape.end") not in edges
    # a method call shared by several hierarchies is a generic verb: not guessed
    assert not any(caller == "geo.shapes.drain" for caller, _callee in edges)


OWN_ATTRIBUTES = {
    "web/__init__.py": "",
    "web/request.py": (
        "class Request:\n"
        "    @property\n"
        "    def size(self):\n"
        "        return 1\n"
        "\n"
        "\n"
        "def on_size():\n"
        "    return 2\n"
        "\n"
        "\n"
        "class Parser:\n"
        "    def __init__(self, size, callback):\n"
        "        self.size = size\n"
        "        self.on_size = callback\n"
        "\n"
        "    def read(self):\n"
        "        return self.size * 2\n"
        "\n"
        "    def report(self):\n"
        "        return self.on_size()\n"
        "\n"
        "\n"
        "class Anything:\n"
        "    def read(self):\n"
        "        return self.size\n"
    ),
}


def test_a_class_reading_its_own_attribute_runs_no_getter_elsewhere(build_graph) -> None:
    """``self.size`` in a class that assigns ``self.size`` itself is that attribute: not
    a guess at another class's ``size`` getter, neither where it is written nor where it
    is read. A class that never assigns it may get it from a mixin's partner: guessed.
    A call of such an attribute (a callback handed in) is still guessed by its name."""
    edges = build_graph(OWN_ATTRIBUTES)
    assert ("web.request.Parser.__init__", "web.request.Request.size") not in edges
    assert ("web.request.Parser.read", "web.request.Request.size") not in edges
    assert edges[("web.request.Anything.read", "web.request.Request.size")] == "guess"
    assert edges[("web.request.Parser.report", "web.request.on_size")] == "guess"


DESCRIPTOR_FACTORY = {
    "web/__init__.py": "",
    "web/props.py": (
        "class DictProperty:\n"
        "    def __init__(self, attr):\n"
        "        self.attr = attr\n"
        "\n"
        "    def __call__(self, func):\n"
        "        self.getter = func\n"
        "        return self\n"
        "\n"
        "    def __get__(self, obj, cls):\n"
        "        return self.getter(obj)\n"
        "\n"
        "\n"
        "class Builder:\n"
        "    def where(self, field):\n"
        "        return self\n"
        "\n"
        "    def build(self):\n"
        "        return parse('')\n"
        "\n"
        "\n"
        "def parse(qs):\n"
        "    return qs.split('&')\n"
        "\n"
        "\n"
        "class Request:\n"
        "    @DictProperty('environ')\n"
        "    def query(self):\n"
        "        return parse(self.qs)\n"
        "\n"
        "    def params(self):\n"
        "        return self.query\n"
        "\n"
        "\n"
        "def chained():\n"
        "    return Builder().where('a').where('b').build()\n"
    ),
}


def test_a_method_made_a_descriptor_by_a_decorator_object_runs_when_read(build_graph) -> None:
    """``@DictProperty('environ')`` (bottle): the decorator is an object, applied by its
    ``__call__``, which returns it; reading ``self.query`` runs its ``__get__``, which
    runs the method (as a tracer sees it: the reader calls ``__get__``). ``__call__`` only applies it: no edge from it to the method. A
    method returning ``self`` gives its own instance (a chain of them resolves)."""
    edges = build_graph(DESCRIPTOR_FACTORY)
    props = "web.props"
    assert edges[(f"{props}.Request.params", f"{props}.DictProperty.__get__")] == "likely"
    assert edges[(f"{props}.DictProperty.__get__", f"{props}.Request.query")] == "likely"
    assert (f"{props}.DictProperty.__call__", f"{props}.Request.query") not in edges
    assert (f"{props}.chained", f"{props}.Builder.where") in edges
    assert (f"{props}.chained", f"{props}.Builder.build") in edges


def test_an_abstract_method_yields_to_its_overrides(build_graph) -> None:
    edges = build_graph(SHAPES)
    assert edges[("geo.shapes.Shape.describe", "geo.shapes.Square.area")] == "likely"
    assert edges[("geo.shapes.Shape.describe", "geo.shapes.Circle.area")] == "likely"
    assert ("geo.shapes.Shape.describe", "geo.shapes.Shape.area") not in edges


SETTERS = {
    "pos/__init__.py": "",
    "pos/leaf.py": (
        "class Leaf:\n"
        "    def __init__(self, start):\n"
        "        self.start = start\n"
        "\n"
        "    @property\n"
        "    def start(self):\n"
        "        return self.line, self.column\n"
        "\n"
        "    @start.setter\n"
        "    def start(self, value):\n"
        "        self.line, self.column = value\n"
        "\n"
        "    def first_line(self):\n"
        "        return self.start[0]\n"
    ),
}


def test_a_read_runs_the_getter_and_an_assignment_the_setter(build_graph, git_repo) -> None:
    build_graph(SETTERS)
    found = {(a, b, line) for a, b, line, _c in line_edges(str(git_repo.root))}
    getter, setter = 5, 9  # start lines of the two definitions (decorators included)
    assert ("pos.leaf.Leaf.first_line", "pos.leaf.Leaf.start", getter) in found
    assert ("pos.leaf.Leaf.first_line", "pos.leaf.Leaf.start", setter) not in found
    assert ("pos.leaf.Leaf.__init__", "pos.leaf.Leaf.start", setter) in found


PROTOCOLS = {
    "ops/__init__.py": "",
    "ops/nodes.py": (
        "class Compare:\n"
        "    def __eq__(self, other):\n"
        "        return self.value == other\n"
        "\n"
        "class Node:\n"
        "    def __len__(self):\n"
        "        return 0\n"
        "\n"
        "class Leaf(Node, Compare):\n"
        "    def __len__(self):\n"
        "        return 1\n"
        "\n"
        "class Plain:\n"
        "    pass\n"
        "\n"
        "def size(node: Node):\n"
        "    return len(node)\n"
        "\n"
        "def same(node: Node, text):\n"
        "    return node == text\n"
        "\n"
        "def plain(p: Plain, other):\n"
        "    return p == other\n"
        "\n"
        "def unknown(x):\n"
        "    return x == 'a'\n"
    ),
}


def test_protocol_methods_dispatch_to_subclasses_and_mixins(build_graph) -> None:
    edges = build_graph(PROTOCOLS)
    assert edges[("ops.nodes.size", "ops.nodes.Node.__len__")] == "likely"  # annotated
    assert edges[("ops.nodes.size", "ops.nodes.Leaf.__len__")] == "likely"  # an override
    # a subclass inherits __eq__ from a mixin: comparing a Node may run it
    assert edges[("ops.nodes.same", "ops.nodes.Compare.__eq__")] == "likely"
    # a class of the repository without the method compares as object does
    assert ("ops.nodes.plain", "ops.nodes.Compare.__eq__") not in edges
    # an operand of unknown type is most often a built-in value: no guess
    assert ("ops.nodes.unknown", "ops.nodes.Compare.__eq__") not in edges


SUBSCRIPTS = {
    "store/__init__.py": "",
    "store/box.py": (
        "class Box:\n"
        "    def __getitem__(self, key):\n"
        "        return 1\n"
        "\n"
        "    def __setitem__(self, key, value):\n"
        "        pass\n"
        "\n"
        "    def __delitem__(self, key):\n"
        "        pass\n"
        "\n"
        "    def fill(self, key):\n"
        "        self[key] = 2\n"
        "\n"
        "\n"
        "def swap(a: Box, b: Box):\n"
        "    a[0], b[1] = b[1], a[0]\n"
        "\n"
        "\n"
        "def drop(box: Box):\n"
        "    del box['k']\n"
        "\n"
        "\n"
        "def bump(box: Box):\n"
        "    box['n'] += 1\n"
        "\n"
        "\n"
        "def chained(box: Box):\n"
        "    first = box['k'] = 3\n"
        "    return first\n"
    ),
}


def test_storing_into_a_subscript_runs_setitem_and_deleting_delitem(build_graph) -> None:
    """``x[k] = v`` runs ``__setitem__``, ``del x[k]`` ``__delitem__``: neither reads the
    item (no ``__getitem__``); ``x[k] += v`` does both; ``a[0], b[1] = b[1], a[0]``
    reads on the right and stores on the left."""
    edges = build_graph(SUBSCRIPTS)
    box = "store.box.Box"
    assert edges[("store.box.Box.fill", f"{box}.__setitem__")] == "exact"
    assert ("store.box.Box.fill", f"{box}.__getitem__") not in edges
    assert edges[("store.box.swap", f"{box}.__setitem__")] == "likely"
    assert edges[("store.box.swap", f"{box}.__getitem__")] == "likely"
    assert edges[("store.box.drop", f"{box}.__delitem__")] == "likely"
    assert ("store.box.drop", f"{box}.__getitem__") not in edges
    assert edges[("store.box.bump", f"{box}.__getitem__")] == "likely"
    assert edges[("store.box.bump", f"{box}.__setitem__")] == "likely"
    assert edges[("store.box.chained", f"{box}.__setitem__")] == "likely"
    assert ("store.box.chained", f"{box}.__getitem__") not in edges


STATEMENTS = {
    "rules/__init__.py": "",
    "rules/base.py": (
        "class Meta(type):\n"
        "    def __new__(mcs, name, bases, ns):\n"
        "        return super().__new__(mcs, name, bases, ns)\n"
        "\n"
        "class Normalizer(metaclass=Meta):\n"
        "    registry = []\n"
        "\n"
        "    @classmethod\n"
        "    def register(cls, kind):\n"
        "        def decorator(rule):\n"
        "            cls.registry.append((kind, rule))\n"
        "            return rule\n"
        "        return decorator\n"
    ),
    "rules/checks.py": (
        "from rules.base import Normalizer\n"
        "\n"
        "class Checker(Normalizer):\n"
        "    pass\n"
        "\n"
        "@Checker.register('name')\n"
        "class NameRule:\n"
        "    pass\n"
        "\n"
        "@Checker.register('call')\n"
        "def call_rule(node):\n"
        "    return node\n"
    ),
}


def test_decorator_factories_and_metaclasses_run_from_the_defining_scope(build_graph) -> None:
    edges = build_graph(STATEMENTS)
    # @factory(args): the factory is called, then what it returns is applied
    assert edges[("rules.checks", "rules.base.Normalizer.register")] == "exact"
    assert edges[("rules.checks", "rules.base.Normalizer.register.decorator")] == "likely"
    # a class statement constructs its metaclass, which subclasses inherit
    assert edges[("rules.base", "rules.base.Meta.__new__")] == "likely"
    assert edges[("rules.checks", "rules.base.Meta.__new__")] == "likely"


TABLES = {
    "parse/__init__.py": "",
    "parse/tree.py": (
        "class Node:\n"
        "    def __init__(self, children):\n"
        "        self.children = children\n"
        "\n"
        "class Module(Node):\n"
        "    def __init__(self, children):\n"
        "        super().__init__(children)\n"
        "\n"
        "class Expr(Node):\n"
        "    pass\n"
        "\n"
        "class Unused:\n"
        "    def __init__(self):\n"
        "        pass\n"
    ),
    "parse/parser.py": (
        "from parse import tree\n"
        "\n"
        "def number(text):\n"
        "    return int(text)\n"
        "\n"
        "def word(text):\n"
        "    return text\n"
        "\n"
        "CONVERTERS = {'number': number, 'word': word}\n"
        "\n"
        "def convert(kind, text):\n"
        "    return CONVERTERS[kind](text)\n"
        "\n"
        "class Parser:\n"
        "    node_map = {'file_input': tree.Module, 'expr': tree.Expr}\n"
        "\n"
        "    def build(self, kind, children):\n"
        "        return self.node_map[kind](children)\n"
        "\n"
        "    def lookup(self, kind):\n"
        "        return self.node_map[kind]\n"
    ),
}


def test_calls_through_dispatch_tables(build_graph) -> None:
    edges = build_graph(TABLES)
    assert edges[("parse.parser.convert", "parse.parser.number")] == "likely"
    assert edges[("parse.parser.convert", "parse.parser.word")] == "likely"
    # a class attribute table through self: constructing each class it holds
    assert edges[("parse.parser.Parser.build", "parse.tree.Module.__init__")] == "likely"
    assert edges[("parse.parser.Parser.build", "parse.tree.Node.__init__")] == "likely"
    assert not any(callee == "parse.tree.Unused.__init__" for _c, callee in edges)
    # reading a table's value is not a call of it
    assert not any(caller == "parse.parser.Parser.lookup" for caller, _callee in edges)


PASSED_METHODS = {
    "gram/__init__.py": "",
    "gram/grammar.py": (
        "class Grammar:\n"
        "    def __init__(self, text, *, tokenizer):\n"
        "        self._tokenizer = tokenizer\n"
        "\n"
        "    def parse(self, code):\n"
        "        return list(self._tokenizer(code))\n"
        "\n"
        "class PythonGrammar(Grammar):\n"
        "    def __init__(self, text):\n"
        "        super().__init__(text, tokenizer=self._tokenize_lines)\n"
        "\n"
        "    def _tokenize_lines(self, code):\n"
        "        return code.split()\n"
    ),
}


def test_a_bound_method_passed_as_an_argument_is_what_the_parameter_holds(build_graph) -> None:
    edges = build_graph(PASSED_METHODS)
    assert edges[("gram.grammar.Grammar.parse", "gram.grammar.PythonGrammar._tokenize_lines")] \
        == "likely"
