"""JVM stack traces (Java, Kotlin, Scala, Groovy): ``\\tat pkg.Class.method(File.java:42)``.

Reference: OpenJDK ``Throwable.printStackTrace`` javadoc (``Caused by:``,
``Suppressed:`` one tab deeper, ``... N more`` = the last N frames of the
enclosing trace); logback's ``... N common frames omitted``. Frames are
printed innermost first; ``... N more`` frames are copied back from the
enclosing trace (marked ``"repeated": true``) and every exception is
reversed into call order. JVM frames name classes, not paths:
:func:`paths` turns ``com.acme.App$Inner`` + ``App.java`` into
``com/acme/App.java`` for the path mapper's suffix match; classes generated
at run time (lambda forms, CGLIB proxies) have no source. A throwable
printed with exactly 1024 frames was cut by the JVM
(``-XX:MaxJavaStackTraceDepth``): ``"truncated": true``.

Thread dumps (``jstack``, ``kill -3``; HotSpot's ``JavaThread::print_stack_on``)
print ``"name" #1 prio=5 ...``, ``java.lang.Thread.State: WAITING``, frames
naming the module inside the parentheses (``(java.base@17.0.15/Object.java:338)``)
and monitor lines (``- locked <0x...>``) under them: each thread with frames is
one exception (type: its state, message: its header line), like a goroutine dump.
"""

from __future__ import annotations

import re

from codemap.traces.base import NameCheck, Parsed, TraceFormat, to_int
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix

# a thread dump (jstack, ``kill -3``) names the module inside the parentheses:
# ``java.lang.Object.wait(java.base@17.0.15/Object.java:338)``
_SRC = (r"(?:[\w$.-]+(?:@[\w.+-]*)?/)?"
        r"(?:[\w$.-]+(?::\d+)?|Native Method|Unknown Source(?::\d+)?|Compiled Code|Redefined)")
START = rf"\bat [\w$./@<>+-]+\({_SRC}\)"

_FRAME = re.compile(
    r"^(?P<indent>\s*)at (?:(?P<loader>[\w$.-]*(?:@[\w.+-]*)?)/(?:(?P<mod>[\w$.-]+(?:@[\w.+-]*)?)/)?)?"
    r"(?P<method>[\w$.<>+-]+)\((?P<src>[^()]*)\)(?P<tail>.*)$"
)
_SOURCE = re.compile(r"^(?:(?P<mod>[\w$.-]+(?:@[\w.+-]*)?)/)?(?P<file>[^:]+?)(?::(?P<line>\d+))?$")
_MORE = re.compile(r"^\s*\.\.\. (?P<n>\d+) (?:more|common frames omitted)\s*$")
_NESTED = re.compile(r"^(?P<indent>\s*)(?P<kind>Caused by|Suppressed|Wrapped by): (?P<rest>.*)$")
# (a message may span lines: "Exception in thread "main" a.B: first\nsecond")
_THREAD = re.compile(r'^\s*Exception in thread "(?P<thread>[^"]*)"\s+(?P<rest>.*)$', re.DOTALL)
_TYPE_MSG = re.compile(r"^(?P<type>[\w$]+(?:\.[\w$]+)*)(?::\s?(?P<msg>.*))?$", re.DOTALL)
_HEADER = re.compile(
    r"^\s*(?:Exception in thread \"[^\"]*\"\s+|Caused by: |Suppressed: )?"
    r"(?:(?:[a-z_$][\w$]*\.)+[\w$]+|[A-Z][\w$]*(?:Exception|Error|Throwable|Failure))(?::|\s*$)"
)
# what a thread dump prints under a frame (monitors held or waited for): not frames
_LOCK = re.compile(r"^\s*- (?:locked|waiting on|waiting to lock|waiting to re-lock|parking to wait for"
                   r"|eliminated)\b")
# a thread dump's thread header: ``"main" #1 prio=5 os_prio=0 ... tid=0x... nid=0x...``
# (JDK >= 19: ``"main" #1 [4242] prio=5``; its deadlock report: ``"worker-1":``)
_THREAD_HEAD = re.compile(
    r'^\s*"(?P<name>.*)"(?P<rest>(?:\s+(?:#(?P<number>\d+)|daemon|\[\d+\]))*'
    r"\s+(?:prio|os_prio|cpu|elapsed|tid|nid)=.*|:)\s*$")
_STATE = re.compile(r"^\s*java\.lang\.Thread\.State: (?P<state>\S.*?)\s*$")
_CARRYING = re.compile(r"^\s+Carrying virtual thread #\d+\s*$")  # JDK >= 21
# between two threads of a dump: blank lines, ``jstack -l``'s lock lists, compiler threads' tasks
_BETWEEN = re.compile(r"^\s*$|^\s+(?:Locked ownable synchronizers:|- |No compile task|Compiling: )")
_DEADLOCK = re.compile(r"^\s*Java stack information for the threads listed above:")
_LOOKBACK = 40
# Methods javac adds to every enum; their frames print the enum declaration's line.
ENUM_SYNTHETIC = frozenset({"valueOf", "values", "$values"})
MAX_REPEATED = 1024  # the JVM prints at most 1024 frames per throwable by default

# Packages of the JVM itself and of language runtimes: never repository code.
RUNTIME_PACKAGES = ("java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.coroutines.",
                    "scala.", "groovy.", "org.codehaus.groovy.", "worker.org.gradle.")
# Classes generated at run time around the repository's own (no source file holds their
# code, they print no line; the real method's frame is printed next to theirs): the JDK's
# lambda forms (Main$$Lambda$14/0x...), Spring's CGLIB proxies (Foo$$SpringCGLIB$$0,
# Foo$$EnhancerBySpringCGLIB$$5f3e), Hibernate, ByteBuddy and Mockito subclasses.
# (Scala's Foo$$anonfun$1 and Kotlin's $$inlined$ classes are source code with lines.)
GENERATED_CLASS_MARKERS = ("$$Lambda", "$$EnhancerBy", "$$SpringCGLIB$$", "$$FastClassBy",
                           "$HibernateProxy$", "$ByteBuddy$", "$MockitoMock$")


def _split(type_msg: str) -> tuple[str | None, str | None]:
    m = _TYPE_MSG.match(type_msg.strip())
    if m is None:
        return None, type_msg.strip() or None
    return m.group("type"), m.group("msg")


def _frame(m: re.Match[str], raw: str) -> RawFrame:
    method = m.group("method")
    cls, _, name = method.rpartition(".")
    src = _SOURCE.match(m.group("src"))
    file = line = None
    if src and "." in src.group("file") and " " not in src.group("file"):
        file, line = src.group("file"), to_int(src.group("line"))
    elif src:
        line = to_int(src.group("line"))
    frame = RawFrame(raw.rstrip(), file, line, None, method, module=cls or None)
    if m.group("mod"):
        frame.extras["jvm_module"] = m.group("mod")
    elif src and src.group("mod"):  # a thread dump's (java.base@17.0.15/Object.java:338)
        frame.extras["jvm_module"] = src.group("mod")
    elif m.group("loader") and m.group("loader") not in ("app", ""):
        frame.extras["jvm_module"] = m.group("loader")
    return frame


def _indent(text: str) -> int:
    return len(text.expandtabs(8)) - len(text.expandtabs(8).lstrip())


def _header(doc: Doc, i: int, floor: int, prefix: Prefix | None) -> tuple[int, str, int]:
    """(first line, header text, indent) of the exception whose first frame is line ``i``."""
    cont: list[str] = []
    k = i - 1
    while k >= max(floor, i - _LOOKBACK):
        line = prefix.strip(doc.lines[k]) if prefix else doc.lines[k]
        if not line.strip():
            break
        if _HEADER.match(line):
            text = "\n".join([line.strip(), *cont[::-1]])
            return k, text, _indent(line)
        cont.append(line)
        k -= 1
    return i, "", 0


class _Exc:
    __slots__ = ("exc", "indent", "printed", "enclosing")

    def __init__(self, exc: RawException, indent: int, enclosing: _Exc | None) -> None:
        self.exc = exc
        self.indent = indent
        self.printed: list[RawFrame] = []  # innermost first, as printed
        self.enclosing = enclosing


def _new(header: str, relation: str | None, indent: int, enclosing: _Exc | None) -> _Exc:
    thread = None
    tm = _THREAD.match(header)
    if tm:
        thread, header = tm.group("thread"), tm.group("rest")
    etype, msg = _split(header)
    exc = RawException(etype, msg, [], "jvm", relation)
    if thread is not None:
        exc.extras["thread"] = thread
    return _Exc(exc, indent, enclosing)


def _line(doc: Doc, k: int, prefix: Prefix | None) -> str:
    return prefix.strip(doc.lines[k]) if prefix else doc.lines[k]


def _continued(doc: Doc, j: int, prefix: Prefix | None) -> int:
    """How many lines from ``j`` continue a nested header's multi-line message: the lines
    up to the next frame (or ``... N more``); 0 when none follows within reach."""
    n = len(doc.lines)
    for k in range(j, min(n, j + _LOOKBACK)):
        line = _line(doc, k, prefix)
        if not line.strip():
            return 0
        fm = _FRAME.match(line)
        if fm and not fm.group("tail").strip().startswith(("(", ":")) or _MORE.match(line):
            return k - j
    return 0


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    prefix = Prefix.learn(doc.lines[i], col)
    if _FRAME.match(prefix.strip(doc.lines[i]) if prefix else doc.lines[i]) is None:
        return None
    head = _thread_head(doc, i, floor, prefix)
    if head is not None:
        return _dump(doc, i, head, prefix)
    first, header, h_indent = _header(doc, i, floor, prefix)
    top = _new(header, None, h_indent, None)
    every = [top]
    stack = [top]
    n = len(doc.lines)
    j = i
    end = i
    budget = MAX_REPEATED * 20  # "... N more" copies per trace: output stays linear in input
    while j < n:
        raw = doc.lines[j]
        line = prefix.strip(raw) if prefix else raw
        fm = _FRAME.match(line)
        if fm and not fm.group("tail").strip().startswith(("(", ":")):
            stack[-1].printed.append(_frame(fm, raw))
        elif _LOCK.match(line):
            pass
        elif (more := _MORE.match(line)) is not None:
            cur = stack[-1]
            count = int(more.group("n")) if len(more.group("n")) < 7 else 0
            if cur.enclosing is not None and 0 < count <= MAX_REPEATED and budget > 0:
                budget -= count
                for f in cur.enclosing.printed[-count:]:
                    copy = RawFrame(f.raw, f.file, f.line, f.column, f.function, f.module,
                                    extras={**f.extras, "repeated": True})
                    cur.printed.append(copy)
        elif (nested := _NESTED.match(line)) is not None:
            indent = _indent(nested.group("indent"))
            kind = nested.group("kind")
            if kind == "Suppressed":
                while len(stack) > 1 and stack[-1].indent >= indent:
                    stack.pop()
                enclosing = stack[-1]
                item = _new(nested.group("rest"), "suppressed", indent, enclosing)
                stack.append(item)
            else:
                while len(stack) > 1 and stack[-1].indent > indent:
                    stack.pop()
                enclosing = stack[-1]
                item = _new(nested.group("rest"), "cause", indent, enclosing)
                stack[-1] = item
            every.append(item)
            # a multi-line message ("Caused by: a.B: first" then "second"): its lines run
            # up to the nested exception's first frame
            extra = _continued(doc, j + 1, prefix)
            if extra:
                text = "\n".join([nested.group("rest"),
                                  *(_line(doc, k, prefix).rstrip() for k in range(j + 1, j + 1 + extra))])
                item.exc.type, item.exc.message = _split(text)
                j += extra
        else:
            break
        j += 1
        end = j
    for item in every:
        item.exc.frames = item.printed[::-1]
        if sum(1 for f in item.printed if not f.extras.get("repeated")) == MAX_REPEATED:
            # the JVM stopped printing (-XX:MaxJavaStackTraceDepth): the outermost callers,
            # main or Thread.run, are missing (a StackOverflowError always hits this)
            item.exc.extras["truncated"] = True
    exceptions = [item.exc for item in every]
    if not any(e.frames for e in exceptions):
        return None
    return Parsed(exceptions, first, max(end, i + 1))


def _thread_head(doc: Doc, i: int, floor: int, prefix: Prefix | None
                 ) -> tuple[int, re.Match[str], str | None] | None:
    """(line, match, state) of the thread-dump header above the frame at line ``i``."""
    k = i - 1
    if k >= floor and _CARRYING.match(_line(doc, k, prefix)):
        k -= 1
    state = None
    if k >= floor and (sm := _STATE.match(_line(doc, k, prefix))) is not None:
        state, k = sm.group("state"), k - 1
    if k >= floor and (hm := _THREAD_HEAD.match(_line(doc, k, prefix))) is not None:
        return k, hm, state
    return None


def _thread(head: re.Match[str], state: str | None, frames: list[RawFrame],
            relation: str | None) -> RawException:
    """One thread of a dump as an exception: its state as the type, its header as the message."""
    word = state.split(None, 1)[0] if state else None
    exc = RawException(f"java.lang.Thread.State: {word}" if word else None,
                       head.group(0).strip(), frames[::-1], "jvm", relation)
    exc.extras["thread"] = head.group("name")
    if state:
        exc.extras["state"] = state
    if head.group("number") and len(head.group("number")) < 10:
        exc.extras["thread_number"] = int(head.group("number"))
    if re.search(r"\sdaemon\b", head.group("rest")):
        exc.extras["daemon"] = True
    return exc


def _dump(doc: Doc, i: int, head: tuple[int, re.Match[str], str | None],
          prefix: Prefix | None) -> Parsed | None:
    """A thread dump (``jstack``, ``kill -3``) from the first frame at line ``i``: one
    exception per thread that has frames, in the dump's order (like a goroutine dump),
    the later ones with relation ``thread``. Threads without frames (the JVM's own:
    compiler, GC, signal dispatcher) are read past."""
    first, hm, state = head
    n = len(doc.lines)
    exceptions: list[RawException] = []
    deadlock = first >= 2 and bool(_DEADLOCK.match(_line(doc, first - 2, prefix)))
    j = end = i
    while True:
        printed: list[RawFrame] = []
        while j < n:
            raw = doc.lines[j]
            line = prefix.strip(raw) if prefix else raw
            fm = _FRAME.match(line)
            if fm and not fm.group("tail").strip().startswith(("(", ":")):
                printed.append(_frame(fm, raw))
            elif not _LOCK.match(line):
                break
            j += 1
        if printed:
            exc = _thread(hm, state, printed, "thread" if exceptions else None)
            if deadlock:
                exc.extras["deadlocked"] = True
            exceptions.append(exc)
            end = j
        nxt = None
        while j < n and len(doc.lines[j]) <= 20_000:
            line = _line(doc, j, prefix)
            if (m := _THREAD_HEAD.match(line)) is not None:
                j += 1
                if j < n and (sm := _STATE.match(_line(doc, j, prefix))) is not None:
                    nxt, j = (m, sm.group("state")), j + 1
                else:
                    nxt = (m, None)
                if j < n and _CARRYING.match(_line(doc, j, prefix)):
                    j += 1
                break
            if not _BETWEEN.match(line):
                break
            j += 1
        if nxt is None:
            break
        hm, state = nxt
        end = max(end, j)
    if not exceptions:
        return None
    return Parsed(exceptions, first, max(end, i + 1))


_LAMBDA = re.compile(r"^lambda\$(?P<outer>[\w$]+?)\$\d+$")
_ANONFUN = re.compile(r"^\$anonfun\$(?P<outer>\w+?)\$\d+")


def _simple(cls: str) -> str:
    return cls.rsplit(".", 1)[-1].split("$", 1)[-1].rsplit("$", 1)[-1]


def names(printed: str) -> NameCheck | None:
    """JVM method names: ``<init>``, ``lambda$main$0``, ``Outer$Inner.m``, Kotlin/Scala lifts."""
    cls, _, method = printed.rpartition(".")
    simple = _simple(cls) if cls else ""
    if method == "<init>":
        return NameCheck(names=(simple, "<init>", "constructor", "init"), kinds=("class",))
    if method == "<clinit>":
        return NameCheck(kinds=("class",))
    lm = _LAMBDA.match(method) or _ANONFUN.match(method)
    if lm:
        outer = lm.group("outer")
        # javac names a lambda after its enclosing method, "new" in a constructor or an
        # instance field's initialiser, "static" in a static initialiser or field
        if outer == "new":
            return NameCheck(names=(simple, "<init>"), kinds=("lambda", "class"))
        if outer == "static":
            return NameCheck(kinds=("lambda", "class"))
        return NameCheck(names=(outer,), kinds=("lambda",))
    if method.startswith("access$"):
        method = method[7:]
    if method in ("invoke", "invokeSuspend", "run", "call", "apply", "accept") and "$" in cls:
        # a lambda or coroutine class: Foo$bar$1.invokeSuspend -> bar
        parts = [p for p in cls.rsplit(".", 1)[-1].split("$")[1:] if p and not p.isdigit()]
        outer = parts[-1] if parts else None
        return NameCheck(names=(method,) + ((outer,) if outer else ()), kinds=("lambda",))
    if "$" in method:
        method = method.split("$", 1)[0] or method
    if re.search(r"\$\d+(?:\$|$)", cls):
        # a method of an anonymous class: the enclosing method's name is not printed
        return NameCheck(names=(method,), kinds=("method", "function", "lambda", "class"))
    if not method:
        return None
    suffix = f"{simple}.{method}" if simple and not simple.isdigit() else method
    if method in ENUM_SYNTHETIC and "." in cls:
        # javac writes these for every enum, on the enum declaration's line: the class
        return NameCheck(names=(method,), qualname_suffixes=(suffix, cls.replace("$", ".")))
    return NameCheck(names=(method,), qualname_suffixes=(suffix,))


def paths(frame: RawFrame) -> tuple[str, ...]:
    """``com/acme/App.java`` for ``com.acme.App$Inner`` in ``App.java``; () for the JDK."""
    cls = frame.module or ""
    if frame.extras.get("jvm_module", "").startswith(("java.", "jdk.")) or cls.startswith(
            RUNTIME_PACKAGES):
        return ()
    if frame.line is None and ("(<generated>)" in frame.raw
                               or any(marker in cls for marker in GENERATED_CLASS_MARKERS)):
        return ()
    pkg, _, simple = cls.rpartition(".")
    directory = pkg.replace(".", "/")
    outer = simple.split("$", 1)[0]
    if frame.file:
        names_ = [frame.file]
    elif outer:
        names_ = [f"{outer}.java", f"{outer}.kt", f"{outer}.scala"]
    else:
        return ()
    return tuple(f"{directory}/{name}" if directory else name for name in names_)


FORMAT = TraceFormat(
    name="jvm", language="java", start=START, parse=parse, names=names, paths=paths,
    hints=(("at ", "(", ")"),),
    reference="OpenJDK Throwable.printStackTrace javadoc",
)
