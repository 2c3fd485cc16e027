"""Go packages in the call graph: a package is a directory, a main package is a program.

Interface calls reach only the implementations one program can hold and whose
parameter count fits the call; values typed with an outside type are foreign;
a composite literal receiver (``Store{}.Get()``) is exact. Every fixture here
is accepted by ``go vet`` (Go 1.19, standard library only).
"""

from __future__ import annotations

from codemap.index.service import open_index
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder

PathEdges = dict[tuple[str, str], str]


def path_edges(git_repo: GitRepoBuilder, files: dict[str, str]) -> PathEdges:
    """Commit ``files``, index the repository: ("path:qualname" caller, callee) ->
    confidence (two ``main`` packages share qualnames: the path tells them apart)."""
    for rel, text in files.items():
        git_repo.write(rel, text)
    git_repo.commit("fixture")
    reader = open_index(find_repo(str(git_repo.root)))
    return {(f"{fa}:{a}", f"{fb}:{b}"): conf for fa, a, fb, b, conf in reader.conn.execute(
        "SELECT fa.path, a.qualname, fb.path, b.qualname, e.confidence FROM edges e "
        "JOIN symbols a ON a.id = e.caller_id JOIN files fa ON fa.id = a.file_id "
        "JOIN symbols b ON b.id = e.callee_id JOIN files fb ON fb.id = b.file_id")}


def callees(edges: PathEdges, caller: str) -> dict[str, str]:
    return {callee: conf for (who, callee), conf in edges.items() if who == caller}


GO_MOD = "module example.com/two\n\ngo 1.19\n"

# the field test's reproduction, plus a library package cmd/b imports (its implementation
# may be what ``use`` receives) and one it does not import
TWO_MAINS = {
    "go.mod": GO_MOD,
    "cmd/a/main.go": (
        "package main\n\n"
        "type Store struct{}\n\n"
        "func (s Store) Get(id string) string { return id }\n\n"
        "func (s Store) Put(id string) {}\n\n"
        "func main() {\n\tStore{}.Get(\"x\")\n\t(&Store{}).Put(\"y\")\n}\n"
    ),
    "cmd/b/main.go": (
        "package main\n\n"
        "import \"example.com/two/lib\"\n\n"
        "type Getter interface{ Get(pattern string, n int) }\n\n"
        "type Cache struct{}\n\n"
        "func (c *Cache) Get(pattern string, n int) {}\n\n"
        "func use(g Getter) { g.Get(\"/x\", 1) }\n\n"
        "func main() {\n\tuse(&Cache{})\n\tuse(lib.Remote{})\n}\n"
    ),
    "lib/remote.go": (
        "package lib\n\n"
        "type Remote struct{}\n\n"
        "func (Remote) Get(pattern string, n int) {}\n"
    ),
    "web/web.go": (
        "package web\n\n"
        "import \"net/http\"\n\n"
        "type Res struct{}\n\n"
        "func (Res) Get(pattern string, n int) {}\n\n"
        "func Accept(h http.Header) string { return h.Get(\"Accept\") }\n"
    ),
}


def test_interface_call_reaches_fitting_implementations_of_its_own_program(git_repo) -> None:
    edges = path_edges(git_repo, TWO_MAINS)
    found = callees(edges, "cmd/b/main.go:main.use")
    # its own package's implementation, and one of a package it imports
    assert found == {"cmd/b/main.go:main.(*Cache).Get": "likely",
                     "lib/remote.go:lib.Remote.Get": "likely"}
    # never: another main package's method (a main package is never imported; one
    # parameter besides), nor a library package cmd/b does not link (web)
    assert "cmd/a/main.go:main.Store.Get" not in found
    assert "web/web.go:web.Res.Get" not in found


def test_composite_literal_receiver_resolves_exactly(git_repo) -> None:
    edges = path_edges(git_repo, TWO_MAINS)
    assert callees(edges, "cmd/a/main.go:main.main") == {
        "cmd/a/main.go:main.Store.Get": "exact",
        "cmd/a/main.go:main.Store.Put": "exact",
    }


def test_receiver_typed_with_an_outside_type_is_foreign(git_repo) -> None:
    files = {
        "go.mod": GO_MOD,
        "web/web.go": TWO_MAINS["web/web.go"] + (
            "\ntype Wrapped struct {\n\thttp.ResponseWriter\n\th http.Header\n}\n\n"
            "func (w Wrapped) Flush() {\n\tw.h.Get(\"Accept\")\n"
            "\tw.ResponseWriter.Write(nil)\n\tw.Header().Get(\"Vary\")\n}\n\n"
            "func Serve(req *http.Request) string { return req.Header.Get(\"X\") }\n"
        ),
        "web/cache.go": (
            "package web\n\n"
            "import \"net/http\"\n\n"
            "type Cache struct{}\n\n"
            "func (c *Cache) Get(key string) string { return key }\n\n"
            "func (c *Cache) Write(p []byte) (int, error) { return len(p), nil }\n\n"
            "func NewCache() *Cache { return &Cache{} }\n\n"
            "// h is a *Cache here and an http.Header in the closure: the repository's\n"
            "// binding is not hidden by the closure's declared outside type\n"
            "func Lookup() string {\n\th := NewCache()\n"
            "\tread := func(h http.Header) string { return h.Get(\"k\") }\n"
            "\t_ = read\n\treturn h.Get(\"k\")\n}\n"
        ),
    }
    edges = path_edges(git_repo, files)
    # h http.Header, a field of that type, a method and a field of an embedded outside type,
    # a parameter of a pointer to an outside type: nothing of the repository runs
    for caller in ("web.Accept", "web.Wrapped.Flush", "web.Serve"):
        assert callees(edges, f"web/web.go:{caller}") == {}, caller
    assert callees(edges, "web/cache.go:web.Lookup") == {
        "web/cache.go:web.NewCache": "exact", "web/cache.go:web.(*Cache).Get": "exact"}


def test_library_interface_reaches_mains_that_link_it_only(git_repo) -> None:
    files = {
        "go.mod": GO_MOD,
        "lib/run.go": (
            "package lib\n\n"
            "type Runner interface{ Run(n int) }\n\n"
            "func Drive(r Runner) { r.Run(1) }\n"
        ),
        "cmd/tool/main.go": (
            "package main\n\n"
            "import \"example.com/two/lib\"\n\n"
            "type Tool struct{}\n\n"
            "func (Tool) Run(n int) {}\n\n"
            "func main() { lib.Drive(Tool{}) }\n"
        ),
        "cmd/other/main.go": (
            "package main\n\n"
            "type Other struct{}\n\n"
            "func (Other) Run(n int) {}\n\n"
            "func main() { Other{}.Run(2) }\n"
        ),
        "lib/run_test.go": (
            "package lib\n\n"
            "import \"testing\"\n\n"
            "type fake struct{}\n\n"
            "func (fake) Run(n int) {}\n\n"
            "func TestDrive(t *testing.T) { Drive(fake{}) }\n"
        ),
    }
    edges = path_edges(git_repo, files)
    found = callees(edges, "lib/run.go:lib.Drive")
    # the main that imports lib and lib's own tests may hand Drive their runner; a main
    # that does not import lib never runs Drive
    assert "cmd/tool/main.go:main.Tool.Run" in found
    assert "lib/run_test.go:lib.fake.Run" in found
    assert "cmd/other/main.go:main.Other.Run" not in found
    assert edges[("cmd/tool/main.go:main.main", "lib/run.go:lib.Drive")] == "exact"


def test_guess_on_unknown_receiver_stays_in_its_program_and_arity(git_repo) -> None:
    files = {
        "go.mod": GO_MOD,
        "cmd/a/main.go": (
            "package main\n\n"
            "type Conn struct{}\n\n"
            "func (c *Conn) Close(code int) {}\n\n"
            "func drain(ch chan *Conn) {\n\tc := <-ch\n\tc.Close(1)\n}\n\n"
            "func main() { drain(make(chan *Conn)) }\n"
        ),
        "cmd/b/main.go": (
            "package main\n\n"
            "type Pipe struct{}\n\n"
            "func (p *Pipe) Close(code int) {}\n\n"
            "func main() { (&Pipe{}).Close(0) }\n"
        ),
        "cmd/c/main.go": (
            "package main\n\n"
            "type File struct{}\n\n"
            "func (f *File) Close() {}\n\n"
            "func main() { (&File{}).Close() }\n"
        ),
    }
    edges = path_edges(git_repo, files)
    # ``<-ch`` has no type fact: a guess by the method's name, among the definitions one
    # program holds that take one argument
    assert callees(edges, "cmd/a/main.go:main.drain") == {
        "cmd/a/main.go:main.(*Conn).Close": "guess"}
