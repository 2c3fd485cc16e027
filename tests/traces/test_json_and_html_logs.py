"""Traces inside structured logs and HTML, all made by running real code: JSON log lines
whose trace field has more fields after it, the HTML error pages of Werkzeug's debugger
and Django's technical 500 view, and a trace HTML-escaped the way log viewers show it.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from codemap import api
from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder

PARSE = '''\
def split_pair(text):
    key, value = text.split("=", 1)
    return key, value


def first(items):
    return items[0]
'''

JSON_LOGGER = '''\
import json
import logging
import sys

from shop.parse import first, split_pair


class JsonFormatter(logging.Formatter):
    def format(self, record):
        doc = {"level": record.levelname, "msg": record.getMessage()}
        if record.exc_info:
            doc["exc_info"] = self.formatException(record.exc_info)
        if record.getMessage() != "last":  # more fields after the trace
            doc.update(logger=record.name, line=record.lineno)
        return json.dumps(doc)


handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(JsonFormatter())
log = logging.getLogger("shop")
log.addHandler(handler)
for func, arg, msg in ((split_pair, "a", "more"), (first, [], "last"), (split_pair, "b", "x")):
    try:
        func(arg)
    except Exception:
        log.exception(msg)
'''

FLASK_APP = '''\
from flask import Flask, request
from werkzeug.debug import DebuggedApplication
from werkzeug.test import Client

from shop.parse import split_pair

app = Flask(__name__)


@app.route("/search")
def search():
    return split_pair(request.args["q"])[0]


app.config["PROPAGATE_EXCEPTIONS"] = True
page = Client(DebuggedApplication(app.wsgi_app, evalex=False)).get("/search?q=a&x=1")
print(page.get_data(as_text=True))
'''

DJANGO_APP = '''\
import sys

import django
from django.conf import settings

settings.configure(DEBUG=True, ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"], SECRET_KEY="x",
                   MIDDLEWARE=[], INSTALLED_APPS=[])
django.setup()
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402


def search(request):
    return request.GET["missing"]


urlpatterns = [path("search", search)]
page = Client(raise_request_exception=False).get("/search?q=a&x=1", HTTP_ACCEPT=sys.argv[1])
print(page.content.decode())
'''

RAISES = '''\
from shop.parse import split_pair


def handle(text):
    if "&" in text:
        raise ValueError("bad token &amp; in <div class=\\"q\\">" + text)
    return split_pair(text)


handle(__import__("sys").argv[1])
'''

UNPACK = "not enough values to unpack (expected 2, got 1)"


@pytest.fixture
def repo(git_repo: GitRepoBuilder) -> GitRepoBuilder:
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/parse.py", PARSE)
    git_repo.write("json_logger.py", JSON_LOGGER)
    git_repo.write("flask_app.py", FLASK_APP)
    git_repo.write("django_app.py", DJANGO_APP)
    git_repo.write("raises.py", RAISES)
    git_repo.commit("app")
    return git_repo


def _run(repo: GitRepoBuilder, *args: str, stderr: bool = True) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DJANGO", "FLASK"))}
    env.update(PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1")
    proc = subprocess.run([sys.executable, *args], cwd=repo.root, env=env, capture_output=True,
                          text=True, timeout=120)
    return proc.stdout + proc.stderr if stderr else proc.stdout


def _summary(repo: GitRepoBuilder, text: str) -> list[tuple]:
    """(type, message, the frames in the repository) of each exception."""
    return [(e.type, e.message, [(f.path, f.line, f.symbol.name if f.symbol else None)
                                 for f in e.frames if f.in_repo])
            for e in api.trace(text, str(repo.root)).exceptions]


def test_json_log_lines_with_fields_after_the_trace(repo: GitRepoBuilder) -> None:
    out = _run(repo, "json_logger.py")
    lines = out.splitlines()
    assert len(lines) == 3 and all(json.loads(line)["exc_info"] for line in lines)
    assert lines[1].endswith('"}') and lines[0].endswith("}") and '"logger"' in lines[0]
    unpack = [("json_logger.py", 24, "json_logger"), ("shop/parse.py", 2, "split_pair")]
    assert _summary(repo, out) == [
        ("ValueError", UNPACK, unpack),
        ("IndexError", "list index out of range",
         [("json_logger.py", 24, "json_logger"), ("shop/parse.py", 7, "first")]),
        ("ValueError", UNPACK, unpack),
    ]
    shown = CliRunner().invoke(cli, ["trace", "-", "--repo", str(repo.root)], input=lines[1])
    assert shown.exit_code == 0, shown.output
    assert not [line for line in shown.output.splitlines() if line.strip(" |") == "}"]


def test_werkzeug_debugger_page(repo: GitRepoBuilder) -> None:
    page = _run(repo, "flask_app.py", stderr=False)
    assert "&#34;" in page and "<textarea" in page  # the page escapes its copy of the trace
    expected = [("ValueError", UNPACK, [("flask_app.py", 12, "search"),
                                        ("shop/parse.py", 2, "split_pair")])]
    # the page shows the trace in its textarea and again, raw, in a comment: once here
    assert _summary(repo, page) == expected
    assert _summary(repo, page[:page.rindex("<!--")]) == expected  # the textarea alone


@pytest.mark.parametrize("accept", ["text/html", "text/plain"])
def test_django_technical_500_page(repo: GitRepoBuilder, accept: str) -> None:
    page = _run(repo, "django_app.py", accept, stderr=False)  # (stderr: Django's log)
    assert "Exception Type: MultiValueDictKeyError at /search" in page
    # Django names the KeyError behind it by its message only, in its chain line
    assert _summary(repo, page) == [
        (None, "'missing'", []),
        ("MultiValueDictKeyError", "'missing'", [("django_app.py", 14, "search")])]
    assert [e.relation for e in api.trace(page, str(repo.root)).exceptions] == [None, "context"]


def test_html_escaped_log_viewer(repo: GitRepoBuilder) -> None:
    """A log viewer's HTML: each line escaped, spaces as &nbsp;, lines joined by <br>."""
    trace = _run(repo, "raises.py", "a")
    assert "Traceback" in trace
    shown = "<br>\n".join(html.escape(line).replace("  ", "&nbsp;&nbsp;")
                          for line in trace.splitlines())
    page = f'<div class="log-entry"><span class="level">ERROR</span> {shown}</div>'
    assert "&quot;" in page
    expected = [("ValueError", UNPACK, [("raises.py", 10, "raises"), ("raises.py", 7, "handle"),
                                        ("shop/parse.py", 2, "split_pair")])]
    assert _summary(repo, trace) == expected
    assert _summary(repo, page) == expected
    assert _summary(repo, "<pre>" + html.escape(trace) + "</pre>") == expected
    # a plain trace keeps its own "&amp;" and "<div>": only escaped input is decoded
    trace = _run(repo, "raises.py", "&q")
    [(etype, message, frames)] = _summary(repo, trace)
    assert (etype, message) == ("ValueError", 'bad token &amp; in <div class="q">&q')
    assert frames == [("raises.py", 10, "raises"), ("raises.py", 6, "handle")]
    report = api.trace(trace, str(repo.root))
    assert [f.function for f in report.exceptions[0].frames] == ["<module>", "handle"]
