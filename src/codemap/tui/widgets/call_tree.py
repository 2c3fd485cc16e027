"""Callers or callees of a symbol, as a tree that expands lazily.

Each expansion asks the engine for one more level (in a thread worker);
a symbol already on the path from the root is shown but not expanded
again (recursion). An optional ``annotate`` function adds facts to each
node's label after it appears (owners, coverage, recent changes in
endpoint mode); it runs in a worker too. Qualnames are untrusted.

COMPONENT_CLASSES:
    call-tree--kind: the symbol's kind mark
    call-tree--where: path:line
    call-tree--note: notes (recursion, nothing found)
    call-tree--good / --weak: good and weak facts (coverage)
    call-tree--ai: AI-written share
    call-tree--owner: owner facts
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from codemap.tui.texts import line
from codemap.tui.widgets.styles import foreground
from codemap.tui.widgets.symbol_finder import KIND_MARK

AUTO_EXPAND_MAX = 6  # a level with more nodes than this waits for the user

Loader = Callable[[Any], list[tuple[Any, int | None]]]
Annotator = Callable[[Any], Any]  # symbol -> facts, run in a worker
Describer = Callable[["CallTree", Any], Text]  # (tree, facts) -> label text, in the UI thread


def short_qualname(sym: Any) -> str:
    """The name with its enclosing class (``Order.to_dict``), without the module path."""
    parts = sym.qualname.replace(":", ".").split(".")
    if sym.kind == "method" and len(parts) >= 2:
        return ".".join(parts[-2:])
    return parts[-1] or sym.name


@dataclass(frozen=True)
class CallNode:
    symbol: Any  # codemap.model.Symbol
    line: int | None  # the call site (a line of the caller, not of a callee)
    recursive: bool = False


class CallTree(Tree[CallNode | None]):
    """``direction`` is "callers" or "callees"."""

    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {
        "call-tree--kind", "call-tree--where", "call-tree--note", "call-tree--good",
        "call-tree--weak", "call-tree--ai", "call-tree--owner"}

    DEFAULT_CSS = """
    CallTree {
        background: $surface;
        overflow-x: hidden;
        & > .call-tree--kind { color: $accent; text-style: bold; }
        & > .call-tree--where { color: $text-muted; }
        & > .call-tree--note { color: $text-muted; text-style: italic; }
        & > .call-tree--good { color: $success; }
        & > .call-tree--weak { color: $warning; }
        & > .call-tree--ai { color: $accent; text-style: bold; }
        & > .call-tree--owner { color: $text-muted; }
    }
    """

    class SymbolChosen(Message):
        """Enter or click on a node: go to ``symbol`` (at ``line`` for a caller's call site)."""

        def __init__(self, tree: CallTree, symbol: Any, line: int | None) -> None:
            super().__init__()
            self.tree = tree
            self.symbol = symbol
            self.line = line

        @property
        def control(self) -> CallTree:
            return self.tree

    def __init__(self, direction: str, load: Loader, *, annotate: Annotator | None = None,
                 describe: Describer | None = None, auto_depth: int = 1,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(direction, id=id, classes=classes)
        self.direction = direction
        self.load = load
        self.annotate = annotate
        self.describe = describe
        self.auto_depth = auto_depth  # levels opened without asking (small levels only)
        self.guide_depth = 2
        self.symbol: Any = None
        self._loaded: set[int] = set()

    def _style(self, name: str) -> Style:
        return foreground(self, name)

    def set_root(self, sym: Any | None, *, expand: bool = True) -> None:
        """Show the callers / callees of ``sym`` (None: empty)."""
        self.symbol = sym
        self._loaded = set()
        self.clear()
        if sym is None:
            self.root.set_label(Text(f"no symbol here: no {self.direction}", "italic"))
            self.root.allow_expand = False
            return
        self.root.data = CallNode(sym, None)
        self.root.set_label(self._label(CallNode(sym, None)))
        self.root.allow_expand = True
        if expand:
            self.root.expand()

    def _label(self, node: CallNode, note: Text | None = None) -> Text:
        """``ƒ Class.method  <note>  path:line``: the name first, where it is last."""
        sym = node.symbol
        out = Text(end="")
        out.append(f"{KIND_MARK.get(sym.kind, '·')} ", self._style("call-tree--kind"))
        out.append_text(line(short_qualname(sym)))
        if node.recursive:
            out.append(" (recursive)", self._style("call-tree--note"))
        if note is not None and note.plain:
            out.append("  ")
            out.append_text(note)
        # a call site is a line of the *caller*: it names a place in a caller's file,
        # but a callee lives elsewhere, so a callee shows where it is defined
        site = node.line if node.line and self.direction == "callers" else None
        where = f"{sym.path}:{site or sym.start_line}"
        out.append_text(line(f"  {where}", self._style("call-tree--where")))
        return out

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[CallNode | None]) -> None:
        if event.control is not self:
            return
        event.stop()
        node = event.node
        if id(node) in self._loaded or node.data is None or node.data.recursive:
            return
        self._loaded.add(id(node))
        sym = node.data.symbol
        node.add_leaf(Text("loading…", "italic"))

        def work() -> None:
            try:
                items = self.load(sym)
                error = None
            except Exception as exc:  # shown in the tree; the app also hears of it
                items, error = [], getattr(exc, "message", str(exc))
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._fill, node, items, error)

        self.run_worker(work, name=self.direction, group=f"{self.direction}-{id(node)}",
                        thread=True, exit_on_error=False)

    def _depth(self, node: TreeNode[CallNode | None]) -> int:
        depth, current = 0, node.parent
        while current is not None:
            depth, current = depth + 1, current.parent
        return depth

    def _ancestors(self, node: TreeNode[CallNode | None]) -> set[str]:
        seen: set[str] = set()
        current: TreeNode[CallNode | None] | None = node
        while current is not None:
            if current.data is not None:
                seen.add(current.data.symbol.id)
            current = current.parent
        return seen

    def _fill(self, node: TreeNode[CallNode | None], items: list[tuple[Any, int | None]],
              error: str | None) -> None:
        node.remove_children()
        if error:
            node.add_leaf(line(error, self._style("call-tree--note")))
            return
        if not items:
            node.add_leaf(Text(f"no {self.direction} found", self._style("call-tree--note")))
            return
        above = self._ancestors(node)
        added: list[TreeNode[CallNode | None]] = []
        for sym, site in items:
            data = CallNode(sym, site, sym.id in above)
            added.append(node.add(self._label(data), data, allow_expand=not data.recursive))
        if self.annotate is not None:
            self._annotate(added)
        if len(added) <= AUTO_EXPAND_MAX and self._depth(node) + 1 < self.auto_depth:
            for child in added:
                if child.allow_expand:
                    child.expand()

    def _annotate(self, nodes: list[TreeNode[CallNode | None]]) -> None:
        annotate = self.annotate
        assert annotate is not None

        def work() -> None:
            for tree_node in nodes:
                data = tree_node.data
                if data is None or get_current_worker().is_cancelled:
                    continue
                try:
                    facts = annotate(data.symbol)
                except Exception:
                    continue
                self.app.call_from_thread(self._annotated, tree_node, data, facts)

        self.run_worker(work, name="annotate", group=f"annotate-{id(nodes[0])}", thread=True,
                        exit_on_error=False)

    def _annotated(self, node: TreeNode[CallNode | None], data: CallNode, facts: Any) -> None:
        note = self.describe(self, facts) if self.describe is not None else None
        node.set_label(self._label(data, note))

    def style_of(self, name: str) -> Style:
        """A component class's colours, for ``describe`` functions."""
        return self._style(name)

    def annotate_root(self) -> None:
        if self.annotate is not None and self.root.data is not None:
            self._annotate([self.root])

    def on_tree_node_selected(self, event: Tree.NodeSelected[CallNode | None]) -> None:
        if event.control is not self or event.node.data is None:
            return
        event.stop()
        data = event.node.data
        self.post_message(self.SymbolChosen(self, data.symbol, data.line))
