"""The Redis storage against a real redis-server started here (skipped where none can start)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dedup.errors import DedupError
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
