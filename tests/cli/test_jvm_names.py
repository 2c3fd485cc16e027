"""SYMBOL arguments copied from JVM stack traces (binary names), and the "did you mean"
hint of a TARGET that names nothing (real Java 17 and Python sources, real commits)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder

JAVA = {
    "src/main/java/org/example/app/OrderService.java": '''package org.example.app;

public class OrderService {
    private final Repository repository = new Repository();

    void place(String id) {
        repository.save(id);
    }

    static class Repository {
        void save(String id) {
            if (id.isEmpty()) {
                throw new IllegalArgumentException("empty id");
            }
        }
    }
}
''',
    "src/main/java/org/example/app/Outer.java": '''package org.example.app;

public class Outer {
    class Inner {
        int lookup(String key) {
            return key.length();
        }
    }

    int runInner() {
        return new Inner().lookup("missing");
    }
}
''',
    "src/main/java/org/example/app/Account.java": '''package org.example.app;

public class Account {
    static final Account EMPTY = new Account(0);

    private final long balance;

    public Account(long balance) {
        this.balance = balance;
    }

    public Account(long balance, String currency) {
        this(balance);
        if (currency.isEmpty()) {
            throw new IllegalStateException("no currency");
        }
    }

    long balance() {
        return balance;
    }
}
''',
    "src/main/java/org/example/app/Wallet.java": '''package org.example.app;

import java.util.List;

public class Wallet {
    private final List<Account> accounts;

    Wallet(List<Account> accounts) {
        this.accounts = accounts;
    }

    public static void main(String[] args) {
        List<String> names = List.of(args);
        names.forEach(n -> System.out.println(n.length()));
    }
}
''',
}

COMPAT = '''"""Optional dependencies."""

try:
    import pygments
except ImportError:
    pygments = None

if pygments is not None:
    def pygments_css(style):
        return pygments.formatters.HtmlFormatter(style=style).get_style_defs(".highlight")
else:
    def pygments_css(style):
        return None
'''

VIEWS = '''def index(request):
    return "ok"
'''


@pytest.fixture
def java_repo(git_repo: GitRepoBuilder, tmp_path: Path, monkeypatch) -> Path:
    for rel, text in JAVA.items():
        git_repo.write(rel, text)
    javac = shutil.which("javac")
    if javac:  # the sources are real Java 17
        subprocess.run([javac, "--release", "17", "-d", str(tmp_path / "classes"),
                        *(str(git_repo.root / rel) for rel in JAVA)], check=True,
                       capture_output=True)
    git_repo.commit("app", author="Ann Archer <ann@example.com>", date="2024-03-01T10:00:00")
    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / "cache"))
    return git_repo.root


def _run(repo: Path, *args: str):
    return CliRunner().invoke(cli, [*args, "--repo", str(repo)])


@pytest.mark.parametrize(("name", "where"), [
    ("org.example.app.OrderService$Repository.save", "OrderService.java:11-15"),
    ("org.example.app.Outer$Inner.lookup", "Outer.java:5-7"),
    ("org.example.app.Account.<clinit>", "Account.java:3-22"),
    ("org.example.app.Wallet.<init>", "Wallet.java:8-10"),
    ("org.example.app.Wallet.lambda$main$0", "Wallet.java:12-15"),
    ("Outer$Inner.lookup", "Outer.java:5-7"),
])
def test_who_and_history_take_jvm_binary_names(java_repo, name, where):
    for command in ("who", "history"):
        result = _run(java_repo, command, name)
        assert result.exit_code == 0, (command, result.output)
        assert where in result.output, (command, result.output)


def test_the_call_graph_commands_take_jvm_binary_names(java_repo):
    """callers/callees answer for ``Outer$Inner.m`` what they answer for ``Outer.Inner.m``."""
    for command in ("callers", "callees"):
        binary = _run(java_repo, command, "org.example.app.OrderService$Repository.save")
        source = _run(java_repo, command, "org.example.app.OrderService.Repository.save")
        assert binary.exit_code == 0 and binary.output == source.output
        assert "OrderService.Repository.save" in binary.output


def test_init_names_the_constructors(java_repo):
    result = _run(java_repo, "who", "org.example.app.Account.<init>")
    assert result.exit_code == 2
    # two constructors: both offered, with their lines, nothing else
    assert "matches 2 symbols" in result.output
    assert "Account.java:8" in result.output and "Account.java:12" in result.output


def test_find_reads_jvm_binary_names(java_repo):
    result = _run(java_repo, "find", "Account.<init>", "--json")
    assert result.exit_code == 0, result.output
    top = [m["symbol"] for m in json.loads(result.stdout)["matches"][:2]]
    assert [(s["qualname"], s["start_line"]) for s in top] == [
        ("org.example.app.Account.Account", 8), ("org.example.app.Account.Account", 12)]
    result = _run(java_repo, "find", "OrderService$Repository", "--json")
    first = json.loads(result.stdout)["matches"][0]["symbol"]
    assert first["qualname"] == "org.example.app.OrderService.Repository"


@pytest.fixture
def py_repo(git_repo: GitRepoBuilder, tmp_path: Path, monkeypatch) -> Path:
    git_repo.write("rest/compat.py", COMPAT)
    git_repo.write("rest/__init__.py", "")
    git_repo.write("shop/views.py", VIEWS)
    git_repo.write("shop/__init__.py", "")
    git_repo.commit("project", author="Ann Archer <ann@example.com>", date="2024-03-01T10:00:00")
    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / "cache"))
    return git_repo.root


def test_suggestions_name_a_symbol_once(py_repo):
    result = _run(py_repo, "who", "compat.pygments_cs")
    assert result.exit_code == 2
    assert "did you mean" in result.output
    assert result.output.count("rest.compat.pygments_css") == 1, result.output


def test_path_like_target_suggests_files(py_repo):
    result = _run(py_repo, "history", "shop/vews.py")
    assert result.exit_code == 2
    hint = result.output.split("did you mean", 1)[1]
    assert hint.lstrip().startswith("shop/views.py"), result.output
