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

# ``goroutine 7 [running]:``; Go >= 1.23 with GOTRACEBACK=system adds ``gp=0x... m=0 mp=0x...``
START = r"(?:^|\s)goroutine \d+(?: \w+=\S+)* \[[^\]]*\]:\s*$"

_GOROUTINE = re.compile(r"^\s*goroutine (?P<id>\d+)(?: \w+=\S+)* \[(?P<state>[^\]]*)\]:\s*$")
_FUNC = re.compile(r"^(?P<func>\S[^\s(]*(?:\([^()]*\)[^\s(]*)*)\((?P<args>.*)\)\s*$")
_CREATED = re.compile(r"^created by (?P<func>\S+)(?: in goroutine (?P<parent>\d+))?\s*$")
_LOCATION = re.compile(r"^\s+(?P<file>\S.*?):(?P<line>\d+)(?: \+0x[0-9a-fA-F]+)?(?: fp=.*)?\s*$")
_PANIC = re.compile(r"^\s*(?P<kind>panic|fatal error): (?P<msg>.*)$")
# a signal the runtime died of or dumped on: ``SIGQUIT: quit`` then ``PC=0x... m=0 sigcode=0``
_SIGNAL = re.compile(r"^\s*(?P<kind>SIG[A-Z0-9]+): (?P<msg>.*)$")
# net/http's recover in conn.serve logs ``http: panic serving 10.0.0.1:5123: <value>``
# (after the log package's date prefix), then the handler goroutine's stack; its HTTP/2
# server says ``http2: panic serving``
_SERVING = re.compile(r"(?:^|\s)http2?: panic serving \S+: (?P<msg>.*)$")
_RECOVERED = re.compile(r" \[recovered(?:, repanicked)?\]$")
_ELIDED = re.compile(r"^\s*\.\.\.(?:additional frames elided|\d+ frames elided)\.\.\.\s*$")
_LOOKBACK = 40


def _panic(doc: Doc, i: int, floor: int, prefix: Prefix | None
           ) -> tuple[str | None, str | None, int, list[str]]:
    """The panic (or fatal error, or signal) above the goroutine header at line ``i``:
    kind, message, its first line, and the values panicked earlier in a chain.

    ``panic: a [recovered]`` then ``\tpanic: b`` is a deferred function that panicked
    again (Go >= 1.23 also prints ``[recovered, repanicked]``): the program died of the
    last value, raised where the stack's innermost frame is; the earlier ones are kept."""
    k = i - 1
    chain: list[tuple[str, str, int]] = []  # bottom-up
    signal: tuple[str, str, int] | None = None
    while k >= max(floor, i - _LOOKBACK):
        line = prefix.strip(doc.lines[k]) if prefix else doc.lines[k]
        m = _PANIC.match(line)
        if m:
            chain.append((m.group("kind"), m.group("msg"), k))  # keep looking: chains
        elif not chain and signal is None and (m := _SERVING.search(line)) is not None:
            return "panic", m.group("msg"), k, []
        elif not chain and signal is None and (m := _SIGNAL.match(line)) is not None:
            signal = (m.group("kind"), m.group("msg"), k)  # a panic above it names the cause
        elif chain and not line.strip():
            break
        k -= 1
    if not chain:
        return (signal[0], signal[1], signal[2], []) if signal else (None, None, i, [])
    earlier = [_RECOVERED.sub("", msg) for _kind, msg, _k in reversed(chain[1:])]
    kind, msg, _ = chain[0]
    return kind, _RECOVERED.sub("", msg), chain[-1][2], earlier


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
    kind, message, first, earlier = _panic(doc, i, floor, prefix)
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
            if earlier:
                exc.extras["recovered"] = earlier  # panicked earlier, recovered, panicked again
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


# the top-level directories of Go's standard library (``go list std``): under ``-trimpath``
# its files print as ``net/http/server.go``, which must not land on a repository's
# ``internal/http/server.go`` by suffix
_STD_ROOTS = frozenset((
    "archive", "arena", "bufio", "builtin", "bytes", "cmp", "compress", "container", "context",
    "crypto", "database", "debug", "embed", "encoding", "errors", "expvar", "flag", "fmt", "go",
    "hash", "html", "image", "index", "internal", "io", "iter", "log", "maps", "math", "mime",
    "net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort", "strconv",
    "strings", "structs", "sync", "syscall", "testing", "text", "time", "unicode", "unique",
    "unsafe", "vendor", "weak"))


def _trimmed_std(file: str) -> bool:
    """A ``-trimpath`` standard-library file: relative, under a standard root."""
    if file.startswith(("/", "\\")) or file[1:3] in (":\\", ":/") or "/" not in file:
        return False
    return file.split("/", 1)[0] in _STD_ROOTS


def paths(frame: RawFrame) -> tuple[str, ...]:
    out: list[str] = []
    if frame.file and _trimmed_std(frame.file):
        return ()
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
