"""Typed samples (tests/traces/samples.py, each with its public source) for the
runtimes that cannot run here: Go, Ruby, Rust, .NET, PHP, Firefox/Safari.

They are parsed and mapped onto a real git repository that holds the files
they name, so the whole path (parse -> path mapping -> symbols) is exercised.
Languages the index does not parse still map to file and line (symbol null).
"""

from __future__ import annotations

import pytest

from codemap import api
from codemap.traces.detect import find_traces
from tests.conftest import GitRepoBuilder
from tests.traces import samples

GO_CART = """\
package cart

import "fmt"

type Cart struct {
\titems []int
}

// Total adds the items up.
func (c *Cart) Total() int {
\tfmt.Println(len(c.items))
\treturn c.items[3]
}

// Checkout totals the cart in a goroutine.
func Checkout(c *Cart) int {
\tdone := make(chan int)
\t// start the worker
\tgo func() {
\t\tdone <- c.Total()
\t}()
\t// wait for it
\treturn <-done
}
"""

GO_MAIN = """\
package main

import "example.com/shop/internal/cart"

// main runs a checkout.
func main() {
\tc := &cart.Cart{}
\t// checkout
\tcart.Checkout(c)
}
"""

GO_SERVER = "package main\n\nimport \"fmt\"\n\nvar names = []string{\"a\", \"b\", \"c\"}\n\n" + \
    "//\n" * 7 + "func lookup(i int) string {\n\treturn names[i]\n}\n\n//\n//\nfunc main() {\n" + \
    "\t//\n\tfmt.Println(lookup(3))\n}\n"

JS_CART = "//\n" * 9 + "function total(cart) {\n  return cart.items.length;\n}\n"
JS_CHECKOUT = "//\n" * 56 + "async function checkout(cart) {\n  return total(cart) + 1;\n}\n"
JS_MAIN = "//\n//\ncheckout({});\n"


RUBY_USER = """\
class User
  # The full name, upper-cased.
  def full_name
    @name.upcase
  end

  def greeting
    "Hello " + full_name
  end

  def self.each_greeting(users)
    users.map { |u| u.greeting }
  end
end
"""

RUBY_MAIN = 'require_relative "models/user"\n\nUser.new.greeting\n'

RUST_PARSER = """\
impl Parser {
    pub fn parse(&self) -> usize {
        self.items[7]
    }
}

#[derive(Default)]
pub struct Parser {
    items: Vec<usize>,
}
"""

RUST_MAIN = """\
mod parser;

fn main() {
    let p = parser::Parser::default();
    let run = || {
        p.parse()
    };
    run();
}
"""

CS_INVENTORY = """\
using System.Collections.Generic;

namespace Shop
{
    public class Inventory
    {
        private readonly Dictionary<string, int> stock = new();

        public int Lookup(string sku)
        {
            try
            {
                // the dictionary throws for unknown keys
                return stock[sku];
            }
            catch (KeyNotFoundException e)
            {
                throw new System.InvalidOperationException("Order failed", e);
            }
        }
    }
}
"""

CS_ORDERS = "using System.Threading.Tasks;\n\nnamespace Shop\n{\n    public class OrderService\n" \
    "    {\n        private readonly Inventory inventory = new();\n" + "        //\n" * 14 + \
    "        public async Task<int> PlaceAsync(string sku)\n        {\n" \
    "            await Task.Yield();\n            // look the item up\n" \
    "            return inventory.Lookup(sku);\n        }\n    }\n}\n"

CS_PROGRAM = """\
using Shop;

await RunAsync();

static async Task RunAsync()
{
    await new OrderService().PlaceAsync("sku-1");
}
"""

PHP_CART = """\
<?php
namespace Shop;

class Cart
{
    private array $items = [];

    public function add(string $sku, int $qty): void
    {
        if ($qty < 1) {
            // reject
            throw new \\InvalidArgumentException("Bad quantity");
        }
        $this->items[$sku] = $qty;
    }
}
"""

PHP_CHECKOUT = "<?php\nnamespace Shop;\n\nclass Checkout\n{\n    private Cart $cart;\n\n" \
    "    public function __construct()\n    {\n        $this->cart = new Cart();\n    }\n\n" \
    "    public function run(): void\n    {\n" + "        //\n" * 5 + \
    "        $this->cart->add('sku-1', -1);\n        //\n" \
    "        throw new \\RuntimeException(\"checkout failed\");\n    }\n}\n"

PHP_INDEX = "<?php\nrequire __DIR__ . '/../src/Cart.php';\nrequire __DIR__ . '/../src/Checkout.php';\n" \
    "\n(new Shop\\Checkout())->run();\n"


@pytest.fixture
def repo(git_repo: GitRepoBuilder) -> GitRepoBuilder:
    git_repo.write("go.mod", "module example.com/shop\n\ngo 1.22\n")
    git_repo.write("internal/cart/cart.go", GO_CART)
    git_repo.write("main.go", GO_MAIN)
    git_repo.write("cmd/server/main.go", GO_SERVER)
    git_repo.write("app/models/user.rb", RUBY_USER)
    git_repo.write("app/main.rb", RUBY_MAIN)
    git_repo.write("src/parser.rs", RUST_PARSER)
    git_repo.write("src/main.rs", RUST_MAIN)
    git_repo.write("src/Shop/Inventory.cs", CS_INVENTORY)
    git_repo.write("src/Shop/OrderService.cs", CS_ORDERS)
    git_repo.write("src/Shop/Program.cs", CS_PROGRAM)
    git_repo.write("src/Cart.php", PHP_CART)
    git_repo.write("src/Checkout.php", PHP_CHECKOUT)
    git_repo.write("public/index.php", PHP_INDEX)
    git_repo.write("src/cart.js", JS_CART)
    git_repo.write("src/checkout.js", JS_CHECKOUT)
    git_repo.write("src/main.js", JS_MAIN)
    git_repo.commit("samples")
    return git_repo


def _trace(repo: GitRepoBuilder, text: str) -> dict:
    return api.trace(text, str(repo.root)).to_json()


def _where(report: dict, exc: int = 0) -> list[tuple]:
    return [(f["path"], f["line"], f["in_repo"]) for f in report["exceptions"][exc]["frames"]]


def test_go_panic(repo: GitRepoBuilder) -> None:
    report = _trace(repo, samples.GO_PANIC)
    assert report["language"] == "go"
    exc = report["exceptions"][0]
    assert (exc["type"], exc["message"]) == ("panic", "runtime error: index out of range [3] "
                                                      "with length 3")
    assert _where(report) == [("cmd/server/main.go", 22, True), ("cmd/server/main.go", 15, True)]
    assert [f["symbol"]["name"] for f in exc["frames"]] == ["main", "lookup"]
    assert all(f["name_mismatch"] is False for f in exc["frames"])


def test_go_goroutine_dump(repo: GitRepoBuilder) -> None:
    report = _trace(repo, samples.GO_DUMP)
    first, other = report["exceptions"]
    assert first["type"] == "panic" and first["goroutine"] == 7
    assert other["relation"] == "goroutine" and other["message"] == "chan receive"
    # created by ... comes first (call order), the panicking method last
    assert first["frames"][0]["created_by"] is True
    assert [(f["path"], f["line"]) for f in first["frames"]] == [
        ("internal/cart/cart.go", 19), ("internal/cart/cart.go", 20), ("internal/cart/cart.go", 12)]
    total = first["frames"][-1]
    assert total["function"] == "example.com/shop/internal/cart.(*Cart).Total"
    assert total["symbol"]["name"] == "Total" and total["name_mismatch"] is False
    closure = first["frames"][1]
    assert closure["name_mismatch"] is False  # Checkout.func1 is a closure inside Checkout
    runtime = other["frames"][-1]
    assert runtime["function"] == "runtime.gopark" and runtime["in_repo"] is False
    assert runtime["match"] == "outside"


@pytest.mark.parametrize("name", ["RUBY_OLD", "RUBY_NEW"])
def test_ruby_both_quote_styles(repo: GitRepoBuilder, name: str) -> None:
    report = _trace(repo, getattr(samples, name))
    assert report["language"] == "ruby"
    exc = report["exceptions"][0]
    assert exc["type"] == "NoMethodError"
    assert exc["message"].startswith("undefined method")
    frames = exc["frames"]
    assert frames[0]["path"] == "app/main.rb" and frames[0]["function"] == "<main>"
    assert (frames[-1]["path"], frames[-1]["line"]) == ("app/models/user.rb", 4)
    assert frames[0]["symbol"]["kind"] == "module"
    assert [f["symbol"]["name"] for f in frames[1:]][-2:] == ["greeting", "full_name"]
    assert all(f["name_mismatch"] is False for f in frames)
    if name == "RUBY_NEW":
        assert frames[-1]["function"] == "User#full_name"
        block = frames[1]
        assert block["function"] == "block in User.each_greeting"
        assert block["symbol"]["name"] == "each_greeting" and block["name_mismatch"] is False


@pytest.mark.parametrize("name", ["RUST_NEW", "RUST_OLD"])
def test_rust_panic_layouts(repo: GitRepoBuilder, name: str) -> None:
    report = _trace(repo, getattr(samples, name))
    exc = report["exceptions"][0]
    assert exc["type"] == "panic" and exc["message"].startswith("oh no!")
    assert exc["thread"] == "main"
    assert _where(report) == [("src/parser.rs", 3, True)]
    assert exc["frames"][0]["column"] == 5


def test_rust_backtrace(repo: GitRepoBuilder) -> None:
    report = _trace(repo, samples.RUST_BACKTRACE)
    frames = report["exceptions"][0]["frames"]
    assert [f["function"] for f in frames] == [
        "core::ops::function::FnOnce::call_once", "shop::main", "shop::main::{{closure}}",
        "shop::parser::Parser::parse", "core::panicking::panic_fmt", "rust_begin_unwind"]
    assert [f["in_repo"] for f in frames] == [False, True, True, True, False, False]
    assert frames[3]["path"] == "src/parser.rs" and frames[3]["line"] == 3
    assert frames[3]["symbol"]["name"] == "parse" and frames[3]["name_mismatch"] is False
    assert frames[1]["symbol"]["name"] == "main"
    assert frames[2]["name_mismatch"] is False  # main::{{closure}}: the closure inside main
    assert frames[0]["match"] == "outside"  # /rustc/<hash>/library/...


def test_dotnet_inner_exceptions_and_async(repo: GitRepoBuilder) -> None:
    report = _trace(repo, samples.DOTNET)
    outer, inner = report["exceptions"]
    assert outer["type"] == "System.InvalidOperationException" and outer["message"] == "Order failed"
    assert inner["type"] == "System.Collections.Generic.KeyNotFoundException"
    assert inner["relation"] == "cause"
    assert [(f["path"], f["line"]) for f in outer["frames"]] == [
        ("src/Shop/Program.cs", 3), ("src/Shop/Program.cs", 7), ("src/Shop/OrderService.cs", 26),
        ("src/Shop/Inventory.cs", 18)]
    assert outer["frames"][2]["function"] == "Shop.OrderService.<PlaceAsync>d__3.MoveNext"
    # compiler-generated names: async state machine -> PlaceAsync, local function -> RunAsync
    assert outer["frames"][2]["symbol"]["name"] == "PlaceAsync"
    assert outer["frames"][2]["name_mismatch"] is False
    assert outer["frames"][1]["symbol"]["name"] == "RunAsync"
    assert outer["frames"][1]["name_mismatch"] is False
    assert outer["frames"][3]["symbol"]["qualname"] == "Shop.Inventory.Lookup"
    assert inner["frames"][-1]["in_repo"] is False  # Dictionary`2.get_Item: no file, runtime


def test_php_trace_and_chain(repo: GitRepoBuilder) -> None:
    report = _trace(repo, samples.PHP)
    exc = report["exceptions"][0]
    assert (exc["type"], exc["message"]) == ("InvalidArgumentException", "Bad quantity")
    assert [(f["path"], f["line"], f["function"]) for f in exc["frames"]] == [
        ("public/index.php", 5, "{main}"), ("src/Checkout.php", 20, "Shop\\Checkout->run"),
        ("src/Cart.php", 12, "Shop\\Cart->add")]
    for frame in exc["frames"]:  # method symbols when the index has them, else the file
        assert frame["symbol"]["kind"] in ("module", "method")
        if frame["symbol"]["kind"] == "method":
            assert frame["name_mismatch"] is False
    chained = _trace(repo, samples.PHP_NEXT)
    assert [(e["type"], e.get("relation")) for e in chained["exceptions"]] == [
        ("LogicException", None), ("RuntimeException", "raised-from")]


def test_php_inlined_in_an_apache_log(repo: GitRepoBuilder) -> None:
    report = _trace(repo, samples.PHP_APACHE)
    exc = report["exceptions"][0]
    assert exc["type"] == "InvalidArgumentException"
    assert [(f["path"], f["line"]) for f in exc["frames"]] == [("src/Checkout.php", 20),
                                                              ("src/Cart.php", 12)]


@pytest.mark.parametrize("name", ["FIREFOX", "SAFARI"])
def test_firefox_and_safari(repo: GitRepoBuilder, name: str) -> None:
    report = _trace(repo, getattr(samples, name))
    assert report["language"] == "javascript"
    frames = [f for f in report["exceptions"][0]["frames"] if f["in_repo"]]
    assert [(f["path"], f["line"]) for f in frames] == [("src/main.js", 3), ("src/checkout.js", 58),
                                                       ("src/cart.js", 11)]
    assert frames[-1]["symbol"]["name"] == "total"
    assert frames[1]["symbol"]["name"] == "checkout" and frames[1]["name_mismatch"] is False
    assert frames[0]["symbol"]["kind"] == "module"
    if name == "FIREFOX":
        assert report["exceptions"][0]["type"] == "TypeError"
        assert frames[1]["async"] is True


def test_every_sample_is_detected_as_its_format() -> None:
    expected = {"GO_PANIC": "go", "GO_DUMP": "go", "RUBY_OLD": "ruby", "RUBY_NEW": "ruby",
                "RUST_NEW": "rust", "RUST_OLD": "rust", "RUST_BACKTRACE": "rust",
                "DOTNET": "dotnet", "PHP": "php", "PHP_NEXT": "php", "PHP_APACHE": "php",
                "FIREFOX": "firefox", "SAFARI": "firefox"}
    for name, fmt in expected.items():
        found = find_traces(getattr(samples, name))
        assert [t.format for t in found] == [fmt], name


@pytest.mark.parametrize(("module", "printed", "names", "kinds"), [
    ("php", "Shop\\Cart->add", ("add",), ()),
    ("php", "App\\Http\\Checkout::run", ("run",), ()),
    ("php", "Shop\\Cart->__construct", ("__construct", "Cart"), ("class",)),
    ("php", "{main}", (), ("module",)),
    ("dotnet", "Shop.OrderService.<PlaceAsync>d__3.MoveNext", ("PlaceAsync",), ()),
    ("dotnet", "Program.<<Main>$>g__RunAsync|0_1", ("RunAsync",), ()),
    ("dotnet", "Shop.Cart..ctor", ("Cart", ".ctor", "constructor"), ("class",)),
    ("dotnet", "Shop.Cart.<Total>b__4_0", ("Total",), ("lambda",)),
    ("go", "example.com/shop/internal/cart.(*Cart).Total", ("Total",), ()),
    ("go", "main.main.func1.2", ("main",), ("lambda",)),
    ("go", "example.com/shop.Map[...]", ("Map",), ()),
    ("ruby", "<class:User>", ("User",), ("class",)),
    ("ruby", "rescue in User#save", ("save",), ()),
    ("rust", "<shop::Cart as core::fmt::Display>::fmt", ("fmt",), ()),
    ("jvm", "com.acme.Cart$1.get", ("get",), ("method", "function", "lambda", "class")),
    ("jvm", "com.acme.Cart$Totals.lambda$ratio$0", ("ratio",), ("lambda",)),
    ("jvm", "com.acme.FooKt$bar$1.invokeSuspend", ("invokeSuspend", "bar"), ("lambda",)),
])
def test_runtime_names(module: str, printed: str, names: tuple, kinds: tuple) -> None:
    from codemap.traces.registry import BY_NAME

    check = BY_NAME[module].names(printed)
    assert check is not None
    assert check.names == names and check.kinds == kinds
