"""Repeated blocks within one document: keep the first copy, remove the later ones.

Similarity is containment of word 3-grams: the share of a later block's
3-grams already present in one earlier block. It tells a copy (most 3-grams
shared, even after light edits or shortening) from a different paragraph on
the same topic (few shared): on seed 004 two different paragraphs share under
0.2 of their 3-grams, while rapidfuzz's ``token_set_ratio`` scores them 84.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from itertools import chain, count, repeat
from operator import attrgetter

import numpy as np

from dedup.cleaning._text import ends_sentence, reads_as_code, spaceless, word_weight, words
from dedup.cleaning.segment import Block
from dedup.config import RepeatConfig
from dedup.figures import figures
from dedup.report import Removal

__all__ = ["find_repeats", "find_title_copies", "refrain_broken"]

Shingle = tuple[str, ...]
_WORDS = attrgetter("words")


def _shingle_sets(blocks: Sequence[Block], size: int) -> list[frozenset[Shingle]]:
    """Return each block's set of word ``size``-grams (its whole word tuple when shorter).

    A block pasted twice reuses its first copy's set, whose 3-grams then
    compare by identity.
    """
    found: list[frozenset[Shingle]] = []
    known: dict[str, frozenset[Shingle]] = {}
    for block in blocks:
        seen = known.get(block.text)
        if seen is not None:
            found.append(seen)
            continue
        tokens = block.words
        if len(tokens) >= size:
            found.append(frozenset(zip(tokens, tokens[1:], tokens[2:], strict=False))
                         if size == 3 else
                         frozenset(zip(*(tokens[i:] for i in range(size)), strict=False)))
        else:
            found.append(frozenset((tokens,) if tokens else ()))
        known[block.text] = found[-1]
    return found


def _repeated(shingle_sets: Sequence[frozenset[Shingle]]) -> set[Shingle]:
    """Return the shingles found in more than one block.

    Containment between two blocks counts only shingles both hold, so a block
    none of whose shingles occurs elsewhere can neither be a copy nor be
    copied. On most documents that is nearly every block, and the exact
    comparison in :func:`find_repeats` then has almost nothing to do; two set
    operations per block, in C, are all this costs.
    """
    repeated: set[Shingle] = set()
    if len(shingle_sets) < 2:
        return repeated
    seen = set(shingle_sets[0])
    for shingles in shingle_sets[1:-1]:
        repeated |= seen & shingles
        seen |= shingles
    repeated |= seen & shingle_sets[-1]  # nothing comes after the last block
    return repeated


#: Documents with at least this many words find their shared shingles in numpy
#: (:func:`_numpy_shared_shingles`); below it, numpy's fixed cost per call
#: outweighs what it saves. Measured per document, both ways in turn: on the
#: 175 web-pages-dev pages of 2,000 words or more, 1.1 s against 1.9 s (1.1-2x
#: by size); under 1,000 words (BBC stories) about twice as slow.
NUMPY_MIN_WORDS = 2000


def _shared_shingles(blocks: Sequence[Block], size: int
                     ) -> tuple[list[int], list[frozenset[object]]] | None:
    """Per block, its number of distinct shingles and those of them another block holds.

    None when no shingle is in two blocks. The shingles are word tuples
    (:func:`_reference_shared_shingles`) or, for long documents, integers
    standing for them one to one within the document; :func:`find_repeats`
    only counts and intersects them, so both give it the same answers
    (``tests/cleaning/test_fast_paths.py`` compares them).
    """
    words = sum(map(len, map(_WORDS, blocks)))
    # The numpy shingles are integers below (ids + 1) ** size, held in 62 bits.
    if words >= NUMPY_MIN_WORDS and (words + len(blocks) * size + 1) ** size < 1 << 62:
        return _numpy_shared_shingles(blocks, size)
    return _reference_shared_shingles(blocks, size)


def _reference_shared_shingles(blocks: Sequence[Block], size: int
                               ) -> tuple[list[int], list[frozenset[object]]] | None:
    """:func:`_shared_shingles` from word-tuple sets (:func:`_shingle_sets`, :func:`_repeated`)."""
    shingle_sets = _shingle_sets(blocks, size)
    repeated = _repeated(shingle_sets)
    if not repeated:
        return None
    return [len(shingles) for shingles in shingle_sets], [
        shingles & repeated for shingles in shingle_sets]


def _numpy_shared_shingles(blocks: Sequence[Block], size: int
                           ) -> tuple[list[int], list[frozenset[object]]] | None:
    """:func:`_shared_shingles` with each shingle an integer, found by sorting in numpy.

    Words get ids from 1 in order of first use (a block with the text of an
    earlier one reads that one's words, as :func:`_shingle_sets` reuses its
    set); a shingle of ids ``a, b, c`` is ``(a * base + b) * base + c``, and
    a block shorter than ``size`` words has its ids padded with 0, which no
    word has, so a shorter tuple never equals a full one. Blocks are laid end
    to end with ``size - 1`` zeros between them, so a shingle starts at every
    non-zero id whose window holds no zero, and at a short block's start.
    Sorting the (shingle, block) pairs finds each block's distinct shingles
    and the shingles two blocks share. The caller checks that every shingle
    fits in 62 bits (documents of up to about a million words).
    """
    total_blocks = len(blocks)
    if total_blocks < 2:
        return None
    texts: dict[str, tuple[str, ...]] = {}
    token_lists = [texts.setdefault(block.text, block.words) for block in blocks]
    gap = ("",) * (size - 1)  # "" is never a word: it takes the id 0
    ids: dict[str, int] = {"": 0}
    stream = np.fromiter(map(ids.setdefault, chain.from_iterable(
        chain.from_iterable(zip(token_lists, repeat(gap)))), count(1)), dtype=np.int64)
    base = stream.size + 1  # above every id: ids run from 1 to the words laid out
    spans = np.fromiter(map(len, token_lists), dtype=np.int64, count=total_blocks) + (size - 1)
    width = stream.size - size + 1
    keys = stream[:width].copy()
    for offset in range(1, size):
        keys *= base
        keys += stream[offset:width + offset]
    first = np.zeros(stream.size, dtype=bool)
    first[np.cumsum(spans) - spans] = True
    starts = (stream[:width] != 0) & ((stream[size - 1:] != 0) | first[:width])
    owners = np.repeat(np.arange(total_blocks, dtype=np.int64), spans)[:width][starts]
    keys = keys[starts]
    if keys.size < 2:
        return None
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order]
    new_key = np.empty(keys.size, dtype=bool)
    new_key[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new_key[1:])
    new_pair = new_key.copy()
    new_pair[1:] |= owners[1:] != owners[:-1]
    second_owner = new_pair & ~new_key  # a pair whose shingle an earlier block has
    if not second_owner.any():
        return None
    counts: list[int] = np.bincount(owners[new_pair], minlength=total_blocks).tolist()
    group = np.cumsum(new_key) - 1
    shared_group = np.zeros(int(group[-1]) + 1, dtype=bool)
    shared_group[group[second_owner]] = True
    take = new_pair & shared_group[group]
    by_block: dict[int, list[int]] = {}
    for owner, key in zip(owners[take].tolist(), keys[take].tolist(), strict=True):
        by_block.setdefault(owner, []).append(key)
    empty: frozenset[object] = frozenset()
    shared = [empty] * total_blocks
    for owner, found in by_block.items():
        shared[owner] = frozenset(found)
    return counts, shared


def _best_source(shingles: frozenset[object], owners: dict[object, int],
                 block_shingles: dict[int, frozenset[object]]) -> tuple[int, int]:
    """Return the earlier block sharing most of ``shingles`` and how many it shares.

    ``owners`` maps each shingle to the first block that had it, which finds
    every candidate cheaply (a near copy always shares some shingle first seen
    in its source); the exact overlap is then counted against each
    candidate's own set, so a shingle also seen earlier still counts.
    """
    candidates = set(map(owners.get, shingles))
    candidates.discard(None)
    best, best_count = -1, 0
    for candidate in sorted(candidates):  # type: ignore[type-var]
        count = len(shingles & block_shingles[candidate])  # type: ignore[index]
        if count > best_count:
            best, best_count = candidate, count  # type: ignore[assignment]
    return best, best_count


def _same_figures(text: str, source: str) -> bool:
    """Say whether every figure of a later block also stands in its source.

    A copy repeats the facts; a parallel sentence ("loans to Venezuela total
    1.3 billion dlrs" after "loans to Mexico total 2.5 billion") shares the
    wording and changes the figures, and is content of its own. Figures are
    :func:`dedup.figures.figures`, the definition near-duplicate matching uses.

    >>> _same_figures("loans total 1.3 billion", "total 2.5 billion")
    False
    >>> _same_figures("total 2.5 billion dlrs", "loans total 2.5 billion")
    True
    """
    found = figures(text)
    return not found or found <= figures(source)


_WORD = re.compile(r"\w+")


def _new_names(text: str, source: str) -> set[str]:
    """The names of a later block that its source does not hold (case-folded).

    The other half of "the same facts": a parallel sentence of one template
    changes the names ("...resolve pointer records (PTR records)..." after
    "...resolve mail exchange records (MX records)..."), a copy or a teaser
    keeps them, or takes them from elsewhere in the text (a teaser's "the US
    embassy said" under the headline "US Calls on ...").

    >>> _new_names("Resolve PTR records for the hostname.", "Resolve MX records for it.")
    {'ptr'}
    >>> _new_names("The embassy said.", "Officials at the US embassy said so.")
    set()
    >>> _new_names("如 shadow(5) 中所述", "如 passwd(5) 中所述")
    {'shadow'}
    """
    # A name is a word with a capital letter in it ("PTR", "Venezuela",
    # "dnsPromises"); scripts without case have none, and there a word in
    # Latin letters is the name or the term ("如 shadow(5) 中所述" after "如
    # passwd(5) 中所述").
    if spaceless(text):
        found = {word.casefold() for word in _WORD.findall(text)
                 if word.isascii() and any(map(str.isalpha, word))}
    else:
        found = {word.casefold() for word in _WORD.findall(text) if any(map(str.isupper, word))}
    return found - set(words(source)) if found else found


class _EarlierWords:
    """The words of the blocks before a position, gathered only as far as asked."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self._blocks = blocks
        self._seen: set[str] = set()
        self._upto = 0

    def lacks(self, names: set[str], position: int) -> bool:
        """Say whether some of ``names`` stands in no block before ``position``."""
        if not names:
            return False
        for block in self._blocks[self._upto:position]:
            self._seen.update(block.words)
        self._upto = max(self._upto, position)
        return not names <= self._seen


#: A block found this many times or more is a refrain of the document's own
#: structure, not a pasted copy: API docs describe a parameter under every
#: function that takes it ("callback <Function>", "Added in: v8.0.0"), a song
#: has its chorus. Scraping pastes in twos: the article twice, a teaser and its
#: paragraph, a menu at the top and the bottom. Measured (benchmarks/local_docs.py):
#: Node.js reference F1 0.908 -> 0.931 and pages losing more than 10% of their
#: main text 33% -> 11%, Rust docs 0.930 -> 0.932; articles 0.835 and
#: web-pages-dev 0.893 -> 0.894 (recall up, precision down by 0.001 or less).
_REFRAIN = 3


def _copies(live: Sequence[Block]) -> Counter[str]:
    """How many times each block text stands among ``live``: a refrain at ``_REFRAIN``."""
    return Counter(block.text for block in live)


def refrain_broken(blocks: Sequence[Block], removed: AbstractSet[int],
                   gone: AbstractSet[int]) -> bool:
    """Say whether removing ``gone`` leaves a refrain of the live blocks as a copy and its source.

    Blocks in ``removed`` are not live; a text the live blocks hold ``_REFRAIN``
    times or more is a refrain. When the main-text model removes copies of one
    until two or more but fewer than ``_REFRAIN`` are left, the cleaned text
    holds a copy of an earlier block, which a second clean() would remove.

    >>> from dedup.cleaning.segment import segment
    >>> blocks = segment("Added in v8.\\n\\nA.\\n\\nAdded in v8.\\n\\nAdded in v8.").blocks
    >>> refrain_broken(blocks, set(), {3}), refrain_broken(blocks, set(), {1})
    (True, False)
    """
    live = [block for block in blocks if block.index not in removed]
    times = _copies(live)
    left = Counter(block.text for block in live
                   if block.index not in gone and times[block.text] >= _REFRAIN)
    return any(1 < copies < _REFRAIN for copies in left.values())


def find_repeats(blocks: Sequence[Block], config: RepeatConfig, *,
                 removed: frozenset[int] = frozenset(), title: Block | None = None,
                 explain: bool = True) -> tuple[Removal, ...]:
    """Return removals for later copies of earlier blocks.

    Rules: ``repeat.title`` for a later line equal to the headline;
    ``repeat.teaser`` for a block that repeats most of a longer earlier one;
    ``repeat.block`` for a copy, merged into one removal per run of consecutive
    copies ("repeats lines 7-52"). Blocks shorter than ``config.min_words`` are
    only removed inside such a run, so refrains and "Q:" lines stay. A copy
    must repeat the figures of its source (:func:`_same_figures`) and hold no
    name found neither in its source nor earlier in the text (:func:`_new_names`),
    so parallel sentences of one template stay. Code is never a copy: an
    example shown twice (once per module system) is the document's own; nor is
    a block found three times or more (a refrain, :data:`_REFRAIN`).

    >>> from dedup.cleaning.segment import segment
    >>> text = "\\n".join(["One two three four five six seven eight nine.", "Other words here.",
    ...                   "One two three four five six seven eight nine."])
    >>> [(r.rule, r.detail) for r in find_repeats(segment(text).blocks, RepeatConfig())]
    [('repeat.block', 'repeats line 1')]
    """
    live = [block for block in blocks if block.index not in removed] if removed else blocks
    lowest = min(config.min_similarity, config.min_teaser_similarity)
    found = _shared_shingles(live, config.shingle_size)
    if found is None:
        # No shingle occurs twice: no block copies another, a later copy of
        # the headline would share its shingles, and a word-less line repeated
        # ("***") is only removed inside a run of copies.
        return ()
    counts, shared = found
    owners: dict[object, int] = {}
    block_shingles: dict[int, frozenset[object]] = {}
    token_counts: dict[int, int] = {}
    block_texts: dict[int, str] = {}
    title_key = title.words if title is not None else None
    flagged: dict[int, tuple[str, int]] = {}  # block index -> (rule, source block index)
    exact_earlier: dict[tuple[str, ...], int] = {}
    earlier = _EarlierWords(live)
    times = _copies(live)
    for position, (block, distinct, shingles) in enumerate(
            zip(live, counts, shared, strict=True)):
        key = tokens = block.words
        if title is not None and block.index > title.index and key == title_key:
            flagged[block.index] = ("repeat.title", title.index)
            continue
        # Only shingles another block holds (``shingles``, of the block's
        # ``distinct`` ones) can be shared with a source.
        if tokens and not shingles:
            # No shingle of this block occurs in another: it copies nothing,
            # and nothing later copies it (a copy would share its shingles).
            continue
        if times[block.text] >= _REFRAIN:
            continue  # a refrain of the document's own: every copy stays
        if reads_as_code(block.text):
            # Code is data, like a table row: examples repeat their imports and
            # calls, and docs show one example per module system or language
            # (measured, benchmarks/local_docs.py: docs F1 0.927 -> 0.930 on the
            # Rust pages, 0.901 -> 0.908 on the Node.js reference; article and
            # web-pages-dev F1 and the seeds unchanged).
            continue
        weight = len(tokens) if block.text.isascii() else word_weight(tokens)
        long_enough = weight >= config.min_words and distinct > 0
        if long_enough and len(shingles) < lowest * distinct:
            # Too few of its shingles occur anywhere else for any one block to
            # hold enough of them; an exact copy would share them all. Prose
            # repeats a phrase or two across paragraphs, so most blocks end here.
            pass
        # Numbers are not prose: a table row repeated with the same figures
        # (a quarter and a year with equal share counts) is not a copied block.
        elif long_enough and weight - sum(map(str.isdigit, tokens)) >= config.min_words:
            source, overlap = _best_source(shingles, owners, block_shingles)
            is_shorter = source >= 0 and len(tokens) < 0.8 * token_counts[source]
            needed = config.min_teaser_similarity if is_shorter else config.min_similarity
            if overlap >= needed * distinct and _same_figures(
                    block.text, block_texts[source]) and not earlier.lacks(
                    _new_names(block.text, block_texts[source]), position):
                flagged[block.index] = ("repeat.teaser" if is_shorter and key not in exact_earlier
                                        else "repeat.block", source)
                continue
        elif key in exact_earlier:
            flagged[block.index] = ("repeat.short", exact_earlier[key])
            continue
        if len(shingles) == distinct:
            # Only a block all of whose shingles occur elsewhere can have an
            # exact copy: hashing the whole word tuple is skipped otherwise.
            exact_earlier.setdefault(key, block.index)
        token_counts[block.index] = len(tokens)
        block_texts[block.index] = block.text
        # The shingles no earlier block owns become this block's, in C.
        # difference() with a dict probes it per shingle, where
        # "shingles - owners.keys()" would copy every key seen so far.
        owners.update(dict.fromkeys(shingles.difference(owners), block.index))
        block_shingles[block.index] = shingles
    if flagged:
        _keep_listed_headings(live, flagged, config.min_words)
    return _runs(blocks, flagged, removed, explain) if flagged else ()


def _keep_listed_headings(live: Sequence[Block], flagged: dict[int, tuple[str, int]],
                          min_words: int) -> None:
    """Unflag headings over prose whose source is an entry of a list (a contents entry, a link).

    A contents list or a menu names the sections first; the heading in the
    body is the section's own, and the entry is the copy of it that chrome
    makes. A copy of a heading that heads no prose itself ("Related stories"
    under the article, a name repeated in a list) is still a copy, and so is a
    heading over a copied article (its prose is flagged too).
    """
    position = {block.index: p for p, block in enumerate(live)}

    def heads_prose(p: int) -> bool:
        if ends_sentence(live[p].text) or p + 1 >= len(live):
            return False
        follows = live[p + 1]
        return (follows.index not in flagged and len(follows.words) >= min_words
                and ends_sentence(follows.text))

    def is_entry(p: int) -> bool:
        # Entries are titles: no sentence, and short ("3.1.2. Fetching of the meta data");
        # and they are other titles, not copies (a headline doubled is no list).
        return (len(live[p].words) < 2 * min_words and not ends_sentence(live[p].text)
                and live[p].index not in flagged)

    for index, (rule, source) in list(flagged.items()):
        there = position.get(source)
        if (rule in ("repeat.block", "repeat.teaser") and there is not None
                and 0 < there < len(live) - 1 and is_entry(there - 1) and is_entry(there + 1)
                and heads_prose(position[index]) and not heads_prose(there)):
            del flagged[index]


def find_title_copies(blocks: Sequence[Block], title: Block, *,
                      removed: frozenset[int] = frozenset(), explain: bool = True
                      ) -> tuple[Removal, ...]:
    """Return ``repeat.title`` removals for later kept blocks with the headline's words.

    :func:`find_repeats` finds these itself; the cleaner calls this when the
    headline turns out to be another block once the page around it is gone.

    >>> from dedup.cleaning.segment import segment
    >>> blocks = segment("Talks resume\\nThe talks resumed on Monday.\\nTalks resume").blocks
    >>> [r.detail for r in find_title_copies(blocks, blocks[0])]
    ['line 3 repeats the title line 1']
    """
    return tuple(
        Removal(start=block.start, end=block.end, rule="repeat.title",
                detail=_title_detail(block, title) if explain else "")
        for block in blocks
        if block.index > title.index and block.index not in removed
        and block.words == title.words)


def _title_detail(block: Block, title: Block) -> str:
    return f"{block.lines} repeats the title {title.lines}"


def _runs(blocks: Sequence[Block], flagged: dict[int, tuple[str, int]],
          removed: frozenset[int], explain: bool) -> tuple[Removal, ...]:
    """Merge consecutive copies into runs; keep short repeats outside any run."""
    by_index = {block.index: block for block in blocks}
    live = [block for block in blocks if block.index not in removed] if removed else blocks
    removals: list[Removal] = []
    run: list[Block] = []
    sources: list[Block] = []

    def close_run() -> None:
        if run:
            first, last = run[0], run[-1]
            lines = (f"line {first.first_line}" if first.first_line == last.last_line
                     else f"lines {first.first_line}-{last.last_line}")
            src_first, src_last = min(s.first_line for s in sources), max(
                s.last_line for s in sources)
            repeated = (f"line {src_first}" if src_first == src_last
                        else f"lines {src_first}-{src_last}")
            detail = f"{lines} repeat {repeated}" if explain else ""
            if explain and len(run) == 1:
                detail = f"repeats {repeated}"
            removals.append(Removal(start=first.start, end=last.end, rule="repeat.block",
                                    detail=detail))
            run.clear()
            sources.clear()

    for position, block in enumerate(live):
        rule, source = flagged.get(block.index, ("", -1))
        if rule == "repeat.short":
            neighbours = [live[i].index for i in (position - 1, position + 1) if 0 <= i < len(live)]
            in_run = any(flagged.get(n, ("",))[0] == "repeat.block" for n in neighbours)
            rule = "repeat.block" if in_run else ""
        if rule == "repeat.block":
            if run and block.index != run[-1].index + 1:
                # A block an earlier step removed lies between: one removal
                # must not span it, so the run ends there.
                close_run()
            run.append(block)
            sources.append(by_index[source])
            continue
        close_run()
        if rule == "repeat.teaser" and _is_isolated(live, position, flagged):
            # A sentence restated inside running prose (a quote repeated, a
            # wire story restating its lead) is writing, not a pasted teaser.
            continue
        if rule in ("repeat.title", "repeat.teaser"):
            src = by_index[source]
            detail = ""
            if explain:
                detail = _title_detail(block, src) if rule == "repeat.title" \
                    else f"{block.lines} is a shortened copy of {src.lines}"
            removals.append(Removal(start=block.start, end=block.end, rule=rule, detail=detail))
    close_run()
    return tuple(removals)


def _is_isolated(live: Sequence[Block], position: int,
                 flagged: dict[int, tuple[str, int]]) -> bool:
    """Say whether the block at ``position`` has unflagged prose on both sides."""
    if position == 0 or position + 1 >= len(live):
        return False
    return live[position - 1].index not in flagged and live[position + 1].index not in flagged
