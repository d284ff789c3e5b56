"""LSH banding over signature matrices: band keys and candidate pairs, vectorised.

A signature of ``num_perm`` rows is cut into ``bands`` bands of
``rows_per_band`` rows (:attr:`DedupConfig.banding`); two documents are
candidates when any band of theirs is equal. Each band is reduced to one
64-bit key (its rows combined by a multiply-xor chain and mixed, salted by
the band number so that keys of different bands never meet in one table).
Equal bands always give equal keys; a 64-bit collision between unequal bands
only adds a candidate, which verification then rejects.

For datasketch's own ``MinHashLSH`` with the same banding, pass
``params=config.banding`` and the rows from :func:`dedup.near.minhash.to_lean_minhash`.

Building blocks (stable): :func:`band_keys`, :func:`candidate_pairs`; for large
matrices :func:`band_key_column` and :func:`candidate_pairs_of`, which give the
same keys and pairs one band at a time.

Added in 0.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from dedup.near.config import DedupConfig
from dedup.near.minhash import to_lean_minhash
from dedup.near.shingling import fmix64

if TYPE_CHECKING:
    from datasketch import MinHashLSH

__all__ = [
    "BandKeys",
    "PairArray",
    "band_key_column",
    "band_keys",
    "candidate_pairs",
    "candidate_pairs_of",
    "to_datasketch_lsh",
]

BandKeys = npt.NDArray[np.uint64]
PairArray = npt.NDArray[np.int64]

_U64 = np.uint64
_COMBINE = 0x9E3779B97F4A7C15
_BAND_SALT = 0xD6E8FEB86659FD93
#: Candidate pair codes (8 bytes each) that may wait before a merge: 8 MB.
_MERGE_AT = 1 << 20


def band_key_column(signatures: npt.NDArray[np.uint32], band: int,
                    config: DedupConfig) -> npt.NDArray[np.uint64]:
    """Return the 64-bit key of one band of every row of a signature matrix.

    Only that band's ``rows_per_band`` columns are widened to 64 bits, so a
    caller that handles one band at a time holds ``8 * n`` bytes of keys, not
    the whole matrix widened (``8 * n * num_perm``: 1 GB at a million documents).

    >>> config = DedupConfig(num_perm=8, bands=2, rows_per_band=4)
    >>> rows = np.array([[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 0, 0, 0, 0]], dtype=np.uint32)
    >>> first = band_key_column(rows, 0, config)
    >>> bool(first[0] == first[1]), bool(first[0] == band_keys(rows[0], config)[0])
    (True, True)
    """
    _bands, rows = config.banding
    matrix = np.atleast_2d(signatures)
    keys = np.full(matrix.shape[0], (band + 1) * _BAND_SALT % 2**64, dtype=_U64)
    for row in range(rows):
        keys ^= matrix[:, band * rows + row]
        keys *= _U64(_COMBINE)
    return fmix64(keys)


def band_keys(signatures: npt.NDArray[np.uint32], config: DedupConfig) -> BandKeys:
    """Return one 64-bit key per band: shape ``(n, bands)`` for a matrix, ``(bands,)`` for a row.

    >>> config = DedupConfig(num_perm=8, bands=2, rows_per_band=4)
    >>> rows = np.array([[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 0, 0, 0, 0]], dtype=np.uint32)
    >>> keys = band_keys(rows, config)
    >>> keys.shape, bool(keys[0, 0] == keys[1, 0]), bool(keys[0, 1] == keys[1, 1])
    ((2, 2), True, False)
    """
    bands, _rows = config.banding
    matrix = np.atleast_2d(signatures)
    keys = np.empty((matrix.shape[0], bands), dtype=_U64)
    for band in range(bands):
        keys[:, band] = band_key_column(matrix, band, config)
    return keys[0] if signatures.ndim == 1 else keys


def _pairs_in_runs(values: npt.NDArray[np.uint64]) -> PairArray:
    """Return every pair ``(i, j)``, ``i < j``, of positions holding equal values."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    same_as_next = ordered[1:] == ordered[:-1]
    if not same_as_next.any():
        return np.empty((0, 2), dtype=np.int64)
    run_start = np.concatenate(([True], ~same_as_next))
    run_id = np.cumsum(run_start) - 1
    run_end = np.flatnonzero(np.concatenate((~same_as_next, [True]))) + 1
    end_of = run_end[run_id]
    position = np.arange(values.size)
    chunks: list[PairArray] = []
    active = position[end_of - position > 1]
    distance = 1
    while active.size:
        chunks.append(np.stack((order[active], order[active + distance]), axis=1))
        distance += 1
        active = active[end_of[active] - active > distance]
    pairs = np.concatenate(chunks)
    pairs.sort(axis=1)
    return pairs.astype(np.int64)


def candidate_pairs(keys: BandKeys) -> PairArray:
    """Return the sorted unique pairs ``(i, j)``, ``i < j``, of rows sharing any band key.

    Rows are indexes into ``keys`` (shape ``(n, bands)``). The result does not
    depend on anything but the keys, so it is the same in every engine.

    >>> keys = np.array([[1, 2], [1, 3], [4, 3], [5, 6]], dtype=np.uint64)
    >>> candidate_pairs(keys).tolist()
    [[0, 1], [1, 2]]
    """
    count = keys.shape[0]
    if count < 2:
        return np.empty((0, 2), dtype=np.int64)
    chunks = [_pairs_in_runs(np.ascontiguousarray(keys[:, band]))
              for band in range(keys.shape[1])]
    pairs = np.concatenate(chunks)
    if pairs.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.unique(pairs[:, 0] * np.int64(count) + pairs[:, 1])
    return np.stack((codes // count, codes % count), axis=1)


def candidate_pairs_of(signatures: npt.NDArray[np.uint32], config: DedupConfig, *,
                       rows: npt.NDArray[np.int64] | None = None) -> PairArray:
    """Return :func:`candidate_pairs` of ``band_keys(signatures[rows], config)``, band by band.

    The same pairs (numbered by position in ``rows`` when given), but only one
    band's keys (``8 * n`` bytes) and its pairs live at once, and the
    signatures are never copied: at a million documents and 25 bands the full
    key matrix is 200 MB, widening the signatures to compute it 1 GB more, and
    ``signatures[rows]`` another 0.5 GB.

    >>> config = DedupConfig(num_perm=8, bands=2, rows_per_band=4)
    >>> rows = np.array([[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 0, 0, 0, 0],
    ...                  [9, 9, 9, 9, 5, 6, 7, 8]], dtype=np.uint32)
    >>> candidate_pairs_of(rows, config).tolist()
    [[0, 1], [0, 2]]
    """
    bands, _rows = config.banding
    count = signatures.shape[0] if rows is None else rows.size
    if count < 2:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.empty(0, dtype=np.int64)
    pending: list[npt.NDArray[np.int64]] = []
    waiting = 0
    for band in range(bands):
        keys = band_key_column(signatures, band, config)
        pairs = _pairs_in_runs(keys if rows is None else keys[rows])
        pending.append(np.unique(pairs[:, 0] * np.int64(count) + pairs[:, 1]))
        waiting += pending[-1].size
        # A true pair is found in most bands: merge once the bands' pairs waiting
        # outnumber those merged, so memory stays a small multiple of the unique
        # pairs, and each pair is sorted a few times, not once per band (merging
        # every band, np.union1d, was 25 sorts of the growing result).
        if waiting > max(codes.size, _MERGE_AT):
            codes = np.unique(np.concatenate([codes, *pending]))
            pending, waiting = [], 0
    if pending:
        codes = np.unique(np.concatenate([codes, *pending]))
    return np.stack((codes // count, codes % count), axis=1)


def to_datasketch_lsh(ids: Sequence[str], signatures: npt.NDArray[np.uint32],
                      config: DedupConfig) -> MinHashLSH:
    """Return a datasketch ``MinHashLSH`` holding the signatures, with dedup's banding.

    For users who want datasketch's own index (or its Redis/Cassandra
    storage) on dedup's signatures; its candidates are the same as
    :func:`candidate_pairs` finds (a test checks this).

    >>> from dedup.near.minhash import signatures as signatures_of
    >>> from dedup.near.shingling import shingle_hashes_batch
    >>> config = DedupConfig()
    >>> matrix = signatures_of(shingle_hashes_batch(["a b c d e f g h i j k"] * 2, config), config)
    >>> lsh = to_datasketch_lsh(["x", "y"], matrix, config)
    >>> sorted(lsh.query(to_lean_minhash(matrix[0], config)))
    ['x', 'y']
    """
    from datasketch import MinHashLSH  # lazily: see dedup.near.minhash.permutations

    lsh = MinHashLSH(threshold=config.threshold, num_perm=config.num_perm,
                     params=config.banding)
    with lsh.insertion_session() as session:
        for doc_id, row in zip(ids, signatures, strict=True):
            session.insert(doc_id, to_lean_minhash(row, config), check_duplication=False)
    return lsh
