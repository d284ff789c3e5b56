"""NearDuplicateIndex: the incremental form, for feeds that arrive day by day.

``add(id, text)`` stores a document's signature, band keys and text;
``query(text)`` returns the stored documents whose exact Jaccard with the
text reaches the threshold (candidates from the LSH buckets, verified on the
stored texts, so answers are exact and the same in every storage). The index
matches the text it is given: to match as :func:`dedup.deduplicate` does,
give it ``dedup.clean(text).text``.

Storage: in memory by default; ``NearDuplicateIndex.open("index.db")`` for a
SQLite file (add in one process, query in another); Redis through
datasketch's storage (:meth:`NearDuplicateIndex.redis`).

Added in 0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType

import numpy as np
import numpy.typing as npt

from dedup.errors import ConfigError, DuplicateIdError, IndexFileError, InputError
from dedup.near.config import DedupConfig
from dedup.near.decision import decide_pair, match_evidence_batch
from dedup.near.lsh import band_keys
from dedup.near.minhash import signatures
from dedup.near.shingling import shingle_hashes, shingle_hashes_batch
from dedup.near.storage import (
    FORMAT,
    FORMAT_VERSION,
    BucketStorage,
    InMemoryBucketStorage,
    SqliteBucketStorage,
    StoredDocument,
)

__all__ = ["NearDuplicateIndex"]

_CONFIG_FIELDS = ("threshold", "num_perm", "seed", "shingle_kind", "word_shingle_size",
                  "char_shingle_size", "short_text_words", "bands", "rows_per_band",
                  "min_candidate_probability")


def _config_to_meta(config: DedupConfig) -> dict[str, str]:
    bands, rows = config.banding
    fields: dict[str, object] = {name: getattr(config, name) for name in _CONFIG_FIELDS}
    fields["bands"], fields["rows_per_band"] = bands, rows
    return {"format": FORMAT, "version": str(FORMAT_VERSION),
            "config": json.dumps(fields, sort_keys=True),
            "fingerprint": config.signature_fingerprint()}


def _config_from_meta(meta: Mapping[str, str], where: str) -> DedupConfig:
    if meta.get("format") != FORMAT:
        raise IndexFileError(f"{where} is not a dedup near-duplicate index "
                             f"(format marker {meta.get('format')!r})")
    if meta.get("version") != str(FORMAT_VERSION):
        raise IndexFileError(f"{where} has index format version {meta.get('version')!r}; "
                             f"this dedup reads version {FORMAT_VERSION}")
    try:
        fields = json.loads(meta["config"])
        config = DedupConfig(**{name: fields[name] for name in _CONFIG_FIELDS})
    except (KeyError, TypeError, ValueError) as error:
        raise IndexFileError(f"{where} has an unreadable config record ({error})") from None
    if config.signature_fingerprint() != meta.get("fingerprint"):
        raise IndexFileError(f"{where}: its config record fails its fingerprint; the file is "
                             "corrupt: rebuild it")
    return config


class NearDuplicateIndex:
    """An incremental near-duplicate index: add documents, ask what a text duplicates.

    >>> index = NearDuplicateIndex(config=DedupConfig(threshold=0.5))
    >>> index.add("a", "Oil prices rose on Monday as traders weighed the supply outlook")
    >>> index.query("Oil prices rose on Monday as traders weighed the supply outlook again")
    [('a', 0.875)]
    >>> "a" in index, len(index)
    (True, 1)

    Added in 0.1.
    """

    def __init__(self, *, config: DedupConfig | None = None,
                 storage: BucketStorage | None = None, where: str = "index") -> None:
        self._storage: BucketStorage = storage if storage is not None else InMemoryBucketStorage()
        meta = self._storage.read_meta()
        if meta:
            stored = _config_from_meta(meta, where)
            if config is not None and (config.signature_fingerprint()
                                       != stored.signature_fingerprint()):
                raise ConfigError(f"{where} was built with another config "
                                  f"(threshold={stored.threshold}, num_perm={stored.num_perm}, "
                                  f"banding={stored.banding}); open it without config= or "
                                  "with the same settings")
            self._config = stored if config is None else config
        else:
            self._config = config if config is not None else DedupConfig()
            self._storage.write_meta(_config_to_meta(self._config))

    @classmethod
    def open(cls, path: str | Path, *, config: DedupConfig | None = None) -> NearDuplicateIndex:
        """Open (or create) an index in a SQLite file.

        Raises:
            IndexFileError: the file is corrupt, truncated or not an index.
            ConfigError: ``config`` differs from the one the file was built with.
        """
        return cls(config=config, storage=SqliteBucketStorage(path),
                   where=f"index file {str(path)!r}")

    @classmethod
    def redis(cls, *, connection: Mapping[str, object], name: str,
              config: DedupConfig | None = None) -> NearDuplicateIndex:
        """Open (or create) an index kept in Redis through datasketch's Redis storage.

        ``connection`` is passed to ``redis.Redis`` (host, port, password...);
        it never appears in logs or errors. ``name`` prefixes every key.

        Raises:
            MissingExtraError: the ``redis`` package is not installed.
        """
        from dedup.near.redis_storage import RedisBucketStorage

        return cls(config=config, storage=RedisBucketStorage(connection=connection, name=name),
                   where=f"redis index {name!r}")

    @property
    def config(self) -> DedupConfig:
        """The config documents are matched with."""
        return self._config

    def add(self, doc_id: str, text: str) -> None:
        """Index one document.

        Raises:
            DuplicateIdError: ``doc_id`` is already indexed.
            InputError: ``text`` is not a string.
        """
        self.add_many([(doc_id, text)])

    def add_many(self, documents: Iterable[tuple[str, str]]) -> None:
        """Index many documents at once (shingles and signatures computed in one batch)."""
        items = list(documents)
        seen: set[str] = set()
        for doc_id, text in items:
            if not isinstance(doc_id, str):
                raise InputError(f"document id {doc_id!r} is a {type(doc_id).__name__}; "
                                 "expected str", document_id=str(doc_id))
            if not isinstance(text, str):
                raise InputError(f"document {doc_id!r} has a text of type "
                                 f"{type(text).__name__}; expected str", document_id=doc_id)
            if doc_id in seen or doc_id in self._storage:
                raise DuplicateIdError(f"document id {doc_id!r} is already in the index; "
                                       "remove it first to replace it", document_id=doc_id)
            seen.add(doc_id)
        if not items:
            return
        shingle_sets = shingle_hashes_batch([text for _, text in items], self._config)
        matrix = signatures(shingle_sets, self._config)
        keys = band_keys(matrix, self._config)
        records = []
        for row, ((doc_id, text), shingles) in enumerate(zip(items, shingle_sets, strict=True)):
            # Documents without shingles are stored but never bucketed: they
            # would all share the empty signature and match each other.
            row_keys = tuple(int(k) for k in keys[row]) if shingles.size else ()
            records.append((StoredDocument(id=doc_id, text=text), row_keys))
        self._storage.add(records)

    def query(self, text: str) -> list[tuple[str, float]]:
        """Return ``(id, exact Jaccard)`` of indexed documents that duplicate ``text``.

        A match is decided as :func:`dedup.deduplicate` decides a pair
        (:func:`dedup.near.decision.decide_pair`: the threshold and the figure
        rule; the index keeps no input, so no reduced-document rule). Sorted by
        similarity (highest first), then id.
        """
        if not isinstance(text, str):
            raise InputError(f"query text is a {type(text).__name__}; expected str")
        shingles = shingle_hashes(text, self._config)
        if shingles.size == 0:
            return []
        keys = band_keys(signatures([shingles], self._config)[0], self._config)
        found: list[tuple[str, float]] = []
        candidates = sorted(self._storage.candidates([int(k) for k in keys]))
        stored = [self._storage.get(doc_id) for doc_id in candidates]
        present = [document for document in stored if document is not None]
        others = shingle_hashes_batch([document.text for document in present], self._config)
        evidence = match_evidence_batch([text, *(document.text for document in present)],
                                        [shingles, *others], self._config)
        for document, other, other_evidence in zip(present, others, evidence[1:], strict=True):
            decision = decide_pair(shingles, other, evidence[0], other_evidence, self._config)
            if decision.holds:
                found.append((document.id, decision.similarity))
        found.sort(key=lambda item: (-item[1], item[0]))
        return found

    def _keys_of(self, document: StoredDocument) -> list[int]:
        shingles = shingle_hashes(document.text, self._config)
        if shingles.size == 0:
            return []
        return [int(k) for k in band_keys(signatures([shingles], self._config)[0], self._config)]

    def signature(self, doc_id: str) -> npt.NDArray[np.uint32]:
        """Return the MinHash signature of an indexed document (uint32, datasketch's values).

        Recomputed from the stored text: signatures are derived data.
        """
        document = self._storage.get(doc_id)
        if document is None:
            raise KeyError(doc_id)
        matrix = signatures([shingle_hashes(document.text, self._config)], self._config)
        row: npt.NDArray[np.uint32] = matrix[0]
        return row

    def remove(self, doc_id: str) -> None:
        """Forget a document.

        Raises:
            KeyError: ``doc_id`` is not indexed.
        """
        document = self._storage.get(doc_id)
        if document is None:
            raise KeyError(doc_id)
        self._storage.remove(doc_id, self._keys_of(document))

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._storage

    def __len__(self) -> int:
        return len(self._storage)

    def __iter__(self) -> Iterator[str]:
        return self._storage.ids()

    def close(self) -> None:
        """Release the storage (closes a SQLite file or Redis connection)."""
        self._storage.close()

    def __enter__(self) -> NearDuplicateIndex:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
