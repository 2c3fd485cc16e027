"""Tour mode: walk a repository step by step, generated or from a CodeTour file.

With ``codemap --tour FILE`` the steps of that ``.tour`` file are walked,
each followed to where its code is now: a step whose code moved shows at
its new place, one whose code changed or vanished is marked so (never
silently wrong). Without a file, the tour is generated (entry points, then
the most central modules and functions). ``n`` / ``p`` move between steps;
the code view shows each step's line, the side panel what the step says.
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
from codemap.tui.texts import line, plain
from codemap.tui.widgets.code_view import CodeView

STATUS_MARK = {"ok": ("✓", "green"), "moved": ("↷", "yellow"), "changed": ("!", "bold red"),
               "missing": ("✗", "bold red"), "unverified": ("?", "dim")}


class TourScreen(ModeScreen):
    """Tour mode."""

    MODE = "tour"
    TITLE = "Tour"

    DEFAULT_CSS = """
    #tour-left {
        width: 30%; min-width: 30; max-width: 56; height: 1fr;
        border-right: vkey $panel-lighten-2;
    }
    #tour-steps { height: 1fr; background: $surface; }
    #tour-file { border: none; height: 1; padding: 0 1; background: $boost; }
    #tour-step { height: auto; padding: 0 1; }
    #tour-side {
        width: 34%; min-width: 30; max-width: 72; height: 1fr;
        background: $surface; border-left: vkey $panel-lighten-2;
    }
    #tour-side VerticalScroll { height: 1fr; }
    TourScreen.-narrow #tour-left { width: 24; min-width: 0; }
    TourScreen.-narrow #tour-side { width: 28; min-width: 0; }
    """

    BINDINGS = [
        Binding("n", "step(1)", "Next step", id="tour.next"),
        Binding("p", "step(-1)", "Previous step", id="tour.previous"),
        Binding("o", "open_file", "Open .tour", id="tour.open"),
        Binding("g", "generate", "Generate", id="tour.generate"),
        Binding("c", "focus('code')", "Code", show=False, id="tour.code"),
        Binding("l", "focus('tour-steps')", "Steps", show=False, id="tour.steps"),
        Binding("e", "explore_here", "Explore here", id="tour.explore"),
    ]

    class WalkLoaded(Message):
        """A tour's steps are ready to walk."""

        def __init__(self, walk: Any) -> None:
            super().__init__()
            self.walk = walk

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.walk: Any = None
        self.current = 0

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="tour-body", classes="body"):
            with Vertical(id="tour-left"):
                yield Label("Tour", id="tour-title", classes="panel-title")
                yield Input(self.session.options.tour_file or "",
                            placeholder=".tour file to walk (o); empty: generate (g)",
                            id="tour-file")
                yield OptionList(id="tour-steps")
            yield CodeView(id="code", now=self.session.now)
            with Vertical(id="tour-side"):  # always shown: the step's text is the tour
                yield Label("This step", classes="panel-title")
                with VerticalScroll():
                    yield Static(id="tour-step")

    @property
    def code(self) -> CodeView:
        return self.query_one("#code", CodeView)

    def on_mount(self) -> None:
        self.app.first_paint.set()  # type: ignore[attr-defined]
        self.code.show("", [], note="Building the tour…", title=Text("tour", end=""))
        self.query_one("#tour-step", Static).update("")
        if self.session.options.tour_file:
            self.open_file(self.session.options.tour_file)
        else:
            self.generate()

    # ------------------------------------------------------------------ loading

    def generate(self) -> None:
        from codemap.tour.walk import build_generated_walk

        self.status.set_note(Text("building the tour…", end=""))
        self.load("tour", build_generated_walk, self.session.repo,
                  coverage_file=self.session.coverage_file, now=self.session.now(),
                  message=self.WalkLoaded)

    def open_file(self, path: str) -> None:
        from codemap.tour.walk import file_walk

        self.status.set_note(line(f"reading {path}…"))
        self.load("tour", file_walk, self.session.repo, path, message=self.WalkLoaded)

    def on_tour_screen_walk_loaded(self, message: WalkLoaded) -> None:
        walk = message.walk
        self.walk = walk
        self.query_one("#tour-title", Label).update(line(walk.title, "bold"))
        options = []
        for step in walk.steps:
            mark, style = STATUS_MARK.get(step.status, ("·", ""))
            prompt = Text(end="")
            prompt.append(f"{step.index:>2} ", "dim")
            if walk.source != "generated":
                prompt.append(f"{mark} ", style)
            prompt.append_text(line(step.title))
            if step.section:
                prompt.append(f"\n   {step.section}", "dim")
            options.append(Option(prompt))
        steps = self.query_one("#tour-steps", OptionList)
        steps.set_options(options)
        note = "; ".join(walk.notes) if walk.notes else f"{len(walk.steps)} steps"
        self.status.set_note(line(note))
        if walk.steps:
            steps.highlighted = 0
            steps.focus()
            self.show_step(0)
        else:
            self.code.show("", [], note="This tour has no steps.")

    # ------------------------------------------------------------------ steps

    @on(OptionList.OptionHighlighted, "#tour-steps")
    def step_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.walk is not None and event.option_index != self.current:
            self.show_step(event.option_index)

    def show_step(self, index: int) -> None:
        if self.walk is None or not 0 <= index < len(self.walk.steps):
            return
        self.current = index
        step = self.walk.steps[index]
        self.query_one("#tour-step", Static).update(self._step_text(step))
        if step.path and not step.is_dir:
            self.visit(Location(step.path, step.line or 1, label=step.title))
            self.load("source", loaders.read_source, self.session, step.path, None,
                      message=lambda src: m.SourceLoaded(src, step.line or 1))
        else:
            what = f"the directory {step.path}" if step.path else "no code (a text step)"
            self.code.show("", [], note=f"Step {step.index}: {what}.",
                           title=line(step.path or step.title))

    def _step_text(self, step: Any) -> Text:
        out = Text(end="")
        out.append_text(line(step.title, "bold"))
        out.append("\n")
        where = step.path or ""
        if step.line:
            where += f":{step.line}"
        if where:
            out.append_text(line(where, "dim"))
            out.append("\n")
        if step.status != "ok":
            mark, style = STATUS_MARK.get(step.status, ("?", ""))
            out.append(f"{mark} {step.status}: ", style)
            out.append_text(line(step.reason))
            out.append("\n")
        if step.description:
            out.append("\n")
            out.append_text(plain(step.description.strip()))
            out.append("\n")
        if step.why:
            out.append("\nWhy here: ", "bold")
            out.append_text(line(step.why))
            out.append("\n")
        if step.facts:
            out.append("\n")
            out.append_text(line(step.facts, "dim"))
        return out

    def on_source_loaded(self, message: m.SourceLoaded) -> None:
        src = message.source
        self.code.show(src.path, src.lines, line=message.line,
                       target=message.line if message.line > 1 or src.lines else None,
                       note=src.note, title=line(src.path))
        if src.lines:
            self.load("blame", loaders.gutter_facts, self.session, src.path, None,
                      message=lambda g: m.BlameLoaded(src.path, None, g.lines, g.generated))

    def on_blame_loaded(self, message: m.BlameLoaded) -> None:
        if message.path == self.code.path:
            self.code.set_blame(message.lines, generated=message.generated)

    def goto(self, loc: Location, *, record: bool = True) -> None:
        if record:
            self.visit(loc)
        self.load("source", loaders.read_source, self.session, loc.path, None,
                  message=lambda src: m.SourceLoaded(src, loc.line))

    # ------------------------------------------------------------------ actions

    def action_step(self, delta: int) -> None:
        if self.walk is None or not self.walk.steps:
            return
        index = min(max(self.current + delta, 0), len(self.walk.steps) - 1)
        self.query_one("#tour-steps", OptionList).highlighted = index
        self.show_step(index)

    def action_open_file(self) -> None:
        self.query_one("#tour-file", Input).focus()

    def action_generate(self) -> None:
        self.generate()

    @on(Input.Submitted, "#tour-file")
    def file_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.open_file(event.value.strip())
        else:
            self.generate()

    def action_focus(self, which: str) -> None:
        self.query_one(f"#{which}").focus()

    def action_explore_here(self) -> None:
        if self.code.path:
            self.app.open_in_explore(Location(self.code.path, self.code.cursor_line))  # type: ignore[attr-defined]
