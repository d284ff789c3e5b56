"""Every data file of the package ships in its wheel."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Code, not data: modules, the C kernel's source (built, not shipped) and build output.
_NOT_DATA = {".py", ".c", ".so", ".pyd", ".pyc"}


def test_package_data_patterns_take_every_data_file() -> None:
    """setuptools ships only the data files pyproject's package-data patterns name (hatchling
    shipped every file): a new kind of file under src/dedup must be named there."""
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library "
                                  "from Python 3.11")
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = settings["tool"]["setuptools"]["package-data"]["*"]
    package = ROOT / "src" / "dedup"
    data = [path for path in package.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
            and path.suffix not in _NOT_DATA]
    assert any(path.suffix == ".tsv" for path in data)
    assert [str(path.relative_to(package)) for path in data
            if not any(fnmatch(path.name, pattern) for pattern in patterns)] == []
