"""A run killed by a signal and started again writes what an uninterrupted run writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.corpus.synthetic import run_outputs, write_corpus

from dedup.corpus.pipeline import WORK_DIR, RunConfig, run

ROOT = Path(__file__).resolve().parents[2]
BATCH = 5


def _command(corpus: Path, out: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "dedup", "run", str(corpus), "--out", str(out),
            "--workers", str(workers), "--batch-size", str(BATCH), "--quiet"]


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), environment.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return environment


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A corpus of many small batches, and the outputs of an uninterrupted run on it."""
    folder = tmp_path_factory.mktemp("resume")
    corpus = write_corpus(folder / "corpus.jsonl", documents=500)
    reference = folder / "reference"
    run([corpus], out=reference, config=RunConfig(batch_size=BATCH), workers=1)
    return corpus, reference


@pytest.mark.parametrize(("stage", "workers"), [("clean", 1), ("final", 2)])
def test_killed_run_resumes_to_identical_outputs(
        tmp_path: Path, stage: str, workers: int, reference_run: tuple[Path, Path]) -> None:
    corpus, reference = reference_run

    out = tmp_path / "out"
    process = subprocess.Popen(_command(corpus, out, workers), env=_environment(),
                               start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    work = out / WORK_DIR
    while time.monotonic() < deadline and process.poll() is None:
        if work.is_dir() and len(list(work.glob(f"{stage}-*.jsonl"))) >= 3:
            break
        time.sleep(0.005)
    if process.poll() is not None:
        pytest.fail(f"the run ended before it could be killed: {process.stderr.read()!r}"
                    if process.stderr else "the run ended before it could be killed")
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    if process.stderr:
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert work.is_dir()
    assert not (out / "summary.json").exists()

    finished = subprocess.run(_command(corpus, out, workers), env=_environment(),
                              capture_output=True,
                              text=True, timeout=300, check=False)

    assert finished.returncode == 0, finished.stderr
    # Said without -v (and without a bar: stderr is a pipe).
    assert f"resuming the interrupted run in {out.as_posix()}: " in finished.stderr
    assert "\r" not in finished.stderr
    assert run_outputs(out) == run_outputs(reference)
    assert not work.exists()
