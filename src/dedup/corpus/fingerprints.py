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

Record layout per document: its shingles (uint64), then its input's shingles
when cleaning reduced it (uint64), then its figures (UTF-8, one space
between; figures hold no spaces).

Added in 0.3.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

import numpy as np
import numpy.typing as npt

from dedup.near.decision import MatchEvidence
from dedup.near.grouping import set_digest
from dedup.near.shingling import ShingleArray

if TYPE_CHECKING:
    from dedup.corpus.dedupe import FingerprintBatch

__all__ = ["FingerprintStore", "StoredFingerprints"]

_SHINGLE_BYTES = 8
#: Figures are ASCII or Unicode digits with "." and ","; never a space.
_FIGURE_SEPARATOR = " "


@dataclass(frozen=True, slots=True, kw_only=True)
class _Layout:
    """Where each document's record lies in the file: one entry per document."""

    starts: npt.NDArray[np.int64]
    shingle_counts: npt.NDArray[np.int64]
    input_counts: npt.NDArray[np.int64]  # -1: not reduced
    figure_bytes: npt.NDArray[np.int64]


class _Records:
    """Read one document's record back from the spill file."""

    def __init__(self, descriptor: int, layout: _Layout) -> None:
        self._descriptor = descriptor
        self._layout = layout

    def __len__(self) -> int:
        return int(self._layout.starts.size)

    def read(self, index: int) -> tuple[ShingleArray, ShingleArray | None, tuple[str, ...]]:
        layout = self._layout
        shingles = int(layout.shingle_counts[index])
        inputs = int(layout.input_counts[index])
        figure_bytes = int(layout.figure_bytes[index])
        size = (shingles + max(inputs, 0)) * _SHINGLE_BYTES + figure_bytes
        data = os.pread(self._descriptor, size, int(layout.starts[index])) if size else b""
        if len(data) != size:
            raise OSError(f"fingerprint spill file: record {index} is short "
                          f"({len(data)} of {size} bytes)")
        own = np.frombuffer(data, dtype=np.uint64, count=shingles)
        input_shingles = (None if inputs < 0 else
                          np.frombuffer(data, dtype=np.uint64, count=inputs,
                                        offset=shingles * _SHINGLE_BYTES))
        text = data[(shingles + max(inputs, 0)) * _SHINGLE_BYTES:].decode("utf-8")
        return own, input_shingles, tuple(text.split(_FIGURE_SEPARATOR)) if text else ()


class _ShingleView(Sequence[ShingleArray]):
    """The documents' shingle arrays, read from the spill file on access."""

    def __init__(self, records: _Records) -> None:
        self._records = records

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, index: int) -> ShingleArray: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ShingleArray]: ...
    def __getitem__(self, index: int | slice) -> ShingleArray | Sequence[ShingleArray]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        return self._records.read(index)[0]

    def __iter__(self) -> Iterator[ShingleArray]:
        return (self[i] for i in range(len(self)))


class _EvidenceView(Sequence[MatchEvidence]):
    """The documents' :class:`MatchEvidence`, rebuilt from the spill file on access."""

    def __init__(self, records: _Records, input_digests: Sequence[bytes]) -> None:
        self._records = records
        self._input_digests = input_digests

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, index: int) -> MatchEvidence: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[MatchEvidence]: ...
    def __getitem__(self, index: int | slice) -> MatchEvidence | Sequence[MatchEvidence]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        _, input_shingles, figures = self._records.read(index)
        return MatchEvidence(figures=figures, input_shingles=input_shingles,
                             input_digest=self._input_digests[index])

    def __iter__(self) -> Iterator[MatchEvidence]:
        return (self[i] for i in range(len(self)))


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
        self._starts: list[npt.NDArray[np.int64]] = []
        self._shingle_counts: list[npt.NDArray[np.int64]] = []
        self._input_counts: list[npt.NDArray[np.int64]] = []
        self._figure_bytes: list[npt.NDArray[np.int64]] = []
        self._lengths: list[npt.NDArray[np.int64]] = []
        self._digests: list[bytes] = []
        self._is_empty: list[bool] = []
        self._set_digests: list[bytes] = []
        self._input_digests: list[bytes] = []

    def add(self, batch: FingerprintBatch) -> None:
        """Append one batch: its records to the spill file, its compact values in memory."""
        count = len(batch.digests)
        evidence = batch.evidence or (MatchEvidence(),) * count
        chunks: list[bytes] = []
        sizes = np.empty(count, dtype=np.int64)
        shingle_counts = np.empty(count, dtype=np.int64)
        input_counts = np.empty(count, dtype=np.int64)
        figure_bytes = np.empty(count, dtype=np.int64)
        for index, (shingles, item) in enumerate(zip(batch.shingle_sets, evidence, strict=True)):
            figures = _FIGURE_SEPARATOR.join(item.figures).encode("utf-8")
            own = np.ascontiguousarray(shingles, dtype=np.uint64).tobytes()
            source = (b"" if item.input_shingles is None else
                      np.ascontiguousarray(item.input_shingles, dtype=np.uint64).tobytes())
            chunks += (own, source, figures)
            shingle_counts[index] = shingles.size
            input_counts[index] = -1 if item.input_shingles is None else item.input_shingles.size
            figure_bytes[index] = len(figures)
            sizes[index] = len(own) + len(source) + len(figures)
            self._set_digests.append(set_digest(shingles) if shingles.size else b"")
            self._input_digests.append(item.input_digest)
        self._records.write(b"".join(chunks))
        starts = self._written + np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        self._written += int(sizes.sum())
        self._starts.append(starts)
        self._shingle_counts.append(shingle_counts)
        self._input_counts.append(input_counts)
        self._figure_bytes.append(figure_bytes)
        self._lengths.append(np.asarray(batch.lengths, dtype=np.int64))
        self._digests.extend(batch.digests)
        self._is_empty.extend(batch.is_empty)
        self._signatures.write(np.ascontiguousarray(batch.signatures, dtype=np.uint32).tobytes())

    def finish(self) -> StoredFingerprints:
        """Return every document's fingerprints; the store reads its spill file from now on."""
        self._records.flush()
        self._signatures.flush()
        self._signatures.seek(0)
        matrix = np.fromfile(self._signatures, dtype=np.uint32).reshape(-1, self._num_perm)
        self._signatures.close()

        def joined(parts: list[npt.NDArray[np.int64]]) -> npt.NDArray[np.int64]:
            return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

        layout = _Layout(starts=joined(self._starts), shingle_counts=joined(self._shingle_counts),
                         input_counts=joined(self._input_counts),
                         figure_bytes=joined(self._figure_bytes))
        records = _Records(self._records.fileno(), layout)
        return StoredFingerprints(
            lengths=joined(self._lengths), digests=self._digests, is_empty=self._is_empty,
            set_digests=self._set_digests, input_digests=self._input_digests, signatures=matrix,
            shingle_sets=_ShingleView(records),
            evidence=_EvidenceView(records, self._input_digests))

    def close(self) -> None:
        """Remove the spill files."""
        self._records.close()
        self._signatures.close()

    def __enter__(self) -> FingerprintStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
