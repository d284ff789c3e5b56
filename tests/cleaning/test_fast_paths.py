"""Differential test: clean() with its fast paths and with their reference versions agree.

Each speed-up in cleaning keeps the plain version it replaced
(``PatternSet._reference_first_match``, ``segment._reference_local_widths``);
here clean() runs once as shipped and once with those swapped in, on the
seeds, the bundled cases, a wire story, hand-written pages and Hypothesis
documents, and every field of the two ``CleanResult`` s must be equal.
``benchmarks/clean_identity.py`` does the same against a whole earlier
commit on the corpora.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from tests.cleaning.fixtures import WIRE
from tests.strategies import any_text, documents

import dedup
from dedup.cleaning import _patternset, segment

CASES = Path(__file__).resolve().parents[1] / "cases"

#: Pages in the shape scrapers hand over: menus, a dated story, share buttons, a
#: footer of links and notices, lines repeated, a line in lower case that goes on.
PAGES = (
    "Home\nNews\nSport\nWeather\nSign in\n\nHarbour works to start in May\n\n"
    "Updated 3 hours ago\n\nThe council said on Tuesday that work on the harbour wall "
    "would begin in May and last two years, at a cost of 4.2 million pounds.\n\n"
    "Residents who asked about the road closures were told that a bus would run "
    "every twenty minutes.\n\nShare on Facebook\nShare on X\n\nRelated stories\n"
    "Harbour works delayed\nNew ferry timetable\n\n"
    "Privacy Policy | Terms of Use | Contact Us | Cookies\n"
    "\u00a9 2024 Coast Media Ltd. All rights reserved.",
    "Skip to main content\n\nRecipes  \u00bb  Baking\n\nA loaf for the week\n\n"
    "You need flour, water, salt and\ntime, which the recipe asks for most of all.\n\n"
    "Photo: J. Smith / Getty Images\n\nPlease enter your comment!\nPlease enter your name here"
    "\n\nA loaf for the week\n\nSubscribe to our mailing list\n\n"
    "Posted by admin on 12/03/2021\n\nTags: bread, baking",
    "  Coffee growers said the quota talks\nwould resume in London next month, a "
    "spokesman\nfor the group told reporters.\n      He said prices had\nfallen 12 pct.\n",
)


def _case_inputs() -> list[str]:
    found = []
    for file in sorted(CASES.glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append(json.loads(line)["input"])
    return found


def _clean_both(text: str) -> tuple[object, object]:
    """clean() as shipped, then with every fast path swapped for its reference version."""
    fast = dedup.clean(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_patternset.PatternSet, "first_match",
                      _patternset.PatternSet._reference_first_match)
        patch.setattr(segment, "local_widths", segment._reference_local_widths)
        reference = dedup.clean(text)
    return fast, reference


def test_fast_and_reference_paths_agree_on_seeds_cases_and_pages(
        seeds: dict[str, str]) -> None:
    texts = [*seeds.values(), *_case_inputs(), WIRE, *PAGES]
    assert len(texts) > 40
    for text in texts:
        fast, reference = _clean_both(text)
        assert fast == reference, text[:80]
    # The pages exercise the phrase screen: each loses lines to a phrase rule.
    assert all(any(r.rule.startswith("boilerplate.") for r in dedup.clean(page).removals)
               for page in PAGES[:2])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fast_and_reference_paths_agree_on_generated_documents(
        text: str) -> None:
    fast, reference = _clean_both(text)
    assert fast == reference


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_fast_and_reference_paths_agree_on_any_text(
        text: str) -> None:
    fast, reference = _clean_both(text)
    assert fast == reference
