"""A local SparkSession shared by every Spark test, and the skip rule for machines without Spark.

The session is tuned for a 2-core CI machine: two local threads, the UI off, a
handful of shuffle partitions (the default 200 would spend most of the time
scheduling empty tasks), and a driver JVM that starts fast (C1 compiler only,
serial GC). Python workers run the test interpreter (``build_session`` does that for
local masters) and find ``dedup`` through ``PYTHONPATH``, as ``spark-submit
--py-files`` would make them on a cluster.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import dedup

#: Shuffle partitions for tests: enough to exercise a real shuffle, few enough to be quick.
SHUFFLE_PARTITIONS = 4


def _java_is_available() -> bool:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """Yield a ``local[2]`` SparkSession, or skip when Java or pyspark is absent."""
    if not _java_is_available():
        pytest.skip("Spark tests need Java 17+ on PATH or in JAVA_HOME (openjdk-17-jre-headless)")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.skip('Spark tests need pyspark: pip install "dedup-corpus[spark]"')
    from dedup.spark import build_session

    source_root = str(Path(dedup.__file__).resolve().parents[1])
    saved = {"PYTHONPATH": os.environ.get("PYTHONPATH")}
    os.environ["PYTHONPATH"] = os.pathsep.join(
        part for part in (source_root, saved["PYTHONPATH"]) if part
    )
    session = build_session(master="local[2]", app_name="dedup-tests", settings={
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(SHUFFLE_PARTITIONS),
        "spark.default.parallelism": "2",
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        "spark.executorEnv.PYTHONPATH": os.environ["PYTHONPATH"],
        "spark.log.level": "ERROR",
    })
    try:
        yield session
    finally:
        session.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
