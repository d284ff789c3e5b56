"""Frozen configuration of near-duplicate detection: ask for intent, derive the mechanism.

The user says how similar two documents must be (``threshold``, a Jaccard
similarity of shingle sets); the banding of the LSH index (``bands`` x
``rows_per_band``) is derived from it so that a pair exactly at the threshold
becomes a candidate with probability >= ``min_candidate_probability``
(0.95 by default). Every candidate is then verified against the exact Jaccard of
its shingles, so choosing the banding for recall costs time, never precision.

Added in 0.1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from dedup.config import fingerprint
from dedup.errors import ConfigError

__all__ = [
    "DedupConfig",
    "MemberInfo",
    "RepresentativeKey",
    "ShingleKind",
    "candidate_probability",
    "choose_banding",
]

ShingleKind = Literal["word", "char", "auto"]


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberInfo:
    """What a representative key callable sees of one cluster member.

    Texts are not kept by the streaming pipeline, so a key gets the id, the
    input position and the length of the cleaned text; map the id to anything
    else you need (a date, a source rank) in your own closure.
    """

    id: str
    position: int
    length: int


class _Comparable(Protocol):
    def __lt__(self, other: _Comparable, /) -> bool: ...  # pragma: no cover


#: A user representative policy: the member with the smallest key is kept
#: (ties go to the member seen first).
RepresentativeKey = Callable[[MemberInfo], _Comparable]


def candidate_probability(similarity: float, bands: int, rows_per_band: int) -> float:
    """Return the probability that a pair of Jaccard ``similarity`` shares a band.

    A band of ``r`` rows agrees with probability ``s**r``; the pair is a
    candidate when at least one of ``b`` independent bands agrees:
    ``1 - (1 - s**r)**b`` (Mining of Massive Datasets, section 3.4).

    >>> round(candidate_probability(0.8, 9, 13), 3)   # datasketch's choice at 0.8
    0.399
    >>> round(candidate_probability(0.8, 18, 7), 3)
    0.986
    """
    return float(1.0 - (1.0 - similarity**rows_per_band) ** bands)


def choose_banding(threshold: float, num_perm: int,
                   min_probability: float = 0.95) -> tuple[int, int]:
    """Return ``(bands, rows_per_band)`` giving recall ``>= min_probability`` at ``threshold``.

    Among the bandings that reach the probability, the one with the most rows
    per band is taken: more rows make each band stricter, so fewer dissimilar
    pairs become candidates and the exact verification has less to do. Bands
    use as many permutations as fit (``bands = num_perm // rows``).

    >>> choose_banding(0.8, 128)
    (18, 7)
    >>> choose_banding(0.5, 128)
    (42, 3)
    >>> choose_banding(0.9, 128)
    (10, 12)
    """
    for rows in range(num_perm // 2, 0, -1):
        bands = num_perm // rows
        if bands >= 2 and candidate_probability(threshold, bands, rows) >= min_probability:
            return bands, rows
    return num_perm, 1


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupConfig:
    """Everything near-duplicate detection can be told.

    Args:
        threshold: minimum exact Jaccard similarity of two documents' shingle
            sets for them to be near-duplicates.
        num_perm: MinHash permutations; 128 gives a standard error of about
            ``sqrt(J(1-J)/128)``, 0.035 at J=0.8.
        seed: seed of the MinHash permutations (datasketch's ``seed``).
        shingle_kind: ``"word"`` n-grams, ``"char"`` n-grams, or ``"auto"``:
            word n-grams except for scripts written without spaces (Chinese,
            Japanese, Thai, Lao, Khmer, Myanmar) and texts shorter than
            ``short_text_words`` words, which get character n-grams.
        word_shingle_size: words per word shingle (5: a shared 5-word phrase
            is rare between unrelated news stories but survives light edits).
        char_shingle_size: characters per character shingle.
        short_text_words: below this many words, ``"auto"`` uses characters,
            because a 5-word-shingle set of a 6-word text is too small for an
            edit to leave any shingle in common.
        bands, rows_per_band: LSH banding override; give both or neither.
            Derived from ``threshold`` by :func:`choose_banding` otherwise.
        min_candidate_probability: recall of the banding at the threshold.
        representative: which cluster member is kept: ``"first"`` seen,
            ``"longest"`` (first seen among equals), or a key callable (smallest
            key kept).
        containment: when set, also report a document whose shingles are at
            least this share contained in a longer document's
            (``|A & B| / |A|``), e.g. a syndicated excerpt.
        cluster_empty: group empty texts as exact duplicates of each other;
            by default they are reported apart and kept out of clusters.
        normalize_numbers: replace every figure (a run of digits, with ``.``
            or ``,`` between digits: ``32``, ``3.5``, ``1,200``) by ``0``
            before shingling, as FineWeb-style pipelines do. This merges
            reports that differ only in their figures (daily backlogs, balances
            on other days, "Doc 1" and "Doc 2") and turns the figure rule off.
            Off by default: figures are tokens, and two reports that each
            state a figure the other lacks are different reports.
        exclude_mail_parts: matching reads a document without its mail parts:
            a leading block of mail header fields (``From:``, ``Date:`` ...),
            quoted lines (starting with ``>``) with the "... wrote:" line before
            them, everything after an "-----Original Message-----" line, and a
            short signature after a final ``--`` line. They stay in every
            output; they only do not count as the document's own content, so a
            reply is not a copy of the message it quotes.
        reduced_share: a document whose cleaned text keeps less than this
            share of its input's shingles (cleaning cut it down to little) is
            also compared on its input: a pair holds only if the smaller
            input's shingles are at least ``threshold`` contained in the other
            input. ``None`` turns the check off. Only :func:`dedup.deduplicate`
            with cleaning, or a caller that passes the inputs, knows the input.
        edited_copies: also a near-duplicate, below ``threshold``: an edited
            copy, where the shorter document's shingles are at least
            ``(1 + threshold) / 2`` contained in the longer one's (0.9 at 0.8)
            and the Jaccard is at least ``threshold - 0.15`` (0.65). A copy
            with one sentence dropped and 1% of its words changed falls below
            a Jaccard of 0.8 when the story is short, yet nearly all of it
            stands in the original; an excerpt or a teaser stays apart (its
            Jaccard is low), and the figure and input rules still apply. The
            LSH banding is chosen for the lower Jaccard. ``False``: Jaccard
            ``>= threshold`` only.

    >>> DedupConfig(threshold=0.8).banding
    (25, 5)
    >>> DedupConfig(threshold=0.8, edited_copies=False).banding
    (18, 7)
    >>> DedupConfig(threshold=0.8, bands=16, rows_per_band=8).banding
    (16, 8)
    """

    threshold: float = 0.8
    num_perm: int = 128
    seed: int = 1
    shingle_kind: ShingleKind = "auto"
    word_shingle_size: int = 5
    char_shingle_size: int = 5
    short_text_words: int = 10
    bands: int | None = None
    rows_per_band: int | None = None
    min_candidate_probability: float = 0.95
    representative: Literal["first", "longest"] | RepresentativeKey = "first"
    containment: float | None = None
    cluster_empty: bool = False
    normalize_numbers: bool = False
    exclude_mail_parts: bool = True
    reduced_share: float | None = 0.5
    edited_copies: bool = True

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise _fail("threshold", self.threshold, "a number in (0, 1]")
        if not 2 <= self.num_perm <= 1024:
            raise _fail("num_perm", self.num_perm, "an integer from 2 to 1024")
        if not 0 <= self.seed < 2**32:
            raise _fail("seed", self.seed, "an integer in [0, 2**32)")
        if self.shingle_kind not in ("word", "char", "auto"):
            raise _fail("shingle_kind", self.shingle_kind, "'word', 'char' or 'auto'")
        for name in ("word_shingle_size", "char_shingle_size"):
            value = getattr(self, name)
            if not 1 <= value <= 32:
                raise _fail(name, value, "an integer from 1 to 32")
        if self.short_text_words < 0:
            raise _fail("short_text_words", self.short_text_words, "an integer >= 0")
        if (self.bands is None) != (self.rows_per_band is None):
            raise ConfigError("DedupConfig: give both bands and rows_per_band, or neither "
                              f"(got bands={self.bands!r}, rows_per_band={self.rows_per_band!r})")
        if self.bands is not None and self.rows_per_band is not None and (
                self.bands < 1 or self.rows_per_band < 1
                or self.bands * self.rows_per_band > self.num_perm):
            raise _fail("bands", (self.bands, self.rows_per_band),
                        f"positive bands * rows_per_band <= num_perm ({self.num_perm})")
        if not 0.0 < self.min_candidate_probability < 1.0:
            raise _fail("min_candidate_probability", self.min_candidate_probability,
                        "a number in (0, 1)")
        if not (self.representative in ("first", "longest") or callable(self.representative)):
            raise _fail("representative", self.representative,
                        "'first', 'longest' or a callable taking a MemberInfo")
        if self.containment is not None and not 0.0 < self.containment <= 1.0:
            raise _fail("containment", self.containment, "None or a number in (0, 1]")
        if self.reduced_share is not None and not 0.0 < self.reduced_share <= 1.0:
            raise _fail("reduced_share", self.reduced_share, "None or a number in (0, 1]")

    @property
    def banding(self) -> tuple[int, int]:
        """``(bands, rows_per_band)``: the override, or the one derived from ``threshold``."""
        if self.bands is not None and self.rows_per_band is not None:
            return self.bands, self.rows_per_band
        return choose_banding(self.lowest_similarity, self.num_perm,
                              self.min_candidate_probability)

    @property
    def lowest_similarity(self) -> float:
        """The lowest Jaccard a pair can hold at: ``threshold``, or an edited copy's floor.

        >>> round(DedupConfig(threshold=0.8).lowest_similarity, 2)
        0.65
        """
        return self.edited_jaccard if self.edited_copies else self.threshold

    @property
    def edited_jaccard(self) -> float:
        """The Jaccard floor of an edited copy: ``threshold - 0.15`` (at least 0.05)."""
        return max(self.threshold - 0.15, 0.05)

    @property
    def edited_containment(self) -> float:
        """How much of an edited copy must stand in the longer document: ``(1 + threshold) / 2``."""
        return (1.0 + self.threshold) / 2

    def signature_fingerprint(self) -> str:
        """Return a hash of the fields that change shingles and signatures.

        Two configs with the same value produce identical signatures and band
        keys, so a persisted index can check that it is read with compatible
        settings.

        >>> DedupConfig(threshold=0.5).signature_fingerprint() == (
        ...     DedupConfig(threshold=0.9, bands=9, rows_per_band=14).signature_fingerprint())
        False
        """
        bands, rows = self.banding
        return fingerprint({
            "num_perm": self.num_perm, "seed": self.seed, "kind": self.shingle_kind,
            "word": self.word_shingle_size, "char": self.char_shingle_size,
            "short": self.short_text_words, "bands": bands, "rows": rows, "scheme": "affine32",
            # Digits became tokens in 0.2: an index built before reads differently.
            "digits": "kept", "numbers": self.normalize_numbers,
            "mail": self.exclude_mail_parts,
        })

    @property
    def similarity_measure(self) -> str:
        """Say what the reported similarities are computed on (for results and summaries).

        >>> DedupConfig().similarity_measure
        'exact Jaccard of word 5-gram shingles (character 5-grams below 10 words and for scripts \
without spaces); digits kept, each figure a token; mail headers, quoted lines and signatures \
excluded'
        """
        if self.shingle_kind == "auto":
            kind = (f"word {self.word_shingle_size}-gram shingles (character "
                    f"{self.char_shingle_size}-grams below {self.short_text_words} words and "
                    "for scripts without spaces)")
        elif self.shingle_kind == "word":
            kind = f"word {self.word_shingle_size}-gram shingles"
        else:
            kind = f"character {self.char_shingle_size}-gram shingles"
        numbers = ("every figure read as 0" if self.normalize_numbers
                   else "digits kept, each figure a token")
        parts = [f"exact Jaccard of {kind}", numbers]
        if self.exclude_mail_parts:
            parts.append("mail headers, quoted lines and signatures excluded")
        return "; ".join(parts)

    def measure_of(self, *, cleaned: bool) -> str:
        """:attr:`similarity_measure`, saying whether it was read on cleaned text.

        >>> DedupConfig().measure_of(cleaned=True).endswith("; of the cleaned text")
        True
        """
        return self.similarity_measure + ("; of the cleaned text" if cleaned
                                          else "; of the text as given")


def _fail(name: str, value: object, expected: str) -> ConfigError:
    return ConfigError(f"DedupConfig.{name}={value!r} is invalid: expected {expected}")
