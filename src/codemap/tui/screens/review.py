"""Review mode: a change before reviewing it (``codemap --review BASE..HEAD``).

The left list holds the changed symbols, riskiest first; the code view
shows the highlighted one (at HEAD, or at BASE when it was deleted); the
side panel says why it is risky, who calls it (up to the entry points),
which tests run it and who to ask. The range box (``/``) takes ``BASE..HEAD``,
``BASE...HEAD`` or a commit.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from codemap.tui import loaders
from codemap.tui import messages as m
from codemap.tui.navigation import Location
from codemap.tui.screens.base import ModeScreen
from codemap.tui.texts import line, percent
from codemap.tui.widgets.code_view import CodeView

CHANGE_STYLE = {"added": "green", "modified": "yellow", "deleted": "red"}
MAX_CALLERS = 12


class ReviewScreen(ModeScreen):
    """Review mode."""

    MODE = "review"
    TITLE = "Review"

    DEFAULT_CSS = """
    #review-left {
        width: 32%; min-width: 32; max-width: 60; height: 1fr;
        border-right: vkey $panel-lighten-2;
    }
    #review-range { border: none; height: 1; padding: 0 1; background: $boost; }
    #review-summary { height: auto; padding: 0 1; color: $text-muted; }
    #review-changed { height: 1fr; background: $surface; }
    #review-detail { height: auto; padding: 0 1; }
    #review-side VerticalScroll { height: 1fr; }
    """

    BINDINGS = [
        Binding("slash", "range", "Range", key_display="/", id="review.range"),
        Binding("n", "move(1)", "Next", id="review.next"),
        Binding("p", "move(-1)", "Previous", id="review.previous"),
        Binding("c", "focus('code')", "Code", show=False, id="review.code"),
        Binding("l", "focus('review-changed')", "Changes", show=False, id="review.list"),
        Binding("e", "explore_here", "Explore here", id="review.explore"),
    ]

    class ReviewLoaded(Message):
        """A review of ``range_spec`` is ready."""

        def __init__(self, range_spec: str, result: Any) -> None:
            super().__init__()
            self.range_spec = range_spec
            self.result = result

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.result: Any = None
        self.items: list[Any] = []  # ChangedSymbol, riskiest first
        self.current = -1

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="review-body", classes="body"):
            with Vertical(id="review-left"):
                yield Input(self.session.options.review_range or "",
                            placeholder="BASE..HEAD, BASE...HEAD or a commit  (/)",
                            id="review-range")
                yield Static(id="review-summary")
                yield Label("Changed symbols, riskiest first", classes="panel-title")
                yield OptionList(id="review-changed")
            yield CodeView(id="code", now=self.session.now)
            with Vertical(id="review-side", classes="side"):
                yield Label("Why look here", classes="panel-title")
                with VerticalScroll():
                    yield Static(id="review-detail")

    @property
    def code(self) -> CodeView:
        return self.query_one("#code", CodeView)

    def on_mount(self) -> None:
        self.app.first_paint.set()  # type: ignore[attr-defined]
        self.code.show("", [], note="Give a range to review: BASE..HEAD, BASE...HEAD or a "
                       "commit, then press enter.", title=Text("review", end=""))
        self.query_one("#review-detail", Static).update("")
        self.query_one("#review-summary", Static).update("")
        if self.session.options.review_range:
            self.review(self.session.options.review_range)
        else:
            self.query_one("#review-range", Input).focus()

    # ------------------------------------------------------------------ loading

    def review(self, range_spec: str) -> None:
        from codemap.review import build_review

        self.status.set_note(line(f"reviewing {range_spec}…"))
        self.load("review", build_review, self.session.repo, range_spec,
                  coverage_file=self.session.coverage_file,
                  message=lambda result: self.ReviewLoaded(range_spec, result))

    @on(Input.Submitted, "#review-range")
    def range_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.review(event.value.strip())

    def on_review_screen_review_loaded(self, message: ReviewLoaded) -> None:
        r = message.result
        self.result = r
        score = {(e.symbol.id, e.change): e.score for e in r.risk}
        self.items = sorted(r.changed, key=lambda c: (-score.get((c.symbol.id, c.change), -1.0),
                                                      c.symbol.path, c.symbol.start_line))
        options = []
        for c in self.items:
            prompt = Text(end="")
            risk = score.get((c.symbol.id, c.change))
            prompt.append(f"{risk:.2f} " if risk is not None else "     ", "bold")
            prompt.append(f"{c.change:<8} ", CHANGE_STYLE.get(c.change, ""))
            prompt.append_text(line(c.symbol.qualname))
            prompt.append(f"  +{c.lines_added} -{c.lines_removed}", "dim")
            options.append(Option(prompt))
        changed = self.query_one("#review-changed", OptionList)
        changed.set_options(options)
        self.query_one("#review-summary", Static).update(self._summary(r))
        self.status.set_note(line(f"{message.range_spec}: {len(r.changed)} changed symbols, "
                                  f"{len(r.blast_radius)} callers"))
        self.current = -1
        if self.items:
            changed.highlighted = 0
            changed.focus()
            self.show_change(0)
        else:
            note = "; ".join(r.notes) or "nothing changed in this range"
            self.code.show("", [], note=f"No changed symbols: {note}.")
            self.query_one("#review-detail", Static).update("")

    def _summary(self, r: Any) -> Text:
        out = Text(end="")
        out.append(f"{r.base[:10]}..{r.head[:10]}  {len(r.commits)} commits, "
                   f"{len(r.files)} files\n")
        d = r.diff_coverage
        if not d.available:
            out.append("diff coverage: no data\n")
        elif d.lines:
            out.append(f"diff coverage: {d.covered}/{d.lines} lines ({d.percent:.0f}%)\n")
        p = r.provenance
        out.append(f"AI-written lines: {p.ai_lines} of {p.lines_added}")
        if p.generated_files:
            out.append(f"; generated files: {len(p.generated_files)}")
        if r.owners:
            out.append("\nask: ")
            out.append_text(line(", ".join(f"{o.name} ({percent(o.share)})"
                                           for o in r.owners[:3])))
        for note in r.notes:
            out.append("\n")
            out.append_text(line(note, "italic"))
        return out

    # ------------------------------------------------------------------ one change

    @on(OptionList.OptionHighlighted, "#review-changed")
    def change_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.current:
            self.show_change(event.option_index)

    def show_change(self, index: int) -> None:
        if self.result is None or not 0 <= index < len(self.items):
            return
        self.current = index
        c = self.items[index]
        sym = c.symbol
        self.query_one("#review-detail", Static).update(self._detail(c))
        rev = self.result.base if c.change == "deleted" else self.result.head
        self.visit(Location(sym.path, sym.start_line, rev=rev, label=sym.qualname))
        self.load("source", loaders.read_source, self.session, sym.path, rev,
                  message=lambda src: m.SourceLoaded(src, sym.start_line))

    def _detail(self, c: Any) -> Text:
        r = self.result
        sym = c.symbol
        out = Text(end="")
        out.append(f"{c.change} ", CHANGE_STYLE.get(c.change, ""))
        out.append_text(line(f"{sym.kind} {sym.qualname}", "bold"))
        side = "BASE" if c.change == "deleted" else "HEAD"
        out.append("\n")
        out.append_text(line(f"{sym.path}:{sym.start_line}-{sym.end_line} ({side})", "dim"))
        out.append(f"\n+{c.lines_added} -{c.lines_removed}\n")
        risk = next((e for e in r.risk if e.symbol.id == sym.id and e.change == c.change), None)
        if risk is not None:
            out.append(f"\nRisk {risk.score:.2f}\n", "bold")
            for reason in risk.reasons:
                out.append("  • ")
                out.append_text(line(reason))
                out.append("\n")
        callers = [b for b in r.blast_radius if b.changed == sym.id] if c.change != "deleted" \
            else []
        if callers:
            out.append(f"\nCallers ({len(callers)})\n", "bold")
            for b in callers[:MAX_CALLERS]:
                tag = b.endpoint or b.entry_point
                out.append(f"  {b.depth} ", "dim")
                out.append_text(line(b.symbol.qualname))
                if tag:
                    out.append_text(line(f"  [{tag}]", "bold"))
                out.append("\n")
            if len(callers) > MAX_CALLERS:
                out.append(f"  … and {len(callers) - MAX_CALLERS} more\n", "dim")
        if c.tests:
            out.append(f"\nTests ({len(c.tests)})\n", "bold")
            for t in c.tests[:MAX_CALLERS]:
                out.append("  ")
                out.append_text(line(t))
                out.append("\n")
        if c.coverage_percent is not None:
            out.append(f"\ncoverage of the symbol: {c.coverage_percent:.0f}%\n", "dim")
        return out

    def on_source_loaded(self, message: m.SourceLoaded) -> None:
        src = message.source
        self.code.show(src.path, src.lines, line=message.line, rev=src.rev, target=message.line,
                       note=src.note, title=line(f"{src.path} @ {(src.rev or '')[:10]}"))
        if src.lines:
            self.load("blame", loaders.gutter_facts, self.session, src.path, src.rev,
                      message=lambda g: m.BlameLoaded(src.path, src.rev, g.lines, g.generated))

    def on_blame_loaded(self, message: m.BlameLoaded) -> None:
        if message.path == self.code.path and message.rev == self.code.rev:
            self.code.set_blame(message.lines, generated=message.generated)

    def goto(self, loc: Location, *, record: bool = True) -> None:
        if record:
            self.visit(loc)
        self.load("source", loaders.read_source, self.session, loc.path, loc.rev,
                  message=lambda src: m.SourceLoaded(src, loc.line))

    # ------------------------------------------------------------------ actions

    def action_range(self) -> None:
        self.query_one("#review-range", Input).focus()

    def action_move(self, delta: int) -> None:
        if not self.items:
            return
        index = min(max(self.current + delta, 0), len(self.items) - 1)
        self.query_one("#review-changed", OptionList).highlighted = index
        self.show_change(index)

    def action_focus(self, which: str) -> None:
        self.query_one(f"#{which}").focus()

    def action_explore_here(self) -> None:
        if self.code.path:
            self.app.open_in_explore(Location(self.code.path, self.code.cursor_line))  # type: ignore[attr-defined]
