"""NearDuplicateIndex: the incremental form, for feeds that arrive day by day.

``add(id, text)`` stores a document's signature, band keys and text;
``query(text)`` returns the stored documents whose exact Jaccard with the
text reaches the threshold (candidates from the LSH buckets, verified on the
stored texts, so answers are exact and the same in every storage). The index
matches the text it is given: to match as :func:`dedup.deduplicate` does,
give it ``dedup.clean(text).text``.

Storage: in memory by default; ``NearDuplicateIndex.open("index.db")`` for a
SQLite file (add in one process, query in another, or add from several at
once); Redis (:meth:`NearDuplicateIndex.redis`), shared by processes too.

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


def _config_difference(stored: DedupConfig, given: DedupConfig) -> str:
    """Name the fields where two configs differ: ``threshold 0.5 in the index, 0.9 given``."""
    ours = json.loads(_config_to_meta(stored)["config"])
    theirs = json.loads(_config_to_meta(given)["config"])
    differences = [f"{name} {ours[name]!r} in the index, {theirs[name]!r} given"
                   for name in sorted(ours) if ours[name] != theirs.get(name)]
    return "; ".join(differences) or "their signature fingerprints differ"


def _check_string(value: object, what: str, doc_id: str) -> str | None:
    """Return why ``value`` cannot be stored as an id or text, or None when it can."""
    if not isinstance(value, str):
        return f"{what} is a {type(value).__name__}; expected str"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return (f"{what} is not valid Unicode (a lone surrogate at position {error.start}); "
                "every store keeps UTF-8")
    return None


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
        wanted = config if config is not None else DedupConfig()
        # Created atomically by the store: of two processes creating one index
        # with different configs, the second is refused here, not left to add
        # documents under a banding the first one's queries never look at.
        meta = self._storage.create_meta(_config_to_meta(wanted))
        stored = _config_from_meta(meta, where)
        if config is not None and (config.signature_fingerprint()
                                   != stored.signature_fingerprint()):
            raise ConfigError(f"{where} was built with another config "
                              f"({_config_difference(stored, config)}); open it without "
                              "config= or with the same settings")
        self._config = stored if config is None else config

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
        """Open (or create) an index kept in Redis (layout in :mod:`dedup.near.redis_storage`).

        ``connection`` is passed to ``redis.Redis`` (host, port, password...);
        it never appears in logs or errors. ``name`` (escaped) prefixes every key.

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
            InputError: ``doc_id`` is empty, or ``doc_id`` or ``text`` is not a valid string.
        """
        self.add_many([(doc_id, text)])

    def add_many(self, documents: Iterable[tuple[str, str]]) -> None:
        """Index many documents at once: all of them, or none when one is refused.

        Shingles and signatures are computed in one batch, and the stores
        write the batch in a few round trips (Redis) or one transaction
        (SQLite): feeding documents in batches of a few hundred or more is
        several times faster than :meth:`add` one by one.

        Raises:
            DuplicateIdError: an id is already indexed (also when another
                process added it meanwhile) or appears twice in ``documents``.
            InputError: an id is empty or not a string, or an id or text is
                not valid Unicode (holds a lone surrogate).
        """
        items = list(documents)
        seen: set[str] = set()
        for doc_id, text in items:
            problem = _check_string(doc_id, f"document id {doc_id!r}", str(doc_id))
            if problem is None and not doc_id:
                problem = "document id '' is empty; every document needs a non-empty id"
            if problem is not None:
                raise InputError(problem, document_id=str(doc_id), reason="invalid_id")
            problem = _check_string(text, f"the text of document {doc_id!r}", doc_id)
            if problem is not None:
                raise InputError(problem, document_id=doc_id)
            if doc_id in seen:
                raise DuplicateIdError(f"document id {doc_id!r} appears twice in one add_many",
                                       document_id=doc_id)
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
