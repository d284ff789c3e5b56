"""Shared fixtures: the bundled seed documents."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def read_seed(prefix: str) -> str:
    """Return the text of the seed whose file name starts with ``prefix``."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    """All seed documents by their three-digit prefix."""
    return {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}
