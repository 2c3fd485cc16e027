""".NET exceptions (``Exception.ToString()``): ``   at N.C.M(args) in /p/F.cs:line 42``.

Reference: .NET ``Exception.ToString`` docs (inner exceptions appear as
``Outer: msg ---> Inner: msg`` on the header, their frames first, each
closed by ``--- End of inner exception stack trace ---``); async frames
``<Method>d__N.MoveNext()`` and ``--- End of stack trace from previous
location ---`` (aelij/AsyncFriendlyStackTrace docs; dotnet/runtime#128723);
Mono's ``at T.M () [0x00000] in <file>:0``. Frames are printed innermost
first and reversed into call order. Exceptions are listed outermost first
(the header's order), each inner one with ``relation: "cause"``.
"""

from __future__ import annotations

import re

from codemap.traces.base import NameCheck, Parsed, TraceFormat, to_int
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix

START = r"\bat [\w.<>$`|\[\],+&*-][\w.<>$`|\[\],+ &*-]{0,500}\("

_FRAME = re.compile(
    r"^\s*at (?P<method>[^\s(][^(]*?) ?\((?P<args>[^()]*)\)(?: \[0x[0-9a-fA-F]+\])?"
    r"(?: in (?P<file>.+?):(?:line )?(?P<line>\d+))?\s*$"
)
_END_INNER = re.compile(r"^\s*--- End of inner exception stack trace ---\s*$")
_END_ASYNC = re.compile(r"^\s*--- (?:End of stack trace from previous location.*|"
                        r"Exception rethrown at .*) ---\s*$")
_HEADER = re.compile(
    r"^\s*(?:Unhandled [Ee]xception[.:]?\s*|\[ERROR\] FATAL UNHANDLED EXCEPTION:\s*)?"
    r"(?P<type>(?:[A-Za-z_][\w`]*\.)*[A-Za-z_][\w`]*(?:Exception|Error|Failure))(?::|\s*$)"
)
_LOOKBACK = 40
# what a JVM frame holds in its parentheses (a thread dump's ``java.base@17.0.15/Object.java:338``
# included): never a .NET argument list, so such a line is not a .NET frame
_JVM_SOURCE = re.compile(r"^(?:[\w$.-]+(?:@[\w.+-]*)?/)?(?:[\w$-]+\.(?:java|kt|scala|groovy)(?::\d+)?"
                         r"|Native Method|Unknown Source(?::\d+)?)$")


def _split_header(text: str) -> list[tuple[str | None, str | None]]:
    """``A: m1 ---> B: m2`` -> [(A, m1), (B, m2)], outermost first."""
    text = re.sub(r"^\s*(?:Unhandled [Ee]xception[.:]?\s*|\[ERROR\] FATAL UNHANDLED EXCEPTION:\s*)",
                  "", text)
    out: list[tuple[str | None, str | None]] = []
    for part in text.split(" ---> "):
        typ, sep, msg = part.partition(":")
        typ = typ.strip()
        if re.fullmatch(r"[\w.`+]+", typ):
            out.append((typ, msg.strip() if sep else None))
        else:
            out.append((None, part.strip() or None))
    return out


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    prefix = Prefix.learn(doc.lines[i], col)
    fm = _FRAME.match(prefix.strip(doc.lines[i]) if prefix else doc.lines[i])
    if fm is None or not (fm.group("file") or "." in fm.group("method")) or _JVM_SOURCE.match(
            fm.group("args")):
        return None
    first = i
    header_parts: list[str] = []
    k = i - 1
    while k >= max(floor, i - _LOOKBACK):
        line = prefix.strip(doc.lines[k]) if prefix else doc.lines[k]
        if not line.strip():
            break
        header_parts.append(line.strip())
        if _HEADER.match(line):
            first = k
            break
        k -= 1
    else:
        header_parts = []
    if first == i:
        header_parts = []
    chain = _split_header("\n".join(header_parts[::-1])) if header_parts else [(None, None)]
    groups: list[list[RawFrame]] = [[]]
    n = len(doc.lines)
    j = i
    end = i
    while j < n:
        raw = doc.lines[j]
        line = prefix.strip(raw) if prefix else raw
        m = _FRAME.match(line)
        if m:
            file = m.group("file")
            if file and file.startswith("<") and file.endswith(">"):
                file = None  # Mono's <filename unknown>, <a1b2...>
            frame = RawFrame(raw.rstrip(), file, to_int(m.group("line")), None,
                             m.group("method").strip())
            groups[-1].append(frame)
        elif _END_INNER.match(line):
            groups.append([])
        elif _END_ASYNC.match(line):
            pass
        else:
            break
        j += 1
        end = j
    # groups[0] belongs to the innermost exception, the last group to the outermost
    while len(chain) < len(groups):
        chain.append((None, None))
    exceptions: list[RawException] = []
    for depth, (etype, msg) in enumerate(chain):
        group_index = len(groups) - 1 - depth
        frames = groups[group_index][::-1] if group_index >= 0 else []
        exceptions.append(RawException(etype, msg, frames, "dotnet", "cause" if depth else None))
    if not any(e.frames for e in exceptions) or not any(
            f.file or "." in (f.function or "") for e in exceptions for f in e.frames):
        return None
    return Parsed(exceptions, first, max(end, i + 1))


_ASYNC_SM = re.compile(r"<(?P<name>[\w]+)>d__\d+")
_LOCAL_FN = re.compile(r">g__(?P<name>\w+?)\|")
_LAMBDA = re.compile(r"<(?P<name>\w+)>b__\d+")


def names(printed: str) -> NameCheck | None:
    """.NET method names, including compiler-generated async, local-function and lambda names."""
    text = re.sub(r"\[[^\]]*\]", "", printed)  # generic arguments M[T]
    m = _ASYNC_SM.search(text)
    if m:
        return NameCheck(names=(m.group("name"),))
    m = _LOCAL_FN.search(text)
    if m:
        return NameCheck(names=(m.group("name"),))
    m = _LAMBDA.search(text)
    if m:
        return NameCheck(names=(m.group("name"),), kinds=("lambda",))
    cls, _, method = text.rpartition(".")
    if method == "ctor" and cls.endswith("."):  # Foo..ctor
        simple = cls[:-1].rsplit(".", 1)[-1].split("`", 1)[0]
        return NameCheck(names=(simple, ".ctor", "constructor"), kinds=("class",))
    if method == "cctor" and cls.endswith("."):
        return NameCheck(kinds=("class",))
    if method.startswith(("get_", "set_")):
        method = method[4:]
    if not re.fullmatch(r"\w+", method or ""):
        return None
    simple = cls.rsplit(".", 1)[-1].split("`", 1)[0] if cls else ""
    return NameCheck(names=(method,), qualname_suffixes=(f"{simple}.{method}",) if simple else ())


def paths(frame: RawFrame) -> tuple[str, ...]:
    method = frame.function or ""
    if method.startswith(("System.", "Microsoft.")) and not frame.file:
        return ()
    return (frame.file,) if frame.file else ()


FORMAT = TraceFormat(
    name="dotnet", language="csharp", start=START, parse=parse, names=names, paths=paths,
    hints=(("at ", "(", ")"),),
    reference=".NET Exception.ToString docs; dotnet/runtime#128723",
)
