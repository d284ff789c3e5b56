"""clean(): normalize, then metadata, phrase, repeat and main-text steps, then merge and apply.

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
from operator import attrgetter

from dedup.cleaning.boilerplate import find_boilerplate
from dedup.cleaning.evidence import BlockClass
from dedup.cleaning.lexicon import PhraseSource, build_phrasebook
from dedup.cleaning.linescore import BORDER_RULES, CLOSING_RULES, find_low_content
from dedup.cleaning.metadata import (
    MetadataFindings,
    find_date_labels,
    find_date_lines,
    find_metadata,
    find_page_title,
    find_stamp_bylines,
    find_title,
    is_date_line,
    looks_like_headline,
)
from dedup.cleaning.normalize import normalize
from dedup.cleaning.repeats import find_repeats, find_title_copies, refrain_broken
from dedup.cleaning.segment import Block, segment
from dedup.config import CleanConfig
from dedup.report import CleanResult, DocumentMetadata, MetadataField, Removal
from dedup.rules import RULE_IDS, is_rule_enabled

__all__ = ["apply_removals", "clean", "clean_with_paragraphs"]

logger = logging.getLogger(__name__)

_DEFAULT_CONFIG = CleanConfig()
_FIELD_ORDER = attrgetter("start", "name")


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
    """The ``index`` of every block that some removal covers whole."""
    if not removals:
        return set()
    starts = [block.start for block in blocks]
    covered: set[int] = set()
    for removal in removals:
        index = bisect.bisect_left(starts, removal.start)
        while index < len(blocks) and blocks[index].end <= removal.end:
            covered.add(blocks[index].index)
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
    return _keep_paragraph_breaks(text, widened)


def _keep_paragraph_breaks(text: str, removals: list[Removal]) -> list[Removal]:
    """Leave a blank line where a removal joined two kept lines that had none between them.

    Two kept lines around a removed one were two blocks: a blank line keeps
    them two when the cleaned text is read again, so that cleaning twice
    reads the same paragraphs as cleaning once (and a menu line removed from
    between two wrapped lines does not glue them together).
    """
    adjusted: list[Removal] = []
    tail = ""  # the last characters of the kept text so far
    position = 0
    for removal in removals:
        tail = (tail + text[position:removal.start])[-2:]
        end = removal.end
        if (tail.endswith("\n") and not tail.endswith("\n\n") and end < len(text)
                and text[end - 1] == "\n"):
            end -= 1
        if end > removal.start:
            # Unchanged, the same frozen value is kept rather than built again
            # (a Removal costs about 1.5 us; web pages have 64 each).
            adjusted.append(removal if end == removal.end else Removal(
                start=removal.start, end=end, rule=removal.rule, detail=removal.detail))
        tail = (tail + text[end:removal.end])[-2:]
        position = removal.end
    return adjusted


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
    (``metadata.*``), phrase-list boilerplate, repeated blocks (``repeat.*``),
    then the main-text model (``boilerplate.low_content``). One pass: every
    step reads the same segmentation of the normalized text, and removal
    spans index :attr:`CleanResult.normalized`.

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
    return _clean(text, config or _DEFAULT_CONFIG, plain=False)[0]


def clean_with_paragraphs(text: str, *, config: CleanConfig | None = None
                          ) -> tuple[CleanResult, tuple[tuple[int, int], ...]]:
    """Return :func:`clean` of ``text`` and the normalized text's paragraphs without phrase rules.

    The paragraphs are those :func:`~dedup.cleaning.segment.paragraphs`
    finds in :attr:`CleanResult.normalized` without ``is_standalone``, each
    as its first and last line number (0-based): the units the corpus step
    counts (:func:`dedup.corpus.crossdoc.split_units`). They come out of the
    segmentation clean() makes anyway, for one more test per line a phrase
    rule names, instead of a second grouping of the text.

    >>> result, lines = clean_with_paragraphs("Coffee growers said\\nthe quotas would fall.")
    >>> result.text, lines
    ('Coffee growers said\\nthe quotas would fall.', ((0, 1),))
    """
    result, plain = _clean(text, config or _DEFAULT_CONFIG, plain=True)
    return result, plain if plain is not None else ()


def _clean(text: str, config: CleanConfig, *, plain: bool
           ) -> tuple[CleanResult, tuple[tuple[int, int], ...] | None]:
    """:func:`clean`, and with ``plain`` :func:`clean_with_paragraphs`'s paragraphs."""
    if not isinstance(text, str):
        raise TypeError(f"clean() takes a str, not {type(text).__name__}")
    normalized = normalize(text, config.unicode)
    body = normalized.text
    removals, metadata, paragraphs = _find_removals(body, config, plain=plain)
    cleaned = apply_removals(body, removals) if removals else body
    logger.debug("cleaned %d -> %d chars with %d removals", len(text), len(cleaned),
                 len(removals))
    return CleanResult(text=cleaned, normalized=body, removals=removals, fixes=normalized.fixes,
                       metadata=metadata), paragraphs


def _find_removals(body: str, config: CleanConfig, *, plain: bool = False
                   ) -> tuple[tuple[Removal, ...], DocumentMetadata,
                              tuple[tuple[int, int], ...] | None]:
    """Run every rule step once over ``body``; merge their removals and read the metadata.

    With ``plain``, also return the paragraphs of ``body`` without the phrase
    rules (:attr:`~dedup.cleaning.segment.Segmentation.plain`).
    """
    explain = config.explain
    enabled = _enabled_rules(config.disabled_rules)
    book = build_phrasebook(config.languages, config.custom_rules)
    matches: dict[str, PhraseSource | None] = {}

    def match(line: str) -> PhraseSource | None:
        # One lookup per distinct line, shared by segmentation and the phrase step.
        if line in matches:
            return matches[line]
        source = book.match(line) if book.may_match_line(line) else None
        if source is not None and not (source.rule in enabled or (
                source.rule.startswith("custom.") and config.is_enabled(source.rule))):
            source = None
        matches[line] = source
        return source

    dates = "metadata.date_line" in enabled
    date_answers: dict[str, bool] = {}

    def is_date(line: str) -> bool:
        # Shared by segmentation and the date-line step, which asks again of
        # every one-line block: on web-pages-dev the second asking was 4% of
        # clean()'s time (0.22 of 5.5 s), a dictionary lookup now.
        found = date_answers.get(line)
        if found is None:
            found = date_answers[line] = is_date_line(line)
        return found

    alone: dict[str, bool] = {}

    def standalone(line: str) -> bool:
        # A line a rule names as a whole is never glued to its neighbours.
        # Once per distinct line: menus and footers repeat theirs (on
        # web-pages-dev, 117,000 distinct lines of 203,000 asked about).
        found = alone.get(line)
        if found is None:
            found = alone[line] = match(line) is not None or (dates and is_date(line))
        return found

    segmentation = segment(body, is_standalone=standalone, plain=plain)
    blocks = segmentation.blocks
    meta = find_metadata(body, blocks, enabled=enabled, explain=explain)
    meta_blocks = _covered_blocks(blocks, meta.removals)
    removed = set(meta_blocks)
    phrase_removals = find_boilerplate(blocks, book, is_enabled=config.is_enabled,
                                       explain=explain, skip=frozenset(removed), match=match)
    removed |= _covered_blocks(blocks, phrase_removals)
    # A line that carries only a date or a time stamps a post, a comment or a
    # teaser; the document's own date is the header's, found above.
    date_lines: tuple[Removal, ...] = ()
    if dates:
        date_lines = find_date_lines(blocks, removed=frozenset(removed), explain=explain,
                                     is_date=is_date)
        removed |= _covered_blocks(blocks, date_lines)
    dated = _covered_blocks(blocks, [*date_lines, *(
        r for r in meta.removals if r.rule == "metadata.date_header")])
    if dated and "metadata.date_line" in enabled:
        # "Published:" on the line over the date it labels goes with the date.
        labels = find_date_labels(blocks, removed=frozenset(removed), dated=dated,
                                  explain=explain)
        if labels:
            date_lines = (*date_lines, *labels)
            removed |= _covered_blocks(blocks, labels)
    if "metadata.byline" in enabled:
        # A byline stamped with a date signs a post, a teaser or a comment.
        signed = find_stamp_bylines(blocks, removed=frozenset(removed), dated=dated,
                                    explain=explain, is_date=is_date)
        if signed:
            date_lines = (*date_lines, *signed)
            removed |= _covered_blocks(blocks, signed)
    page_title: tuple[Removal, ...] = ()
    if "metadata.page_title" in enabled:
        # The page's title line: the headline further down with the site's name.
        # Read before the model, which reads the page without it, and again as
        # the cleaned text opens (below).
        page_title = find_page_title(blocks, removed=frozenset(removed), explain=explain)
        removed |= _covered_blocks(blocks, page_title)
    # Repeats before the line classifier, which reads the text without them,
    # as it will read the cleaned text: a copy says that it is redundant, not
    # that the blocks around it are boilerplate (a repeated entry in a list of
    # names, a documented alias, a second menu beside its links).
    title = find_title(blocks, removed)
    repeats = find_repeats(blocks, config.repeats, removed=frozenset(removed), title=title,
                           explain=explain)
    repeated: set[int] = set()
    if repeats:
        repeats = tuple(r for r in repeats if r.rule in enabled)
        repeated = _covered_blocks(blocks, repeats) - removed
        removed |= repeated
    low_content: tuple[Removal, ...] = ()
    if config.line_score.enabled and "boilerplate.low_content" in enabled:
        ruled = frozenset(removed - repeated)  # metadata, phrase rules, date lines
        borders = frozenset(_covered_blocks(
            blocks, [r for r in phrase_removals if r.rule in BORDER_RULES]))
        read = [block for block in blocks if block.index not in repeated] if repeated else blocks
        closers = frozenset(_covered_blocks(
            blocks, [r for r in phrase_removals if r.rule in CLOSING_RULES]))
        stamps = frozenset(_covered_blocks(blocks, date_lines))
        low_content = _find_low_content_settled(read, config, ruled, borders, closers, explain,
                                                stamps)
        gone = _covered_blocks(blocks, low_content)
        if gone and (repeated or refrain_broken(blocks, ruled, gone)):
            # A copy whose original the model removed is now the text's only
            # copy, as a second clean() would find it: without this, a standfirst
            # among the chrome and its copy opening the story both go. Repeats
            # are found again without what the model removed, and the model
            # reads the copies that are free again. So too when the model took
            # a copy of a refrain: the two left are a copy and its original.
            refound = tuple(r for r in find_repeats(
                blocks, config.repeats, removed=ruled | gone, title=title, explain=explain)
                if r.rule in enabled)
            still = _covered_blocks(blocks, refound) - ruled - gone
            if still != repeated - gone:
                repeats, repeated = refound, still
                view = [block for block in blocks
                        if block.index not in still and block.index not in gone]
                more = _find_low_content_settled(view, config, ruled, borders, closers,
                                                 explain, stamps)
                low_content = tuple(sorted((*low_content, *more), key=attrgetter("start")))
                gone |= _covered_blocks(blocks, more)
        removed = set(ruled) | repeated | gone
    late: tuple[Removal, ...] = ()
    if removed - meta_blocks:
        # The head and the end of the text are read again as the cleaned text
        # has them: a dateline or byline under a removed menu is only now the
        # first line, as it will be when the cleaned text is cleaned again.
        again = find_metadata(body, blocks, enabled=enabled, explain=explain,
                              removed=removed - meta_blocks)
        late = tuple(r for r in again.removals if r not in meta.removals)
        meta = _merge_metadata(meta, again)
        removed |= _covered_blocks(blocks, late)
    opening: tuple[Removal, ...] = ()
    if "metadata.page_title" in enabled and not page_title:
        # The title line under a menu the model removed opens the cleaned text.
        opening = find_page_title(blocks, removed=frozenset(removed), explain=explain)
        late += opening
        removed |= _covered_blocks(blocks, opening)
    if (opening or removed - meta_blocks) and (title is None or title.index in removed):
        # What the title step saw has changed: the headline may be another block,
        # and its later copies are repeats as a second cleaning would find them.
        title = find_title(blocks, removed)
        if title is not None and "repeat.title" in enabled:
            copies = find_title_copies(blocks, title, removed=frozenset(removed),
                                       explain=explain)
            late += copies
            removed |= _covered_blocks(blocks, copies)
    stages = (meta.removals, phrase_removals, date_lines, page_title, repeats, low_content,
              late)
    merged = _merge(stages) if any(stages) else []
    fields = list(meta.fields)
    if title is not None:
        fields.append(MetadataField(name="title", value=title.text.strip(), start=title.start,
                                    end=title.end))
    metadata = DocumentMetadata(
        title=title.text.strip() if title is not None else None,
        published=meta.published, updated=meta.updated, agency=meta.agency, author=meta.author,
        fields=tuple(sorted(fields, key=_FIELD_ORDER)),
    )
    removals = tuple(_with_separators(body, blocks, merged, removed)) if merged else ()
    return removals, metadata, segmentation.plain


def _find_low_content_settled(blocks: Sequence[Block], config: CleanConfig,
                              removed: frozenset[int], borders: frozenset[int],
                              closers: frozenset[int], explain: bool,
                              stamps: frozenset[int] = frozenset()) -> tuple[Removal, ...]:
    """Run the main-text model until it removes nothing more from what it keeps.

    A block the model removes is gone from the cleaned text, so its
    neighbours meet: two label lines either side of a removed headline make a
    longer menu. Reading the kept blocks again, on the same segmentation,
    until nothing changes is what a second clean() would do; it makes the
    result idempotent. Two readings settle most pages; each removes at least
    one block, so the loop ends. ``borders`` and ``closers`` are the blocks a
    rule of :data:`~dedup.cleaning.linescore.BORDER_RULES` and of
    :data:`~dedup.cleaning.linescore.CLOSING_RULES` removed.
    """
    found: list[Removal] = []
    gone: set[int] = set()
    view = blocks
    own: dict[int, BlockClass] = {}  # each block's own class, the same in every reading
    data: dict[int, bool] = {}  # whether each block is data, the same in every reading
    while True:
        more = find_low_content(view, config.line_score, languages=config.languages,
                                removed=removed, is_headline=looks_like_headline,
                                favor=config.favor, explain=explain, borders=borders,
                                closers=closers, own=own, data=data, stamps=stamps)
        if not more:
            break
        found += more
        gone |= _covered_blocks(view, more)
        view = [block for block in view if block.index not in gone]
    return tuple(sorted(found, key=attrgetter("start")))


def _merge_metadata(first: MetadataFindings, second: MetadataFindings) -> MetadataFindings:
    """The values found reading the cleaned head of the text, else those of the first reading."""
    if not second.fields:
        return first
    names = {found.name for found in second.fields}
    return MetadataFindings(
        removals=first.removals,
        published=second.published or first.published,
        updated=second.updated or first.updated,
        agency=second.agency or first.agency,
        author=second.author or first.author,
        fields=(*second.fields, *(f for f in first.fields if f.name not in names)),
    )


@functools.lru_cache(maxsize=64)
def _enabled_rules(disabled: frozenset[str]) -> frozenset[str]:
    """The shipped rule ids a config with these disabled ids and families leaves on.

    Computed once per set of disabled ids, so that a document does not pay a
    string split per rule it asks about.
    """
    return frozenset(rule for rule in RULE_IDS if is_rule_enabled(rule, disabled))
