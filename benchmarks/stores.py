"""Index stores: docs/s of adds to Redis (ours beside datasketch's) and to SQLite as it grows.

Run from the repository root::

    PYTHONPATH=src python benchmarks/near_dup.py --stores
    PYTHONPATH=src python benchmarks/near_dup.py --stores --redis-docs 20000 --sqlite-docs 200000

Documents: synthetic news texts, each six sentences drawn (seeded) from the
Reuters-21578 bodies, so they read like news, are distinct, and spread over
the LSH buckets as a real feed does (light edits of a few originals would
pile into shared buckets instead). Not cleaned: the stores do not care.

Redis: a ``redis-server`` started here on a free port (or ``--redis-port``
for a running one; the benchmark writes only under its own key prefixes and
deletes them), the same documents through

- ``NearDuplicateIndex.redis(...).add_many`` in batches of ``--batch``
  (text to signature to stored text and buckets), and ``add`` one at a time;
- datasketch's ``MinHashLSH`` with its Redis storage, ``insertion_session``
  (its pipelined path) and plain ``insert``, given the same signatures
  precomputed (so it is timed on storage alone, and stores no text).

SQLite: ``NearDuplicateIndex.open(file).add_many`` in batches of ``--batch``
up to ``--sqlite-docs``, with the rate over the last batches before each size
printed, so a slowdown as the index grows shows as falling figures.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from benchmarks.corpora import load_reuters

from dedup import DedupConfig, NearDuplicateIndex
from dedup.near.minhash import signatures
from dedup.near.shingling import shingle_hashes_batch

__all__ = ["run_stores", "synthetic_news"]

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def synthetic_news(reuters: Path, count: int, *, seed: int = 7) -> list[tuple[str, str]]:
    """Return ``count`` distinct ``(id, text)`` pairs of six Reuters sentences each."""
    pool = sorted({sentence.strip() for _, body in load_reuters(reuters, with_title=False)
                   for sentence in _SENTENCE.split(body) if len(sentence.split()) >= 6})
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(pool), size=(count, 6))
    return [(f"news-{i:07d}", " ".join(pool[j] for j in row)) for i, row in enumerate(picks)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _redis_server(port: int | None) -> Iterator[int | None]:
    """Yield the port of a Redis server: the one given, or one started here (None: none)."""
    if port is not None:
        yield port
        return
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", folder],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        yield None
                        return
                    time.sleep(0.05)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:9.0f} docs/s ({count} docs in {seconds:6.2f} s)"


def _batches(docs: Sequence[tuple[str, str]], size: int) -> Iterator[Sequence[tuple[str, str]]]:
    for start in range(0, len(docs), size):
        yield docs[start:start + size]


def _clear(client: object, pattern: str) -> None:
    for key in client.scan_iter(match=pattern, count=10_000):  # type: ignore[attr-defined]
        client.delete(key)  # type: ignore[attr-defined]


def _warm_up(docs: Sequence[tuple[str, str]]) -> None:
    """Pay the one-off costs (imports, permutation tables) before anything is timed."""
    NearDuplicateIndex().add_many(docs[:10])


def _redis(port: int, docs: list[tuple[str, str]], *, batch: int, singles: int) -> None:
    import datasketch
    import redis
    from datasketch import LeanMinHash, MinHashLSH

    connection = {"host": "127.0.0.1", "port": port}
    client = redis.Redis(**connection)
    config = DedupConfig()
    print(f"\n== Redis index stores, {len(docs)} documents, local server on one machine "
          f"(redis-server {client.info()['redis_version']}, redis-py {redis.__version__}, "
          f"datasketch {datasketch.__version__}; load average {os.getloadavg()[0]:.1f})")
    _warm_up(docs)
    results: dict[str, float] = {}
    _clear(client, "*bench-ours*")
    index = NearDuplicateIndex.redis(connection=connection, name="bench-ours", config=config)
    started = time.perf_counter()
    for chunk in _batches(docs, batch):
        index.add_many(chunk)
    results[f"dedup add_many (batches of {batch})"] = time.perf_counter() - started
    found = sum(1 for doc_id, text in docs[:200] if (doc_id, 1.0) in index.query(text))
    index.close()
    _clear(client, "*bench-ours*")
    index = NearDuplicateIndex.redis(connection=connection, name="bench-ours", config=config)
    started = time.perf_counter()
    for doc_id, text in docs[:singles]:
        index.add(doc_id, text)
    single_seconds = time.perf_counter() - started
    index.close()
    _clear(client, "*bench-ours*")

    matrix = signatures(shingle_hashes_batch([text for _, text in docs], config), config)
    minhashes = [LeanMinHash(seed=1, hashvalues=row, scheme="affine32") for row in matrix]
    bands, rows = config.banding
    storage = {"type": "redis", "redis": connection, "basename": b"bench-datasketch"}
    peer_error = ""
    try:
        lsh = MinHashLSH(num_perm=config.num_perm, params=(bands, rows), storage_config=storage)
        started = time.perf_counter()
        with lsh.insertion_session(buffer_size=batch * (bands + 1)) as session:
            for (doc_id, _), minhash in zip(docs, minhashes, strict=True):
                session.insert(doc_id, minhash, check_duplication=False)
        results["datasketch MinHashLSH insertion_session"] = time.perf_counter() - started
        peer_found = sum(1 for (doc_id, _), minhash in zip(docs[:200], minhashes, strict=False)
                         if doc_id in lsh.query(minhash))
        _clear(client, "bench-datasketch*")
        lsh = MinHashLSH(num_perm=config.num_perm, params=(bands, rows), storage_config=storage)
        started = time.perf_counter()
        for (doc_id, _), minhash in zip(docs[:singles], minhashes, strict=False):
            lsh.insert(doc_id, minhash, check_duplication=False)
        peer_single = time.perf_counter() - started
    except Exception as error:  # a peer failing with the installed versions is a result
        peer_error = f"{type(error).__name__}: {error}"
    finally:
        _clear(client, "bench-datasketch*")
    ours = results[f"dedup add_many (batches of {batch})"]
    for label, seconds in results.items():
        print(f"  {label:<44} {_rate(len(docs), seconds)}   dedup is "
              f"{seconds / ours:4.1f}x faster")
    print(f"  dedup add, one at a time                     {_rate(singles, single_seconds)}")
    if peer_error:
        print(f"  datasketch's Redis storage failed with the installed versions: {peer_error}")
        return
    print(f"  datasketch insert, one at a time             {_rate(singles, peer_single)}")
    print(f"  {found}/200 of dedup's and {peer_found}/200 of datasketch's documents found "
          f"again by a query with their own text/signature; dedup stores the texts and "
          f"computes the signatures in its time, datasketch stores keys and bands only "
          f"({bands} bands x {rows} rows for both)")


def _sqlite(docs: list[tuple[str, str]], *, batch: int, marks: Sequence[int]) -> None:
    print(f"\n== SQLite index store, {len(docs)} documents added in batches of {batch} "
          f"(rate over the last 10% of documents before each size; load average "
          f"{os.getloadavg()[0]:.1f})")
    _warm_up(docs)
    config = DedupConfig()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.db"
        times: list[float] = []
        started = time.perf_counter()
        with NearDuplicateIndex.open(path, config=config) as index:
            for chunk in _batches(docs, batch):
                index.add_many(chunk)
                times.append(time.perf_counter() - started)
            found = sum(1 for doc_id, text in docs[-200:] if (doc_id, 1.0) in index.query(text))
        size = path.stat().st_size
    for mark in marks:
        if mark > len(docs):
            continue
        end = mark // batch - 1
        begin = max(0, (mark - max(mark // 10, batch)) // batch) - 1
        seconds = times[end] - (times[begin] if begin >= 0 else 0.0)
        count = (end - begin) * batch
        print(f"  at {mark:>7} documents: {_rate(count, seconds)}")
    print(f"  whole run: {_rate(len(docs), times[-1])}; file {size / 1e6:.0f} MB; "
          f"{found}/200 of the last documents found again by a query")


def run_stores(*, reuters: Path, redis_docs: int, sqlite_docs: int, batch: int,
               redis_port: int | None, singles: int = 2000) -> None:
    """Print docs/s of index adds to Redis (dedup beside datasketch) and to SQLite."""
    docs = synthetic_news(reuters, max(redis_docs, sqlite_docs))
    with _redis_server(redis_port) as port:
        if port is None:
            print("\n== Redis index stores: skipped (no redis-server could be started)")
        elif redis_docs:
            _redis(port, docs[:redis_docs], batch=batch, singles=min(singles, redis_docs))
    if sqlite_docs:
        marks = sorted({m for m in (10_000, 50_000, 200_000, sqlite_docs) if m <= sqlite_docs})
        _sqlite(docs[:sqlite_docs], batch=batch, marks=marks)
