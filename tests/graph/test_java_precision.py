"""Java call-graph precision: overrides by arity, ``Outer.this``, and
receivers whose declared type is from outside the repository (field test on JDK sources).

Every fixture compiles with javac 17 as written.
"""

from __future__ import annotations

from tests.graph.conftest import line_edges

DISPATCH = {
    'src/main/java/com/acme/d/Sink.java': (
        'package com.acme.d;\n'
        '\n'
        'import java.util.concurrent.TimeUnit;\n'
        '\n'
        'public interface Sink {\n'
        '    boolean offer(Object e);\n'
        '    boolean offer(Object e, long timeout, TimeUnit unit);\n'
        '    void log(String fmt, Object... args);\n'
        '}\n'
    ),
    'src/main/java/com/acme/d/Sinks.java': (
        'package com.acme.d;\n'
        '\n'
        'import java.util.concurrent.TimeUnit;\n'
        '\n'
        'class MemSink implements Sink {\n'
        '    public boolean offer(Object e) { return true; }\n'
        '    public boolean offer(Object e, long timeout, TimeUnit unit) { return false; }\n'
        '    public void log(String fmt, Object... args) { }\n'
        '}\n'
        '\n'
        'class SlowSink implements Sink {\n'
        '    public boolean offer(Object e) { return true; }\n'
        '    public boolean offer(Object e, long timeout, TimeUnit unit) { return false; }\n'
        '    public void log(String fmt, Object... args) { }\n'
        '}\n'
        '\n'
        'abstract class Step {\n'
        '    void run() { step(1); }\n'
        '    abstract void step(int n);\n'
        '}\n'
        '\n'
        'class TwoStep extends Step {\n'
        '    void step(int n) { }\n'
        '    void step(int n, int m) { }\n'
        '}\n'
        '\n'
        'public class Sinks {\n'
        '    private final Sink sink = new MemSink();\n'
        '    void put() {\n'
        '        sink.offer("x");\n'
        '        sink.log("one");\n'
        '        sink.log("three", 1, 2);\n'
        '    }\n'
        '}\n'
    ),
}

QUALIFIED = {
    'src/main/java/com/acme/q/Outer.java': (
        'package com.acme.q;\n'
        '\n'
        'interface Greeter {\n'
        '    default String greet() { return "hi"; }\n'
        '}\n'
        '\n'
        'class Base {\n'
        '    String describe() { return "base"; }\n'
        '}\n'
        '\n'
        'class Other {\n'
        '    void put(int i, Object o) { }\n'
        '    String describe() { return "other"; }\n'
        '}\n'
        '\n'
        'public class Outer extends Base implements Greeter {\n'
        '    void put(int i, Object o) { }\n'
        '    String describe() { return "outer"; }\n'
        '    public String greet() { return Greeter.super.greet() + "!"; }\n'
        '\n'
        '    class In {\n'
        '        void go() { Outer.this.put(1, "y"); }\n'
        '        String self() { return Outer.this.describe(); }\n'
        '    }\n'
        '}\n'
    ),
}

FOREIGN = {
    'src/main/java/com/acme/util/Strings.java': (
        'package com.acme.util;\n'
        '\n'
        'public class Strings {\n'
        '    public String pad(String s) { return s; }\n'
        '}\n'
    ),
    'src/main/java/com/acme/f/Job.java': (
        'package com.acme.f;\n'
        '\n'
        'import com.acme.util.*;\n'
        'import java.util.List;\n'
        '\n'
        'public class Job implements Comparable<Job> {\n'
        '    private final String name;\n'
        '    private final List<Job> deps;\n'
        '    private final Helper helper = new Helper();\n'
        '    private Node head;\n'
        '\n'
        '    Job(String name, List<Job> deps) {\n'
        '        this.name = name;\n'
        '        this.deps = deps;\n'
        '    }\n'
        '\n'
        '    public int compareTo(Job other) {\n'
        '        return name.compareTo(other.name);\n'
        '    }\n'
        '\n'
        '    void waitFor() throws InterruptedException {\n'
        '        Thread t = new Thread(() -> { });\n'
        '        t.join();\n'
        '        deps.size();\n'
        '        helper.assist();\n'
        '        head.next();\n'
        '        Strings s = new Strings();\n'
        '        s.pad(name);\n'
        '    }\n'
        '\n'
        '    void join() { }\n'
        '\n'
        '    int size() { return 0; }\n'
        '\n'
        '    static class Node {\n'
        '        Node next() { return this; }\n'
        '    }\n'
        '}\n'
        '\n'
        'class Box<T extends Job> {\n'
        '    T item;\n'
        '\n'
        '    void run() { item.join(); }\n'
        '\n'
        '    static <K extends Job> void each(K k) { k.join(); }\n'
        '}\n'
    ),
    'src/main/java/com/acme/f/Helper.java': (
        'package com.acme.f;\n'
        '\n'
        'class Helper {\n'
        '    void assist() { }\n'
        '}\n'
    ),
}


def _edges(git_repo, files: dict[str, str]) -> set[tuple[str, str, int, str]]:
    for rel, text in files.items():
        git_repo.write(rel, text)
    git_repo.commit("fixture")
    return line_edges(str(git_repo.root))


def _callees(found: set[tuple[str, str, int, str]], caller: str) -> set[tuple[str, int, str]]:
    return {(callee, line, conf) for c, callee, line, conf in found if c == caller}


def test_override_dispatch_keeps_the_call_arity(git_repo) -> None:
    """``sink.offer(x)`` runs the one-argument ``offer`` of each implementation, never their
    three-argument overload; a varargs method takes one argument or several; a template
    method's bare ``step(1)`` reaches the one-argument override only."""
    found = _edges(git_repo, DISPATCH)
    put = _callees(found, "com.acme.d.Sinks.put")
    offers = {(callee, line) for callee, line, _conf in put if callee.endswith(".offer")}
    assert offers == {("com.acme.d.Sink.offer", 6), ("com.acme.d.MemSink.offer", 6),
                      ("com.acme.d.SlowSink.offer", 12)}
    assert ("com.acme.d.Sink.offer", 6, "exact") in put
    logs = {(callee, conf) for callee, _line, conf in put if callee.endswith(".log")}
    assert logs == {("com.acme.d.Sink.log", "exact"), ("com.acme.d.MemSink.log", "likely"),
                    ("com.acme.d.SlowSink.log", "likely")}
    steps = {(callee, line) for callee, line, _conf in _callees(found, "com.acme.d.Step.run")}
    assert steps == {("com.acme.d.Step.step", 19), ("com.acme.d.TwoStep.step", 23)}


def test_qualified_this_names_the_enclosing_class(git_repo) -> None:
    """``Outer.this.put(...)`` in an inner class is a call of Outer.put (not a guess among
    every ``put``), and so is ``Outer.this.describe()``; ``Greeter.super.greet()`` runs the
    interface's default method."""
    found = _edges(git_repo, QUALIFIED)
    assert _callees(found, "com.acme.q.Outer.In.go") == {("com.acme.q.Outer.put", 17, "exact")}
    assert _callees(found, "com.acme.q.Outer.In.self") == {
        ("com.acme.q.Outer.describe", 18, "exact")}
    assert _callees(found, "com.acme.q.Outer.greet") == {
        ("com.acme.q.Greeter.greet", 4, "exact")}


def test_a_declared_type_from_outside_the_repository_is_never_guessed(git_repo) -> None:
    """``Thread t; t.join()`` (java.lang: no import), a ``String`` field's ``compareTo`` and
    an imported ``List``'s ``size`` are the platform's: no guess among the repository's
    ``join`` / ``compareTo`` / ``size``. Same-package, nested and wildcard-imported classes
    of the repository still resolve, and a type parameter (``T``, ``<K extends Job>``)
    stays unknown: guessed by name as before."""
    found = _edges(git_repo, FOREIGN)
    assert _callees(found, "com.acme.f.Job.compareTo") == set()
    waits = _callees(found, "com.acme.f.Job.waitFor")
    assert {callee for callee, _line, _conf in waits} == {
        "com.acme.f.Helper.assist", "com.acme.f.Job.Node.next", "com.acme.util.Strings",
        "com.acme.util.Strings.pad"}
    assert all(conf == "exact" for _callee, _line, conf in waits)
    assert _callees(found, "com.acme.f.Box.run") == {("com.acme.f.Job.join", 31, "guess")}
    assert _callees(found, "com.acme.f.Box.each") == {("com.acme.f.Job.join", 31, "guess")}
