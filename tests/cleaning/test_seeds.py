"""The seeds, asserted exactly: what each loses, under which rule, and what metadata comes out."""

from __future__ import annotations

import datetime as dt

from tests.conftest import read_seed

import dedup
from dedup.cleaning.cleaner import apply_removals


def removed_texts(result: dedup.CleanResult) -> list[tuple[str, str]]:
    return [(r.rule, result.normalized[r.start:r.end]) for r in result.removals]


def test_seed_000_loses_only_its_date_header() -> None:
    text = read_seed("000")
    result = dedup.clean(text)
    header = " date 2021-02-12 (Last Updated On: February 12, 2021)\n\n"
    assert removed_texts(result) == [("metadata.date_header", header)]
    assert result.text == text[len(header):]
    assert result.metadata.published == dt.date(2021, 2, 12)
    assert result.metadata.updated == dt.date(2021, 2, 12)


def test_seed_001_loses_its_date_prefix_and_agency_tag_and_nothing_else() -> None:
    text = read_seed("001")
    result = dedup.clean(text)
    assert removed_texts(result) == [
        ("metadata.date_prefix", " date 2021-08-10 "),
        ("metadata.agency_tag", " (ANI)"),
    ]
    assert result.text == text.replace(" date 2021-08-10 ", "", 1).replace(" (ANI)", "")
    assert result.text.startswith("Afghan Foreign Minister Mohammed Haneef Atmar on Tuesday")
    assert result.metadata.published == dt.date(2021, 8, 10)
    assert result.metadata.agency == "ANI"


def test_seed_002_is_unchanged() -> None:
    text = read_seed("002")
    result = dedup.clean(text)
    assert result.removals == ()
    assert result.fixes == ()
    assert result.text == text


def test_seed_003_loses_its_comment_prompts_and_keeps_its_title() -> None:
    text = read_seed("003")
    result = dedup.clean(text)
    assert [rule for rule, _ in removed_texts(result)] == ["boilerplate.comment_prompt"] * 2
    assert [t.strip() for _, t in removed_texts(result)] == [
        "Please enter your comment!", "Please enter your name here"]
    title = "Virtual conferences of understanding on peace negotiations in Afghanistan"
    assert result.text.startswith(title + "\n")
    assert result.metadata.title == title
    assert result.text.endswith("rebel attacks have renewed strongly in recent weeks.")
    assert result.text == text[:text.index("\n\n\nPlease enter your comment!")]


def test_seed_004_becomes_its_title_and_one_copy_of_the_article() -> None:
    text = read_seed("004")
    result = dedup.clean(text)
    title = "US Calls on Taliban, Govt to End Violence 'Immediately'"
    body = result.normalized
    first = body.index("The US embassy on Thursday")
    end = body.index("especially in the last three months.") + len(
        "especially in the last three months.")
    assert result.text == f"{title}\n\n{body[first:end]}"
    assert result.metadata.title == title
    assert result.text.count("The US embassy on Thursday") == 1
    rules = [(rule, t.strip()[:30]) for rule, t in removed_texts(result)]
    assert rules == [
        ("boilerplate.navigation", "Skip to main content"),
        ("boilerplate.navigation", "Latest news"),
        ("boilerplate.image_placeholder", "تصویر بندانگشتی"),
        ("repeat.title", title[:30]),
        ("repeat.teaser", "“We call on the Taliban and al"),
        ("boilerplate.image_placeholder", "تصویر بندانگشتی"),
        ("repeat.block", "The US embassy on Thursday has"),
        ("boilerplate.share", "Share this post"),
    ]
    second_copy = next(r for r in result.removals if r.rule == "repeat.block")
    assert second_copy.detail == "lines 61-107 repeat lines 7-53"
    assert body[second_copy.start:second_copy.end].rstrip().endswith("last three months.")


def test_every_seed_keeps_the_round_trip_and_is_idempotent(seeds: dict[str, str]) -> None:
    for name, text in seeds.items():
        result = dedup.clean(text)
        assert apply_removals(result.normalized, result.removals) == result.text, name
        assert dedup.clean(result.text).text == result.text, name
