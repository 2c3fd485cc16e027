"""Rich ``Text`` built from untrusted repository text, and short display forms.

Commit messages, author names, exception messages and source lines come
from the repository. They are shown through ``rich.text.Text`` objects
(never a markup string, so ``[bold]`` or ``[link=...]`` stay literal) after
:func:`codemap.safe.inert` (so escape sequences are shown, not obeyed).
Every widget builds its labels with :func:`plain` or :func:`line`.
"""

from __future__ import annotations

from datetime import datetime, timezone

from rich.style import Style
from rich.text import Text

from codemap.safe import inert, inert_line


def line(text: str | None, style: str | Style = "") -> Text:
    """One-line untrusted text (newlines shown as ``\\n``) as a literal ``Text``.

    Tabs (indentation in a diff line) are expanded first: ``inert_line`` would
    show them as the escape ``\\x09``.
    """
    text = text or ""
    return Text(inert_line(text.expandtabs(4) if "\t" in text else text), style=style, end="")


def plain(text: str | None, style: str | Style = "") -> Text:
    """Multi-line untrusted text as a literal ``Text`` (newlines kept)."""
    return Text(inert(text or ""), style=style, end="")


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def age(value: str | int | float | None, now: datetime) -> str:
    """A compact age: ``5m``, ``3h``, ``4d``, ``7mo``, ``2y`` (``?`` when unknown)."""
    if value is None or value == "":
        return "?"
    if isinstance(value, (int, float)):
        when = datetime.fromtimestamp(value, timezone.utc)
    else:
        parsed = parse_date(value)
        if parsed is None:
            return "?"
        when = parsed
    seconds = max((now - when).total_seconds(), 0)
    days = seconds / 86400
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if days < 1:
        return f"{int(seconds // 3600)}h"
    if days < 45:
        return f"{int(days)}d"
    if days < 365:
        return f"{int(days // 30.4)}mo"
    return f"{int(days // 365)}y"


def age_days(value: str | int | float | None, now: datetime) -> float | None:
    if isinstance(value, (int, float)):
        return max((now.timestamp() - value) / 86400, 0)
    parsed = parse_date(value) if isinstance(value, str) else None
    return None if parsed is None else max((now - parsed).total_seconds() / 86400, 0)


def short_name(name: str, width: int) -> str:
    """``Priya Raman`` -> ``Priya R.`` fitted to ``width`` cells (inert)."""
    name = inert_line(name).strip()
    if len(name) <= width:
        return name
    parts = name.split()
    if len(parts) > 1:
        short = f"{parts[0]} {parts[-1][0]}."
        if len(short) <= width:
            return short
    return name[: max(width - 1, 0)] + "…"


def short_sha(sha: str | None) -> str:
    return (sha or "")[:8]


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"
