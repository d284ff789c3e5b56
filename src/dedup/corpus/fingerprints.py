"""A corpus's fingerprints out of memory: shingles and match evidence in a temporary file.

:func:`dedup.deduplicate` reads a document's shingles and
:class:`~dedup.near.decision.MatchEvidence` only when it is in a candidate
pair or a cluster: a few per cent of a corpus. Held as Python objects they
cost about 1.8 KB per document (an array of 8-byte shingle hashes with its
112-byte header, a tuple of figure strings), 1.8 GB at a million documents,
which set the peak memory of a run. So each batch's are appended to one
unnamed temporary file as it is fingerprinted, and read back one document at
a time (``os.pread``); what the grouping reads of every document stays in
memory, as compact as it can be: signatures as one uint32 matrix (also
spilled while batches arrive, so that joining them never holds two copies),
digests, lengths.

Layout: per batch, every document's shingles (uint64), then every
document's figures (UTF-8, one space between; figures hold no spaces), then
the input shingles of the documents cleaning reduced; the byte offsets of
each document's parts stay in memory (24 bytes per document).

Added in 0.3.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, overload

import numpy as np
import numpy.typing as npt

from dedup.near.decision import MatchEvidence
from dedup.near.grouping import set_digest
from dedup.near.shingling import ShingleArray

if TYPE_CHECKING:
    from dedup.corpus.dedupe import FingerprintBatch

__all__ = ["FingerprintStore", "StoredFingerprints"]

_SHINGLE_BYTES = 8
_Integer = TypeVar("_Integer", np.int32, np.int64)
#: Figures are ASCII or Unicode digits with "." and ","; never a space.
_FIGURE_SEPARATOR = " "


@dataclass(frozen=True, slots=True, kw_only=True)
class _Layout:
    """Where each document's parts lie in the spill file (byte offsets and lengths)."""

    shingle_starts: npt.NDArray[np.int64]
    shingle_counts: npt.NDArray[np.int32]
    figure_starts: npt.NDArray[np.int64]
    figure_bytes: npt.NDArray[np.int32]
    #: Documents cleaning reduced (few): where their input's shingles lie, and how many.
    inputs: dict[int, tuple[int, int]]


class _Records:
    """Read one document's parts back from the spill file."""

    def __init__(self, descriptor: int, layout: _Layout) -> None:
        self._descriptor = descriptor
        self._layout = layout
        # Candidate pairs come sorted by their first document, which then
        # repeats: the last document read is kept, so it is read once per run.
        self._last_shingles: tuple[int, ShingleArray] = (-1, np.empty(0, dtype=np.uint64))
        self._last_figures: tuple[int, tuple[str, ...]] = (-1, ())

    def __len__(self) -> int:
        return int(self._layout.shingle_starts.size)

    def _read(self, start: int, size: int) -> bytes:
        data = os.pread(self._descriptor, size, start) if size else b""
        if len(data) != size:
            raise OSError(f"fingerprint spill file: {len(data)} bytes at {start}, "
                          f"expected {size}")
        return data

    def shingles(self, index: int) -> ShingleArray:
        if self._last_shingles[0] == index:
            return self._last_shingles[1]
        count = int(self._layout.shingle_counts[index])
        data = self._read(int(self._layout.shingle_starts[index]), count * _SHINGLE_BYTES)
        shingles = np.frombuffer(data, dtype=np.uint64)
        self._last_shingles = (index, shingles)
        return shingles

    def input_shingles(self, index: int) -> ShingleArray | None:
        place = self._layout.inputs.get(index)
        if place is None:
            return None
        return np.frombuffer(self._read(place[0], place[1] * _SHINGLE_BYTES), dtype=np.uint64)

    def figures(self, index: int) -> tuple[str, ...]:
        if self._last_figures[0] == index:
            return self._last_figures[1]
        text = self._read(int(self._layout.figure_starts[index]),
                          int(self._layout.figure_bytes[index])).decode("utf-8")
        figures = tuple(text.split(_FIGURE_SEPARATOR)) if text else ()
        self._last_figures = (index, figures)
        return figures


_Item = TypeVar("_Item")


class _LazyView(Sequence[_Item]):
    """A sequence of ``count`` items, each built by ``item(index)`` when it is read.

    The documents' shingle arrays and :class:`MatchEvidence` are read from the
    spill file on access, so only what grouping asks for is ever in memory.
    """

    def __init__(self, count: int, item: Callable[[int], _Item]) -> None:
        self._count = count
        self._item = item

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> _Item: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[_Item]: ...
    def __getitem__(self, index: int | slice) -> _Item | Sequence[_Item]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(self._count)[index]]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        return self._item(index % self._count if index < 0 else index)

    def __iter__(self) -> Iterator[_Item]:
        return (self._item(i) for i in range(self._count))


def _evidence(records: _Records, input_digests: Sequence[bytes], index: int) -> MatchEvidence:
    """A document's :class:`MatchEvidence`, rebuilt from the spill file."""
    return MatchEvidence(figures=records.figures(index),
                         input_shingles=records.input_shingles(index),
                         input_digest=input_digests[index])


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredFingerprints:
    """Every document's fingerprints: compact values in memory, the rest read on access.

    ``shingle_sets`` and ``evidence`` read the spill file, which stays open
    until :meth:`FingerprintStore.close`.
    """

    lengths: npt.NDArray[np.int64]
    digests: list[bytes]
    is_empty: list[bool]
    set_digests: list[bytes]
    input_digests: list[bytes]
    signatures: npt.NDArray[np.uint32]
    shingle_sets: Sequence[ShingleArray]
    evidence: Sequence[MatchEvidence]


class FingerprintStore:
    """Collect :class:`~dedup.corpus.dedupe.FingerprintBatch` es, spilling what is read rarely.

    >>> from dedup.corpus.dedupe import fingerprint_batch
    >>> from dedup.near.config import DedupConfig
    >>> batch = fingerprint_batch(["a b c d e f", "Rate 5.5 pct"], DedupConfig(), clean_config=None)
    >>> with FingerprintStore(num_perm=128) as store:
    ...     store.add(batch)
    ...     stored = store.finish()
    ...     same = bool((stored.shingle_sets[0] == batch.shingle_sets[0]).all())
    ...     same, stored.evidence[1].figures
    (True, ('5.5',))
    """

    def __init__(self, *, num_perm: int) -> None:
        self._num_perm = num_perm
        # Unnamed: the system removes them when closed, or when the process dies.
        # Open for the store's life; closed by close() (the store is a context manager).
        self._records = tempfile.TemporaryFile(prefix="dedup-fingerprints-")  # noqa: SIM115
        self._signatures = tempfile.TemporaryFile(prefix="dedup-signatures-")  # noqa: SIM115
        self._written = 0
        self._count = 0
        self._shingle_starts: list[npt.NDArray[np.int64]] = []
        self._shingle_counts: list[npt.NDArray[np.int32]] = []
        self._figure_starts: list[npt.NDArray[np.int64]] = []
        self._figure_bytes: list[npt.NDArray[np.int32]] = []
        self._inputs: dict[int, tuple[int, int]] = {}
        self._lengths: list[npt.NDArray[np.int64]] = []
        self._digests: list[bytes] = []
        self._is_empty: list[bool] = []
        self._set_digests: list[bytes] = []
        self._input_digests: list[bytes] = []

    def _write(self, data: bytes) -> int:
        """Append ``data`` to the spill file; return where it starts."""
        start = self._written
        self._records.write(data)
        self._written += len(data)
        return start

    def add(self, batch: FingerprintBatch) -> None:
        """Append one batch: its shingles and figures to the spill file, the rest in memory.

        Each part of the batch goes in one write (shingles, then figures), so
        the cost per document is a few numpy offsets, not a Python loop of writes.
        """
        count = len(batch.digests)
        evidence = batch.evidence or (MatchEvidence(),) * count
        counts = np.array([shingles.size for shingles in batch.shingle_sets], dtype=np.int64)
        ends = np.cumsum(counts) * _SHINGLE_BYTES
        if count:
            start = self._write(np.concatenate(batch.shingle_sets).astype(np.uint64).tobytes())
            self._shingle_starts.append(start + ends - counts * _SHINGLE_BYTES)
        self._shingle_counts.append(counts.astype(np.int32))
        figures = [_FIGURE_SEPARATOR.join(item.figures) for item in evidence]
        blob = "".join(figures).encode("utf-8")
        sizes = np.array([len(text) for text in figures] if blob.isascii()
                         else [len(text.encode("utf-8")) for text in figures], dtype=np.int64)
        start = self._write(blob)
        self._figure_starts.append(start + np.cumsum(sizes) - sizes)
        self._figure_bytes.append(sizes.astype(np.int32))
        for offset, item in enumerate(evidence):
            if item.input_shingles is not None:
                source = np.ascontiguousarray(item.input_shingles, dtype=np.uint64)
                self._inputs[self._count + offset] = (self._write(source.tobytes()), source.size)
            self._input_digests.append(item.input_digest)
        self._set_digests.extend(set_digest(shingles) if shingles.size else b""
                                 for shingles in batch.shingle_sets)
        self._lengths.append(np.asarray(batch.lengths, dtype=np.int64))
        self._digests.extend(batch.digests)
        self._is_empty.extend(batch.is_empty)
        self._signatures.write(np.ascontiguousarray(batch.signatures, dtype=np.uint32).tobytes())
        self._count += count

    def finish(self) -> StoredFingerprints:
        """Return every document's fingerprints; the store reads its spill file from now on."""
        self._records.flush()
        self._signatures.flush()
        self._signatures.seek(0)
        matrix = np.fromfile(self._signatures, dtype=np.uint32).reshape(-1, self._num_perm)
        self._signatures.close()

        def joined(parts: list[npt.NDArray[_Integer]], dtype: type[_Integer]
                   ) -> npt.NDArray[_Integer]:
            return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)

        layout = _Layout(shingle_starts=joined(self._shingle_starts, np.int64),
                         shingle_counts=joined(self._shingle_counts, np.int32),
                         figure_starts=joined(self._figure_starts, np.int64),
                         figure_bytes=joined(self._figure_bytes, np.int32), inputs=self._inputs)
        records = _Records(self._records.fileno(), layout)
        return StoredFingerprints(
            lengths=joined(self._lengths, np.int64), digests=self._digests, is_empty=self._is_empty,
            set_digests=self._set_digests, input_digests=self._input_digests, signatures=matrix,
            shingle_sets=_LazyView(len(records), records.shingles),
            evidence=_LazyView(len(records), functools.partial(
                _evidence, records, self._input_digests)))

    def close(self) -> None:
        """Remove the spill files."""
        self._records.close()
        self._signatures.close()

    def __enter__(self) -> FingerprintStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
