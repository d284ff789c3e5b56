"""Which build of dedup's compiled modules a process runs: mypyc's, or the Python source.

A wheel built where a C compiler works compiles the cleaner's modules with mypyc
(``setup.py``, ``COMPILED``): the same source, type-checked and translated to C,
so the results are the ones the source gives (``tests/cleaning/test_compiled.py``
compares the two) and only the speed differs. Python imports an extension module
before a source file of the same name, so the compiled build serves by default.

``DEDUP_PURE_PYTHON=1``, the one environment variable dedup reads (it also picks
the MinHash kernel, :mod:`dedup.near.minhash`), makes a process load every
compiled module of dedup from its source instead: the reference the compiled
build is compared with, and the path to profile or debug. It is read once, when
``dedup`` is first imported, so a process never mixes the two.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec, PathFinder
from importlib.util import spec_from_file_location
from types import ModuleType
from typing import Literal

__all__ = ["Implementation", "implementation_of", "pure_python_requested"]

#: How a module runs: translated by mypyc and compiled, or from its Python source.
Implementation = Literal["compiled", "python"]


def pure_python_requested() -> bool:
    """Say whether ``DEDUP_PURE_PYTHON`` asks for the Python source of every compiled part."""
    return os.environ.get("DEDUP_PURE_PYTHON", "") not in ("", "0")


def implementation_of(module: ModuleType) -> Implementation:
    """Say whether ``module`` was loaded from a compiled extension or from its source."""
    origin = getattr(module, "__file__", None) or ""
    return "compiled" if origin.endswith(tuple(EXTENSION_SUFFIXES)) else "python"


class _SourceFirst(MetaPathFinder):
    """Find a dedup module's ``.py`` source where a compiled build of it stands beside it.

    Modules with no source twin (the MinHash C kernel, whose numpy fallback is
    chosen in :mod:`dedup.near.minhash`) and every module outside dedup are left
    to the usual finders.
    """

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if not fullname.startswith("dedup."):
            return None
        spec = PathFinder.find_spec(fullname, path, target)
        origin = spec.origin if spec is not None else None
        if origin is None:
            return None
        for suffix in EXTENSION_SUFFIXES:
            if origin.endswith(suffix):
                source = origin[: -len(suffix)] + ".py"
                return spec_from_file_location(fullname, source) if os.path.isfile(source) else None
        return None


def _install_from_environment() -> None:
    """Put :class:`_SourceFirst` first among the finders when the environment asks for it."""
    if pure_python_requested() and not any(isinstance(f, _SourceFirst) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFirst())


# At import, before any compiled module: ``dedup/__init__.py`` imports this module first.
_install_from_environment()
