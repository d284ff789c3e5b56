"""Index storage in Redis: one hash of documents, one set per bucket, batched adds.

Layout 2 (every key starts with the index name, escaped, in a hash tag)::

    dedup:{<name>}:meta            string: the index metadata as JSON, with "redis_layout": "2"
    dedup:{<name>}:docs            hash:   document id -> 8-byte checksum + UTF-8 text
    dedup:{<name>}:bucket:<8 bytes> set:   the ids in the bucket of one band key

Ids are hash fields and set members, never part of a key name, so no id can
reach another index's keys or another kind of key, whatever it holds. The
name is percent-escaped (only ``A-Za-z0-9_.-~`` kept), so ``:``, ``{`` or
``}`` in it cannot end it early and two names never share a key; the braces
make Redis Cluster keep an index's keys on one slot.

An ``add`` sends its batch as one Lua script call per ~1,000 documents:
Redis runs a script atomically, so the script checks that no id of the batch
is stored and then stores them all, and two processes adding one id at once
cannot both succeed. The first version made ~50 round trips per document
(datasketch's storage containers, unpipelined): 120-170 adds/s.

Layout 1 (dedup 0.1: ``<name>_documents``, ``<name>_buckets`` and
``<name>_meta`` through datasketch's containers, ids appended to the name
without a separator) is detected and refused with
:class:`~dedup.errors.IndexFileError`, never misread.

The connection settings (host, port, password) are handed to ``redis.Redis``
and nowhere else: errors say what failed without repeating them, because
Redis' own messages name the host and port.

Added in 0.1; layout 2 in 0.2.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar
from urllib.parse import quote

from dedup.errors import ConfigError, DedupError, IndexFileError, MissingExtraError
from dedup.near.storage import StoredDocument, duplicate_id_error, record_checksum

__all__ = ["LAYOUT", "RedisBucketStorage", "key_prefix"]

_T = TypeVar("_T")

#: The version of the key layout above, stored in the metadata as ``redis_layout``.
LAYOUT = "2"

#: Documents per script call, and the bytes of text that end a call earlier:
#: big enough that the round trip is noise (one call of 1,000 documents takes
#: ~60 ms in Redis), small enough not to stall other clients for long.
_BATCH_DOCUMENTS = 1000
_BATCH_BYTES = 8 << 20

# KEYS[1] the documents hash. ARGV[1] the bucket key prefix, ARGV[2] the
# number of documents, then per document: id, value, and its band keys as one
# string of 8-byte keys (one argument rather than 25: measured on 10,000
# documents, server CPU 1.03 -> 0.60 s and the whole add 1.95 -> 1.05 s).
# Returns 0, or the 1-based position of the first id that is stored already.
_ADD_SCRIPT = """
local docs = KEYS[1]
local bucket = ARGV[1]
local count = tonumber(ARGV[2])
for i = 1, count do
  if redis.call('HEXISTS', docs, ARGV[i * 3]) == 1 then return i end
end
for i = 1, count do
  local id = ARGV[i * 3]
  redis.call('HSET', docs, id, ARGV[i * 3 + 1])
  local keys = ARGV[i * 3 + 2]
  for j = 1, #keys, 8 do
    redis.call('SADD', bucket .. string.sub(keys, j, j + 7), id)
  end
end
return 0
"""


def key_prefix(name: str) -> bytes:
    """Return the prefix of every key of the index ``name`` (layout 2).

    >>> key_prefix("news:2024")
    b'dedup:{news%3A2024}:'

    Raises:
        ConfigError: ``name`` is empty or not valid Unicode (a lone surrogate).
    """
    if not isinstance(name, str) or not name:
        raise ConfigError(f"redis index name {name!r} must be a non-empty string")
    try:
        escaped = quote(name.encode("utf-8"), safe="")
    except UnicodeEncodeError:
        raise ConfigError(f"redis index name {name!r} is not valid Unicode "
                          "(it holds a lone surrogate)") from None
    return b"dedup:{" + escaped.encode("ascii") + b"}:"


def _as_bytes(value: object) -> bytes:
    """Return a Redis reply as bytes (the client is made without ``decode_responses``)."""
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def _band(key: int) -> bytes:
    return key.to_bytes(8, "big")


class RedisBucketStorage:
    """Documents and buckets in Redis (``pip install "dedup-corpus[redis]"``)."""

    def __init__(self, *, connection: Mapping[str, object], name: str) -> None:
        try:
            import redis
        except ImportError:
            raise MissingExtraError("redis", "redis") from None
        prefix = key_prefix(name)
        self._errors: tuple[type[BaseException], ...] = (redis.exceptions.RedisError,)
        self._name = name
        self._meta_key = prefix + b"meta"
        self._docs_key = prefix + b"docs"
        self._bucket_prefix = prefix + b"bucket:"
        self._client = redis.Redis(**connection)  # type: ignore[arg-type]
        self._add_script = self._client.register_script(_ADD_SCRIPT)
        self._call(self._check_layout)

    def _call(self, action: Callable[[], _T]) -> _T:
        try:
            return action()
        except self._errors as error:
            # Redis messages carry host and port: say only what kind of failure.
            raise DedupError(f"the Redis server given for index {self._name!r} failed "
                             f"({type(error).__name__}); check that it is running and the "
                             "connection settings") from None

    def _check_layout(self) -> None:
        if self._client.exists(self._meta_key):
            self.read_meta()
            return
        old = [f"{self._name}{suffix}" for suffix in ("_meta", "_documents", "_buckets")]
        if self._client.exists(*(key.encode("utf-8", "surrogatepass") for key in old)):
            raise IndexFileError(
                f"redis index {self._name!r} is in the Redis layout of dedup 0.1 (keys "
                f"{', '.join(map(repr, old))}), which this dedup does not read: its ids "
                "could collide with other keys. Rebuild the index (add the documents "
                "again); delete the old keys when done")

    def _decode_meta(self, raw: bytes) -> dict[str, str]:
        try:
            meta = json.loads(raw)
        except ValueError:
            meta = None
        if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
            raise IndexFileError(f"redis index {self._name!r}: its metadata is not a JSON "
                                 "object of strings; the index is corrupt: rebuild it")
        layout = meta.pop("redis_layout", None)
        if layout != LAYOUT:
            raise IndexFileError(f"redis index {self._name!r} has Redis layout {layout!r}; "
                                 f"this dedup reads layout {LAYOUT!r}")
        return meta

    def read_meta(self) -> dict[str, str]:
        raw = self._call(lambda: self._client.get(self._meta_key))
        return {} if raw is None else self._decode_meta(bytes(raw))  # type: ignore[arg-type]

    def create_meta(self, meta: dict[str, str]) -> dict[str, str]:
        value = json.dumps({**meta, "redis_layout": LAYOUT}, sort_keys=True)
        # SET NX: of two processes creating one index at once, exactly one writes.
        self._call(lambda: self._client.set(self._meta_key, value, nx=True))
        return self.read_meta()

    def add(self, documents: Sequence[tuple[StoredDocument, Sequence[int]]]) -> None:
        done: list[tuple[StoredDocument, Sequence[int]]] = []
        for batch in self._batches(documents):
            arguments: list[bytes | int] = [self._bucket_prefix, len(batch)]
            for document, band_keys in batch:
                arguments += [document.id.encode("utf-8"),
                              record_checksum(document) + document.text.encode("utf-8"),
                              b"".join(map(_band, band_keys))]
            taken = self._run_add_script(arguments)
            if taken:
                # All or nothing, as in the other stores: undo the batches stored before.
                for document, band_keys in done:
                    self.remove(document.id, band_keys)
                raise duplicate_id_error(batch[taken - 1][0].id)
            done += batch

    def _run_add_script(self, arguments: list[bytes | int]) -> int:
        result = self._call(lambda: self._add_script(keys=[self._docs_key], args=arguments))
        if not isinstance(result, int):
            raise IndexFileError(f"redis index {self._name!r}: the add script answered "
                                 f"{result!r}; expected a number")
        return result

    @staticmethod
    def _batches(documents: Sequence[tuple[StoredDocument, Sequence[int]]],
                 ) -> Iterator[list[tuple[StoredDocument, Sequence[int]]]]:
        batch: list[tuple[StoredDocument, Sequence[int]]] = []
        size = 0
        for item in documents:
            batch.append(item)
            size += len(item[0].text) + len(item[0].id)
            if len(batch) >= _BATCH_DOCUMENTS or size >= _BATCH_BYTES:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    def remove(self, doc_id: str, band_keys: Sequence[int]) -> None:
        member = doc_id.encode("utf-8")

        def delete() -> None:
            pipeline = self._client.pipeline(transaction=True)
            for band_key in band_keys:
                pipeline.srem(self._bucket_prefix + _band(band_key), member)
            pipeline.hdel(self._docs_key, member)
            pipeline.execute()
        self._call(delete)

    def get(self, doc_id: str) -> StoredDocument | None:
        raw = self._call(lambda: self._client.hget(self._docs_key, doc_id.encode("utf-8")))
        if raw is None:
            return None
        value = bytes(raw)  # type: ignore[arg-type]
        checksum, text = value[:8], value[8:]
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
        if not band_keys:
            return set()
        keys = [self._bucket_prefix + _band(key) for key in band_keys]
        members = self._call(lambda: self._client.sunion(keys))
        try:
            return {_as_bytes(member).decode("utf-8") for member in members}
        except UnicodeDecodeError:
            raise IndexFileError(f"redis index {self._name!r}: a bucket holds an id that is "
                                 "not UTF-8; the index is corrupt: rebuild it") from None

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, str):
            return False
        try:
            member = doc_id.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return bool(self._call(lambda: self._client.hexists(self._docs_key, member)))

    def __len__(self) -> int:
        return int(self._call(lambda: self._client.hlen(self._docs_key)))

    def ids(self) -> Iterator[str]:
        keys = self._call(lambda: self._client.hkeys(self._docs_key))
        return iter(sorted(_as_bytes(key).decode("utf-8") for key in keys))

    def close(self) -> None:
        self._call(self._client.close)
