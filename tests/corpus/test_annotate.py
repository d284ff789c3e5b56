"""clean_frame() and deduplicate_frame(): a frame in, the same kind of frame out."""

from __future__ import annotations

import math
from typing import Any

import pytest
from tests.corpus.frame_kinds import KINDS, make_frame

from dedup import clean, clean_frame, deduplicate, deduplicate_frame

STORY = ("The harbour authority said on Monday that the new container terminal would open "
         "in the spring, after two years of building work and a long dispute over dredging.")
RESENT = STORY.replace("on Monday", "on Monday,")
OTHER = ("A late frost damaged apple blossom across the valley, and growers expect a "
         "smaller harvest than last year unless the weather turns warm again soon.")
SCRAPED = STORY + "\nShare this article\nFollow us on Twitter"

#: kept, its duplicate, an unrelated story, an empty text, a missing text, a repeated id
COLUMNS: dict[str, list[Any]] = {
    "id": ["a", "b", "c", "d", "e", "a"],
    "text": [STORY, RESENT, OTHER, "   ", None, OTHER + " Again."],
    "lang": ["en", "en", "fr", "en", "en", "de"],
}


def rows_of(frame: Any) -> list[dict[str, Any]]:
    """Every row of any frame kind as a dict, for comparing across kinds."""
    if hasattr(frame, "to_pylist"):
        rows: list[dict[str, Any]] = frame.to_pylist()
    elif hasattr(frame, "to_dicts"):
        rows = frame.to_dicts()
    elif hasattr(frame, "to_list"):
        rows = frame.to_list()
    else:
        rows = frame.to_dict(orient="records")
    return [{key: None if _is_missing(value) else value for key, value in row.items()}
            for row in rows]


def _is_missing(value: object) -> bool:
    # pandas spells a missing value NaN (float columns) or pd.NA (Int64)
    return (value is None or (isinstance(value, float) and math.isnan(value))
            or type(value).__name__ == "NAType")


@pytest.mark.parametrize("kind", KINDS)
def test_deduplicate_frame_drops_the_duplicates_and_says_why_the_rest_stay(kind: str) -> None:
    frame = make_frame(kind, COLUMNS)

    kept = deduplicate_frame(frame, clean=False)

    assert type(kept) is type(frame)
    assert [(row["id"], row["lang"], row["dedup_status"]) for row in rows_of(kept)] == [
        ("a", "en", "kept"), ("c", "fr", "kept"), ("d", "en", "empty"),
        ("e", "en", "rejected"), ("a", "de", "rejected")]
    assert all(row["dedup_duplicate_of"] is None for row in rows_of(kept))


@pytest.mark.parametrize("kind", KINDS)
def test_keep_duplicates_gives_every_row_with_the_decision_of_deduplicate(kind: str) -> None:
    frame = make_frame(kind, COLUMNS)

    every = rows_of(deduplicate_frame(frame, clean=False, keep_duplicates=True))

    expected = deduplicate([(i, t) for i, t in zip(COLUMNS["id"][:3], COLUMNS["text"][:3],
                                                   strict=True)], clean=False)
    (duplicate,) = expected.duplicates
    assert [row["dedup_status"] for row in every] == [
        "kept", "duplicate", "kept", "empty", "rejected", "rejected"]
    assert (every[1]["dedup_duplicate_of"], every[1]["dedup_similarity"],
            every[1]["dedup_kind"]) == (duplicate.duplicate_of, duplicate.similarity,
                                        duplicate.kind)
    assert [row["text"] for row in every] == COLUMNS["text"]


@pytest.mark.parametrize("kind", KINDS)
def test_without_an_id_column_duplicates_point_at_positions(kind: str) -> None:
    frame = make_frame(kind, {"body": [OTHER, STORY, RESENT]})

    every = rows_of(deduplicate_frame(frame, text_field="body", clean=False,
                                      keep_duplicates=True))

    assert [row["dedup_duplicate_of"] for row in every] == [None, None, "1"]


@pytest.mark.parametrize("kind", KINDS)
def test_clean_frame_adds_what_clean_says_and_runs_again_on_its_output(kind: str) -> None:
    frame = make_frame(kind, {"text": [SCRAPED, None, OTHER]})

    cleaned = clean_frame(frame)
    again = clean_frame(cleaned)

    result = clean(SCRAPED)
    rows = rows_of(cleaned)
    assert type(cleaned) is type(frame)
    assert [row["dedup_text"] for row in rows] == [result.text, None, clean(OTHER).text]
    assert rows[0]["dedup_rules"] == ",".join(dict.fromkeys(r.rule for r in result.removals))
    assert rows[0]["dedup_removed_chars"] == sum(r.end - r.start for r in result.removals)
    assert rows[0]["dedup_removed_chars"] > 0
    assert rows[1]["dedup_rules"] is None
    assert [row["text"] for row in rows] == [SCRAPED, None, OTHER]
    assert rows_of(again) == rows


def test_a_pandas_frame_keeps_its_index() -> None:
    frame = make_frame("pandas", COLUMNS).set_index("lang")

    kept = deduplicate_frame(frame, clean=False)

    assert list(kept.index) == ["en", "fr", "en", "en", "de"]


def test_an_empty_frame_gives_an_empty_frame() -> None:
    frame = make_frame("polars", {"id": ["a"], "text": [STORY]}).clear()

    kept = deduplicate_frame(frame)

    assert kept.shape == (0, 6)


def test_a_list_is_not_a_frame() -> None:
    with pytest.raises(TypeError, match=r"deduplicate_frame\(\) takes a pandas .* not list"):
        deduplicate_frame([{"text": STORY}])  # type: ignore[type-var]
    with pytest.raises(TypeError, match=r"clean_frame\(\) takes a pandas"):
        clean_frame([STORY])  # type: ignore[type-var]
