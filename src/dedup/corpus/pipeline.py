"""dedup.run(): the whole job on a corpus, the reference engine.

read → clean → learn cross-document boilerplate → remove it → exact and near
duplicates → write ``documents.jsonl``, ``manifest.jsonl``, ``summary.json``
and ``report.html``.

How it stays correct at scale:

* Streaming. Records are read lazily and processed in fixed batches; each
  batch's intermediate result goes to a spill file under ``DIR/.dedup-work``.
  Only line statistics, ids and the duplicate index live in memory, never the
  documents.
* Workers. Batches are cut from the input order alone, each batch's work is a
  pure function of its records and of what was learnt from all of them, and
  results are gathered in batch order, so ``workers=N`` writes exactly what
  ``workers=1`` writes.
* Resume. Spill files and outputs are written atomically (temporary file, then
  rename), and the work folder is named by a fingerprint of the inputs and the
  configuration. A run killed at any point (or stopped by a full disk) and
  started again with the same command skips the batches already done and
  writes the same outputs.
* Commit. The outputs are written to ``DIR/.dedup-work/outputs/`` and then
  renamed into ``DIR`` in a fixed order: documents, ``manifest.jsonl``,
  ``report.html``, and ``summary.json`` last, the mark of a complete run; the
  work folder goes only after that. A rerun that finds every output written
  only finishes the renames (:mod:`dedup.corpus.folder`).
* One run per folder. ``DIR/.dedup-lock`` (an OS lock, dropped when its
  process dies) stops a second run into the same folder at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass, replace
from pathlib import Path

import dedup
from dedup.config import fingerprint
from dedup.corpus import io
from dedup.corpus.crossdoc import BoilerplateModel, LineStatistics
from dedup.corpus.dedupe import FingerprintBatch, fingerprint_batch, group_fingerprints
from dedup.corpus.duplicates import DuplicateFindings, findings_of
from dedup.corpus.folder import OUTPUT_NAMES, WORK_DIR, OutputFolder, open_output
from dedup.corpus.frames import Frame
from dedup.corpus.manifest import RunSummary
from dedup.corpus.outputs import finish_run, import_pyarrow, write_documents
from dedup.corpus.progress import (
    Phase,
    Progress,
    ProgressFactory,
    ReadProgress,
    Tracker,
    progress_factory,
)
from dedup.corpus.spill import read_spill, spill_path, write_spill
from dedup.corpus.steps import (
    Row,
    RunConfig,
    clean_row,
    count_rows,
    finish_row,
    is_rejected,
    match_text,
    repeated_id,
)
from dedup.corpus.workers import WorkerPool
from dedup.document import InputRecord, Rejection
from dedup.errors import ConfigError

__all__ = ["OUTPUT_NAMES", "WORK_DIR", "RunConfig", "run"]

logger = logging.getLogger(__name__)

#: A batch also ends at this many characters, so one huge record does not drag others along.
_BATCH_CHARS = 8_000_000


# ---------------------------------------------------------------- inputs

Inputs = (str | os.PathLike[str] | Sequence[str | os.PathLike[str]]
          | Iterable[Mapping[str, object]] | Frame)


def _open_inputs(inputs: object, config: RunConfig, *, on_read: Callable[[int], None]
                 ) -> tuple[Iterator[InputRecord | Rejection], str | None, Phase]:
    """Return the record stream, an identity of the input for resuming (None: no resume)
    and the reading phase, whose progress ``on_read`` hears."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    if (isinstance(inputs, Sequence) and not isinstance(inputs, (bytes, bytearray))
            and all(isinstance(p, (str, os.PathLike)) for p in inputs)):
        files = io.list_input_files(inputs, include=config.include, exclude=config.exclude)
        records = io.read_files(files, text_field=config.text_field,
                                id_field=config.id_field, on_read=on_read)
        if any(f.format == "stdin" for f in files):
            logger.warning("standard input cannot be read again: this run cannot be resumed")
            # Standard input has no size: the bar counts bytes without a total.
            return records, None, Phase(name="read and clean", unit="bytes")
        identity = [[f.path.as_posix(), f.size, f.modified_ns] for f in files]
        return records, json.dumps(identity), Phase(
            name="read and clean", unit="bytes", total=sum(f.size for f in files))
    # Dicts, or a DataFrame or table read by rows (dedup.corpus.frames); anything else
    # (one dict, a column, bytes) is a TypeError naming its type, before anything is written.
    rows = io.read_records(inputs, text_field=config.text_field,  # type: ignore[arg-type]
                           id_field=config.id_field)
    total = len(inputs) if isinstance(inputs, Sized) else None
    return _counted(rows, on_read), None, Phase(name="read and clean", unit="documents",
                                                 total=total)


def _counted(records: Iterator[InputRecord | Rejection], on_read: Callable[[int], None]
             ) -> Iterator[InputRecord | Rejection]:
    for record in records:
        on_read(1)
        yield record


@dataclass(frozen=True, slots=True, kw_only=True)
class _Batch:
    index: int
    first_ordinal: int
    items: tuple[InputRecord | Rejection, ...]


def _batches(records: Iterable[InputRecord | Rejection], size: int) -> Iterator[_Batch]:
    """Cut the stream into batches by input order alone; reject ids seen before."""
    seen: dict[str, str] = {}
    items: list[InputRecord | Rejection] = []
    chars = 0
    index = 0
    ordinal = 0
    for record in records:
        if isinstance(record, InputRecord):
            first = seen.get(record.id)
            if first is not None:
                record = repeated_id(record, first)
            else:
                seen[record.id] = record.location
                chars += len(record.text)
        items.append(record)
        if len(items) >= size or chars >= _BATCH_CHARS:
            yield _Batch(index=index, first_ordinal=ordinal, items=tuple(items))
            ordinal += len(items)
            index += 1
            items = []
            chars = 0
    if items:
        yield _Batch(index=index, first_ordinal=ordinal, items=tuple(items))


# ---------------------------------------------------------------- stage 1: clean and count

@dataclass(frozen=True, slots=True, kw_only=True)
class _CleanTask:
    work: str
    batch: _Batch
    config: RunConfig


def _clean_batch(task: _CleanTask) -> tuple[LineStatistics, int]:
    """Clean one batch into its spill file (unless a previous run did) and count its lines."""
    path = spill_path(Path(task.work), "clean", task.batch.index)
    done = spill_path(Path(task.work), "final", task.batch.index)
    units_field = "u"
    if done.exists():  # a resumed run: stage 2 already finished this batch
        rows: list[Row] = list(read_spill(done))
        units_field = "lines"
    elif path.exists():
        rows = list(read_spill(path))
    else:
        rows = [clean_row(task.batch.first_ordinal + offset, record, task.config)
                for offset, record in enumerate(task.batch.items)]
        write_spill(path, rows)
    return count_rows(rows, task.config, units_field=units_field), len(rows)


# ---------------------------------------------------- stage 2: remove corpus boilerplate

@dataclass(frozen=True, slots=True, kw_only=True)
class _FinishTask:
    work: str
    index: int
    model: BoilerplateModel
    config: RunConfig


@dataclass(frozen=True, slots=True, kw_only=True)
class _Finished:
    """A finished batch: the ids of its matchable documents and their fingerprints."""

    ids: tuple[str, ...]
    fingerprints: FingerprintBatch | None


def _finish_batch(task: _FinishTask) -> _Finished:
    """Remove the learnt boilerplate from one batch, write its final spill file, fingerprint it.

    Fingerprinting here, where the batch's texts already are, spares the main
    process reading every text back and fingerprinting the corpus on one core;
    only the compact fingerprints travel back. Rejected rows are not matched.
    """
    work = Path(task.work)
    source = spill_path(work, "clean", task.index)
    target = spill_path(work, "final", task.index)
    if target.exists():  # a resumed run finished this batch: fingerprint it again
        rows = list(read_spill(target))
    else:
        rows = [finish_row(row, task.model, task.config) for row in read_spill(source)]
        write_spill(target, rows)
        source.unlink()
    matchable = [row for row in rows if not is_rejected(row)]
    if not matchable:
        return _Finished(ids=(), fingerprints=None)
    # Workers never choose representatives (as in deduplicate): a key callable need not travel.
    dedupe = replace(task.config.dedupe, representative="first")
    fingerprints = fingerprint_batch([match_text(row) for row in matchable], dedupe,
                                     clean_config=None, keep_texts=task.config.passages,
                                     inputs=[str(row["n"]) for row in matchable])
    return _Finished(ids=tuple(str(row["id"]) for row in matchable), fingerprints=fingerprints)


def _marked(batches: Iterator[_Batch], reading: ReadProgress) -> Iterator[_Batch]:
    """Note where each batch ends in the input, for the reading phase's progress."""
    for batch in batches:
        reading.mark()
        yield batch


def _batches_done(work: Path) -> set[str]:
    """Return the batches a previous run in ``work`` finished cleaning (their spill names)."""
    return {path.name.split("-", 1)[1] for stage in ("clean", "final")
            for path in work.glob(f"{stage}-*.jsonl")}


# ---------------------------------------------------------------- the run

def run(
    inputs: Inputs,
    *,
    out: str | os.PathLike[str],
    config: RunConfig | None = None,
    workers: int | None = None,
    overwrite: bool = False,
    progress: Progress = False,
) -> RunSummary:
    """Clean and deduplicate a corpus; write documents, manifest, summary and report to ``out``.

    Added in 0.1.

    Args:
        inputs: files and folders (text, JSONL, JSONL.gz, Parquet), an iterable
            of dicts, or a pandas DataFrame.
        out: the output folder; it must be empty, hold an interrupted run of
            the same inputs and config (which is resumed), or ``overwrite``.
        config: what to do; see :class:`RunConfig`.
        workers: processes to use (default: all cores). The outputs do not
            depend on it.
        overwrite: replace the outputs of an earlier run in ``out``.
        progress: ``True`` for a progress bar per phase on stderr (read and
            clean, remove learnt boilerplate, find duplicates, write), with a
            total and an ETA when the input's size is known; or a factory of
            trackers (see :mod:`dedup.corpus.progress`). Nothing by default.

    Raises:
        ConfigError: ``out`` is not empty and ``overwrite`` is False.
        InputError: an input path does not exist.
        OutputLockedError: another run is writing to ``out``.
        OutputWriteError: the disk refused a write (full, quota, read-only,
            permission); it names the file. Fix the cause and call ``run``
            again with the same arguments to resume.

    >>> import tempfile
    >>> summary = run([{"id": "a", "text": "Hello there."}, {"id": "b", "text": "Hello there."}],
    ...               out=tempfile.mkdtemp(), workers=1)
    >>> summary.kept, summary.duplicates
    (1, 1)
    """
    config = config or RunConfig()
    workers = workers if workers is not None else _available_cores()
    if workers < 1:
        raise ConfigError(f"workers={workers!r} is invalid: expected an integer >= 1")
    out_path = Path(out)
    bars = progress_factory(progress)
    if config.output_format == "parquet":
        import_pyarrow()  # a missing extra is reported before any work, not after it
    reading = ReadProgress()
    records, input_identity, reading_phase = _open_inputs(inputs, config,
                                                          on_read=reading.read)
    identity = hashlib.blake2b(
        json.dumps([dedup.__version__, fingerprint(config), input_identity]).encode("utf-8"),
        digest_size=12).hexdigest()
    if input_identity is None:
        # In-memory records cannot be re-read by a later process: never resume them.
        identity += f"-{os.getpid()}-{time.time_ns()}"
    with open_output(out_path, identity=identity, overwrite=overwrite,
                     resumable=input_identity is not None) as folder:
        finished = folder.finished_summary()
        if finished is not None:  # killed after writing every output: finish the commit
            logger.info("the outputs in %s are complete; finishing their commit", out_path)
            folder.commit(finished.outputs)
            return finished
        summary = _run_in(folder, records, config, workers=workers, bars=bars,
                          reading=reading, reading_phase=reading_phase)
    logger.info("run done: %s records, %s kept, %s duplicates, %s rejected", summary.records,
                summary.kept, summary.duplicates, summary.rejected)
    return summary


def _run_in(folder: OutputFolder, records: Iterable[InputRecord | Rejection],
            config: RunConfig, *, workers: int, bars: ProgressFactory, reading: ReadProgress,
            reading_phase: Phase) -> RunSummary:
    """Every stage of the run in a locked output folder, then the commit of its outputs.

    ``reading`` hears the input being read; each stage reports to a tracker from ``bars``.
    """
    work = folder.work
    resumed = len(_batches_done(work))
    if resumed:
        # A warning, so the command line says it without -v: the outputs will
        # include the work of an earlier, interrupted run of the same command.
        logger.warning("resuming the interrupted run in %s: %d batches already done",
                       folder.out.as_posix(), resumed)
    pool = WorkerPool(workers)
    timings: dict[str, float] = {}
    try:
        started = time.perf_counter()
        model, batch_sizes = _clean_and_learn(pool, work, records, config, bars=bars,
                                              reading=reading, reading_phase=reading_phase)
        if resumed:
            logger.info("resumed: %d of %d batches were already done", resumed,
                        len(batch_sizes))
        timings["read_clean"] = time.perf_counter() - started

        started = time.perf_counter()
        batch_count = len(batch_sizes)
        documents = sum(batch_sizes)
        finish = (_FinishTask(work=str(work), index=i, model=model, config=config)
                  for i in range(batch_count))
        bar = bars(Phase(name="remove learnt boilerplate", unit="documents", total=documents))
        ids: list[str] = []
        grouping_bar: list[Tracker] = []

        def fingerprinted() -> Iterator[FingerprintBatch]:
            # Batches come back in input order, so ``ids`` is in the order the grouping reads.
            for size, finished in zip(batch_sizes, pool.map(_finish_batch, finish), strict=True):
                ids.extend(finished.ids)
                bar.update(size)
                if finished.fingerprints is not None:
                    yield finished.fingerprints
            bar.close()
            timings["cross_doc"] = time.perf_counter() - started
            grouping_bar.append(bars(Phase(name="find duplicates", unit="documents",
                                           total=documents)))

        result = group_fingerprints(ids, fingerprinted(), config.dedupe)
        findings = findings_of(result)
        grouping_bar[0].update(documents)
        grouping_bar[0].close()
        timings["dedupe"] = time.perf_counter() - started - timings["cross_doc"]

        spills = [spill_path(work, "final", i) for i in range(batch_count)]

        def documents_apart(into: Path) -> Callable[[], None]:
            # A worker writes the documents and the manifest while this process
            # writes the report: each reads the final spill files on its own.
            return pool.submit(_write_documents, _WriteTask(
                work=str(work), batches=batch_count, into=str(into), findings=findings,
                config=config))

        rows = (row for path in spills for row in read_spill(path))
        summary = finish_run(folder, rows, findings, model, config,
                             progress=bars(Phase(name="write", unit="documents",
                                                 total=documents)),
                             timings=timings, documents_apart=documents_apart)
    except BaseException:
        pool.terminate()
        raise
    pool.close()
    return summary


def _clean_and_learn(pool: WorkerPool, work: Path, records: Iterable[InputRecord | Rejection],
                     config: RunConfig, *, bars: ProgressFactory, reading: ReadProgress,
                     reading_phase: Phase) -> tuple[BoilerplateModel, list[int]]:
    """Stage 1: clean every batch on the pool; learn the boilerplate; return it and batch sizes.

    A function of its own so that the line statistics and the ids seen (most
    of the main process's 560 MB when this stage ended on a million synthetic
    documents) are freed on return, before the fingerprints and findings grow.
    """
    stats = LineStatistics()
    batch_sizes: list[int] = []
    tasks = (_CleanTask(work=str(work), batch=batch, config=config)
             for batch in _marked(_batches(records, config.batch_size), reading))
    bar = reading.tracker(bars(reading_phase))
    for batch_stats, size in pool.map(_clean_batch, tasks):
        stats.merge(batch_stats)
        batch_sizes.append(size)
        bar.update(1)
    bar.close()
    return stats.learn(config.cross_doc), batch_sizes


@dataclass(frozen=True, slots=True, kw_only=True)
class _WriteTask:
    work: str
    batches: int
    into: str
    findings: DuplicateFindings
    config: RunConfig


def _write_documents(task: _WriteTask) -> None:
    """Write the documents and the manifest from the final spill files (the write step's half)."""
    spills = (spill_path(Path(task.work), "final", i) for i in range(task.batches))
    write_documents(Path(task.into), (row for path in spills for row in read_spill(path)),
                    task.findings, task.config)


def _available_cores() -> int:
    # The cores this process may run on (a container or taskset can allow fewer than exist).
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1
