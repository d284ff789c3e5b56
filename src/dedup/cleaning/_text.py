"""Word tokens and line keys shared by the clean steps (one definition, so steps agree)."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["TERMINAL_PUNCTUATION", "column_stops", "ends_sentence", "ends_with_stop", "fold_line",
           "latin_length", "line_words", "reads_as_code", "spaceless", "starts_lower",
           "unmarked_script", "word_weight", "words"]

# Scripts written without spaces: every character is its own token there.
_NO_SPACE_SCRIPTS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_NO_SPACE_SCRIPTS}]|[^\\W{_NO_SPACE_SCRIPTS}]+")
_SIMPLE_WORD = re.compile(r"\w+")
_NO_SPACE_CHAR = re.compile(f"[{_NO_SPACE_SCRIPTS}]")
#: Han and kana: a character is a word or a syllable, several letters' worth.
_IDEOGRAPH = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: What one Han or kana character counts in :func:`latin_length`: a Japanese
#: or Chinese sentence is about a third as long as its English translation.
IDEOGRAPH_WEIGHT = 3
#: A Hangul syllable is two or three letters, written as one character.
_HANGUL = re.compile("[\uac00-\ud7a3]")
HANGUL_WEIGHT = 2
_LEADING_NOISE = re.compile(r"^[\W_]+")
_SPACE_RUN = re.compile(r"\s+")
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")

#: Characters that end a sentence, with the closing quotes and brackets that may
#: follow them: Latin, Han and kana (full and half width), Arabic and Urdu, the
#: danda of Devanagari and Bengali (Hindi, Marathi, Nepali, Bengali), Burmese,
#: Khmer, Tibetan, Ethiopic and Armenian full stops. Without its script's mark, a
#: paragraph of prose reads as a menu line in a language we hold no stopwords for.
TERMINAL_PUNCTUATION = frozenset(".!?…。！？؟۔｡．।॥။።։។།")
#: Scripts whose sentences end with no mark at all, only a space (Thai, Lao).
_UNMARKED_SCRIPTS = re.compile("[\u0e01-\u0e5b\u0e81-\u0edf]")
_CLOSERS = "\"'”’»)]›」』"
_ABBREVIATION = re.compile(
    r"(?:[A-Z]\.)+|(?:Inc|Corp|Co|Ltd|Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|No|vs|Jan|Feb|Mar|"
    r"Apr|Aug|Sept?|Oct|Nov|Dec)\.")


def words(text: str) -> list[str]:
    """Return the case-folded word tokens of ``text``.

    >>> words("Share THIS post!")
    ['share', 'this', 'post']
    >>> words("东京 news")
    ['东', '京', 'news']
    """
    folded = text.casefold()
    if _NO_SPACE_CHAR.search(folded) is None:
        return _SIMPLE_WORD.findall(folded)
    return _WORD.findall(folded)


def spaceless(text: str) -> bool:
    """Say whether ``text`` holds a character of a script written without spaces (Han, kana, Thai).

    >>> spaceless("如 shadow(5) 中所述"), spaceless("Shadow files")
    (True, False)
    """
    return not text.isascii() and _NO_SPACE_CHAR.search(text) is not None


#: What a token of one character of a script written without spaces counts as
#: in :func:`word_weight`: a word of Chinese or Japanese is one to three of them.
SPACELESS_TOKEN_WEIGHT = 0.5


def word_weight(tokens: Sequence[str]) -> float:
    """How many words :func:`words` tokens are worth: a Han, kana or Thai character counts half.

    Thresholds counted in words ("a copy has at least 8") are set on text with
    spaces; counted raw, a Japanese line of nine characters is nine words.

    >>> word_weight(words("preinst スクリプトの実行")), word_weight(["two", "words"])
    (5.0, 2.0)
    """
    lone = sum(1 for token in tokens if len(token) == 1 and _NO_SPACE_CHAR.match(token))
    return len(tokens) - (1 - SPACELESS_TOKEN_WEIGHT) * lone


def _ascii_fold_table() -> bytes:
    """Byte table: ASCII letters lower-cased, other ASCII non-word bytes to a space.

    ``\\w`` in ASCII is ``[A-Za-z0-9_]``; bytes >= 0x80 (the UTF-8 encoding of
    every other character) pass through untouched, and line breaks stay.
    """
    table = bytearray(range(256))
    for byte in range(128):
        char = chr(byte)
        if "A" <= char <= "Z":
            table[byte] = ord(char.lower())
        elif not (char.isalnum() or char == "_" or char == "\n"):
            table[byte] = ord(" ")
    return bytes(table)


_ASCII_FOLD = _ascii_fold_table()


def _common_separators() -> tuple[re.Pattern[bytes], ...]:
    """UTF-8 of the non-word characters of Latin-1 and General Punctuation, by lead byte.

    Curly quotes, dashes, no-break spaces, the pound sign: news text in Latin
    script is full of them, and blanking them at byte level keeps its lines on
    the ASCII fast path. Derived from ``\\w`` itself, so a character that can
    be part of a word (ª, ², µ, the letters) is never in the set. One pattern
    per lead byte, because a pattern starting with a literal byte is scanned
    for several times faster than an alternation.
    """
    separators = [chr(code) for code in (*range(0x80, 0x100), *range(0x2000, 0x2070))
                  if _SIMPLE_WORD.fullmatch(chr(code)) is None]
    by_lead: dict[bytes, dict[bytes, list[int]]] = {}
    for char in separators:
        encoded = char.encode()
        by_lead.setdefault(encoded[:1], {}).setdefault(encoded[1:-1], []).append(encoded[-1])
    return tuple(
        re.compile(re.escape(lead) + b"(?:" + b"|".join(
            re.escape(middle) + b"[" + b"".join(re.escape(bytes((last,))) for last in lasts)
            + b"]" for middle, lasts in middles.items()) + b")")
        for lead, middles in by_lead.items())


_COMMON_SEPARATORS = _common_separators()


#: Characters that mark program text: brackets, statement ends, assignment.
#: Not ``|``, ``/``, ``*``, ``#`` or ``@``: menus, links, footnotes and handles use them.
_CODE_MARKS = frozenset("{}()[];=<>`")
_CODE_MARK = re.compile("[" + "".join(map(re.escape, sorted(_CODE_MARKS))) + "]")
#: What only program text holds: a block, a statement end, an assignment, a call
#: (reads_as_code tests it without the regex; tests compare the two).
_CODE_SIGN = re.compile(r"[{};=]|\w\(")
#: Program lines are dense in marks: "let x = f(y);" has 4 in 11 visible characters.
_CODE_SHARE = 0.08
#: A shell command after its prompt ("$ rm foo") or a setting ("DHCP=yes",
#: "Name=en*"): program text with few marks, in every manual and config example.
_COMMAND_OR_SETTING = re.compile(r"\s*(?:\$ [a-z./~_-]|[A-Za-z_][\w.-]*=\S*\s*$)")


def _calls(text: str) -> bool:
    """``re.search(r"\\w\\(", text)``: a word character before an opening bracket.

    By ``str.find`` from bracket to bracket: news prose has brackets ("(AP)",
    "(pictured)") but few, and the regex tried ``\\w\\(`` at every position of the
    line (18 µs a line asked). clean() 1.053x faster on BBC and 1.074x on web
    pages (medians of 4 interleaved runs of benchmarks/clean_identity.py, identical
    results).
    """
    start = text.find("(", 1)
    while start > 0:
        before = text[start - 1]
        if before.isalnum() or before == "_":
            return True
        start = text.find("(", start + 1)
    return False


def reads_as_code(text: str) -> bool:
    """Say whether ``text`` reads as program text: dense in brackets with a sign only code has.

    "Comments (12)" and "Borrow<T>" have marks but no statement, assignment
    or call; a line of closing brackets ("});", "}") is code by itself.

    >>> [reads_as_code(text) for text in (
    ...     "let mut v = Vec::new();", "});", "}", "struct Point {", "def main(argv):",
    ...     "Comments (12)", "Borrow<T>")]
    [True, True, True, True, True, False, False]
    >>> [reads_as_code(text) for text in ("$ ln foo bar   # hard link", "DHCP=yes",
    ...                                   "$ 5 million", "Name = the user's name")]
    [True, True, False, False]
    """
    if ("$" in text or "=" in text) and _COMMAND_OR_SETTING.match(text):
        return True
    # Segmentation asks this of every line: substring tests (memchr) settle most
    # prose before the regex, whose "\w\(" branch is tried at every position
    # (on BBC News the regex alone was 9% of clean()'s time).
    if not ("=" in text or ";" in text or "{" in text or "}" in text or _calls(text)):
        return False
    # Counted by one scan of a character class in C, not a Python-level test
    # per character: over BBC News's 12,860 blocks 23-25 ms against 122-146 ms
    # (two runs), where that test was 16% of clean()'s time. The same count;
    # tests/cleaning/test_fast_paths.py compares the two.
    marks = len(_CODE_MARK.findall(text))
    visible = len(text) - text.count(" ") - text.count("\n") - text.count("\t")
    if marks == visible or text.endswith("{"):
        return True  # closing brackets, or a block opening: prose never ends a line so
    return marks >= 2 and marks >= _CODE_SHARE * visible


def latin_length(text: str) -> int:
    """Return the length of ``text`` in Latin-script characters (Han and kana count 3, Hangul 2).

    Length thresholds ("a block under 70 characters is short") are measured
    on alphabetic text; unweighted, a whole Japanese sentence is "short".

    >>> latin_length("short"), latin_length("テストには3つの種類があります。")
    (5, 44)
    >>> latin_length("타입 추론")
    9
    """
    if text.isascii():
        return len(text)
    return (len(text) + (IDEOGRAPH_WEIGHT - 1) * len(_IDEOGRAPH.findall(text))
            + (HANGUL_WEIGHT - 1) * len(_HANGUL.findall(text)))


def line_words(text: str) -> list[list[str]]:
    """Return :func:`words` of every line of ``text`` (split on ``\\n``), computed at once.

    The same tokens as calling :func:`words` per line, four times faster on
    news text: Python's regex engine spends about 50 ns per character on
    ``\\w+``, while one byte-level ``translate`` folds case and blanks ASCII
    punctuation for the whole text and ``str.split`` cuts the words. Only
    words holding a non-ASCII character (curly quotes, accents, other
    scripts) go through the regex, one word at a time.

    >>> line_words("Share THIS post!\\n\\n“Élan” 东京 it's")
    [['share', 'this', 'post'], [], ['élan', '东', '京', 'it', 's']]
    """
    encoded = text.encode("utf-8", "surrogatepass")
    if not text.isascii():
        for separators in _COMMON_SEPARATORS:
            encoded = separators.sub(b" ", encoded)
    folded = encoded.translate(_ASCII_FOLD).decode("utf-8", "surrogatepass")
    return [line.split() if line.isascii() else _mixed_line_words(line)
            for line in folded.split("\n")]


def _mixed_line_words(line: str) -> list[str]:
    """Words of a line already ASCII-folded, holding some non-ASCII characters.

    Mostly-ASCII lines (English with curly quotes, a pound sign, a name with an
    accent) split as ASCII except around each non-ASCII run, which the regex
    reads one word at a time; a line mostly in another script is read by the
    regex whole, which is then the cheaper way.
    """
    if 4 * (len(line.encode("utf-8", "surrogatepass")) - len(line)) > len(line):
        return _WORD.findall(line.casefold())
    tokens: list[str] = []
    position = 0
    for run in _NON_ASCII_RUN.finditer(line):
        if run.start() < position:
            continue  # inside the word just read
        start = line.rfind(" ", position, run.start()) + 1 or position
        end = line.find(" ", run.end())
        if end < 0:
            end = len(line)
        tokens += line[position:start].split()
        tokens += _WORD.findall(line[start:end].casefold())
        position = end
    tokens += line[position:].split()
    return tokens


def fold_line(line: str) -> str:
    """Return the comparison key of a line: case-folded, spaces folded, edge punctuation gone.

    >>> fold_line("  » Share   this post! ")
    'share this post'
    """
    # Strip the end by stripping the start of the reversed line: an anchored
    # pattern, where "[\W_]+$" would be tried at every space of a long line.
    folded = _LEADING_NOISE.sub("", _SPACE_RUN.sub(" ", line.casefold()))
    return _LEADING_NOISE.sub("", folded[::-1])[::-1]


def ends_sentence(line: str) -> bool:
    """Say whether ``line`` ends like a sentence (closing quotes and brackets allowed).

    >>> ends_sentence('He said “yes.”'), ends_sentence("Latest news")
    (True, False)
    >>> ends_sentence("The Federal Reserve entered the U.S."), ends_sentence("Rates rose.")
    (False, True)
    """
    if line[-1:].isalnum():
        # Most lines end in a letter or a digit, neither white space, a closer
        # nor terminal punctuation (a test checks): spares two strips. Asked
        # 650,000 times in cleaning web-pages-dev; over the 116,905 lines of it
        # the phrase rules read, 0.109-0.125 s against 0.136-0.157 s (two runs).
        return False
    stripped = line.rstrip().rstrip(_CLOSERS)
    if not stripped or stripped[-1] not in TERMINAL_PUNCTUATION:
        return False
    if stripped[-1] != ".":
        return True
    last = stripped[stripped.rfind(" ") + 1:]
    # "U.S.", "N.Y.", "Leonard N." and "Corp." end lines inside sentences of
    # wire copy far more often than they end the sentence.
    return _ABBREVIATION.fullmatch(last) is None


def ends_with_stop(text: str) -> bool:
    """Say whether ``text`` ends in terminal punctuation, an abbreviation's full stop too.

    :func:`ends_sentence` reads a line, which "Corp." ends inside a sentence;
    a whole paragraph that ends in "Wells Fargo Leasing Corp." has ended.

    >>> ends_with_stop("It leased them to Wells Fargo Leasing Corp."), ends_with_stop("Menu")
    (True, False)
    """
    stripped = text.rstrip().rstrip(_CLOSERS)
    return stripped[-1:] in TERMINAL_PUNCTUATION if stripped else False


#: A gap of two or more spaces or a tab between two words, not after a sentence's end.
_COLUMN_GAP = re.compile(r"(?<=[^\s.!?:;])( {2,}|\t+)(?=\S)")


def column_stops(line: str) -> frozenset[int]:
    """Return the columns at which ``line`` starts a word after a gap of padding.

    Two lines that share one are rows of a table a writer aligned ("Ada Quill
    <ada@example.org>" over "Bram Tolle  <bram@example.org>"), not a paragraph
    wrapped over two lines. Two spaces after a full stop are a typist's habit.

    >>> sorted(column_stops("Ada Quill      <ada@example.org>"))
    [15]
    >>> column_stops("The talks ended.  Both sides left.")
    frozenset()
    """
    if "  " not in line and "\t" not in line:
        return frozenset()  # no gap at all: spares the search on almost every line
    return frozenset(found.end() for found in _COLUMN_GAP.finditer(line.expandtabs()))


def unmarked_script(text: str) -> bool:
    """Say whether ``text`` ends in a script that writes no full stop (Thai, Lao).

    There, punctuation cannot tell a paragraph from a menu line; length has to.

    >>> unmarked_script("ผู้สื่อข่าวได้รับแจ้ง"), unmarked_script("Latest news")
    (True, False)
    """
    for char in reversed(text):
        if char.isalpha():
            return _UNMARKED_SCRIPTS.match(char) is not None
    return False


_OPENERS = "\"'“‘«(-–—"


def starts_lower(text: str) -> bool:
    """Say whether the first letter of ``text`` is lower case: a sentence going on.

    Opening quotes and brackets may come first; a digit or another symbol
    first says nothing, and neither does a script without case.

    >>> starts_lower("  “the talks"), starts_lower("The talks"), starts_lower("1987 1986")
    (True, False, False)
    """
    for char in text:
        if char.isalpha():
            return char.islower()
        if not char.isspace() and char not in _OPENERS:
            return False
    return False
