"""Qualname styles on the cases the fixtures cannot show in one crate or file."""

from __future__ import annotations

import pytest

from codemap.lang.qualnames import STYLES, rust_module_path


@pytest.mark.parametrize(("path", "module"), [
    ("src/lib.rs", "crate"),
    ("src/main.rs", "crate"),
    ("src/net/http.rs", "crate::net::http"),
    ("src/net/http/mod.rs", "crate::net::http"),
    ("src/tests/helpers.rs", "crate::tests::helpers"),
    ("crates/shop-core/src/db/pool.rs", "crate::db::pool"),
    ("crates/shop-core/src/lib.rs", "crate"),
    ("src/bin/migrate.rs", "crate"),
    ("src/bin/migrate/main.rs", "crate"),
    ("src/bin/migrate/plan.rs", "crate::plan"),
    ("tests/api.rs", "crate"),
    ("tests/common/mod.rs", "crate::common"),
    ("examples/demo.rs", "crate"),
    ("examples/demo/main.rs", "crate"),
    ("benches/pricing.rs", "crate"),
    ("build.rs", "crate"),
])
def test_rust_module_path_follows_the_crate_layout(path: str, module: str) -> None:
    assert rust_module_path(path) == module


@pytest.mark.parametrize(("style", "prefix", "scopes", "name", "receiver", "expected"), [
    ("ruby", "", ["Shop", "Order"], "total", None, "Shop::Order#total"),
    ("ruby", "", ["Shop", "Order"], "build", "self", "Shop::Order.build"),
    ("ruby", "", ["Shop", "Order", "self"], "import", None, "Shop::Order.import"),
    ("ruby", "", ["Shop"], "Order", None, "Shop::Order"),
    ("ruby", "", [], "helper", None, "helper"),
    ("php", "App\\Http", ["Controller"], "show", None, "App\\Http\\Controller->show"),
    ("php", "App\\Http", ["Controller"], "make", "static", "App\\Http\\Controller::make"),
    ("php", "", [], "helper", None, "helper"),
    ("cpp", "", ["acme"], "pop", "Stack<std::vector<T>>::pop", "acme::Stack::pop"),
    ("cpp", "", [], "~Server", "net::Server::~Server", "net::Server::~Server"),
    ("cpp", "", ["acme", "Pool"], "at", None, "acme::Pool::at"),
    ("c", "", ["outer"], "inner", None, "inner"),
    ("rust", "src/net/http.rs", ["Server"], "handle", None, "crate::net::http::Server::handle"),
    ("go", "server", [], "Push", "*Stack[T]", "server.(*Stack).Push"),
    ("path", "lib/cart.js", [], "add", "Cart", "lib/cart.js:Cart.add"),
])
def test_member_qualnames(style: str, prefix: str, scopes: list[str], name: str,
                          receiver: str | None, expected: str) -> None:
    assert STYLES[style].member(prefix, scopes, name, receiver) == expected
