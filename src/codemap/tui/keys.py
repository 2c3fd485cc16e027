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
    """Bindings active on ``screen``, focused widget first, then the screen, then the app."""
    app = screen.app
    groups: dict[int, KeyGroup] = {}
    seen: dict[int, tuple[KeyGroup, int]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in HIDDEN_ACTIONS:
            continue
        group = groups.get(id(active.node))
        if group is None:
            group = groups[id(active.node)] = KeyGroup(group_title(active.node), active.node)
        shown = binding.key_display or app.get_key_display(Binding(key, binding.action))
        if id(binding) in seen:
            owner, index = seen[id(binding)]
            keys, b = owner.entries[index]
            if shown not in keys.split("/"):
                owner.entries[index] = (f"{keys}/{shown}", b)
            continue
        seen[id(binding)] = (group, len(group.entries))
        group.entries.append((shown, binding))
    order = {App: 2, Screen: 1}
    return sorted(groups.values(), key=lambda g: next(
        (v for t, v in order.items() if isinstance(g.node, t)), 0))
