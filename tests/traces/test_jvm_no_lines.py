"""A JVM frame of a build without line numbers (``javac -g:none``: ``(Unknown Source)``)
still names its method: it gets the one symbol of its file with that qualified name, and
none when overloads share it. Traces made by compiling and running Java."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder

SERVICE = """\
package org.example.app;

public class OrderService {
    public void placeOrder(String id) {
        throw new RuntimeException("order " + id + " failed");
    }

    public void cancel(String id) {
        cancel(id, 1);
    }

    public void cancel(String id, int times) {
        throw new IllegalStateException("cannot cancel " + id);
    }
}
"""

MAIN = """\
package org.example.app;

public class Main {
    public static void main(String[] args) {
        OrderService s = new OrderService();
        if (args.length > 0) {
            s.cancel("c-1");
        }
        s.placeOrder("o-1");
    }
}
"""


@pytest.mark.skipif(shutil.which("javac") is None, reason="needs a JDK")
def test_a_frame_without_a_line_takes_the_symbol_its_name_names(git_repo: GitRepoBuilder,
                                                                  tmp_path) -> None:
    src = "src/main/java/org/example/app"
    git_repo.write(f"{src}/OrderService.java", SERVICE)
    git_repo.write(f"{src}/Main.java", MAIN)
    git_repo.commit("orders")
    classes = tmp_path / "classes"
    subprocess.run(["javac", "-g:none", "-d", str(classes),
                    *(str(git_repo.root / src / n) for n in ("OrderService.java", "Main.java"))],
                   check=True)

    def frames(*args: str) -> dict[str, dict]:
        run = subprocess.run(["java", "-cp", str(classes), "org.example.app.Main", *args],
                             capture_output=True, text=True)
        assert "(Unknown Source)" in run.stderr
        out = CliRunner().invoke(cli, ["trace", "-", "--repo", str(git_repo.root), "--json"],
                                 input=run.stderr)
        assert out.exit_code == 0, out.output
        return {f["function"]: f for f in json.loads(out.output)["exceptions"][0]["frames"]
                if f["in_repo"]}

    placed = frames()
    order = placed["org.example.app.OrderService.placeOrder"]
    assert order.get("line") is None
    assert order["symbol"]["qualname"] == "org.example.app.OrderService.placeOrder"
    assert order["symbol_by"] == "name"
    assert placed["org.example.app.Main.main"]["symbol"]["qualname"] == "org.example.app.Main.main"
    cancelled = frames("cancel")
    assert cancelled["org.example.app.OrderService.cancel"].get("symbol") is None  # overloads
