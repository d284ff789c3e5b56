"""The cleaner: normalization, rules, repeats and the main-text model (:func:`dedup.clean`)."""

from __future__ import annotations

from dedup._compiled import Implementation, implementation_of
from dedup.cleaning import _text

__all__ = ["IMPLEMENTATION"]

#: Which build of the cleaner this process runs: ``"compiled"`` (the modules mypyc
#: compiled when the wheel was built, see ``setup.py``) or ``"python"`` (their source:
#: no compiler at install time, an editable install, or ``DEDUP_PURE_PYTHON=1``).
#: Both give the same results.
IMPLEMENTATION: Implementation = implementation_of(_text)
