"""Progress: each phase of a job is labelled, sized when the input's size is known, and
counted to its end; the library shows nothing unless asked."""

from __future__ import annotations

import gzip
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import dedup
from dedup.corpus import pipeline
from dedup.corpus.io import list_input_files, read_files
from dedup.corpus.progress import Phase, ReadProgress, Tracker, progress_factory
from dedup.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Recorded:
    """One phase as a job reported it: what it said up front, and every update."""

    phase: Phase
    updates: list[int] = field(default_factory=list)
    closed: bool = False

    def update(self, amount: int) -> None:
        assert not self.closed, f"{self.phase.name}: updated after close"
        self.updates.append(amount)

    def close(self) -> None:
        self.closed = True


@dataclass
class Recorder:
    phases: list[Recorded] = field(default_factory=list)

    def __call__(self, phase: Phase) -> Tracker:
        self.phases.append(Recorded(phase))
        return self.phases[-1]

    def named(self, name: str) -> Recorded:
        (recorded,) = [p for p in self.phases if p.phase.name == name]
        return recorded


def _story(number: int) -> str:
    return (f"Story {number} says the harbour at town {number} opened a new pier, "
            f"which {number * 7} boats used in its first week of trade.")


def _mixed_folder(folder: Path) -> int:
    """Write text, JSONL and JSONL.gz files holding 7 records; return their total size."""
    (folder / "news").mkdir(parents=True)
    for number in range(3):
        (folder / "news" / f"{number}.txt").write_text(_story(number), encoding="utf-8")
    lines = "".join(json.dumps({"id": f"j{n}", "text": _story(n + 10)}) + "\n" for n in range(2))
    (folder / "more.jsonl").write_text(lines, encoding="utf-8")
    (folder / "packed.jsonl.gz").write_bytes(gzip.compress(
        "".join(json.dumps({"id": f"g{n}", "text": _story(n + 20)}) + "\n"
                for n in range(2)).encode()))
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def test_a_folder_run_reports_every_phase_sized_and_counted_to_its_end(
        tmp_path: Path) -> None:
    size = _mixed_folder(tmp_path / "corpus")
    recorder = Recorder()

    dedup.run([tmp_path / "corpus"], out=tmp_path / "out", workers=1,
              config=dedup.RunConfig(batch_size=2), progress=recorder)

    assert [p.phase.name for p in recorder.phases] == [
        "read and clean", "remove learnt boilerplate", "find duplicates", "write"]
    reading = recorder.named("read and clean")
    assert reading.phase.unit == "bytes"
    assert reading.phase.total == size
    assert len(reading.updates) > 1  # it moves batch by batch, not once at the end
    for recorded in recorder.phases:
        assert recorded.closed
        assert sum(recorded.updates) == recorded.phase.total, recorded.phase.name
        if recorded is not reading:
            assert (recorded.phase.unit, recorded.phase.total) == ("documents", 7)


def test_in_memory_rows_are_counted_in_documents(tmp_path: Path) -> None:
    rows = [{"id": str(n), "text": _story(n)} for n in range(9)]
    recorder = Recorder()

    dedup.run(rows, out=tmp_path / "listed", workers=1, progress=recorder,
              config=dedup.RunConfig(batch_size=4))
    dedup.run(iter(rows), out=tmp_path / "streamed", workers=1, progress=recorder,
              config=dedup.RunConfig(batch_size=4))

    listed, streamed = (p for p in recorder.phases if p.phase.name == "read and clean")
    assert (listed.phase.unit, listed.phase.total, listed.updates) == ("documents", 9, [4, 4, 1])
    assert (streamed.phase.total, sum(streamed.updates)) == (None, 9)


def test_reading_hears_each_file_up_to_its_listed_size(tmp_path: Path) -> None:
    size = _mixed_folder(tmp_path)
    heard: list[tuple[int, str]] = []
    total = 0

    def on_read(amount: int) -> None:
        nonlocal total
        assert amount > 0
        total += amount

    for record in read_files(list_input_files([tmp_path]), on_read=on_read):
        heard.append((total, record.id))

    assert total == size
    positions = [position for position, _ in heard]
    assert positions == sorted(positions)
    # A record is heard of before it is handed on: the first one's bytes are counted.
    assert positions[0] > 0


def test_parquet_rows_share_out_the_file_size(tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is missing")
    import pyarrow.parquet as pq

    path = tmp_path / "rows.parquet"
    pq.write_table(pyarrow.table({"id": [str(n) for n in range(4)],
                                  "text": [_story(n) for n in range(4)]}), path)
    heard: list[int] = []

    records = list(read_files(list_input_files([path]), on_read=heard.append))

    assert len(records) == 4
    assert len(heard) == 4
    assert sum(heard) == path.stat().st_size


def test_deduplicate_counts_its_documents_and_knows_the_total_of_a_list() -> None:
    docs = [("a", "The pier opened."), ("b", "The pier opened."), ("c", 3)]
    recorder = Recorder()

    dedup.deduplicate(docs, progress=recorder, batch_size=1,  # type: ignore[arg-type]
                      on_error="record")
    dedup.deduplicate(iter(docs[:2]), progress=recorder)

    listed, streamed = recorder.phases
    assert listed.phase == Phase(name="fingerprint", unit="documents", total=3)
    assert sum(listed.updates) == 3  # the rejected one too
    assert listed.closed
    assert (streamed.phase.total, sum(streamed.updates)) == (None, 2)


def test_finished_units_advance_by_the_input_they_took() -> None:
    reading = ReadProgress()
    recorded = Recorded(Phase(name="read", unit="bytes", total=60))
    tracker = reading.tracker(recorded)
    for size in (10, 20, 30):
        reading.read(size)
        reading.mark()

    tracker.update(2)
    tracker.update(5)  # more units than were marked: no more than was read
    tracker.close()

    assert recorded.updates == [30, 30]
    assert recorded.closed


def test_progress_must_be_a_bool_or_a_factory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="progress='yes' is invalid"):
        progress_factory("yes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="progress="):
        dedup.run([{"text": "x"}], out=tmp_path / "out", progress="yes")  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_progress_true_draws_labelled_bars_on_stderr(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"id": str(n), "text": _story(n)} for n in range(12)]

    dedup.run(rows, out=tmp_path / "out", config=dedup.RunConfig(batch_size=5), workers=1,
              progress=True)

    captured = capsys.readouterr()
    assert captured.out == ""
    for name in ("read and clean", "remove learnt boilerplate", "find duplicates", "write"):
        assert f"{name}: 100%" in captured.err
    assert "12/12" in captured.err


def _interrupt_after_cleaning(corpus: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def stop(task: object) -> None:
        raise RuntimeError("stopped after cleaning")

    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "_finish_batch", stop)
        with pytest.raises(RuntimeError, match="stopped after cleaning"):
            dedup.run([corpus], out=out, workers=1, config=dedup.RunConfig(batch_size=20))


def test_a_resumed_run_says_how_many_batches_were_done(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _interrupt_after_cleaning(corpus, out, monkeypatch)

    with caplog.at_level(logging.INFO, logger="dedup"):
        dedup.run([corpus], out=out, workers=1, config=dedup.RunConfig(batch_size=20))

    messages = [r.getMessage() for r in caplog.records if r.name == "dedup.corpus.pipeline"]
    assert f"resuming the interrupted run in {out.as_posix()}: 7 batches already done" \
        in messages
    assert "resumed: 7 of 7 batches were already done" in messages
    warned = [r for r in caplog.records if "resuming the interrupted" in r.getMessage()]
    assert warned[0].levelno == logging.WARNING  # shown by the command line without -v
    assert capsys.readouterr() == ("", "")  # logged, never printed


def test_the_library_prints_and_logs_nothing_by_default(tmp_path: Path) -> None:
    # A fresh interpreter without logging configured: Python's last-resort handler
    # would print any warning the library let through; a resumed run warns.
    script = f"""
import dedup
from dedup.corpus import pipeline
corpus = [{str(tmp_path / 'c')!r}]
import pathlib
folder = pathlib.Path(corpus[0]); folder.mkdir()
for n in range(30):
    (folder / f"{{n}}.txt").write_text(f"Story {{n}} about pier {{n}} and its {{n * 7}} boats.")
finish = pipeline._finish_batch
def stop(task):
    raise RuntimeError("stopped")
pipeline._finish_batch = stop
try:
    dedup.run(corpus, out={str(tmp_path / 'out')!r}, workers=1,
              config=dedup.RunConfig(batch_size=8))
except RuntimeError:
    pass
pipeline._finish_batch = finish
summary = dedup.run(corpus, out={str(tmp_path / 'out')!r}, workers=1,
                    config=dedup.RunConfig(batch_size=8))
dedup.deduplicate(["a b c", "a b c"])
assert summary.records == 30, summary
"""
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              timeout=120, check=False, cwd=ROOT,
                              env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})

    assert finished.returncode == 0, finished.stderr
    assert (finished.stdout, finished.stderr) == ("", "")


def test_a_bar_is_made_once_the_pool_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # With workers, deduplicate opens its phase after the pool's processes started,
    # so no thread of a bar is alive when they fork.
    order: list[str] = []
    recorder = Recorder()

    def factory(phase: Phase) -> Tracker:
        import multiprocessing

        order.append(f"children={len(multiprocessing.active_children())}")
        return recorder(phase)

    docs: Iterator[str] = iter([f"story {n} of the pier and its boats" for n in range(6)])
    dedup.deduplicate(docs, workers=2, batch_size=2, progress=factory)

    assert order == [order[0]]
    assert order[0] != "children=0"
    assert sum(recorder.phases[0].updates) == 6
