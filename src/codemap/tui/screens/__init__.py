"""The UI's modes, as data: the one place a mode (a top-level screen) is added.

Each mode is a :class:`~codemap.tui.screens.base.ModeScreen` subclass built
with the :class:`~codemap.tui.session.Session`; it reads what it needs from
``session.options`` (a trace, an endpoint, a tour file, a review range).
A mode whose module is missing from this build is left out of the mode bar
and the bindings; asking for it on the command line is a one-line error.
Tour and review screens plug in here (``codemap.tui.screens.tour`` /
``.review``, class names below) without any other change.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class ModeSpec:
    name: str
    title: str
    screen: str  # "module:Class"
    key: str  # the key that switches to it


MODES: tuple[ModeSpec, ...] = (
    ModeSpec("explore", "Explore", "codemap.tui.screens.explore:ExploreScreen", "1"),
    ModeSpec("trace", "Trace", "codemap.tui.screens.trace:TraceScreen", "2"),
    ModeSpec("endpoint", "Endpoint", "codemap.tui.screens.endpoint:EndpointScreen", "3"),
    ModeSpec("tour", "Tour", "codemap.tui.screens.tour:TourScreen", "4"),
    ModeSpec("review", "Review", "codemap.tui.screens.review:ReviewScreen", "5"),
)


@cache
def screen_class(spec: ModeSpec) -> Any | None:
    """The screen class of ``spec``, or None when this build does not have it."""
    module_name, attr = spec.screen.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    return getattr(module, attr, None)


def available_modes() -> list[ModeSpec]:
    return [spec for spec in MODES if screen_class(spec) is not None]


def mode_spec(name: str) -> ModeSpec | None:
    return next((m for m in MODES if m.name == name), None)
