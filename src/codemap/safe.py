"""Make untrusted repository text inert for terminals.

Commit messages, author names, exception messages and source code come from
the repository and may hold terminal escape sequences or other control
characters. :func:`inert` turns every control character into a visible
escape, so printing the result can never move the cursor, change colours,
set the window title or ring a bell. Rich/Textual markup is a separate
concern: front ends never pass repository text through a markup parser
(they build ``rich.text.Text`` objects or print plain strings).
JSON output keeps the original text; only human-facing output is made inert.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_WITH_NL = re.compile(
    r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)

_SURROGATE = re.compile("[\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code == 0x1B:
        return "\\e"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def inert(text: str, *, keep_newlines: bool = True) -> str:
    """Return ``text`` with every control character shown as a visible escape.

    Tabs are kept; newlines are kept unless ``keep_newlines`` is false (for
    one-line fields such as a commit summary or an author name).
    Surrogate escapes left by undecodable bytes become U+FFFD.
    """
    if not text:
        return text
    if not text.isascii() and _SURROGATE.search(text):  # a regex: millions of lines get here
        text = _SURROGATE.sub("\ufffd", text)
    pattern = _CONTROL if keep_newlines else _CONTROL_WITH_NL
    return pattern.sub(_visible, text)


def inert_line(text: str) -> str:
    """:func:`inert` for a one-line field: newlines become ``\\x0a``, tabs a space."""
    return inert(text, keep_newlines=False).replace("\t", " ")
