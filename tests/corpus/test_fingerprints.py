"""The fingerprint spill file gives back exactly what was put in."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.corpus.dedupe import FingerprintBatch, fingerprint_batch
from dedup.corpus.fingerprints import FingerprintStore
from dedup.near.config import DedupConfig
from dedup.near.decision import MatchEvidence
from dedup.near.grouping import set_digest

shingle_sets = st.lists(st.integers(0, 2**64 - 1), max_size=12).map(
    lambda values: np.unique(np.array(values, dtype=np.uint64)))
figures = st.lists(st.from_regex(r"[0-9\u0663]+(?:[.,][0-9]+)?", fullmatch=True), max_size=4)


@st.composite
def batches(draw: st.DrawFn) -> FingerprintBatch:
    count = draw(st.integers(0, 6))
    sets = [draw(shingle_sets) for _ in range(count)]
    evidence = []
    for index in range(count):
        reduced = draw(st.booleans())
        evidence.append(MatchEvidence(
            figures=tuple(sorted(draw(figures))),
            input_shingles=draw(shingle_sets) if reduced else None,
            input_digest=bytes([index]) * 16 if reduced else b""))
    return FingerprintBatch(
        lengths=tuple(draw(st.integers(0, 10**6)) for _ in range(count)),
        digests=tuple(bytes([index + 1]) * 16 for index in range(count)),
        is_empty=tuple(s.size == 0 for s in sets), shingle_sets=tuple(sets),
        signatures=np.arange(count * 4, dtype=np.uint32).reshape(count, 4),
        evidence=tuple(evidence))


@settings(max_examples=60, deadline=None)
@given(st.lists(batches(), max_size=4))
def test_stored_fingerprints_round_trip(given_batches: list[FingerprintBatch]) -> None:
    with FingerprintStore(num_perm=4) as store:
        for batch in given_batches:
            store.add(batch)
        stored = store.finish()
        sets = [s for batch in given_batches for s in batch.shingle_sets]
        evidence = [e for batch in given_batches for e in batch.evidence]
        assert len(stored.shingle_sets) == len(stored.evidence) == len(sets)
        for index, (shingles, item) in enumerate(zip(sets, evidence, strict=True)):
            assert np.array_equal(stored.shingle_sets[index], shingles)
            back = stored.evidence[index]
            assert back.figures == item.figures
            assert back.input_digest == item.input_digest == stored.input_digests[index]
            if item.input_shingles is None:
                assert back.input_shingles is None
            else:
                assert back.input_shingles is not None
                assert np.array_equal(back.input_shingles, item.input_shingles)
            assert stored.set_digests[index] == (set_digest(shingles) if shingles.size else b"")
        assert stored.lengths.tolist() == [n for b in given_batches for n in b.lengths]
        assert stored.digests == [d for b in given_batches for d in b.digests]
        expected = (np.concatenate([b.signatures for b in given_batches]) if given_batches
                    else np.empty((0, 4), dtype=np.uint32))
        assert np.array_equal(stored.signatures, expected.reshape(-1, 4))


def test_real_batches_round_trip_figures_and_shingles() -> None:
    config = DedupConfig()
    texts = ["Rates rose 5.5 pct to 1,200 in 1987 and 1987 again.", "", "no figures at all here"]
    batch = fingerprint_batch(texts, config, clean_config=None)
    with FingerprintStore(num_perm=config.num_perm) as store:
        store.add(batch)
        stored = store.finish()
        assert [e.figures for e in stored.evidence] == [e.figures for e in batch.evidence]
        assert stored.evidence[0].figures == ("1,200", "1987", "1987", "5.5")
        assert all(np.array_equal(a, b) for a, b in zip(stored.shingle_sets, batch.shingle_sets,
                                                        strict=True))
        assert np.array_equal(stored.signatures, batch.signatures)
