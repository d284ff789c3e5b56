"""Planted near-duplicates: does dedup merge a story with the copies we make of it, and only those?

Part of ``benchmarks/near_dup.py`` (``--planted``, and in its default run). Per
corpus (BBC News, Reuters-21578; read in place, never copied):

1. **Originals**: ``--originals`` stories of at least ``--min-words`` words,
   drawn in a seeded order and kept only when their exact word 5-gram Jaccard
   with every story already kept is below 0.5. Words here are lowercase ``\\w+``
   tokens (digits included), our own tokeniser, independent of dedup's; the
   Jaccard is exact (an inverted index from 5-grams to the kept stories gives
   every shared count). Straight quotes, apostrophes and `` - `` / ``--`` dashes
   are then set as typographic ones (words unchanged; a story with none gets
   one comma as a dash), so that every story has non-ASCII text for the
   mojibake variant to break.
2. **Variants** (``planted_variants.py``), each from its own seeded ``random.Random``:

   - ``chrome``: the story inside invented site chrome in ten languages
     (``planted_chrome.py``, a different set from ``stability.py``'s).
   - ``reflowed``: line breaks moved: rewrapped at 40-100 columns, paragraphs
     unwrapped (blank lines kept or dropped), lines cut at random spaces every
     3-16 words, or the whole story on one line.
   - ``mojibake``: UTF-8 bytes read as cp1252 (bytes it leaves undefined as
     latin-1) or as latin-1, the damage ftfy repairs.
   - ``edited``: one sentence dropped (not the first or last; at most 10% of
     the story's words when there is such a sentence, else the shortest up to
     20%, else no edited variant), then 1% of the words (at least one) replaced
     by other words drawn from the corpus' originals.
   - ``numbers``: every figure, or half of them and at least three, replaced
     by other figures of the same length; only for stories with three or more.
     A different report, not a copy: it must not be merged.

3. The corpus is originals plus variants, shuffled with ``--seed``, with ids
   (``doc-00042``) that say nothing about origin. It goes through
   ``dedup.deduplicate(docs, threshold=0.8)`` (clean=True) and, written as one
   JSONL file, through the whole job ``dedup.run(..., workers=2)``.

Per corpus and engine, a row per kind: variants; merged with their original
(same cluster) and the recall; merged with a document of another story;
similarity of the found pairs (the engine's own figure when the pair is linked
directly, else dedup's Jaccard of the two cleaned texts); for the missed ones
dedup's Jaccard of the cleaned texts and our word 5-gram Jaccard of the inputs.
Floors at 0.8: recall >= 0.98 for chrome, reflowed, mojibake and edited; no
numbers variant merged with its original; no duplicate link between documents
of different stories and no two originals in one cluster.
"""


from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # dedup
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package
from benchmarks.corpora import load_bbc, load_reuters
from benchmarks.planted_variants import (
    KEEP_APART_KINDS,
    KINDS,
    MAX_ORIGINAL_JACCARD,
    MERGE_KINDS,
    MIN_WORDS,
    choose_originals,
    jaccard,
    make_variant,
    typographic,
    vocabulary_of,
    word_grams,
)

import dedup
from dedup.near.cluster import jaccard as shingle_jaccard
from dedup.near.shingling import shingle_hashes_batch

THRESHOLD = 0.8
RECALL_FLOOR = 0.98

# --- the planted corpus ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PlantedDoc:
    """A document of the planted corpus and what it was made from (hidden from dedup)."""

    id: str
    text: str
    story: int  # index of the original it comes from
    kind: str  # "original" or one of KINDS
    source: str  # the original's corpus id


def plant(originals: Sequence[tuple[str, str]], *, seed: int, label: str,
          kinds: Sequence[str] = KINDS) -> tuple[PlantedDoc, ...]:
    """Originals plus their variants, shuffled, with ids unrelated to origin."""
    stories = [typographic(text) for _, text in originals]
    vocabulary = vocabulary_of(stories)
    made: list[tuple[str, int, str]] = []
    for story, text in enumerate(stories):
        made.append((text, story, "original"))
        for kind in kinds:
            variant = make_variant(kind, text, random.Random(f"{seed}:{label}:{story}:{kind}"),
                                   vocabulary)
            if variant is not None and variant != text:
                made.append((variant, story, kind))
    random.Random(f"{seed}:{label}:order").shuffle(made)
    return tuple(PlantedDoc(id=f"doc-{i:05d}", text=text, story=story, kind=kind,
                            source=originals[story][0])
                 for i, (text, story, kind) in enumerate(made))


# --- scoring -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Fate:
    """What an engine did with one document."""

    status: str  # kept, duplicate, empty, rejected
    duplicate_of: str | None = None
    similarity: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class KindRow:
    kind: str
    variants: int
    merged: int  # in the cluster of their original
    wrong: int  # in a cluster holding a document of another story
    found_similarity: tuple[float, ...]
    missed: tuple[str, ...]  # ids of variants not merged (for numbers: the merged ones)
    ids: tuple[str, ...]  # every document of the kind

    @property
    def recall(self) -> float:
        return self.merged / self.variants if self.variants else 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Scores:
    rows: tuple[KindRow, ...]
    cross_story_links: int  # duplicate -> kept links between documents of different stories
    original_pairs: int  # pairs of originals in one cluster

    def verdicts(self) -> list[tuple[str, bool]]:
        """``(floor, passed)`` for every floor."""
        checks = []
        for row in self.rows:
            if row.kind in MERGE_KINDS:
                checks.append((f"{row.kind} recall {row.recall:.3f} >= {RECALL_FLOOR}",
                               row.recall >= RECALL_FLOOR))
            elif row.kind in KEEP_APART_KINDS:
                checks.append((f"{row.kind} merged {row.merged} == 0", row.merged == 0))
        checks.append((f"links between different stories {self.cross_story_links} == 0",
                       self.cross_story_links == 0))
        checks.append((f"pairs of originals in one cluster {self.original_pairs} == 0",
                       self.original_pairs == 0))
        return checks


def clusters_of(fates: Mapping[str, Fate]) -> dict[str, str]:
    """Each id's cluster, named by its kept representative (duplicate chains followed)."""
    cluster = {}
    for doc_id in fates:
        head, seen = doc_id, {doc_id}
        while fates[head].status == "duplicate" and fates[head].duplicate_of in fates:
            head = fates[head].duplicate_of or head
            if head in seen:
                break
            seen.add(head)
        cluster[doc_id] = head
    return cluster


def score(docs: Sequence[PlantedDoc], fates: Mapping[str, Fate],
          library_similarity: Mapping[str, float]) -> Scores:
    """Score an engine's fates against what was planted."""
    by_id = {d.id: d for d in docs}
    cluster = clusters_of(fates)
    stories_in: dict[str, set[int]] = {}
    originals_in: Counter[str] = Counter()
    for d in docs:
        stories_in.setdefault(cluster[d.id], set()).add(d.story)
        if d.kind == "original":
            originals_in[cluster[d.id]] += 1
    original_of = {d.story: d.id for d in docs if d.kind == "original"}
    rows = []
    for kind in ("original", *KINDS):
        members = [d for d in docs if d.kind == kind]
        merged, missed, similarities = 0, [], []
        wrong = sum(1 for d in members if len(stories_in[cluster[d.id]]) > 1)
        for d in members:
            original = original_of[d.story]
            is_merged = d.id != original and cluster[d.id] == cluster[original]
            merged += is_merged
            if is_merged:
                similarities.append(pair_similarity(d.id, original, fates, library_similarity))
            if kind != "original" and is_merged == (kind in KEEP_APART_KINDS):
                missed.append(d.id)
        rows.append(KindRow(kind=kind, variants=len(members), merged=merged, wrong=wrong,
                            found_similarity=tuple(similarities), missed=tuple(missed),
                            ids=tuple(d.id for d in members if kind != "original")))
    links = sum(1 for doc_id, fate in fates.items()
                if fate.status == "duplicate" and fate.duplicate_of in by_id
                and by_id[fate.duplicate_of].story != by_id[doc_id].story)
    pairs = sum(n * (n - 1) // 2 for n in originals_in.values())
    return Scores(rows=tuple(rows), cross_story_links=links, original_pairs=pairs)


def pair_similarity(variant: str, original: str, fates: Mapping[str, Fate],
                    library_similarity: Mapping[str, float]) -> float:
    """The engine's similarity when the two are linked directly, else dedup's on cleaned text."""
    for a, b in ((variant, original), (original, variant)):
        fate = fates[a]
        if fate.duplicate_of == b and fate.similarity is not None:
            return fate.similarity
    return library_similarity[variant]


# --- engines -----------------------------------------------------------------------------------


def fates_from_deduplicate(docs: Sequence[PlantedDoc]) -> dict[str, Fate]:
    result = dedup.deduplicate([(d.id, d.text) for d in docs], threshold=THRESHOLD)
    fates = {doc_id: Fate(status="kept") for doc_id in result.keep}
    fates.update({doc_id: Fate(status="empty") for doc_id in result.empty})
    fates.update({d.id: Fate(status="duplicate", duplicate_of=d.duplicate_of,
                             similarity=d.similarity) for d in result.duplicates})
    fates.update({r.id: Fate(status="rejected") for r in result.rejections if r.id is not None})
    return fates


def fates_from_run(docs: Sequence[PlantedDoc], *, workers: int = 2) -> dict[str, Fate]:
    with tempfile.TemporaryDirectory(prefix="planted-") as folder:
        corpus = Path(folder) / "planted.jsonl"
        with corpus.open("w", encoding="utf-8") as handle:
            for d in docs:
                handle.write(json.dumps({"id": d.id, "text": d.text}, ensure_ascii=False) + "\n")
        out = Path(folder) / "out"
        dedup.run([str(corpus)], out=out, workers=workers,
                  config=dedup.RunConfig(dedupe=dedup.DedupConfig(threshold=THRESHOLD)))
        fates = {}
        with (out / "manifest.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                entry = json.loads(line)
                fates[entry["id"]] = Fate(status=entry["status"],
                                          duplicate_of=entry.get("duplicate_of"),
                                          similarity=entry.get("similarity"))
    return fates


# --- the report --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Measures:
    """Per variant: dedup's Jaccard of the cleaned pair, ours of the input pair; cleaned texts."""

    library: dict[str, float]
    inputs: dict[str, float]
    cleaned: dict[str, str]


def measure(docs: Sequence[PlantedDoc]) -> Measures:
    cleaned = {d.id: dedup.clean(d.text).text for d in docs}
    config = dedup.DedupConfig(threshold=THRESHOLD)
    ids = [d.id for d in docs]
    sets = dict(zip(ids, shingle_hashes_batch([cleaned[i] for i in ids], config), strict=True))
    original_of = {d.story: d for d in docs if d.kind == "original"}
    library, inputs = {}, {}
    for d in docs:
        if d.kind == "original":
            continue
        original = original_of[d.story]
        library[d.id] = shingle_jaccard(sets[d.id], sets[original.id])
        inputs[d.id] = jaccard(word_grams(d.text), word_grams(original.text))
    return Measures(library=library, inputs=inputs, cleaned=cleaned)


def _spread(values: Sequence[float]) -> str:
    if not values:
        return "-"
    return f"{min(values):.3f}/{statistics.median(values):.3f}/{max(values):.3f}"


def print_scores(label: str, scores: Scores, measures: Measures, seconds: float) -> bool:
    print(f"\n-- {label} ({seconds:.1f} s); similarities min/median/max; 'input J' = word "
          "5-gram Jaccard of variant and original as input ('<0.8': how many are below the "
          "threshold by it); 'lib J' = dedup's Jaccard of the two clean() outputs; 'share' = "
          "merged / docs: the recall, for numbers the share wrongly merged")
    print(f"{'kind':<9} {'docs':>5} {'merged':>6} {'share':>6} {'wrong':>5}  "
          f"{'all: input J':<20} {'<0.8':>4}  {'found: similarity':<20} {'missed':>6}  "
          f"{'missed: lib J':<20} {'missed: input J':<20}")
    for row in scores.rows:
        recall = "-" if row.kind == "original" else f"{row.recall:.3f}"
        missed = "-" if row.kind == "original" else str(len(row.missed))
        # For numbers the failures are the merged ones: their pairs are in 'found'.
        lost = () if row.kind in KEEP_APART_KINDS else row.missed
        every = [measures.inputs[i] for i in row.ids]
        below = "-" if row.kind == "original" else str(sum(j < THRESHOLD for j in every))
        print(f"{row.kind:<9} {row.variants:>5} {row.merged:>6} {recall:>6} {row.wrong:>5}  "
              f"{_spread(every):<20} {below:>4}  "
              f"{_spread(row.found_similarity):<20} {missed:>6}  "
              f"{_spread([measures.library[i] for i in lost]):<20} "
              f"{_spread([measures.inputs[i] for i in lost]):<20}")
    passed = True
    for floor, ok in scores.verdicts():
        print(f"  {'PASS' if ok else 'FAIL'}  {floor}")
        passed &= ok
    return passed


def _clip(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


def show_failures(docs: Sequence[PlantedDoc], scores: Scores, measures: Measures,
                  count: int) -> None:
    """A few failures per kind: both similarities, and the lines cleaning kept or lost."""
    by_id = {d.id: d for d in docs}
    original_of = {d.story: d for d in docs if d.kind == "original"}
    for row in scores.rows:
        for doc_id in row.missed[:count]:
            d = by_id[doc_id]
            original = original_of[d.story]
            mine = measures.cleaned[doc_id].splitlines()
            theirs = measures.cleaned[original.id].splitlines()
            theirs_keys = {" ".join(line.split()) for line in theirs}
            mine_keys = {" ".join(line.split()) for line in mine}
            extra = [line for line in mine if " ".join(line.split()) not in theirs_keys]
            lost = [line for line in theirs if " ".join(line.split()) not in mine_keys]
            print(f"  [{row.kind}] {doc_id} ({d.source}) vs original {original.id}: "
                  f"lib J {measures.library[doc_id]:.3f}, input J {measures.inputs[doc_id]:.3f}, "
                  f"cleaned {len(measures.cleaned[doc_id])} vs {len(measures.cleaned[original.id])}"
                  f" chars; {len(extra)} lines only in the variant, {len(lost)} only in the "
                  "original")
            for line in extra[:4]:
                print(f"      + {_clip(line)}")
            for line in lost[:2]:
                print(f"      - {_clip(line)}")


def run_planted(*, bbc: Path, reuters: Path, originals: int, seed: int,
                show: int = 0) -> bool:
    """Print the planted tables for BBC and Reuters; True when every floor passes."""
    passed = True
    for name, loader, path in (("BBC", load_bbc, bbc), ("Reuters-21578", load_reuters, reuters)):
        started = time.perf_counter()
        chosen, highest = choose_originals(loader(path), originals,
                                           rng=random.Random(f"{seed}:{name}"))
        docs = plant(chosen, seed=seed, label=name)
        measures = measure(docs)
        counts = Counter(d.kind for d in docs)
        print(f"\n== planted variants, {name}: {len(chosen)} originals (>= {MIN_WORDS} words, "
              f"highest pairwise word 5-gram Jaccard {highest:.3f} < {MAX_ORIGINAL_JACCARD}), "
              f"{len(docs)} documents ({', '.join(f'{k} {counts[k]}' for k in KINDS)}); "
              f"built and measured in {time.perf_counter() - started:.1f} s; threshold "
              f"{THRESHOLD}")
        for label, engine in (("deduplicate(threshold=0.8)", fates_from_deduplicate),
                              ("dedup.run(workers=2)", fates_from_run)):
            started = time.perf_counter()
            fates = engine(docs)
            seconds = time.perf_counter() - started
            scores = score(docs, fates, measures.library)
            passed &= print_scores(f"{name}, {label}", scores, measures, seconds)
            if show:
                show_failures(docs, scores, measures, show)
    return passed
