"""Go panics and goroutine dumps.

Reference: Go ``runtime/traceback.go`` (``goroutine N [state]:``, a
function line then ``\\tfile:line +0xoff``, ``created by f in goroutine N``);
panicparse (Go >= 1.17 dumps). Each goroutine becomes one exception (the
first carries the panic message), its frames reversed into call order so
``created by`` comes first. Function lines name the package path
(``example.com/mod/pkg.(*T).M``): :func:`paths` offers it to the path
mapper besides the printed file path.
"""

from __future__ import annotations

import re

from codemap.traces.base import NameCheck, Parsed, TraceFormat, to_int
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix

START = r"(?:^|\s)goroutine \d+ \[[^\]]*\]:\s*$"

_GOROUTINE = re.compile(r"^\s*goroutine (?P<id>\d+) \[(?P<state>[^\]]*)\]:\s*$")
_FUNC = re.compile(r"^(?P<func>\S[^\s(]*(?:\([^()]*\)[^\s(]*)*)\((?P<args>.*)\)\s*$")
_CREATED = re.compile(r"^created by (?P<func>\S+)(?: in goroutine (?P<parent>\d+))?\s*$")
_LOCATION = re.compile(r"^\s+(?P<file>\S.*?):(?P<line>\d+)(?: \+0x[0-9a-fA-F]+)?(?: fp=.*)?\s*$")
_PANIC = re.compile(r"^\s*(?P<kind>panic|fatal error): (?P<msg>.*)$")
_ELIDED = re.compile(r"^\s*\.\.\.(?:additional frames elided|\d+ frames elided)\.\.\.\s*$")
_LOOKBACK = 40


def _panic(doc: Doc, i: int, floor: int, prefix: Prefix | None) -> tuple[str | None, str | None, int]:
    k = i - 1
    found: tuple[str | None, str | None, int] = (None, None, i)
    while k >= max(floor, i - _LOOKBACK):
        line = prefix.strip(doc.lines[k]) if prefix else doc.lines[k]
        m = _PANIC.match(line)
        if m:
            msg = m.group("msg")
            found = (m.group("kind"), msg, k)  # keep looking: "panic: a [recovered]" chains
        elif found[0] is not None and not line.strip():
            break
        k -= 1
    return found


def _goroutine(doc: Doc, j: int, prefix: Prefix | None) -> tuple[list[RawFrame], int]:
    """Frames (printed order) of the goroutine whose header is line ``j - 1``."""
    frames: list[RawFrame] = []
    n = len(doc.lines)
    while j < n:
        raw = doc.lines[j]
        line = prefix.strip(raw) if prefix else raw
        stripped = line.strip()
        if _ELIDED.match(line):
            j += 1
            continue
        cm = _CREATED.match(stripped)
        fm = None if cm else _FUNC.match(stripped)
        if (cm or fm) and not line[:1].isspace() or (cm or fm) and j + 1 < n and _LOCATION.match(
                prefix.strip(doc.lines[j + 1]) if prefix else doc.lines[j + 1]):
            func = (cm or fm).group("func")  # type: ignore[union-attr]
            frame = RawFrame(raw.rstrip(), None, None, None, func)
            if cm:
                frame.extras["created_by"] = True
            pkg = _package(func)
            if pkg:
                frame.module = pkg
            j += 1
            if j < n:
                nxt_raw = doc.lines[j]
                nxt = prefix.strip(nxt_raw) if prefix else nxt_raw
                lm = _LOCATION.match(nxt)
                if lm:
                    frame.file, frame.line = lm.group("file"), to_int(lm.group("line"))
                    frame.raw = frame.raw + "\n" + nxt_raw.rstrip()
                    j += 1
            frames.append(frame)
            continue
        break
    return frames, j


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    prefix = Prefix.learn(doc.lines[i], col)
    kind, message, first = _panic(doc, i, floor, prefix)
    exceptions: list[RawException] = []
    n = len(doc.lines)
    j = i
    end = i
    while j < n:
        line = prefix.strip(doc.lines[j]) if prefix else doc.lines[j]
        gm = _GOROUTINE.match(line)
        if gm is None:
            if not line.strip() and j + 1 < n and _GOROUTINE.match(
                    prefix.strip(doc.lines[j + 1]) if prefix else doc.lines[j + 1]):
                j += 1
                continue
            break
        frames, j = _goroutine(doc, j + 1, prefix)
        if not frames:
            break  # a header without frames ends the dump (and keeps declining cheap)
        end = j
        frames.reverse()
        if not exceptions:
            exc = RawException(kind or "goroutine", message, frames, "go")
        else:
            exc = RawException("goroutine", gm.group("state"), frames, "go", "goroutine")
        exc.extras["goroutine"] = int(gm.group("id")) if len(gm.group("id")) < 10 else 0
        exc.extras["state"] = gm.group("state")
        exceptions.append(exc)
    if not exceptions or not any(e.frames for e in exceptions):
        return None
    return Parsed(exceptions, first, max(end, i + 1))


def _package(func: str) -> str | None:
    """``example.com/mod/pkg`` for ``example.com/mod/pkg.(*T).M``."""
    slash = func.rfind("/")
    dot = func.find(".", slash + 1)
    return func[:dot] if dot > 0 else None


def _function_part(func: str) -> str:
    slash = func.rfind("/")
    dot = func.find(".", slash + 1)
    return func[dot + 1:] if dot > 0 else func


def names(printed: str) -> NameCheck | None:
    """``(*T).M`` -> M; ``F.func1`` / ``F.func1.2`` (closures) -> F; generics ``F[...]`` -> F."""
    text = re.sub(r"\[[^\]]*\]", "", _function_part(printed))
    parts = text.split(".")
    closure = False
    while len(parts) > 1 and (re.fullmatch(r"func\d+|gowrap\d+|deferwrap\d+|\d+", parts[-1])):
        parts.pop()
        closure = True
    method = parts[-1]
    if not re.fullmatch(r"\w+", method):
        return None
    receiver = parts[-2] if len(parts) > 1 else ""
    suffixes = (f"{receiver}.{method}",) if receiver else ()
    return NameCheck(names=(method,), kinds=("lambda",) if closure else (),
                     qualname_suffixes=suffixes)


def paths(frame: RawFrame) -> tuple[str, ...]:
    out: list[str] = []
    if frame.file:
        out.append(frame.file)
        if frame.module and "." in frame.module.split("/", 1)[0]:
            out.append(f"{frame.module}/{frame.file.replace(chr(92), '/').rsplit('/', 1)[-1]}")
    return tuple(out)


FORMAT = TraceFormat(
    name="go", language="go", start=START, parse=parse, names=names, paths=paths,
    hints=(("goroutine ", "]:"),),
    reference="Go runtime/traceback.go; panicparse",
)
