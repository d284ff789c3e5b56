"""The spark extra stays optional: dedup imports without it and says what to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import dedup
from dedup.errors import MissingExtraError

SOURCE_ROOT = str(Path(dedup.__file__).resolve().parents[1])


def test_importing_dedup_and_dedup_spark_never_imports_pyspark() -> None:
    code = (
        "import sys, dedup, dedup.spark, dedup.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyspark', 'py4j')))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={"PYTHONPATH": SOURCE_ROOT}).stdout
    assert output.strip() == "[]"


def test_using_the_backend_without_pyspark_names_the_extra(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from dedup.spark import find_duplicates

    # None in sys.modules makes the import fail as if pyspark were not installed
    monkeypatch.setitem(sys.modules, "pyspark.sql.functions", None)
    with pytest.raises(MissingExtraError, match=r"dedup-corpus\[spark\]") as caught:
        find_duplicates(object())  # type: ignore[arg-type]
    assert caught.value.extra == "spark"
    assert isinstance(caught.value, ImportError)
