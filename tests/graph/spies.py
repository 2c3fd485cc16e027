"""A spy the resolver tests share: what a patched function returned, call by call."""

from __future__ import annotations

from typing import Any

import pytest


def record_returns(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[object]:
    """Replace ``owner.name`` by a wrapper that calls it and appends each return value to
    the list returned (in call order)."""
    returned: list[object] = []
    original = getattr(owner, name)

    def spying(*args: Any, **kwargs: Any) -> object:
        value = original(*args, **kwargs)
        returned.append(value)
        return value

    monkeypatch.setattr(owner, name, spying)
    return returned
