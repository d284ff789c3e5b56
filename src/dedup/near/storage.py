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

Added in 0.1.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from dedup.errors import IndexFileError

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "BucketStorage",
    "InMemoryBucketStorage",
    "SqliteBucketStorage",
    "StoredDocument",
    "record_checksum",
]

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
    """Documents and LSH buckets, as the index needs them."""

    def read_meta(self) -> dict[str, str]:
        """Return the stored metadata (empty for a new store)."""
        ...  # pragma: no cover

    def write_meta(self, meta: dict[str, str]) -> None:
        """Store metadata (format, version, config)."""
        ...  # pragma: no cover

    def add(self, documents: Sequence[tuple[StoredDocument, Sequence[int]]]) -> None:
        """Store documents and put each in the buckets of its band keys."""
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

    def write_meta(self, meta: dict[str, str]) -> None:
        self._meta = dict(meta)

    def add(self, documents: Sequence[tuple[StoredDocument, Sequence[int]]]) -> None:
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


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    checksum BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS buckets (
    key INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    PRIMARY KEY (key, doc)
) WITHOUT ROWID;
"""


class SqliteBucketStorage:
    """Documents and buckets in one SQLite file: no server, safe to open from elsewhere.

    Buckets are a ``WITHOUT ROWID`` table keyed by ``(band key, document
    number)``, so a bucket lookup is one index range scan and a bucket entry
    costs about 20 bytes on disk. Writes commit at once, so another process
    that opens the file sees every completed ``add``.

    >>> store = SqliteBucketStorage(":memory:")
    >>> store.add([(StoredDocument(id="a", text="x"), (2**63 + 5,))])
    >>> store.candidates([2**63 + 5]), store.get("a").text
    ({'a'}, 'x')
    """

    def __init__(self, path: str | Path) -> None:
        self._path = str(path)
        try:
            self._connection = sqlite3.connect(self._path, isolation_level=None)
            self._connection.execute("PRAGMA foreign_keys = OFF")
            result = self._connection.execute("PRAGMA quick_check").fetchone()
            if result is None or result[0] != "ok":
                raise IndexFileError(f"index file {self._path!r} is corrupt "
                                     f"(SQLite quick_check: {result!r}); rebuild it")
            self._connection.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise IndexFileError(f"index file {self._path!r} is corrupt, truncated or not an "
                                 f"index ({error}); rebuild it") from None

    def _run(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple[object, ...]]:
        try:
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as error:
            raise IndexFileError(f"index file {self._path!r} cannot be read ({error}); "
                                 "it is corrupt or truncated: rebuild it") from None

    def read_meta(self) -> dict[str, str]:
        return {str(name): str(value) for name, value in self._run("SELECT name, value FROM meta")}

    def write_meta(self, meta: dict[str, str]) -> None:
        try:
            with self._connection:
                self._connection.execute("BEGIN")
                self._connection.executemany(
                    "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", sorted(meta.items()))
        except sqlite3.DatabaseError as error:
            raise IndexFileError(f"index file {self._path!r} cannot be written ({error})") from None

    def add(self, documents: Sequence[tuple[StoredDocument, Sequence[int]]]) -> None:
        try:
            with self._connection:
                self._connection.execute("BEGIN")
                for document, band_keys in documents:
                    cursor = self._connection.execute(
                        "INSERT INTO documents (id, text, checksum) VALUES (?, ?, ?)",
                        (document.id, document.text, record_checksum(document)))
                    number = cursor.lastrowid
                    self._connection.executemany(
                        "INSERT OR IGNORE INTO buckets (key, doc) VALUES (?, ?)",
                        [(_signed(key), number) for key in band_keys])
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
        try:
            with self._connection:
                self._connection.execute("BEGIN")
                self._connection.executemany("DELETE FROM buckets WHERE key = ? AND doc = ?",
                                             [(_signed(key), number) for key in band_keys])
                self._connection.execute("DELETE FROM documents WHERE doc = ?", (number,))
        except sqlite3.DatabaseError as error:
            raise IndexFileError(f"index file {self._path!r} cannot be written ({error})") from None

    def get(self, doc_id: str) -> StoredDocument | None:
        found = self._row(doc_id)
        return None if found is None else found[1]

    def candidates(self, band_keys: Sequence[int]) -> set[str]:
        if not band_keys:
            return set()
        marks = ",".join("?" * len(band_keys))
        rows = self._run(
            "SELECT DISTINCT documents.id FROM buckets JOIN documents "
            f"ON documents.doc = buckets.doc WHERE buckets.key IN ({marks})",
            [_signed(key) for key in band_keys])
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
