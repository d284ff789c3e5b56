"""Bytes become text only when they are text: declared encodings, and one narrow fallback."""

from __future__ import annotations

import pytest

from dedup.corpus.decoding import Decoded, DecodeProblem, decode_line, decode_text

STORY = "Grüße aus Köln: the café's crème brûlée cost €5 – “worth it”, said Zoë.\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
                                   "utf-32-be"])
def test_a_byte_order_mark_declares_utf16_or_utf32(codec: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff",
           "utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}.get(codec, b"")
    decoded = decode_text(bom + STORY.encode(codec))
    assert decoded == Decoded(STORY, codec[:6])


def test_utf16_with_a_broken_surrogate_pair_is_an_invalid_encoding() -> None:
    data = b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8A\x00"  # high surrogate, then "A"
    problem = decode_text(data)
    assert isinstance(problem, DecodeProblem)
    assert problem.reason == "invalid_encoding"
    assert "UTF-16" in problem.detail
    assert "byte offset 6" in problem.detail


def test_utf16_without_a_mark_is_still_nul_bytes() -> None:
    problem = decode_text("Hello".encode("utf-16-le"))
    assert isinstance(problem, DecodeProblem)
    assert problem.reason == "nul_bytes"


def test_windows_1252_text_is_decoded_and_says_so() -> None:
    assert decode_text(STORY.encode("cp1252")) == Decoded(STORY, "cp1252")
    latin1 = "Ça coûte 5 francs, dit l'élève.".encode("latin-1")
    assert decode_text(latin1) == Decoded("Ça coûte 5 francs, dit l'élève.", "cp1252")


def test_utf8_stays_utf8_and_loses_only_its_mark() -> None:
    assert decode_text(("\ufeff" + STORY).encode()) == Decoded(STORY, "utf-8")


@pytest.mark.parametrize(("data", "why"), [
    ("Привет, как дела? Всё хорошо.".encode("cp1251"), "Cyrillic code page"),
    ("Καλημέρα σας, φίλοι μου.".encode("cp1253"), "Greek code page"),
    (STORY.encode() + b"\xff", "UTF-8 with one bad byte"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(0x80, 0xff)).replace(b"\x81", b""), "binary"),
    (b"caf\xe9 \x81", "a byte Windows-1252 does not define"),
])
def test_what_only_a_guess_could_read_stays_invalid_utf8(data: bytes, why: str) -> None:
    problem = decode_text(data)
    assert isinstance(problem, DecodeProblem), why
    assert problem.reason == "invalid_utf8", why
    assert "byte offset" in problem.detail


def test_lines_of_a_utf8_format_have_no_fallback() -> None:
    problem = decode_line("café".encode("cp1252"), offset=100)
    assert problem == DecodeProblem("invalid_utf8",
                                    "invalid UTF-8 at byte offset 103 (unexpected end of data)")
