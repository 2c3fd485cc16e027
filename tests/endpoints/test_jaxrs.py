"""JAX-RS / Jakarta REST resources (Quarkus, Jersey/Dropwizard, RESTEasy) read statically.

Two small services are stored under ``tests/endpoints/jaxrs/`` as ``.txt`` files
(so codemap's own index of this repository does not list them as routes) and
committed into real git repositories: ``quarkus`` (jakarta.ws.rs, no
``@ApplicationPath``, a Kotlin resource too) and ``jersey`` (javax.ws.rs,
``@ApplicationPath("/api")``, annotations declared on an interface its resource
implements, a sub-resource locator, regex-constrained template parameters).
The Quarkus service also holds a MicroProfile REST client and a Retrofit client,
whose ``@GET`` / ``@Path`` declare no route of the service.
"""

from __future__ import annotations

from pathlib import Path

from codemap import api
from tests.conftest import GitRepoBuilder

HERE = Path(__file__).parent / "jaxrs"


def _build(git_repo: GitRepoBuilder, project: str, later: tuple[str, ...] = ()) -> str:
    """Commit a stored project: every file but ``later`` first, then those one by one."""
    root = HERE / project
    files = sorted(p for p in root.rglob("*.txt"))
    first = [p for p in files if p.name not in later]
    for p in first:
        git_repo.write(str(p.relative_to(root))[: -len(".txt")], p.read_text())
    git_repo.commit("Initial resources", author="Ana Lima <ana@acme.test>",
                    date="2026-03-02T10:00:00+00:00")
    for i, name in enumerate(later):
        p = next(f for f in files if f.name == name)
        git_repo.write(str(p.relative_to(root))[: -len(".txt")], p.read_text())
        git_repo.commit(f"Add {name[: -len('.java.txt')]}", author="Bo Chen <bo@acme.test>",
                        date=f"2026-03-0{3 + i}T09:30:00+00:00")
    return str(git_repo.root)


def _routes(repo: str) -> set[tuple[str, str, str | None]]:
    return {(e.method, e.route, e.handler.qualname if e.handler else None)
            for e in api.endpoints(repo).endpoints if e.framework == "jaxrs"}


def _quarkus(git_repo: GitRepoBuilder) -> str:
    return _build(git_repo, "quarkus", ("HealthResource.java.txt", "ProductResource.kt.txt"))


def _jersey(git_repo: GitRepoBuilder) -> str:
    return _build(git_repo, "jersey", ("OrdersResource.java.txt", "LinesResource.java.txt"))


def test_quarkus_resources_java_and_kotlin(git_repo: GitRepoBuilder) -> None:
    repo = _quarkus(git_repo)
    assert len(git_repo.git("log", "--oneline").splitlines()) == 3
    orders, health = "com.acme.shop.OrderResource", "com.acme.shop.HealthResource"
    assert _routes(repo) == {
        ("GET", "/orders", f"{orders}.list"),
        ("GET", "/orders/{id}", f"{orders}.get"),  # "{id}": no leading slash needed
        ("POST", "/orders", f"{orders}.create"),
        ("PUT", "/orders/{id}", f"{orders}.update"),  # "/{id}/": both slashes normalised
        ("DELETE", "/orders/{id}", f"{orders}.delete"),
        ("GET", "/health", f"{health}.health"),  # @Path("health") on the class
        ("HEAD", "/health/ready", f"{health}.ready"),
        # a Kotlin resource, with spaces-free regex containing braces
        ("GET", "/products", "com.acme.shop.ProductResource.list"),
        ("PATCH", "/products/{sku:[A-Z]{3}-\\d+}", "com.acme.shop.ProductResource.rename"),
    }
    # neither the MicroProfile REST client (PricingClient) nor Retrofit's @GET (StatusClient)
    everything = {(e.method, e.route) for e in api.endpoints(repo).endpoints}
    assert not any("prices" in r or "shipments" in r for _m, r in everything)


def test_quarkus_request_finds_handler_params_and_callees(git_repo: GitRepoBuilder) -> None:
    repo = _quarkus(git_repo)
    [match] = api.endpoint("GET /orders/42", repo).matches
    assert (match.route, match.handler.qualname, match.params) == (
        "/orders/{id}", "com.acme.shop.OrderResource.get", {"id": "42"})
    assert "com.acme.shop.OrderService.find" in {s.qualname for s in match.callees}
    # a trailing slash matches too (the template's own was dropped)
    [put] = api.endpoint("PUT /orders/42/", repo).matches
    assert put.handler.qualname == "com.acme.shop.OrderResource.update"
    # the regex constrains the parameter
    [patch] = api.endpoint("PATCH /products/ABC-12", repo).matches
    assert patch.params == {"sku": "ABC-12"}
    assert api.endpoint("PATCH /products/abc-12", repo).matches == []
    # HEAD is answered by the GET method when no @HEAD method exists
    [head] = api.endpoint("HEAD /health", repo).matches
    assert head.handler.qualname == "com.acme.shop.HealthResource.health"


def test_jersey_application_path_interface_and_sub_resource_locator(
        git_repo: GitRepoBuilder) -> None:
    repo = _jersey(git_repo)
    resource, lines = "com.acme.orders.OrdersResource", "com.acme.orders.LinesResource"
    assert _routes(repo) == {
        # declared on the OrdersApi interface, handled by its implementation
        ("GET", "/api/orders", f"{resource}.list"),
        ("GET", "/api/orders/{id:\\d+}", f"{resource}.get"),
        ("GET", "/api/orders/search", f"{resource}.search"),
        ("POST", "/api/orders", f"{resource}.create"),
        # OrdersResource.lines (@Path without a method) returns LinesResource
        ("GET", "/api/orders/{orderId:\\d+}/lines", f"{lines}.all"),
        ("GET", "/api/orders/{orderId:\\d+}/lines/{sku:[A-Z]+-[0-9]+}", f"{lines}.one"),
        ("DELETE", "/api/orders/{orderId:\\d+}/lines/{sku}", f"{lines}.remove"),
    }


def test_jersey_request_resolution(git_repo: GitRepoBuilder) -> None:
    repo = _jersey(git_repo)
    [match] = api.endpoint("GET /api/orders/42", repo).matches
    assert (match.route, match.handler.qualname, match.params) == (
        "/api/orders/{id:\\d+}", "com.acme.orders.OrdersResource.get", {"id": "42"})
    assert match.handler.path == "src/main/java/com/acme/orders/OrdersResource.java"
    assert "com.acme.orders.service.OrderStore.load" in {s.qualname for s in match.callees}
    assert api.endpoint("GET /api/orders/abc", repo).matches == []  # {id: \d+}
    assert [m.handler.qualname for m in api.endpoint("GET /api/orders/search", repo).matches] \
        == ["com.acme.orders.OrdersResource.search"]
    [line] = api.endpoint("GET /api/orders/7/lines/AB-12", repo).matches
    assert (line.handler.qualname, line.params) == (
        "com.acme.orders.LinesResource.one", {"orderId": "7", "sku": "AB-12"})
    assert api.endpoint("GET /api/orders/7/lines/ab", repo).matches == []  # { sku : [A-Z]+-... }
    [drop] = api.endpoint("DELETE /api/orders/7/lines/ab", repo).matches
    assert drop.handler.qualname == "com.acme.orders.LinesResource.remove"
    assert api.endpoint("GET /orders/7", repo).matches == []  # only under @ApplicationPath


def test_resource_without_locator_is_listed_as_unmounted(git_repo: GitRepoBuilder) -> None:
    """Before OrdersResource (the locator) is committed, LinesResource is served nowhere
    known: its routes are listed with the mount unknown, never at the root."""
    root = HERE / "jersey"
    for p in sorted(root.rglob("*.txt")):
        if p.name != "OrdersResource.java.txt":
            git_repo.write(str(p.relative_to(root))[: -len(".txt")], p.read_text())
    git_repo.commit("Lines only", author="Ana Lima <ana@acme.test>", date="2026-03-02T10:00:00+00:00")
    lines = [e for e in api.endpoints(str(git_repo.root)).endpoints
             if e.handler and e.handler.qualname.startswith("com.acme.orders.LinesResource")]
    assert len(lines) == 3 and all("mount" in e.unknown for e in lines)
    assert api.endpoint("GET /api/lines", str(git_repo.root)).matches == []
