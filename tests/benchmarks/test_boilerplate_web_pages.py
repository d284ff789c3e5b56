"""web-pages-dev in benchmarks/boilerplate.py: loading, the tune/holdout split, grouping, checks.

The pages here are made up; the corpus text is never copied into tests.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from benchmarks.boilerplate import (
    OTHER_LANGUAGES,
    SPLITS,
    Check,
    baseline_per_page,
    language_groups,
    load_web_pages,
    score_groups,
    score_page,
    split_of,
)


def _write_pages(path: Path, records: dict[str, dict[str, str]]) -> Path:
    file = path / "pages.json.gz"
    file.write_bytes(gzip.compress(json.dumps(records).encode("utf-8")))
    return file


def test_load_web_pages_reads_the_folder_or_the_file_sorted_by_id(tmp_path: Path) -> None:
    records = {
        "b-set/2": {"subset": "b-set", "page": "Menu\nBody text", "gold": "Body text",
                    "lang": "en", "url": "http://example.org/2"},
        "a-set/1": {"subset": "a-set", "page": "Only text", "gold": "Only text",
                    "lang": "", "url": ""},
    }
    file = _write_pages(tmp_path, records)
    pages = load_web_pages(tmp_path)
    assert pages == load_web_pages(file)
    assert [p.id for p in pages] == ["a-set/1", "b-set/2"]
    second = pages[1]
    assert (second.subset, second.lang, second.url) == ("b-set", "en", "http://example.org/2")
    assert (second.text, second.gold) == ("Menu\nBody text", "Body text")
    assert pages[0].lang == "unknown"


def test_load_web_pages_takes_the_subset_from_the_id_when_the_record_has_none(
        tmp_path: Path) -> None:
    _write_pages(tmp_path, {"c-set/9": {"page": "x", "gold": "x"}})
    (page,) = load_web_pages(tmp_path)
    assert (page.subset, page.lang, page.url) == ("c-set", "unknown", "")


def test_load_web_pages_names_the_option_when_the_file_is_missing(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="--web-path"):
        load_web_pages(tmp_path)


def test_split_is_pinned_to_the_sha1_of_the_id() -> None:
    # sha1("a") ends in 0xb8 (even), sha1("e") in 0x7f (odd): changing the rule moves pages.
    assert split_of("a") == "tune"
    assert split_of("e") == "holdout"


def test_split_cuts_many_ids_into_two_halves_of_about_the_same_size() -> None:
    halves = [split_of(f"subset/{n}") for n in range(2000)]
    assert set(halves) == set(SPLITS)
    assert abs(halves.count("tune") - 1000) < 100


def test_rare_languages_are_grouped_and_common_ones_kept() -> None:
    groups = language_groups(["en"] * 5 + ["de"] * 2 + ["unknown"] * 6 + ["ja"], min_pages=5)
    assert groups == {"en": "en", "unknown": "unknown", "de": OTHER_LANGUAGES,
                      "ja": OTHER_LANGUAGES}


def test_score_groups_aggregates_each_label_and_puts_the_given_order_first() -> None:
    perfect = score_page("a b c d e", "a b c d e")
    missed = score_page("a b c d e", "")
    raw = [perfect, perfect, perfect]
    clean = [perfect, missed, perfect]
    groups = score_groups(["tune", "holdout", "holdout"], raw, clean, order=SPLITS)
    assert [(g.label, g.pages) for g in groups] == [("tune", 1), ("holdout", 2)]
    assert groups[0].clean.f1 == 1.0
    assert groups[1].clean.recall == 0.5
    assert groups[1].raw.f1 == 1.0


def test_score_groups_orders_other_labels_by_page_count_then_name() -> None:
    score = score_page("a b c d", "a b c d")
    groups = score_groups(["x", "y", "y", "w"], [score] * 4, [score] * 4)
    assert [g.label for g in groups] == ["y", "w", "x"]


def test_baseline_reads_per_set_reports_and_the_older_articles_only_layout() -> None:
    entry = {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    report: dict[str, object] = {"articles": {"per_page": {"p1": entry}},
                                 "web": {"per_page": {"w/1": entry}}}
    assert baseline_per_page(report, "web") == {"w/1": entry}
    older: dict[str, object] = {"per_page": {"p1": entry}}
    assert baseline_per_page(older, "articles") == {"p1": entry}
    assert baseline_per_page(older, "web") is None


def test_a_check_passes_at_its_floor_and_fails_below() -> None:
    assert Check(name="web F1", value=0.89, floor=0.89).passed
    assert not Check(name="web F1", value=0.8899, floor=0.89).passed
