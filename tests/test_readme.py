"""The README's Python examples run as written (from the repository root)."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_examples_run() -> None:
    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        result = doctest.testfile(str(ROOT / "README.md"), module_relative=False,
                                  optionflags=doctest.NORMALIZE_WHITESPACE)
    finally:
        os.chdir(previous)
    assert result.attempted >= 3
    assert result.failed == 0
