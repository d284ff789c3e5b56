"""Shared by the SQLite and Redis store tests: hostile ids, and processes that add at once.

Texts are generated here (numbered sentences of our own words), so every
document is distinct and a query with a document's own text must find it.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable
from multiprocessing.synchronize import Barrier

from dedup.errors import DuplicateIdError
from dedup.near.index import NearDuplicateIndex

#: Ids that every store must give back unchanged: separators of the old Redis
#: layout, key-pattern and escape characters, unicode, control characters, a
#: long one. ``"_documents"`` and ``"_buckets"`` were whole Redis keys of the
#: index itself in layout 1.
HOSTILE_IDS = ("_documents", "_buckets", "_meta", "a:b", "}{", "%3A", "*", "?[]",
               "\\", "name with spaces", "line\nbreak", "\x1b[31mred\x1b[0m", "tab\t",
               "é", "東京", "🙂", "\u200b", "x" * 10_000)

WORDS = ("harbour", "ledger", "copper", "orchard", "signal", "meadow", "lantern", "quarry",
         "beacon", "thistle", "granite", "ferry", "willow", "cobalt", "saddle", "prairie")


def text_of(doc_id: str) -> str:
    """Return a distinct text of a few sentences for ``doc_id``."""
    number = sum(ord(char) * 31 ** position for position, char in enumerate(doc_id[:50]))
    words = [WORDS[(number >> (4 * i)) % len(WORDS)] for i in range(12)]
    return " ".join(f"{word} {i} {doc_id[:20]!r} the {words[(i * 7) % 12]} and the "
                    f"{words[(i * 5) % 12]} report" for i, word in enumerate(words)) + "."


def _add_all(open_index: Callable[[], NearDuplicateIndex], own: list[str], shared: list[str],
             barrier: Barrier, results: multiprocessing.Queue[tuple[str, str]]) -> None:
    try:
        barrier.wait(timeout=60)
        with open_index() as index:
            for start in range(0, len(own), 25):
                index.add_many([(doc_id, text_of(doc_id)) for doc_id in own[start:start + 25]])
                for doc_id in shared[start // 25::len(own) // 25]:
                    try:
                        index.add(doc_id, text_of(doc_id))
                        results.put(("added", doc_id))
                    except DuplicateIdError:
                        results.put(("duplicate", doc_id))
        results.put(("done", ""))
    except BaseException:  # a failure in the child is the test's result: report it whole
        results.put(("error", traceback.format_exc()))


def add_from_two_processes(open_index: Callable[[], NearDuplicateIndex], *,
                           own: int = 150, shared: int = 30) -> dict[str, list[str]]:
    """Add ``own`` ids per process and the same ``shared`` ids from both, at once.

    Returns the outcomes: ``added`` and ``duplicate`` (shared ids, per
    attempt), ``error`` (tracebacks). The processes are forked, so
    ``open_index`` may be a closure.
    """
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    results: multiprocessing.Queue[tuple[str, str]] = context.Queue()
    shared_ids = [f"shared-{i}" for i in range(shared)]
    processes = [context.Process(target=_add_all, args=(
        open_index, [f"p{p}-{i}" for i in range(own)], shared_ids, barrier, results))
        for p in range(2)]
    for process in processes:
        process.start()
    outcomes: dict[str, list[str]] = {"added": [], "duplicate": [], "error": [], "done": []}
    while len(outcomes["done"]) + len(outcomes["error"]) < 2:
        kind, value = results.get(timeout=240)
        outcomes[kind].append(value)
    for process in processes:
        process.join(timeout=60)
    return outcomes


def _open_with(open_index: Callable[[float], NearDuplicateIndex], threshold: float,
               barrier: Barrier, results: multiprocessing.Queue[tuple[str, str]],
               slow_reads: type | None) -> None:
    try:
        if slow_reads is not None:
            # Widen the window between reading the metadata and writing it, as a
            # slow disk or a busy machine does; the race then loses every time.
            read = slow_reads.read_meta

            def read_slowly(self: object) -> dict[str, str]:
                meta: dict[str, str] = read(self)
                time.sleep(0.3)
                return meta
            slow_reads.read_meta = read_slowly  # type: ignore[attr-defined]
        barrier.wait(timeout=60)
        with open_index(threshold) as index:
            doc_id = f"made-at-{threshold}"
            index.add(doc_id, text_of(doc_id))
        results.put(("opened", str(threshold)))
    except BaseException as error:  # the refusal is the result under test
        results.put((type(error).__name__, str(error)))


def create_from_two_processes(open_index: Callable[[float], NearDuplicateIndex],
                              thresholds: tuple[float, float], *,
                              slow_reads: type | None = None) -> list[tuple[str, str]]:
    """Create one index from two processes at once, each with its own threshold.

    ``slow_reads``: a store class whose ``read_meta`` is made to take 0.3 s
    in the children, so that both read before either writes.
    """
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    results: multiprocessing.Queue[tuple[str, str]] = context.Queue()
    processes = [context.Process(target=_open_with, args=(open_index, threshold, barrier,
                                                          results, slow_reads))
                 for threshold in thresholds]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    return sorted(outcomes)
