"""codemap.safe: what a terminal receives from repository text, field by field."""

from __future__ import annotations

from codemap.safe import inert, inert_line


def test_multi_line_text_keeps_tabs_and_newlines_and_shows_escapes() -> None:
    assert inert("a\tb\nc\x1b[31md\x07") == "a\tb\nc\\e[31md\\x07"


def test_one_line_field_keeps_a_tab_as_whitespace_not_as_an_escape() -> None:
    # an author name or commit summary with a tab: the docstring promises tabs are kept
    assert inert("Ann\tLee", keep_newlines=False) == "Ann\tLee"
    assert inert_line("Ann\tLee\nrm -rf\x1b]0;pwned\x07") == "Ann Lee\\x0arm -rf\\e]0;pwned\\x07"


def test_bidi_controls_and_undecodable_bytes_are_visible() -> None:
    assert inert("x\u202ey") == "x\\u202ey"
    assert inert(b"caf\xe9".decode("utf-8", "surrogateescape")) == "caf\ufffd"
