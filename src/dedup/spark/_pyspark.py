"""Import pyspark on demand, so that ``import dedup`` never pays for it or needs it.

Every function of :mod:`dedup.spark` that touches Spark calls :func:`require_pyspark`
first; without the extra installed the caller gets a
:class:`~dedup.errors.MissingExtraError` that names ``dedup-corpus[spark]``
instead of a bare ``ModuleNotFoundError`` from deep inside a job.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from dedup.errors import MissingExtraError

__all__ = ["require_pyarrow", "require_pyspark"]


def require_pyspark() -> ModuleType:
    """Return :mod:`pyspark.sql.functions`, or raise if pyspark is not installed.

    Raises:
        MissingExtraError: pyspark is not importable; the message names the ``spark`` extra.
    """
    try:
        return importlib.import_module("pyspark.sql.functions")
    except ImportError as error:
        raise MissingExtraError("spark", "pyspark") from error


def require_pyarrow() -> ModuleType:
    """Return :mod:`pyarrow`, or raise naming the ``spark`` extra (it ships pyarrow).

    Raises:
        MissingExtraError: pyarrow is not importable.
    """
    try:
        return importlib.import_module("pyarrow")
    except ImportError as error:
        raise MissingExtraError("spark", "pyarrow") from error
