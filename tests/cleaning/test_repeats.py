"""Repeated blocks: later copies go, refrains and shared quotations stay."""

from __future__ import annotations

import pytest

import dedup
from dedup.cleaning.repeats import find_repeats
from dedup.cleaning.segment import segment
from dedup.config import RepeatConfig

TITLE = "Growers expect lower coffee export quotas"
P1 = ("Brazilian coffee growers said on Monday that the international coffee organisation was "
      "likely to cut export quotas again next quarter, after prices fell for a third month.")
P2 = ("The growers association said it expected the cut to be modest, because stocks held by "
      "consumer countries were already low and roasters were buying less than a year ago.")
P3 = ("Traders said that the market would stay nervous until the quotas were announced, and "
      "that most of them had already reduced their positions for the season.")
P4 = ("The association will meet again in London at the end of the month, when it is expected "
      "to publish its first estimate of the next harvest.")


def removed(result: dedup.CleanResult) -> list[tuple[str, str, str]]:
    return [(r.rule, result.normalized[r.start:r.end].strip(), r.detail)
            for r in result.removals]


def test_later_exact_copy_is_removed_with_its_source_line() -> None:
    result = dedup.clean("\n".join((TITLE, P1, P2, P3, P1)))
    assert removed(result) == [("repeat.block", P1, "repeats line 2")]
    assert result.text == "\n".join((TITLE, P1, P2, P3))


def test_near_copy_with_light_edits_is_removed() -> None:
    edited = P2.replace("modest", "small").replace("already ", "")
    result = dedup.clean("\n".join((TITLE, P1, P2, P3, edited)))
    assert [rule for rule, _, _ in removed(result)] == ["repeat.block"]


def test_run_of_copies_is_merged_into_one_removal() -> None:
    result = dedup.clean("\n".join((TITLE, P1, P2, P3, P4, P1, P2, P3)))
    assert removed(result) == [("repeat.block", "\n".join((P1, P2, P3)),
                                "lines 6-8 repeat lines 2-4")]
    assert result.text == "\n".join((TITLE, P1, P2, P3, P4))


def test_whole_article_pasted_twice_keeps_one_copy() -> None:
    article = "\n\n".join((P1, P2, P3, P4))
    result = dedup.clean(f"{TITLE}\n\n{article}\n\n{TITLE}\n\n{article}")
    assert result.text == f"{TITLE}\n\n{article}"
    assert {rule for rule, _, _ in removed(result)} <= {"repeat.block", "repeat.title"}


def test_teaser_is_a_shortened_copy() -> None:
    teaser = ("Brazilian coffee growers said on Monday that the international coffee "
              "organisation was likely to cut export quotas")
    result = dedup.clean("\n".join((TITLE, P1, P2, P3, teaser)))
    assert removed(result) == [("repeat.teaser", teaser, "line 5 is a shortened copy of line 2")]


def test_repeated_title_is_removed() -> None:
    result = dedup.clean("\n".join((TITLE, P1, P2, TITLE, P3)))
    assert removed(result) == [("repeat.title", TITLE, "line 4 repeats the title line 1")]
    assert result.metadata.title == TITLE
    # A blank line stands where the copy was, so the two paragraphs stay two.
    assert result.text == "\n".join((TITLE, P1, P2)) + "\n\n" + P3


def test_short_refrains_stay() -> None:
    interview = "\n".join((
        "Coffee growers talk about the quotas",
        "Q:", "How bad is the situation for the farms in the south this year?",
        "A:", "It is the worst season we have seen since the frost of the early nineties.",
        "Q:", "Will the organisation cut the quotas again before the harvest begins?",
        "A:", "Most of us expect a modest cut, but nobody knows how large it will be.",
    ))
    # Repeats only: the line classifier's trouble with all-short pages is pinned in
    # test_linescore.test_interview_of_short_lines_keeps_its_first_question.
    config = dedup.CleanConfig(disabled_rules=frozenset({"boilerplate.low_content"}))
    result = dedup.clean(interview, config=config)
    assert result.text == interview
    assert result.removals == ()


def test_a_chorus_of_short_lines_stays() -> None:
    song = "\n".join((
        "The coffee song of the hills",
        "We pick the beans at dawn and carry them down the long road to the river town.",
        "Oh the hills, oh the hills",
        "Green and red",
        "The buyers come in autumn with their scales and their trucks and their thin smiles.",
        "Oh the hills, oh the hills",
        "Green and red",
        "And when the rain is late we wait and pray and count the sacks again at night.",
        "Oh the hills, oh the hills",
        "Green and red",
    ))
    result = dedup.clean(song, config=dedup.CleanConfig(
        disabled_rules=frozenset({"boilerplate.low_content"})))
    assert result.text == song


def test_a_sentence_quoted_twice_in_different_paragraphs_stays() -> None:
    quote = "\u201cWe will not accept any cut that hurts the small farms,\u201d he said."
    a = ("The minister met growers in the south on Monday and listened to their complaints "
         "about prices and the weather for most of the afternoon. " + quote)
    b = (quote + " The same words were repeated by the association in a statement on "
         "Tuesday, which also asked the government for cheaper credit for the coming season.")
    text = "\n".join((TITLE, a, P2, b))
    assert dedup.clean(text).text == text


def test_two_paragraphs_on_one_topic_are_not_copies() -> None:
    other = ("Coffee growers in Brazil also said on Monday that export quotas set by the "
             "organisation had been cut twice last year, when prices were higher than now.")
    text = "\n".join((TITLE, P1, P2, other))
    result = dedup.clean(text)
    assert result.text == text
    assert result.removals == ()


def test_min_similarity_is_respected() -> None:
    # Half of the later paragraph is new (and names no one new): a copy at 0.3,
    # not at the default 0.5.
    half = ("Brazilian coffee growers said on Monday that the international coffee organisation "
            "was likely to cut export quotas, while farmers in other countries said they "
            "had planted more trees and would ignore the talks entirely.")
    text = "\n".join((TITLE, P1, P2, half))
    assert dedup.clean(text).text == text
    loose = dedup.CleanConfig(repeats=RepeatConfig(min_similarity=0.3))
    assert [r.rule for r in dedup.clean(text, config=loose).removals] in (
        ["repeat.block"], ["repeat.teaser"])
    strict = dedup.CleanConfig(repeats=RepeatConfig(min_similarity=1.0))
    edited = P2.replace("modest", "small")
    text = "\n".join((TITLE, P1, P2, P3, edited))
    assert dedup.clean(text, config=strict).text == text


def test_min_words_is_respected() -> None:
    line = "The talks resume in Doha soon."
    text = "\n".join((TITLE, P1, line, P2, P3, line))
    assert dedup.clean(text).text == text  # 6 words < min_words: only removed inside a run
    config = dedup.CleanConfig(repeats=RepeatConfig(min_words=4))
    assert [r.rule for r in dedup.clean(text, config=config).removals] == ["repeat.block"]


def test_repeated_table_row_of_numbers_is_not_a_copy() -> None:
    row = "Q1 2020 1,210 1,405 1,377 1,098 1,210 1,405 1,377 1,098"
    text = "\n".join((TITLE, P1, row, P2, row, P3))
    assert dedup.clean(text).text == text


def test_repeat_family_can_be_disabled() -> None:
    text = "\n".join((TITLE, P1, P2, P3, P1))
    config = dedup.CleanConfig(disabled_rules=frozenset({"repeat"}))
    assert dedup.clean(text, config=config).text == text


def test_find_repeats_skips_removed_blocks_and_explain_false() -> None:
    blocks = segment("\n".join((P1, P2, P1))).blocks
    assert find_repeats(blocks, RepeatConfig(), removed=frozenset({0})) == ()
    (quiet,) = find_repeats(blocks, RepeatConfig(), explain=False)
    assert (quiet.rule, quiet.detail, quiet.start) == ("repeat.block", "", blocks[2].start)


@pytest.mark.parametrize("size", [1, 2, 5])
def test_shingle_size_still_finds_exact_copies(size: int) -> None:
    blocks = segment("\n".join((P1, P2, P1))).blocks
    found = find_repeats(blocks, RepeatConfig(shingle_size=size))
    assert [(r.rule, r.start) for r in found] == [("repeat.block", blocks[2].start)]


def test_a_sentence_restated_alone_between_paragraphs_stays() -> None:
    lead = ("Manufacturing productivity declined 0.1 pct in the fourth quarter after a 3.6 pct "
            "increase in the third quarter, the Labor Department said on Tuesday morning.")
    restated = ("Manufacturing productivity declined 0.1 pct after a 3.6 pct increase in the "
                "third quarter.")
    text = "\n\n".join([
        lead,
        "Output per hour in the business sector as a whole rose slightly, helped by services.",
        restated,
        "Economists had expected a small gain and said the figures would be revised next month.",
    ])
    blocks = segment(text).blocks
    assert find_repeats(blocks, RepeatConfig()) == ()
    shortened = text + "\n\n" + restated  # the same sentence again, trailing the text: a teaser
    found = find_repeats(segment(shortened).blocks, RepeatConfig())
    assert [r.rule for r in found] == ["repeat.teaser"]


def test_a_parallel_sentence_with_other_names_is_not_a_copy() -> None:
    # One template, other names: reference text of an API, a list of records.
    first = ("Uses the DNS protocol to resolve mail exchange records (MX records) for the "
             "hostname. The addresses argument passed to the callback function will contain an "
             "array of objects.")
    later = ("Uses the DNS protocol to resolve pointer records (PTR records) for the hostname. "
             "The addresses argument passed to the callback function will be an array.")
    text = "\n".join((TITLE, P1, first, P2, later))
    assert dedup.clean(text).text == text
    # The same sentence naming nothing new is a teaser of the first.
    teaser = ("Uses the DNS protocol to resolve mail exchange records (MX records) for the "
              "hostname. The addresses argument will contain objects.")
    assert [r.rule for r in dedup.clean("\n".join((TITLE, P1, first, P2, teaser))).removals
            ] == ["repeat.teaser"]


def test_a_code_example_shown_twice_keeps_both_copies() -> None:
    # API docs show each example once per module system; code is data, not a pasted block.
    code = ("const { createGzip } = require('node:zlib');\n"
            "const done = await pipeline(source, createGzip({ level: 9 }), createWriteStream(o));")
    text = "\n\n".join((P1, "With CommonJS:", code, P2, "With ES modules:", code, P3))
    result = dedup.clean(text)
    assert not [r for r in result.removals if r.rule.startswith("repeat.")]
    assert result.text.count("createGzip({ level: 9 })") == 2


def test_a_refrain_found_three_times_keeps_every_copy() -> None:
    # Reference docs describe a parameter under every function that takes it.
    param = "The buffer parameter can be any typed array, data view or array buffer."
    sections = [f"{name}(buffer, options)\n\n{what}\n\n{param}" for name, what in (
        ("deflate", P1), ("inflate", P2), ("unzip", P3))]
    result = dedup.clean("\n\n".join(sections))
    assert result.text.count(param) == 3
    # Twice is a pasted copy, as before.
    twice = dedup.clean("\n\n".join(sections[:2]))
    assert twice.text.count(param) == 1


def test_a_section_heading_listed_in_the_contents_above_stays() -> None:
    contents = ["Table of Contents", "2.5.1. Fetching of the meta data for the package",
                "2.5.2. Checking the signatures of the archive files", "2.5.3. Upgrading"]
    text = "\n".join((*contents, "", "2.5.1. Fetching of the meta data for the package", "", P1,
                      "", "2.5.2. Checking the signatures of the archive files", "", P2))
    result = dedup.clean(text)
    assert not [r for r in result.removals if r.rule.startswith("repeat.")]
    # A copy of the headline in a list under the story is still a copy: it heads no prose.
    related = dedup.clean("\n".join((TITLE, P1, P2, "Related stories", TITLE,
                                     "Oil prices rise for a third week in a row")))
    assert [r.rule for r in related.removals if r.rule.startswith("repeat.")] == ["repeat.title"]


def test_short_lines_and_parallel_sentences_in_chinese_and_japanese_are_not_copies() -> None:
    # One character is a token there: "preinst スクリプトの実行" shares four character
    # 3-grams with a contents entry, and is five words' worth, not nine.
    text = ("2.6.5. 壊れたパッケージスクリプトの修正\n\n"
            "パッケージの設定に失敗した場合は、スクリプトを確認してから再実行してください。\n\n"
            "preinst スクリプトの実行\n\n"
            "如 passwd(5) 中所述，这个文件中被冒号分隔的每项含义如下，请逐项检查。\n\n"
            "如 shadow(5) 中所述，这个文件中被冒号分隔的每项含义如下，请逐项检查。")
    result = dedup.clean(text)
    assert not [r for r in result.removals if r.rule.startswith("repeat.")]
