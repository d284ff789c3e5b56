"""From bytes to text: UTF-8, encodings a byte order mark declares, and one recorded fallback.

UTF-8 is what every format dedup reads is meant to be in, and it is checked
strictly: a byte that is not UTF-8 is never replaced quietly. Two exceptions:

* A byte order mark declares UTF-16 or UTF-32 (Windows tools such as
  PowerShell's ``>`` write UTF-16 with one). That is not a guess, so the text
  is decoded in the declared encoding and nothing more is said.
* A text file that is not UTF-8 but reads as Windows-1252 (the superset of
  printable Latin-1 that browsers use for both labels) is decoded so, and the
  fallback is reported to the caller (the reader puts it in the record's
  location). It is conservative on purpose: a file that holds well-formed
  UTF-8 sequences is broken UTF-8, not Windows-1252; control characters mean
  binary data; and text whose letters are mostly non-ASCII is in some other
  single-byte encoding (Cyrillic, Greek, Arabic code pages), where
  Windows-1252 would turn every word into accented Latin nonsense. Those stay
  ``invalid_utf8``. A detector (charset-normalizer, which trafilatura uses)
  would also guess those other code pages, but its guesses on short documents
  are unreliable, and a wrong guess is fluent-looking garbage in the output:
  for a cleaner whose every change must be explainable, a narrow fallback
  that is nearly always right beats a broad one that is sometimes wrong.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from dedup.document import RejectionReason

__all__ = ["DecodeProblem", "Decoded", "bom_encoding", "decode_line", "decode_text"]

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_BOM = "\ufeff"
#: A well-formed multi-byte UTF-8 sequence: Windows-1252 text almost never holds one.
_UTF8_SEQUENCE = re.compile(
    b"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: C0 controls other than tab, line feed, vertical tab, form feed, carriage return; and DEL.
_BINARY_CONTROL = re.compile("[\x01-\x08\x0e-\x1f\x7f]")
#: Western European text has a few accented letters per word at most (French and
#: Portuguese about 5% of letters, Icelandic under 15%); a Cyrillic or Greek code
#: page read as Windows-1252 has nearly all of its letters outside ASCII.
_MAX_NON_ASCII_SHARE = 0.3


class Decoded(NamedTuple):
    """A decoded text and the encoding it was read in (``utf-8``, ``utf-16``, ``cp1252``...)."""

    text: str
    encoding: str


class DecodeProblem(NamedTuple):
    """Why bytes are not text: a rejection reason and a detail without the location."""

    reason: RejectionReason
    detail: str


def bom_encoding(head: bytes) -> str | None:
    """Return the UTF-16/32 codec a byte order mark at the start of ``head`` declares.

    >>> [bom_encoding(head) for head in (b"\\xff\\xfeH\\x00", b"\\xff\\xfe\\x00\\x00", b"Hi")]
    ['utf-16', 'utf-32', None]
    """
    for mark, encoding in _BOMS:
        if head.startswith(mark):
            return encoding
    return None


def decode_line(data: bytes, *, offset: int = 0) -> str | DecodeProblem:
    """Decode one line of a UTF-8 format strictly, or say which byte is wrong.

    ``offset`` is where the line starts in its file, so the detail points at the byte.

    >>> decode_line(b'{"a": 1}')
    '{"a": 1}'
    >>> decode_line(b"caf\\xe9", offset=10).detail
    'invalid UTF-8 at byte offset 13 (unexpected end of data)'
    """
    position = data.find(b"\x00")
    if position >= 0:
        return DecodeProblem("nul_bytes", f"NUL byte at byte offset {offset + position}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return DecodeProblem("invalid_utf8", f"invalid UTF-8 at byte offset "
                                             f"{offset + exc.start} ({exc.reason})")
    return text.removeprefix(_UTF8_BOM)


def decode_text(data: bytes) -> Decoded | DecodeProblem:
    """Decode a whole text file: byte order mark, else UTF-8, else a checked Windows-1252.

    >>> decode_text("Grüße".encode("utf-16"))
    Decoded(text='Grüße', encoding='utf-16')
    >>> decode_text("Déjà vu, Müller.".encode("cp1252"))
    Decoded(text='Déjà vu, Müller.', encoding='cp1252')
    >>> decode_text("Привет, мир".encode("cp1251")).reason
    'invalid_utf8'
    """
    declared = bom_encoding(data[:4])
    if declared is not None:
        try:
            text = data.decode(declared)
        except UnicodeDecodeError as exc:
            return DecodeProblem("invalid_encoding",
                                 f"a byte order mark declares {declared.upper()}, but byte "
                                 f"offset {exc.start} is not valid in it ({exc.reason})")
        if "\x00" in text:
            return DecodeProblem("nul_bytes", f"{declared.upper()} text with a NUL character "
                                              f"at offset {text.index(chr(0))}")
        return Decoded(text, declared)
    strict = decode_line(data)
    if isinstance(strict, str):
        return Decoded(strict, "utf-8")
    if strict.reason == "invalid_utf8":
        fallback = _windows_1252(data)
        if fallback is not None:
            return Decoded(fallback, "cp1252")
    return strict


def _windows_1252(data: bytes) -> str | None:
    """Return ``data`` read as Windows-1252 when it plausibly is, else None."""
    if _UTF8_SEQUENCE.search(data) is not None:
        return None
    try:
        text = data.decode("cp1252")  # strict: five bytes are undefined in it
    except UnicodeDecodeError:
        return None
    if _BINARY_CONTROL.search(text) is not None:
        return None
    letters = sum(1 for char in text if char.isalpha())
    non_ascii = sum(1 for char in text if not char.isascii())
    if letters == 0 or non_ascii > _MAX_NON_ASCII_SHARE * letters:
        return None
    return text
