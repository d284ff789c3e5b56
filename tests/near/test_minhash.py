"""Signatures are bit-identical to datasketch's MinHash, computed in batches.

Both implementations are tested whichever one this process uses: the numpy
path always, the compiled kernel (each of its CPU variants) when it is built.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import any_text, documents

from dedup.near import minhash
from dedup.near.config import DedupConfig
from dedup.near.minhash import (
    _compiled_signatures,
    _numpy_signatures,
    _reference_permutations,
    _reference_signatures,
    estimate_jaccard,
    permutations,
    signatures,
    to_lean_minhash,
)
from dedup.near.shingling import minhash_values, shingle_hashes_batch

try:
    from dedup.near import _minhash_c
except ImportError:  # not built: the compiled half of these tests skips, named
    _minhash_c = None  # type: ignore[assignment]

needs_kernel = pytest.mark.skipif(
    _minhash_c is None, reason="the compiled kernel dedup.near._minhash_c is not built "
    "(no working C compiler when dedup was installed): only the numpy path is tested")
# Every variant this CPU runs (baseline, and avx2 where it has it), each tested.
VARIANTS = _minhash_c.VARIANTS if _minhash_c is not None else ()

shingle_sets = st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=60).map(
    lambda values: np.unique(np.array(values, dtype=np.uint64)))
# Neither path needs a set sorted or free of repeats (the minimum does not care).
raw_shingle_sets = st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=80).map(
    lambda values: np.array(values, dtype=np.uint64))

Implementation = Callable[[list[np.ndarray], DedupConfig], np.ndarray]


def numpy_path(sets: list[np.ndarray], config: DedupConfig) -> np.ndarray:
    return _numpy_signatures(sets, *permutations(config))


def compiled_path(variant: str) -> Implementation:
    def run(sets: list[np.ndarray], config: DedupConfig) -> np.ndarray:
        assert _minhash_c is not None
        return _compiled_signatures(sets, *permutations(config),
                                    lambda *args: _minhash_c.signatures(*args, variant))
    return run


def implementations() -> list[tuple[str, Implementation]]:
    """The numpy path and each compiled variant built for this CPU, by name."""
    return [("numpy", numpy_path)] + [(f"compiled-{v}", compiled_path(v)) for v in VARIANTS]


def datasketch_signature(shingles: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    reference = MinHash(num_perm=num_perm, seed=seed, hashfunc=int)
    reference.update_batch(minhash_values(shingles).tolist())
    return np.asarray(reference.hashvalues)


@pytest.mark.parametrize("num_perm", [2, 31, 128, 257, 1024])
@pytest.mark.parametrize("seed", [0, 1, 7, 12345, 2**31, 2**32 - 1])
def test_permutations_are_datasketchs_draw(num_perm: int, seed: int) -> None:
    config = DedupConfig(num_perm=num_perm, seed=seed)
    a, b = permutations(config)
    reference_a, reference_b = _reference_permutations(config)
    assert a.dtype == b.dtype == np.uint32
    assert a.flags.c_contiguous
    assert b.flags.c_contiguous
    np.testing.assert_array_equal(a, reference_a)
    np.testing.assert_array_equal(b, reference_b)


def test_signatures_do_not_import_datasketch() -> None:
    # The reason permutations() draws them itself: importing datasketch costs a
    # process about half a second (scipy), each worker of a run paid it.
    code = ("import sys, dedup\n"
            "from dedup.near.minhash import signatures\n"
            "from dedup.near.shingling import shingle_hashes_batch\n"
            "config = dedup.DedupConfig()\n"
            "signatures(shingle_hashes_batch(['one two three four five six'], config), config)\n"
            "print('datasketch' in sys.modules)\n")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert found.stdout.strip() == "False"


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
    reference = _reference_signatures(sets, config)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(minhash, "_CHUNK_ROWS", chunk_rows)
        patch.setattr(minhash, "_KERNEL_ROWS", chunk_rows)
        for name, implementation in implementations():
            chunked = implementation(sets, config)
            assert chunked.dtype == np.uint32, name
            assert np.array_equal(chunked, reference), name
    assert np.array_equal(signatures(sets, config), reference)


@settings(max_examples=60, deadline=None)
@given(st.lists(raw_shingle_sets, max_size=12), st.integers(min_value=2, max_value=300),
       st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=1, max_value=200))
def test_compiled_and_numpy_paths_equal_the_reference(
        sets: list[np.ndarray], num_perm: int, seed: int, kernel_rows: int) -> None:
    """The differential test: any shingles (unsorted, repeated, empty sets, no sets), any
    num_perm (whole blocks of 32 permutations and the rest), calls split anywhere."""
    config = DedupConfig(num_perm=num_perm, seed=seed)
    reference = _reference_signatures(sets, config)
    assert reference.shape == (len(sets), num_perm)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(minhash, "_KERNEL_ROWS", kernel_rows)
        for name, implementation in implementations():
            assert np.array_equal(implementation(sets, config), reference), name


@pytest.mark.parametrize("num_perm", [2, 31, 32, 128, 257])
def test_paths_agree_on_huge_and_empty_documents(num_perm: int) -> None:
    """Documents longer than the kernel's pre-mix buffer (2048 shingles) and than one
    call (_KERNEL_ROWS), between empty ones, give the numpy path's signatures; the
    numpy path equals the reference on the small ones."""
    rng = np.random.default_rng(num_perm)
    sizes = [0, 150_000, 0, 2047, 2048, 2049, 0, 1, 70_000, 0]
    sets = [rng.integers(0, 2**64, size, dtype=np.uint64) for size in sizes]
    config = DedupConfig(num_perm=num_perm, seed=3)
    expected = numpy_path(sets, config)
    small = [index for index, size in enumerate(sizes) if size < 3000]
    assert np.array_equal(expected[small], _reference_signatures([sets[i] for i in small],
                                                                 config))
    assert (expected[[0, 2, 6, 9]] == 0xFFFFFFFF).all()
    for name, implementation in implementations():
        assert np.array_equal(implementation(sets, config), expected), name


@pytest.mark.parametrize("position", [0, 1, 2047, 2048, 2049, 4096, 65535, 65536, 69999])
def test_one_odd_shingle_counts_wherever_it_stands(position: int) -> None:
    """A document of one repeated shingle and one other, wherever that one stands (at the
    edges of the kernel's 2048-shingle buffer, past _KERNEL_ROWS), is the set of the two."""
    config = DedupConfig(num_perm=40, seed=position)
    document = np.full(70_000, 12345, dtype=np.uint64)
    document[position] = 2**40 + 777
    expected = _reference_signatures([np.array([12345, 2**40 + 777], dtype=np.uint64)], config)
    for name, implementation in implementations():
        assert np.array_equal(implementation([document], config), expected), name


def test_no_documents_give_an_empty_matrix() -> None:
    config = DedupConfig(num_perm=8)
    for name, implementation in implementations():
        result = implementation([], config)
        assert result.shape == (0, 8), name
        assert result.dtype == np.uint32, name


def test_signatures_uses_the_kernel_when_built() -> None:
    pure = os.environ.get("DEDUP_PURE_PYTHON", "") not in ("", "0")
    expected = "compiled" if _minhash_c is not None and not pure else "numpy"
    assert expected == minhash.IMPLEMENTATION


def test_dedup_pure_python_forces_numpy() -> None:
    code = "import dedup.near.minhash as m; print(m.IMPLEMENTATION)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
    for value, expected in (("1", "numpy"), ("0", "compiled" if _minhash_c else "numpy")):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env={**env, "DEDUP_PURE_PYTHON": value}).stdout
        assert out.strip() == expected, value


def _kernel_arguments() -> dict[str, np.ndarray]:
    return {"shingles": np.arange(6, dtype=np.uint64),
            "offsets": np.array([0, 2, 6], dtype=np.int64),
            "a": np.array([1, 3, 5], dtype=np.uint32),
            "b": np.array([0, 7, 9], dtype=np.uint32),
            "out": np.zeros((2, 3), dtype=np.uint32)}


@needs_kernel
@pytest.mark.parametrize(("name", "value", "error", "message"), [
    ("shingles", np.arange(6, dtype=np.uint32), TypeError, "shingles must hold unsigned 64"),
    ("shingles", np.arange(6, dtype=np.int64), TypeError, "shingles must hold unsigned 64"),
    ("offsets", np.array([0.0, 2.0, 6.0]), TypeError, "offsets must hold 64-bit"),
    ("offsets", np.array([0, 4, 2], dtype=np.int64), ValueError, "document 1 runs from 4 to 2"),
    ("offsets", np.array([0, 2, 7], dtype=np.int64), ValueError, "past the 6 shingles"),
    ("offsets", np.array([-1, 2, 6], dtype=np.int64), ValueError, "document 0 runs from -1"),
    ("offsets", np.empty(0, dtype=np.int64), ValueError, "at least one item"),
    ("b", np.array([0, 7], dtype=np.uint32), ValueError, "3 a but 2 b"),
    ("out", np.zeros((2, 2), dtype=np.uint32), ValueError, "out holds 4 values"),
    ("out", np.zeros((3, 2), dtype=np.uint32).T, ValueError, "not C-contiguous"),
    ("out", np.zeros((2, 3), dtype=np.uint32).view(np.int32), TypeError, "out must hold"),
])
def test_kernel_rejects_bad_arguments_before_reading_them(
        name: str, value: np.ndarray, error: type[Exception], message: str) -> None:
    assert _minhash_c is not None
    arguments = {**_kernel_arguments(), name: value}
    with pytest.raises(error, match=message):
        _minhash_c.signatures(*arguments.values())


@needs_kernel
def test_kernel_rejects_read_only_output_and_unknown_variants() -> None:
    assert _minhash_c is not None
    arguments = _kernel_arguments()
    arguments["out"].flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        _minhash_c.signatures(*arguments.values())
    arguments = _kernel_arguments()
    with pytest.raises(ValueError, match="no variant 'avx9000'"):
        _minhash_c.signatures(*arguments.values(), "avx9000")
    with pytest.raises(TypeError, match="5 or 6 arguments"):
        _minhash_c.signatures(*list(arguments.values())[:4])


@needs_kernel
@pytest.mark.parametrize("variant", VARIANTS)
def test_kernel_computes_the_definition_by_hand(variant: str) -> None:
    """out[d, k] = min over document d's shingles h of a[k] * fmix32(h) + b[k] mod 2**32."""
    assert _minhash_c is not None
    arguments = _kernel_arguments()
    _minhash_c.signatures(*arguments.values(), variant)
    mixed = minhash._fmix32(arguments["shingles"].astype(np.uint32)).astype(np.uint64)
    permuted = (np.multiply.outer(mixed, arguments["a"]) + arguments["b"]) % 2**32
    assert arguments["out"].tolist() == [permuted[:2].min(axis=0).tolist(),
                                         permuted[2:].min(axis=0).tolist()]


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
