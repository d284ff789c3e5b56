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

Two implementations give the same signatures: a compiled kernel
(``dedup.near._minhash_c``, built by ``pip install`` where a C compiler
exists) and numpy, the fallback. :data:`IMPLEMENTATION` says which one this
process uses; ``DEDUP_PURE_PYTHON=1`` in the environment forces numpy. The
tests compare both with :func:`_reference_signatures`.

Building blocks (stable): :func:`permutations`, :func:`signatures`,
:func:`to_lean_minhash`, :func:`estimate_jaccard`.

Added in 0.1.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from dedup.near.config import DedupConfig
from dedup.near.shingling import ShingleArray, minhash_values

if TYPE_CHECKING:
    from datasketch import LeanMinHash

__all__ = [
    "IMPLEMENTATION",
    "SignatureMatrix",
    "estimate_jaccard",
    "permutations",
    "signatures",
    "to_lean_minhash",
]

SignatureMatrix = npt.NDArray[np.uint32]

_U32 = np.uint32
_EMPTY = 0xFFFFFFFF
# Shingles processed per pass. Each permutation makes three passes over the
# chunk (multiply, add, segmented minimum) through one scratch array, so the
# chunk and its scratch (2 x 256 KB at 64k) stay in this machine's 1 MB L2
# cache, while the pass stays long enough for numpy to amortise its ~1 us call
# overhead. Measured on Reuters (benchmarks/near_dup.py --floor, same-run
# turns): the MinHash step took 0.127-0.137 s of CPU at 64k against
# 0.136-0.140 s at 256k (which no longer fits beside its scratch) and
# 0.145-0.147 s at 32k (call overhead); 16k-row 2-D blocks of 16 permutations,
# fewer calls but as many passes, were no faster (0.134-0.151 s).
_CHUNK_ROWS = 65536

# The compiled kernel's signatures(shingles, offsets, a, b, out) (see _minhash_c.c).
_Kernel = Callable[[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.uint32],
                    npt.NDArray[np.uint32], npt.NDArray[np.uint32]], None]


def _import_kernel() -> _Kernel | None:
    """Return the compiled kernel, or None if it was not built or ``DEDUP_PURE_PYTHON`` is set.

    The one environment variable dedup reads: like RapidFuzz's
    ``RAPIDFUZZ_IMPLEMENTATION`` it picks how, never what (both paths give the
    same signatures), so it is no second channel for an option. Read once, at
    import, so a process never mixes the two.
    """
    if os.environ.get("DEDUP_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        from dedup.near import _minhash_c
    except ImportError:  # not built: no compiler at install time, or a source checkout
        return None
    return _minhash_c.signatures


_kernel = _import_kernel()
#: Which implementation :func:`signatures` uses in this process: ``"compiled"``
#: (the C kernel) or ``"numpy"`` (the fallback: not built, or ``DEDUP_PURE_PYTHON=1``).
IMPLEMENTATION: Literal["compiled", "numpy"] = "numpy" if _kernel is None else "compiled"
# Shingles handed to the compiled kernel per call: bounds its concatenated copy (512 KB)
# for a corpus of any size. Reuters took 22-23 ms of CPU from 16k to 4M (measured), so
# the small bound costs nothing.
_KERNEL_ROWS = 65536


def permutations(config: DedupConfig) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """Return datasketch's ``(a, b)`` permutation parameters for ``config``.

    Drawn as datasketch's ``MinHash(scheme="affine32")`` draws them: the same
    generator, calls and order (``_reference_permutations`` asks datasketch
    itself, and tests/near/test_minhash.py compares the two over many
    ``(num_perm, seed)``). Not from a ``MinHash``, as before: importing
    datasketch costs a process 0.47 s (its LSH module imports
    ``scipy.integrate``), and in ``dedup run --workers 2`` each worker paid it
    before its first signatures (0.9 s of a worker's time under load, py-spy,
    50,000 documents).

    >>> a, b = permutations(DedupConfig(num_perm=4))
    >>> a.dtype, a.shape, bool((a % 2 == 1).all())
    (dtype('uint32'), (4,), True)
    """
    generator = np.random.RandomState(config.seed)
    # a odd in [1, 2**32), b in [0, 2**32): datasketch's _init_permutations for affine32.
    a = generator.randint(0, 1 << 31, config.num_perm, dtype=_U32) * _U32(2) + _U32(1)
    b = generator.randint(0, 1 << 32, config.num_perm, dtype=_U32)
    return np.ascontiguousarray(a), np.ascontiguousarray(b)


def _reference_permutations(config: DedupConfig
                            ) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """:func:`permutations` taken from a datasketch ``MinHash``: its own by construction."""
    # Imported here, not at module level: datasketch imports its storage
    # module, which imports redis and scipy whenever they are installed, and
    # `import dedup` should not pay for (or depend on) them.
    from datasketch import MinHash

    template = MinHash(num_perm=config.num_perm, seed=config.seed, scheme="affine32")
    a, b = template.permutations
    return np.ascontiguousarray(a, dtype=_U32), np.ascontiguousarray(b, dtype=_U32)


def _fmix32(values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """Return the MurmurHash3 32-bit finaliser of ``values`` (datasketch's pre-mix)."""
    values = values ^ (values >> _U32(16))
    values = values * _U32(0x85EBCA6B)
    values = values ^ (values >> _U32(13))
    values = values * _U32(0xC2B2AE35)
    return values ^ (values >> _U32(16))  # type: ignore[no-any-return]


def _fmix32_in_place(values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """Apply :func:`_fmix32` to ``values`` in place, with one scratch array instead of five.

    41 against 56 us per 64k values (measured); :func:`_reference_signatures`
    uses :func:`_fmix32`, so the tests compare the two.
    """
    scratch = np.empty_like(values)
    for shift, multiplier in ((16, 0x85EBCA6B), (13, 0xC2B2AE35)):
        np.right_shift(values, _U32(shift), out=scratch)
        values ^= scratch
        values *= _U32(multiplier)
    np.right_shift(values, _U32(16), out=scratch)
    values ^= scratch
    return values


def _chunks(sizes: npt.NDArray[np.int64], nonempty: npt.NDArray[np.intp]) -> list[
        tuple[int, int]]:
    """Split ``nonempty`` into ranges of documents holding about ``_CHUNK_ROWS`` shingles.

    A document larger than a chunk is a chunk of its own.
    """
    ranges: list[tuple[int, int]] = []
    start = 0
    counts = sizes[nonempty].tolist()
    while start < len(counts):
        stop, rows = start + 1, counts[start]
        while stop < len(counts) and rows + counts[stop] <= _CHUNK_ROWS:
            rows += counts[stop]
            stop += 1
        ranges.append((start, stop))
        start = stop
    return ranges


def signatures(shingle_sets: Sequence[ShingleArray], config: DedupConfig) -> SignatureMatrix:
    """Return the MinHash signatures of many shingle sets as a ``(n, num_perm)`` uint32 matrix.

    Equal to :func:`_reference_signatures` (one document at a time), computed
    by the compiled kernel when it is built, else in numpy over chunks of many
    documents (see :data:`IMPLEMENTATION`).

    >>> from datasketch import MinHash
    >>> config = DedupConfig(num_perm=16)
    >>> shingles = np.array([1, 2, 3, 2**40], dtype=np.uint64)
    >>> reference = MinHash(num_perm=16, seed=1, hashfunc=int)
    >>> reference.update_batch(minhash_values(shingles).tolist())
    >>> bool((signatures([shingles], config)[0] == reference.hashvalues).all())
    True
    """
    a, b = permutations(config)
    if _kernel is None:
        return _numpy_signatures(shingle_sets, a, b)
    return _compiled_signatures(shingle_sets, a, b, _kernel)


def _compiled_signatures(shingle_sets: Sequence[ShingleArray], a: npt.NDArray[np.uint32],
                         b: npt.NDArray[np.uint32], kernel: _Kernel) -> SignatureMatrix:
    """Return :func:`signatures` computed by the compiled kernel.

    One pass over each shingle for all permutations at once, against numpy's
    three passes per permutation. On Reuters (21,578 texts, 2.75M shingles,
    num_perm=128; ``benchmarks/near_dup.py --floor``, turns interleaved with
    the numpy build): 0.022-0.026 against 0.142-0.173 s of CPU, 0.76-1.10x the
    C floor against 4.35-5.05x, and text -> signatures 1.68-1.80x the floor
    against 2.32-2.52x (measured).
    """
    count = len(shingle_sets)
    result = np.empty((count, a.size), dtype=_U32)
    bounds = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, shingle_sets), dtype=np.int64, count=count), out=bounds[1:])
    start = 0
    while start < count:
        # The documents from start whose shingles fit in _KERNEL_ROWS, at least one.
        fits = int(np.searchsorted(bounds, bounds[start] + _KERNEL_ROWS, side="right")) - 1
        stop = min(max(fits, start + 1), count)
        values = np.concatenate(shingle_sets[start:stop]).astype(np.uint64, copy=False)
        kernel(values, bounds[start:stop + 1] - bounds[start], a, b, result[start:stop])
        start = stop
    return result


def _numpy_signatures(shingle_sets: Sequence[ShingleArray], a: npt.NDArray[np.uint32],
                      b: npt.NDArray[np.uint32]) -> SignatureMatrix:
    """Return :func:`signatures` computed in numpy: the fallback.

    Over chunks of many documents: small documents would otherwise cost a
    numpy call per permutation each.
    """
    num_perm = a.size
    result = np.full((len(shingle_sets), num_perm), _EMPTY, dtype=_U32)
    # len() of each 1-D set through fromiter: 1.2 against 3.2 ms for Reuters' 21,578 sets
    # with a list of .size (measured).
    sizes = np.fromiter(map(len, shingle_sets), dtype=np.int64, count=len(shingle_sets))
    nonempty = np.flatnonzero(sizes)
    for start, stop in _chunks(sizes, nonempty):
        docs = nonempty[start:stop]
        values = _fmix32_in_place(minhash_values(np.concatenate([shingle_sets[d] for d in docs])))
        offsets = np.concatenate(([0], np.cumsum(sizes[docs])[:-1]))
        # One permutation at a time over the whole chunk, in place, each minimum written
        # straight into its row: a long contiguous uint32 multiply-add vectorises well, a
        # broadcast (shingles x num_perm) product does not (2-3x slower per element,
        # measured), and neither did a (longest, documents) padded layout that trades
        # reduceat for a plain minimum (0.19 s against 0.14 s on Reuters).
        permuted = np.empty_like(values)
        block = np.empty((num_perm, docs.size), dtype=_U32)
        for k in range(num_perm):
            np.multiply(values, a[k], out=permuted)
            np.add(permuted, b[k], out=permuted)
            np.minimum.reduceat(permuted, offsets, out=block[k])
        result[docs] = block.T
    return result


def _reference_signatures(shingle_sets: Sequence[ShingleArray],
                          config: DedupConfig) -> SignatureMatrix:
    """Return what :func:`signatures` returns, one document at a time: the definition.

    Each document's 32-bit values are pre-mixed, mapped by every permutation
    at once (``a * h + b``, wrapping at ``2**32`` as datasketch's uint32 does)
    and the minimum per permutation kept. Tests compare the fast path with it.
    """
    a, b = permutations(config)
    result = np.full((len(shingle_sets), config.num_perm), _EMPTY, dtype=_U32)
    for row, shingles in enumerate(shingle_sets):
        if shingles.size:
            values = _fmix32(minhash_values(shingles))
            result[row] = (np.multiply.outer(values, a) + b).min(axis=0)
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
