"""JAX-RS / Jakarta REST resources (Quarkus, Jersey/Dropwizard, RESTEasy) read statically.

Two small services are stored under ``tests/endpoints/jaxrs/`` as ``.txt`` files
(so codemap's own index of this repository does not list them as routes) and
committed into real git repositories: ``quarkus`` (jakarta.ws.rs, no
``@ApplicationPath``, a Kotlin resource too) and ``jersey`` (javax.ws.rs,
``@ApplicationPath("/api")``, annotations declared on an interface its resource
implements, a sub-resource locator, regex-constrained template parameters).
The Quarkus service also holds a MicroProfile REST client and a Retrofit client,
whose ``@GET`` / ``@Path`` declare no route of the service. ``catalog`` is a
Quarkus 3 "REST" module: ``quarkus.rest.path`` in its ``application.properties``
(beside profile values and other keys), API interfaces implemented by plain
classes in files importing nothing of JAX-RS (one interface by two classes), and
a Kotlin sub-resource locator.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from codemap import api
from codemap.endpoints.configs import parse_properties
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


def _catalog(git_repo: GitRepoBuilder, under: str = "") -> str:
    """The catalog module committed at ``under`` (the repository root by default)."""
    root = HERE / "catalog"
    for p in sorted(root.rglob("*.txt")):
        git_repo.write(under + str(p.relative_to(root))[: -len(".txt")], p.read_text())
    git_repo.commit("Catalog module", author="Ana Lima <ana@acme.test>",
                    date="2026-03-02T10:00:00+00:00")
    return str(git_repo.root)


_CATALOG = {
    # declared on api/OrdersApi, served by OrdersResource (a file with no JAX-RS import)
    ("GET", "/api/orders", "com.acme.catalog.OrdersResource.list"),
    ("GET", "/api/orders/{id}", "com.acme.catalog.OrdersResource.get"),
    ("POST", "/api/orders", "com.acme.catalog.OrdersResource.create"),
    # PaymentsApi has two implementations: each is listed
    ("POST", "/api/payments", "com.acme.catalog.payments.CardPayments.charge"),
    ("POST", "/api/payments", "com.acme.catalog.payments.InvoicePayments.charge"),
    # Kotlin, with a sub-resource locator (@Path("{id}/lines") fun lines(): CartLines)
    ("GET", "/api/carts/{id}", "com.acme.catalog.CartResource.get"),
    ("GET", "/api/carts/{id}/lines", "com.acme.catalog.CartLines.all"),
    ("DELETE", "/api/carts/{id}/lines/{sku}", "com.acme.catalog.CartLines.remove"),
}


def test_catalog_implementations_config_root_path_and_kotlin_locator(
        git_repo: GitRepoBuilder) -> None:
    repo = _catalog(git_repo)
    assert _routes(repo) == _CATALOG
    listed = [e for e in api.endpoints(repo).endpoints if e.route == "/api/payments"]
    assert len(listed) == 2 and all(e.unknown == ["implementation"] for e in listed)
    single = [e for e in api.endpoints(repo).endpoints if e.route.startswith("/api/orders")]
    assert all(e.unknown == [] and e.path.endswith("api/OrdersApi.java") for e in single)


def test_catalog_requests_reach_the_implementation(git_repo: GitRepoBuilder) -> None:
    repo = _catalog(git_repo)
    [match] = api.endpoint("GET /api/orders/42", repo).matches
    assert (match.route, match.handler.qualname, match.params) == (
        "/api/orders/{id}", "com.acme.catalog.OrdersResource.get", {"id": "42"})
    assert match.handler.path == "src/main/java/com/acme/catalog/OrdersResource.java"
    assert "com.acme.catalog.store.OrderStore.load" in {s.qualname for s in match.callees}
    assert api.endpoint("GET /orders/42", repo).matches == []  # only under quarkus.rest.path
    assert api.endpoint("GET /dev-api/orders/42", repo).matches == []  # another profile's
    card, invoice = api.endpoint("POST /api/payments", repo).matches
    assert (card.handler.name, invoice.handler.name) == ("charge", "charge")
    assert "com.acme.catalog.payments.CardPayments.authorize" in {
        s.qualname for s in card.callees}
    assert "com.acme.catalog.payments.InvoicePayments.bill" in {
        s.qualname for s in invoice.callees}
    [drop] = api.endpoint("DELETE /api/carts/7/lines/AB-1", repo).matches
    assert (drop.handler.qualname, drop.params) == (
        "com.acme.catalog.CartLines.remove", {"id": "7", "sku": "AB-1"})
    assert "com.acme.catalog.Carts.drop" in {s.qualname for s in drop.callees}


def test_editing_the_configuration_recomposes(git_repo: GitRepoBuilder) -> None:
    """The properties file is an input: editing it (uncommitted) moves every route; an
    @ApplicationPath replaces the configured path, under quarkus.http.root-path."""
    repo = _catalog(git_repo)
    assert api.endpoint("GET /api/orders/42", repo).matches
    props = "src/main/resources/application.properties"
    text = (git_repo.root / props).read_text()
    git_repo.write(props, text.replace("quarkus.rest.path = /api", "quarkus.rest.path=v2/"))
    assert api.endpoint("GET /api/orders/42", repo).matches == []
    [moved] = api.endpoint("GET /v2/orders/42", repo).matches
    assert moved.handler.qualname == "com.acme.catalog.OrdersResource.get"
    git_repo.write(props, text + "quarkus.http.root-path=/shop\n")
    assert {e.route for e in api.endpoints(repo).endpoints} == {
        "/shop" + r for _m, r, _h in _CATALOG}
    git_repo.write("src/main/java/com/acme/catalog/CatalogApp.java",
                   "package com.acme.catalog;\n\nimport jakarta.ws.rs.ApplicationPath;\n"
                   "import jakarta.ws.rs.core.Application;\n\n@ApplicationPath(\"/rest\")\n"
                   "public class CatalogApp extends Application {\n}\n")
    [app] = api.endpoint("GET /shop/rest/orders/42", repo).matches
    assert app.handler.qualname == "com.acme.catalog.OrdersResource.get"


def test_configuration_prefixes_only_its_module(git_repo: GitRepoBuilder) -> None:
    """Two modules in one repository: the catalog's root path is not the shop's."""
    root = HERE / "quarkus"
    for p in sorted(root.rglob("*.txt")):
        git_repo.write("shop/" + str(p.relative_to(root))[: -len(".txt")], p.read_text())
    repo = _catalog(git_repo, "catalog/")
    routes = {(m, r) for m, r, _h in _routes(repo)}
    assert {("GET", "/api/orders/{id}"), ("GET", "/orders/{id}"), ("GET", "/health")} <= routes
    assert not any(r.startswith("/api/health") or r.startswith("/api/products")
                   for _m, r in routes)
    [shop] = api.endpoint("GET /orders/42", repo).matches
    assert shop.handler.qualname == "com.acme.shop.OrderResource.get"


_PROPERTIES = r"""# comment
! other comment: a=b
plain=value
spaced   =   padded value<two spaces>
colon: yes
space separated words
   indented.key = x
continued = one, \
            two, \
    three
escaped\ key\:x = a\tb\u0041\\
empty=
%dev.quarkus.rest.path=/dev
trailing.backslashes = ends\\
after = ok
""".replace("<two spaces>", "  ")  # trailing white space is part of a value


def test_properties_parser_reads_what_java_reads(tmp_path: Path) -> None:
    """The parser against java.util.Properties.load itself, on the same text."""
    ours = parse_properties(_PROPERTIES)
    assert ours["continued"] == "one, two, three"
    assert ours["spaced"] == "padded value  " and ours["space"] == "separated words"
    assert ours["escaped key:x"] == "a\tbA\\"
    assert ours["%dev.quarkus.rest.path"] == "/dev" and "a" not in ours
    assert parse_properties("a=\\uZZ\nb=1\n") == {}  # Java refuses the file: nothing known
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed")
    (tmp_path / "app.properties").write_text(_PROPERTIES)
    (tmp_path / "Dump.java").write_text(
        "import java.io.*; import java.util.*;\n"
        "public class Dump { public static void main(String[] a) throws Exception {\n"
        "  Properties p = new Properties(); p.load(new FileReader(a[0]));\n"
        "  StringBuilder out = new StringBuilder(\"{\");\n"
        "  for (String k : new TreeSet<>(p.stringPropertyNames())) {\n"
        "    if (out.length() > 1) out.append(',');\n"
        "    out.append(q(k)).append(':').append(q(p.getProperty(k))); }\n"
        "  System.out.println(out.append('}')); }\n"
        "  static String q(String s) { StringBuilder b = new StringBuilder(\"\\\"\");\n"
        "    for (char c : s.toCharArray()) b.append(String.format(\"\\\\u%04x\", (int) c));\n"
        "    return b.append('\"').toString(); } }\n")
    done = subprocess.run([java, str(tmp_path / "Dump.java"), str(tmp_path / "app.properties")],
                          capture_output=True, text=True, timeout=120, check=True)
    assert ours == json.loads(done.stdout)


def test_module_prefix_follows_references_and_innermost_module() -> None:
    from codemap.endpoints.configs import module_prefix
    from codemap.endpoints.frameworks import BY_NAME
    from codemap.endpoints.patterns import UNKNOWN

    fw = BY_NAME["jaxrs"]
    props = "src/main/resources/application.properties"
    configs = {
        props: "api.base=/api\nquarkus.rest.path=${api.base}/v${api.version:1}\n",
        "billing/" + props: "quarkus.http.root-path=billing\nquarkus.resteasy.path=${API_PATH}\n",
        "plain/" + props: "quarkus.http.port=8080\n",
    }
    assert module_prefix(fw, configs, "src/main/java/a/R.java") == ("", [], [("/api/v1", "lit")])
    # the innermost module: its own root path; an environment variable is not known
    assert module_prefix(fw, configs, "billing/src/main/java/b/R.java") == (
        "billing", [("/billing", "lit")], [(UNKNOWN, "unknown")])
    assert module_prefix(fw, configs, "plain/src/main/kotlin/c/R.kt") == ("plain", [], None)
    assert module_prefix(BY_NAME["spring"], configs, "src/main/java/a/R.java") is None
