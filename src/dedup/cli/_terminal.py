"""Text from documents, made safe to show on a terminal: the one place the CLI escapes it.

An id, a location, a rejection's detail or a title comes from the input, and
the input is not trusted: ``\\x1b[31m`` would recolour the terminal, ``\\r``
overwrite the line before it, ``\\u202e`` reverse what follows, a lone
surrogate turn into a byte that is not UTF-8. Everything the CLI prints on
standard error, and every log message, goes through :func:`printable`, which
writes such characters as their Python escapes, so one message stays one line
and shows the data as it is. JSON on standard output goes through
:func:`terminal_json`, which writes the same characters as JSON ``\\u``
escapes: the value read back is unchanged.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import IO

__all__ = ["SafeFormatter", "printable", "say", "terminal_json"]

#: C0 controls (newline and tab too: one message is one line), DEL, C1 controls, the
#: bidirectional marks, embeddings, overrides and isolates, the Unicode line and
#: paragraph separators, and lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")
#: What JSON itself leaves unescaped of the above (it escapes C0 controls already).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                             "\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """Return ``text`` with every character that could act on a terminal written as an escape.

    >>> printable("a\\x1b[31mb\\rc\\u202ed\\udc80")
    'a\\\\x1b[31mb\\\\x0dc\\\\u202ed\\\\udc80'
    >>> printable("café, 東京")
    'café, 東京'
    """
    shown = str(text)
    return _UNSAFE.sub(_escape, shown) if _UNSAFE.search(shown) else shown


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def terminal_json(line: str) -> str:
    """Return a JSON text with the controls JSON leaves raw written as ``\\u`` escapes.

    The value is unchanged for any JSON reader; only its spelling is.

    >>> terminal_json('{"id":"a\\u202eb"}')
    '{"id":"a\\\\u202eb"}'
    """
    return _UNSAFE_IN_JSON.sub(_json_escape, line)


def say(message: str, stream: IO[str] | None = None) -> None:
    """Print one message line to standard error (or ``stream``), escaped by :func:`printable`."""
    print(printable(message), file=stream if stream is not None else sys.stderr)


class SafeFormatter(logging.Formatter):
    """A log formatter whose messages are escaped by :func:`printable` (log lines name ids)."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))
