"""The key bindings that work right now, grouped by where they come from.

One source for the help screen and the command palette, so neither is
written by hand: both are rendered from the bindings themselves
(``Screen.active_bindings``: the focused widget's, the screen's, the app's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

HIDDEN_ACTIONS = frozenset({"command_palette"})


@dataclass
class KeyGroup:
    """The bindings of one node: a widget, the screen or the app."""

    title: str
    node: Any
    entries: list[tuple[str, Binding]] = field(default_factory=list)  # (keys shown, binding)


def group_title(node: Any) -> str:
    if isinstance(node, App):
        return "Global"
    if isinstance(node, Screen):
        return getattr(node, "TITLE", "") or type(node).__name__
    name = type(node).__name__
    return {"CodeView": "Code", "FrameList": "Frames", "CallTree": "Call tree",
            "SuspectsPanel": "Suspects", "FileTree": "Files"}.get(name, name)


def key_groups(screen: Screen[Any]) -> list[KeyGroup]:
    """Bindings active on ``screen``: the screen's own first, then the app's, then the
    focused widget's (navigation keys). One entry per action, listing all its keys."""
    app = screen.app
    groups: dict[int, KeyGroup] = {}
    entries: dict[tuple[int, str], tuple[KeyGroup, int]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in HIDDEN_ACTIONS or binding.system:
            continue
        group = groups.get(id(active.node))
        if group is None:
            group = groups[id(active.node)] = KeyGroup(group_title(active.node), active.node)
        shown = app.get_key_display(Binding(key, binding.action))
        where = (id(active.node), binding.action)
        if where in entries:
            owner, index = entries[where]
            keys, first = owner.entries[index]
            if shown not in keys.split(" "):
                owner.entries[index] = (f"{keys} {shown}", first)
            continue
        entries[where] = (group, len(group.entries))
        group.entries.append((shown, binding))

    def rank(group: KeyGroup) -> int:
        if isinstance(group.node, Screen):
            return 0
        if isinstance(group.node, App):
            return 1
        return 2

    return sorted(groups.values(), key=rank)
