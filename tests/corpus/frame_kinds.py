"""The frame kinds dedup reads, built from plain columns, for the frame tests."""

from __future__ import annotations

from typing import Any

import pytest

KINDS = ("pandas", "polars", "arrow-table", "arrow-batch", "datasets")
_MODULES = {"pandas": "pandas", "polars": "polars", "arrow-table": "pyarrow",
            "arrow-batch": "pyarrow", "datasets": "datasets"}


def make_frame(kind: str, columns: dict[str, list[Any]]) -> Any:
    """Build ``columns`` as a frame of ``kind``, or skip when its library is missing."""
    module = pytest.importorskip(_MODULES[kind], reason=f"{_MODULES[kind]} is not installed")
    if kind in ("pandas", "polars"):
        return module.DataFrame(columns)
    if kind == "arrow-table":
        return module.table(columns)
    if kind == "arrow-batch":
        return module.RecordBatch.from_pydict(columns)
    return module.Dataset.from_dict(columns)
