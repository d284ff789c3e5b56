"""Phrase-list boilerplate: whole lines named by a rule go, prose using the same words stays."""

from __future__ import annotations

import sys

import pytest

import dedup
from dedup.cleaning.boilerplate import find_boilerplate
from dedup.cleaning.lexicon import build_phrasebook
from dedup.cleaning.segment import segment

TITLE = "Growers expect lower coffee export quotas"
ARTICLE = (
    "Brazilian coffee growers said on Monday that the international coffee organisation was "
    "likely to cut export quotas again next quarter, after prices fell for a third month.",
    "The growers association said it expected the cut to be modest, because stocks held by "
    "consumer countries were already low and roasters were buying less than a year ago.",
    "He said the two parties would share the post of deputy minister until the next "
    "election, and that both had agreed to the plan in writing.",
    "Traders said that the market would stay nervous until the quotas were announced, "
    "and that most of them had already reduced their positions for the season.",
)

# (rule, language, line): each line is a whole line of page furniture.
LINES = [
    ("navigation", "en", "Skip to main content"),
    ("navigation", "en", "Skip to main content Skip to main Navigation"),
    ("navigation", "fr", "Aller au contenu principal"),
    ("share", "en", "Follow The Examiner on"),
    ("share", "en", "Copy Link URL Copied!"),
    ("read_more", "de", "Weitere Beiträge zum Thema"),
    ("read_more", "ru", "Вам также может быть интересно"),
    ("navigation", "de", "Zum Inhalt springen"),
    ("navigation", "ru", "Перейти к содержимому"),
    ("navigation", "fa", "رفتن به محتوای اصلی"),
    ("navigation", "ar", "تخطى إلى المحتوى"),
    ("navigation", "es", "Saltar al contenido"),
    ("share", "en", "Share this post"),
    ("share", "fr", "Partager cet article"),
    ("share", "de", "Diesen Artikel teilen"),
    ("share", "ru", "Поделиться"),
    ("share", "fa", "اشتراک گذاری"),
    ("share", "es", "Compartir"),
    ("comment_prompt", "en", "Please enter your comment!"),
    ("comment_prompt", "fr", "Veuillez entrer votre commentaire !"),
    ("comment_prompt", "de", "Bitte geben Sie Ihren Kommentar ein!"),
    ("comment_prompt", "fa", "لطفا نظر خود را وارد کنید!"),
    ("comment_prompt", "ar", "الرجاء إدخال تعليقك!"),
    ("newsletter", "en", "Subscribe to the newsletter"),
    ("newsletter", "de", "Abonnieren Sie unseren Newsletter"),
    ("newsletter", "fa", "ثبت نام در خبرنامه"),
    ("newsletter", "ar", "النشرة الإخبارية"),
    ("newsletter", "ru", "Подпишитесь"),
    ("cookie_notice", "en", "This website uses cookies to improve your experience."),
    ("cookie_notice", "fr", "Ce site utilise des cookies pour améliorer votre expérience."),
    ("cookie_notice", "es", "Este sitio web utiliza cookies para mejorar su experiencia."),
    ("cookie_notice", "de", "Cookie-Einstellungen"),
    ("advertisement", "en", "Advertisement"),
    ("advertisement", "fr", "Publicité"),
    ("advertisement", "de", "Anzeige"),
    ("advertisement", "ru", "Реклама"),
    ("advertisement", "fa", "تبلیغات"),
    ("read_more", "en", "Read more: Coffee prices fall again"),
    ("read_more", "fr", "À lire aussi : la récolte de café"),
    ("read_more", "ru", "Читайте также"),
    ("read_more", "fa", "بیشتر بخوانید"),
    ("read_more", "ar", "مقالات ذات صلة"),
    ("image_placeholder", "en", "Image"),
    ("image_placeholder", "fa", "تصویر بندانگشتی"),
    ("image_placeholder", "en", "https://example.com/assets/images/logos/og-image-logo.png"),
    ("image_placeholder", "en", "http://example.org/wp-content/uploads/2018/IMG_07.jpg 540 960"),
    ("copyright", "en", "© 2021 Coffee Daily. All rights reserved."),
    ("copyright", "fr", "© 2021 Le Journal du Café"),
    ("counter", "en", "12 comments"),
    ("counter", "en", "3.4K shares"),
    ("navigation", "en", "Return to top"),
    ("navigation", "en", "Page 2 of 5"),
    ("share", "en", "Printer friendly version"),
    ("share", "en", "E-mail this to a friend"),
    ("share", "en", "Text size"),
    ("comment_prompt", "en", "Send a letter to the editor"),
    ("advertisement", "en", "Story continues below"),
    ("image_placeholder", "en", "View larger image"),
    ("read_more", "en", "Learn more >"),
    ("newsletter", "en", "Thank you for subscribing!"),
    ("navigation", "de", "Seite 2 von 5"),
    ("share", "de", "Druckversion"),
    ("comment_prompt", "de", "Leserbrief schreiben"),
    ("navigation", "fr", "Page 2 sur 5"),
    ("navigation", "es", "Página 2 de 5"),
]
IDS = [f"{rule}-{lang}-{i}" for i, (rule, lang, _) in enumerate(LINES)]


def page(*inserted: str) -> str:
    """The article with ``inserted`` lines between its second and third paragraphs."""
    return "\n\n".join((TITLE, *ARTICLE[:2], *inserted, *ARTICLE[2:]))


BOOK = build_phrasebook(dedup.CleanConfig().languages)


@pytest.mark.parametrize(("rule", "lang", "line"), LINES, ids=IDS)
def test_phrase_book_names_the_line(rule: str, lang: str, line: str) -> None:
    source = BOOK.match(line)
    assert source is not None
    assert source.rule == f"boilerplate.{rule}"


@pytest.mark.parametrize(("rule", "lang", "line"), LINES, ids=IDS)
def test_clean_removes_the_whole_line_under_its_rule(rule: str, lang: str, line: str) -> None:
    result = dedup.clean(page(line))
    assert [(r.rule, result.normalized[r.start:r.end].strip()) for r in result.removals] == [
        (f"boilerplate.{rule}", line)]
    assert result.text == page()


def test_boilerplate_lines_around_every_paragraph() -> None:
    chosen = LINES[::7][:7]
    lines = [line for _, _, line in chosen]
    assert len(lines) == 7
    text = "\n\n".join((lines[0], TITLE, lines[1], ARTICLE[0], lines[2], ARTICLE[1], lines[3],
                         ARTICLE[2], lines[4], ARTICLE[3], lines[5], lines[6]))
    result = dedup.clean(text)
    assert result.text == "\n\n".join((TITLE, *ARTICLE))
    assert [r.rule for r in result.removals] == [f"boilerplate.{r}" for r, _, _ in chosen]


def test_removal_detail_names_line_and_list() -> None:
    result = dedup.clean(page("Share this post"))
    (removal,) = result.removals
    assert removal.detail == "'Share this post' on line 7 (en phrase list)"


@pytest.mark.parametrize("prose", [
    "He said the two parties would share the post of deputy minister.",
    "Read more about the plan in the report the ministry published on Monday.",
    "Subscribe, the minister told farmers, to the new insurance scheme before March.",
    "The image of the country abroad has suffered, the spokesman said.",
    "Advertisement revenue at the newspaper fell by a third last year.",
    "The home secretary said the menu of options was still being discussed.",
    "Twelve comments were received during the consultation, officials said.",
    "This website uses the word cookies in a sentence that is really about biscuits and tea "
    "and goes on for a long while, much longer than any consent banner, which is fine.",
    "The data are delayed at least 15 minutes because the exchange sells the live feed.",
    "See https://example.com/chart.png for the figures the ministry published on Monday.",
    "Page 2 of the report, which the ministry published on Monday, lists the new quotas.",
    "Growers who want to learn more can write to the association before the end of March.",
    "The story continues below the fold in the printed edition, the editor said on Monday.",
])
def test_prose_with_those_words_stays(prose: str) -> None:
    text = page(prose)
    result = dedup.clean(text)
    assert result.text == text, [(r.rule, r.detail) for r in result.removals]


@pytest.mark.parametrize(("rule", "notice"), [
    ("boilerplate.cookie_notice", "We use cookies and other tracking technologies to improve your "
                                  "browsing experience on our site and to show personalized "
                                  "content. By choosing I Accept, you consent to our use of "
                                  "cookies."),
    ("boilerplate.copyright", "Copyright © 2019 BBC. The BBC is not responsible for the content "
                              "of external sites. Read about our approach to external linking."),
    ("boilerplate.copyright", "Quotes delayed at least 15 minutes. Real-time quotes provided by "
                              "BATS BZX Real-Time Price. Market Data provided by Interactive "
                              "Data."),
    ("boilerplate.copyright", "Most stock quote data provided by BATS. Market indices are shown "
                              "in real time, except for the DJIA, which is delayed by two "
                              "minutes."),
    ("boilerplate.newsletter", "Get breaking news alerts and special reports. The news and "
                               "stories that matter, delivered weekday mornings."),
    ("boilerplate.newsletter", "Let our news meet your inbox. The news and stories that matter, "
                               "delivered weekday mornings."),
    ("boilerplate.newsletter", "An email with an activation link has just been sent to your "
                               "email address. Please activate your subscription by clicking "
                               "the link."),
    ("boilerplate.cookie_notice", "This site is protected by reCAPTCHA and the Google Privacy "
                                  "Policy and Terms of Service apply."),
    ("boilerplate.cookie_notice", "We've detected you are on Internet Explorer. For the best "
                                  "experience, please update to a modern browser."),
    ("boilerplate.cookie_notice", "Your browser is no longer supported. Please switch to a "
                                  "supported browser to keep reading."),
])
def test_a_notice_longer_than_a_button_goes(rule: str, notice: str) -> None:
    # Notices are sentences by nature: their patterns are tried past 12 words.
    result = dedup.clean(page(notice))
    assert notice not in result.text
    assert rule in [r.rule for r in result.removals]


def test_a_lower_case_wrapped_line_ending_in_share_is_not_a_button() -> None:
    assert BOOK.match("share.") is None
    assert BOOK.match("Share") is not None


def test_prefix_rules_only_fire_on_short_lines() -> None:
    assert BOOK.match("Follow us on Twitter") is not None
    long_line = ("Follow us on the long road the minister took when he crossed the mountains "
                 "and the rivers of the north in the winter")
    assert BOOK.match(long_line) is None


CUSTOM = dedup.CustomRule(rule="custom.promo", phrases=("Buy the print edition",),
                          patterns=(r"Offer ends \d+ [A-Z][a-z]+",))


def test_custom_phrase_and_pattern_remove_lines_under_custom_ids() -> None:
    text = page("BUY  the print   edition", "Offer ends 31 March")
    result = dedup.clean(text, config=dedup.CleanConfig(custom_rules=(CUSTOM,)))
    assert result.text == page()
    assert [r.rule for r in result.removals] == ["custom.promo", "custom.promo"]
    assert all("your rule" in r.detail for r in result.removals)


def test_custom_pattern_with_an_inline_flag_compiles_and_fires() -> None:
    # "(?i)" must start its expression: joined into an alternation after other
    # patterns it used to make the phrase book fail to compile.
    rule = dedup.CustomRule(rule="custom.code", patterns=("(?i)promo code \\d+",))
    text = page("PROMO CODE 123")
    result = dedup.clean(text, config=dedup.CleanConfig(custom_rules=(rule, CUSTOM)))
    assert result.text == page()
    assert [r.rule for r in result.removals] == ["custom.code"]


def test_custom_pattern_must_match_the_whole_line() -> None:
    text = page("The offer ends 31 March for readers in the north, the publisher said.")
    result = dedup.clean(text, config=dedup.CleanConfig(custom_rules=(CUSTOM,)))
    assert result.text == text


@pytest.mark.parametrize("disabled", ["custom.promo", "custom"])
def test_custom_rule_can_be_disabled(disabled: str) -> None:
    text = page("Buy the print edition")
    config = dedup.CleanConfig(custom_rules=(CUSTOM,), disabled_rules=frozenset({disabled}))
    assert dedup.clean(text, config=config).text == text


def test_disabled_rule_by_id_keeps_that_rule_only() -> None:
    text = page("Share this post", "Advertisement")
    config = dedup.CleanConfig(disabled_rules=frozenset({"boilerplate.share"}))
    result = dedup.clean(text, config=config)
    # The line classifier may still judge the line by its shape; the phrase rule is off.
    assert "boilerplate.share" not in {r.rule for r in result.removals}
    assert "boilerplate.advertisement" in {r.rule for r in result.removals}
    config = dedup.CleanConfig(disabled_rules=frozenset({"boilerplate.share",
                                                         "boilerplate.low_content"}))
    result = dedup.clean(text, config=config)
    assert [r.rule for r in result.removals] == ["boilerplate.advertisement"]
    assert result.text == page("Share this post")


def test_disabled_family_keeps_every_phrase_line() -> None:
    text = page("Share this post", "Advertisement", "12 comments")
    config = dedup.CleanConfig(disabled_rules=frozenset({"boilerplate"}))
    result = dedup.clean(text, config=config)
    assert result.text == text
    assert result.removals == ()


def test_languages_restrict_the_phrase_lists() -> None:
    text = page("Partager cet article")
    assert dedup.clean(text, config=dedup.CleanConfig(languages=("fr",))).text == page()
    en_only = dedup.CleanConfig(languages=("en",), disabled_rules=frozenset(
        {"boilerplate.low_content"}))
    assert dedup.clean(text, config=en_only).text == text


def test_find_boilerplate_skips_given_blocks_and_explain_false() -> None:
    blocks = segment("Skip to main content\nShare this post\nReal text here.").blocks
    found = find_boilerplate(blocks, BOOK, is_enabled=lambda rule: True, skip=frozenset({0}))
    assert [(r.rule, r.start) for r in found] == [("boilerplate.share", blocks[1].start)]
    quiet = find_boilerplate(blocks, BOOK, is_enabled=lambda rule: True, explain=False)
    assert [r.detail for r in quiet] == ["", ""]


def test_a_pattern_in_several_lists_is_tried_once_and_reports_the_first_list() -> None:
    book = build_phrasebook(("en", "fr", "it", "pl"))
    shared = r"(?:©|&copy;).{0,200}"
    assert sum(part == shared for rule in book.patterns.rules for part in rule) == 1
    source = book.match("© 2024 Gazzetta del Borgo")
    assert source is not None
    assert (source.rule, source.language) == ("boilerplate.copyright", "en")


@pytest.mark.parametrize("line", ["close()", "    sections()", "     |  __del__(...)",
                                  "        --help", "     |      recommended.", "Del_"])
def test_a_name_in_a_program_is_no_menu_entry(line: str) -> None:
    # pydoc pages and READMEs list methods and options one a line; with the edge
    # punctuation folded away their words are a menu's ("Close", "Del", "Help").
    book = build_phrasebook(dedup.CleanConfig().languages)
    assert book.match(line) is None
    assert book.match(line.strip(" |_()-.").capitalize()) is not None  # the label itself


@pytest.mark.parametrize(("line", "label"), [("...    </plus>", "Plus"), ('    "plus": {', "Plus"),
                                           ("  <share/>", "Share"), ('<plus a="x">', "Plus")])
def test_a_tag_or_a_key_in_markup_is_no_menu_entry(line: str, label: str) -> None:
    book = build_phrasebook(dedup.CleanConfig().languages)
    assert book.match(line) is None
    assert book.match(label) is not None


def test_an_xml_example_keeps_its_tags() -> None:
    # A README's XML and JSON example: French "plus" ("More") is a menu entry, a tag is not.
    readme = ("# xmltodict\n\nIt makes working with XML feel like you are working with JSON, "
              "as in this example:\n\n```python\n>>> print(parse(\"\"\"\n...  <doc>\n"
              '...    <plus a="complex">\n...      element as well\n...    </plus>\n'
              '...  </doc>\n...  """))\n{\n    "plus": {\n        "@a": "complex"\n    }\n}\n```\n')
    result = dedup.clean(readme)
    assert not [r for r in result.removals if r.rule == "boilerplate.navigation"]


def test_a_heading_in_capitals_over_indented_text_stays() -> None:
    # A man page's or pydoc's NAME, not the comment form's "Name" field.
    page = ("NAME\n       ls - list directory contents\n\nSYNOPSIS\n       ls [OPTION]... "
            "[FILE]...\n\nDESCRIPTION\n       List information about the FILEs (the current "
            "directory by default).\n")
    assert dedup.clean(page).text == page
    form = f"{ARTICLE[0]}\n\nLeave a Reply\nNAME\nEMAIL\nWebsite\n\n{ARTICLE[1]}"
    result = dedup.clean(form)
    assert "NAME" not in result.text
    assert [r.rule for r in result.removals][:2] == ["boilerplate.comment_prompt"] * 2


def test_a_line_whose_only_letter_comes_from_casefolding_is_read() -> None:
    # U+0345 is no letter, but casefolds to one: the key holds a letter the line does not.
    marks = [c for c in map(chr, range(sys.maxunicode + 1))
             if not c.isalnum() and any(x.isalnum() for x in c.casefold())]
    assert "\u0345" in marks
    book = build_phrasebook(dedup.CleanConfig().languages)
    for mark in marks:
        for line in (mark, f"» {mark} «", f"__{mark}__()"):
            assert book.match(line) is None
    assert dedup.clean("Talks resumed on Monday, officials said.\n\n\u0345\n").text
