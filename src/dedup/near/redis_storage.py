"""Index storage in Redis, through datasketch's own Redis storage containers.

Documents live in a datasketch ordered (list) container keyed by id, holding
``[text, checksum]``; buckets live in an unordered (set) container
keyed by the 8-byte band key; metadata in a third container. Every value is
plain bytes (no pickle), and each document carries the same checksum as in
the SQLite store.

The connection settings (host, port, password) are handed to ``redis.Redis``
and nowhere else: errors say what failed without repeating them, because
Redis' own messages name the host and port.

Added in 0.1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar

from dedup.errors import DedupError, IndexFileError, MissingExtraError
from dedup.near.storage import StoredDocument, record_checksum

__all__ = ["RedisBucketStorage"]

_T = TypeVar("_T")


class RedisBucketStorage:
    """Documents and buckets in Redis (``pip install "dedup-corpus[redis]"``)."""

    def __init__(self, *, connection: Mapping[str, object], name: str) -> None:
        try:
            import redis
            from datasketch.storage import ordered_storage, unordered_storage
        except ImportError:
            raise MissingExtraError("redis", "redis") from None
        self._errors: tuple[type[BaseException], ...] = (redis.exceptions.RedisError,)
        config = {"type": "redis", "redis": dict(connection)}
        prefix = name.encode("utf-8")
        self._name = name

        def build() -> tuple[object, object, object]:
            return (ordered_storage(config, name=prefix + b"_documents"),
                    unordered_storage(config, name=prefix + b"_buckets"),
                    ordered_storage(config, name=prefix + b"_meta"))

        self._documents, self._buckets, self._meta = self._call(build)
        self._call(lambda: self._meta.size())  # type: ignore[attr-defined]

    def _call(self, action: Callable[[], _T]) -> _T:
        try:
            return action()
        except self._errors as error:
            # Redis messages carry host and port: say only what kind of failure.
            raise DedupError(f"the Redis server given for index {self._name!r} failed "
                             f"({type(error).__name__}); check that it is running and the "
                             "connection settings") from None

    def read_meta(self) -> dict[str, str]:
        def read() -> dict[str, str]:
            keys = self._meta.keys()  # type: ignore[attr-defined]
            out: dict[str, str] = {}
            for key in keys:
                values = self._meta.get(key)  # type: ignore[attr-defined]
                if values:
                    out[bytes(key).decode("utf-8")] = bytes(values[-1]).decode("utf-8")
            return out
        return self._call(read)

    def write_meta(self, meta: dict[str, str]) -> None:
        def write() -> None:
            for name, value in sorted(meta.items()):
                self._meta.remove(name.encode("utf-8"))  # type: ignore[attr-defined]
                self._meta.insert(name.encode("utf-8"),  # type: ignore[attr-defined]
                                  value.encode("utf-8"))
        self._call(write)

    def add(self, documents: Sequence[tuple[StoredDocument, Sequence[int]]]) -> None:
        def write() -> None:
            for document, band_keys in documents:
                key = document.id.encode("utf-8")
                self._documents.insert(  # type: ignore[attr-defined]
                    key, document.text.encode("utf-8"), record_checksum(document))
                for band_key in band_keys:
                    self._buckets.insert(band_key.to_bytes(8, "big"), key)  # type: ignore[attr-defined]
        self._call(write)

    def remove(self, doc_id: str, band_keys: Sequence[int]) -> None:
        def delete() -> None:
            key = doc_id.encode("utf-8")
            for band_key in band_keys:
                self._buckets.remove_val(band_key.to_bytes(8, "big"), key)  # type: ignore[attr-defined]
            self._documents.remove(key)  # type: ignore[attr-defined]
        self._call(delete)

    def get(self, doc_id: str) -> StoredDocument | None:
        values = self._call(lambda: self._documents.get(doc_id.encode("utf-8")))  # type: ignore[attr-defined]
        if not values:
            return None
        if len(values) != 2:
            raise IndexFileError(f"redis index {self._name!r}: the record of document "
                                 f"{doc_id!r} has {len(values)} fields; expected 2")
        text, checksum = (bytes(value) for value in values)
        try:
            document = StoredDocument(id=doc_id, text=text.decode("utf-8"))
        except UnicodeDecodeError:
            raise IndexFileError(f"redis index {self._name!r}: the text of document "
                                 f"{doc_id!r} is not UTF-8") from None
        if record_checksum(document) != checksum:
            raise IndexFileError(f"redis index {self._name!r}: the record of document "
                                 f"{doc_id!r} fails its checksum")
        return document

    def candidates(self, band_keys: Sequence[int]) -> set[str]:
        def read() -> set[str]:
            found: set[str] = set()
            for band_key in band_keys:
                members = self._buckets.get(band_key.to_bytes(8, "big"))  # type: ignore[attr-defined]
                found.update(bytes(member).decode("utf-8") for member in members)
            return found
        return self._call(read)

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, str):
            return False
        key = doc_id.encode("utf-8")
        return bool(self._call(lambda: self._documents.has_key(key)))  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return int(self._call(lambda: self._documents.size()))  # type: ignore[attr-defined]

    def ids(self) -> Iterator[str]:
        keys = self._call(lambda: self._documents.keys())  # type: ignore[attr-defined]
        return iter(sorted(bytes(key).decode("utf-8") for key in keys))

    def close(self) -> None:
        return None
