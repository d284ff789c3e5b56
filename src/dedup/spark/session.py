"""Build the SparkSession dedup runs on, with Python workers that can import dedup.

pyspark starts its Python workers with ``PYSPARK_PYTHON``, or ``python3`` from
``PATH`` when that is unset. Run as ``venv/bin/dedup run --engine spark``
without activating the virtual environment, ``python3`` is the system's
interpreter, which has no dedup, and every worker fails with
``ModuleNotFoundError: No module named 'dedup'``. On a local master the
workers run on this machine, so the driver's own interpreter
(``sys.executable``) is the right one; on a cluster it may not exist on the
executors, so there the choice stays with the user (``PYSPARK_PYTHON``,
``spark.pyspark.python``, or spark-submit's options).

Added in 0.1.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dedup.spark._pyspark import require_pyspark

__all__ = ["build_session", "is_local_master", "worker_python"]

_LOCAL_MASTER = re.compile(r"local(\[(\*|[1-9][0-9]*)(,[0-9]+)?\])?")


def is_local_master(master: str) -> bool:
    """Say whether ``master`` runs every executor in this process (``local``, ``local[N]``).

    >>> [is_local_master(m) for m in ("local", "local[4]", "local[*]", "local[2,3]",
    ...                               "yarn", "spark://host:7077")]
    [True, True, True, True, False, False]
    """
    return _LOCAL_MASTER.fullmatch(master.strip()) is not None


def worker_python(*, master: str | None, settings: Mapping[str, str],
                  environ: Mapping[str, str], executable: str) -> str | None:
    """Return the interpreter Python workers must run, or None to leave pyspark's choice.

    Args:
        master: the master asked for, or None.
        settings: Spark settings in force (``spark-defaults.conf``, then the
            session's own), for ``spark.master`` and ``spark.pyspark.python``.
        environ: the environment (``PYSPARK_PYTHON``, ``PYSPARK_SUBMIT_ARGS``,
            and ``PYSPARK_GATEWAY_PORT``, which spark-submit sets).
        executable: the driver's interpreter.

    >>> worker_python(master=None, settings={}, environ={}, executable="/venv/bin/python")
    '/venv/bin/python'
    >>> worker_python(master="yarn", settings={}, environ={}, executable="/venv/bin/python")
    >>> worker_python(master="local[2]", settings={}, environ={"PYSPARK_PYTHON": "py3"},
    ...               executable="/venv/bin/python")
    """
    if environ.get("PYSPARK_PYTHON"):
        return None
    chosen = settings.get("spark.pyspark.python")
    if chosen:
        # pyspark launched from Python reads only the environment variable; honour the
        # setting the way spark-submit does.
        return chosen
    if environ.get("PYSPARK_GATEWAY_PORT"):
        return None  # under spark-submit, which chose the master and the interpreter
    master = master or _submit_args_master(environ) or settings.get("spark.master")
    if master is None or is_local_master(master):
        return executable
    return None


def _submit_args_master(environ: Mapping[str, str]) -> str | None:
    words = shlex.split(environ.get("PYSPARK_SUBMIT_ARGS", ""))
    for position, word in enumerate(words):
        if word == "--master" and position + 1 < len(words):
            return words[position + 1]
        if word.startswith("--master="):
            return word.partition("=")[2]
    return None


def _spark_defaults(environ: Mapping[str, str]) -> dict[str, str]:
    """Read ``spark-defaults.conf`` from ``SPARK_CONF_DIR`` or ``SPARK_HOME/conf``, if any."""
    if environ.get("SPARK_CONF_DIR"):
        folder = Path(environ["SPARK_CONF_DIR"])
    elif environ.get("SPARK_HOME"):
        folder = Path(environ["SPARK_HOME"]) / "conf"
    else:
        return {}
    try:
        lines = (folder / "spark-defaults.conf").read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    settings: dict[str, str] = {}
    for line in lines:
        key, _, value = line.strip().partition(" ")
        if key and not key.startswith("#"):
            settings[key] = value.strip()
    return settings


def build_session(*, master: str | None = None, app_name: str = "dedup",
                  settings: Mapping[str, str] | None = None) -> Any:
    """Get or create the SparkSession, its Python workers on the driver's interpreter if local.

    Args:
        master: the Spark master (``local[4]``); None leaves it to spark-submit
            or the configuration (``local[*]`` when there is none).
        app_name: the application name Spark shows.
        settings: more Spark settings for the builder.

    Raises:
        MissingExtraError: pyspark is not installed.
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    settings = dict(settings or {})
    python = worker_python(master=master, settings={**_spark_defaults(os.environ), **settings},
                           environ=os.environ, executable=sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    for key, value in settings.items():
        builder = builder.config(key, value)
    if python is None:
        return builder.getOrCreate()
    # The SparkContext reads PYSPARK_PYTHON once, while it starts; set it only for that.
    saved = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = python
    try:
        return builder.getOrCreate()
    finally:
        if saved is None:
            os.environ.pop("PYSPARK_PYTHON", None)
        else:
            os.environ["PYSPARK_PYTHON"] = saved
