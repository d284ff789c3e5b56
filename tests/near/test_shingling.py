"""Shingle hashes: the vectorised batch path against a naive Python oracle."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.near.config import DedupConfig
from dedup.near.matching import (
    mail_part_candidates,
    mail_part_candidates_encoded,
    matching_text,
)
from dedup.near.shingling import (
    canonical_form,
    shingle_hashes,
    shingle_hashes_batch,
    shingle_kind_of,
)

MASK = 2**64 - 1
COMBINE = 0x9E3779B97F4A7C15
SALT_WORD = 0x5851F42D4C957F2D


def fmix64(value: int) -> int:
    value ^= value >> 33
    value = (value * 0xFF51AFD7ED558CCD) & MASK
    value ^= value >> 33
    value = (value * 0xC4CEB9FE1A85EC53) & MASK
    return value ^ (value >> 33)


def word_hash(word: str) -> int:
    value = 0xCBF29CE484222325
    data = word.encode("utf-8")
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & MASK
    return fmix64((value + len(data) * COMBINE) & MASK)


def oracle_word_shingles(text: str, size: int) -> np.ndarray:
    """Build each n-gram from its word strings, one at a time: slow and obvious."""
    words = canonical_form(matching_text(text)).split()
    hashes = [word_hash(word) for word in words]
    grams = [hashes[i:i + size] for i in range(len(hashes) - size + 1)] if len(
        hashes) >= size else ([hashes] if hashes else [])
    out = set()
    for gram in grams:
        value = SALT_WORD
        for token in gram:
            value = ((value ^ token) * COMBINE) & MASK
        out.add(fmix64(value))
    return np.array(sorted(out), dtype=np.uint64)


ALPHABET = [*"abcXYZ éüß.,;:!?0123456789'\n\t-", "Ω", "ü", "東", "ก", "\u0301"]
texts = st.text(alphabet=st.sampled_from(ALPHABET), max_size=120)


@settings(max_examples=150, deadline=None)
@given(texts, st.integers(min_value=1, max_value=6))
def test_word_shingles_equal_the_naive_oracle(text: str, size: int) -> None:
    config = DedupConfig(shingle_kind="word", word_shingle_size=size)
    assert np.array_equal(shingle_hashes(text, config), oracle_word_shingles(text, size))


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, max_size=8))
def test_batch_equals_one_by_one(batch: list[str]) -> None:
    for kind in ("word", "char", "auto"):
        config = DedupConfig(shingle_kind=kind, short_text_words=3)
        together = shingle_hashes_batch(batch, config)
        for text, shingles in zip(batch, together, strict=True):
            assert np.array_equal(shingles, shingle_hashes(text, config))


def test_long_words_and_one_word_texts_equal_the_oracle() -> None:
    """Texts whose longest words have 255, 256 and 66,000 letters take each radix-sort
    key width (8, 16, 64 bits)."""
    texts = ["a" * 255 + " b", "x " + "c" * 256 + " d e f g", "one", ""]
    for size in (1, 2, 5):
        config = DedupConfig(shingle_kind="word", word_shingle_size=size)
        for text, shingles in zip(texts, shingle_hashes_batch(texts, config), strict=True):
            expected = oracle_word_shingles(text, size)
            assert np.array_equal(shingles, expected)
            assert np.array_equal(shingle_hashes(text, config), expected)
    # One pass per letter of the longest word: one such text is enough (0.3 s).
    config = DedupConfig(shingle_kind="word", word_shingle_size=2)
    huge = ["q" * 66_000 + " r", "s t"]
    for text, shingles in zip(huge, shingle_hashes_batch(huge, config), strict=True):
        assert np.array_equal(shingles, oracle_word_shingles(text, 2))


def test_repeated_shingles_are_dropped_per_document_in_a_batch() -> None:
    """Repeats are found for the whole batch at once; equal shingles of neighbours stay."""
    config = DedupConfig(shingle_kind="word", word_shingle_size=2)
    batch = ["one two", "one two", "a b a b a b", "", "a b", "c d c d", "a b"]
    together = shingle_hashes_batch(batch, config)
    assert [s.size for s in together] == [1, 1, 2, 0, 1, 2, 1]
    for text, shingles in zip(batch, together, strict=True):
        assert np.array_equal(shingles, np.unique(shingles))
        assert np.array_equal(shingles, shingle_hashes(text, config))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=200))
def test_ascii_fast_path_reads_the_canonical_form(text: str) -> None:
    config = DedupConfig(shingle_kind="word", word_shingle_size=2)
    # ASCII texts skip canonical_form(); the oracle goes through it.
    assert np.array_equal(shingle_hashes(text, config), oracle_word_shingles(text, 2))


def test_case_and_punctuation_do_not_matter() -> None:
    config = DedupConfig(shingle_kind="word")
    left = shingle_hashes("Shares rose 3.5% on Monday, traders said; the index gained.", config)
    right = shingle_hashes("SHARES ROSE 3.5% ON MONDAY -- TRADERS SAID. THE INDEX GAINED!", config)
    assert np.array_equal(left, right)


def test_figures_are_tokens_unless_numbers_are_normalized() -> None:
    texts = ["Shares rose 3.5% on Monday, traders said; the index gained.",
             "SHARES ROSE 4% ON MONDAY -- TRADERS SAID. THE INDEX GAINED!"]
    left, right = shingle_hashes_batch(texts, DedupConfig(shingle_kind="word"))
    # 10 tokens, 6 shingles; the 3 that hold the figure (third token) differ.
    assert (left.size, right.size, int(np.isin(left, right).sum())) == (6, 6, 3)
    left, right = shingle_hashes_batch(texts, DedupConfig(shingle_kind="word",
                                                          normalize_numbers=True))
    assert np.array_equal(left, right)


def test_a_number_with_separators_is_one_token() -> None:
    assert canonical_form("Up 3.5%, to 1,200,000 (from 1.3). In 2026, 12/03") == (
        "up 3.5 to 1,200,000 from 1.3 in 2026 12 03")
    assert canonical_form("A320 and ３.５ and ٣.٥") == "a320 and 3.5 and ٣ ٥"


def test_canonical_form_keeps_combining_marks_and_folds_case() -> None:
    assert canonical_form("हिन्दी भाषा") == "हिन्दी भाषा"
    assert canonical_form("STRASSE Straße ﬁne") == "strasse strasse fine"


def test_scripts_without_spaces_and_short_texts_get_character_shingles() -> None:
    config = DedupConfig()
    chinese = canonical_form("中国的经济增长在第三季度放缓了，分析人士表示")
    assert shingle_kind_of(chinese, config) == "char"
    assert shingle_kind_of(canonical_form("ข่าวเศรษฐกิจวันนี้ตลาดหุ้นปรับตัวขึ้น"), config) == "char"
    assert shingle_kind_of("too short to shingle", config) == "char"
    shingles = shingle_hashes("中国的经济增长在第三季度放缓了", config)
    assert shingles.size == len("中国的经济增长在第三季度放缓了") - 4


def test_empty_and_noise_only_texts_have_no_shingles() -> None:
    config = DedupConfig()
    for text in ("", "   ", "%% -- ** !!", "\n\t", "> all of it quoted"):
        assert shingle_hashes(text, config).size == 0
    # Figures alone are content now (a table row, "Doc 1").
    assert shingle_hashes("12345 67.89 %%", config).size > 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from([*"ab >-:\n\t", "From: ", "Date: ", "ü"]),
                        max_size=30).map("".join), max_size=6))
def test_texts_that_are_not_mail_candidates_have_no_mail_parts(batch: list[str]) -> None:
    candidates = set(mail_part_candidates(batch))
    for index, text in enumerate(batch):
        if index not in candidates:
            assert matching_text(text) == text


def test_a_text_ascii_once_its_mail_parts_are_gone_reads_as_the_oracle() -> None:
    """Its quoted line held its only non-ASCII letters: shingled from the ASCII bytes of
    its matching text, beside ASCII texts with and without mail parts."""
    batch = ["We met on Monday near the old mill by the river\n> Grüße, José\nand left",
             "Plain report of the meeting at the mill by the river on Monday",
             "Reply from the mill by the river on Monday morning\n> quoted words here"]
    for normalize_numbers in (False, True):
        config = DedupConfig(shingle_kind="word", word_shingle_size=3,
                             normalize_numbers=normalize_numbers)
        for text, shingles in zip(batch, shingle_hashes_batch(batch, config), strict=True):
            assert np.array_equal(shingles, oracle_word_shingles(text, 3))
    assert not batch[0].isascii()
    assert matching_text(batch[0]).isascii()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.binary(max_size=0)) | st.lists(
    st.sampled_from([*"ab >-:\n", "From: "]), max_size=20).map(lambda s: "".join(s).encode()),
    max_size=6))
def test_mail_candidates_of_bytes_equal_those_of_the_texts(encoded: list[bytes | None]) -> None:
    texts = [item.decode("ascii") if item is not None else "ü" for item in encoded]
    assert mail_part_candidates_encoded(encoded) == mail_part_candidates(texts)
