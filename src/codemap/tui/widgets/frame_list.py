"""The exceptions and frames of a trace: in-repo frames prominent, library frames folded.

Frames are listed in call order (outermost caller first, the frame that
raised last), as the contract orders them. Runs of frames outside the
repository (stdlib, site-packages, node_modules, the JDK) fold into one
collapsed node that expands on demand, and so do the middle copies of a
recursion (:mod:`codemap.traces.repeats`). Exception messages and function
names are untrusted and go through :mod:`codemap.tui.texts`.

COMPONENT_CLASSES:
    frame-list--exception: an exception's type
    frame-list--message: an exception's message
    frame-list--function: an in-repo frame's function
    frame-list--location: an in-repo frame's path:line
    frame-list--library: frames outside the repository
    frame-list--raising: the frame that raised
    frame-list--mark: marks after a frame (AI-written, renamed)
    frame-list--covered: the covered mark
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from codemap.traces.repeats import frame_key, repeats
from codemap.tui.texts import line
from codemap.tui.widgets.gutter import AI_MARK, COVERED_MARK, MISSED_MARK
from codemap.tui.widgets.styles import foreground


@dataclass(frozen=True)
class FrameRef:
    """A frame of the report and where it sits."""

    exception: int
    index: int
    frame: Any  # codemap.traces.report.TraceFrame
    raising: bool = False


class FrameList(Tree[FrameRef | None]):
    """A tree of exceptions > frames; posts ``FrameSelected`` as the cursor moves."""

    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {
        "frame-list--exception", "frame-list--message", "frame-list--function",
        "frame-list--location", "frame-list--library", "frame-list--raising",
        "frame-list--mark", "frame-list--covered",
    }

    DEFAULT_CSS = """
    FrameList {
        background: $surface;
        overflow-x: hidden;
        & > .frame-list--exception { color: $error; text-style: bold; }
        & > .frame-list--message { color: $text; }
        & > .frame-list--function { color: $text; text-style: bold; }
        & > .frame-list--location { color: $text-muted; }
        & > .frame-list--library { color: $text-disabled; }
        & > .frame-list--raising { color: $error; text-style: bold; }
        & > .frame-list--mark { color: $accent; }
        & > .frame-list--covered { color: $success; }
    }
    """

    class FrameSelected(Message):
        """The cursor is on a frame (``ref``)."""

        def __init__(self, frame_list: FrameList, ref: FrameRef) -> None:
            super().__init__()
            self.frame_list = frame_list
            self.ref = ref

        @property
        def control(self) -> FrameList:
            return self.frame_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("trace", id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2
        self.report: Any = None
        self._frame_nodes: list[TreeNode[FrameRef | None]] = []
        self._last_posted: tuple[int, int, int] | None = None

    def _style(self, name: str) -> Style:
        return foreground(self, name)

    # ------------------------------------------------------------------ content

    def show_report(self, report: Any, *, select: bool = True) -> None:
        """Fill the tree from a ``TraceReport``; the cursor goes to the raising frame
        (unless ``select`` is false)."""
        self.report = report
        self.clear()
        self._frame_nodes = []
        raising = report.raising_frame()
        for e, exc in enumerate(report.exceptions):
            node = self.root.add(self._exception_label(exc), None, expand=True)
            group: TreeNode[FrameRef | None] | None = None
            members: list[Any] = []
            folds = {run.start: run for run in repeats([frame_key(f) for f in exc.frames])}
            fold: TreeNode[FrameRef | None] | None = None
            fold_end = -1
            for k, frame in enumerate(exc.frames):
                ref = FrameRef(e, k, frame, frame is raising)
                if k in folds:  # the middle copies of a recursion: one collapsed node
                    run = folds[k]
                    fold, fold_end, group = node.add(Text(end=""), None, expand=False), run.end, None
                    fold.set_label(Text(f"↻ {run.short()}", self._style("frame-list--library"),
                                        end=""))
                if fold is not None and k < fold_end:
                    self._frame_nodes.append(fold.add_leaf(self._frame_label(ref), ref))
                    continue
                fold = None
                if frame.in_repo:
                    group = None
                    self._frame_nodes.append(node.add_leaf(self._frame_label(ref), ref))
                    continue
                if group is None:
                    group = node.add(Text(""), None, expand=False)
                    members = []
                members.append(frame)
                group.set_label(self._group_label(members))
                self._frame_nodes.append(group.add_leaf(self._frame_label(ref), ref))
        if select:
            self.select_raising()

    def enrich(self, report: Any) -> None:
        """Take the enriched copy of the shown report (same frames, plus last commit
        and coverage) and re-label the frames; the cursor stays where it is."""
        self.report = report
        for node in self._frame_nodes:
            ref = node.data
            if ref is None:
                continue
            frame = report.exceptions[ref.exception].frames[ref.index]
            node.data = FrameRef(ref.exception, ref.index, frame, ref.raising)
            node.set_label(self._frame_label(node.data))

    def _post_selected(self, ref: FrameRef) -> None:
        key = (ref.exception, ref.index, id(self.report))
        if key != self._last_posted:
            self._last_posted = key
            self.post_message(self.FrameSelected(self, ref))

    def select_raising(self) -> None:
        """Put the cursor on the frame that raised (else the first frame)."""
        for node in self._frame_nodes:
            if node.data is not None and node.data.raising:
                self._select_node(node)
                return
        if self._frame_nodes:
            self._select_node(self._frame_nodes[0])

    def _select_node(self, node: TreeNode[FrameRef | None]) -> None:
        if node.parent is not None and not node.parent.is_expanded:
            node.parent.expand()

        def move() -> None:  # node lines exist only once the tree has been laid out
            self.move_cursor(node)
            if node.data is not None:
                self._post_selected(node.data)

        self.call_after_refresh(move)

    @property
    def frame_refs(self) -> list[FrameRef]:
        return [n.data for n in self._frame_nodes if n.data is not None]

    def select_frame(self, exception: int, index: int) -> None:
        """Put the cursor on frame ``index`` of exception ``exception``."""
        for node in self._frame_nodes:
            if node.data is not None and (node.data.exception, node.data.index) == (exception, index):
                self._select_node(node)
                return

    # ------------------------------------------------------------------ labels

    def _exception_label(self, exc: Any) -> Text:
        label = Text(end="")
        if getattr(exc, "relation", None):
            label.append(f"({exc.relation}) ", self._style("frame-list--location"))
        label.append_text(line(exc.type or "error", self._style("frame-list--exception")))
        if exc.message:
            label.append(": ", self._style("frame-list--message"))
            label.append_text(line(exc.message, self._style("frame-list--message")))
        return label

    def _group_label(self, members: list[Any]) -> Text:
        count = len(members)
        label = Text(f"{count} library frame{'s' if count != 1 else ''}",
                     self._style("frame-list--library"), end="")
        places = list(dict.fromkeys(_place(f) for f in members if _place(f)))
        if places:
            shown = ", ".join(places[:2]) + (", …" if len(places) > 2 else "")
            label.append_text(line(f" ({shown})", self._style("frame-list--library")))
        return label

    def _frame_label(self, ref: FrameRef) -> Text:
        frame = ref.frame
        label = Text(end="")
        if not frame.in_repo:
            where = (frame.file or "").replace("\\", "/").rsplit("/", 1)[-1]
            label.append_text(line(frame.function or "?", self._style("frame-list--library")))
            label.append(" ")
            label.append_text(line(f"{where}:{frame.line}" if frame.line else where,
                                   self._style("frame-list--library")))
            return label
        name_style = self._style("frame-list--raising" if ref.raising
                                 else "frame-list--function")
        label.append("✖ " if ref.raising else "  ", name_style)
        label.append_text(line(frame.function or (frame.symbol.name if frame.symbol else "?"),
                               name_style))
        label.append(" ")
        label.append_text(line(f"{frame.path}:{frame.line}", self._style("frame-list--location")))
        label.append_text(self._marks(frame))
        return label

    def _marks(self, frame: Any) -> Text:
        marks = Text(end="")
        mark_style = self._style("frame-list--mark")
        commit = frame.last_commit
        if commit is not None and _get(commit, "ai"):
            marks.append(f" {AI_MARK}", mark_style)
        cov = frame.coverage
        if cov is not None:
            covered = _get(cov, "covered")
            if covered is True:
                marks.append(f" {COVERED_MARK}", self._style("frame-list--covered"))
            elif covered is False:
                marks.append(f" {MISSED_MARK}", self._style("frame-list--raising"))
        if frame.name_mismatch:
            marks.append(" ≠", self._style("frame-list--raising"))
        return marks

    # ------------------------------------------------------------------ events

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[FrameRef | None]) -> None:
        if event.control is not self:
            return
        data = event.node.data
        if isinstance(data, FrameRef):
            event.stop()
            self._post_selected(data)


def _place(frame: Any) -> str:
    """A library frame's file, shortened to its last two path parts."""
    parts = (frame.file or "").replace("\\", "/").rstrip("/").split("/")
    return "/".join(parts[-2:]) if parts != [""] else ""


def _get(obj: Any, key: str) -> Any:
    """A field of an enrichment object, whether the engine gave a dataclass or a dict."""
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)
