"""Data-driven clean() cases: tests/cases/clean.jsonl must pass, known_failures.jsonl must not.

Each line is ``{"id", "input", "expected", "rules", "expect", "comment"}``: ``clean(input)``
must give ``expected`` as its text and remove exactly ``rules`` (rule ids in text order;
``[]`` for a negative case, whose ``expected`` equals its ``input``). ``expect`` is ``pass``
in clean.jsonl and ``fail`` in known_failures.jsonl, whose cases run as strict xfail: when
one starts passing, move it to clean.jsonl.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

import dedup
from dedup.cleaning.cleaner import apply_removals
from dedup.rules import RULE_IDS

CASES = Path(__file__).resolve().parents[1] / "cases"
FIELDS = {"id", "input", "expected", "rules", "expect", "comment"}


def load(name: str) -> list[dict[str, Any]]:
    with (CASES / name).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


PASSING = load("clean.jsonl")
KNOWN = load("known_failures.jsonl")


def params() -> list[Any]:
    found = [pytest.param(case, id=case["id"]) for case in PASSING]
    found += [pytest.param(case, id=case["id"], marks=pytest.mark.xfail(
        strict=True, reason=case["comment"])) for case in KNOWN]
    return found


@pytest.mark.parametrize("case", params())
def test_case(case: dict[str, Any]) -> None:
    result = dedup.clean(case["input"])
    assert result.text == case["expected"]
    assert [r.rule for r in result.removals] == case["rules"]


@pytest.mark.parametrize(("rows", "expect"), [(PASSING, "pass"), (KNOWN, "fail")],
                         ids=["clean", "known_failures"])
def test_case_files_are_well_formed(rows: list[dict[str, Any]], expect: str) -> None:
    assert rows
    for case in rows:
        assert set(case) == FIELDS, case.get("id")
        assert case["expect"] == expect, case["id"]
        assert case["comment"], case["id"]
        assert set(case["rules"]) <= RULE_IDS, case["id"]
    ids = [case["id"] for case in PASSING + KNOWN]
    assert len(ids) == len(set(ids))


def test_there_are_negative_cases() -> None:
    negative = [case for case in PASSING if case["expected"] == case["input"]]
    assert len(negative) >= 8
    assert all(case["rules"] == [] for case in negative)


def test_clean_is_idempotent_on_every_case() -> None:
    for case in PASSING:
        once = dedup.clean(case["input"]).text
        assert dedup.clean(once).text == once, case["id"]


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in PASSING + KNOWN])
def test_removals_index_the_normalized_text(case: dict[str, Any]) -> None:
    result = dedup.clean(case["input"])
    spans = [(r.start, r.end) for r in result.removals]
    assert spans == sorted(spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    assert all(0 <= start < end <= len(result.normalized) for start, end in spans)
    assert apply_removals(result.normalized, result.removals) == result.text
