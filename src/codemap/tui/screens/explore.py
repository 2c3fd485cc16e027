"""Explore mode: find a symbol, browse files, follow calls, go back and forward.

Left, the symbol finder over the file tree; centre, the code with its
gutter; right, who calls the symbol under the cursor and what it calls.
``d`` (or enter, or a double click on a name) goes to the definition of a
call; ``[`` and ``]`` move through the places visited, like a browser.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from codemap.tui import calls, loaders
from codemap.tui import messages as m
from codemap.tui.navigation import Location
from codemap.tui.screens.base import ModeScreen
from codemap.tui.texts import line
from codemap.tui.widgets.call_tree import CallTree
from codemap.tui.widgets.code_view import CodeView
from codemap.tui.widgets.file_tree import FileTree
from codemap.tui.widgets.symbol_finder import SymbolFinder

WELCOME = ("Find a symbol with /, pick a file on the left, or open the command palette "
           "(ctrl+p). Enter or d on a call goes to its definition; [ goes back.")


class ExploreScreen(ModeScreen):
    """Explore mode."""

    MODE = "explore"
    TITLE = "Explore"

    BINDINGS = [
        Binding("slash", "find", "Find symbol", key_display="/", id="explore.find"),
        Binding("d", "definition", "Definition", id="explore.definition"),
        Binding("t", "focus('file-tree')", "Files", id="explore.files"),
        Binding("c", "focus('code')", "Code", show=False, id="explore.code"),
        Binding("u", "focus('callers')", "Callers", show=False, id="explore.callers"),
        Binding("o", "focus('callees')", "Callees", show=False, id="explore.callees"),
    ]

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.symbol: Any = None
        self._pending: Location | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="explore-body", classes="body"):
            with Vertical(id="explore-left"):
                yield SymbolFinder(lambda q: loaders.find_symbols(self.session, q),
                                   id="finder")
                yield FileTree(id="file-tree")
            yield CodeView(id="code", now=self.session.now)
            with Vertical(id="explore-side", classes="side"):
                yield Label("Callers", classes="panel-title")
                yield CallTree("callers", lambda s: calls.callers(self.session, s),
                               id="callers")
                yield Label("Callees", classes="panel-title")
                yield CallTree("callees", lambda s: calls.callees(self.session, s),
                               id="callees")

    @property
    def code(self) -> CodeView:
        return self.query_one("#code", CodeView)

    def on_mount(self) -> None:
        self.app.first_paint.set()  # type: ignore[attr-defined]
        self.code.show("", [], note=WELCOME, title=Text("explore", end=""))
        for tree in self.query(CallTree):
            tree.set_root(None)
        self.load("files", loaders.repo_files, self.session,
                  message=lambda paths: m.FilesListed(paths))
        self.query_one(FileTree).focus()

    def index_opened(self, fresh: bool) -> None:
        super().index_opened(fresh)
        self.load("files", loaders.repo_files, self.session,
                  message=lambda paths: m.FilesListed(paths))
        if self.code.path:
            self._symbol_changed(self.code.cursor_line, force=True)

    def on_files_listed(self, message: m.FilesListed) -> None:
        self.query_one(FileTree).set_paths(message.paths)
        if self.code.path:
            self.query_one(FileTree).reveal(self.code.path)

    # ------------------------------------------------------------------ going places

    def goto(self, loc: Location, *, record: bool = True) -> None:
        if record:
            self.visit(loc)
        self.load("source", loaders.read_source, self.session, loc.path, None,
                  message=lambda src: m.SourceLoaded(src, loc.line))

    def goto_symbol(self, sym: Any, line_no: int | None = None) -> None:
        self.goto(Location(sym.path, line_no or sym.start_line, label=sym.qualname))

    def on_source_loaded(self, message: m.SourceLoaded) -> None:
        src = message.source
        title = line(src.path)
        if src.note:
            title.append_text(line(f" ({src.note})", "italic"))
        self.code.show(src.path, src.lines, line=message.line,
                       note=src.note, title=title)
        self.code.focus()
        self.query_one(FileTree).reveal(src.path)
        if not src.lines:
            return
        self.load("blame", loaders.gutter_facts, self.session, src.path, None,
                  message=lambda g: m.BlameLoaded(src.path, None, g.lines, g.generated))
        self.load("coverage", loaders.coverage_for, self.session, src.path,
                  message=m.CoverageLoaded)
        self._symbol_changed(message.line, force=True)

    def on_blame_loaded(self, message: m.BlameLoaded) -> None:
        if message.path == self.code.path and self.code.rev is None:
            self.code.set_blame(message.lines, generated=message.generated)

    def on_coverage_loaded(self, message: m.CoverageLoaded) -> None:
        cov, path = message.coverage, self.code.path
        if cov is not None and path:
            self.code.set_coverage(lambda n: cov.line(path, n))

    @on(CodeView.CursorMoved)
    def cursor_moved(self, event: CodeView.CursorMoved) -> None:
        if self.code.path:
            self.nav.replace(Location(self.code.path, event.line))
            self._symbol_changed(event.line)

    def _symbol_changed(self, line_no: int, *, force: bool = False) -> None:
        """Find the symbol under the cursor; the call trees follow it."""
        path = self.code.path
        if force:
            self.symbol = None
        self.load("symbol", loaders.symbol_at, self.session, path, line_no,
                  message=lambda found: m.SymbolFound(path, found))

    def on_symbol_found(self, message: m.SymbolFound) -> None:
        if message.path != self.code.path:
            return
        sym = message.symbol
        if sym is not None and sym.kind == "module":
            sym = None
        if (sym.id if sym else None) == (self.symbol.id if self.symbol else None) and \
                self.query_one("#callers", CallTree).symbol is not None:
            return
        self.symbol = sym
        for tree in self.query(CallTree):
            tree.set_root(sym)

    # ------------------------------------------------------------------ finder, files, calls

    @on(SymbolFinder.SymbolChosen)
    def symbol_chosen(self, event: SymbolFinder.SymbolChosen) -> None:
        self.goto_symbol(event.symbol)

    @on(FileTree.FileSelected)
    def file_selected(self, event: FileTree.FileSelected) -> None:
        self.goto(Location(event.path, 1))

    @on(CallTree.SymbolChosen)
    def call_chosen(self, event: CallTree.SymbolChosen) -> None:
        if event.tree.id == "callers" and event.line:
            self.goto_symbol(event.symbol, event.line)
        else:
            self.goto_symbol(event.symbol)

    @on(CodeView.LineActivated)
    def line_activated(self, event: CodeView.LineActivated) -> None:
        self._definition(event.line, event.word)

    def action_definition(self) -> None:
        if self.code.path:
            self._definition(self.code.cursor_line, self.code.word)

    def _definition(self, line_no: int, word: str | None) -> None:
        path = self.code.path
        if not path:
            return
        self.load("definition", calls.definitions, self.session, path, line_no, word,
                  message=lambda found: m.DefinitionsFound(word, found))

    def on_definitions_found(self, message: m.DefinitionsFound) -> None:
        found = message.symbols
        if not found:
            what = f"'{message.word}'" if message.word else "a call on this line"
            self.notify(f"no definition found for {what}", timeout=3, markup=False)
            return
        if len(found) == 1:
            self.goto_symbol(found[0])
            return
        from codemap.tui.screens.pick import PickSymbolScreen

        def picked(sym: Any) -> None:
            if sym is not None:
                self.goto_symbol(sym)

        self.app.push_screen(PickSymbolScreen("Go to definition", found), picked)

    def action_find(self) -> None:
        self.query_one("#finder", SymbolFinder).input.focus()

    def action_focus(self, which: str) -> None:
        self.query_one(f"#{which}").focus()

