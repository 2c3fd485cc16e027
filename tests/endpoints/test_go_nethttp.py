"""net/http ServeMux routes in real Go services.

The shop and ledger projects of ``tests/traces/go_real/src`` (the ones whose real
panics ``tests/traces/test_go_real.py`` maps) are built as git repositories:
ServeMux patterns, subtree patterns ending in ``/``, a mux mounted through
``http.StripPrefix`` inside a logging middleware (the inner mux sees the path
without the prefix), a mux mounted behind a token middleware without
``StripPrefix`` (it sees the whole path), and handlers that are method values
of a value another package's constructor made (``h := api.NewHandler(repo)``,
``h.GetItem``). The gateway program below adds a wrapped mux held in a variable,
nested ``StripPrefix`` mounts, a middleware taking more arguments, a mux another
package's function returns, and method values of parameters whose type has its
methods in another file; it is checked with ``go vet`` where Go is installed, so
it stays real Go.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from codemap import api
from tests.traces.go_real import build


def table(root) -> list[tuple[str, str, str | None]]:
    return sorted((e.method, e.route, e.handler.qualname if e.handler else None)
                  for e in api.endpoints(str(root)).endpoints)


def top(root, request: str) -> tuple[str, str | None]:
    match = api.endpoint(request, str(root)).matches[0]
    return match.route, match.handler.qualname if match.handler else None


def test_a_mux_mounted_through_middleware_and_strip_prefix_serves_under_the_prefix(git_repo):
    build.populate("shop", git_repo)
    assert table(git_repo.root) == [
        ("*", "/api/items", "api.(*Handler).ListItems"),
        ("*", "/api/items/", "api.(*Handler).GetItem"),
        ("*", "/api/orders/", "api.(*Handler).CreateOrder"),
        ("*", "/healthz", "main.health"),
        ("*", "/static/", None),  # http.FileServer: the standard library's
    ]
    assert top(git_repo.root, "GET /api/items/7") == ("/api/items/", "api.(*Handler).GetItem")
    assert top(git_repo.root, "GET /api/items") == ("/api/items", "api.(*Handler).ListItems")
    assert top(git_repo.root, "POST /api/orders/12") == ("/api/orders/", "api.(*Handler).CreateOrder")
    assert api.endpoint("GET /items/7", str(git_repo.root)).matches == []  # only under /api


def test_the_handler_found_through_a_constructor_calls_into_the_store(git_repo):
    build.populate("shop", git_repo)
    match = api.endpoint("GET /api/items/7", str(git_repo.root)).matches[0]
    assert {s.qualname for s in match.callees} >= {"store.(*Store).Get", "store.(*Cached).Get",
                                                    "api.(*Handler).writeJSON"}


def test_a_mux_behind_middleware_without_strip_prefix_keeps_its_whole_paths(git_repo):
    build.populate("ledger", git_repo)
    assert table(git_repo.root) == [
        ("*", "/", "web.(*Admin).home"),
        ("*", "/admin/accounts/", "web.(*Admin).account"),
        ("*", "/admin/reports", "web.(*Admin).report"),
    ]
    assert top(git_repo.root, "GET /admin/accounts/cash") == ("/admin/accounts/", "web.(*Admin).account")
    assert top(git_repo.root, "GET /elsewhere") == ("/", "web.(*Admin).home")


GATEWAY = '''package main

import (
	"net/http"
	"time"
)

// Orders serves order pages.
type Orders struct{}

// List lists orders.
func (o *Orders) List(w http.ResponseWriter, r *http.Request) {}

// Cancel cancels an order.
func (o *Orders) Cancel(w http.ResponseWriter, r *http.Request) {}

func withTimeout(h http.Handler, d time.Duration) http.Handler {
	return http.TimeoutHandler(h, d, "slow")
}

func audit(h http.Handler) http.Handler { return h }

func newOrders() *Orders { return &Orders{} }

func main() {
	o := newOrders()
	v1 := http.NewServeMux()
	v1.HandleFunc("/orders", o.List)
	v1.Handle("/orders/cancel/", audit(http.HandlerFunc(o.Cancel)))
	wrapped := audit(v1)
	api := http.NewServeMux()
	api.Handle("/v1/", http.StripPrefix("/v1", withTimeout(wrapped, time.Second)))
	root := http.NewServeMux()
	root.Handle("/api/", http.StripPrefix("/api", api))
	billingRoutes(root)
	root.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})
	_ = http.ListenAndServe("127.0.0.1:0", audit(root))
}
'''


# two types with an Invoice method: only the parameter's type tells which one a route runs
BILLING = '''package billing

import "net/http"

// Service bills customers.
type Service struct{}

// Archive serves old invoices.
type Archive struct{}

// Invoice shows an archived invoice.
func (a *Archive) Invoice(w http.ResponseWriter, r *http.Request) {}

// Routes is the billing API.
func Routes(s *Service) *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("/invoices/", s.Invoice)
	return m
}

// Mount registers the refunds page on mux.
func Mount(mux *http.ServeMux, a *Archive) {
	mux.HandleFunc("/billing/refunds/", a.Invoice)
}
'''

# a method in another file of its type's package
INVOICE = '''package billing

import "net/http"

// Invoice shows one invoice.
func (s *Service) Invoice(w http.ResponseWriter, r *http.Request) {}
'''

MOUNTS = '''package main

import (
	"net/http"

	"example.com/gateway/internal/billing"
)

func billingRoutes(root *http.ServeMux) {
	root.Handle("/billing/", audit(http.StripPrefix("/billing", billing.Routes(&billing.Service{}))))
	billing.Mount(root, &billing.Archive{})
}
'''


@pytest.fixture
def gateway(git_repo):
    git_repo.write("go.mod", "module example.com/gateway\n\ngo 1.19\n")
    git_repo.write("main.go", GATEWAY)
    git_repo.write("mounts.go", MOUNTS)
    git_repo.write("internal/billing/routes.go", BILLING)
    git_repo.write("internal/billing/invoice.go", INVOICE)
    git_repo.commit("gateway: versioned API behind timeouts", author="Gail Grant <gail@example.com>")
    if shutil.which("go"):
        subprocess.run(["go", "vet", "./..."], cwd=git_repo.root, check=True, capture_output=True,
                       timeout=300, env=build.go_env(git_repo.root.parent))
    return git_repo.root


def test_nested_strip_prefix_mounts_and_a_wrapped_mux_in_a_variable(gateway):
    assert table(gateway) == [
        ("*", "/", "main.main.<anonymous>"),
        ("*", "/api/v1/orders", "main.(*Orders).List"),
        ("*", "/api/v1/orders/cancel/", "main.(*Orders).Cancel"),
        ("*", "/billing/invoices/", "billing.(*Service).Invoice"),
        ("*", "/billing/refunds/", "billing.(*Archive).Invoice"),
    ]
    assert top(gateway, "DELETE /api/v1/orders/cancel/9") == ("/api/v1/orders/cancel/",
                                                               "main.(*Orders).Cancel")


def test_a_middleware_wrapped_handler_function_is_a_handler_not_a_mount(gateway):
    found = api.endpoint("GET /api/v1/orders/cancel/1", str(gateway)).matches
    assert [m.route for m in found][:1] == ["/api/v1/orders/cancel/"]
    assert all(m.route != "/api/v1/" for m in found)  # the mount itself is no endpoint


def test_a_mux_another_package_returns_and_a_parameter_typed_handler(gateway):
    assert top(gateway, "GET /billing/invoices/7") == ("/billing/invoices/", "billing.(*Service).Invoice")
    assert top(gateway, "GET /billing/refunds/7") == ("/billing/refunds/", "billing.(*Archive).Invoice")
