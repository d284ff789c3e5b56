"""Progress of a long job: the phases it reports, and tqdm bars to show them.

The library never prints on its own. A long job (:func:`dedup.run`,
:func:`dedup.deduplicate`) takes ``progress``: ``False`` (the default: nothing
is shown), ``True`` (a tqdm bar per phase on standard error, a widget in a
notebook), or a :data:`ProgressFactory` of the caller's own, called once per
:class:`Phase` and handed what the phase got through (``update``) until it
ends (``close``). The command line turns bars on when standard error is a
terminal.

A phase counts in the unit its size is known in before it starts: input
**bytes** for files (the listing gives every size, so the total and an ETA come
for free, whatever the format), or **documents** (rows of a frame or a list,
the records a run has already read). See ``docs/progress.md``.

>>> seen = []
>>> def note(phase):
...     seen.append(phase.name)
...     return SILENT
>>> progress_factory(note)(Phase(name="write", unit="documents", total=3)).update(3)
>>> seen
['write']
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Literal, Protocol

from dedup.errors import ConfigError

__all__ = [
    "SILENT",
    "Phase",
    "Progress",
    "ProgressFactory",
    "ReadProgress",
    "Tracker",
    "progress_factory",
    "terminal_bar",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Phase:
    """One labelled stretch of a job, in the unit its progress is counted in.

    ``total`` is None when the size is not known before the phase ends (a
    generator of documents).
    """

    name: str
    unit: Literal["bytes", "documents"]
    total: int | None = None


class Tracker(Protocol):
    """What a phase reports to: how much more it got through, and that it ended."""

    def update(self, amount: int) -> None: ...

    def close(self) -> None: ...


#: Makes the tracker of each phase; a tqdm class (``lambda phase: tqdm(...)``) will do.
ProgressFactory = Callable[[Phase], Tracker]
#: What a job's ``progress=`` takes.
Progress = bool | ProgressFactory


class _Silent:
    """The tracker of a job nobody watches."""

    def update(self, amount: int) -> None:
        pass

    def close(self) -> None:
        pass


SILENT: Tracker = _Silent()


def _silent(phase: Phase) -> Tracker:
    return SILENT


def progress_factory(progress: Progress) -> ProgressFactory:
    """Return the factory a job's ``progress=`` argument stands for.

    Raises:
        ConfigError: ``progress`` is neither a bool nor callable.
    """
    if progress is True:
        return terminal_bar
    if progress is False:
        return _silent
    if callable(progress):
        return progress
    raise ConfigError(f"progress={progress!r} is invalid: expected True, False or a "
                      "callable that takes a Phase and returns a tracker")


def terminal_bar(phase: Phase, *, file: IO[str] | None = None) -> Tracker:
    """Return a tqdm bar for ``phase`` on ``file`` (standard error), a widget in a notebook.

    Bytes are shown scaled (``12.3M/27.1M``, ``1.20MB/s``), documents as
    counts; a known total gives a percentage and an ETA. The bar stays on
    screen when its phase ends, with the phase's time and rate.
    """
    from tqdm.auto import tqdm

    class Bar(tqdm):  # type: ignore[misc]
        # No monitor thread: a thread alive when a worker pool forks can deadlock
        # it (Python 3.12 warns). Bars are updated often enough without it.
        monitor_interval = 0

    in_bytes = phase.unit == "bytes"
    bar: Tracker = Bar(desc=phase.name, total=phase.total, file=file,
                       unit="B" if in_bytes else "doc", unit_scale=in_bytes,
                       unit_divisor=1024 if in_bytes else 1000, dynamic_ncols=True,
                       smoothing=0.1, leave=True)
    return bar


class ReadProgress:
    """Work done on records, shown as the share of the input read for them.

    A reader runs ahead of the work (a pool has batches in flight), so a bar
    fed with bytes as they are read would run ahead too. Here the reader
    reports what it read (:meth:`read`, in bytes or in records) and the job
    notes where each unit of work (a record, a batch) ends in the input
    (:meth:`mark`); the tracker from :meth:`tracker` then counts finished
    units and advances its bar by the input they took.

    >>> class Printed:
    ...     def update(self, amount): print("+", amount)
    ...     def close(self): print("end")
    >>> reading = ReadProgress()
    >>> reading.read(100); reading.mark(); reading.read(50); reading.mark(); reading.read(7)
    >>> done = reading.tracker(Printed())
    >>> done.update(1)
    + 100
    >>> done.close()
    + 57
    end
    """

    def __init__(self) -> None:
        self._read = 0
        self._shown = 0
        self._ends: collections.deque[int] = collections.deque()

    def read(self, amount: int) -> None:
        """Note that the reader got ``amount`` further into the input."""
        self._read += amount

    def mark(self) -> None:
        """Note that a unit of work ends at what was read so far."""
        self._ends.append(self._read)

    def tracker(self, bar: Tracker) -> Tracker:
        """Return a tracker of finished units that advances ``bar`` by the input they took."""
        return _UnitsOfInput(self, bar)

    def _advance(self, units: int) -> int:
        end = self._shown
        for _ in range(min(units, len(self._ends))):
            end = self._ends.popleft()
        gained, self._shown = end - self._shown, end
        return gained

    def _rest(self) -> int:
        gained, self._shown = self._read - self._shown, self._read
        self._ends.clear()
        return gained


class _UnitsOfInput:
    def __init__(self, reading: ReadProgress, bar: Tracker) -> None:
        self._reading = reading
        self._bar = bar

    def update(self, amount: int) -> None:
        gained = self._reading._advance(amount)
        if gained:
            self._bar.update(gained)

    def close(self) -> None:
        # Whatever was read and not yet shown is done now (the last partial unit,
        # records the job skipped), so a bar with a known total ends full.
        rest = self._reading._rest()
        if rest:
            self._bar.update(rest)
        self._bar.close()
