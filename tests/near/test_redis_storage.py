"""The Redis storage against a real redis-server started here (skipped where none can start)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.near.concurrent_adds import (
    HOSTILE_IDS,
    add_from_two_processes,
    create_from_two_processes,
    text_of,
)

from dedup.errors import ConfigError, DedupError, DuplicateIdError, IndexFileError, InputError
from dedup.near.config import DedupConfig
from dedup.near.index import NearDuplicateIndex

pytestmark = pytest.mark.redis

STORY = ("The central bank raised its main interest rate by a quarter point on Tuesday, "
         "saying inflation had stayed above its target for longer than expected.")
EDITED = STORY.replace("Tuesday", "Wednesday")
OTHER = "Heavy rain flooded roads across the north of the country overnight, officials said."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    pytest.importorskip("redis", reason="the redis package (extra 'redis') is not installed")
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    folder: Path = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.skip("redis-server did not start")
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_redis_gives_the_same_answers_as_memory(redis_port: int) -> None:
    config = DedupConfig(threshold=0.5)
    docs = [("story", STORY), ("other", OTHER)]
    memory = NearDuplicateIndex(config=config)
    memory.add_many(docs)
    connection = {"host": "127.0.0.1", "port": redis_port}
    index = NearDuplicateIndex.redis(connection=connection, name="test-same", config=config)
    index.add_many(docs)
    for text in (STORY, EDITED, OTHER, "nothing like the others at all in any way"):
        assert index.query(text) == memory.query(text)
    assert "story" in index
    assert len(index) == 2
    # A second handle (another process would do the same) sees the same index and config.
    again = NearDuplicateIndex.redis(connection=connection, name="test-same")
    assert again.config.threshold == 0.5
    assert again.query(EDITED) == memory.query(EDITED)
    index.remove("story")
    assert index.query(STORY) == []
    assert len(again) == 1


def test_connection_details_never_appear_in_errors() -> None:
    pytest.importorskip("redis", reason="the redis package (extra 'redis') is not installed")
    port = free_port()
    secret = "s3cret-password"
    with pytest.raises(DedupError) as caught:
        NearDuplicateIndex.redis(connection={"host": "127.0.0.1", "port": port,
                                             "password": secret, "socket_timeout": 1},
                                 name="unreachable")
    message = str(caught.value)
    assert secret not in message
    assert str(port) not in message
    assert "127.0.0.1" not in message
    assert "Redis" in message


# ------------------------------------------------------------ key layout, hostile ids, races

def _connection(port: int) -> dict[str, object]:
    return {"host": "127.0.0.1", "port": port}


def _keys(port: int) -> list[bytes]:
    import redis

    return sorted(redis.Redis(port=port).keys("*"))


def test_hostile_ids_round_trip_and_stay_inside_their_index(redis_port: int) -> None:
    connection = _connection(redis_port)
    # In layout 1, index "h" kept document "b_meta" in the list "h_documentsb_meta",
    # which is the metadata hash of the index "h_documentsb".
    neighbour = NearDuplicateIndex.redis(connection=connection, name="h_documentsb")
    neighbour.add("theirs", STORY)
    index = NearDuplicateIndex.redis(connection=connection, name="h")
    ids = (*HOSTILE_IDS, "b_meta", "b_documentstheirs")
    index.add_many((doc_id, text_of(doc_id)) for doc_id in ids)
    assert sorted(index) == sorted(ids)
    for doc_id in ids:
        assert doc_id in index
        assert (doc_id, 1.0) in index.query(text_of(doc_id))
    assert list(neighbour) == ["theirs"]
    assert neighbour.query(STORY) == [("theirs", 1.0)]
    for doc_id in ids:
        index.remove(doc_id)
    assert len(index) == 0
    # Nothing is left of the removed documents: only the metadata of "h" remains.
    assert [key for key in _keys(redis_port) if key.startswith(b"dedup:{h}:")] == [
        b"dedup:{h}:meta"]
    assert list(NearDuplicateIndex.redis(connection=connection, name="h_documentsb")) == [
        "theirs"]


def test_index_names_cannot_reach_each_others_keys(redis_port: int) -> None:
    connection = _connection(redis_port)
    names = ("n:docs", "n", "n%3Adocs", "n}:docs", "{n}", "ñ")
    for name in names:
        NearDuplicateIndex.redis(connection=connection, name=name).add(f"only-{name}", STORY)
    for name in names:
        index = NearDuplicateIndex.redis(connection=connection, name=name)
        assert list(index) == [f"only-{name}"]
        assert index.query(STORY) == [(f"only-{name}", 1.0)]
    with pytest.raises(ConfigError, match="non-empty"):
        NearDuplicateIndex.redis(connection=connection, name="")


def test_empty_id_is_refused_and_leaves_nothing(redis_port: int) -> None:
    index = NearDuplicateIndex.redis(connection=_connection(redis_port), name="empty-id")
    with pytest.raises(InputError, match="empty") as caught:
        index.add("", STORY)
    assert caught.value.reason == "invalid_id"
    with pytest.raises(InputError, match="lone surrogate"):
        index.add("\udc80", STORY)
    assert len(index) == 0
    assert list(index) == []
    assert [key for key in _keys(redis_port) if b"empty-id" in key] == [
        b"dedup:{empty-id}:meta"]


def test_a_batch_with_a_stored_id_stores_nothing(redis_port: int) -> None:
    index = NearDuplicateIndex.redis(connection=_connection(redis_port), name="all-or-none")
    index.add("taken", STORY)
    # 2,500 documents: three script calls, the stored id in the last one.
    batch = [(f"new-{i}", text_of(f"new-{i}")) for i in range(2500)] + [("taken", OTHER)]
    with pytest.raises(DuplicateIdError, match="'taken'"):
        index.add_many(batch)
    assert list(index) == ["taken"]
    assert index.query(text_of("new-3")) == []
    # Only the buckets of "taken" are left: the undone batches left no member behind.
    buckets = [key for key in _keys(redis_port) if key.startswith(b"dedup:{all-or-none}:bucket:")]
    assert len(buckets) == len(set(_bucket_keys(index, STORY)))


def _bucket_keys(index: NearDuplicateIndex, text: str) -> list[int]:
    from dedup.near.lsh import band_keys
    from dedup.near.minhash import signatures
    from dedup.near.shingling import shingle_hashes

    matrix = signatures([shingle_hashes(text, index.config)], index.config)
    return [int(key) for key in band_keys(matrix[0], index.config)]


def test_layout_1_index_is_refused_not_misread(redis_port: int) -> None:
    import redis

    client = redis.Redis(port=redis_port)
    # What dedup 0.1 wrote through datasketch's containers for index "legacy".
    client.hset(b"legacy_meta", b"format", b"legacy_metaformat")
    client.rpush(b"legacy_metaformat", b"dedup-near-index")
    client.hset(b"legacy_documents", b"story", b"legacy_documentsstory")
    client.rpush(b"legacy_documentsstory", STORY.encode(), b"12345678")
    with pytest.raises(IndexFileError, match=r"layout of dedup 0\.1"):
        NearDuplicateIndex.redis(connection=_connection(redis_port), name="legacy")
    client.set(b"dedup:{future}:meta", b'{"format": "dedup-near-index", "redis_layout": "3"}')
    with pytest.raises(IndexFileError, match="layout '3'"):
        NearDuplicateIndex.redis(connection=_connection(redis_port), name="future")


def test_two_processes_adding_to_one_index(redis_port: int) -> None:
    connection = _connection(redis_port)
    NearDuplicateIndex.redis(connection=connection, name="race", config=DedupConfig(
        threshold=0.5))
    outcomes = add_from_two_processes(
        lambda: NearDuplicateIndex.redis(connection=connection, name="race"))
    assert outcomes["error"] == []
    assert sorted(outcomes["added"]) == sorted(f"shared-{i}" for i in range(30))
    assert sorted(outcomes["duplicate"]) == sorted(outcomes["added"])
    index = NearDuplicateIndex.redis(connection=connection, name="race")
    assert len(index) == 2 * 150 + 30
    for doc_id in index:
        assert (doc_id, 1.0) in index.query(text_of(doc_id))


def test_two_processes_creating_one_index_with_different_configs(redis_port: int) -> None:
    from dedup.near.redis_storage import RedisBucketStorage

    for attempt in range(2):
        name = f"create-race-{attempt}"
        outcomes = create_from_two_processes(
            lambda threshold, name=name: NearDuplicateIndex.redis(
                connection=_connection(redis_port), name=name,
                config=DedupConfig(threshold=threshold)),
            (0.5, 0.9), slow_reads=RedisBucketStorage)
        assert [kind for kind, _ in outcomes] == ["ConfigError", "opened"], outcomes
        winner = outcomes[1][1]
        loser = "0.9" if winner == "0.5" else "0.5"
        assert f"threshold {winner} in the index, {loser} given" in outcomes[0][1]
        index = NearDuplicateIndex.redis(connection=_connection(redis_port), name=name)
        assert list(index) == [f"made-at-{winner}"]
