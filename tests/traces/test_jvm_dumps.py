"""JVM output that is not a plain ``printStackTrace``: thread dumps (``jstack``,
``jstack -l``), nested exceptions whose message spans lines, classes built
without debug information (``(Unknown Source)``).

Every trace here is printed by ``javac`` + ``java`` 17 (and ``jstack``) at test
time, from the sources below, in a temp dir; the sources are also committed to
a real git repository that the traces are mapped onto. Ground truth is the
``// @line: NAME`` marker on a source line, never codemap.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from codemap import api
from codemap.traces.detect import find_traces
from tests.conftest import GitRepoBuilder

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("javac", "java", "jstack")),
    reason="javac / java / jstack are not installed")

ROOT = "src/main/java/org/acme/hang"

SOURCES = {
    f"{ROOT}/Hang.java": """\
package org.acme.hang;

import java.util.concurrent.locks.ReentrantLock;

public class Hang {
    static final Object A = new Object();
    static final Object B = new Object();

    static void grab(Object first, Object second) {
        synchronized (first) {
            pause(300);
            synchronized (second) {
                // the JVM reports a thread blocked here on the block's first line
                System.out.println("never"); // @line: grab
            }
        }
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void waitForever() throws InterruptedException {
        Object lock = new Object();
        synchronized (lock) {
            System.out.println("ready");
            System.out.flush();
            lock.wait(); // @line: waitForever
        }
    }

    public static void main(String[] args) throws Exception {
        new Thread(() -> grab(A, B), "worker-1").start(); // @line: lambda1
        new Thread(() -> grab(B, A), "worker-2").start();
        ReentrantLock held = new ReentrantLock();
        held.lock();
        new Thread(held::lock, "parker").start();
        pause(900);
        waitForever(); // @line: main
    }
}
""",
    f"{ROOT}/Multi.java": """\
package org.acme.hang;

public class Multi {
    static void query() {
        throw new IllegalStateException("bad SQL\\nat line 3: SELECT *"); // @line: query
    }

    static void run() {
        try {
            query(); // @line: run
        } catch (IllegalStateException e) {
            throw new RuntimeException("request failed", e); // @line: rethrow
        }
    }

    public static void main(String[] args) {
        run(); // @line: multi-main
    }
}
""",
    f"{ROOT}/Nest.java": """\
package org.acme.hang;

public class Nest {
    static class R implements AutoCloseable {
        public void close() throws Exception {
            throw new Exception("close\\nsecond line of message"); // @line: close
        }
    }

    static void inner() throws Exception {
        try (R r = new R()) { // @line: inner-close
            throw new IllegalStateException("inner"); // @line: inner
        }
    }

    static void outer() {
        try {
            inner(); // @line: outer
        } catch (Exception e) {
            throw new RuntimeException("outer", e);
        }
    }

    public static void main(String[] args) {
        outer(); // @line: nest-main
    }
}
""",
    f"{ROOT}/Order.java": """\
package org.acme.hang;

public class Order {
    static void place(String id) {
        throw new RuntimeException("order " + id + " failed");
    }

    static class Inner {
        void go() {
            place("ord-1");
        }
    }

    public static void main(String[] args) {
        new Inner().go();
    }
}
""",
}


def _line(name: str) -> tuple[str, int]:
    """(repository path, line) of the ``// @line: name`` marker."""
    for rel, text in SOURCES.items():
        for k, line in enumerate(text.splitlines(), 1):
            if line.rstrip().endswith(f"// @line: {name}"):
                return rel, k
    raise AssertionError(name)


def _stderr_of(classes: Path, main: str) -> str:
    done = subprocess.run(["java", "-cp", str(classes), main], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and "Exception" in done.stderr, done.stderr
    return done.stderr


def _dumps(classes: Path) -> tuple[str, str]:
    """``jstack`` and ``jstack -l`` of a running Hang (deadlocked workers, a parked
    thread, main waiting on a monitor)."""
    proc = subprocess.Popen(["java", "-cp", str(classes), "org.acme.hang.Hang"],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        out = []
        for args in (["jstack"], ["jstack", "-l"]):
            done = subprocess.run([*args, str(proc.pid)], capture_output=True, text=True,
                                  timeout=60)
            assert done.returncode == 0 and "Full thread dump" in done.stdout, done.stderr
            out.append(done.stdout)
        return out[0], out[1]
    finally:
        proc.kill()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The repository, and every trace its code printed."""
    builder = GitRepoBuilder(tmp_path_factory.mktemp("jvm-dumps") / "repo")
    for rel, text in SOURCES.items():
        builder.write(rel, text)
    builder.commit("Add the hanging service", date="2026-01-05T10:00:00+00:00")
    work = tmp_path_factory.mktemp("jvm-build")
    files = [str(builder.root / rel) for rel in SOURCES]
    subprocess.run(["javac", "-d", str(work / "classes"), *files], check=True, timeout=120)
    subprocess.run(["javac", "-g:none", "-d", str(work / "bare"), *files], check=True,
                   timeout=120)
    jstack, jstack_l = _dumps(work / "classes")
    return {
        "repo": str(builder.root),
        "jstack": jstack,
        "jstack_l": jstack_l,
        "multi": _stderr_of(work / "classes", "org.acme.hang.Multi"),
        "nest": _stderr_of(work / "classes", "org.acme.hang.Nest"),
        "bare": _stderr_of(work / "bare", "org.acme.hang.Order"),
    }


_HEAD = re.compile(r'^"(?P<name>[^"]*)" ')


def _threads_with_frames(dump: str) -> list[str]:
    """Names of the dump's threads that print at least one frame (read with plain regexes)."""
    names: list[str] = []
    current = None
    for line in dump.split("Found one Java-level deadlock")[0].splitlines():
        m = _HEAD.match(line)
        if m:
            current = m.group("name")
        elif line.startswith("\tat ") and current is not None:
            names.append(current)
            current = None
    return names


def _thread(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(e for e in report["exceptions"] if e.get("thread") == name)


def _own(exc: dict[str, Any]) -> list[tuple[str, int]]:
    return [(f["path"], f["line"]) for f in exc["frames"] if f["in_repo"]]


@pytest.mark.parametrize("kind", ["jstack", "jstack_l"])
def test_a_thread_dump_is_one_jvm_trace_with_one_entry_per_thread(built, kind):
    dump = built[kind]
    traces = find_traces(dump)
    assert {t.format for t in traces} == {"jvm"}
    main = traces[0]
    assert [e.extras["thread"] for e in main.exceptions] == _threads_with_frames(dump)
    assert [e.relation for e in main.exceptions] == [None] + ["thread"] * (len(main.exceptions) - 1)
    report = api.trace(dump, built["repo"]).to_json()
    assert report["language"] == "java"
    waiting = _thread(report, "main")
    assert waiting["type"] == "java.lang.Thread.State: WAITING"
    assert waiting["message"].startswith('"main" #1 prio=5 ')
    assert waiting["state"] == "WAITING (on object monitor)"
    assert _own(waiting) == [_line("main"), _line("waitForever")]
    assert [f["symbol"]["qualname"] for f in waiting["frames"] if f["in_repo"]] == [
        "org.acme.hang.Hang.main", "org.acme.hang.Hang.waitForever"]
    # the JDK frames print their module: (java.base@17.0.15/Object.java:338)
    jdk = [f for f in waiting["frames"] if f["function"] == "java.lang.Object.wait"]
    assert jdk and all(not f["in_repo"] and f["jvm_module"].startswith("java.base@") for f in jdk)
    assert any(f["file"] == "Object.java" and f["line"] for f in jdk)


@pytest.mark.parametrize("kind", ["jstack", "jstack_l"])
def test_lock_lines_do_not_split_a_thread(built, kind):
    """``- locked <0x...>`` / ``- waiting to lock`` under a frame, ``jstack -l``'s
    ``Locked ownable synchronizers:`` after a thread: the stack stays whole."""
    report = api.trace(built[kind], built["repo"]).to_json()
    assert all(e["type"] is None or e["type"].startswith("java.lang.Thread.State: ")
               for e in report["exceptions"])
    worker = _thread(report, "worker-1")
    assert worker["type"] == "java.lang.Thread.State: BLOCKED"
    assert _own(worker) == [_line("lambda1"), _line("grab")]
    assert worker["frames"][0]["function"] == "java.lang.Thread.run"
    parker = _thread(report, "parker")
    assert parker["state"] == "WAITING (parking)" and parker["frames"][-1]["function"] == (
        "jdk.internal.misc.Unsafe.park")


def test_the_deadlock_report_lists_its_threads_marked(built):
    report = api.trace(built["jstack"], built["repo"]).to_json()
    marked = [e for e in report["exceptions"] if e.get("deadlocked")]
    assert sorted(e["thread"] for e in marked) == ["worker-1", "worker-2"]
    assert all(_own(e)[-1] == _line("grab") for e in marked)


def test_a_multi_line_cause_message_keeps_the_chain(built):
    report = api.trace(built["multi"], built["repo"]).to_json()
    outer, cause = report["exceptions"]
    assert (outer["type"], outer["message"]) == ("java.lang.RuntimeException", "request failed")
    assert cause["relation"] == "cause"
    assert (cause["type"], cause["message"]) == ("java.lang.IllegalStateException",
                                                 "bad SQL\nat line 3: SELECT *")
    # "... 1 more" (main) copied back from the enclosing trace
    assert _own(cause) == [_line("multi-main"), _line("run"), _line("query")]
    assert [f.get("repeated", False) for f in cause["frames"]] == [True, False, False]


def test_a_multi_line_suppressed_message_keeps_the_chain(built):
    report = api.trace(built["nest"], built["repo"]).to_json()
    assert [(e["type"], e.get("relation")) for e in report["exceptions"]] == [
        ("java.lang.RuntimeException", None), ("java.lang.IllegalStateException", "cause"),
        ("java.lang.Exception", "suppressed")]
    suppressed = report["exceptions"][2]
    assert suppressed["message"] == "close\nsecond line of message"
    assert _own(suppressed) == [_line("nest-main"), _line("outer"), _line("inner-close"),
                                _line("close")]


def test_unknown_source_frames_keep_class_and_method(built):
    """``javac -g:none``: no file, no line; the class still names the file."""
    report = api.trace(built["bare"], built["repo"]).to_json()
    (exc,) = report["exceptions"]
    own = [f for f in exc["frames"] if f["in_repo"]]
    assert [(f["function"], f["module"], f["path"], f["line"]) for f in own] == [
        ("org.acme.hang.Order.main", "org.acme.hang.Order", f"{ROOT}/Order.java", None),
        ("org.acme.hang.Order$Inner.go", "org.acme.hang.Order$Inner", f"{ROOT}/Order.java", None),
        ("org.acme.hang.Order.place", "org.acme.hang.Order", f"{ROOT}/Order.java", None)]
    assert all(f["raw"].endswith("(Unknown Source)") for f in own)
