"""The repository's files as a tree that expands lazily.

Built from the path list codemap already has (the index, or ``git
ls-files`` before the index exists), not by walking the disk: ignored and
excluded files stay out, and a 100,000-file repository costs one dict.
Directories gain their children when first expanded. Paths are untrusted
and shown literally.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from codemap.tui.texts import line

_FILES = "\0files"


def _nest(paths: list[str]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for path in paths:
        node = root
        parts = path.split("/")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node.setdefault(_FILES, []).append(parts[-1])
    return root


class FileTree(Tree[str | None]):
    """Files and directories; posts ``FileSelected`` when a file is chosen."""

    DEFAULT_CSS = """
    FileTree { background: $surface; overflow-x: hidden; }
    """

    class FileSelected(Message):
        def __init__(self, tree: FileTree, path: str) -> None:
            super().__init__()
            self.tree = tree
            self.path = path

        @property
        def control(self) -> FileTree:
            return self.tree

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("files", id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2
        self._dirs: dict[int, tuple[str, dict[str, Any]]] = {}

    def set_paths(self, paths: list[str]) -> None:
        self.clear()
        self._dirs = {}
        self._fill(self.root, "", _nest(sorted(paths)))
        self.root.expand()

    def _fill(self, node: TreeNode[str | None], prefix: str, content: dict[str, Any]) -> None:
        for name in sorted(k for k in content if k != _FILES):
            child = node.add(line(f"{name}/", "bold"), f"{prefix}{name}/", allow_expand=True)
            self._dirs[id(child)] = (f"{prefix}{name}/", content[name])
        for name in sorted(content.get(_FILES, [])):
            node.add_leaf(line(name), f"{prefix}{name}")

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str | None]) -> None:
        pending = self._dirs.pop(id(event.node), None)
        if pending is not None:
            self._fill(event.node, *pending)

    def on_tree_node_selected(self, event: Tree.NodeSelected[str | None]) -> None:
        if event.control is self and event.node.data and not event.node.data.endswith("/"):
            event.stop()
            self.post_message(self.FileSelected(self, event.node.data))

    def reveal(self, path: str) -> None:
        """Expand the directories down to ``path`` and put the cursor on it."""
        node = self.root
        parts = path.split("/")
        for depth in range(len(parts) - 1):
            folder = "/".join(parts[: depth + 1]) + "/"
            match = next((c for c in node.children if c.data == folder), None)
            if match is None:
                return
            if not match.is_expanded:
                match.expand()
                pending = self._dirs.pop(id(match), None)
                if pending is not None:
                    self._fill(match, *pending)
            node = match
        leaf = next((c for c in node.children if c.data == path), None)
        if leaf is not None:  # node lines exist once the tree has been laid out again
            self.call_after_refresh(self.move_cursor, leaf)
