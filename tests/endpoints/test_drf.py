"""Django REST framework routers and ViewSets, on small real Django projects.

The projects are written the way DRF's documentation shows them (a
``DefaultRouter`` / ``SimpleRouter``, ``router.register``, ``include(router.urls)``
or ``urlpatterns += router.urls``, ``@action`` extra actions, ``lookup_field``).
DRF itself is either installed (not in the repository: its standard classes
come from the framework table) or vendored: then the actions resolve through
the repository's own ``rest_framework/mixins.py``. DRF is not installed in the
test environment, so its runtime URL list is not compared here; the expected
routes are the ones ``SimpleRouter.get_urls`` (DRF 3.16) generates.
"""

from __future__ import annotations

from codemap import api
from codemap.endpoints.patterns import display

SETTINGS = 'ROOT_URLCONF = "mysite.urls"\nINSTALLED_APPS = ["rest_framework", "shop"]\n'

VIEWS = '''
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response


class ProductViewSet(viewsets.ModelViewSet):
    def list(self, request):
        return Response([])

    @action(detail=True, methods=["post"])
    def restock(self, request, pk=None):
        return Response({})

    @restock.mapping.delete
    def unstock(self, request, pk=None):
        return Response({})

    @action(detail=False, url_path="low-stock")
    def low_stock(self, request):
        return Response([])


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[-a-z]+"


class NoteViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    lookup_url_kwarg = "note_id"


class TagViewSet(viewsets.ViewSet):
    def retrieve(self, request, pk=None):
        return Response({})
'''


def _shown(route: str) -> str:
    return display([(route, "regex")])


def table(root) -> list[tuple[str, str, str | None]]:
    return [(e.method, _shown(e.route), e.handler.qualname if e.handler else None)
            for e in api.endpoints(str(root)).endpoints]


def _project(git_repo, urls: str, views: str = VIEWS):
    git_repo.write("mysite/__init__.py", "")
    git_repo.write("mysite/settings.py", SETTINGS)
    git_repo.write("mysite/urls.py", '''
from django.urls import include, path

urlpatterns = [path("api/", include("shop.urls"))]
''')
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/views.py", views)
    git_repo.write("shop/urls.py", urls)
    git_repo.commit("project")
    return git_repo


def test_default_router_registers_the_actions_each_viewset_has(git_repo):
    repo = _project(git_repo, '''
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register(r"products", views.ProductViewSet, basename="product")
router.register(r"categories", views.CategoryViewSet)
router.register("notes", views.NoteViewSet, basename="note")

urlpatterns = [
    path("", include(router.urls)),
    path("tags/<int:pk>/", views.TagViewSet.as_view({"get": "retrieve"})),
]
''')
    p = "shop.views.ProductViewSet"
    assert table(repo.root) == [
        ("GET", "/api/products/", f"{p}.list"),
        ("POST", "/api/products/", p),  # CreateModelMixin.create: DRF is not in the repo
        ("GET", "/api/products/low-stock/", f"{p}.low_stock"),
        ("GET", "/api/products/<pk>/", p),
        ("PUT", "/api/products/<pk>/", p),
        ("PATCH", "/api/products/<pk>/", p),
        ("DELETE", "/api/products/<pk>/", p),
        ("POST", "/api/products/<pk>/restock/", f"{p}.restock"),
        ("DELETE", "/api/products/<pk>/restock/", f"{p}.restock"),
        ("GET", "/api/categories/", "shop.views.CategoryViewSet"),
        ("GET", "/api/categories/<slug>/", "shop.views.CategoryViewSet"),
        ("POST", "/api/notes/", "shop.views.NoteViewSet"),
        ("DELETE", "/api/notes/<note_id>/", "shop.views.NoteViewSet"),
        ("GET", "/api/", None),  # DefaultRouter's API root, after the registrations
        ("GET", "/api/tags/<int:pk>/", "shop.views.TagViewSet.retrieve"),
    ]
    found = api.endpoint("POST /api/products/7/restock/", str(repo.root)).matches
    assert found[0].handler.qualname == f"{p}.restock"
    assert found[0].params == {"pk": "7"}
    assert api.endpoint("GET /api/categories/tea-pots/", str(repo.root)).matches[0].params == \
        {"slug": "tea-pots"}
    assert not api.endpoint("GET /api/categories/Tea/", str(repo.root)).matches  # [-a-z]+
    assert not api.endpoint("GET /api/notes/", str(repo.root)).matches  # no list action


def test_simple_router_without_trailing_slash_and_urls_added_to_the_list(git_repo):
    repo = _project(git_repo, '''
from rest_framework import routers

from .views import CategoryViewSet

router = routers.SimpleRouter(trailing_slash=False)
router.register(r"categories", CategoryViewSet)

urlpatterns = []
urlpatterns += router.urls
''')
    assert table(repo.root) == [
        ("GET", "/api/categories", "shop.views.CategoryViewSet"),
        ("GET", "/api/categories/<slug>", "shop.views.CategoryViewSet"),
    ]


# DRF 3.16's rest_framework/mixins.py and viewsets.py, cut to the class statements and
# the action methods (bodies shortened): DRF vendored into a project
DRF_MIXINS = '''
from rest_framework import status
from rest_framework.response import Response


class CreateModelMixin:
    def create(self, request, *args, **kwargs):
        return Response(status=status.HTTP_201_CREATED)


class ListModelMixin:
    def list(self, request, *args, **kwargs):
        return Response([])


class RetrieveModelMixin:
    def retrieve(self, request, *args, **kwargs):
        return Response({})


class UpdateModelMixin:
    def update(self, request, *args, **kwargs):
        return Response({})

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)


class DestroyModelMixin:
    def destroy(self, request, *args, **kwargs):
        return Response(status=status.HTTP_204_NO_CONTENT)
'''
DRF_VIEWSETS = '''
from django.views.decorators.csrf import csrf_exempt
from rest_framework import generics, mixins, views


class ViewSetMixin:
    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return csrf_exempt(cls)


class ViewSet(ViewSetMixin, views.APIView):
    pass


class GenericViewSet(ViewSetMixin, generics.GenericAPIView):
    pass


class ReadOnlyModelViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, GenericViewSet):
    pass


class ModelViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                   mixins.DestroyModelMixin, mixins.ListModelMixin, GenericViewSet):
    pass
'''


def test_vendored_drf_inherited_actions_are_its_mixins_methods(git_repo):
    git_repo.write("rest_framework/__init__.py", "")
    git_repo.write("rest_framework/mixins.py", DRF_MIXINS)
    git_repo.write("rest_framework/viewsets.py", DRF_VIEWSETS)
    repo = _project(git_repo, '''
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register(r"categories", views.CategoryViewSet)

urlpatterns = [path("", include(router.urls))]
''')
    assert table(repo.root) == [
        ("GET", "/api/categories/", "rest_framework.mixins.ListModelMixin.list"),
        ("GET", "/api/categories/<slug>/", "rest_framework.mixins.RetrieveModelMixin.retrieve"),
        ("GET", "/api/", None),
    ]
    found = api.endpoint("GET /api/categories/tea/", str(repo.root)).matches
    assert found[0].handler.qualname == "rest_framework.mixins.RetrieveModelMixin.retrieve"
