"""Signatures are bit-identical to datasketch's MinHash, computed in batches."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import any_text, documents

from dedup.near import minhash
from dedup.near.config import DedupConfig
from dedup.near.minhash import (
    _reference_signatures,
    estimate_jaccard,
    signatures,
    to_lean_minhash,
)
from dedup.near.shingling import minhash_values, shingle_hashes_batch

shingle_sets = st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=60).map(
    lambda values: np.unique(np.array(values, dtype=np.uint64)))


def datasketch_signature(shingles: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    reference = MinHash(num_perm=num_perm, seed=seed, hashfunc=int)
    reference.update_batch(minhash_values(shingles).tolist())
    return np.asarray(reference.hashvalues)


@pytest.mark.parametrize(("num_perm", "seed"), [(128, 1), (64, 7), (256, 12345)])
def test_signatures_equal_datasketch_on_real_shingles(num_perm: int, seed: int) -> None:
    config = DedupConfig(num_perm=num_perm, seed=seed)
    texts = ["The quick brown fox jumps over the lazy dog near the river bank today.",
             "Oil prices rose on Monday as traders weighed the supply outlook in Asia.",
             "短い日本語の文章です。東京で地震がありました。",
             ""]
    sets = shingle_hashes_batch(texts, config)
    matrix = signatures(sets, config)
    assert matrix.shape == (len(texts), num_perm)
    for row, shingles in zip(matrix, sets, strict=True):
        assert np.array_equal(row, datasketch_signature(shingles, num_perm, seed))


@settings(max_examples=40, deadline=None)
@given(st.lists(shingle_sets, min_size=1, max_size=6))
def test_batch_signatures_match_datasketch_and_single_rows(sets: list[np.ndarray]) -> None:
    config = DedupConfig(num_perm=32)
    matrix = signatures(sets, config)
    for row, shingles in zip(matrix, sets, strict=True):
        assert np.array_equal(row, datasketch_signature(shingles, 32, 1))
        assert np.array_equal(row, signatures([shingles], config)[0])


@settings(max_examples=40, deadline=None)
@given(st.lists(any_text, max_size=8), st.integers(min_value=2, max_value=300),
       st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=1, max_value=40))
def test_fast_path_equals_the_reference_on_texts_and_seeds(
        texts: list[str], num_perm: int, seed: int, chunk_rows: int) -> None:
    """Chunking (here a few shingles per chunk, so documents straddle and overflow
    chunks) and the in-place passes change nothing, whatever the seed."""
    config = DedupConfig(num_perm=num_perm, seed=seed)
    sets = shingle_hashes_batch(texts, config)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(minhash, "_CHUNK_ROWS", chunk_rows)
        chunked = signatures(sets, config)
    reference = _reference_signatures(sets, config)
    assert chunked.dtype == reference.dtype == np.uint32
    assert np.array_equal(chunked, reference)
    assert np.array_equal(signatures(sets, config), reference)


@settings(max_examples=15, deadline=None)
@given(st.lists(documents(), min_size=1, max_size=4), st.integers(min_value=0, max_value=99))
def test_reference_equals_datasketch(texts: list[str], seed: int) -> None:
    config = DedupConfig(num_perm=16, seed=seed)
    sets = shingle_hashes_batch(texts, config)
    for row, shingles in zip(_reference_signatures(sets, config), sets, strict=True):
        assert np.array_equal(row, datasketch_signature(shingles, 16, seed))


def test_lean_minhash_round_trip_and_datasketch_jaccard() -> None:
    config = DedupConfig()
    left, right = shingle_hashes_batch(
        ["one two three four five six seven eight nine ten eleven twelve",
         "one two three four five six seven eight nine ten eleven thirteen"], config)
    matrix = signatures([left, right], config)
    lean_left = to_lean_minhash(matrix[0], config)
    assert isinstance(lean_left, LeanMinHash)
    assert lean_left.jaccard(to_lean_minhash(matrix[1], config)) == estimate_jaccard(
        matrix[0], matrix[1])


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=20, max_value=300), st.floats(min_value=0.05, max_value=0.95))
def test_estimate_is_within_expected_error(size: int, share: float) -> None:
    rng = np.random.default_rng(size)
    universe = np.unique(rng.integers(0, 2**63, size * 3, dtype=np.uint64))
    common = int(size * share)
    left = np.unique(universe[:size])
    right = np.unique(np.concatenate((universe[:common], universe[size:2 * size - common])))
    exact = np.intersect1d(left, right).size / np.union1d(left, right).size
    config = DedupConfig(num_perm=256)
    matrix = signatures([left, right], config)
    # Standard error sqrt(J(1-J)/k) <= 0.031 at k=256; allow 5 standard errors.
    assert abs(estimate_jaccard(matrix[0], matrix[1]) - exact) <= 5 * 0.0313


def test_empty_set_gets_datasketch_empty_signature() -> None:
    config = DedupConfig(num_perm=8)
    matrix = signatures([np.empty(0, dtype=np.uint64)], config)
    assert np.array_equal(matrix[0], MinHash(num_perm=8).hashvalues)
