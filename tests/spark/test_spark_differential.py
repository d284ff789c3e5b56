"""The Spark engine against the local engine: identical clusters, kept ids and similarities.

Five corpora, each built to stress one part of the engine: the seeds; 1,000
synthetic stories with planted exact copies, reworded copies and boilerplate
variants; stories with no duplicate at all; 300 identical documents and 300
one-word variants (a skewed bucket); and a chain of rewrites in which only
neighbours are similar, so the cluster needs several component rounds. They are
run as one Spark job, their ids prefixed, because starting jobs is what costs
time on a 2-core CI machine; their texts share nothing, and the comparison is
made on the whole and on each corpus.
"""

from __future__ import annotations

import random
import string
from pathlib import Path
from typing import Any

import pytest

import dedup
from dedup.near.config import DedupConfig
from dedup.spark import find_duplicates

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    return ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))
            for _ in range(size)]


def _story(rng: random.Random, words: list[str], length: int) -> str:
    sentences = []
    remaining = length
    while remaining > 0:
        count = min(remaining, rng.randint(8, 18))
        sentence = " ".join(rng.choice(words) for _ in range(count))
        sentences.append(sentence.capitalize() + ".")
        remaining -= count
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
    return "\n\n".join(paragraphs)


def _reword(rng: random.Random, words: list[str], text: str, edits: int) -> str:
    tokens = text.split(" ")
    for _ in range(edits):
        tokens[rng.randrange(len(tokens))] = rng.choice(words)
    return " ".join(tokens)


def synthetic_corpus(seed: int = 5, count: int = 1_000) -> list[tuple[str, str]]:
    """Return ``count`` stories: 70% originals, the rest planted copies of several kinds."""
    rng = random.Random(seed)
    words = _vocabulary(rng, 3_000)
    originals = [_story(rng, words, rng.randint(60, 220)) for _ in range(count * 7 // 10)]
    docs = list(originals)
    while len(docs) < count:
        source = rng.choice(originals)
        kind = rng.randrange(5)
        if kind == 0:
            docs.append(source)  # an exact copy
        elif kind == 1:
            docs.append(source.upper().replace(".", "!"))  # same shingles, other text
        elif kind == 2:
            docs.append(_reword(rng, words, source, rng.randint(1, 4)))  # light edit
        elif kind == 3:
            docs.append(_reword(rng, words, source, rng.randint(10, 30)))  # heavy edit
        else:
            docs.append(source + "\n\nFollow us on social media for more stories.")
    rng.shuffle(docs)
    return [(f"syn-{index:04d}", text) for index, text in enumerate(docs)]


def distinct_corpus(seed: int = 11, count: int = 150) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    words = _vocabulary(rng, 5_000)
    return [(f"uniq-{index:03d}", _story(rng, words, 120)) for index in range(count)]


def skewed_corpus(seed: int = 13) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    words = _vocabulary(rng, 2_000)
    same = _story(rng, words, 150)
    base = _story(rng, words, 400)
    docs = [(f"same-{index:03d}", same) for index in range(300)]
    docs += [(f"bucket-{index:03d}", _reword(rng, words, base, 1)) for index in range(300)]
    return docs


def chain_corpus(seed: int = 17, links: int = 40) -> list[tuple[str, str]]:
    """Return windows sliding over one long text: only neighbours reach the threshold.

    With 200-word windows shifted by 15 words, neighbours share 181 of 211
    5-word shingles (Jaccard 0.86) and documents two apart 166 of 226 (0.73).
    Ids are shuffled along the chain, so components need several rounds.
    """
    rng = random.Random(seed)
    words = _vocabulary(rng, 4_000)
    stream = [rng.choice(words) for _ in range(links * 15 + 200)]
    labels = list(range(links))
    rng.shuffle(labels)
    return [(f"chain-{labels[k]:03d}", " ".join(stream[k * 15:k * 15 + 200]))
            for k in range(links)]


def seed_corpus() -> list[tuple[str, str]]:
    return [(f"seed-{path.name}", path.read_text(encoding="utf-8"))
            for path in sorted(SEEDS.glob("*.txt"))]


CORPORA = {
    "seed": seed_corpus, "syn": synthetic_corpus, "uniq": distinct_corpus,
    "same": skewed_corpus, "chain": chain_corpus,
}


def local_decisions(docs: list[tuple[str, str]], config: DedupConfig) -> dict[str, tuple[Any, ...]]:
    result = dedup.deduplicate(sorted(docs), config=config)
    none = (None,) * 5
    decisions: dict[str, tuple[Any, ...]] = dict.fromkeys(result.keep, ("kept", *none))
    decisions.update(dict.fromkeys(result.empty, ("empty", *none)))
    for duplicate in result.duplicates:
        decisions[duplicate.id] = ("duplicate", duplicate.duplicate_of, duplicate.similarity,
                                   duplicate.kind, duplicate.matched,
                                   duplicate.matched_similarity)
    return decisions


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str]]:
    docs = [doc for build in CORPORA.values() for doc in build()]
    assert len({doc_id for doc_id, _ in docs}) == len(docs)
    return docs


@pytest.fixture(scope="module")
def both(spark: Any, corpus: list[tuple[str, str]]) -> tuple[dict[str, Any], dict[str, Any]]:
    config = DedupConfig(threshold=0.8)
    frame = spark.createDataFrame(corpus, "doc_id string, body string").repartition(3)
    rows = find_duplicates(frame, id_column="doc_id", text_column="body", config=config).collect()
    on_spark = {row["doc_id"]: (row["status"], row["duplicate_of"], row["similarity"],
                                row["kind"], row["matched"], row["matched_similarity"])
                for row in rows}
    assert len(on_spark) == len(rows) == len(corpus)
    return local_decisions(corpus, config), on_spark


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_spark_decides_as_the_local_engine(both: tuple[dict[str, Any], dict[str, Any]],
                                           name: str) -> None:
    local, on_spark = both
    prefix = f"{name}-"
    expected = {key: value for key, value in local.items() if key.startswith(prefix)}
    found = {key: value for key, value in on_spark.items() if key.startswith(prefix)}
    assert expected
    assert found == expected


def test_the_corpora_exercise_what_they_are_for(
        both: tuple[dict[str, Any], dict[str, Any]]) -> None:
    local, _ = both

    def statuses(prefix: str) -> list[str]:
        return [value[0] for key, value in local.items() if key.startswith(prefix)]

    assert set(statuses("uniq-")) == {"kept"}
    assert statuses("same-").count("kept") == 1
    assert statuses("bucket-").count("kept") == 1
    assert statuses("chain-").count("kept") == 1
    kinds = {value[3] for key, value in local.items() if key.startswith("syn-")}
    assert kinds == {None, "exact", "near"}
    near = [value[2] for key, value in local.items()
            if key.startswith("syn-") and value[3] == "near"]
    assert min(near) < 0.95, "some planted copies must be verified, not equal"
    chain_similarities = [value[2] for key, value in local.items() if key.startswith("chain-")
                          and value[0] == "duplicate"]
    assert min(chain_similarities) < 0.8, "the chain's far ends are joined only through links"
