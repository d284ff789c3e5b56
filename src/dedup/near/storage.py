"""Where an index keeps its documents and LSH buckets: a Protocol and two embedded stores.

:class:`BucketStorage` is what :class:`~dedup.near.index.NearDuplicateIndex`
needs: documents (id, signature, text) and, per band key, the documents in
that bucket. :class:`InMemoryBucketStorage` is the reference; the SQLite store
(:class:`SqliteBucketStorage`) persists to one file and needs no server; the
Redis store lives in :mod:`dedup.near.redis_storage`.

Persisted data is data, never code: no pickle. A SQLite file is checked when
opened (``PRAGMA quick_check``, the format marker and version) and each
document row carries a BLAKE2b checksum checked when read, so a corrupt or
truncated file raises :class:`~dedup.errors.IndexFileError` rather than give
a wrong answer.

Added in 0.1; SQLite layout 2 (bucket epochs) in 0.2.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from dedup.errors import DuplicateIdError, IndexFileError

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "LAYOUT",
    "BucketStorage",
    "InMemoryBucketStorage",
    "SqliteBucketStorage",
    "StoredDocument",
    "duplicate_id_error",
    "record_checksum",
]

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

FORMAT = "dedup-near-index"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredDocument:
    """One indexed document: its id and text.

    Signatures and band keys are not stored with it: they follow from the
    text and the config, so the index recomputes them when it needs them (to
    remove a document). Storing the 512-byte signature would double the
    bytes per document of the SQLite file.
    """

    id: str
    text: str


def record_checksum(document: StoredDocument) -> bytes:
    """Return the 8-byte checksum that guards a stored document row.

    >>> len(record_checksum(StoredDocument(id="a", text="")))
    8
    """
    digest = hashlib.blake2b(digest_size=8)
    for part in (document.id.encode("utf-8", "surrogatepass"),
                 document.text.encode("utf-8", "surrogatepass")):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()


class BucketStorage(Protocol):
    """Documents and LSH buckets, as the index needs them.

    Changed in 0.2: ``write_meta`` became :meth:`create_meta`, which creates
    the metadata atomically, and :meth:`add` refuses a batch holding a stored
    id, so two processes adding to one store cannot both succeed.
    """

    def read_meta(self) -> dict[str, str]:
        """Return the stored metadata (empty for a new store)."""
        ...  # pragma: no cover

    def create_meta(self, meta: dict[str, str]) -> dict[str, str]:
        """Store ``meta`` unless metadata is stored already; return what is stored.

        Atomic: when two processes create one store at once, both get the
        metadata of the one that won, so they can compare it with their own.
        """
        ...  # pragma: no cover

    def add(self, documents: Sequence[tuple[StoredDocument, Sequence[int]]]) -> None:
        """Store documents and put each in the buckets of its band keys.

        Raises:
            DuplicateIdError: an id is stored already; nothing of the batch is stored.
        """
        ...  # pragma: no cover

    def remove(self, doc_id: str, band_keys: Sequence[int]) -> None:
        """Forget a document and take it out of its buckets (no-op when absent)."""
        ...  # pragma: no cover

    def get(self, doc_id: str) -> StoredDocument | None:
        """Return a stored document, or None."""
        ...  # pragma: no cover

    def candidates(self, band_keys: Sequence[int]) -> set[str]:
        """Return the ids in any of the buckets of ``band_keys``."""
        ...  # pragma: no cover

    def __contains__(self, doc_id: object) -> bool: ...  # pragma: no cover

    def __len__(self) -> int: ...  # pragma: no cover

    def ids(self) -> Iterator[str]:
        """Yield every stored id."""
        ...  # pragma: no cover

    def close(self) -> None:
        """Release resources."""
        ...  # pragma: no cover


def duplicate_id_error(doc_id: str) -> DuplicateIdError:
    """Return the error every store raises for an id that is stored already."""
    return DuplicateIdError(f"document id {doc_id!r} is already in the index; "
                            "remove it first to replace it", document_id=doc_id)


class InMemoryBucketStorage:
    """The reference storage: plain dicts, nothing persisted.

    >>> store = InMemoryBucketStorage()
    >>> store.add([(StoredDocument(id="a", text="x"), (1, 2))])
    >>> sorted(store.candidates([2, 3])), len(store), "a" in store
    (['a'], 1, True)
    """

    def __init__(self) -> None:
        self._documents: dict[str, StoredDocument] = {}
        # Most buckets hold one document: store its id alone rather than a
        # one-element set (a set costs about 200 bytes; 18 buckets per document).
        self._buckets: dict[int, str | set[str]] = {}
        self._meta: dict[str, str] = {}

    def read_meta(self) -> dict[str, str]:
        return dict(self._meta)

    def create_meta(self, meta: dict[str, str]) -> dict[str, str]:
        if not self._meta:
            self._meta = dict(meta)
        return dict(self._meta)

    def add(self, documents: Sequence[tuple[StoredDocument, Sequence[int]]]) -> None:
        for document, _keys in documents:
            if document.id in self._documents:
                raise duplicate_id_error(document.id)
        for document, band_keys in documents:
            self._documents[document.id] = document
            for key in band_keys:
                current = self._buckets.get(key)
                if current is None:
                    self._buckets[key] = document.id
                elif isinstance(current, str):
                    if current != document.id:
                        self._buckets[key] = {current, document.id}
                else:
                    current.add(document.id)

    def remove(self, doc_id: str, band_keys: Sequence[int]) -> None:
        document = self._documents.pop(doc_id, None)
        if document is None:
            return
        for key in band_keys:
            bucket = self._buckets.get(key)
            if bucket == doc_id:
                del self._buckets[key]
            elif isinstance(bucket, set):
                bucket.discard(doc_id)
                if len(bucket) == 1:
                    self._buckets[key] = next(iter(bucket))

    def get(self, doc_id: str) -> StoredDocument | None:
        return self._documents.get(doc_id)

    def candidates(self, band_keys: Sequence[int]) -> set[str]:
        found: set[str] = set()
        for key in band_keys:
            bucket = self._buckets.get(key)
            if isinstance(bucket, str):
                found.add(bucket)
            elif bucket is not None:
                found.update(bucket)
        return found

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._documents

    def __len__(self) -> int:
        return len(self._documents)

    def ids(self) -> Iterator[str]:
        return iter(list(self._documents))

    def close(self) -> None:
        return None


def _signed(key: int) -> int:
    """Map an unsigned 64-bit key to SQLite's signed INTEGER range."""
    return key - (1 << 64) if key >= 1 << 63 else key


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS documents (
        doc INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL,
        checksum BLOB NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS buckets (
        epoch INTEGER NOT NULL,
        key INTEGER NOT NULL,
        doc INTEGER NOT NULL,
        PRIMARY KEY (epoch, key, doc)
    ) WITHOUT ROWID""",
)

#: The version of the table layout above, stored in ``meta`` as ``sqlite_layout``.
#: Layout 1 (dedup 0.1) keyed buckets by ``(key, doc)`` alone.
LAYOUT = "2"

#: Documents per bucket epoch: the bucket rows of documents ``doc // _EPOCH_DOCS``
#: share the leading ``epoch`` of their key, so an add writes into the B-tree
#: pages of the newest epoch only. Keyed by random band key alone, a batch of
#: 1,000 documents (25,000 rows) dirtied pages across the whole table, and
#: every dirty page is a 4 KB WAL frame at commit: measured in storage alone,
#: 11,000 docs/s at 10,000 documents fell to 2,500 at 190,000 (commit time
#: 13 -> 160+ ms per batch). With 20,000-document epochs a batch costs ~47 ms
#: at any size; a lookup probes each epoch (0.2 ms for 25 keys at 200,000
#: documents, about 1 ms at 1,000,000). Part of the layout: changing it
#: needs a new ``LAYOUT``.
_EPOCH_DOCS = 20_000

#: How long a writer waits for another process's transaction before giving up.
#: SQLite's busy handler waits this long per attempt; a locked error past it is
#: retried (see ``_write``) until ``_LOCK_SECONDS`` have passed in all.
_BUSY_SECONDS = 30.0
_LOCK_SECONDS = 120.0

#: Page cache per connection. Buckets are keyed by random 64-bit band keys,
#: so every batch touches pages all over the bucket table; at the default
#: 2 MB cache each touched page is read back from the OS on every batch.
_CACHE_KIB = 64 * 1024

#: Checkpoint the WAL every 10,000 pages (40 MB), not SQLite's 1,000: one
#: batch of 1,000 documents writes ~25,000 bucket rows, and a checkpoint after
#: every commit writes the same hot pages back into the file again and again.
_WAL_PAGES = 10_000


def _is_lock_error(error: sqlite3.OperationalError) -> bool:
    message = str(error).lower()
    return "locked" in message or "busy" in message


class SqliteBucketStorage:
    """Documents and buckets in one SQLite file: no server, safe to share between processes.

    Buckets are a ``WITHOUT ROWID`` table keyed by ``(epoch, band key,
    document number)``, the epoch being the document number // 20,000: adds
    stay as fast at 200,000 documents as at 10,000 (they write the newest
    epoch's pages only), a bucket lookup is one index search per epoch, and a
    bucket entry costs about 20 bytes on disk. Each ``add`` is one
    transaction, so another process that opens the file sees every completed
    ``add`` and never half of one.

    Several processes may add to one file at once: a file index runs in WAL
    mode (readers never wait for the writer), every write transaction starts
    with ``BEGIN IMMEDIATE`` (it takes the write lock first, so it never has to
    give up half-way), a writer waits up to 30 s for another's lock and
    retries up to 120 s in all, and an id added by another process meanwhile
    raises :class:`~dedup.errors.DuplicateIdError`. WAL mode needs a local
    filesystem (not NFS) and leaves ``-wal``/``-shm`` files beside the index
    while it is open.

    >>> store = SqliteBucketStorage(":memory:")
    >>> store.add([(StoredDocument(id="a", text="x"), (2**63 + 5,))])
    >>> store.candidates([2**63 + 5]), store.get("a").text
    ({'a'}, 'x')
    """

    def __init__(self, path: str | Path) -> None:
        self._path = str(path)
        try:
            self._connection = sqlite3.connect(self._path, isolation_level=None,
                                               timeout=_BUSY_SECONDS)
            self._connection.execute("PRAGMA foreign_keys = OFF")
            result = self._connection.execute("PRAGMA quick_check").fetchone()
            if result is None or result[0] != "ok":
                raise IndexFileError(f"index file {self._path!r} is corrupt "
                                     f"(SQLite quick_check: {result!r}); rebuild it")
            self._connection.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
            if self._path != ":memory:":
                self._write(lambda: self._connection.execute("PRAGMA journal_mode = WAL"),
                            transaction=False)
                # In WAL mode NORMAL never corrupts the file; a power cut may lose
                # the last commits, which the caller can add again.
                self._connection.execute("PRAGMA synchronous = NORMAL")
                self._connection.execute(f"PRAGMA wal_autocheckpoint = {_WAL_PAGES}")
            self._write(self._create_schema)
        except sqlite3.DatabaseError as error:
            raise IndexFileError(f"index file {self._path!r} is corrupt, truncated or not an "
                                 f"index ({error}); rebuild it") from None

    def _create_schema(self) -> None:
        for statement in _SCHEMA:
            self._connection.execute(statement)

    def _write(self, action: Callable[[], _T], *, transaction: bool = True) -> _T:
        """Run ``action`` in a write transaction, retrying while another process holds the lock.

        SQLite's busy handler already waits ``_BUSY_SECONDS``; this loop covers
        what it does not (a lock held longer, ``SQLITE_BUSY`` at commit).
        """
        deadline = time.monotonic() + _LOCK_SECONDS
        pause = 0.01
        while True:
            try:
                if not transaction:
                    return action()
                self._connection.execute("BEGIN IMMEDIATE")
                try:
                    result = action()
                    self._connection.execute("COMMIT")
                except BaseException:
                    if self._connection.in_transaction:
                        self._connection.execute("ROLLBACK")
                    raise
                return result
            except sqlite3.OperationalError as error:
                if not _is_lock_error(error) or time.monotonic() > deadline:
                    if _is_lock_error(error):
                        raise IndexFileError(
                            f"index file {self._path!r} stayed locked by another process "
                            f"for {_LOCK_SECONDS:.0f} s ({error}); try again when it is "
                            "done") from None
                    raise
                logger.debug("index file %r is locked, retrying: %s", self._path, error)
                time.sleep(pause)
                pause = min(pause * 2, 0.5)

    def _run(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple[object, ...]]:
        try:
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as error:
            raise IndexFileError(f"index file {self._path!r} cannot be read ({error}); "
                                 "it is corrupt or truncated: rebuild it") from None

    def _checked_meta(self, rows: Sequence[tuple[object, ...]]) -> dict[str, str]:
        """Return the metadata without its layout marker; refuse a layout not ours."""
        meta = {str(name): str(value) for name, value in rows}
        layout = meta.pop("sqlite_layout", None)
        if layout == LAYOUT or (layout is None and meta.get("format") != FORMAT):
            return meta  # a foreign file is refused by the index, naming its format
        if layout is None:
            raise IndexFileError(f"index file {self._path!r} is in the SQLite layout of dedup "
                                 f"0.1 (layout 1), which this dedup does not read; this "
                                 f"dedup reads layout {LAYOUT}. Rebuild the index (add the "
                                 "documents again) into a new file")
        raise IndexFileError(f"index file {self._path!r} has SQLite layout {layout!r}; "
                             f"this dedup reads layout {LAYOUT!r}")

    def read_meta(self) -> dict[str, str]:
        return self._checked_meta(self._run("SELECT name, value FROM meta"))

    def create_meta(self, meta: dict[str, str]) -> dict[str, str]:
        def create() -> dict[str, str]:
            # Read and write under one write lock: two processes creating one
            # file with different configs cannot both write theirs.
            rows = self._connection.execute("SELECT name, value FROM meta").fetchall()
            if rows:
                return self._checked_meta(rows)
            self._connection.executemany("INSERT INTO meta (name, value) VALUES (?, ?)",
                                         sorted({**meta, "sqlite_layout": LAYOUT}.items()))
            return dict(meta)
        try:
            return self._write(create)
        except sqlite3.DatabaseError as error:
            raise IndexFileError(f"index file {self._path!r} cannot be written ({error})") from None

    def add(self, documents: Sequence[tuple[StoredDocument, Sequence[int]]]) -> None:
        if not documents:
            return

        def insert() -> None:
            first = self._connection.execute("SELECT COALESCE(MAX(doc), 0) FROM documents")
            start = int(first.fetchone()[0]) + 1
            self._connection.executemany(
                "INSERT INTO documents (doc, id, text, checksum) VALUES (?, ?, ?, ?)",
                [(start + offset, document.id, document.text, record_checksum(document))
                 for offset, (document, _keys) in enumerate(documents)])
            # Sorted, the rows of one batch go into the bucket B-tree in key
            # order: each page is visited once, not once per row; all in the
            # newest epoch (or two), see _EPOCH_DOCS.
            rows = sorted({((start + offset) // _EPOCH_DOCS, _signed(key), start + offset)
                           for offset, (_document, keys) in enumerate(documents)
                           for key in keys})
            self._connection.executemany(
                "INSERT INTO buckets (epoch, key, doc) VALUES (?, ?, ?)", rows)

        try:
            self._write(insert)
        except sqlite3.IntegrityError:
            # Another process added one of the ids since the caller checked.
            for document, _keys in documents:
                if document.id in self:
                    raise duplicate_id_error(document.id) from None
            raise
        except sqlite3.DatabaseError as error:
            raise IndexFileError(f"index file {self._path!r} cannot be written ({error})") from None

    def _row(self, doc_id: str) -> tuple[int, StoredDocument] | None:
        rows = self._run("SELECT doc, text, checksum FROM documents WHERE id = ?", (doc_id,))
        if not rows:
            return None
        number, text, checksum = rows[0]
        if not isinstance(text, str):
            raise IndexFileError(f"index file {self._path!r}: the record of document {doc_id!r} "
                                 "has fields of the wrong type; the file is corrupt: rebuild it")
        document = StoredDocument(id=doc_id, text=text)
        if record_checksum(document) != checksum:
            raise IndexFileError(f"index file {self._path!r}: the record of document {doc_id!r} "
                                 "fails its checksum; the file is corrupt: rebuild it")
        return int(number), document  # type: ignore[call-overload]

    def remove(self, doc_id: str, band_keys: Sequence[int]) -> None:
        found = self._row(doc_id)
        if found is None:
            return
        number, _document = found

        def delete() -> None:
            self._connection.executemany(
                "DELETE FROM buckets WHERE epoch = ? AND key = ? AND doc = ?",
                [(number // _EPOCH_DOCS, _signed(key), number) for key in band_keys])
            self._connection.execute("DELETE FROM documents WHERE doc = ?", (number,))
        try:
            self._write(delete)
        except sqlite3.DatabaseError as error:
            raise IndexFileError(f"index file {self._path!r} cannot be written ({error})") from None

    def get(self, doc_id: str) -> StoredDocument | None:
        found = self._row(doc_id)
        return None if found is None else found[1]

    def candidates(self, band_keys: Sequence[int]) -> set[str]:
        if not band_keys:
            return set()
        marks = ",".join("?" * len(band_keys))
        # One search per (epoch, key), epochs 0 to the newest one's, in one
        # statement so it reads one snapshot of the file.
        rows = self._run(
            "WITH RECURSIVE epochs(epoch) AS (SELECT 0 UNION ALL SELECT epoch + 1 FROM epochs "
            "WHERE epoch < (SELECT COALESCE(MAX(doc), 0) FROM documents) / ?) "
            "SELECT DISTINCT documents.id FROM epochs "
            "JOIN buckets ON buckets.epoch = epochs.epoch "
            "JOIN documents ON documents.doc = buckets.doc "
            f"WHERE buckets.key IN ({marks})",
            [_EPOCH_DOCS, *(_signed(key) for key in band_keys)])
        return {str(row[0]) for row in rows}

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, str):
            return False
        return bool(self._run("SELECT 1 FROM documents WHERE id = ?", (doc_id,)))

    def __len__(self) -> int:
        count = self._run("SELECT COUNT(*) FROM documents")[0][0]
        return count if isinstance(count, int) else 0

    def ids(self) -> Iterator[str]:
        return iter([str(row[0]) for row in self._run("SELECT id FROM documents ORDER BY doc")])

    def close(self) -> None:
        self._connection.close()
