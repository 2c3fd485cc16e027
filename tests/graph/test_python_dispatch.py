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
