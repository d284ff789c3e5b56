"""The output phase: killed anywhere, stopped by a full disk, or raced by a second run.

Each case ends with the same command run again, which must write what an
uninterrupted run writes, account for every input record exactly once in
``manifest.jsonl``, and leave no work folder, lock or temporary file behind.
"""

from __future__ import annotations

import collections
import errno
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest
from tests.corpus.synthetic import run_outputs, write_corpus

import dedup
from dedup.cli import main as dedup_main
from dedup.corpus import folder, io, pipeline
from dedup.corpus.folder import LOCK_NAME, WORK_DIR
from dedup.corpus.pipeline import RunConfig, run
from dedup.errors import OutputLockedError, OutputWriteError

ROOT = Path(__file__).resolve().parents[2]
PAUSED_RUN = Path(__file__).with_name("paused_run.py")
BATCH = 5


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A corpus of many small batches, and the outputs of an uninterrupted run on it."""
    base = tmp_path_factory.mktemp("output-phase")
    corpus = write_corpus(base / "corpus.jsonl", documents=200)
    reference = base / "reference"
    run([corpus], out=reference, config=RunConfig(batch_size=BATCH), workers=1)
    return corpus, reference


def _arguments(corpus: Path, out: Path) -> list[str]:
    return ["run", str(corpus), "--out", str(out), "--workers", "1",
            "--batch-size", str(BATCH), "--quiet"]


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), str(ROOT), environment.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return environment


def _start_paused(point: str, corpus: Path, out: Path, marker: Path) -> subprocess.Popen[str]:
    """Start ``dedup run`` in a process that stops at ``point`` until told to go on."""
    process = subprocess.Popen(
        [sys.executable, str(PAUSED_RUN), point, str(marker), *_arguments(corpus, out)],
        env=_environment(), start_new_session=True, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            _, stderr = process.communicate(timeout=30)
            pytest.fail(f"the run did not reach {point!r}: {stderr!r}")
        time.sleep(0.01)
    return process


def _rerun(corpus: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """Run the same command again, with its INFO log (what it resumed) on stderr."""
    return subprocess.run([sys.executable, "-m", "dedup", "-v", *_arguments(corpus, out)],
                          env=_environment(), capture_output=True, text=True, timeout=300,
                          check=False)


def _assert_complete(out: Path, corpus: Path, reference: Path) -> None:
    """The outputs of an uninterrupted run, every record once, nothing of ours left over."""
    assert run_outputs(out) == run_outputs(reference)
    input_ids = [json.loads(line)["id"] for line in corpus.read_text("utf-8").splitlines()]
    manifest_ids = [json.loads(line)["id"]
                    for line in (out / "manifest.jsonl").read_text("utf-8").splitlines()]
    assert collections.Counter(manifest_ids) == collections.Counter(input_ids)
    assert len(manifest_ids) == len(input_ids)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["documents.jsonl", "manifest.jsonl", "report", "report.html", "summary.json"])


# ---------------------------------------------------------------- killed in the output phase

@pytest.mark.parametrize("point", ["manifest", "report", "commit", "cleanup"])
def test_run_killed_in_the_output_phase_resumes_to_identical_outputs(
        tmp_path: Path, point: str, reference_run: tuple[Path, Path]) -> None:
    corpus, reference = reference_run
    out = tmp_path / "out"
    process = _start_paused(point, corpus, out, tmp_path / "paused")
    killed_pid = process.pid
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    if process.stderr:
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert (out / WORK_DIR).is_dir()
    assert (out / LOCK_NAME).exists()  # the dead run's lock: taken over below
    spilled = sorted((out / WORK_DIR).glob("final-*.jsonl"))
    assert len(spilled) == 44  # every batch done (200 documents, 20 copies, batches of 5)
    if point in ("commit", "cleanup"):
        assert (out / "documents.jsonl").exists()  # part of the commit was done
    assert (out / "summary.json").exists() == (point == "cleanup")
    if point == "manifest":
        # What a kill left in DIR when outputs were not yet staged in the work folder.
        for name in (".documents.jsonl.k2x9_a1b.tmp", ".manifest.jsonl.q8r7s6t5.tmp"):
            (out / name).write_text('{"id":"torn', encoding="utf-8")

    finished = _rerun(corpus, out)

    assert finished.returncode == 0, finished.stderr
    assert f"from process {killed_pid}" in finished.stderr  # the stale lock, taken over
    assert "Traceback" not in finished.stderr
    _assert_complete(out, corpus, reference)
    assert "resuming the run in" in finished.stderr  # the batches were reused
    # Killed once every output was written: the rerun only finished the commit.
    assert ("finishing their commit" in finished.stderr) == (point in ("commit", "cleanup"))


def test_overwrite_removes_our_temporary_files_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".manifest.jsonl.abcd1234.tmp").write_text("torn", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / WORK_DIR).mkdir()
    (out / WORK_DIR / "FINGERPRINT").write_text("another run", encoding="utf-8")

    run([{"id": "a", "text": "Hello there."}], out=out, workers=1, overwrite=True)

    assert sorted(p.name for p in out.iterdir()) == [
        "documents.jsonl", "manifest.jsonl", "notes.txt", "report", "report.html",
        "summary.json"]


def test_a_work_folder_without_its_fingerprint_is_started_again(
        tmp_path: Path, reference_run: tuple[Path, Path]) -> None:
    # A run killed while creating its work folder leaves it without FINGERPRINT.
    corpus, reference = reference_run
    out = tmp_path / "out"
    (out / WORK_DIR).mkdir(parents=True)
    (out / WORK_DIR / ".FINGERPRINT.abcd1234.tmp").write_text("", encoding="utf-8")

    run([corpus], out=out, config=RunConfig(batch_size=BATCH), workers=1)

    _assert_complete(out, corpus, reference)


# ---------------------------------------------------------------- the lock

def test_a_second_run_into_a_folder_in_use_stops_with_one_line(
        tmp_path: Path, reference_run: tuple[Path, Path]) -> None:
    corpus, reference = reference_run
    out = tmp_path / "out"
    marker = tmp_path / "paused"
    first = _start_paused("report", corpus, out, marker)
    try:
        second = _rerun(corpus, out)
        in_process = None
        with pytest.raises(OutputLockedError) as raised:
            run([corpus], out=out, config=RunConfig(batch_size=BATCH), workers=1)
        in_process = raised.value
    finally:
        (tmp_path / "paused.go").touch()
        _, first_stderr = first.communicate(timeout=300)

    assert second.returncode == 2
    assert second.stderr.count("\n") == 1, second.stderr
    assert str(out) in second.stderr
    assert f"in use by process {first.pid}" in second.stderr
    assert in_process is not None
    assert in_process.pid == first.pid
    assert first.returncode == 0, first_stderr
    _assert_complete(out, corpus, reference)


def test_the_lock_is_released_when_a_run_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the duplicate step")
    monkeypatch.setattr(pipeline, "group_fingerprints", broken)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="a bug"):
        run([{"id": "a", "text": "x"}], out=out, workers=1)
    assert not (out / LOCK_NAME).exists()
    monkeypatch.undo()
    run([{"id": "a", "text": "x"}], out=out, workers=1, overwrite=True)
    assert (out / "summary.json").exists()


@pytest.fixture
def without_fcntl(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock as on a platform without fcntl: a file created exclusively, holding a pid."""
    monkeypatch.setattr(folder, "fcntl", None)


@pytest.fixture
def dead_pid() -> int:
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                             capture_output=True, text=True, check=True)
    return int(process.stdout)


@pytest.fixture
def live_pid() -> Iterator[int]:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process.pid
    process.kill()
    process.wait()


@pytest.mark.parametrize("exclusive", [False, True], ids=["flock", "exclusive-file"])
def test_a_stale_lock_is_taken_over_with_a_log_line(
        tmp_path: Path, exclusive: bool, dead_pid: int, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if exclusive:
        monkeypatch.setattr(folder, "fcntl", None)
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text(f"{dead_pid}\n", encoding="ascii")

    with caplog.at_level(logging.WARNING, logger="dedup.corpus.folder"):
        summary = run([{"id": "a", "text": "Hello there."}], out=out, workers=1)

    assert summary.kept == 1
    assert f"taking over the lock of {out.as_posix()} from process {dead_pid}" in caplog.text
    assert not (out / LOCK_NAME).exists()


def test_without_fcntl_a_live_holder_stops_the_run(
        tmp_path: Path, without_fcntl: None, live_pid: int) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text(f"{live_pid}\n", encoding="ascii")

    with pytest.raises(OutputLockedError, match=f"in use by process {live_pid}"):
        run([{"id": "a", "text": "Hello there."}], out=out, workers=1)
    assert (out / LOCK_NAME).read_text(encoding="ascii") == f"{live_pid}\n"
    assert not (out / WORK_DIR).exists()


def test_a_held_flock_stops_the_run_in_the_same_process(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = folder._Lock(out)
    holder.acquire()
    try:
        with pytest.raises(OutputLockedError, match=f"in use by process {os.getpid()}"):
            run([{"id": "a", "text": "Hello there."}], out=out, workers=1)
    finally:
        holder.release()
    assert run([{"id": "a", "text": "Hello there."}], out=out, workers=1).kept == 1


# ---------------------------------------------------------------- a full disk

class _FullDisk:
    """``io.json_line`` that fails with ENOSPC from the ``at``-th line on, until freed."""

    def __init__(self, at: int) -> None:
        self.at = at
        self.calls = 0
        self.freed = False
        self._json_line = io.json_line

    def __call__(self, value: Mapping[str, object], *,
                 foreign: Iterable[str] | None = None) -> str:
        self.calls += 1
        if not self.freed and self.calls >= self.at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._json_line(value, foreign=foreign)


# 200 documents and 20 copies: lines 1-440 are spill files, 441-880 the manifest and documents.
@pytest.mark.parametrize("at", [150, 600], ids=["spilling", "writing-outputs"])
def test_a_full_disk_stops_the_run_resumably(
        tmp_path: Path, at: int, monkeypatch: pytest.MonkeyPatch,
        reference_run: tuple[Path, Path]) -> None:
    corpus, reference = reference_run
    out = tmp_path / "out"
    disk = _FullDisk(at)
    monkeypatch.setattr(io, "json_line", disk)

    with pytest.raises(OutputWriteError) as raised:
        run([corpus], out=out, config=RunConfig(batch_size=BATCH), workers=1)

    error = raised.value
    assert isinstance(error, dedup.DedupError)
    assert isinstance(error, OSError)
    assert error.errno == errno.ENOSPC
    written_in = out / WORK_DIR if at < 440 else out / WORK_DIR / "outputs"
    assert Path(error.path).parent == written_in
    assert str(error) == (f"cannot write {error.path}: No space left on device; free space "
                          "and run the same command again to resume")
    assert not (out / "summary.json").exists()
    assert not (out / LOCK_NAME).exists()
    assert not list(out.rglob("*.tmp"))

    disk.freed = True
    run([corpus], out=out, config=RunConfig(batch_size=BATCH), workers=1)

    _assert_complete(out, corpus, reference)


def test_a_full_disk_in_a_worker_names_the_spill_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The error crosses the process boundary (pickled) and keeps the path and errno.
    monkeypatch.setattr(io, "json_line", _FullDisk(1))
    corpus = write_corpus(tmp_path / "corpus.jsonl", documents=30)
    with pytest.raises(OutputWriteError) as raised:
        run([corpus], out=tmp_path / "out", config=RunConfig(batch_size=5), workers=2)
    assert raised.value.errno == errno.ENOSPC
    assert Path(raised.value.path).parent == tmp_path / "out" / WORK_DIR


def test_the_cli_reports_a_full_disk_in_one_line_and_resumes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        reference_run: tuple[Path, Path]) -> None:
    corpus, reference = reference_run
    out = tmp_path / "out"
    disk = _FullDisk(600)
    monkeypatch.setattr(io, "json_line", disk)

    code = dedup_main(_arguments(corpus, out))

    stderr = capsys.readouterr().err
    assert code == 74
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith(f"dedup run: cannot write {out.as_posix()}/")
    assert stderr.endswith(": No space left on device; free space and run the same command "
                           "again to resume\n")
    disk.freed = True
    assert dedup_main(_arguments(corpus, out)) == 0
    _assert_complete(out, corpus, reference)


def test_a_read_only_folder_is_one_line_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / "out"))
    monkeypatch.setattr(Path, "mkdir", read_only)
    corpus = write_corpus(tmp_path / "corpus.jsonl", documents=3)

    code = dedup_main(["run", str(corpus), "--out", str(tmp_path / "out"), "--quiet"])

    assert code == 74
    assert capsys.readouterr().err == (
        f"dedup run: cannot write {(tmp_path / 'out').as_posix()}: Read-only file system; "
        "make it writable and run the same command again to resume\n")


def test_in_memory_records_say_to_overwrite_after_a_full_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(io, "json_line", _FullDisk(1))
    with pytest.raises(OutputWriteError, match=r"free space and run again with --overwrite"):
        run([{"id": "a", "text": "Hello there."}], out=tmp_path / "out", workers=1)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs mounted in tmp_path, where mounting is allowed (root, or a permissive container)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs",
                              str(mount_point)], capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); "
                    "the monkeypatched ENOSPC tests cover the error path")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def _resize(mount_point: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(mount_point)], check=True)


def test_a_full_tmpfs_stops_the_run_in_one_line_and_the_rerun_finishes(
        small_disk: Path, reference_run: tuple[Path, Path]) -> None:
    # 200 documents need about 1 MB at their peak (spill files, then the staged outputs);
    # 768 KB fills up while the outputs are written (256 KB would while spilling).
    corpus, reference = reference_run
    _resize(small_disk, "768k")
    out = small_disk / "out"

    failed = _rerun(corpus, out)

    assert failed.returncode == 74, failed.stderr
    message = [line for line in failed.stderr.splitlines() if line.startswith("dedup run:")]
    assert message == [line for line in failed.stderr.splitlines()
                       if not line.startswith("INFO")]  # one line, no traceback
    assert len(message) == 1
    assert message[0].startswith(f"dedup run: cannot write {out.as_posix()}/.dedup-work/")
    assert message[0].endswith(": No space left on device; free space and run the same "
                               "command again to resume")
    assert not (out / "summary.json").exists()

    _resize(small_disk, "8m")
    finished = _rerun(corpus, out)

    assert finished.returncode == 0, finished.stderr
    assert "resuming the run in" in finished.stderr
    _assert_complete(out, corpus, reference)
