"""The worker pool: results in order, and a failed run's pool never hangs the run."""

from __future__ import annotations

import threading
import time

import pytest

from dedup.corpus import workers
from dedup.corpus.workers import WorkerPool


def _square(number: int) -> int:
    return number * number


@pytest.mark.parametrize("count", [1, 2])
def test_results_come_back_in_task_order(count: int) -> None:
    pool = WorkerPool(count)
    try:
        assert list(pool.map(_square, range(20))) == [n * n for n in range(20)]
    finally:
        pool.close()


def test_terminate_stops_a_real_pool() -> None:
    pool = WorkerPool(2)
    assert list(pool.map(_square, range(6))) == [0, 1, 4, 9, 16, 25]
    pool.terminate()
    pool.terminate()  # a second call is a no-op


class _Process:
    def __init__(self) -> None:
        self.killed = False

    def is_alive(self) -> bool:
        return not self.killed

    def kill(self) -> None:
        self.killed = True


class _StuckPool:
    """A pool whose terminate() never returns, as CPython's can (python/cpython#96995)."""

    def __init__(self) -> None:
        self._pool = [_Process(), _Process()]
        self.release = threading.Event()

    def terminate(self) -> None:
        self.release.wait()

    def join(self) -> None:
        pass


def test_a_pool_that_does_not_shut_down_does_not_hang_the_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "TERMINATE_WAIT", 0.2)
    stuck = _StuckPool()
    pool = WorkerPool(1)
    pool._pool = stuck  # type: ignore[assignment]
    started = time.monotonic()
    pool.terminate()
    assert time.monotonic() - started < 5
    assert all(process.killed for process in stuck._pool)
    stuck.release.set()
