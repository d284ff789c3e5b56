"""Print pip constraints that pin every dependency of pyproject.toml to its declared floor.

Usage: ``python .ci/lowest_constraints.py EXTRA,EXTRA... > constraints.txt``, then
``pip install -c constraints.txt -e ".[EXTRA,...]"``. ``pyspark[sql]>=3.5`` becomes
``pyspark==3.5`` (pip refuses extras in constraints); a package named twice, as pyarrow is
by the parquet and spark extras, is pinned to the higher of its floors. A dependency without
a ``>=`` floor, or with a marker, stops the script: a range that CI cannot test at its
bottom should not be declared. Only dedup's own dependencies are pinned; theirs resolve as
pip chooses.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?(?P<specifiers>[^;]*)$"
)


def floor_of(requirement: str) -> tuple[str, str]:
    """Return ``(normalized name, version of the >= specifier)`` of one requirement."""
    match = REQUIREMENT.match(requirement.replace(" ", ""))
    if match is None:
        sys.exit(f"lowest_constraints: cannot read requirement {requirement!r} "
                 "(markers are not supported here)")
    floors = [spec[2:] for spec in match["specifiers"].split(",") if spec.startswith(">=")]
    if len(floors) != 1:
        sys.exit(f"lowest_constraints: {requirement!r} needs exactly one '>=' floor")
    return re.sub(r"[-_.]+", "-", match["name"]).lower(), floors[0]


def release(version: str) -> tuple[int, ...]:
    """Return the numeric release of a plain ``N.N.N`` floor, for comparing two floors."""
    if not re.fullmatch(r"\d+(\.\d+)*", version):
        sys.exit(f"lowest_constraints: floor {version!r} is not a plain release number")
    return tuple(int(part) for part in version.split("."))


def lowest_constraints(extras: list[str]) -> list[str]:
    """Return ``name==floor`` lines for the core dependencies and the given extras."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    optional = project.get("optional-dependencies", {})
    unknown = sorted(set(extras) - set(optional))
    if unknown:
        sys.exit(f"lowest_constraints: no such extra {', '.join(unknown)}")
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements.extend(optional[extra])
    floors: dict[str, str] = {}
    for requirement in requirements:
        name, version = floor_of(requirement)
        if name not in floors or release(version) > release(floors[name]):
            floors[name] = version
    return [f"{name}=={version}" for name, version in sorted(floors.items())]


if __name__ == "__main__":
    chosen = [extra for extra in (sys.argv[1] if len(sys.argv) > 1 else "").split(",") if extra]
    print("\n".join(lowest_constraints(chosen)))
