"""MinHash signatures of many documents at once, bit-identical to datasketch's ``MinHash``.

datasketch (>= 2.0) uses the ``affine32`` scheme: each 32-bit input hash is
pre-mixed by the MurmurHash3 32-bit finaliser, then permutation ``k`` maps it
to ``a_k * h + b_k mod 2**32`` with ``a_k`` odd; the signature keeps the
minimum per permutation. :func:`signatures` does exactly that for a whole
batch of documents in numpy (one broadcast multiply-add and one segmented
minimum per chunk), using the permutations datasketch itself draws for
``(num_perm, seed)``. So ``signatures([s], config)[0]`` equals
``MinHash(num_perm, seed, hashfunc=int).update_batch(minhash_values(s))``'s
``hashvalues`` and :func:`to_lean_minhash` hands a row to datasketch's LSH,
Forest or Ensemble.

An empty shingle set gets datasketch's empty signature (all ``2**32 - 1``).

Building blocks (stable): :func:`permutations`, :func:`signatures`,
:func:`to_lean_minhash`, :func:`estimate_jaccard`.

Added in 0.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from dedup.near.config import DedupConfig
from dedup.near.shingling import ShingleArray, minhash_values

if TYPE_CHECKING:
    from datasketch import LeanMinHash

__all__ = [
    "SignatureMatrix",
    "estimate_jaccard",
    "permutations",
    "signatures",
    "to_lean_minhash",
]

SignatureMatrix = npt.NDArray[np.uint32]

_U32 = np.uint32
_EMPTY = 0xFFFFFFFF
# Shingles processed per pass: long enough for numpy's loops to amortise
# their call overhead (measured: 1.1 ms per 16k shingles x 128 permutations at
# 256k, against 2.1 ms at 16k), small enough (1 MB) to stay in cache.
_CHUNK_ROWS = 262144


def permutations(config: DedupConfig) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """Return datasketch's ``(a, b)`` permutation parameters for ``config``.

    Taken from a datasketch ``MinHash`` so they are its own by construction.

    >>> a, b = permutations(DedupConfig(num_perm=4))
    >>> a.dtype, a.shape, bool((a % 2 == 1).all())
    (dtype('uint32'), (4,), True)
    """
    # Imported here, not at module level: datasketch imports its storage
    # module, which imports redis and scipy whenever they are installed, and
    # `import dedup` should not pay for (or depend on) them.
    from datasketch import MinHash

    template = MinHash(num_perm=config.num_perm, seed=config.seed, scheme="affine32")
    a, b = template.permutations
    return np.ascontiguousarray(a, dtype=_U32), np.ascontiguousarray(b, dtype=_U32)


def _fmix32(values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    values = values ^ (values >> _U32(16))
    values = values * _U32(0x85EBCA6B)
    values = values ^ (values >> _U32(13))
    values = values * _U32(0xC2B2AE35)
    return values ^ (values >> _U32(16))  # type: ignore[no-any-return]


def signatures(shingle_sets: Sequence[ShingleArray], config: DedupConfig) -> SignatureMatrix:
    """Return the MinHash signatures of many shingle sets as a ``(n, num_perm)`` uint32 matrix.

    >>> from datasketch import MinHash
    >>> config = DedupConfig(num_perm=16)
    >>> shingles = np.array([1, 2, 3, 2**40], dtype=np.uint64)
    >>> reference = MinHash(num_perm=16, seed=1, hashfunc=int)
    >>> reference.update_batch(minhash_values(shingles).tolist())
    >>> bool((signatures([shingles], config)[0] == reference.hashvalues).all())
    True
    """
    a, b = permutations(config)
    count = len(shingle_sets)
    result = np.full((count, config.num_perm), _EMPTY, dtype=_U32)
    sizes = np.array([s.size for s in shingle_sets], dtype=np.int64)
    nonempty = np.flatnonzero(sizes)
    if nonempty.size == 0:
        return result
    start = 0
    while start < nonempty.size:
        # Take documents until the chunk holds about _CHUNK_ROWS shingles.
        stop = start + 1
        rows = int(sizes[nonempty[start]])
        while stop < nonempty.size and rows + sizes[nonempty[stop]] <= _CHUNK_ROWS:
            rows += int(sizes[nonempty[stop]])
            stop += 1
        docs = nonempty[start:stop]
        values = _fmix32(minhash_values(np.concatenate([shingle_sets[d] for d in docs])))
        offsets = np.concatenate(([0], np.cumsum(sizes[docs])[:-1]))
        # One permutation at a time over the whole chunk, in place: a long
        # contiguous uint32 multiply-add vectorises well, a broadcast
        # (shingles x num_perm) product does not.
        permuted = np.empty_like(values)
        block = np.empty((config.num_perm, docs.size), dtype=_U32)
        for k in range(config.num_perm):
            np.multiply(values, a[k], out=permuted)
            np.add(permuted, b[k], out=permuted)
            block[k] = np.minimum.reduceat(permuted, offsets)
        result[docs] = block.T
        start = stop
    return result


def to_lean_minhash(signature: npt.NDArray[np.uint32], config: DedupConfig) -> LeanMinHash:
    """Wrap one signature row as a datasketch ``LeanMinHash`` (for its LSH, Forest, Ensemble).

    >>> config = DedupConfig(num_perm=8)
    >>> lean = to_lean_minhash(signatures([np.arange(5, dtype=np.uint64)], config)[0], config)
    >>> lean.jaccard(lean)
    1.0
    """
    from datasketch import LeanMinHash

    return LeanMinHash(seed=config.seed, hashvalues=signature, scheme="affine32")


def estimate_jaccard(left: npt.NDArray[np.uint32], right: npt.NDArray[np.uint32]) -> float:
    """Return the MinHash estimate of the Jaccard similarity: the share of equal rows.

    >>> estimate_jaccard(np.array([1, 2, 3, 4], dtype=np.uint32),
    ...                  np.array([1, 2, 0, 0], dtype=np.uint32))
    0.5
    """
    return float(np.count_nonzero(left == right)) / float(left.size)
