"""What a field test of ``codemap tour --markdown`` on bottle and boltons showed: a main
module was both an entry-point stop and a core-module stop; a test file's ``__main__``
block was listed as a main entry point; an owner of a few lines read "0%"; a module's
125-line docstring was pasted whole."""

from __future__ import annotations

from datetime import datetime, timezone

from codemap.repo import find_repo
from codemap.tour import build_tour
from codemap.tour.markdown import render_markdown
from tests.conftest import GitRepoBuilder

NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)

LONG_DOC = '"""The web framework.\n\n' + "".join(
    f"Paragraph line {i} about routing.\n" + ("\n" if i % 5 == 4 else "") for i in range(300)
) + '"""\n'

BOTTLE = LONG_DOC + '''
import sys


def route(path):
    return make(path)


def make(path):
    return path.strip("/")


def run(argv):
    return route(argv[0])


if __name__ == "__main__":
    run(sys.argv[1:])
'''

HELPERS = "from web import route, make\n\n\ndef helper():\n    return route('/x') + make('/y')\n"

TESTS = '''\
import unittest

from web import route


class RouteTest(unittest.TestCase):
    def test_route(self):
        self.assertEqual(route("/a/"), "a")


if __name__ == "__main__":
    unittest.main()
'''


def test_a_main_module_is_one_stop_and_a_test_main_no_main_entry(git_repo: GitRepoBuilder
                                                                  ) -> None:
    git_repo.write("web.py", BOTTLE)
    git_repo.write("helpers.py", HELPERS)
    git_repo.write("tests/test_web.py", TESTS)
    git_repo.commit("the framework", author="Ada Lane <ada@example.com>",
                    date="2026-10-01T10:00:00+00:00")
    git_repo.write("web.py", BOTTLE.replace("line 7 about routing.", "line 7 about routes."))
    git_repo.commit("a comment", author="Sam Rivera <sam@example.com>",
                    date="2026-10-02T10:00:00+00:00")
    result = build_tour(find_repo(git_repo.root), now=NOW)
    web_stops = [s for s in result.stops if s.path == "web.py" and
                 (s.symbol is None or s.symbol.kind == "module")]
    assert len(web_stops) == 1  # the entry point, not a second "Module web" stop
    mains = [ep for ep in result.entry_points if ep.kind == "main"]
    assert [ep.path for ep in mains] == ["web.py"]  # not tests/test_web.py
    assert any(ep.kind == "test" and ep.path == "tests/test_web.py"
               for ep in result.entry_points)
    text = render_markdown(result)
    assert "Paragraph line 299" not in text and "more lines in the source" in text
    assert "Sam Rivera (<1%)" in text and "(0%)" not in text


COMMAND = '''\
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Restock the shelves"

    def handle(self, *args, **options):
        return restock()


def restock():
    return 3
'''


def test_a_django_management_command_is_an_entry_point(git_repo: GitRepoBuilder) -> None:
    """``<app>/management/commands/<name>.py`` is ``manage.py <name>``: Django finds it by
    its file, no call registers it (found on a Django + DRF project)."""
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/management/__init__.py", "")
    git_repo.write("shop/management/commands/__init__.py", "")
    git_repo.write("shop/management/commands/restock.py", COMMAND)
    git_repo.write("shop/management/commands/_helpers.py", "def helper():\n    return 1\n")
    git_repo.commit("a command")
    result = build_tour(find_repo(git_repo.root), now=NOW)
    commands = [(ep.name, ep.symbol.qualname) for ep in result.entry_points if ep.kind == "cli"]
    assert commands == [("manage.py restock", "shop.management.commands.restock.Command.handle")]
