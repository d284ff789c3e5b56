"""clean(): normalize, then metadata, boilerplate and repeat steps, then merge and apply.

Every step reads the same normalized text and returns removals; only this
module decides how they combine. Steps run in a fixed order and a block claimed
by an earlier step is not judged again, so an overlap is impossible by
construction and "the earlier rule wins" needs no remapping of spans.
"""

from __future__ import annotations

import bisect
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from dedup.cleaning.boilerplate import find_boilerplate
from dedup.cleaning.lexicon import build_phrasebook
from dedup.cleaning.linescore import find_low_content
from dedup.cleaning.metadata import find_metadata, find_title, looks_like_headline
from dedup.cleaning.normalize import normalize
from dedup.cleaning.repeats import find_repeats
from dedup.cleaning.segment import Block, segment
from dedup.config import CleanConfig
from dedup.report import CleanResult, DocumentMetadata, MetadataField, Removal
from dedup.rules import RULE_IDS, is_rule_enabled

__all__ = ["apply_removals", "clean"]

logger = logging.getLogger(__name__)

_DEFAULT_CONFIG = CleanConfig()
_TEXT = attrgetter("text")
_FIELD_ORDER = attrgetter("start", "name")
#: Passes at most. Every pass that changes anything removes at least one block,
#: so this only bounds pathological inputs; on the benchmark pages two passes
#: always settle the text.
_MAX_PASSES = 4
#: Rules whose decisions depend on the blocks around them (position in the
#: main text, neighbours, earlier copies); the others judge a line alone.
_CONTEXT_RULES = frozenset({"boilerplate.low_content", "repeat.block", "repeat.title",
                            "repeat.teaser"})


def apply_removals(text: str, removals: Sequence[Removal]) -> str:
    """Return ``text`` without the spans of ``removals`` (sorted, non-overlapping).

    >>> apply_removals("abcdef", (Removal(start=1, end=3, rule="repeat.block"),))
    'adef'
    """
    pieces: list[str] = []
    position = 0
    for removal in removals:
        pieces.append(text[position:removal.start])
        position = removal.end
    pieces.append(text[position:])
    return "".join(pieces)


def _covered_blocks(blocks: Sequence[Block], removals: Sequence[Removal]) -> set[int]:
    """Indexes of blocks that some removal covers whole."""
    if not removals:
        return set()
    starts = [block.start for block in blocks]
    covered: set[int] = set()
    for removal in removals:
        index = bisect.bisect_left(starts, removal.start)
        while index < len(blocks) and blocks[index].end <= removal.end:
            covered.add(index)
            index += 1
    return covered


def _with_separators(text: str, blocks: Sequence[Block], removals: list[Removal],
                     removed: set[int]) -> list[Removal]:
    """Widen whole-block removals over the blank lines after them.

    A removed block takes the line break and blank lines that follow it; a run
    of removed blocks at the end of the text takes the break before it instead,
    so the cleaned text neither starts nor ends with a stray blank line.
    """
    if not blocks or not removals:
        return removals
    starts = {block.start: block for block in blocks}
    block_starts = [block.start for block in blocks]
    kept = [block.index for block in blocks if block.index not in removed]
    last_kept = kept[-1] if kept else -1
    widened: list[Removal] = []
    for removal in removals:
        first = starts.get(removal.start)
        if first is None or first.index not in removed:
            widened.append(removal)
            continue
        last_index = bisect.bisect_left(block_starts, removal.end) - 1
        start = removal.start
        end = blocks[last_index + 1].start if last_index + 1 < len(blocks) else len(text)
        if first.index == last_kept + 1 and last_kept >= 0:
            start = blocks[last_kept].end
        widened.append(Removal(start=start, end=end, rule=removal.rule, detail=removal.detail))
    return widened


def _merge(stages: Sequence[Sequence[Removal]]) -> list[Removal]:
    """Accept removals stage by stage; one overlapping an accepted span is dropped."""
    accepted: list[Removal] = []
    accepted_starts: list[int] = []
    for stage in stages:
        for removal in stage:
            if removal.end <= removal.start:
                continue
            position = bisect.bisect_left(accepted_starts, removal.start)
            before = accepted[position - 1] if position else None
            after = accepted[position] if position < len(accepted) else None
            if (before and before.end > removal.start) or (after and after.start < removal.end):
                continue
            accepted.insert(position, removal)
            accepted_starts.insert(position, removal.start)
    return accepted


def clean(text: str, *, config: CleanConfig | None = None) -> CleanResult:
    """Return the cleaned body of one scraped document and what was removed, and why.

    Steps: unicode and whitespace repair (``normalize.*``), metadata lines
    (``metadata.*``), phrase-list boilerplate, the line classifier
    (``boilerplate.*``), then repeated blocks (``repeat.*``). Removal spans
    index :attr:`CleanResult.normalized`.

    Args:
        text: the document.
        config: what to run; the defaults suit scraped news and web text.

    Raises:
        TypeError: ``text`` is not a ``str``.

    Examples:
        >>> result = clean("Skip to main content\\n\\nTalks resume in Doha\\n\\n"
        ...                "The talks resumed on Monday, officials said.\\n\\nShare this post")
        >>> print(result.text)
        Talks resume in Doha
        <BLANKLINE>
        The talks resumed on Monday, officials said.
        >>> [r.rule for r in result.removals], result.metadata.title
        (['boilerplate.navigation', 'boilerplate.share'], 'Talks resume in Doha')

    Added in 0.1.
    """
    if not isinstance(text, str):
        raise TypeError(f"clean() takes a str, not {type(text).__name__}")
    config = config or _DEFAULT_CONFIG
    normalized = normalize(text, config.unicode)
    body = normalized.text
    memo = _Memo()
    found = _clean_pass(body, config, memo)
    removals = found.removals
    current = apply_removals(body, removals) if removals else body
    fields = list(found.fields)
    values = dict(found.values)
    passes = 1
    for _ in range(_MAX_PASSES - 1):
        if not found.removals or all(r.rule not in _CONTEXT_RULES for r in found.removals):
            break
        # Removing boilerplate can make what is left read differently (a date
        # line becomes the head of the text); cleaning again until nothing
        # changes makes clean() idempotent by construction. Only removals
        # that change the context of other blocks can change the next pass:
        # text with nothing to remove, or only lines the phrase lists and
        # metadata patterns name, costs one pass.
        found = _clean_pass(current, config, memo)
        passes += 1
        offsets = _OffsetMap(body, removals)
        if not found.removals:
            # Nothing more to remove, but this pass may see the headline the
            # previous one could not (it was below lines removed since).
            if "title" in found.values and "title" not in values:
                values["title"] = found.values["title"]
                fields += [offsets.field(f) for f in found.fields if f.name == "title"]
            break
        removals = tuple(sorted(
            (*removals, *(piece for r in found.removals for piece in offsets.split(r))),
            key=lambda r: r.start))
        fields = [f for f in fields if f.name != "title"] + [
            offsets.field(f) for f in found.fields if f.name not in values or f.name == "title"]
        values.update({k: v for k, v in found.values.items() if k not in values or k == "title"})
        current = apply_removals(body, removals)
    if passes > 1 and "title" not in dict.fromkeys(f.name for f in fields):
        values.pop("title", None)
    metadata = DocumentMetadata(
        title=values.get("title"),  # type: ignore[arg-type]
        published=values.get("published"),  # type: ignore[arg-type]
        updated=values.get("updated"),  # type: ignore[arg-type]
        agency=values.get("agency"),  # type: ignore[arg-type]
        author=values.get("author"),  # type: ignore[arg-type]
        fields=tuple(sorted(fields, key=_FIELD_ORDER)) if len(fields) > 1 else tuple(fields),
    )
    logger.debug("cleaned %d -> %d chars with %d removals", len(text), len(current),
                 len(removals))
    return CleanResult(text=current, normalized=body, removals=removals, fixes=normalized.fixes,
                       metadata=metadata)


class _Pass(NamedTuple):
    removals: tuple[Removal, ...]
    fields: tuple[MetadataField, ...]
    values: dict[str, object]


@dataclass(slots=True)
class _Memo:
    """What one clean() call's passes share: a later pass reads lines of the first."""

    words: dict[str, list[str]] = field(default_factory=dict)
    shingles: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    phrase_cleared: set[str] = field(default_factory=set)


def _clean_pass(body: str, config: CleanConfig, memo: _Memo) -> _Pass:
    """Run every rule step once over ``body`` and merge their removals."""
    segmentation = segment(body, known=memo.words)
    blocks = segmentation.blocks
    explain = config.explain
    enabled = _enabled_rules(config.disabled_rules)

    meta = find_metadata(body, blocks, enabled=enabled, explain=explain)
    removed = _covered_blocks(blocks, meta.removals)
    book = build_phrasebook(config.languages, config.custom_rules)
    # A phrase rule judges a line by its text alone: lines an earlier pass
    # found no rule for are not tried again.
    cleared = memo.phrase_cleared
    skip = frozenset(removed.union(
        block.index for block in blocks if block.text in cleared)) if cleared else frozenset(
        removed)
    phrase_removals = find_boilerplate(blocks, book, is_enabled=config.is_enabled,
                                       explain=explain, skip=skip)
    matched = _covered_blocks(blocks, phrase_removals)
    cleared.update(map(_TEXT, blocks) if not skip and not matched else (
        block.text for block in blocks if block.index not in skip and block.index not in matched))
    removed |= matched
    # Repeats before the line classifier: a removed copy then counts against
    # the blocks around it, as it will when the cleaned text is cleaned again.
    title = find_title(blocks, removed)
    frozen = skip if removed == skip else frozenset(removed)
    repeats = find_repeats(blocks, config.repeats, removed=frozen, title=title,
                           explain=explain, known=memo.shingles)
    if repeats:
        repeats = tuple(r for r in repeats if r.rule in enabled)
        removed |= _covered_blocks(blocks, repeats)
    low_content: tuple[Removal, ...] = ()
    if config.line_score.enabled and "boilerplate.low_content" in enabled:
        low_content = find_low_content(
            blocks, config.line_score, languages=config.languages,
            removed=frozen if not repeats else frozenset(removed),
            is_headline=looks_like_headline,
            is_hard_wrapped=segmentation.is_hard_wrapped, explain=explain)
        removed |= _covered_blocks(blocks, low_content)
    if (repeats or low_content) and (title is None or title.index in removed):
        # What the title step saw has changed: the headline may be another block.
        title = find_title(blocks, removed)

    stages = (meta.removals, phrase_removals, repeats, low_content)
    merged = _merge(stages) if any(stages) else []
    fields = list(meta.fields)
    values: dict[str, object] = {} if not fields else {
        name: value for name, value in (
            ("published", meta.published), ("updated", meta.updated), ("agency", meta.agency),
            ("author", meta.author)) if value is not None}
    if title is not None:
        value = title.text.strip()
        fields.insert(0, MetadataField(name="title", value=value, start=title.start,
                                       end=title.end))
        values["title"] = value
    return _Pass(removals=tuple(_with_separators(body, blocks, merged, removed)) if merged else (),
                 fields=tuple(fields), values=values)


@functools.lru_cache(maxsize=64)
def _enabled_rules(disabled: frozenset[str]) -> frozenset[str]:
    """The shipped rule ids a config with these disabled ids and families leaves on.

    Computed once per set of disabled ids, so that a document does not pay a
    string split per rule it asks about.
    """
    return frozenset(rule for rule in RULE_IDS if is_rule_enabled(rule, disabled))


class _OffsetMap:
    """Maps offsets in a cleaned text back to the normalized text it was cut from."""

    def __init__(self, body: str, removals: Sequence[Removal]) -> None:
        # (start in cleaned text, start in body, length) of every kept piece
        self.pieces: list[tuple[int, int, int]] = []
        position = cleaned = 0
        for removal in (*removals, Removal(start=len(body), end=len(body), rule="")):
            if removal.start > position:
                self.pieces.append((cleaned, position, removal.start - position))
                cleaned += removal.start - position
            position = removal.end
        self.starts = [piece[0] for piece in self.pieces]

    def split(self, removal: Removal) -> list[Removal]:
        """Return ``removal`` (cleaned-text offsets) as body spans, one per kept piece."""
        spans: list[Removal] = []
        index = max(0, bisect.bisect_right(self.starts, removal.start) - 1)
        while index < len(self.pieces):
            cleaned, original, length = self.pieces[index]
            if cleaned >= removal.end:
                break
            start = max(removal.start, cleaned)
            end = min(removal.end, cleaned + length)
            if start < end:
                spans.append(Removal(start=original + start - cleaned,
                                     end=original + end - cleaned,
                                     rule=removal.rule, detail=removal.detail))
            index += 1
        return spans

    def field(self, found: MetadataField) -> MetadataField:
        spans = self.split(Removal(start=found.start, end=max(found.end, found.start + 1),
                                   rule=""))
        if not spans:
            return found
        return MetadataField(name=found.name, value=found.value, start=spans[0].start,
                             end=spans[-1].end)
