"""Django ``i18n_patterns``: routes served under a language code; ``re_path`` routes shown
as ``manage.py show_urls`` shows them, matched as Django matches them."""

from __future__ import annotations

from codemap import api
from codemap.endpoints.patterns import display

URLS = '''
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from shop import views

urlpatterns = [path("health/", views.health)]
urlpatterns += i18n_patterns(
    path("shop/products/<int:pk>/", views.product),
    re_path(r"^legacy/(?P<year>[0-9]{4})/(?P<code>[a-z0-9]+)/$", views.legacy),
    prefix_default_language=PREFIXED,
)
'''
VIEWS = '''
def health(request):
    return None


def product(request, pk):
    return None


def legacy(request, year, code):
    return None
'''


def _project(git_repo, settings: str, prefixed: bool):
    git_repo.write("mysite/__init__.py", "")
    git_repo.write("mysite/settings.py", 'ROOT_URLCONF = "mysite.urls"\n'
                   'INSTALLED_APPS = ["django.contrib.contenttypes", "shop"]\n' + settings)
    git_repo.write("mysite/urls.py", URLS.replace("PREFIXED", str(prefixed)))
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/views.py", VIEWS)
    git_repo.commit("project")
    return str(git_repo.root)


def _match(root: str, request: str) -> tuple[str | None, dict[str, str]] | None:
    found = api.endpoint(request, root).matches
    if not found:
        return None
    return (found[0].handler.qualname if found[0].handler else None), found[0].params


def test_i18n_patterns_serve_under_the_settings_languages(git_repo):
    root = _project(git_repo, 'LANGUAGES = [("en", "English"), ("fr", "French")]\n', True)
    routes = [display([(e.route, "regex")]) for e in api.endpoints(root).endpoints]
    assert routes[:2] == ["/health/", "/<language_code>/shop/products/<int:pk>/"]
    assert len(routes) == 3
    # the URL of the log line 'Internal Server Error: /en/shop/products/1/'
    assert _match(root, "GET /en/shop/products/1/") == (
        "shop.views.product", {"language_code": "en", "pk": "1"})
    assert _match(root, "GET /fr/legacy/2024/ab1/")[0] == "shop.views.legacy"
    assert _match(root, "GET /de/shop/products/1/") is None  # not in LANGUAGES
    assert _match(root, "GET /shop/products/1/") is None  # the prefix is required
    assert _match(root, "GET /en/legacy/24/ab1/") is None  # the regex still decides


def test_i18n_patterns_without_default_prefix_and_unreadable_languages(git_repo):
    root = _project(git_repo, "from .languages import LANGUAGES\n", False)
    assert _match(root, "GET /shop/products/1/")[0] == "shop.views.product"
    assert _match(root, "GET /pt-br/shop/products/1/") == (
        "shop.views.product", {"language_code": "pt-br", "pk": "1"})


def test_re_path_shown_without_regex_syntax():
    parts = [("/", "django"), ("shop/", "django"),
             ("^legacy/(?P<year>[0-9]{4})/(?P<code>[a-z0-9]+)/$", "regex")]
    assert display(parts) == "/shop/legacy/<year>/<code>/"
    assert display([("/", "django"), ("^page\\.html$", "regex")]) == "/page.html"
