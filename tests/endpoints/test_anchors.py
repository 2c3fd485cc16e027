"""Anchor and reference files: only files that can declare routes are parsed up front.

A Python file whose only markers are ``.get(`` calls or a framework's
module name is a *reference*: it is parsed when a declaration leads to it
(a view class, an imported router) and cached by content like any other
file, and never parsed when nothing leads to it. The answers must be the
ones a full parse gives.
"""

from __future__ import annotations

from codemap import api
from codemap.endpoints.anchors import ANCHOR, NONE, REFERENCE, file_role
from codemap.endpoints.store import EndpointStore
from codemap.index.service import open_index
from codemap.repo import find_repo


def table(repo) -> list[tuple[str, str, str | None]]:
    return [(e.method, e.route, e.handler.qualname if e.handler else None)
            for e in api.endpoints(str(repo.root)).endpoints]


def roles(repo) -> dict[str, tuple[str, bool]]:
    """path -> (role, facts extracted): the index holds roles and anchors' facts, the
    endpoint cache the facts of the references a declaration led to."""
    found = find_repo(repo.root)
    reader = open_index(found, refresh=False)
    store = EndpointStore(found)
    try:
        read = {p for (p,) in store.conn.execute("SELECT path FROM facts")}
        return {p: (r, f is not None or p in read) for p, r, f in reader.conn.execute(
            "SELECT f.path, r.role, r.facts FROM routes r JOIN files f ON f.id = r.file_id")}
    finally:
        store.close()
        reader.conn.close()


def _django_site(git_repo) -> None:
    git_repo.write("site/__init__.py", "")
    git_repo.write("site/settings.py", 'ROOT_URLCONF = "site.urls"\n')
    git_repo.write("site/urls.py", '''
from django.urls import path
from reports import views

urlpatterns = [
    path("reports/<int:pk>/", views.ReportView.as_view()),
    path("search/", views.search),
]
''')
    git_repo.write("reports/__init__.py", "")
    git_repo.write("reports/views.py", '''
from django.views.generic import TemplateView


class ReportView(TemplateView):
    template_name = "report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["q"] = self.request.GET.get("q", "")
        return context


def search(request):
    return request.GET.get("q")
''')
    git_repo.write("reports/stats.py", '''
import django


def summary(rows):
    totals = {}
    for row in rows:
        totals[row["kind"]] = totals.get(row["kind"], 0) + row["n"]
    return totals
''')


def test_reference_files_are_parsed_only_when_a_declaration_leads_to_them(git_repo):
    _django_site(git_repo)
    git_repo.commit("reports site")
    # TemplateView answers GET: known from the base class in views.py, a reference
    assert table(git_repo) == [
        ("GET", "/reports/<int:pk>/", "reports.views.ReportView"),
        ("*", "/search/", "reports.views.search"),
    ]
    seen = roles(git_repo)
    assert seen["site/urls.py"] == (ANCHOR, True)
    # ROOT_URLCONF anchors a settings file only with a marker (as markers gated parsing
    # before); this one has none, and nothing leads to it
    assert seen["site/settings.py"] == (REFERENCE, False)
    assert seen["reports/views.py"] == (REFERENCE, True)  # the URL list leads to it
    assert seen["reports/stats.py"] == (REFERENCE, False)  # nothing leads to it


def test_an_edited_reference_is_read_again(git_repo):
    _django_site(git_repo)
    git_repo.commit("reports site")
    table(git_repo)
    views = (git_repo.root / "reports/views.py").read_text()
    git_repo.write("reports/views.py", views.replace("TemplateView", "FormView"))
    git_repo.commit("reports take a form now")
    assert [row[:2] for row in table(git_repo)] == [
        ("GET", "/reports/<int:pk>/"), ("POST", "/reports/<int:pk>/"),
        ("PUT", "/reports/<int:pk>/"), ("*", "/search/")]


def test_a_router_in_a_reference_file_is_followed(git_repo):
    git_repo.write("svc/__init__.py", "")
    git_repo.write("svc/app.py", '''
from fastapi import FastAPI
from svc import deps

app = FastAPI()
app.include_router(deps.router, prefix="/items")
''')
    git_repo.write("svc/deps.py", '''
from svc.routing import router


def cached(key, store):
    return store.get(key)
''')
    git_repo.write("svc/routing.py", '''
from fastapi import APIRouter

router = APIRouter()


@router.get("/{item_id}")
def read_item(item_id: int):
    return {"id": item_id}
''')
    git_repo.commit("items service")
    assert table(git_repo) == [("GET", "/items/{item_id}", "svc.routing.read_item")]
    assert roles(git_repo)["svc/deps.py"] == (REFERENCE, True)


def test_roles_follow_the_framework_tables():
    python = {
        b'@app.get("/users")\ndef users(): pass\n': ANCHOR,
        b"@require_POST\ndef create(request): pass\n": ANCHOR,
        b"urlpatterns = []  # and .get( for the marker\n": ANCHOR,
        b'app.add_url_rule("/x", view_func=x)\n': ANCHOR,
        b'bp = Blueprint("a", __name__)\n': ANCHOR,
        b'storage.path(name).get("x")\n': REFERENCE,  # an entry counts only in a list
        b"value = options.get('x')\n": REFERENCE,
        b"import django\nfile_path(x).get(1)\n": REFERENCE,
        b"@pytest.mark.get_ready\ndef test(): d.get(1)\n": REFERENCE,
        # a route decorator sits on a router and is called with a path, never a dotted name
        b"@router.get(ITEMS_PATH)\ndef items(): pass\n": ANCHOR,
        b'@mock.patch("pkg.mod.attr")\ndef test(): d.get(1)\n': REFERENCE,
        b"@mock.patch.object(Model, 'save')\ndef test(): d.get(1)\n": REFERENCE,
        b'@patch("os.path.exists")\ndef test(): d.get(1)\n': REFERENCE,
        b'ROOT_URLCONF = "site.urls"\nx = d.get(1)\n': ANCHOR,
        b'@override_settings(ROOT_URLCONF="t.urls")\ndef test(): d.get(1)\n': REFERENCE,
        b"def f():\n    return 1\n": REFERENCE,  # markers are looked for if it is read
    }
    assert {src: file_role(src, "python") for src in python} == python
    # JavaScript / TypeScript: a verb whose rules all take a literal path first anchors
    # only when called with one (a vendored bundle's `cache.get(key)` does not); a call
    # that can go without a path (`app.use(router)`) anchors as a call
    javascript = {
        b"router.get('/users', list)\n": ANCHOR,
        b"app.post(`/users/${id}`, create)\n": ANCHOR,
        b"app.get(/^\\/commits\\/(\\w+)$/, show)\n": ANCHOR,
        b"fastify.get<{ Querystring: Q }>('/auth', handler)\n": ANCHOR,
        b"router.prefix('/v1')\n": ANCHOR,
        b"app.use(router)\n": ANCHOR,
        b"const app = express()\n": ANCHOR,
        b"@Controller('cats')\nexport class CatsController {}\n": ANCHOR,
        b"const v = cache.get(key);\n": REFERENCE,
        b"this.options.get(name).post(value)\n": REFERENCE,
        b"const v = 1;\n": REFERENCE,  # markers are looked for if it is read
    }
    assert {src: file_role(src, "typescript") for src in javascript} == javascript
    assert file_role(b"const v = cache.get(key);\n", "javascript") == REFERENCE
    # Java (Spring) declares routes by annotation only
    assert file_role(b"@GetMapping(\"/x\")\npublic String x() {}\n", "java") == ANCHOR
    assert file_role(b"import org.springframework.web.bind.annotation.*;\n", "java") == REFERENCE
    # a language without an anchor syntax in the table keeps every marker file
    assert file_role(b'r.HandleFunc("/x", h)\n', "go") == ANCHOR
    assert file_role(b"x := 1\n", "go") == NONE
