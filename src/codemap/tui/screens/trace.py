"""Trace mode: a stack trace mapped onto the code, its history, owners and tests.

Left, the exceptions and frames; centre, the selected frame's source
centred on its line, with the blame / provenance / coverage gutter; right,
the suspect commits, the selected commit, the function's owners and the
tests that run the line. ``,`` re-blames from the parent of the cursor
line's commit (as tig does) and ``[`` walks back.

Loading order is what makes the first screen fast: the mapping comes
first (without symbols when the index is cold), then the source; blame,
suspects, owners and coverage fill in as their workers finish.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from codemap.tui import loaders
from codemap.tui import messages as m
from codemap.tui.navigation import Location
from codemap.tui.screens.base import ModeScreen
from codemap.tui.texts import age, line, plain, short_sha
from codemap.tui.widgets.code_view import CodeView
from codemap.tui.widgets.commit_detail import CommitDetail
from codemap.tui.widgets.frame_list import FrameList, FrameRef
from codemap.tui.widgets.highlight import prepare_lexer
from codemap.tui.widgets.owners import OwnersPanel
from codemap.tui.widgets.suspects import SuspectsPanel
from codemap.tui.widgets.tests_panel import LineTestsPanel


def read_and_prepare(session: Any, path: str, rev: str | None) -> loaders.SourceText:
    """Read the source and load its syntax lexer in the worker, not in the UI thread."""
    source = loaders.read_source(session, path, rev)
    prepare_lexer(path)
    return source


NO_TRACE = ("No trace loaded. Press p to paste one, or start codemap with --trace FILE "
            "(codemap demo shows an example).")


class TraceScreen(ModeScreen):
    """Trace mode."""

    MODE = "trace"
    TITLE = "Trace"

    BINDINGS = [
        Binding("comma", "blame_parent", "Blame parent", key_display=",",
                id="trace.blame_parent"),
        Binding("p", "paste", "Paste trace", id="trace.paste"),
        Binding("f", "focus('frames')", "Frames", show=False, id="trace.focus_frames"),
        Binding("c", "focus('code')", "Code", show=False, id="trace.focus_code"),
        Binding("x", "focus('suspects')", "Suspects", show=False, id="trace.focus_suspects"),
        Binding("e", "explore_here", "Explore here", id="trace.explore"),
        Binding("r", "raising_frame", "Raising frame", show=False, id="trace.raising"),
    ]

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.report: Any = None
        self.with_symbols = False
        self.frame: FrameRef | None = None
        self.trace_text: str | None = session.options.trace_text
        self._owners_key: str | None = None
        self._enrich_pending = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="trace-body", classes="body"):
            with Vertical(id="trace-left"):
                yield Static(id="exception")
                yield FrameList(id="frames")
            yield CodeView(id="code", now=self.session.now)
            with Vertical(id="side", classes="side"):
                yield Label("Suspect commits", classes="panel-title")
                yield SuspectsPanel(id="suspects")
                yield Label("Commit", classes="panel-title")
                yield CommitDetail(id="commit")
                yield OwnersPanel(id="owners")
                yield LineTestsPanel(id="tests")

    @property
    def code(self) -> CodeView:
        return self.query_one("#code", CodeView)

    def on_mount(self) -> None:
        self.query_one("#commit", CommitDetail).show_message("select a suspect, or press "
                                                             "enter on a line of code")
        self.query_one("#owners", OwnersPanel).show_text("")
        self.query_one("#tests", LineTestsPanel).show_text("")
        self.query_one("#frames", FrameList).focus()
        if self.trace_text is None:
            self.app.first_paint.set()  # type: ignore[attr-defined]
            self.code.show("", [], note=NO_TRACE, title=Text("no trace", end=""))
            self.query_one("#suspects", SuspectsPanel).show_suspects([])
            return
        self.load_trace(self.trace_text)

    # ------------------------------------------------------------------ the trace

    def load_trace(self, text: str) -> None:
        self.trace_text = text
        self.query_one("#suspects", SuspectsPanel).show_loading()
        warm = self.session.index_ready.is_set() or loaders.index_exists(self.session)
        self.status.set_note("mapping the trace…")
        self.load("trace", loaders.map_trace, self.session, text, with_index=warm,
                  message=lambda report: m.TraceMapped(report, warm))

    def index_opened(self, fresh: bool) -> None:
        super().index_opened(fresh)
        if fresh and self.report is not None and not self.with_symbols and self.trace_text:
            self.load("trace", loaders.map_trace, self.session, self.trace_text, with_index=True,
                      message=lambda report: m.TraceMapped(report, True))

    def on_trace_mapped(self, message: m.TraceMapped) -> None:
        keep = self.frame if self.report is not None else None
        report = self.report = message.report
        self.with_symbols = message.with_symbols
        in_repo = sum(1 for f in report.frames() if f.in_repo)
        frames = self.query_one("#frames", FrameList)
        frames.show_report(report, select=in_repo > 0 and keep is None)
        if keep is not None and in_repo:  # a re-mapping (now with symbols): stay on that frame
            frames.select_frame(keep.exception, keep.index)
        if report.exceptions:
            self._show_exception(keep.exception if keep is not None else 0)
        count = sum(len(e.frames) for e in report.exceptions)
        self.status.set_note(f"{len(report.exceptions)} exception(s), {count} frames, "
                             f"{in_repo} in this repository"
                             + ("" if message.with_symbols else " · indexing for symbols…"))
        if in_repo == 0:
            self.app.first_paint.set()  # type: ignore[attr-defined]
            self.query_one("#suspects", SuspectsPanel).show_suspects([])
            self.code.show("", [], note="No frame of this trace is in this repository "
                           "(wrong repository, or a --map FROM=TO prefix is needed).",
                           title=Text("no matching frame", end=""))
            return
        if keep is not None:  # a re-mapping: the source is on screen, enrich it now
            self._enrich()
        else:
            self._enrich_pending = True  # started once the first source is on screen

    def _enrich(self) -> None:
        """Blame, coverage and suspects of the current mapping, in a worker (a newer one
        replaces an older one: the enrichment of a mapping without symbols is stale)."""
        self._enrich_pending = False
        mapped = self.report
        self.load("enrich", loaders.enrich_trace, self.session, mapped,
                  message=lambda enriched: m.TraceEnriched(enriched, mapped))

    def on_trace_enriched(self, message: m.TraceEnriched) -> None:
        enriched = message.report
        if self.report is None or message.mapped is not self.report:
            return  # the enrichment of a mapping since replaced
        self.report = enriched
        frames = self.query_one("#frames", FrameList)
        frames.enrich(enriched)
        self.query_one("#suspects", SuspectsPanel).show_suspects(list(enriched.suspects or []))

    @on(FrameList.FrameSelected)
    def frame_selected(self, event: FrameList.FrameSelected) -> None:
        self.frame = event.ref
        frame = event.ref.frame
        self._show_exception(event.ref.exception)
        if frame.in_repo and frame.path:
            # (a frame with no line, ``Unknown Source``, opens at the symbol its name names)
            line = frame.line or (frame.symbol.start_line if frame.symbol else 1)
            self.goto(Location(frame.path, line, self.session.rev, label=frame.function or ""))
        else:
            self.load("source", loaders.read_external, frame.file or frame.raw,
                      message=lambda src: m.SourceLoaded(src, frame.line or 1))
            owners = self.query_one("#owners", OwnersPanel)
            owners.show_text("library frame: no owners in this repository")
            self.query_one("#tests", LineTestsPanel).show_text("")

    def _show_exception(self, index: int) -> None:
        """The selected frame's exception in full (the tree cuts long messages)."""
        exc = self.report.exceptions[index] if self.report is not None else None
        if exc is None:
            return
        text = line(exc.type or "error", "bold")
        if exc.message:
            text.append(": ")
            text.append_text(plain(exc.message))
        self.query_one("#exception", Static).update(text)

    # ------------------------------------------------------------------ source & gutter

    def goto(self, loc: Location, *, record: bool = True) -> None:
        if record:
            self.visit(loc)
        self.load("source", read_and_prepare, self.session, loc.path, loc.rev,
                  message=lambda src: m.SourceLoaded(src, loc.line))

    def on_source_loaded(self, message: m.SourceLoaded) -> None:
        src = message.source
        frame = self.frame.frame if self.frame is not None else None
        target = message.line if frame is not None and frame.path == src.path and \
            src.rev == self.session.rev else None
        if frame is not None and not frame.in_repo:
            target = message.line
        title = line(src.path)
        if src.rev is not None and src.rev != self.session.rev:
            title.append(f" @ {short_sha(src.rev)}", "bold")
        if src.note:
            title.append_text(line(f" ({src.note})", "italic"))
        if frame is not None and frame.match == "installed" and frame.path == src.path:
            # the frame ran in node_modules/ or site-packages/, a copy of this repository's
            # package that may be of another version (the CLI warns the same)
            title.append_text(line(" (ran installed: version may differ)", "italic"))
        self.code.show(src.path, src.lines, line=message.line, rev=src.rev, target=target,
                       note=src.note, title=title)
        if self._enrich_pending and self.report is not None:
            self._enrich()
        self.app.first_paint.set()  # type: ignore[attr-defined]
        if not src.lines or (frame is not None and not frame.in_repo):
            return
        self.load("blame", loaders.gutter_facts, self.session, src.path, src.rev,
                  message=lambda g: m.BlameLoaded(src.path, src.rev, g.lines, g.generated))
        if src.rev is None:
            self.load("coverage", loaders.coverage_for, self.session, src.path,
                      message=m.CoverageLoaded)
        self._load_owners(src.path, message.line)

    def on_blame_loaded(self, message: m.BlameLoaded) -> None:
        if message.path == self.code.path and message.rev == self.code.rev:
            self.code.set_blame(message.lines, generated=message.generated)
            self._describe_line(self.code.cursor_line)

    def on_coverage_loaded(self, message: m.CoverageLoaded) -> None:
        cov, path = message.coverage, self.code.path
        if cov is not None and path and self.code.rev is None:
            self.code.set_coverage(lambda n: cov.line(path, n))
        self._show_tests(self.code.cursor_line)

    def _load_owners(self, path: str, number: int) -> None:
        if not self.session.repo.is_git:
            self.query_one("#owners", OwnersPanel).show_text("no git: no owners")
            return
        sym = None
        if self.frame is not None and self.frame.frame.path == path:
            sym = self.frame.frame.symbol
        if sym is None:
            sym = loaders.symbol_at(self.session, path, number)
        start, end = (sym.start_line, sym.end_line) if sym else (None, None)
        key = f"{path}:{start}-{end}"
        if key == self._owners_key:
            return
        self._owners_key = key
        title = f"Owners of {sym.qualname}" if sym else f"Owners of {path}"
        self.query_one("#owners", OwnersPanel).show_text("finding owners…")
        self.load("owners", loaders.who, self.session, path, start, end,
                  message=lambda who: m.OwnersLoaded(title, who))

    def on_owners_loaded(self, message: m.OwnersLoaded) -> None:
        self.query_one("#owners", OwnersPanel).show_who(message.who, message.key,
                                                        self.session.now())

    @on(CodeView.CursorMoved)
    def cursor_moved(self, event: CodeView.CursorMoved) -> None:
        self._describe_line(event.line)
        self._show_tests(event.line)
        if self.code.path:
            self.nav.replace(Location(self.code.path, event.line, self.code.rev))

    def _show_tests(self, number: int) -> None:
        panel = self.query_one("#tests", LineTestsPanel)
        path = self.code.path
        if not path or not self.code.lines or self.code.rev is not None:
            panel.show_text("")
            return
        if not self.session.coverage_loaded:
            panel.show_text("loading coverage…")
            return
        cov = self.session.coverage()
        panel.show_line(path, number, cov.line(path, number) if cov else None, cov is not None)

    def _describe_line(self, number: int) -> None:
        bl = self.code.blame_at(number)
        if bl is None:
            return
        if bl.uncommitted:
            self.status.set_note(f"line {number}: not committed yet")
            return
        note = Text(f"line {number}: ", end="")
        note.append_text(line(f"{bl.author}, {age(bl.date, self.session.now())} ago, "
                              f"{short_sha(bl.sha)} "))
        if bl.ai:
            note.append("✦ ", "bold")
        note.append_text(line(bl.summary))
        self.status.set_note(note)

    # ------------------------------------------------------------------ commits

    @on(SuspectsPanel.SuspectSelected)
    def suspect_selected(self, event: SuspectsPanel.SuspectSelected) -> None:
        self.show_commit(event.suspect.sha)

    @on(CodeView.LineActivated)
    def line_activated(self, event: CodeView.LineActivated) -> None:
        bl = self.code.blame_at(event.line)
        if bl is None or bl.uncommitted:
            self.notify("this line has no commit yet", timeout=3)
            return
        self.show_commit(bl.sha)

    def show_commit(self, sha: str) -> None:
        panel = self.query_one("#commit", CommitDetail)
        if panel.sha == sha:
            return
        panel.show_message(f"loading {short_sha(sha)}…")
        self.load("commit", loaders.commit_detail, self.session, sha, message=m.CommitLoaded)

    def on_commit_loaded(self, message: m.CommitLoaded) -> None:
        self.query_one("#commit", CommitDetail).show_commit(message.detail, self.session.now())

    # ------------------------------------------------------------------ actions

    def action_blame_parent(self) -> None:
        bl = self.code.blame_at(self.code.cursor_line)
        if bl is None:
            self.notify("no blame for this line (yet)", timeout=3)
            return
        if bl.uncommitted:
            self.notify("this line is not committed yet", timeout=3)
            return

        def walk() -> m.ParentBlamed:
            parent = loaders.blame_parent(self.session, bl)
            source = (loaders.read_source(self.session, parent.path, parent.rev)
                      if parent is not None else None)
            return m.ParentBlamed(parent, source)

        self.status.set_note(f"blaming from the parent of {short_sha(bl.sha)}…")
        self.load("blame", walk, message=lambda msg: msg)

    def on_parent_blamed(self, message: m.ParentBlamed) -> None:
        result, src = message.result, message.source
        if result is None or src is None:
            self.notify("this commit created the file: there is nothing before it", timeout=4)
            return
        loc = Location(result.path, result.line, result.rev, label="parent")
        self.visit(loc)
        title = line(result.path)
        title.append(f" @ {short_sha(result.rev)}", "bold")
        self.code.show(result.path, src.lines, line=result.line, rev=result.rev, title=title)
        self.code.set_blame(result.lines)
        self._describe_line(result.line)
        bl = self.code.blame_at(result.line)
        if bl is not None and not bl.uncommitted:
            self.show_commit(bl.sha)

    def action_paste(self) -> None:
        from codemap.tui.screens.paste import PasteTraceScreen

        def pasted(text: str | None) -> None:
            if text and text.strip():
                self.load_trace(text)

        self.app.push_screen(PasteTraceScreen(), pasted)

    def action_focus(self, which: str) -> None:
        self.query_one(f"#{which}").focus()

    def action_raising_frame(self) -> None:
        self.query_one("#frames", FrameList).select_raising()

    def action_explore_here(self) -> None:
        if not self.code.path or self.code.rev is not None:
            self.notify("explore works on the working tree's files", timeout=3)
            return
        self.app.open_in_explore(Location(self.code.path, self.code.cursor_line))  # type: ignore[attr-defined]
