"""A message ends where pytest's next section rule starts (``==== warnings summary ====``
after a --tb=native traceback), found on a Django project's test run. Output made by
running pytest."""

from __future__ import annotations

import os
import subprocess
import sys

from codemap import api
from tests.conftest import GitRepoBuilder

PRICES = "def price(discount):\n    return discount['kind']\n"

TESTS = """\
import warnings

from shop.prices import price


def test_price():
    warnings.warn("unordered results", UserWarning)
    price({})
"""


def test_a_section_rule_after_the_exception_is_not_its_message(git_repo: GitRepoBuilder
                                                                ) -> None:
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/prices.py", PRICES)
    git_repo.write("tests/test_prices.py", TESTS)
    git_repo.commit("prices")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                          "--tb=native", "tests"], cwd=git_repo.root, capture_output=True,
                         text=True, env=env)
    assert "warnings summary" in run.stdout and "KeyError: 'kind'" in run.stdout
    report = api.trace(run.stdout, str(git_repo.root))
    exc = report.exceptions[0]
    assert (exc.type, exc.message) == ("KeyError", "'kind'")
    assert [f.symbol.qualname for f in exc.frames if f.symbol][-1] == "shop.prices.price"
