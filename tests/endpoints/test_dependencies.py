"""FastAPI dependencies: what runs before the handler is part of the endpoint's answer.

The applications are FastAPI's documentation examples ("Bigger Applications",
verbatim) and one that uses every way of naming a dependency: an app's, a
router's, an ``include_router`` call's and a decorator's
``dependencies=[...]`` (also a list imported by name), handler parameters
(``Depends(f)``, ``Annotated[T, Depends(f)]``, ``Security(f, scopes=...)``,
``Depends()`` naming the parameter's class), sub-dependencies of functions
and of a class's ``__init__``, and an instance whose ``__call__`` runs. The
expected dependencies are read from the route tables FastAPI builds when the
application is imported (in a subprocess), in the order FastAPI solves them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from codemap import api
from codemap.cli.main import cli

# FastAPI's dependants, flattened depth-first and deduplicated: what a request runs
_RUNTIME = r'''
import importlib, inspect, json, sys

app = importlib.import_module(sys.argv[1]).app
package = sys.argv[1].split(".")[0]


def name(call):
    if inspect.isfunction(call) or inspect.isclass(call):
        return f"{call.__module__}.{call.__qualname__}"
    return f"{type(call).__module__}.{type(call).__qualname__}.__call__"


def flat(dependant, out):
    for d in dependant.dependencies:
        if d.call is not None and name(d.call).startswith(package + ".") \
                and name(d.call) not in out:
            out.append(name(d.call))
        flat(d, out)
    return out


routes = {}
for r in app.routes:
    for c in (r.effective_route_contexts() if hasattr(r, "effective_route_contexts") else [r]):
        if hasattr(c, "dependant"):
            for m in sorted(c.methods):
                routes[f"{m} {c.path}"] = flat(c.dependant, [])
print(json.dumps(routes))
'''


def runtime_dependencies(root, module: str) -> dict[str, list[str]]:
    pytest.importorskip("fastapi")
    proc = subprocess.run([sys.executable, "-c", _RUNTIME, module], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def static_dependencies(root) -> dict[str, list[str]]:
    out = {}
    for e in api.endpoints(str(root)).endpoints:
        [m] = [m for m in api.endpoint(f"{e.method} {e.route}", str(root)).matches
               if m.route == e.route and m.method == e.method]
        out[f"{e.method} {e.route}"] = [d.qualname for d in m.dependencies]
    return out


def _bigger_application(git_repo) -> None:
    """docs/en/docs/tutorial/bigger-applications.md of FastAPI, file by file."""
    git_repo.write("app/__init__.py", "")
    git_repo.write("app/dependencies.py", '''from typing import Annotated

from fastapi import Header, HTTPException


async def get_token_header(x_token: Annotated[str, Header()]):
    if x_token != "fake-super-secret-token":
        raise HTTPException(status_code=400, detail="X-Token header invalid")


async def get_query_token(token: str):
    if token != "jessica":
        raise HTTPException(status_code=400, detail="No Jessica token provided")
''')
    git_repo.write("app/main.py", '''from fastapi import Depends, FastAPI

from .dependencies import get_query_token, get_token_header
from .internal import admin
from .routers import items, users

app = FastAPI(dependencies=[Depends(get_query_token)])


app.include_router(users.router)
app.include_router(items.router)
app.include_router(
    admin.router,
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(get_token_header)],
    responses={418: {"description": "I'm a teapot"}},
)


@app.get("/")
async def root():
    return {"message": "Hello Bigger Applications!"}
''')
    git_repo.write("app/routers/__init__.py", "")
    git_repo.write("app/routers/items.py", '''from fastapi import APIRouter, Depends, HTTPException

from ..dependencies import get_token_header

router = APIRouter(
    prefix="/items",
    tags=["items"],
    dependencies=[Depends(get_token_header)],
    responses={404: {"description": "Not found"}},
)


fake_items_db = {"plumbus": {"name": "Plumbus"}, "gun": {"name": "Portal Gun"}}


@router.get("/")
async def read_items():
    return fake_items_db


@router.get("/{item_id}")
async def read_item(item_id: str):
    if item_id not in fake_items_db:
        raise HTTPException(status_code=404, detail="Item not found")
    return {"name": fake_items_db[item_id]["name"], "item_id": item_id}


@router.put(
    "/{item_id}",
    tags=["custom"],
    responses={403: {"description": "Operation forbidden"}},
)
async def update_item(item_id: str):
    if item_id != "plumbus":
        raise HTTPException(
            status_code=403, detail="You can only update the item: plumbus"
        )
    return {"item_id": item_id, "name": "The great Plumbus"}
''')
    git_repo.write("app/routers/users.py", '''from fastapi import APIRouter

router = APIRouter()


@router.get("/users/", tags=["users"])
async def read_users():
    return [{"username": "Rick"}, {"username": "Morty"}]


@router.get("/users/me", tags=["users"])
async def read_user_me():
    return {"username": "fakecurrentuser"}


@router.get("/users/{username}", tags=["users"])
async def read_user(username: str):
    return {"username": username}
''')
    git_repo.write("app/internal/__init__.py", "")
    git_repo.write("app/internal/admin.py", '''from fastapi import APIRouter

router = APIRouter()


@router.post("/")
async def update_admin():
    return {"message": "Admin getting schwifty"}
''')
    git_repo.commit("bigger applications")


def test_bigger_applications_dependencies_match_fastapis_own(git_repo):
    _bigger_application(git_repo)
    static = static_dependencies(git_repo.root)
    assert static == runtime_dependencies(git_repo.root, "app.main")
    assert static["GET /items/{item_id}"] == ["app.dependencies.get_query_token",
                                              "app.dependencies.get_token_header"]
    assert static["GET /users/me"] == ["app.dependencies.get_query_token"]


def test_dependencies_are_in_the_json_answer_and_among_the_callees(git_repo):
    _bigger_application(git_repo)
    out = CliRunner().invoke(cli, ["endpoint", "GET /items/plumbus", "--repo",
                                   str(git_repo.root), "--json"])
    assert out.exit_code == 0, out.output
    [m] = json.loads(out.stdout)["matches"]
    assert m["handler"]["qualname"] == "app.routers.items.read_item"
    assert [d["name"] for d in m["dependencies"]] == ["get_query_token", "get_token_header"]
    assert {"get_query_token", "get_token_header"} <= {c["name"] for c in m["callees"]}
    assert set(m["dependencies"][0]) == {"id", "name", "qualname", "kind", "language", "path",
                                         "start_line", "end_line"}
    text = CliRunner().invoke(cli, ["endpoint", "GET /items/plumbus", "--repo",
                                    str(git_repo.root)])
    assert "-> app.dependencies.get_token_header" in text.stdout
    assert "runs first: app.dependencies.get_token_header  app/dependencies.py:" in text.stdout
    # the listing's JSON shape is unchanged
    listed = CliRunner().invoke(cli, ["endpoints", "--repo", str(git_repo.root), "--json"])
    assert all("dependencies" not in e for e in json.loads(listed.stdout)["endpoints"])


def _every_form(git_repo) -> None:
    git_repo.write("svc/__init__.py", "")
    git_repo.write("svc/db.py", "def open_session():\n    return object()\n")
    git_repo.write("svc/deps.py", '''from typing import Annotated

from fastapi import Depends, Header

from .db import open_session


def get_db():
    return open_session()


def current_user(db=Depends(get_db), token: Annotated[str, Header()] = ""):
    return lookup(db, token)


def lookup(db, token):
    return {"token": token}


def require_scope(user: Annotated[dict, Depends(current_user)]):
    return user


def audit():
    return 1


class Paging:
    def __init__(self, page: int = 1, trail=Depends(audit)):
        self.page = page


class RateLimit:
    def __init__(self, per_minute: int):
        self.per_minute = per_minute

    def __call__(self, db=Depends(get_db)):
        return True


limit = RateLimit(60)
COMMON = [Depends(limit)]
''')
    git_repo.write("svc/api.py", '''from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Security

from .deps import COMMON, Paging, current_user, require_scope

router = APIRouter(prefix="/orders", dependencies=COMMON)


@router.get("/{order_id}")
def read_order(order_id: int, user: Annotated[dict, Depends(current_user)]):
    return {"id": order_id, "user": user}


@router.get("/", dependencies=[Security(require_scope, scopes=["orders"])])
def list_orders(paging: Paging = Depends()):
    return []


def export_orders(paging: Annotated[Paging, Depends()]):
    return []


router.add_api_route("/export", export_orders, methods=["POST"])

app = FastAPI()
app.include_router(router)
''')
    git_repo.commit("dependencies")


def test_every_way_of_naming_a_dependency_matches_fastapis_own(git_repo):
    _every_form(git_repo)
    static = static_dependencies(git_repo.root)
    assert static == runtime_dependencies(git_repo.root, "svc.api")
    assert static["GET /orders/"] == [
        "svc.deps.RateLimit.__call__", "svc.deps.get_db", "svc.deps.require_scope",
        "svc.deps.current_user", "svc.deps.Paging", "svc.deps.audit"]
    [m] = api.endpoint("GET /orders/7", str(git_repo.root)).matches
    names = [c.name for c in m.callees]
    assert {"__call__", "get_db", "current_user", "lookup", "open_session"} <= set(names)


def test_an_edited_dependency_is_seen_on_the_next_answer(git_repo):
    _every_form(git_repo)
    before = [d.name for d in api.endpoint("POST /orders/export",
                                           str(git_repo.root)).matches[0].dependencies]
    assert before == ["__call__", "get_db", "Paging", "audit"]
    deps = (git_repo.root / "svc/deps.py").read_text()
    git_repo.write("svc/deps.py", deps.replace("trail=Depends(audit)",
                                               "trail=Depends(audit), who=Depends(current_user)"))
    git_repo.commit("paging knows who asks")
    after = [d.name for d in api.endpoint("POST /orders/export",
                                          str(git_repo.root)).matches[0].dependencies]
    assert after == ["__call__", "get_db", "Paging", "audit", "current_user"]


def test_the_tui_route_list_names_what_runs_first(git_repo):
    from codemap.tui.screens.endpoint import EndpointScreen

    _bigger_application(git_repo)
    [m] = api.endpoint("POST /admin/", str(git_repo.root)).matches
    prompt = EndpointScreen._route_prompt(None, m).plain  # type: ignore[arg-type]
    assert prompt.splitlines()[-1] == ("  ⇢ runs first: app.dependencies.get_query_token, "
                                       "app.dependencies.get_token_header")
