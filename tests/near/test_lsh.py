"""Banding for recall, band keys and candidate pairs against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.errors import ConfigError
from dedup.near.config import DedupConfig, candidate_probability, choose_banding
from dedup.near.lsh import band_keys, candidate_pairs


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0])
@pytest.mark.parametrize("num_perm", [64, 128, 256])
def test_banding_reaches_095_at_the_threshold(threshold: float, num_perm: int) -> None:
    bands, rows = choose_banding(threshold, num_perm)
    assert bands * rows <= num_perm
    assert candidate_probability(threshold, bands, rows) >= 0.95


def test_banding_override_and_validation() -> None:
    assert DedupConfig(bands=9, rows_per_band=13).banding == (9, 13)
    with pytest.raises(ConfigError, match="rows_per_band"):
        DedupConfig(bands=9)
    with pytest.raises(ConfigError, match="num_perm"):
        DedupConfig(bands=20, rows_per_band=7)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), min_size=3, max_size=3), max_size=25))
def test_candidate_pairs_equal_brute_force(rows: list[list[int]]) -> None:
    keys = np.array(rows, dtype=np.uint64).reshape(-1, 3)
    expected = sorted((i, j) for i, j in itertools.combinations(range(len(rows)), 2)
                      if any(rows[i][b] == rows[j][b] for b in range(3)))
    assert [tuple(p) for p in candidate_pairs(keys).tolist()] == expected


def test_equal_bands_give_equal_keys_and_bands_do_not_mix() -> None:
    config = DedupConfig(num_perm=8, bands=2, rows_per_band=4)
    same = np.array([[5, 5, 5, 5, 5, 5, 5, 5]], dtype=np.uint32)
    keys = band_keys(same, config)
    assert keys[0, 0] != keys[0, 1]  # salted by band number
    assert np.array_equal(band_keys(same[0], config), keys[0])


def test_datasketch_lsh_with_our_banding_finds_the_same_candidates() -> None:
    from dedup.near.lsh import to_datasketch_lsh
    from dedup.near.minhash import signatures, to_lean_minhash
    from dedup.near.shingling import shingle_hashes_batch

    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(40)]
    base = [str(w) for w in rng.choice(words, 60)]
    texts = []
    for k in range(30):
        edited = base[:]
        for position in rng.choice(60, k % 12, replace=False):
            edited[position] = "edit"
        texts.append(" ".join(edited))
    config = DedupConfig(threshold=0.8)
    matrix = signatures(shingle_hashes_batch(texts, config), config)
    ids = [str(i) for i in range(len(texts))]
    lsh = to_datasketch_lsh(ids, matrix, config)
    theirs = {tuple(sorted((int(i), int(j)))) for i in range(len(texts))
              for j in lsh.query(to_lean_minhash(matrix[i], config)) if int(j) != i}
    ours = {tuple(pair) for pair in candidate_pairs(band_keys(matrix, config)).tolist()}
    assert ours == theirs
    assert ours  # the test data has candidates


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 2), min_size=8, max_size=8), max_size=30),
       st.data())
def test_band_by_band_candidates_equal_the_key_matrix_ones(rows: list[list[int]],
                                                          data: st.DataObject) -> None:
    # The fast path (one band's keys at a time, rows picked without copying the
    # signatures) against the reference: the whole key matrix, then candidate_pairs.
    from dedup.near.lsh import band_key_column, candidate_pairs_of

    config = DedupConfig(num_perm=8, bands=4, rows_per_band=2)
    matrix = np.array(rows, dtype=np.uint32).reshape(-1, 8)
    keys = band_keys(matrix, config)
    for band in range(4):
        assert np.array_equal(band_key_column(matrix, band, config), keys[:, band])
    assert np.array_equal(candidate_pairs_of(matrix, config), candidate_pairs(keys))
    picked = np.array(sorted(data.draw(st.sets(st.integers(0, max(len(rows) - 1, 0)),
                                               max_size=len(rows)))), dtype=np.int64)
    assert np.array_equal(candidate_pairs_of(matrix, config, rows=picked),
                          candidate_pairs(keys[picked].reshape(-1, 4)))


def test_band_by_band_candidates_merge_early_to_the_same_pairs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Merging the waiting pairs after every band gives the pairs of one final merge.
    from dedup.near import lsh

    config = DedupConfig(num_perm=8, bands=4, rows_per_band=2)
    rng = np.random.default_rng(5)
    matrix = rng.integers(0, 3, size=(60, 8), dtype=np.uint32)
    expected = candidate_pairs(band_keys(matrix, config))
    monkeypatch.setattr(lsh, "_MERGE_AT", 0)
    assert len(expected) > 0
    assert np.array_equal(lsh.candidate_pairs_of(matrix, config), expected)
