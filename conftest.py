"""Collection settings for the source tree's doctests (pyproject's testpaths hold src/dedup)."""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from dedup._compiled import pure_python_requested


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave out the doctests of a module that runs compiled here.

    A module mypyc compiled (``setup.py``) is imported from its extension, which
    pytest will not take for the ``.py`` file it collects doctests from. Its
    doctests run where the cleaner runs from source (``.ci/run``'s second
    environment, ``DEDUP_PURE_PYTHON=1``); ``tests/cleaning/test_compiled.py``
    compares the two builds.
    """
    if collection_path.suffix != ".py" or pure_python_requested():
        return None
    stem = collection_path.with_suffix("")
    if any(Path(f"{stem}{suffix}").exists() for suffix in EXTENSION_SUFFIXES):
        return True
    return None
