"""The texts the extractor stores (names, receivers, types, binding values) are the file's
bytes decoded as UTF-8 with replacement characters and clipped to MAX_TEXT bytes, also
where a file is not ASCII: the extractor slices them from the file decoded as Latin-1
and re-reads only the slices that are not ASCII."""

from __future__ import annotations

from codemap.index.extract import MAX_TEXT, extract

LONG = "r" + "é" * 150  # more than MAX_TEXT bytes; the clip cuts a 2-byte character


def _clipped(text: str) -> str:
    return text.encode()[:MAX_TEXT].decode("utf-8", "replace")


def test_texts_of_a_file_that_is_not_ascii() -> None:
    source = (f"café = Crème()\n"
              f"{LONG}.méthode(café)\n"
              f"obj.naïve = café\n"
              f"def f(x: Ünïcode = café):\n    return x\n").encode()
    facts = extract("m.py", source, "python", "m")
    calls = {(c[1], c[2], c[5]) for c in facts.calls}
    assert ("Crème", "", "call") in calls
    assert ("méthode", _clipped(LONG), "call") in calls
    # the clip cuts a two-byte character in half: one replacement character, as decoding
    # the clipped bytes gives
    assert _clipped(LONG).endswith("é\ufffd")
    bindings = {b[1:4] for b in facts.bindings}
    assert ("café", "Crème", "") in bindings
    assert ("naïve", "=café", "obj") in bindings
    assert ("x", "Ünïcode", "") in bindings
    assert ("f", "=(x: Ünïcode = café)", "") in bindings
    assert [s[2] for s in facts.symbols] == ["m", "f"]


def test_bytes_that_are_not_utf8_read_as_replacement_characters() -> None:
    source = b'class C:\n    SEP = "\xff\xfe"\n\n"\xe9-".join(parts)\n'
    facts = extract("m.py", source, "python", "m")
    assert facts.bindings == [(1, "SEP", '="\ufffd\ufffd"', "", 1),
                              (0, "(parts)", "=parts", '"\ufffd-".join', 4)]
    assert [(c[1], c[2]) for c in facts.calls if c[1] == "join"] == [("join", '"\ufffd-"')]
