"""Python workers run the driver's interpreter on local masters, and the user's choice otherwise."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import dedup
from dedup.spark.session import is_local_master, worker_python

VENV_PYTHON = "/venv/bin/python"


def choose(master: str | None = None, settings: dict[str, str] | None = None,
           **environ: str) -> str | None:
    return worker_python(master=master, settings=settings or {}, environ=environ,
                         executable=VENV_PYTHON)


@pytest.mark.parametrize("master", ["local", "local[1]", "local[4]", "local[*]", "local[2,3]"])
def test_a_local_master_runs_workers_on_the_driver_interpreter(master: str) -> None:
    assert is_local_master(master)
    assert choose(master) == VENV_PYTHON


@pytest.mark.parametrize("master", ["yarn", "spark://head:7077", "k8s://https://api:6443",
                                    "local[0]", "localhost", "sc://head:15002"])
def test_a_cluster_master_leaves_the_interpreter_to_the_user(master: str) -> None:
    assert not is_local_master(master)
    assert choose(master) is None


def test_no_master_anywhere_is_local() -> None:
    assert choose() == VENV_PYTHON


def test_a_configured_master_counts_when_none_is_given() -> None:
    assert choose(settings={"spark.master": "yarn"}) is None
    assert choose(settings={"spark.master": "local[2]"}) == VENV_PYTHON
    assert choose(PYSPARK_SUBMIT_ARGS="--master yarn pyspark-shell") is None
    # the master given to the command wins over the configured one
    assert choose("local[2]", settings={"spark.master": "yarn"}) == VENV_PYTHON


def test_the_users_interpreter_always_wins() -> None:
    assert choose("local[2]", PYSPARK_PYTHON="/opt/py/bin/python3") is None
    assert choose("yarn", settings={"spark.pyspark.python": "/opt/py/bin/python3"}) == (
        "/opt/py/bin/python3")
    assert choose("local", settings={"spark.pyspark.python": "/opt/py/bin/python3"}) == (
        "/opt/py/bin/python3")


def test_under_spark_submit_the_interpreter_is_left_alone() -> None:
    assert choose(PYSPARK_GATEWAY_PORT="41234") is None


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_dedup_run_on_spark_works_without_an_activated_venv(tmp_path: Path) -> None:
    """The reported failure: ``venv/bin/dedup run --engine spark`` with the venv not on PATH.

    ``python3`` on PATH here is an interpreter that finds neither pyspark nor dedup (the
    driver's own, with site-packages and PYTHONPATH switched off), standing in for a
    system Python: workers started with it fail, as they did before.
    """
    java = shutil.which("java")
    if java is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark tests need Java 17+ on PATH or in JAVA_HOME (openjdk-17-jre-headless)")
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip('Spark tests need pyspark: pip install "dedup-corpus[spark]"')
    foreign = tmp_path / "bin"
    foreign.mkdir()
    fake = foreign / "python3"
    fake.write_text(f'#!/bin/sh\nexec "{sys.executable}" -I -S "$@"\n', encoding="utf-8")
    fake.chmod(0o755)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story = ("The ferry company added an early sailing on weekdays after island residents "
             "asked for a way to reach the mainland before the first shops opened.")
    (corpus / "a.txt").write_text(story, encoding="utf-8")
    (corpus / "b.txt").write_text(story + "\n", encoding="utf-8")
    (corpus / "c.txt").write_text("Rain is expected in the hills all weekend, with snow on "
                                  "the highest peaks and strong winds near the coast.",
                                  encoding="utf-8")
    venv_bin = str(Path(sys.executable).parent)
    path = [str(foreign), *(str(Path(java).parent) for _ in [0] if java), "/usr/bin", "/bin"]
    assert venv_bin not in path
    environ = {key: value for key, value in os.environ.items()
               if key not in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "VIRTUAL_ENV",
                              "SPARK_HOME")}
    environ["PATH"] = os.pathsep.join(path)
    # the driver runs this checkout's dedup; workers would get PYTHONPATH too
    environ["PYTHONPATH"] = str(Path(dedup.__file__).resolve().parents[1])
    # a quick local job, as tests/spark/conftest.py tunes its session; no master here
    environ["PYSPARK_SUBMIT_ARGS"] = (
        "--conf spark.sql.shuffle.partitions=2 --conf spark.default.parallelism=2 "
        "--conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false "
        '--conf "spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" '
        "pyspark-shell")
    out = tmp_path / "out"

    finished = subprocess.run(
        [sys.executable, "-m", "dedup", "run", "--engine", "spark", str(corpus),
         "--out", str(out)],
        env=environ, capture_output=True, text=True, timeout=300, check=False)

    assert finished.returncode == 0, finished.stderr[-3000:]
    manifest = [json.loads(line) for line in
                (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(row["id"], row["status"]) for row in manifest] == [
        ("a.txt", "kept"), ("b.txt", "duplicate"), ("c.txt", "kept")]
