"""Python call resolution: scopes, imports, classes, inference, decorators, bad input."""

from __future__ import annotations

PKG = {
    "pkg/__init__.py": "from .core import Engine as Engine\nfrom .helpers import *\n",
    "pkg/helpers.py": (
        "import os\n"
        "def helper(x):\n"
        "    return os.path.join(x)\n"
    ),
    "pkg/core.py": (
        "from . import helpers\n"
        "from .helpers import helper as h\n"
        "from .sub import leaf\n"
        "import pkg.sub.leaf as lf\n"
        "import pkg.helpers\n"
        "\n"
        "class Base:\n"
        "    def __init__(self):\n"
        "        self.setup()\n"
        "    def setup(self):\n"
        "        pass\n"
        "    def run(self):\n"
        "        return self.step()\n"
        "    def step(self):\n"
        "        pass\n"
        "\n"
        "class Engine(Base):\n"
        "    def __init__(self, n: int):\n"
        "        super().__init__()\n"
        "        self.part = Part()\n"
        "    def step(self):\n"
        "        self.part.turn()\n"
        "        helpers.helper(1)\n"
        "        h(2)\n"
        "        leaf.fall()\n"
        "        lf.fall()\n"
        "        pkg.helpers.helper(3)\n"
        "        return Engine.make()\n"
        "    @classmethod\n"
        "    def make(cls):\n"
        "        return cls(1)\n"
        "    def nested(self):\n"
        "        def inner():\n"
        "            return inner2()\n"
        "        def inner2():\n"
        "            return 1\n"
        "        return inner()\n"
        "\n"
        "class Part:\n"
        "    def turn(self):\n"
        "        return 1\n"
        "    def __call__(self):\n"
        "        pass\n"
        "    def __new__(cls):\n"
        "        return object.__new__(cls)\n"
        "\n"
        "def use(e: Engine, p: 'Part'):\n"
        "    e.run()\n"
        "    p()\n"
        "    x = Part()\n"
        "    x.turn()\n"
        "    y = make_part()\n"
        "    y.turn()\n"
        "\n"
        "def make_part() -> Part:\n"
        "    return Part()\n"
    ),
    "pkg/sub/__init__.py": "",
    "pkg/sub/leaf.py": (
        "from ..core import Engine\n"
        "def fall():\n"
        "    Engine(3).run()\n"
        "    from pkg import helper, Engine as E\n"
        "    helper(1)\n"
        "    E(2)\n"
    ),
}


def test_scopes_and_imports(build_graph) -> None:
    edges = build_graph(PKG)
    # import x / from x import y as z / relative imports / import a.b as c / mod.f()
    assert edges[("pkg.core.Engine.step", "pkg.helpers.helper")] == "exact"
    assert edges[("pkg.core.Engine.step", "pkg.sub.leaf.fall")] == "exact"
    # local and nested functions
    assert edges[("pkg.core.Engine.nested", "pkg.core.Engine.nested.inner")] == "exact"
    assert edges[("pkg.core.Engine.nested.inner", "pkg.core.Engine.nested.inner2")] == "exact"
    # re-exports through __init__.py (a renamed re-export and a star import), in a local import
    assert edges[("pkg.sub.leaf.fall", "pkg.helpers.helper")] == "exact"
    assert edges[("pkg.sub.leaf.fall", "pkg.core.Engine.__init__")] == "exact"
    # nothing resolves into the standard library
    assert not [k for k in edges if k[0] == "pkg.helpers.helper"]


def test_classes_and_inheritance(build_graph) -> None:
    edges = build_graph(PKG)
    assert edges[("pkg.core.Base.__init__", "pkg.core.Base.setup")] == "exact"
    # super().m() goes to the base; self.m() to the class, overrides in subclasses are likely
    assert edges[("pkg.core.Engine.__init__", "pkg.core.Base.__init__")] == "exact"
    assert edges[("pkg.core.Base.run", "pkg.core.Base.step")] == "exact"
    assert edges[("pkg.core.Base.run", "pkg.core.Engine.step")] == "likely"
    # Class() runs __init__ (and __new__); cls() in a classmethod; Class.method()
    assert edges[("pkg.core.Engine.make", "pkg.core.Engine.__init__")] == "exact"
    assert edges[("pkg.core.Engine.step", "pkg.core.Engine.make")] == "exact"
    assert edges[("pkg.core.make_part", "pkg.core.Part.__new__")] == "exact"
    # an instance called runs __call__
    assert ("pkg.core.use", "pkg.core.Part.__call__") in edges


def test_local_type_inference(build_graph) -> None:
    edges = build_graph(PKG)
    # x = Part(); x.turn() / annotated parameters / return annotations / self.attr = Part()
    assert ("pkg.core.use", "pkg.core.Part.turn") in edges
    assert ("pkg.core.use", "pkg.core.Base.run") in edges
    assert ("pkg.core.Engine.step", "pkg.core.Part.turn") in edges
    assert ("pkg.core.use", "pkg.core.make_part") in edges


def test_decorators_properties_and_protocols(build_graph) -> None:
    edges = build_graph({
        "app/deco.py": (
            "def traced(fn):\n"
            "    def wrapper(*args):\n"
            "        return fn(*args)\n"
            "    return wrapper\n"
        ),
        "app/model.py": (
            "from .deco import traced\n"
            "class Box:\n"
            "    @property\n"
            "    def size(self):\n"
            "        return 1\n"
            "    def __enter__(self):\n"
            "        return self\n"
            "    def __exit__(self, *exc):\n"
            "        return False\n"
            "    def __len__(self):\n"
            "        return self.size\n"
            "@traced\n"
            "def work(box: Box):\n"
            "    with box:\n"
            "        return len(box)\n"
            "def main():\n"
            "    return work(Box())\n"
        ),
    })
    assert edges[("app.model", "app.deco.traced")] == "exact"  # the decorator is applied
    assert edges[("app.model.main", "app.model.work")] == "exact"
    assert edges[("app.model.main", "app.deco.traced.wrapper")] == "likely"  # what really runs
    assert ("app.deco.traced.wrapper", "app.model.work") in edges
    assert ("app.model.Box.__len__", "app.model.Box.size") in edges  # property getter
    assert ("app.model.work", "app.model.Box.__enter__") in edges
    assert ("app.model.work", "app.model.Box.__exit__") in edges
    assert ("app.model.work", "app.model.Box.__len__") in edges


def test_recursion_cycles_star_imports_and_dynamic_calls(build_graph) -> None:
    edges = build_graph({
        "loop/a.py": "from loop.b import pong\nfrom loop.b import *\ndef ping(n):\n"
                     "    return pong(n) if n else ping(n - 1)\n",
        "loop/b.py": "from loop.a import ping\n__all__ = ['pong', 'shared']\n"
                     "def pong(n):\n    return ping(n)\ndef shared():\n    return 1\n",
        "loop/c.py": "from loop.a import *\ndef use(obj):\n    shared()\n"
                     "    getattr(obj, 'secret')()\n    return globals()['pong'](1)\n",
        "loop/d.py": "class K:\n    def secret(self):\n        return 1\n",
        "loop/patch.py": "import loop.b\ndef other(n):\n    return n\nloop.b.pong = other\n"
                         "def run():\n    return loop.b.pong(1)\n",
    })
    assert edges[("loop.a.ping", "loop.a.ping")] == "exact"  # recursion
    assert edges[("loop.a.ping", "loop.b.pong")] == "exact"  # mutual recursion across
    assert edges[("loop.b.pong", "loop.a.ping")] == "exact"  # an import cycle
    assert edges[("loop.c.use", "loop.b.shared")] == "exact"  # star import of a star import
    # a dynamic getattr call stays unresolved: no guess at a method named "secret"
    assert not [k for k in edges if k[1] == "loop.d.K.secret"]
    # monkey-patching: the static definition is what the source names
    assert edges[("loop.patch.run", "loop.b.pong")] == "exact"


def test_unknown_receivers_are_guessed_only_among_few(build_graph) -> None:
    many = "".join(f"class C{i}:\n    def save(self):\n        return {i}\n" for i in range(6))
    edges = build_graph({
        "g/models.py": many + "class Rare:\n    def rarely(self):\n        return 1\n",
        "g/use.py": "def go(obj, other):\n    obj.save()\n    other.rarely()\n",
    })
    assert edges[("g.use.go", "g.models.Rare.rarely")] == "guess"
    # six unrelated classes define save(): never linked to every same-named method
    assert not [k for k in edges if k[0] == "g.use.go" and k[1].endswith(".save")]


def test_pathological_reexport_chains_do_not_break_indexing(build_graph) -> None:
    files = {f"chain/m{i}.py": f"from chain.m{i + 1} import f\n" for i in range(600)}
    files["chain/m600.py"] = "def f():\n    return 1\n"
    files["chain/use.py"] = "from chain.m0 import f\nfrom chain.m595 import f as g\n" \
                            "def go():\n    return f() + g()\n"
    bases = "class C0:\n    def m(self):\n        return 0\n" + "".join(
        f"class C{i}(C{i - 1}):\n    pass\n" for i in range(1, 1500))
    files["chain/deep.py"] = bases + "def call(x: C1499):\n    return x.m()\n"
    edges = build_graph(files)  # indexing completes; resolvable short chains still resolve
    assert edges[("chain.use.go", "chain.m600.f")] == "exact"


def test_factories_and_descriptor_decorators(build_graph) -> None:
    edges = build_graph({
        "d/lazy.py": (
            "class Lazy:\n"
            "    def __init__(self, fget):\n"
            "        self.fget = fget\n"
            "    def __get__(self, obj, kind=None):\n"
            "        return self.fget(obj)\n"
            "def lazy(fget):\n"
            "    return Lazy(fget)\n"
        ),
        "d/model.py": (
            "from d.lazy import lazy\n"
            "class Part:\n"
            "    def turn(self):\n"
            "        return 1\n"
            "    @lazy\n"
            "    def size(self):\n"
            "        return 2\n"
            "    def total(self):\n"
            "        return self.size\n"
            "def make():\n"
            "    return Part()\n"
            "def use():\n"
            "    part = make()\n"
            "    return part.turn()\n"
        ),
    })
    # a function ending in ``return Part()`` gives a Part
    assert ("d.model.use", "d.model.Part.turn") in edges
    # reading a method a descriptor class decorates runs the descriptor's __get__
    assert edges[("d.model.Part.total", "d.lazy.Lazy.__get__")] == "likely"
    assert ("d.lazy.Lazy.__get__", "d.model.Part.size") in edges
