"""One hostile fixture repository that every hardening test reads.

Real parts only: git history made by ``git commit`` with chosen authors and
dates (author names and commit messages carrying escape sequences, C1
controls, Rich markup and invalid UTF-8), coverage data made by running
coverage.py on the fixture's own tests (with a hostile static context), a
crash trace made by running fixture code that raises (its message and its
file name hostile, the bytes written as Python produced them), a CODEOWNERS
file, a ``.codemap.toml`` with an unknown (hostile) key, Flask routes (one
with a hostile path), a second branch, a modified and an untracked file, and
a tracked file whose stat data is stale in ``.git/index`` (so any git
process that refreshes the index would rewrite it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CSI = "\x1b[31m"
OSC = "\x1b]0;pwned\x07"
CURSOR = "\x1b[2J\x1b[H\x1b[5A"
C1 = "\x9b31m\x85"
MARKUP = "[bold red]loud[/bold red] [link=http://x]click[/link]"
HOSTILE = f"{CSI}red {OSC}{CURSOR}{C1}{MARKUP}"
BAD_UTF8 = b"\xff\xfe\xc3("  # not UTF-8
# file names cannot hold "/", so they get a markup without a URL
NAME_HOSTILE = f"h{CSI}{OSC}{C1}[bold red]x"
EVIL_FILE = f"evil/{NAME_HOSTILE}.py"
BAD_FILE = b"evil/raw\xff\xfename.py"  # invalid UTF-8 in a file name

AUTHOR_NAME = f"Mallory {CSI}{OSC}{C1}[bold red]M[/bold red]"
ROUTE = f"/evil/{CSI}{OSC}{C1}[bold red]r"

# control characters and raw C1 bytes that must never reach a terminal
FORBIDDEN = {chr(c) for c in range(0x20) if chr(c) not in "\n\t\r"} | {"\x7f"} | {
    chr(c) for c in range(0x80, 0xA0)}

ORDERS = '''\
"""Orders: loading and totals."""

from evil.mod import boom


class OrderService:
    def __init__(self, store):
        self.store = store

    def handle(self, order_id):
        order = self.store.get(order_id)
        return total(order)


def total(order):
    return sum(item["price"] * item["qty"] for item in order["items"])


def load_order(order_id):
    if order_id < 0:
        boom()
    return {"id": order_id, "items": [{"price": 2, "qty": 3}]}
'''

ORDERS_V2 = ORDERS.replace('return {"id": order_id,', 'order = {"id": order_id,') + \
    "    return order\n"

WEB = f'''\
from flask import Flask

from shop.orders import OrderService, load_order

app = Flask(__name__)


@app.route("/orders/<int:order_id>")
def get_order(order_id):
    return OrderService({{}}).handle(load_order(order_id))


@app.route("/orders", methods=["POST"])
def create_order():
    return load_order(1)


@app.route("{ROUTE}")
def evil_route():
    return load_order(-1)
'''

MOD = f'''\
"""Code whose error message is hostile: {HOSTILE}"""


def boom():
    # {HOSTILE}
    raise ValueError("{HOSTILE.encode("unicode_escape").decode()}" + "\\udcff\\udcfe")


def helper():
    return boom()
'''

EVIL = '''\
from evil.mod import helper
from shop.web import app


def named():
    return helper()


@app.route("/hostile/<int:n>")
def hostile_handler(n):
    return named()


if __name__ == "__main__":
    named()
'''

TESTS = '''\
import unittest

from shop.orders import load_order, total


class TestOrders(unittest.TestCase):
    def test_total(self):
        self.assertEqual(total(load_order(1)), 6)


if __name__ == "__main__":
    unittest.main()
'''

CONFIG = '''\
max_file_size = 500000
"\\u001b]0;pwned\\u0007[bold red]key" = 1

[trace]
maps = { "/srv/app" = "." }

[generated]
patterns = ["gen/**"]
'''

CODEOWNERS = f"* @core-team\nshop/ @alice {CSI}@evil{OSC}\nevil/ [bold red]@mallory\n"

CRASH_RUNNER = '''\
import runpy, sys, traceback
sys.path.insert(0, sys.argv[1])
try:
    runpy.run_path(sys.argv[2], run_name="__main__")
except Exception:
    data = traceback.format_exc().encode("utf-8", "surrogateescape")
    sys.stderr.buffer.write(data)
    sys.exit(1)
'''


@dataclass(frozen=True)
class Fixture:
    root: Path  # the repository
    trace: Path  # the crash trace, outside the repository
    coverage: Path  # the coverage.py data (inside the repository, git-ignored)
    outside: Path  # a scratch directory outside the repository


def _git(root: Path, *args: str | bytes, env: dict[str, str] | None = None) -> bytes:
    full = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root.parent), **(env or {})}
    return subprocess.run(["git", *args], cwd=root, capture_output=True, env=full,
                          check=True).stdout


def _commit(root: Path, message: bytes, name: str | bytes, email: str, date: str) -> None:
    msg = root.parent / "message.txt"
    msg.write_bytes(message)
    _git(root, "add", "-A")
    _git(root, b"-c", b"user.name=" + (name if isinstance(name, bytes) else name.encode()),
         "-c", f"user.email={email}", "-c", "i18n.commitEncoding=UTF-8", "commit", "-q",
         "--allow-empty", "-F", str(msg), f"--date={date}",
         env={"GIT_COMMITTER_DATE": date})


def _write(root: Path, rel: str | bytes, text: str | bytes) -> None:
    path = Path(os.fsdecode(os.path.join(os.fsencode(root), os.fsencode(rel))))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)


def build_fixture(base: Path, *, config_warning: bool = True) -> Fixture:
    """Build the repository under ``base`` (about a second). Without ``config_warning``
    the ``.codemap.toml`` has no unknown key (so no command warns on stderr)."""
    root = base / "repo"
    outside = base / "outside"
    outside.mkdir(parents=True)
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "commit.gpgsign", "false")
    files: dict[str, str | bytes] = {
        ".gitignore": ".coverage\n__pycache__/\n",
        ".codemap.toml": CONFIG if config_warning else CONFIG.splitlines()[0] + "\n" +
        "\n".join(CONFIG.splitlines()[2:]) + "\n",
        ".github/CODEOWNERS": CODEOWNERS,
        "shop/__init__.py": "",
        "shop/orders.py": ORDERS,
        "evil/__init__.py": "",
        "evil/mod.py": MOD,
        "tests/__init__.py": "",
        "tests/test_orders.py": TESTS,
        "assets/logo.png": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 4,
    }
    for rel, text in files.items():
        _write(root, rel, text)
    _commit(root, b"Initial import\n", "Alice Able", "alice@example.com",
            "2025-10-01T10:00:00+00:00")
    _write(root, "shop/web.py", WEB)
    _write(root, EVIL_FILE, EVIL)
    _write(root, BAD_FILE, b"def raw_name():\n    return 1\n")
    _commit(root, f"Add the web app {HOSTILE}\n\nbody {HOSTILE}\n".encode() + BAD_UTF8 + b"\n",
            AUTHOR_NAME.encode() + BAD_UTF8, "mallory@example.com", "2025-11-01T10:00:00+00:00")
    _git(root, "branch", "feature")
    _write(root, "shop/orders.py", ORDERS_V2)
    _commit(root, f"Refactor load_order {OSC}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
            .encode(), "Bob Builder", "bob@example.com", "2025-12-01T10:00:00+00:00")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("COVERAGE_PROCESS_START", None)
    subprocess.run([sys.executable, "-m", "coverage", "run", f"--context={HOSTILE}",
                    "-m", "unittest", "tests.test_orders"], cwd=root, check=True, env=env,
                   capture_output=True)
    runner = base / "crash_runner.py"
    runner.write_text(CRASH_RUNNER)
    crash = subprocess.run([sys.executable, str(runner), str(root), str(root / EVIL_FILE)],
                           cwd=outside, capture_output=True, env=env)
    assert crash.returncode == 1 and b"\x1b]0;pwned\x07" in crash.stderr, crash.stderr
    assert b"\xed\xb3\xbf" not in crash.stderr and b"\xff" in crash.stderr
    trace = base / "crash.txt"
    trace.write_bytes(crash.stderr)
    # uncommitted work: a modified file and an untracked one
    _write(root, "notes.txt", f"todo {HOSTILE}\n")
    _write(root, "tests/test_orders.py", TESTS + "\n# more\n")
    # every file old, the index fresh, then one tracked file stat-dirty but unchanged:
    # a git process that refreshed the index would now rewrite .git/index
    old = time.time() - 3600
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            os.utime(os.path.join(dirpath, name), (old, old))
    _git(root, "update-index", "-q", "--refresh")
    later = old + 60
    os.utime(root / "shop" / "__init__.py", (later, later))
    return Fixture(root=root, trace=trace, coverage=root / ".coverage", outside=outside)
