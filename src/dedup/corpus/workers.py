"""Where the pipeline's batches run: in this process or on a pool, results in order.

Results come back in the order the tasks were given, whatever order the
workers finish in, which is why ``workers=N`` writes what ``workers=1`` writes.
Only a few tasks are in flight at a time, so the reader never runs far ahead
and memory stays bounded.
"""

from __future__ import annotations

import collections
import logging
import multiprocessing
import multiprocessing.pool
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["WorkerPool"]

logger = logging.getLogger(__name__)

_T = TypeVar("_T")
_R = TypeVar("_R")

#: How long :meth:`WorkerPool.terminate` waits for the pool to shut down. CPython's
#: ``Pool.terminate()`` can wait forever for its task thread when a worker it killed held
#: a queue's lock (python/cpython#96995; seen here once in CI, in the test of a full disk
#: in a worker: the task thread blocked in ``outqueue.put``). By then the workers are
#: stopped; only the pool's daemon threads are left, so the run goes on to report its error.
TERMINATE_WAIT = 10.0


class WorkerPool:
    """Run a function over tasks in order, in-process or on a pool, few tasks in flight.

    With several workers the pool is started at once, before any progress bar
    starts a thread: on POSIX it forks (fast, and it works whatever the main
    module is: a script, a notebook, ``python -``); elsewhere, or when the
    caller already runs threads, it spawns.
    """

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._pool: multiprocessing.pool.Pool | None = None
        if workers > 1:
            methods = multiprocessing.get_all_start_methods()
            method = "fork" if "fork" in methods and threading.active_count() == 1 else "spawn"
            self._pool = multiprocessing.get_context(method).Pool(workers)

    def map(self, function: Callable[[_T], _R], tasks: Iterable[_T]) -> Iterator[_R]:
        iterator = iter(tasks)
        first = next(iterator, None)
        if first is None:
            return
        second = next(iterator, None)
        if self._pool is None or second is None:
            yield function(first)
            if second is not None:
                yield function(second)
                for task in iterator:
                    yield function(task)
            return
        pending: collections.deque[multiprocessing.pool.AsyncResult[_R]] = collections.deque()
        window = 2 * self._workers  # bounded: the reader never runs far ahead of the workers
        for task in (first, second):
            pending.append(self._pool.apply_async(function, (task,)))
        for task in iterator:
            pending.append(self._pool.apply_async(function, (task,)))
            while len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def submit(self, function: Callable[[_T], _R], task: _T) -> Callable[[], _R]:
        """Start one task beside the caller's own work; return what waits for its result.

        In-process (one worker) the task runs at once, before the caller goes on.
        """
        if self._pool is None:
            result = function(task)
            return lambda: result
        return self._pool.apply_async(function, (task,)).get

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def terminate(self) -> None:
        """Stop the workers at once (a run failed), waiting at most :data:`TERMINATE_WAIT`."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None

        def stop() -> None:
            pool.terminate()
            pool.join()

        stopping = threading.Thread(target=stop, name="dedup-pool-terminate", daemon=True)
        stopping.start()
        stopping.join(TERMINATE_WAIT)
        if stopping.is_alive():
            # Pool keeps its processes in ``_pool``; kill any left (terminate() sends them
            # SIGTERM before it joins its threads, so normally none is).
            for process in getattr(pool, "_pool", ()):
                if process.is_alive():
                    process.kill()
            logger.debug("the worker pool did not shut down in %.0f s; its threads are left "
                         "behind (python/cpython#96995)", TERMINATE_WAIT)
