"""Defects found driving the UI on real projects (flaskr, immer 10.1.1, marshmallow).

* Endpoint mode opened a handler far down its file with the code view still
  at line 1: a resize callback scheduled while the placeholder was shown
  carried the old line and ran after the handler's source arrived.
* Tab-indented sources (immer) showed every tab as the escape ``\\x09`` in
  the code view and in the commit diff.
* A callee in the call tree was labelled with its own file and the *caller's*
  call-site line (``db.py:90`` for a file of 50 lines).
"""

from __future__ import annotations

import subprocess

from codemap.tui.launch import make_app
from codemap.tui.widgets.call_tree import CallTree
from codemap.tui.widgets.code_view import CodeView
from tests.conftest import GitRepoBuilder
from tests.tui.scenarios import app_on_trace, drive, settle


def _helpers(count: int) -> str:
    return "".join(f"def helper_{i}(value):\n    \"\"\"Step {i}.\"\"\"\n    return value + {i}\n\n\n"
                   for i in range(count))


FLASK_APP = '''\
from flask import Flask, abort

app = Flask(__name__)


{helpers}@app.route("/posts/<int:post_id>/update", methods=("GET", "POST"))
def update(post_id):
    post = helper_3(post_id)
    if post is None:
        abort(404)
    return str(post)
'''


async def test_endpoint_mode_scrolls_to_a_handler_far_down_its_file(git_repo: GitRepoBuilder):
    git_repo.write("blog/app.py", FLASK_APP.format(helpers=_helpers(40)))
    git_repo.commit("Blog app")
    handler_line = next(i for i, s in enumerate(
        (git_repo.root / "blog/app.py").read_text().splitlines(), 1) if s.startswith("@app.route"))
    assert handler_line > 150
    from codemap import api

    api.endpoints(str(git_repo.root))  # a warm index: the race needed the fast path
    app = make_app(str(git_repo.root), endpoint="POST /posts/7/update")
    async with app.run_test(size=(140, 35)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CallTree)
        assert tree.symbol.qualname == "blog.app.update"
        code = app.screen.query_one(CodeView)
        assert code.path == "blog/app.py" and code.target_line == handler_line
        top = int(code.scroll_y)
        assert top < handler_line <= top + code.size.height  # the handler is on screen


CART_V1 = "export function total(lines) {\n\tlet sum = 0\n\tfor (const l of lines) {\n" \
          "\t\tsum += l.qty * l.price\n\t}\n\treturn sum\n}\n"
CART_V2 = "export function total(lines) {\n\tlet sum = 0\n\tfor (const l of lines) {\n" \
          "\t\tsum += l.qty * l.price.amount\n\t}\n\treturn sum\n}\n"
MAIN = "import {total} from './cart.mjs'\n\nfunction checkout() {\n" \
       "\treturn total([{qty: 1, price: null}])\n}\n\ncheckout()\n"


async def test_tab_indented_source_and_diff_show_spaces_not_escapes(git_repo: GitRepoBuilder):
    git_repo.write("src/cart.mjs", CART_V1)
    git_repo.write("src/main.mjs", MAIN)
    git_repo.commit("Cart totals", author="Mia Web <mia@example.com>")
    git_repo.write("src/cart.mjs", CART_V2)
    git_repo.commit("Prices are money objects", author="Raj Ops <raj@example.com>")
    run = subprocess.run(["node", str(git_repo.root / "src/main.mjs")], capture_output=True,
                         text=True, timeout=60)
    assert "TypeError" in run.stderr
    app = app_on_trace(git_repo.root, run.stderr, git_repo.root.parent)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        code = app.screen.query_one(CodeView)
        assert code.path == "src/cart.mjs" and code.target_line == 4
        shown = code.render_line(code.target_line - 1 - int(code.scroll_y)).text
        assert "\\x09" not in shown and "sum += l.qty * l.price.amount" in shown
        screen = app.export_screenshot()
        assert "Prices&#160;are&#160;money&#160;objects" in screen  # the culprit's diff is shown
        assert "\\x09" not in screen


PKG_A = '''\
from pkg import b


def outer(x):
    """Padding so that the call sits below the end of b.py."""
    y = x * 2
    z = y + 1
    w = z - 3
    v = w * w
    u = v + y
    t = u - z
    s = t + w
    return b.inner(s)
'''
PKG_B = "def inner(value):\n    return value + 1\n"


async def test_callee_is_labelled_with_its_definition_not_the_call_site(
        git_repo: GitRepoBuilder):
    git_repo.write("pkg/__init__.py", "")
    git_repo.write("pkg/a.py", PKG_A)
    git_repo.write("pkg/b.py", PKG_B)
    git_repo.commit("Two modules")
    app = make_app(str(git_repo.root))
    async with app.run_test(size=(160, 40)) as pilot:
        await drive(pilot, ["slash", "type:outer", "enter"])
        callees = app.screen.query_one("#callees", CallTree)
        assert callees.symbol.qualname == "pkg.a.outer"
        labels = [str(n.label) for n in callees.root.children if n.data]
        assert any("inner" in lb and lb.endswith("pkg/b.py:1") for lb in labels), labels
        assert not any("pkg/b.py:13" in lb for lb in labels)
        await drive(pilot, ["slash", "type:inner", "enter"])
        callers = app.screen.query_one("#callers", CallTree)
        labels = [str(n.label) for n in callers.root.children if n.data]
        assert any(lb.endswith("pkg/a.py:13") for lb in labels), labels  # a caller: its call site

