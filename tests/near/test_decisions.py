"""Duplicate decisions that rest on content: a mail archive, figures, reduced documents.

The archive (tests/near/mail_archive.py) is the case issue 10 measured: messages that share a
list footer, a signature and quoted text but say different things are not duplicates; the
same message sent again is. Before 0.2 four of its different messages were dropped at 0.8.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from tests.near.mail_archive import MESSAGES, RESENT, RESENT_COPIES

from dedup import DedupConfig, deduplicate, run
from dedup.figures import figures
from dedup.near.cluster import jaccard
from dedup.near.decision import MatchEvidence, decide_pair, match_evidence_batch
from dedup.near.matching import matching_text
from dedup.near.shingling import shingle_hashes_batch

ARCHIVE = [*MESSAGES.items(), *RESENT_COPIES.items()]


def duplicate_pairs(result_duplicates: object) -> dict[str, str]:
    return {d.id: d.duplicate_of for d in result_duplicates}  # type: ignore[attr-defined]


def test_mail_archive_only_resent_copies_are_duplicates() -> None:
    result = deduplicate(ARCHIVE)
    assert duplicate_pairs(result.duplicates) == RESENT


def test_mail_archive_through_the_pipeline(tmp_path: Path) -> None:
    source = tmp_path / "archive.jsonl"
    source.write_text("".join(json.dumps({"id": key, "text": text}) + "\n"
                              for key, text in ARCHIVE), encoding="utf-8")
    summary = run([source], out=tmp_path / "out", workers=1)
    manifest = [json.loads(line) for line in
                (tmp_path / "out" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    found = {row["id"]: row["duplicate_of"] for row in manifest if row["status"] == "duplicate"}
    assert found == RESENT
    assert (summary.records, summary.duplicates) == (len(ARCHIVE), len(RESENT))
    written = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    # the run matches the texts it cleaned
    assert written["similarity_measure"] == DedupConfig().measure_of(cleaned=True)


def test_a_reply_is_not_a_copy_of_the_message_it_quotes() -> None:
    assert deduplicate([("m08", MESSAGES["m08"]), ("m09", MESSAGES["m09"])]).duplicates == ()
    # Bodies only (as many archives keep them): the reply quotes all of its parent and adds
    # a line, which on the whole text is a Jaccard above 0.8.
    parent = MESSAGES["m08"].split("\n\n")[1]
    reply = ("On Thu, Bob Lee wrote:\n" + "\n".join(f"> {line}" for line in parent.split("\n"))
             + "\n\nForgot to say: bring envelopes.")
    whole = shingle_hashes_batch([parent, reply], DedupConfig(exclude_mail_parts=False))
    assert jaccard(*whole) > 0.8
    assert deduplicate([("parent", parent), ("reply", reply)]).duplicates == ()


def test_matching_text_keeps_what_the_message_says() -> None:
    text = matching_text(MESSAGES["m02"])
    assert "copper fungicide" in text
    for excluded in ("Date:", "Bob Lee wrote", "> Has anyone", "Ann Whitfield", "Secretary"):
        assert excluded not in text
    assert matching_text(MESSAGES["m13"]).strip() == ""  # an Outlook forward: all quoted


def test_a_long_tail_after_dashes_is_not_a_signature() -> None:
    text = "Intro line.\n--\n" + "\n".join(f"Point {n} of the plan." for n in range(12))
    assert matching_text(text) == text


def test_templated_reports_differing_in_figures() -> None:
    template = ("The canal authority said {} ships were waiting to transit on Tuesday, as low "
                "water levels kept draught limits in place for a third week and shipping "
                "lines rerouted some services around the cape.")
    reports = [("mon", template.format(32)), ("tue", template.format(41))]
    assert deduplicate(reports).duplicates == ()
    merged = deduplicate(reports, config=DedupConfig(normalize_numbers=True))
    assert duplicate_pairs(merged.duplicates) == {"tue": "mon"}


def test_a_copy_that_drops_a_figure_still_matches() -> None:
    story = ("Shares in the shipping group rose 4.2 percent to 1,250 pence after it said "
             "quarterly profit beat forecasts, helped by higher freight rates on its Asian "
             "routes and lower fuel costs. Analysts had expected a weaker quarter after two "
             "profit warnings from rivals, and several raised their targets for the stock. "
             "The group said demand from European importers had held up better than it "
             "feared and that its new vessels would enter service as planned next year. "
             "The company raised its dividend to 12 pence.")
    edited = story.replace(" The company raised its dividend to 12 pence.", "")
    result = deduplicate([("story", story), ("edited", edited)])
    assert duplicate_pairs(result.duplicates) == {"edited": "story"}


def test_numbered_records_are_not_duplicates() -> None:
    result = deduplicate([f"Doc {n}" for n in range(1, 501)])
    assert result.duplicates == ()
    assert len(result.keep) == 500


def test_decide_pair_names_its_reason() -> None:
    config = DedupConfig()
    shingles = np.arange(20, dtype=np.uint64)
    other = np.arange(10, 30, dtype=np.uint64)
    plain = MatchEvidence()
    assert decide_pair(shingles, other, plain, plain, config).reason == "below_threshold"
    one, two = MatchEvidence(figures=("1",)), MatchEvidence(figures=("2",))
    assert decide_pair(shingles, shingles, one, two, config).reason == "figures_differ"
    assert decide_pair(shingles, shingles, one, two,
                       DedupConfig(normalize_numbers=True)).holds
    reduced = MatchEvidence(input_shingles=np.arange(100, 200, dtype=np.uint64),
                            input_digest=b"x" * 16)
    assert decide_pair(shingles, shingles, reduced, plain, config).reason == "inputs_differ"
    # A reduced document whose input holds the other's (a story in one-sided chrome) matches.
    wrapped = MatchEvidence(input_shingles=np.arange(0, 60, dtype=np.uint64),
                            input_digest=b"y" * 16)
    assert decide_pair(shingles, shingles, wrapped, plain, config).holds


def test_documents_cut_down_to_the_same_leftovers_are_compared_on_their_inputs() -> None:
    notice = "You are receiving this because you subscribed to the allotment society list."
    first = ("Plot 9 has a wasps' nest under the water butt; please keep clear until the "
             "council removes it on Thursday afternoon.\n" + notice)
    second = ("The society's annual dinner is at the Crown this year, tickets from the "
              "treasurer by the end of the month.\n" + notice)
    texts = [notice, notice]
    config = DedupConfig()
    sets = shingle_hashes_batch(texts, config)
    left, right = match_evidence_batch(texts, sets, config, inputs=[first, second])
    assert (left.is_reduced, right.is_reduced) == (True, True)
    assert decide_pair(sets[0], sets[1], left, right, config).reason == "inputs_differ"
    # The same through deduplicate(clean=False) given the inputs: not even exact copies.
    docs = [{"id": "a", "text": notice, "input": first},
            {"id": "b", "text": notice, "input": second}]
    assert deduplicate(docs, clean=False, input_field="input").duplicates == ()
    assert len(deduplicate(docs, clean=False).duplicates) == 1


def test_figures_are_one_definition_for_cleaning_and_matching() -> None:
    # The shingler's tokens hold exactly the figures dedup.figures finds.
    from dedup.near.shingling import canonical_form
    text = "Loans of 1.3 billion, 1,200 mln and 45 pct in Q3 2026 (3.5%)."
    tokens = canonical_form(text).split()
    assert {f for token in tokens for f in figures(token)} == figures(text)


@pytest.mark.parametrize("option", ["normalize_numbers", "exclude_mail_parts"])
def test_options_that_change_shingles_change_the_signature_fingerprint(option: str) -> None:
    default = DedupConfig()
    changed = DedupConfig(**{option: not getattr(default, option)})
    assert changed.signature_fingerprint() != default.signature_fingerprint()


def test_the_index_decides_a_query_as_deduplicate_decides_a_pair() -> None:
    from dedup import NearDuplicateIndex
    template = ("The canal authority said {} ships were waiting to transit on Tuesday, as low "
                "water levels kept draught limits in place for a third week and shipping "
                "lines rerouted some services around the cape.")
    index = NearDuplicateIndex(config=DedupConfig())
    index.add_many([("mon", template.format(32))])
    assert index.query(template.format(41)) == []
    assert index.query(template.format(32)) == [("mon", 1.0)]


def _report_versions(seed: int) -> tuple[str, str, str]:
    """A story with a sentence of figures; the story without it; the figures changed."""
    words = [f"w{index}" for index in range(300)]
    rng = random.Random(seed)
    sentences = [" ".join(rng.choice(words) for _ in range(14)).capitalize() + "."
                 for _ in range(16)]
    figures = "The backlog was {0} ships on Tuesday and {1} of them were tankers."
    return (" ".join([*sentences[:8], figures.format(32, 17), *sentences[8:]]),
            " ".join(sentences),
            " ".join([*sentences[:8], figures.format(41, 22), *sentences[8:]]))


def test_a_chain_does_not_make_a_report_with_other_figures_a_duplicate() -> None:
    # A states the figures, B (an edited copy) dropped the sentence holding them, C
    # changed them: A ~ B and B ~ C hold, A and C state different figures.
    original, edited, changed = _report_versions(seed=4)
    result = deduplicate([("a", original), ("b", edited), ("c", changed)])
    assert {d.id: d.duplicate_of for d in result.duplicates} == {"b": "a"}
    assert set(result.keep) == {"a", "c"}
    assert [c.members for c in result.clusters] == [("a", "b")]


def test_members_split_off_a_cluster_are_clustered_again_among_themselves() -> None:
    # The report with other figures comes first and is kept; the original and its
    # re-cased copy conflict with it, leave, and are still one another's duplicates.
    original, edited, changed = _report_versions(seed=5)
    result = deduplicate([("changed", changed), ("original", original),
                          ("edited", edited), ("copy", original.upper())])
    assert {d.id: d.duplicate_of for d in result.duplicates} == {
        "edited": "changed", "copy": "original"}
    assert [c.members for c in result.clusters] == [("changed", "edited"), ("original", "copy")]
    assert all(d.matched == d.duplicate_of for d in result.duplicates)
