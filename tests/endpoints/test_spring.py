"""Spring MVC controllers of a real small service (tests/traces/java_real/orders, which
javac compiles and java runs for the trace tests), read statically: codemap never
runs the code, so the repository needs no Spring jars.
"""

from __future__ import annotations

from codemap import api
from tests.conftest import GitRepoBuilder
from tests.traces.java_real.projects import ORDERS, build_repo

WEB = "src/main/java/com/acme/orders/web"


def _orders(git_repo: GitRepoBuilder) -> str:
    build_repo(git_repo, ORDERS)
    return str(git_repo.root)


def test_class_and_method_mappings_with_value_and_path(git_repo: GitRepoBuilder) -> None:
    repo = _orders(git_repo)
    found = {(e.method, e.route, e.framework, e.handler.qualname if e.handler else None)
             for e in api.endpoints(repo).endpoints}
    ctrl = "com.acme.orders.web.OrderController"
    health = "com.acme.orders.web.HealthController"
    assert found == {
        ("GET", "/api/orders/{id}", "spring", f"{ctrl}.show"),
        # value = "...", produces = "...": the path is the value
        ("GET", "/api/orders/{id}/total", "spring", f"{ctrl}.total"),
        ("GET", "/api/orders/totals", "spring", f"{ctrl}.totals"),
        ("POST", "/api/orders/{id}/advance", "spring", f"{ctrl}.advance"),
        # path = "..." is value's alias
        ("DELETE", "/api/orders/{id}/lines/{sku}", "spring", f"{ctrl}.removeLine"),
        # an array of paths, and @RequestMapping with method = RequestMethod.HEAD
        ("GET", "/health", "spring", f"{health}.health"),
        ("GET", "/healthz", "spring", f"{health}.health"),
        ("HEAD", "/ready", "spring", f"{health}.ready"),
    }


def test_a_request_finds_its_handler_and_what_it_calls(git_repo: GitRepoBuilder) -> None:
    repo = _orders(git_repo)
    answer = api.endpoint("GET /api/orders/7", repo)
    assert [(m.route, m.handler.qualname) for m in answer.matches] == [
        ("/api/orders/{id}", "com.acme.orders.web.OrderController.show")]
    match = answer.matches[0]
    assert match.handler.path == f"{WEB}/OrderController.java"
    assert match.handler.start_line == 25  # the @GetMapping line belongs to the method
    assert match.params == {"id": "7"} and match.rank == 1
    callees = {s.qualname for s in match.callees}
    assert {"com.acme.orders.service.OrderService.get",
            "com.acme.orders.repo.Repository.find"} <= callees
    # a literal segment is preferred to a parameter (Spring's most specific match)
    totals = api.endpoint("GET /api/orders/totals", repo).matches
    assert totals[0].handler.qualname == "com.acme.orders.web.OrderController.totals"
    delete = api.endpoint("DELETE /api/orders/7/lines/AB-1", repo).matches
    assert [(m.handler.qualname, m.params) for m in delete] == [
        ("com.acme.orders.web.OrderController.removeLine", {"id": "7", "sku": "AB-1"})]
    assert api.endpoint("PUT /api/orders/7", repo).matches == []
