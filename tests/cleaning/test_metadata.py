"""Metadata lines: date headers, date prefixes, datelines, agency tags, bylines, titles."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup.cleaning import metadata as M
from dedup.cleaning.metadata import find_metadata, find_title, looks_like_headline, parse_date
from dedup.cleaning.segment import Block, segment

ALL = {"metadata.date_header", "metadata.date_prefix", "metadata.agency_tag", "metadata.byline"}
BODY = ("The minister said on Tuesday that the talks would resume next week in Doha, "
        "according to officials who asked not to be named.")


def removed(result: dedup.CleanResult) -> list[tuple[str, str]]:
    return [(r.rule, result.normalized[r.start:r.end].strip()) for r in result.removals]


@pytest.mark.parametrize(("header", "published"), [
    ("2021-02-12", dt.date(2021, 2, 12)),
    ("date 2021-02-12", dt.date(2021, 2, 12)),
    ("February 12, 2021", dt.date(2021, 2, 12)),
    ("Feb. 12, 2021", dt.date(2021, 2, 12)),
    ("12 February 2021", dt.date(2021, 2, 12)),
    ("Posted on 12 Feb 2021", dt.date(2021, 2, 12)),
    ("Published: March 3rd, 2020", dt.date(2020, 3, 3)),
    ("Friday, February 12, 2021", dt.date(2021, 2, 12)),
    ("February 12, 2021 10:45 am", dt.date(2021, 2, 12)),
    ("2021-02-12T10:45:00Z", dt.date(2021, 2, 12)),
    ("12/02/2021 - 14:30", dt.date(2021, 2, 12)),
    # A Mailman archive page's date: the C library's form.
    ("Tue Mar 12 10:21:33 EDT 2019", dt.date(2019, 3, 12)),
])
def test_date_header_variants_are_removed_and_parsed(header: str, published: dt.date) -> None:
    result = dedup.clean(f"{header}\n\n{BODY}")
    assert removed(result) == [("metadata.date_header", header)]
    assert result.text == BODY
    assert result.metadata.published == published
    assert result.metadata.updated is None


def test_a_raw_messages_date_header_stays_with_its_headers() -> None:
    # Headers are the message's own lines; the zone in figures marks the mail form.
    text = ("From: Ada Quill <ada@example.org>\nTo: list@example.org\n"
            "Date: Tue, 12 Mar 2019 10:21:33 -0400\nSubject: Minutes\n\nHi,\n\n" + BODY)
    assert dedup.clean(text).text == text


def test_last_updated_on_is_parsed_as_updated() -> None:
    result = dedup.clean(f" date 2021-02-12 (Last Updated On: February 14, 2021)\n\n{BODY}")
    assert [rule for rule, _ in removed(result)] == ["metadata.date_header"]
    assert result.metadata.published == dt.date(2021, 2, 12)
    assert result.metadata.updated == dt.date(2021, 2, 14)
    assert result.text == BODY
    assert {f.name for f in result.metadata.fields} >= {"published", "updated"}


def test_date_prefix_glued_to_first_paragraph() -> None:
    result = dedup.clean(f"date 2021-08-10 {BODY}")
    assert removed(result) == [("metadata.date_prefix", "date 2021-08-10")]
    assert result.text == BODY
    assert result.metadata.published == dt.date(2021, 8, 10)


@pytest.mark.parametrize(("dateline", "agency"), [
    ("KABUL (Reuters) - ", "Reuters"),
    ("WASHINGTON, Jan 5 (Reuters) - ", "Reuters"),
    ("NEW DELHI, India (AP) — ", "AP"),
    ("(AFP) — ", "AFP"),
])
def test_datelines_are_removed_and_give_the_agency(dateline: str, agency: str) -> None:
    result = dedup.clean(dateline + BODY)
    assert removed(result) == [("metadata.agency_tag", dateline.strip())]
    assert result.text == BODY
    assert result.metadata.agency == agency


def test_trailing_agency_tag_is_removed() -> None:
    result = dedup.clean(f"{BODY}\n\nTalks will continue on Friday, he added. (ANI)")
    assert removed(result) == [("metadata.agency_tag", "(ANI)")]
    assert result.text == f"{BODY}\n\nTalks will continue on Friday, he added."
    assert result.metadata.agency == "ANI"


@pytest.mark.parametrize("text", [
    "The company did not respond, a WeWork spokesperson when contacted by Reuters said, "
    "and declined to comment further on the matter.",
    "The report was first published by Reuters (Reuters) on Monday and was later confirmed "
    "by the ministry.",
    "He said on February 12, 2021 the minister said the border would reopen within weeks.",
    "The deal, signed on 2021-02-12 in Doha, was described by both sides as a first step.",
    "Officials told AFP - the French agency - that the convoy had left before dawn.",
])
def test_agency_or_date_inside_a_sentence_is_not_touched(text: str) -> None:
    result = dedup.clean(text)
    assert result.removals == ()
    assert result.text == text
    assert result.metadata.agency is None


def test_date_starting_a_sentence_that_continues_in_lower_case_is_kept() -> None:
    text = "On February 12, 2021 the minister said the border would reopen within weeks."
    # No capitalised word follows the date: it is part of the sentence, not a glued prefix.
    assert dedup.clean(text).text == text


@pytest.mark.parametrize("bad", ["31/02/2021", "30/13/2021", "February 30, 2021",
                                 "2021-02-30", "2021-13-01", "Tue Feb 30 10:21:33 EDT 2019"])
def test_invalid_dates_are_not_parsed(bad: str) -> None:
    assert parse_date(bad) is None
    result = dedup.clean(f"{bad}\n\n{BODY}")
    assert result.metadata.published is None
    assert "metadata.date_header" not in {r.rule for r in result.removals}
    assert result.text.startswith(bad)


@pytest.mark.parametrize(("text", "expected"), [
    ("12.02.2021", dt.date(2021, 2, 12)),
    ("03/04/2021", dt.date(2021, 4, 3)),  # day first
    ("Sept 1, 2019", dt.date(2019, 9, 1)),
    ("1st of nothing", None),
    ("", None),
])
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


LATER = ("The talks had broken down in March, when the two sides could not agree on the "
         "order in which the points would be taken, and each blamed the other for the delay.")


@pytest.mark.parametrize("signed", [
    "by Jeff Foust — November 18, 2019",
    "By HNN Staff | November 18, 2019 at 2:26 PM HST",
    "Posted by Paul on January 6, 2008 2:09 PM",
    "By Sherif Saed, Wednesday, 20 November 2019 08:05 GMT",
    "September 10, 2018 | by Catherine",
])
def test_a_byline_with_its_date_is_removed_anywhere(signed: str) -> None:
    result = dedup.clean(f"Talks resume in Doha\n\n{BODY}\n\n{signed}\n\n{LATER}")
    assert ("metadata.byline", signed) in removed(result)
    assert result.metadata.author is None  # away from the head: it may sign another story
    assert BODY in result.text
    assert LATER in result.text


@pytest.mark.parametrize("signed", ["By Laura Mowat", "Posted by Vortex", "by Laura Winter"])
@pytest.mark.parametrize("above", [True, False])
def test_a_byline_beside_a_date_line_is_removed(signed: str, above: bool) -> None:
    stamp = "\n".join((signed, "19 Nov 2019 05:44 GMT") if above
                       else ("19 Nov 2019 05:44 GMT", signed))
    result = dedup.clean(f"Talks resume in Doha\n\n{BODY}\n\n{stamp}\n\n{LATER}")
    assert ("metadata.byline", signed) in removed(result)
    assert ("metadata.date_line", "19 Nov 2019 05:44 GMT") in removed(result)


@pytest.mark.parametrize("line", [
    "By the river",  # a heading: no date beside it
    "Notícias da Fórmula 1",  # "da" opens no byline
    "Posted by Paul on January 6, 2008, he said.",  # a sentence
    "By 2030 the talks will have ended",  # no name
])
def test_lines_that_are_not_a_dated_byline_stay(line: str) -> None:
    text = f"Talks resume in Doha\n\n{BODY}\n\n{line}\n19 Nov 2019 05:44 GMT\n\n{LATER}"
    result = dedup.clean(text)
    assert not any(rule == "metadata.byline" for rule, _ in removed(result))
    if line != "By the river":
        assert line in result.text


def test_byline_is_removed_and_gives_the_author() -> None:
    result = dedup.clean(f"Talks resume in Doha\n\nBy Jane Smith\n\n{BODY}")
    assert removed(result) == [("metadata.byline", "By Jane Smith")]
    assert result.metadata.author == "Jane Smith"
    assert result.text == f"Talks resume in Doha\n\n{BODY}"


def test_a_sentence_starting_with_by_is_not_a_byline() -> None:
    text = f"By the end of the week the talks had stalled.\n\n{BODY}"
    assert dedup.clean(text).text == text
    assert dedup.clean(text).metadata.author is None


def test_header_lines_after_the_first_prose_are_not_touched() -> None:
    text = f"{BODY}\n\nFebruary 12, 2021\n\nBy Jane Smith\n\n{BODY.replace('Doha', 'Kabul')}"
    result = dedup.clean(text)
    # The header rules read the head only: the later date is no published date
    # and the byline names no author. A line of only a date is a date line
    # wherever it is, and the byline beside it signs what follows: both go.
    assert [r.rule for r in result.removals if r.rule.startswith("metadata")] == [
        "metadata.date_line", "metadata.byline"]
    assert result.metadata.published is None
    assert result.metadata.author is None


@pytest.mark.parametrize("line", [
    "November 19, 2019 at 9:45 am", "3 hours ago", "Posted on June 1st, 2004 at 12:38 am",
    "10/18/2004", "Tue, Dec 26 2006, 12:55 GMT",
    # the time before the date, a date with a time and no year, two stamps in a line
    "Updated: Sat 8:31 PM, Feb 17, 2018", "Updated 11:21 pm CST, Tuesday, November 19, 2019",
    "Updated Nov 19, 6:55 AM; Posted Nov 19, 6:51 AM",
    "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05, Tue, Nov 19, 2019",
    "Updated Nov. 19, 2019 8:21 am ET / Original Nov. 19, 2019 8:02 am ET",
    "Published Wed, Nov 20 2019 4:29 AM EST Updated an hour ago",
    # a time ago with its unit in a letter or two, or with the clock time after it
    "25M ago", "updated 16m ago", "5H ago", "3d ago", "2 days ago at 07:52 am",
    # an archive widget's months
    "Archives Select Month October 2019 September 2019 January 2019 December 2018 July 2018",
    "月別 月を選択 2019年11月 2019年4月 2019年1月 2018年8月",
])
def test_a_line_of_only_a_date_is_a_date_line(line: str) -> None:
    result = dedup.clean(f"{BODY}\n\nJane Smith\n{line}\n\nI agree with every word of this.")
    assert [r.rule for r in result.removals] == ["metadata.date_line"]
    assert line not in result.text
    assert "Jane Smith" in result.text


@pytest.mark.parametrize("line", [
    "31/02/2021", "March 3: talks resume in Doha", "On February 12, 2021 the talks resumed.",
    "12 hours", "5 Hz ago", "The 5H ago",
    "29 November 2018 | 20 January 2019",  # a range: a second stamp has its label
    "Updated Nov 31, 2019 | Posted Nov 30, 2019",  # a date that does not exist
    "Meeting on May 5, 2019 at 10:30", "January 2019 February 2019",
])
def test_a_date_with_words_of_its_own_or_no_real_date_stays(line: str) -> None:
    later = "Officials in Kabul said on Wednesday that the envoy would meet them on Friday."
    text = f"{BODY}\n\n{line}\n\n{later}"
    assert dedup.clean(text).text == text


def test_title_is_detected_and_kept() -> None:
    result = dedup.clean(f"Talks resume in Doha\n\n{BODY}")
    assert result.metadata.title == "Talks resume in Doha"
    assert result.text.startswith("Talks resume in Doha\n")
    title = next(f for f in result.metadata.fields if f.name == "title")
    assert result.normalized[title.start:title.end] == "Talks resume in Doha"


def test_title_after_removed_date_header() -> None:
    result = dedup.clean(f"February 12, 2021\n\nTalks resume in Doha\n\n{BODY}")
    assert result.metadata.title == "Talks resume in Doha"
    assert result.metadata.published == dt.date(2021, 2, 12)


@pytest.mark.parametrize("text", [
    BODY,  # a single paragraph has no title
    "The talks ended.\n\n" + BODY,  # a sentence is not a headline
    "Home\nNews\nSport",  # a list of short lines has no title
])
def test_no_title(text: str) -> None:
    assert dedup.clean(text).metadata.title is None


def test_find_title_skips_removed_blocks_and_needs_a_longer_follower() -> None:
    blocks = segment(f"Menu\nTalks resume in Doha\n{BODY}").blocks
    assert find_title(blocks, {0}).text == "Talks resume in Doha"  # type: ignore[union-attr]
    assert find_title(segment("Talks resume in Doha\nShort one").blocks, set()) is None


@pytest.mark.parametrize(("line", "expected"), [
    ("Talks resume in Doha", True),
    ("Talks resume.", False),
    ("Doha", False),
    (" ".join(["word"] * 26), False),
])
def test_looks_like_headline(line: str, expected: bool) -> None:
    assert looks_like_headline(segment(line).blocks[0]) is expected


def test_disabled_metadata_rules_do_not_fire() -> None:
    text = f"February 12, 2021\n\nKABUL (Reuters) - {BODY} (ANI)"
    config = dedup.CleanConfig(disabled_rules=frozenset({"metadata"}))
    result = dedup.clean(text, config=config)
    assert result.text == text
    assert result.metadata.published is None
    assert result.metadata.agency is None
    only_dates = dedup.CleanConfig(disabled_rules=frozenset({"metadata.agency_tag"}))
    assert [r.rule for r in dedup.clean(text, config=only_dates).removals] == [
        "metadata.date_header"]


def test_find_metadata_fields_point_at_their_text() -> None:
    text = f"February 12, 2021\n\nKABUL (Reuters) - {BODY}"
    found = find_metadata(text, segment(text).blocks, enabled=ALL)
    assert found.published == dt.date(2021, 2, 12)
    assert found.agency == "Reuters"
    spans = {f.name: text[f.start:f.end] for f in found.fields}
    assert spans["published"] == "February 12, 2021"
    assert spans["agency"].strip() == "KABUL (Reuters) -"
    assert [text[r.start:r.end].strip() for r in found.removals] == [
        "February 12, 2021", "KABUL (Reuters) -"]


def test_explain_false_leaves_details_empty() -> None:
    text = f"February 12, 2021\n\n{BODY}"
    found = find_metadata(text, segment(text).blocks, enabled=ALL, explain=False)
    assert [r.detail for r in found.removals] == [""]
    assert find_metadata(text, segment(text).blocks, enabled=ALL).removals[0].detail


_TAG_PIECES = ("word", "Reuters", "AP", "AFP", "Xinhua/IANS", "IANS", "AP Photo", "(", ")", "[",
               "]", " ", "\u00a0", "\u2009", "\n", "\t", ".", "-", "\x1c")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TAG_PIECES), max_size=30).map("".join), st.data())
def test_trailing_tag_finds_what_a_search_of_the_whole_block_finds(text: str,
                                                                   data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    block = Block(0, start, end, 1, 1, text[start:end], ())
    fast = M._trailing_tag(text, block)
    plain = M._TRAILING_TAG.search(text, start, end)
    assert (fast and (fast.span(), fast.group("agency"))) == (
        plain and (plain.span(), plain.group("agency")))


def test_a_date_line_under_a_headline_is_its_own_block_and_cleaning_twice_agrees() -> None:
    text = (f"{BODY}\n\nMore from the talks\n\nDelegates arrive in Doha\n21/01/2008 7:34:55 AM\n"
            "Envoys meet again\n20/01/2008 4:15:30 PM\n\nCopyright 2008 All rights reserved.")
    once = dedup.clean(text)
    assert "7:34:55" not in once.text
    assert "4:15:30" not in once.text
    assert dedup.clean(once.text).text == once.text


STORY = ("The council said on Monday it would close the old bridge over the river to all "
         "traffic for at least a month while engineers repair two of its supports. Drivers "
         "will have to use the ring road, which adds about ten minutes to a trip.")


@pytest.mark.parametrize("title_line", [
    "Bridge to close for a month | Lund News",
    "Bridge to close for a month - Lund News",
    "Lund News :: Bridge to close for a month",
])
def test_the_page_title_line_goes_when_the_headline_follows(title_line: str) -> None:
    page = "\n".join((title_line, "Bridge to close for a month", STORY))
    result = dedup.clean(page)
    assert [r.rule for r in result.removals] == ["metadata.page_title"]
    assert result.text.splitlines()[0] == "Bridge to close for a month"
    assert result.metadata.title == "Bridge to close for a month"


@pytest.mark.parametrize("page", [
    # No later headline to match: the title's words alone stay.
    "Bridge to close for a month | Lund News\n" + STORY,
    # A headline with a dash in it, no site's name: nothing repeats it.
    "Lund - Malmo ferry to stop for a month\nThe ferry will stop for a month.\n" + STORY,
    # The part beside the headline is a sentence, not a site's name.
    "Bridge to close for a month - the council says repairs will take longer than it "
    "first thought\nBridge to close for a month\n" + STORY,
])
def test_a_first_line_that_is_no_page_title_stays(page: str) -> None:
    result = dedup.clean(page)
    assert "metadata.page_title" not in {r.rule for r in result.removals}
    assert result.text.splitlines()[0] == page.splitlines()[0]


def test_a_date_label_goes_with_its_date_line() -> None:
    page = "\n".join(("Bridge to close for a month", STORY, "Posted on:", "November 19, 2019",
                      "See the map:", STORY.replace("bridge", "harbour road")))
    result = dedup.clean(page)
    removed = [(r.rule, result.normalized[r.start:r.end].strip()) for r in result.removals]
    assert ("metadata.date_line", "Posted on:") in removed
    assert ("metadata.date_line", "November 19, 2019") in removed
    # A label over no date line is no date's label.
    assert not any(text == "See the map:" for rule, text in removed if rule.startswith("metadata"))
