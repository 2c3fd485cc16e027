"""Endpoint mode: a request, the route it matches, its handler and its call tree.

Each node of the call tree says who owns it, how much of it the tests run
and how often it changed in the last 90 days (filled in by a worker after
the node appears). Picking a node shows its code, owners and tests.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from codemap.tui import calls, loaders
from codemap.tui import messages as m
from codemap.tui.navigation import Location
from codemap.tui.screens.base import ModeScreen
from codemap.tui.texts import line, percent, short_name
from codemap.tui.widgets.call_tree import CallTree
from codemap.tui.widgets.code_view import CodeView
from codemap.tui.widgets.gutter import AI_MARK, GENERATED_MARK
from codemap.tui.widgets.history_panel import HistoryPanel
from codemap.tui.widgets.owners import OwnersPanel
from codemap.tui.widgets.tests_panel import LineTestsPanel

HINT = "Type a request (GET /users/42) or a route pattern and press enter."
DEPS_SHOWN = 3  # dependencies named under a route (the call tree's callees hold them all)


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


class EndpointScreen(ModeScreen):
    """Endpoint mode."""

    MODE = "endpoint"
    TITLE = "Endpoint"

    BINDINGS = [
        Binding("slash", "request", "Request", key_display="/", id="endpoint.request"),
        Binding("t", "focus('endpoint-tree')", "Call tree", id="endpoint.tree"),
        Binding("c", "focus('code')", "Code", show=False, id="endpoint.code"),
        Binding("e", "explore_here", "Explore here", id="endpoint.explore"),
    ]

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.matches: list[Any] = []
        self.node: Any = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="endpoint-body", classes="body"):
            with Vertical(id="endpoint-left"):
                yield Input(self.session.options.endpoint or "", placeholder="GET /users/42  (/)",
                            id="endpoint-input")
                yield OptionList(id="routes")
                yield Label("Call tree", classes="panel-title")
                yield CallTree("callees", lambda s: calls.callees(self.session, s),
                               annotate=lambda s: calls.node_facts(self.session, s),
                               describe=self._describe, auto_depth=4, id="endpoint-tree")
            yield CodeView(id="code", now=self.session.now)
            with Vertical(id="endpoint-side", classes="side"):
                yield OwnersPanel(id="owners")
                yield HistoryPanel(id="node-history")
                yield LineTestsPanel(id="tests")

    @property
    def code(self) -> CodeView:
        return self.query_one("#code", CodeView)

    def on_mount(self) -> None:
        self.app.first_paint.set()  # type: ignore[attr-defined]
        self.code.show("", [], note=HINT, title=Text("endpoint", end=""))
        self.query_one(CallTree).set_root(None)
        self.query_one("#owners", OwnersPanel).show_text("")
        self.query_one("#node-history", HistoryPanel).show_text("")
        self.query_one("#tests", LineTestsPanel).show_text("")
        request = self.session.options.endpoint
        if request:
            self.match(request)
        else:
            self.query_one("#endpoint-input", Input).focus()

    # ------------------------------------------------------------------ matching

    def match(self, request: str) -> None:
        self.status.set_note(Text(f"matching {request}…", end=""))
        self.load("endpoint", calls.match_endpoint, self.session, request,
                  message=lambda result: m.EndpointMatched(request, result))

    @on(Input.Submitted, "#endpoint-input")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.match(event.value)

    def on_endpoint_matched(self, message: m.EndpointMatched) -> None:
        self.matches = list(_get(message.result, "matches") or [])
        routes = self.query_one("#routes", OptionList)
        if not self.matches:
            routes.set_options([Option(line(f"no route matches {message.request}", "italic"),
                                       disabled=True)])
            self.status.set_note(line(f"no route matches {message.request}"))
            self.query_one(CallTree).set_root(None)
            return
        routes.set_options([Option(self._route_prompt(e)) for e in self.matches])
        routes.highlighted = 0
        if self.query_one("#endpoint-input", Input).has_focus:
            self.query_one(CallTree).focus()
        self.status.set_note(line(f"{len(self.matches)} route(s) match {message.request}"))
        self.show_route(self.matches[0])

    def _route_prompt(self, ep: Any) -> Text:
        out = Text(end="")
        out.append(f"{_get(ep, 'method') or '*'} ", "bold")
        out.append_text(line(_get(ep, "route") or ""))
        handler = _get(ep, "handler")
        out.append("\n  → ", "dim")
        out.append_text(line(handler.qualname if handler else "(handler not found)", "dim"))
        framework = _get(ep, "framework")
        if framework:
            out.append_text(line(f"  [{framework}]", "dim"))
        deps = _get(ep, "dependencies") or []
        if deps:  # FastAPI Depends: run before the handler on every request
            names = ", ".join(d.qualname for d in deps[:DEPS_SHOWN])
            more = f" +{len(deps) - DEPS_SHOWN}" if len(deps) > DEPS_SHOWN else ""
            out.append("\n  ⇢ runs first: ", "dim")
            out.append_text(line(names + more, "dim"))
        return out

    @on(OptionList.OptionHighlighted, "#routes")
    def route_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index < len(self.matches):
            self.show_route(self.matches[event.option_index])

    def show_route(self, ep: Any) -> None:
        handler = _get(ep, "handler")
        tree = self.query_one(CallTree)
        if handler is None or handler is tree.symbol:
            return
        tree.set_root(handler)
        tree.annotate_root()
        self.show_symbol(handler)

    # ------------------------------------------------------------------ nodes

    @staticmethod
    def _describe(tree: CallTree, facts: Any) -> Text:
        """Owner, AI share, coverage and recent changes of a node, as label text."""
        out = Text(end="")
        if facts.owner:
            out.append_text(line(f"{short_name(facts.owner, 12)} {percent(facts.owner_share)}",
                                 tree.style_of("call-tree--owner")))
        if facts.ai_share:
            out.append(f" {AI_MARK}{percent(facts.ai_share)}", tree.style_of("call-tree--ai"))
        if facts.generated:
            out.append(f" {GENERATED_MARK}", tree.style_of("call-tree--ai"))
        if facts.coverage_percent is not None:
            good = facts.coverage_percent >= 80
            out.append(f" cov {facts.coverage_percent:.0f}%",
                       tree.style_of("call-tree--good" if good else "call-tree--weak"))
        if facts.commits_90d:
            out.append(f" {facts.commits_90d}×90d", tree.style_of("call-tree--weak"))
        return out

    @on(CallTree.SymbolChosen)
    def node_chosen(self, event: CallTree.SymbolChosen) -> None:
        self.show_symbol(event.symbol)

    @on(CallTree.NodeHighlighted)
    def node_highlighted(self, event: CallTree.NodeHighlighted[Any]) -> None:
        data = event.node.data
        if data is not None:
            self.show_symbol(data.symbol)

    def show_symbol(self, sym: Any) -> None:
        if self.node is not None and self.node.id == sym.id:
            return
        self.node = sym
        self.visit(Location(sym.path, sym.start_line, label=sym.qualname))
        self.load("source", loaders.read_source, self.session, sym.path, None,
                  message=lambda src: m.SourceLoaded(src, sym.start_line))
        if self.session.repo.is_git:
            self.query_one("#owners", OwnersPanel).show_text("finding owners…")
            self.load("owners", loaders.who, self.session, sym.path, sym.start_line,
                      sym.end_line, message=lambda w: m.OwnersLoaded(f"Owners of {sym.qualname}", w))
            self.load("history", loaders.history, self.session, sym.path, sym.start_line,
                      sym.end_line, message=lambda h: m.HistoryLoaded(f"Changes to {sym.name}", h))
        self.load("coverage", calls.symbol_coverage, self.session, sym,
                  message=lambda row: m.SymbolCoverageLoaded(sym, row))

    def goto(self, loc: Location, *, record: bool = True) -> None:
        if record:
            self.visit(loc)
        self.load("source", loaders.read_source, self.session, loc.path, None,
                  message=lambda src: m.SourceLoaded(src, loc.line))

    def on_source_loaded(self, message: m.SourceLoaded) -> None:
        src = message.source
        self.code.show(src.path, src.lines, line=message.line, target=message.line,
                       note=src.note, title=line(src.path))
        if src.lines:
            self.load("blame", loaders.gutter_facts, self.session, src.path, None,
                      message=lambda g: m.BlameLoaded(src.path, None, g.lines, g.generated))
            self.load("gutter-coverage", loaders.coverage_for, self.session, src.path,
                      message=m.CoverageLoaded)

    def on_blame_loaded(self, message: m.BlameLoaded) -> None:
        if message.path == self.code.path:
            self.code.set_blame(message.lines, generated=message.generated)

    def on_coverage_loaded(self, message: m.CoverageLoaded) -> None:
        cov, path = message.coverage, self.code.path
        if cov is not None and path:
            self.code.set_coverage(lambda n: cov.line(path, n))

    def on_owners_loaded(self, message: m.OwnersLoaded) -> None:
        self.query_one("#owners", OwnersPanel).show_who(message.who, message.key,
                                                        self.session.now())

    def on_history_loaded(self, message: m.HistoryLoaded) -> None:
        self.query_one("#node-history", HistoryPanel).show_history(message.title, message.result,
                                                                   self.session.now())

    def on_symbol_coverage_loaded(self, message: m.SymbolCoverageLoaded) -> None:
        self.query_one("#tests", LineTestsPanel).show_symbol(message.symbol, message.row,
                                                              self.session.coverage_loaded
                                                              and self.session.coverage() is not None)

    # ------------------------------------------------------------------ actions

    def action_request(self) -> None:
        self.query_one("#endpoint-input", Input).focus()

    def action_focus(self, which: str) -> None:
        self.query_one(f"#{which}").focus()

    def action_explore_here(self) -> None:
        if self.code.path:
            self.app.open_in_explore(Location(self.code.path, self.code.cursor_line))  # type: ignore[attr-defined]

