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
"""

from __future__ import annotations

import re

from codemap.traces.base import NameCheck, Parsed, TraceFormat, to_int
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix

_SRC = r"(?:[\w$.-]+(?::\d+)?|Native Method|Unknown Source(?::\d+)?|Compiled Code|Redefined)"
START = rf"\bat [\w$./@<>+-]+\({_SRC}\)"

_FRAME = re.compile(
    r"^(?P<indent>\s*)at (?:(?P<loader>[\w$.-]*(?:@[\w.+-]*)?)/(?:(?P<mod>[\w$.-]+(?:@[\w.+-]*)?)/)?)?"
    r"(?P<method>[\w$.<>+-]+)\((?P<src>[^()]*)\)(?P<tail>.*)$"
)
_SOURCE = re.compile(r"^(?P<file>[^:]+?)(?::(?P<line>\d+))?$")
_MORE = re.compile(r"^\s*\.\.\. (?P<n>\d+) (?:more|common frames omitted)\s*$")
_NESTED = re.compile(r"^(?P<indent>\s*)(?P<kind>Caused by|Suppressed|Wrapped by): (?P<rest>.*)$")
# (a message may span lines: "Exception in thread "main" a.B: first\nsecond")
_THREAD = re.compile(r'^\s*Exception in thread "(?P<thread>[^"]*)"\s+(?P<rest>.*)$', re.DOTALL)
_TYPE_MSG = re.compile(r"^(?P<type>[\w$]+(?:\.[\w$]+)*)(?::\s?(?P<msg>.*))?$", re.DOTALL)
_HEADER = re.compile(
    r"^\s*(?:Exception in thread \"[^\"]*\"\s+|Caused by: |Suppressed: )?"
    r"(?:(?:[a-z_$][\w$]*\.)+[\w$]+|[A-Z][\w$]*(?:Exception|Error|Throwable|Failure))(?::|\s*$)"
)
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


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    prefix = Prefix.learn(doc.lines[i], col)
    if _FRAME.match(prefix.strip(doc.lines[i]) if prefix else doc.lines[i]) is None:
        return None
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
