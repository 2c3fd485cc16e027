"""Build the two real Go repositories and capture real Go traces from them.

The Go sources live under ``src/<project>/`` as ``*.txt`` files (``main.go.txt``)
so that codemap's own index of *this* repository, and its endpoint scan, do not
pick up a Go service that is only test data. ``*.v1.txt`` is the first version of
a file that a later commit changes. :data:`PLANS` says which commit (author, date)
brings which files, so blame and suspects have real history to read.

:data:`CAPTURES` names each stored trace: which project, which build flags, which
command line and environment. :func:`capture` builds with ``go build`` and runs
the program (an HTTP request to itself, or SIGQUIT to a running server, where the
trace kind needs it), returning the text the Go runtime printed. Stored traces
start with one ``#`` header line saying what produced them.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

SRC = Path(__file__).parent / "src"
TRACES = Path(__file__).parent


class Builder(Protocol):
    def write(self, rel: str, content: str | bytes) -> Path: ...

    def commit(self, message: str, *, author: str = ..., date: str | None = ...,
               committer: str | None = ...) -> str: ...


@dataclass(frozen=True)
class Step:
    message: str
    author: str
    date: str
    files: tuple[str, ...]  # repository paths; "path@v1" writes the first version


PLANS: dict[str, tuple[Step, ...]] = {
    "shop": (
        Step("store: in-memory item store", "Alice Able <alice@example.com>",
             "2026-09-01T10:00:00+00:00",
             ("go.mod", "internal/store/store.go@v1", "internal/store/cache.go")),
        Step("api: item and order handlers, server", "Bob Baker <bob@example.com>",
             "2026-10-02T15:30:00+00:00",
             ("internal/api/handler.go", "cmd/server/routes.go", "cmd/server/main.go")),
        Step("store: refuse nameless items, add tags", "Carol Chen <carol@example.com>",
             "2026-11-20T09:12:00+00:00", ("internal/store/store.go",)),
    ),
    "ledger": (
        Step("ledger: accounts and sinks", "Dana Diaz <dana@example.com>",
             "2026-08-11T08:00:00+00:00",
             ("go.mod", "internal/ledger/account.go", "internal/ledger/sink.go")),
        Step("worker pool and ledgerd", "Eve Evans <eve@example.com>",
             "2026-10-20T12:00:00+00:00",
             ("internal/worker/pool.go", "cmd/ledgerd/main.go")),
        Step("web: admin pages behind a token", "Frank Foster <frank@example.com>",
             "2026-11-18T17:45:00+00:00", ("internal/web/admin.go",)),
    ),
}


def source(project: str, rel: str) -> str:
    """The text of ``rel`` (``path`` or ``path@v1``) in ``project``."""
    path, _, version = rel.partition("@")
    name = f"{path}.{version}.txt" if version else f"{path}.txt"
    return (SRC / project / name).read_text(encoding="utf-8")


def populate(project: str, repo: Builder) -> None:
    """Write ``project`` into ``repo`` commit by commit, following :data:`PLANS`."""
    for step in PLANS[project]:
        for rel in step.files:
            repo.write(rel.partition("@")[0], source(project, rel))
        repo.commit(step.message, author=step.author, date=step.date)


@dataclass(frozen=True)
class Capture:
    name: str  # stored as <name>.txt
    project: str
    package: str  # ./cmd/server
    args: tuple[str, ...]
    trimpath: bool = False
    env: tuple[tuple[str, str], ...] = ()
    request: str | None = None  # GET this path (with X-Token) from the running server
    sigquit: bool = False  # send SIGQUIT to the running server


CAPTURES: tuple[Capture, ...] = (
    Capture("shop_nil_map", "shop", "./cmd/server", ("-crash", "tag")),
    Capture("shop_index", "shop", "./cmd/server", ("-crash", "index")),
    Capture("shop_custom_errorf", "shop", "./cmd/server", ("-crash", "get")),
    Capture("shop_http_panic", "shop", "./cmd/server", ("-crash", "http")),
    Capture("shop_trimpath", "shop", "./cmd/server", ("-crash", "get"), trimpath=True),
    Capture("shop_trimpath_http", "shop", "./cmd/server", ("-crash", "http"), trimpath=True),
    Capture("shop_sigquit", "shop", "./cmd/server", (), sigquit=True),
    Capture("ledger_goroutine", "ledger", "./cmd/ledgerd", ("batch",)),
    Capture("ledger_index", "ledger", "./cmd/ledgerd", ("last",)),
    Capture("ledger_traceback_all", "ledger", "./cmd/ledgerd", ("dump",),
            env=(("GOTRACEBACK", "all"),)),
    Capture("ledger_http_closure", "ledger", "./cmd/ledgerd", ("serve",),
            request="/admin/accounts/savings"),
    Capture("ledger_nil_pointer", "ledger", "./cmd/ledgerd", ("nil",)),
    Capture("ledger_repanic", "ledger", "./cmd/ledgerd", ("repanic",)),
)


def go_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(GOFLAGS="-mod=mod", GOPROXY="off", GOTOOLCHAIN="local", GOWORK="off",
               GOCACHE=str(workdir / "gocache"), GOPATH=str(workdir / "gopath"))
    env.pop("GOTRACEBACK", None)
    return env


def go_version() -> str:
    return subprocess.run(["go", "version"], capture_output=True, text=True, check=True,
                          timeout=60).stdout.strip()


def _wait_listening(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()  # "listening on 127.0.0.1:PORT"
    return line.rsplit(" ", 1)[-1].strip()


def capture(cap: Capture, repo: Path, workdir: Path) -> str:
    """Build ``cap.package`` of the repository at ``repo`` and run it; the runtime's output."""
    env = go_env(workdir)
    binary = workdir / f"{cap.project}-{cap.name}"
    cmd = ["go", "build", *(["-trimpath"] if cap.trimpath else []), "-o", str(binary), cap.package]
    subprocess.run(cmd, cwd=repo, env=env, check=True, capture_output=True, timeout=300)
    run_env = {**env, **dict(cap.env)}
    if not (cap.request or cap.sigquit):
        done = subprocess.run([str(binary), *cap.args], cwd=repo, env=run_env, capture_output=True,
                              text=True, timeout=60)
        return done.stderr
    proc = subprocess.Popen([str(binary), *cap.args], cwd=repo, env=run_env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        addr = _wait_listening(proc)
        if cap.request:
            req = urllib.request.Request(f"http://{addr}{cap.request}", headers={"X-Token": "t"})
            try:
                urllib.request.urlopen(req, timeout=10).read()  # noqa: S310 - loopback only
            except OSError:
                pass  # the handler panicked: net/http closed the connection
            time.sleep(0.3)
            proc.send_signal(signal.SIGTERM)
        else:
            time.sleep(0.2)
            proc.send_signal(signal.SIGQUIT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    return err


def header(cap: Capture, version: str, repo: Path) -> str:
    flags = "-trimpath " if cap.trimpath else ""
    env = "".join(f"{k}={v} " for k, v in cap.env)
    how = (f"; then GET {cap.request}" if cap.request else "") + ("; then SIGQUIT" if cap.sigquit else "")
    return (f"# {version}; program: tests/traces/go_real/src/{cap.project} {cap.package}; "
            f"command: go build {flags}-o prog {cap.package} && {env}./prog {' '.join(cap.args)}"
            f"{how}; built in {repo}\n").replace("  ", " ")


_BUILT_IN = re.compile(r"; built in (\S+)$")


def built_in(text: str) -> str:
    """The directory a stored trace's program was built in (its header says)."""
    found = _BUILT_IN.search(text.split("\n", 1)[0])
    assert found, "a stored Go trace starts with its header line"
    return found.group(1)


def stored(name: str) -> str:
    return (TRACES / f"{name}.txt").read_text(encoding="utf-8")


def repositories(workdir: Path) -> dict[str, Path]:
    """Both projects as real git repositories under ``workdir``."""
    from tests.conftest import GitRepoBuilder

    out = {}
    for project in PLANS:
        root = workdir / project
        root.mkdir(parents=True)
        populate(project, GitRepoBuilder(root))
        out[project] = root
    return out


def main() -> None:
    """Rewrite the stored traces: ``python -m tests.traces.go_real.build``."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="gocapture") as tmp:
        repos = repositories(Path(tmp))
        version = go_version()
        for cap in CAPTURES:
            text = capture(cap, repos[cap.project], Path(tmp))
            (TRACES / f"{cap.name}.txt").write_text(header(cap, version, repos[cap.project]) + text,
                                                    encoding="utf-8")


if __name__ == "__main__":
    main()
