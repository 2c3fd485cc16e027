"""Go and Java call resolution: packages, receivers, interfaces, overloads, constructors."""

from __future__ import annotations

from tests.graph.conftest import line_edges

GO = {
    "go.mod": "module github.com/acme/proj\n\ngo 1.21\n",
    "internal/store/store.go": (
        "package store\n\n"
        "type Store interface {\n\tGet(k string) string\n}\n\n"
        "type MemStore struct{ data map[string]string }\n\n"
        "func NewMem() *MemStore { return &MemStore{} }\n\n"
        "func (m *MemStore) Get(k string) string { return m.lookup(k) }\n"
        "func (m *MemStore) lookup(k string) string { return k }\n\n"
        "type DiskStore struct{}\n\n"
        "func (d DiskStore) Get(k string) string { return helper(k) }\n"
    ),
    "internal/store/helper.go": "package store\n\nfunc helper(k string) string { return k }\n",
    "cmd/app/main.go": (
        "package main\n\n"
        "import (\n\t\"fmt\"\n\tst \"github.com/acme/proj/internal/store\"\n)\n\n"
        "type Server struct {\n\tstore st.Store\n\tmem   *st.MemStore\n}\n\n"
        "func (s *Server) Handle() {\n\ts.store.Get(\"a\")\n\ts.mem.Get(\"b\")\n"
        "\tfmt.Println(\"x\")\n}\n\n"
        "func main() {\n\tm := st.NewMem()\n\tm.Get(\"c\")\n\tsrv := &Server{store: m}\n"
        "\tsrv.Handle()\n}\n"
    ),
}


def test_go_packages_receivers_and_interfaces(build_graph) -> None:
    edges = build_graph(GO)
    # package-qualified calls through the go.mod module path
    assert edges[("main.main", "store.NewMem")] == "exact"
    # methods by receiver type: declared variables, struct fields, results of constructors
    assert edges[("main.main", "store.(*MemStore).Get")] == "exact"
    assert edges[("main.(*Server).Handle", "store.(*MemStore).Get")] == "exact"
    assert edges[("main.main", "main.(*Server).Handle")] == "exact"
    assert edges[("store.(*MemStore).Get", "store.(*MemStore).lookup")] == "exact"
    # same package, another file
    assert edges[("store.DiskStore.Get", "store.helper")] == "exact"
    # an interface method call reaches every implementation, flagged as likely
    assert edges[("main.(*Server).Handle", "store.DiskStore.Get")] == "likely"
    assert not [k for k in edges if "Println" in k[1]]


JAVA = {
    "src/main/java/com/acme/util/Strings.java": (
        "package com.acme.util;\n\n"
        "public final class Strings {\n"
        "    public static String trim(String s) { return s; }\n"
        "    public static String pad(String s) { return pad(s, 1); }\n"
        "    public static String pad(String s, int n) { return s; }\n"
        "}\n"
    ),
    "src/main/java/com/acme/app/Shape.java": (
        "package com.acme.app;\n\npublic interface Shape {\n    double area();\n}\n"
    ),
    "src/main/java/com/acme/app/Circle.java": (
        "package com.acme.app;\n\n"
        "import com.acme.util.Strings;\n"
        "import static com.acme.util.Strings.trim;\n\n"
        "public class Circle extends Base implements Shape {\n"
        "    private final Helper helper;\n"
        "    public Circle() { this(1.0); }\n"
        "    public Circle(double r) {\n"
        "        super(r);\n"
        "        helper = new Helper();\n"
        "    }\n"
        "    public double area() {\n"
        "        describe();\n"
        "        this.helper.assist();\n"
        "        return compute();\n"
        "    }\n"
        "    String describe() { return Strings.pad(trim(\"c\")); }\n"
        "    public static void main(String[] args) {\n"
        "        Shape s = new Circle();\n"
        "        s.area();\n"
        "    }\n"
        "}\n"
    ),
    "src/main/java/com/acme/app/Base.java": (
        "package com.acme.app;\n\n"
        "abstract class Base {\n"
        "    Base(double r) {}\n"
        "    double compute() { return 0; }\n"
        "}\n"
        "class Helper {\n    void assist() {}\n}\n"
        "class Square implements Shape {\n    public double area() { return 1; }\n}\n"
    ),
}


GO_SLICES = {
    "go.mod": "module example.com/fan\n\ngo 1.19\n",
    "fan/fan.go": (
        "package fan\n\n"
        "type Sink interface {\n\tWrite(p string) error\n}\n\n"
        "type File struct{}\n\n"
        "func (f *File) Write(p string) error { return nil }\n\n"
        "type Net struct{}\n\n"
        "func (n *Net) Write(p string) error { return nil }\n\n"
        "type Fanout struct {\n\tsinks []Sink\n}\n\n"
        "func (f *Fanout) Range(msg string) {\n"
        "\tfor _, s := range f.sinks {\n\t\ts.Write(msg)\n\t}\n}\n\n"
        "func (f *Fanout) Index(msg string, extra ...Sink) {\n"
        "\tfor i := range extra {\n\t\textra[i].Write(msg)\n\t}\n}\n\n"
        "func (f *Fanout) Local(msg string) {\n"
        "\tvar all []Sink = f.sinks\n"
        "\tfor _, t := range all {\n\t\tt.Write(msg)\n\t}\n}\n\n"
        "func Each(sinks []*File) {\n"
        "\tfor _, s := range sinks {\n\t\ts.Write(\"x\")\n\t}\n}\n"
    ),
}


def test_go_slices_stand_for_their_elements(build_graph) -> None:
    """Ranging over a []Interface field, indexing a variadic ...Interface parameter and a
    typed []Interface local reach every implementation (likely); a []*T reaches T's."""
    edges = build_graph(GO_SLICES)
    for method in ("Range", "Index", "Local"):
        for impl in ("File", "Net"):
            assert edges[(f"fan.(*Fanout).{method}", f"fan.(*{impl}).Write")] == "likely"
    assert edges[("fan.Each", "fan.(*File).Write")] == "exact"
    assert ("fan.Each", "fan.(*Net).Write") not in edges


def test_java_classes_imports_overloads_and_interfaces(build_graph) -> None:
    edges = build_graph(JAVA)
    # same class, inherited, this./super.
    assert edges[("com.acme.app.Circle.area", "com.acme.app.Circle.describe")] == "exact"
    assert edges[("com.acme.app.Circle.area", "com.acme.app.Base.compute")] == "exact"
    assert edges[("com.acme.app.Circle.area", "com.acme.app.Helper.assist")] == "exact"
    # constructors: this(...), super(...), new X() by arity
    assert edges[("com.acme.app.Circle.Circle", "com.acme.app.Base.Base")] == "exact"
    assert ("com.acme.app.Circle.main", "com.acme.app.Circle.Circle") in edges
    # imports and static imports
    assert edges[("com.acme.app.Circle.describe", "com.acme.util.Strings.trim")] == "exact"
    assert edges[("com.acme.app.Circle.describe", "com.acme.util.Strings.pad")] == "exact"
    # an interface call: the declaration, and every implementation (likely)
    assert edges[("com.acme.app.Circle.main", "com.acme.app.Shape.area")] == "exact"
    assert edges[("com.acme.app.Circle.main", "com.acme.app.Square.area")] == "likely"
    assert edges[("com.acme.app.Circle.main", "com.acme.app.Circle.area")] == "likely"


def test_java_overloads_by_arity(git_repo) -> None:
    for rel, text in JAVA.items():
        git_repo.write(rel, text)
    git_repo.commit("fixture")
    found = line_edges(str(git_repo.root))
    pads = {(c, callee_line, conf) for c, callee, callee_line, conf in found
            if callee == "com.acme.util.Strings.pad"}
    # describe() calls pad(String): line 5; pad(String) calls pad(String, int): line 6
    assert pads == {("com.acme.app.Circle.describe", 5, "exact"),
                    ("com.acme.util.Strings.pad", 6, "exact")}


def test_a_go_method_is_found_without_its_receiver_decoration(git_repo) -> None:
    from codemap.index.service import open_index
    from codemap.repo import find_repo

    for rel, text in GO_SLICES.items():
        git_repo.write(rel, text)
    git_repo.commit("fan")
    reader = open_index(find_repo(git_repo.root))
    for text in ("Fanout.Range", "fan.Fanout.Range", "(*Fanout).Range", "fan.(*Fanout).Range"):
        assert [s.qualname for s in reader.lookup(text)] == ["fan.(*Fanout).Range"], text
    assert reader.lookup("anout.Range") == []  # a suffix stops at a name boundary
