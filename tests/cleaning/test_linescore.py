"""The main-text model: keep every paragraph of prose, drop the page around it (low_content)."""

from __future__ import annotations

import itertools
import textwrap

import pytest
from tests.cleaning.fixtures import WIRE

import dedup
from dedup.cleaning._text import words
from dedup.cleaning.evidence import aligned_columns, terse_menus
from dedup.cleaning.lexicon import detect_language
from dedup.cleaning.linescore import (
    _listing,
    _paragraphs_in_a_row,
    classify_blocks,
    find_low_content,
    main_region,
)
from dedup.cleaning.segment import Block, segment
from dedup.config import LineScoreConfig

MENU = ("Coffee Daily", "Markets", "Commodities", "Farming", "Weather", "Podcasts")
HEADLINE = "Growers expect lower coffee export quotas"
ARTICLE = (
    "Brazilian coffee growers said on Monday that the international coffee organisation was "
    "likely to cut export quotas again next quarter, after prices fell for a third month in "
    "a row on the futures market in New York, where most of the crop is traded.",
    "The growers association said it expected the cut to be modest, because the stocks that "
    "are held by consumer countries were already low and the roasters were buying less than "
    "they did a year ago at this time of the season.",
    "What the traders expect",
    "Traders said that the market would stay nervous until the quotas were announced, and that "
    "most of them had already reduced their positions for the rest of the season, which ends "
    "in September.",
    "Prices rose slightly.",
    "The association will meet again in London at the end of the month, when it is expected to "
    "publish its first estimate of the next harvest and of the exports it will allow.",
)
RELATED = ("Related coverage", "Tea prices climb in Kenya", "Cocoa harvest delayed by rain",
           "Sugar exports hit record", "Five charts on the coffee market")
FOOTER = ("About us", "Contact", "Privacy policy", "Terms of use", "Coffee Daily Media Group")

PAGE = "\n".join((*MENU, HEADLINE, *ARTICLE, *RELATED, *FOOTER))
ARTICLE_TEXT = "\n".join((HEADLINE, *ARTICLE))


def test_page_keeps_the_article_and_drops_the_rest() -> None:
    result = dedup.clean(PAGE)
    assert result.text == ARTICLE_TEXT


def test_removed_page_lines_say_what_they_were_among() -> None:
    result = dedup.clean(PAGE)
    low = {result.normalized[r.start:r.end].strip(): r.detail for r in result.removals
           if r.rule == "boilerplate.low_content"}
    assert set(low) == {*MENU, *RELATED[1:], FOOTER[-1]}
    for line, detail in low.items():
        assert detail.startswith(repr(line))
        assert detail.endswith("among boilerplate")
    # Lines a phrase list names keep their own rule.
    by_rule = {result.normalized[r.start:r.end].strip(): r.rule for r in result.removals}
    assert by_rule["Related coverage"] == "boilerplate.read_more"


def test_subheadings_and_one_line_paragraphs_inside_the_article_stay() -> None:
    kept = dedup.clean(PAGE).text.split("\n")
    assert "What the traders expect" in kept
    assert "Prices rose slightly." in kept


def test_headline_just_above_the_article_belongs_to_it() -> None:
    result = dedup.clean(PAGE)
    assert result.text.startswith(HEADLINE + "\n")
    assert dedup.clean(result.text).metadata.title == HEADLINE


def test_title_is_found_after_the_menu_above_it_is_classified_away() -> None:
    assert dedup.clean(PAGE).metadata.title == HEADLINE


def test_line_score_can_be_turned_off() -> None:
    for config in (dedup.CleanConfig(line_score=LineScoreConfig(enabled=False)),
                   dedup.CleanConfig(disabled_rules=frozenset({"boilerplate.low_content"}))):
        result = dedup.clean(PAGE, config=config)
        assert "boilerplate.low_content" not in {r.rule for r in result.removals}
        assert "Markets" in result.text


def test_interview_of_short_lines_keeps_its_first_question() -> None:
    text = "\n".join((
        "Coffee growers talk about the quotas",
        "Q:", "How bad is the situation for the farms in the south this year?",
        "A:", "It is the worst season we have seen since the frost of the early nineties.",
        "Q:", "Will the organisation cut the quotas again before the harvest begins?",
        "A:", "Most of us expect a modest cut, but nobody knows how large it will be.",
    ))
    assert dedup.clean(text).text == text


def test_an_article_alone_loses_nothing() -> None:
    assert dedup.clean(ARTICLE_TEXT).removals == ()


FINNISH = (
    "Etusivu", "Uutiset", "Talous", "Urheilu",
    "Brasilialaiset kahvinviljelijät kertoivat maanantaina, että kansainvälisen kahvijärjestön "
    "odotetaan leikkaavan vientikiintiöitä jälleen ensi vuosineljänneksellä hintojen laskettua.",
    "Viljelijöiden liiton mukaan leikkaus jää pieneksi, koska kuluttajamaiden varastot ovat jo "
    "valmiiksi pienet ja paahtimot ostavat vähemmän kuin vuosi sitten.",
    "Kauppiaiden mukaan markkinat pysyvät hermostuneina, kunnes kiintiöt on julkistettu.",
    "Ota yhteyttä", "Mainosta meillä", "Tietoa meistä",
)
TURKISH = (
    "Anasayfa", "Gündem", "Ekonomi", "Spor",
    "Brezilyalı kahve üreticileri pazartesi günü yaptıkları açıklamada, uluslararası kahve "
    "örgütünün gelecek çeyrekte ihracat kotalarını yeniden düşürmesinin beklendiğini söyledi.",
    "Üreticiler birliği, tüketici ülkelerdeki stokların zaten düşük olması nedeniyle kesintinin "
    "sınırlı kalacağını ve kavurucuların geçen yıla göre daha az alım yaptığını belirtti.",
    "İletişim", "Künye",
)


@pytest.mark.parametrize("lines", [FINNISH, TURKISH], ids=["fi", "tr"])
def test_unsupported_language_never_loses_its_long_prose(lines: tuple[str, ...]) -> None:
    result = dedup.clean("\n".join(lines))
    kept = result.text.split("\n")
    for line in lines:
        if len(line) > 70:
            assert line in kept


def test_no_prose_at_all_means_nothing_removed_by_the_classifier() -> None:
    text = "\n".join(("Markets", "Commodities", "Weather", "Podcasts", "Farming"))
    assert "boilerplate.low_content" not in {r.rule for r in dedup.clean(text).removals}


@pytest.mark.parametrize(("scores", "expected"), [
    ([-5, 3, -1, 4, -10, 2], (1, 3)),
    ([0, 3, 0, -1], (0, 2)),
    ([5], (0, 0)),
    ([-1, -2, -3], None),
    ([], None),
    ([0, 0], None),
    ([2, -5, 2], (0, 0)),  # of two equal runs the earlier wins
    ([1, -1, 1], (0, 2)),  # a dip to zero does not split the run
    ([-3, 100, -50, 10, -60, 1], (1, 1)),
    ([3, -1, 3], (0, 2)),
])
def test_main_region(scores: list[float], expected: tuple[int, int] | None) -> None:
    assert main_region(scores) == expected


def test_classify_blocks_labels_menu_bad_and_prose_good() -> None:
    blocks = segment(PAGE).blocks
    classes = classify_blocks(blocks, LineScoreConfig(), languages=("en",))
    assert classes is not None
    by_text = dict(zip((b.text for b in blocks), classes, strict=True))
    assert by_text[ARTICLE[0]] == "good"
    assert by_text["Markets"] == "bad"
    assert by_text["Prices rose slightly."] == "good"


def test_classify_blocks_without_prose_returns_none() -> None:
    blocks = segment("Markets\nWeather\nPodcasts").blocks
    assert classify_blocks(blocks, LineScoreConfig(), languages=("en",)) is None


def test_hard_wrapped_story_keeps_its_paragraphs_and_table() -> None:
    result = dedup.clean(WIRE)
    for kept in ("Brazilian coffee growers said the International Coffee Organization",
                 "The growers association said", "January", "1,098",
                 "which were estimated at about 300,000 bags."):
        assert kept in " ".join(result.text.split())
    assert [r.rule for r in result.removals] == ["metadata.agency_tag"]
    assert result.metadata.agency == "Reuter"


def test_a_story_without_page_around_it_loses_nothing_to_the_classifier() -> None:
    blocks = segment(WIRE).blocks
    assert find_low_content(blocks, LineScoreConfig(), languages=("en",)) == ()


@pytest.mark.parametrize("favor", ["precision", "balanced", "recall"])
def test_every_setting_of_the_dial_keeps_the_article(favor: str) -> None:
    config = dedup.CleanConfig(favor=favor)  # type: ignore[arg-type]
    kept = dedup.clean(PAGE, config=config).text
    for paragraph in (HEADLINE, *ARTICLE):
        assert paragraph in kept


def test_the_dial_orders_what_it_keeps() -> None:
    page = "\n".join((*MENU, HEADLINE, *ARTICLE, "Share this post",
                      "Readers also liked the story about tea prices climbing in Kenya, which "
                      "you can find on our markets page.", *FOOTER))
    kept = {favor: len(dedup.clean(page, config=dedup.CleanConfig(favor=favor)).text)
            for favor in ("precision", "balanced", "recall")}
    assert kept["precision"] <= kept["balanced"] <= kept["recall"]


def test_hard_wrapped_story_keeps_its_headline() -> None:
    result = dedup.clean(WIRE)
    assert result.text.startswith("COFFEE GROWERS SEE LOWER EXPORT QUOTAS\n")


def test_hard_wrapped_story_loses_its_reuter_trailer() -> None:
    result = dedup.clean(WIRE)
    assert not result.text.rstrip().endswith("Reuter")


def test_find_low_content_explain_false() -> None:
    blocks = segment(PAGE).blocks
    found = find_low_content(blocks, LineScoreConfig(), languages=("en",), explain=False)
    assert found
    assert {r.detail for r in found} == {""}
    assert {r.rule for r in found} == {"boilerplate.low_content"}


#: An English page with its content in scripts none of our stoplists covers.
ENGLISH_CHROME = ("Table of contents", "Auto", "Light", "Dark", "Sepia", "Navy",
                  "The examples below run as written in every translation of this guide, "
                  "and each one is followed by the output it prints on the screen.")
KOREAN = ("변수의 타입을 적지 않아도 컴파일러가 값을 보고 타입을 추론합니다. "
          "그래서 코드는 짧고 읽기 쉬워집니다.")
JAPANESE = "単体テストは小さな部品を一つずつ確かめるためのものです。"
#: Hindi ends its sentences with a danda (।), not a full stop.
HINDI = ("मौसम विभाग ने सोमवार को कहा कि अगले तीन दिनों तक राजधानी में भारी बारिश हो सकती है, "
         "इसलिए लोगों को घर से निकलने से पहले मौसम की जानकारी देख लेनी चाहिए और "
         "नदी के किनारे जाने से बचना चाहिए।")
#: Thai ends a sentence with a space and a paragraph with nothing at all.
THAI = ("ผู้สื่อข่าวรายงานว่าฝนตกหนักในกรุงเทพมหานครตั้งแต่เช้าวันจันทร์ "
        "ทำให้การจราจรติดขัดในหลายพื้นที่ และโรงเรียนหลายแห่งต้องปิดการเรียนการสอนชั่วคราว "
        "เจ้าหน้าที่ขอให้ประชาชนติดตามประกาศของกรมอุตุนิยมวิทยาอย่างใกล้ชิด")


@pytest.mark.parametrize("sentence", [KOREAN, JAPANESE, HINDI, THAI],
                         ids=["ko", "ja", "hi", "th"])
def test_a_sentence_in_a_script_without_stoplist_is_prose(sentence: str) -> None:
    # Counted in English it has no stopwords: it would read as a menu entry.
    blocks = segment("\n".join((*ENGLISH_CHROME[:6], sentence, ENGLISH_CHROME[6]))).blocks
    classes = classify_blocks(blocks, LineScoreConfig(), languages=("en", "de"))
    assert classes is not None
    assert classes[6] == "good"
    assert classes[1] == "bad"


def test_a_thai_story_between_menus_keeps_every_paragraph() -> None:
    # Measured on a held-out Thai news page: before, every paragraph went as
    # "no prose, among boilerplate", none of them ending in a mark.
    second = ("ภรรยาของเขากล่าวว่าได้ทราบข่าวแล้วแต่ยังไม่ขอให้สัมภาษณ์ในตอนนี้ "
              "โดยครอบครัวจะรอผลการตรวจสอบอย่างเป็นทางการจากเจ้าหน้าที่ตำรวจก่อน")
    text = "\n".join((*ENGLISH_CHROME[:6], "Politics", THAI, second, "Share", "Facebook",
                      "Twitter", "Related", "Home", "Contact"))
    kept = dedup.clean(text).text
    assert THAI in kept
    assert second in kept
    assert "Sepia" not in kept


def test_a_cyrillic_sentence_is_judged_by_punctuation_without_the_russian_list() -> None:
    russian = ("Производители кофе в понедельник заявили, что квоты на экспорт снова "
               "снизятся в следующем квартале.")
    blocks = segment("\n".join((*ENGLISH_CHROME[:6], russian, ENGLISH_CHROME[6]))).blocks
    for languages in (("en",), ("en", "ru")):
        classes = classify_blocks(blocks, LineScoreConfig(), languages=languages)
        assert classes is not None
        assert classes[6] == "good", languages


def test_code_under_a_menu_is_data_not_boilerplate() -> None:
    text = "\n".join((*ENGLISH_CHROME[:6], "Error code X0042",
                      "A value was moved while it was still borrowed.",
                      "let names = vec![1, 2, 3];", "let first = &names[0];", "drop(names);",
                      ENGLISH_CHROME[6]))
    kept = dedup.clean(text).text
    for line in ("A value was moved while it was still borrowed.", "drop(names);",
                 "let first = &names[0];"):
        assert line in kept
    assert "Sepia" not in kept


def test_a_list_announced_by_a_colon_is_the_paragraphs_own() -> None:
    names = [f"- {first} {last}" for first, last in (
        ("Ada", "Quill"), ("Bram", "Tolle"), ("Cleo", "Marsh"), ("Dov", "Renn"),
        ("Esme", "Lund"), ("Fitz", "Oyelaran"), ("Gus", "Hale"), ("Hana", "Ito"))]
    text = "\n".join(("Thanks", "", "Many people have helped with this release, some with code and "
                      "some with reports, and all of it mattered. In alphabetical order:", *names))
    kept = dedup.clean(text).text
    for line in names:
        assert line in kept


def test_names_in_aligned_columns_above_a_licence_footer_are_kept() -> None:
    # A THANKS file: a name, padding, an address, then a copyright line and its
    # licence paragraph. The copyright line's evidence used to cascade up the list,
    # reading after reading, until only the licence was left.
    people = ("Ada Quill", "Bram Tolle", "Cleo Marsh", "Dov Renn", "Esme Lund",
              "Fitz Oyelaran", "Gus Hale", "Hana Ito", "Ivo Brandt", "Jun Sato", "Kai Moreno",
              "Lea Novak", "Milo Kerr", "Nia Okafor", "Otto Lind", "Pia Ruiz")
    names = [f"{name:<20}<{name.split()[0].lower()}@example.org>" for name in people]
    text = "\n".join(("Here is a list of people who helped the project.", "", *names, "",
                      "-" * 60, "Copyright (C) 2002-2022 Example Foundation, Inc.",
                      "You may copy and share this file, changed or not, in any medium",
                      "and without paying anyone, as long as the copyright line above",
                      "and this paragraph stay with it."))
    kept = dedup.clean(text).text
    for line in names:
        assert line in kept
    assert "Here is a list of people who helped the project." in kept
    assert "Copyright (C)" not in kept


def test_aligned_columns_are_plain_texts_own() -> None:
    names = segment("Ada Quill      <ada@example.org>\nBram Tolle     <bram@example.org>\n\n"
                    "Home   News   Sport\nLive TV   Audio   Watch").blocks
    assert aligned_columns(names) == {0, 1}  # the menu's gaps do not line up
    options = segment("--verbose\tprint every step\n--quiet\t\tprint nothing").blocks
    assert aligned_columns(options) == {0, 1}
    # Two spaces after a full stop are a typist's habit, not a column.
    prose = segment("The talks ended.  Both sides left.\nThe vote failed.  A new one is due."
                    ).blocks
    assert aligned_columns(prose) == frozenset()


def test_a_tables_header_cells_above_its_rows_are_not_a_menu() -> None:
    # Page text of a generated API page: the member table's header, a cell a line,
    # then its rows (code), between the site's navigation and its footer.
    header = ["Modifier and Type", "Method", "Description", "Since"]
    prose = ("Tells whether the thread matches the predicate; the threads of a group are "
             "tested one at a time, in the order the group lists them.")
    blocks = segment("\n".join((*header, "boolean test(Thread thread)", prose))).blocks
    assert terse_menus(blocks, {}) == set()
    menu = segment("\n".join((*header, prose))).blocks  # the same lines over prose: a menu
    assert terse_menus(menu, {}) == {0, 1, 2, 3}


def test_a_list_of_names_that_is_most_of_the_text_is_kept() -> None:
    # An AUTHORS file: one sentence, then the names, one to three words a line and not
    # announced with a colon. A menu's shape, but the text itself, not furniture around it.
    names = [f"{first} {last}" for first, last in itertools.product(
        ("Ada", "Ben", "Cleo", "Dev", "Esme", "Fitz"),
        ("Lund", "Oyelaran", "Hale", "Ito", "Moreau"))]
    text = "\n".join(("This is an incomplete list of the people who have worked on the "
                      "library. If you are missing here, please write to the maintainers!",
                      "", *names))
    kept = dedup.clean(text).text
    assert all(name in kept for name in names)


def test_a_terse_menu_beside_an_article_still_goes() -> None:
    menu = ("World", "Business", "Sport", "Culture", "Travel", "Weather")
    text = "\n\n".join(("\n".join(menu), *ARTICLE))
    kept = dedup.clean(text).text
    assert not any(line in kept.split("\n") for line in menu)


def test_indented_short_lines_are_not_a_menu() -> None:
    # Plain text indents its lists; page text extracted from HTML never does.
    tree = ["    " + name for name in ("Queue", "LifoQueue", "PriorityQueue", "SimpleQueue",
                                       "Empty", "Full")]
    text = "\n".join(("Classes", *tree, "", "Each class below is documented with its methods, "
                      "the exceptions it raises and an example of its use in a program."))
    result = dedup.clean(text)
    for line in tree:
        assert line.strip() in result.text
    assert not result.removals


# Pages in the languages added with their own lists (it, pt, nl, pl, sv, da, nb, id): menu, story,
# chrome inside
# it (a phrase-list line) and a cookie notice after it, which without a stoplist punctuation
# alone would call prose. Each story is ordinary prose written for this test.
NEW_LANGUAGE_PAGES = {
    "it": (
        ("Vai al contenuto", "Home", "Cronaca", "Politica", "Economia", "Sport", "Cultura"),
        ("Il comune approva il nuovo piano del traffico",
         "Il consiglio comunale ha approvato ieri sera il nuovo piano per il traffico, che entrerà "
         "in vigore dall'anno prossimo e chiuderà alle auto buona parte del centro storico.",
         "Secondo il sindaco, le modifiche ridurranno l'inquinamento nelle vie più strette, ma i "
         "commercianti temono che i clienti non riescano più a raggiungere i loro negozi.",
         "Alla seduta erano presenti anche decine di residenti, che hanno chiesto che cosa "
         "cambierà per i parcheggi e per chi accompagna ogni mattina i figli a scuola."),
        "PUBBLICITÀ",
        ("Condividi su Facebook", "Leggi anche: Le nuove tariffe dei parcheggi",
         "Articoli correlati", "Meteo", "Oroscopo", "Lavora con noi",
         "© 2024 Gazzetta del Borgo. Tutti i diritti riservati.",
         "Questo sito utilizza cookie tecnici e di profilazione per migliorare la tua esperienza "
         "di navigazione."),
    ),
    "pt": (
        ("Pular para o conteúdo", "Início", "Política", "Economia", "Esportes", "Cultura"),
        ("Prefeitura amplia horário dos ônibus",
         "A prefeitura anunciou nesta terça-feira que vai ampliar o horário dos ônibus a partir do "
         "mês que vem, com linhas até a meia-noite nos bairros mais distantes do centro.",
         "Segundo o secretário de transportes, a medida deve beneficiar cerca de 200 mil "
         "passageiros por dia, mas os moradores dizem que ainda é preciso esperar muito no ponto.",
         "Em Portugal, a câmara municipal de uma cidade vizinha anunciou que vai alargar o horário "
         "dos autocarros e que os moradores já não terão de esperar tanto tempo na paragem."),
        "Continua depois da publicidade",
        ("Compartilhar no WhatsApp", "Leia também: O que muda na tarifa", "Mais lidas",
         "Fale conosco", "Expediente", "© 2024 Jornal da Cidade. Todos os direitos reservados.",
         "Este site utiliza cookies para melhorar a sua experiência de navegação e personalizar "
         "conteúdos."),
    ),
    "nl": (
        ("Ga naar de inhoud", "Home", "Binnenland", "Buitenland", "Politiek", "Economie", "Sport"),
        ("Gemeenteraad stemt in met nieuw verkeersplan",
         "De gemeenteraad heeft gisteravond het nieuwe verkeersplan goedgekeurd, dat volgend jaar "
         "in werking treedt en een groot deel van de binnenstad autovrij maakt.",
         "Volgens de burgemeester zullen de wijzigingen de luchtvervuiling in de smalle straten "
         "verminderen, maar de winkeliers vrezen dat hun klanten de winkels niet meer kunnen "
         "bereiken.",
         "Bij de vergadering waren ook tientallen bewoners aanwezig, die wilden weten wat er "
         "verandert voor het parkeren en voor ouders die hun kinderen elke ochtend naar school "
         "brengen."),
        "Lees verder na de advertentie",
        ("Delen via WhatsApp", "Lees ook: De nieuwe parkeertarieven", "Meest gelezen",
         "Colofon", "Adverteren", "© 2024 Dagblad van het Noorden. Alle rechten voorbehouden.",
         "Deze website maakt gebruik van cookies om de site goed te laten werken en het gebruik "
         "te meten."),
    ),
    "pl": (
        ("Przejdź do treści", "Strona główna", "Kraj", "Świat", "Polityka", "Gospodarka", "Sport"),
        ("Radni przyjęli nowy plan ruchu w centrum",
         "Rada miejska przyjęła wczoraj wieczorem nowy plan ruchu, który wejdzie w życie w "
         "przyszłym roku i zamknie dla samochodów dużą część starego miasta.",
         "Według burmistrza zmiany ograniczą zanieczyszczenie powietrza w wąskich uliczkach, ale "
         "kupcy obawiają się, że ich klienci nie będą mogli dojechać do sklepów.",
         "Na sesję przyszło także kilkudziesięciu mieszkańców, którzy chcieli wiedzieć, co się "
         "zmieni w sprawie parkowania i dla rodziców odwożących co rano dzieci do szkoły."),
        "Dalsza część artykułu pod reklamą",
        ("Udostępnij na Facebooku", "Czytaj także: Nowe opłaty za parkowanie",
         "Najczęściej czytane", "Redakcja", "Reklama",
         "© 2024 Gazeta Miejska. Wszelkie prawa zastrzeżone.",
         "Ta strona używa plików cookies w celu świadczenia usług na najwyższym poziomie i do "
         "celów statystycznych."),
    ),
    "sv": (
        ("Hoppa till innehållet", "Startsida", "Inrikes", "Utrikes", "Politik", "Ekonomi",
         "Sport"),
        ("Fullmäktige godkänner ny trafikplan för centrum",
         "Kommunfullmäktige godkände i går kväll den nya trafikplanen, som börjar gälla nästa år "
         "och som stänger en stor del av innerstaden för biltrafik.",
         "Enligt kommunstyrelsens ordförande kommer förändringarna att minska luftföroreningarna "
         "i de smala gatorna, men handlarna är oroliga för att kunderna inte längre ska kunna "
         "ta sig till deras butiker.",
         "På mötet fanns också ett trettiotal invånare, som ville veta vad som ändras för "
         "parkeringen och för de föräldrar som varje morgon kör sina barn till skolan."),
        "Artikeln fortsätter under annonsen",
        ("Dela på Facebook", "Läs också: De nya parkeringsavgifterna", "Mest läst",
         "Kontakta oss", "Annonsera", "© 2024 Länstidningen Norr. Alla rättigheter förbehållna.",
         "Vi använder cookies för att webbplatsen ska fungera och för att förstå hur den "
         "används av våra besökare."),
    ),
    "da": (
        ("Gå til indhold", "Forside", "Indland", "Udland", "Politik", "Økonomi", "Sport"),
        ("Byrådet vedtager ny trafikplan for centrum",
         "Byrådet vedtog i går aftes den nye trafikplan, som træder i kraft næste år og lukker en "
         "stor del af den indre by for biler.",
         "Ifølge borgmesteren vil ændringerne mindske luftforureningen i de smalle gader, men "
         "de handlende frygter, at deres kunder ikke længere kan komme frem til butikkerne.",
         "Til mødet var der også mødt et par dusin borgere op, som ville vide, hvad der ændrer "
         "sig for parkeringen og for de forældre, der hver morgen kører deres børn i skole."),
        "Artiklen fortsætter under annoncen",
        ("Del på Facebook", "Læs også: De nye parkeringstakster", "Mest læste",
         "Kontakt os", "Annoncér hos os", "© 2024 Dagbladet Vest. Alle rettigheder forbeholdes.",
         "Denne hjemmeside bruger cookies til at huske dine indstillinger og til at lave "
         "statistik over besøgene."),
    ),
    "nb": (
        ("Hopp til innhold", "Forside", "Innenriks", "Utenriks", "Politikk", "Økonomi",
         "Sport"),
        ("Bystyret vedtar ny trafikkplan for sentrum",
         "Bystyret vedtok i går kveld den nye trafikkplanen, som trer i kraft neste år og stenger "
         "en stor del av sentrum for biler.",
         "Ifølge ordføreren vil endringene redusere luftforurensningen i de trange gatene, men "
         "butikkeierne frykter at kundene ikke lenger kommer seg fram til butikkene deres.",
         "På møtet var det også et par dusin innbyggere, som ville vite hva som endres for "
         "parkeringen og for foreldre som hver morgen kjører barna sine til skolen."),
        "Artikkelen fortsetter under annonsen",
        ("Del på Facebook", "Les også: De nye parkeringsavgiftene", "Mest lest",
         "Kontakt oss", "Annonser hos oss", "© 2024 Avisa Nordland. Alle rettigheter forbeholdt.",
         "Vi bruker informasjonskapsler for at nettstedet skal fungere og for å forstå hvordan "
         "det blir brukt av leserne."),
    ),
    "id": (
        ("Langsung ke konten", "Beranda", "Nasional", "Internasional", "Politik", "Ekonomi",
         "Olahraga"),
        ("DPRD setujui rencana lalu lintas baru untuk pusat kota",
         "Dewan perwakilan rakyat daerah menyetujui rencana lalu lintas yang baru pada Selasa "
         "malam, yang akan mulai berlaku tahun depan dan menutup sebagian besar pusat kota bagi "
         "mobil pribadi.",
         "Menurut wali kota, perubahan itu akan mengurangi polusi udara di jalan-jalan yang "
         "sempit, tetapi para pedagang khawatir pelanggan mereka tidak bisa lagi mencapai toko.",
         "Dalam rapat tersebut juga hadir puluhan warga yang ingin tahu apa yang akan berubah "
         "untuk parkir dan bagi orang tua yang setiap pagi mengantar anak mereka ke sekolah."),
        "Gulir untuk melanjutkan",
        ("Bagikan ke WhatsApp", "Baca juga: Tarif parkir yang baru", "Terpopuler",
         "Redaksi", "Pedoman Media Siber", "© 2024 Harian Nusantara. Hak cipta dilindungi.",
         "Situs ini menggunakan cookie untuk mengingat pengaturan Anda dan untuk menghitung "
         "jumlah pengunjung."),
    ),
}


def _new_language_page(lang: str) -> tuple[str, tuple[str, ...]]:
    top, story, inside, bottom = NEW_LANGUAGE_PAGES[lang]
    return "\n".join((*top, *story[:2], inside, *story[2:], *bottom)), story


@pytest.mark.parametrize("lang", sorted(NEW_LANGUAGE_PAGES))
def test_a_page_in_a_listed_language_keeps_its_story_word_for_word(lang: str) -> None:
    text, story = _new_language_page(lang)
    result = dedup.clean(text)
    assert result.text.split() == " ".join(story).split()
    removed = {result.normalized[r.start:r.end].strip() for r in result.removals}
    top, _, inside, bottom = NEW_LANGUAGE_PAGES[lang]
    assert removed >= {*top, inside, *bottom}


@pytest.mark.parametrize("lang", sorted(NEW_LANGUAGE_PAGES))
def test_a_page_in_a_listed_language_is_read_in_that_language(lang: str) -> None:
    text, _ = _new_language_page(lang)
    found, share = detect_language(words(text), dedup.CleanConfig().languages)
    assert found == lang
    assert share > 0.2


def test_spanish_and_portuguese_prose_are_told_apart() -> None:
    spanish = ("El ayuntamiento aprobó anoche el nuevo plan de tráfico, que entrará en vigor el "
               "año que viene. Según el alcalde, los cambios reducirán la contaminación en las "
               "calles del centro, pero los comerciantes temen que sus clientes no puedan llegar.")
    _, story, _, _ = NEW_LANGUAGE_PAGES["pt"]
    languages = dedup.CleanConfig().languages
    assert detect_language(words(spanish), languages)[0] == "es"
    for paragraph in story[1:]:  # Brazilian, Brazilian, European Portuguese
        assert detect_language(words(paragraph), languages)[0] == "pt", paragraph


def test_danish_and_norwegian_prose_are_told_apart() -> None:
    languages = dedup.CleanConfig().languages
    for lang in ("da", "nb", "sv"):
        _, story, _, _ = NEW_LANGUAGE_PAGES[lang]
        for paragraph in story[1:]:
            assert detect_language(words(paragraph), languages)[0] == lang, paragraph


# Plain prose in languages listed before the four added last: their lists must not change the
# answer (ties go to the language listed first, and the four are appended after it).
OLDER_LANGUAGE_PROSE = {
    "en": " ".join(ARTICLE),
    "de": "Der Stadtrat hat gestern Abend den neuen Verkehrsplan beschlossen, der im nächsten "
          "Jahr in Kraft tritt. Nach Ansicht des Bürgermeisters werden die Änderungen die Luft in "
          "den engen Gassen verbessern, aber die Händler fürchten, dass ihre Kunden nicht mehr "
          "zu den Geschäften kommen können.",
    "fr": "Le conseil municipal a adopté hier soir le nouveau plan de circulation, qui entrera "
          "en vigueur l'année prochaine. Selon le maire, ces changements réduiront la pollution "
          "dans les rues étroites, mais les commerçants craignent que leurs clients ne puissent "
          "plus accéder à leurs boutiques.",
    "nl": " ".join(NEW_LANGUAGE_PAGES["nl"][1]),
}


@pytest.mark.parametrize("lang", sorted(OLDER_LANGUAGE_PROSE))
def test_the_languages_added_last_do_not_change_older_answers(lang: str) -> None:
    languages = dedup.CleanConfig().languages
    older = languages[:languages.index("sv")]
    tokens = words(OLDER_LANGUAGE_PROSE[lang])
    assert detect_language(tokens, languages) == detect_language(tokens, older)
    assert detect_language(tokens, languages)[0] == lang


# A "Most read" widget past a border line: ranks (figures) and headlines, each
# too far from a menu's shape to be proven boilerplate on its own.
RANKED = ("Most popular", *(line for rank, headline in enumerate((
    "Man charged after crash on the ring road leaves two injured",
    "Local bakery wins national award for its sourdough bread",
    "Police appeal for witnesses to a break-in at the museum",
    "School choir to perform at the cathedral on Christmas Eve",
    "New cycle lanes open on the high street next month",
    "Council names its new chief executive after long search"), 1)
    for line in (str(rank), headline)))


def test_short_lines_past_a_border_of_the_article_go() -> None:
    result = dedup.clean("\n".join((*ARTICLE, *RANKED)))
    assert result.text == "\n".join(ARTICLE)
    strays = [r for r in result.removals if r.rule == "boilerplate.low_content"]
    assert len(strays) == 12
    assert all("past a border" in r.detail or "among boilerplate" in r.detail for r in strays)
    assert any("past a border" in r.detail for r in strays)


def test_without_a_border_the_lines_after_the_article_stay() -> None:
    text = "\n".join((*ARTICLE, *RANKED[1:]))
    assert dedup.clean(text).text == text


def test_favor_recall_keeps_the_lines_past_a_border() -> None:
    result = dedup.clean("\n".join((*ARTICLE, *RANKED)), config=dedup.CleanConfig(favor="recall"))
    assert result.text.split() == "\n".join((*ARTICLE, *RANKED[1:])).split()


# A page's blurb under the article, past its share buttons: prose, but another's.
BLURB = ("The Coffee Daily is part of a group of regional titles that covers farming, trade "
         "and markets across South America, with offices in five countries.")


def test_a_paragraph_past_two_closing_lines_goes() -> None:
    result = dedup.clean("\n\n".join((*ARTICLE, "Share this article", "Facebook", BLURB)))
    assert result.text == "\n\n".join(ARTICLE)
    (past,) = [r for r in result.removals if "past two of its closing lines" in r.detail]
    assert result.normalized[past.start:past.end].strip() == BLURB


@pytest.mark.parametrize("between", [
    ("Share this article",),  # one closing line: a README's "Back to top" over its next part
    # consent banners and newsletter boxes stand between an article's paragraphs too
    ("This website uses cookies to improve your experience.", "Subscribe to our newsletter"),
])
def test_a_paragraph_past_fewer_than_two_closing_lines_stays(between: tuple[str, ...]) -> None:
    result = dedup.clean("\n\n".join((*ARTICLE, *between, BLURB)))
    assert BLURB in result.text
    assert all(line not in result.text for line in between)


# Another story's teaser in a box above the site's menu: a paragraph of prose, but past a
# border of the article and a fraction of its length.
TOP = ("Advertisement", "Menu", "Home", "Sign in", "Subscribe")
TEASER = ("Tea growers in Kenya said on Tuesday that the price of their leaf had risen for a "
          "fourth week in a row at the auction in Mombasa, where buyers from Egypt, Pakistan "
          "and Britain paid the most they have paid since the drought of two years ago.")


def test_a_paragraph_past_a_border_of_the_article_goes() -> None:
    result = dedup.clean("\n".join((TEASER, *TOP, HEADLINE, *ARTICLE)))
    assert result.text.strip() == ARTICLE_TEXT
    (teaser,) = [r for r in result.removals if r.detail.endswith("past a border of it")]
    assert result.normalized[teaser.start:teaser.end].strip() == TEASER
    assert "a paragraph outside the main text" in teaser.detail


@pytest.mark.parametrize("page", [
    # wrapped by its writer: plain text (a README, a NEWS file), whose structure a false
    # border hit ("Back to top", "Share") says nothing of
    "\n".join((textwrap.fill(TEASER, 72), "", *TOP, "", HEADLINE, *ARTICLE)),
    # the run is too short to be sure it is the article: a one-paragraph review beside a form
    "\n".join((TEASER, *TOP, HEADLINE, ARTICLE[0])),
    # no border between: the menu is not a rule's
    "\n".join((TEASER, *MENU, HEADLINE, *ARTICLE)),
])
def test_a_paragraph_past_a_border_stays_without_all_of_the_evidence(page: str) -> None:
    assert " ".join(TEASER.split()) in " ".join(dedup.clean(page).text.split())


@pytest.mark.parametrize("own", [
    "    " + BLURB,  # indented: a quotation, a note, an example
    "- " + BLURB,  # a list item
])
def test_a_texts_own_structure_past_two_closing_lines_stays(own: str) -> None:
    result = dedup.clean("\n\n".join((*ARTICLE, "Share this article", "Facebook", own)))
    assert BLURB in result.text


def test_a_short_post_above_a_longer_comment_thread_keeps_its_text() -> None:
    # The comments are the largest run of prose: only what lies after the run can go.
    post = ("Why we moved the office",
            "We moved the office to the old mill this spring, because the rent in town had "
            "doubled and the mill has room for the workshop.")
    comments = (
        "I visited the mill last week and it is a lovely building, although the car park is "
        "small and the road up to it floods after heavy rain, which the council has promised "
        "to fix for years.",
        "We had the same problem with our rent and moved out of town two years ago; the staff "
        "were unhappy at first about the longer drive but now most of them prefer the quiet.",
        "Congratulations on the move. Will the shop stay open on Saturdays, and will you still "
        "take orders by telephone, or only through the website from now on?")
    result = dedup.clean("\n\n".join((*post, "Share this article", "Facebook", *comments)))
    assert result.text == "\n\n".join((*post, *comments))


def test_favor_recall_keeps_a_paragraph_past_two_closing_lines() -> None:
    result = dedup.clean("\n\n".join((*ARTICLE, "Share this article", "Facebook", BLURB)),
                         config=dedup.CleanConfig(favor="recall"))
    assert BLURB in result.text


@pytest.mark.parametrize("own", [
    ("Changes in version 2.1", "=" * 22),  # a heading over its underline
    ("## Notes",),  # a Markdown heading
    ("- faster start-up",),  # a list item
    ("    make install",),  # an indented line
    ("Requirements:",),  # a label over what follows
    ("It is free software.",),  # a finished sentence
    ("Installation", "Run the installer as an ordinary user, and it will ask for the "
                     "password when it needs to write to the system folders."),  # over prose
])
def test_a_texts_own_lines_past_a_border_stay(own: tuple[str, ...]) -> None:
    # A README or a NEWS file after a line a rule names (here "Back to top"):
    # what is outside the largest run of prose is still the text's own.
    text = "\n".join((*ARTICLE, "Back to top", *own))
    result = dedup.clean(text)
    for line in own:
        assert line.strip() in result.text


@pytest.mark.parametrize("indent", ["", "    ", "\t"])
def test_an_indented_block_is_never_removed_for_its_neighbours_alone(indent: str) -> None:
    # A commit message's note in a git log, between lines that read as chrome: its
    # writer's indent is the text's own structure (scraped page text has none).
    prose = ("The council said on Tuesday that work on the harbour wall would begin in May "
             "and last two years, at a cost of 4.2 million pounds, and the road stays open.")
    note = f"{indent}Spotted by Kai Berg in:\n{indent}https://example.org/tracker/issues/357"
    page = (f"{prose}\n\nShare on Facebook\nShare on X\n\n{note}\n\n"
            "Privacy Policy\nTerms of Use\nContact us")
    result = dedup.clean(page)
    assert ("Kai Berg" in result.text) == bool(indent)
    # The chrome around it goes either way: each line is a phrase rule's.
    assert "Share on Facebook" not in result.text
    assert "Privacy Policy" not in result.text


# A lede under the page's header, a box of chrome set under it, and the rest of the
# story: the lede has boilerplate on both sides, but the story goes on past the box.
PAGE_HEADER = ("Skip to main content", "Menu", "Sign in", "Subscribe", "Search")
PAGE_FOOTER = ("Related stories", "Privacy Policy", "Contact us")
BOX = ("Share on Facebook", "Back to top")
LEDES = (
    "The council said on Monday it would close the old bridge to traffic for a month.",
    "The city will close the old bridge over the river to all traffic for at least a month "
    "while engineers repair two of its supports.",
    # names and figures, few stopwords: not prose for its own features
    "Halcyon Investments Corp, a New York firm, reported a 6.9 pct stake in Research-Cottrell Inc.",
)
REST = ("Engineers found cracks in two of the supports last week, and the council does not want "
        "to take any risk while the repairs are planned and the money for them is found. "
        "Drivers will have to use the ring road, which adds about ten minutes to a trip into "
        "the town centre at the busiest times of the day, the council said in its statement.")


def _boxed_page(lede: str, rest: str, box: tuple[str, ...] = BOX) -> str:
    story = "\n\n".join(("Bridge to close for repairs", lede, *box, rest))
    return "\n".join((*PAGE_HEADER, story, *PAGE_FOOTER))


@pytest.mark.parametrize("lede", LEDES)
@pytest.mark.parametrize("rest", [REST, "    " + REST])
def test_a_lede_above_a_box_inside_the_story_stays(lede: str, rest: str) -> None:
    result = dedup.clean(_boxed_page(lede, rest))
    assert lede in result.text
    assert rest.strip() in result.text
    chrome = (*PAGE_HEADER, *BOX, *PAGE_FOOTER)
    assert not any(line in result.text.splitlines() for line in chrome)


#: A wire's earnings report, one paragraph a line: its headline and first rows stand
#: above a share box set under the lede, the rest of its rows and a note under it.
REPORT = ("NORDVIK FOODS INC <NVF> 3RD QTR AUG 31", "", "Shr profit nine cts vs loss one ct",
          "    Net profit 412,000 vs loss 37,000", "{box}", "    Revs 8.2 mln vs 7.9 mln",
          "    Nine mths", "    Shr profit 20 cts vs profit 18 cts",
          "    Net profit 861,000 vs profit 790,000", "    Revs 24.6 mln vs 23.1 mln",
          "    NOTE: Nine month net includes 51,000 dlrs vs 12,000 dlrs from asset sales.")


def test_the_headline_of_a_report_above_a_box_stays() -> None:
    # The headline is a short line with the header's chrome above it and the box
    # under the rows that follow it; the report goes on under the box, so the
    # headline and the rows are its own.
    box = ("Share on Facebook", "Share on Twitter")
    lines = [line for row in REPORT for line in (box if row == "{box}" else (row,))]
    page = "\n".join(("Sign in", "Search", "Accessibility help", *lines, "Related stories",
                      "Back to top", "Terms of Use"))
    kept = [line.strip() for line in dedup.clean(page).text.splitlines()]
    assert [row.strip() for row in REPORT if row.strip() and row != "{box}"] == [
        line for line in kept if line]


def test_a_box_is_border_lines_only() -> None:
    # An image's placeholder and credit around a caption are not a box set into a
    # story: the look through stops at them, and the short caption goes as before.
    caption = "Former Governor Anna Berg speaks with a shop owner in Lund on Tuesday."
    page = _boxed_page(caption, REST, box=("Image 1 of 5", "Photo: Per Holm, AP"))
    assert caption not in dedup.clean(page).text
    assert caption in dedup.clean(_boxed_page(caption, REST)).text


#: Plain text under a site's header: a wire story whose first paragraph is broken
#: short at its first line, so segmentation leaves it as several short blocks.
WIRE_STORY = ("HALDEN MARINE <HMR> NAMES NEW CHIEF", "",
              "Halden Marine Corp said Anna",
              "Lund, its finance chief, was named to",
              "succeed Per Holm.",
              "    Holm, who is 64, will stay on the board, the company said, and the",
              "search for a new finance director has begun.")
WIRE_HEADER = ("Skip to main content", "Menu", "Sign in", "Home News Sport Business Culture")
WIRE_FOOTER = ("Share on Facebook", "Back to top", "Privacy Policy")


def _kept_lines(page: str) -> list[str]:
    return [line.strip() for line in dedup.clean(page).text.splitlines() if line.strip()]


def test_a_headline_over_a_paragraph_broken_into_short_blocks_stays() -> None:
    # The headline has the header's label lines above it; the paragraph under it
    # reads as prose only from its third block, line after line with no blank line.
    page = "\n".join((*WIRE_HEADER, *WIRE_STORY, *WIRE_FOOTER))
    assert _kept_lines(page) == [line.strip() for line in WIRE_STORY if line.strip()]


def test_a_report_whose_rows_go_on_under_a_box_keeps_its_headline_and_rows() -> None:
    # Rows and one note: the report goes on under the box in a table of figures.
    report = ("NORDVIK FOODS INC <NVF> 3RD QTR NET", "", "Period ended Aug 31",
              "    Shr nine cts vs 24 cts", "Related stories", "    Net 412,000 vs 880,000",
              "    Revs 8.2 mln vs 7.9 mln", "    Avg shrs 5,369,555 vs 3,654,986",
              "    Note: The 1986 figures include tax credits of 113,000 dlrs, or three cts a "
              "share.")
    page = "\n".join(("Menu", "Sign in", "Home News Sport Business Culture", "Newsletters",
                      "Accessibility help", *report, "Back to top", "Privacy Policy"))
    assert _kept_lines(page) == [line.strip() for line in report
                                 if line.strip() and line != "Related stories"]


def test_a_list_of_headlines_above_a_box_is_no_lede() -> None:
    # A guard on the look through a box: the short lines above it stay only as
    # a lede, and a "Most read" list past a border is another region's, however
    # the story goes on under the box below it.
    headlines = ("Council closes the old bridge", "Ferry timetable changes in spring",
                 "School wins national chess title", "New library opens on Saturday")
    page = "\n".join(("Most read", *headlines, "Share on Facebook", LEDES[0], REST,
                      *PAGE_FOOTER))
    kept = _kept_lines(page)
    assert LEDES[0] in kept
    assert REST in kept
    # The last may head the story (the headline clause keeps it, as before).
    assert not any(line in kept for line in headlines[:-1])


#: Another story's record in a "More from" list: headline, author, date stamp, teaser.
TEASERS = tuple(
    (headline, author, date, teaser) for headline, author, date, teaser in (
        ("Ferry fares rise in spring", "Anna Berg", "Tuesday November 19, 2019",
         "The ferry company said on Tuesday that fares on every crossing will rise by a tenth "
         "in April, the first rise in four years, to pay for two new boats."),
        ("School wins national chess title", "Per Holm", "Tuesday November 19, 2019",
         "A team of four pupils from the town's secondary school won the national chess title "
         "at the weekend, beating the champions of the last three years in the final."),
        ("New library opens on Saturday", "Eva Lund", "Monday November 18, 2019",
         "The new library by the harbour opens its doors on Saturday with a reading by a local "
         "author and a morning of stories for children, the council said."),
        ("Harbour road closed for a week", "Anna Berg", "Monday November 18, 2019",
         "The harbour road will be closed to traffic for a week from Monday while the water "
         "company replaces a main under it, and buses will take the ring road."),
    ))
BRIDGE_STORY = (
    "The council said on Monday it would close the old bridge over the river to all traffic "
    "for at least a month while engineers repair two of its supports.",
    "Engineers found cracks in two of the supports last week, and the council does not want "
    "to take any risk while the repairs are planned and the money for them is found.",
    "Drivers will have to use the ring road, which adds about ten minutes to a trip into the "
    "town centre at the busiest times of the day, the council said in its statement.",
    "The bridge, which was built in 1911, carries about 9,000 cars a day, and the council "
    "expects to reopen it to buses first once the repairs are done.",
)


def test_a_listing_of_dated_teasers_after_the_article_goes() -> None:
    # The teasers outweigh the article in the largest run of prose; as records of
    # a listing they are other stories', past a border of the article.
    records = [line for record in TEASERS for line in record]
    page = "\n".join((*PAGE_HEADER, "Bridge to close for repairs", *BRIDGE_STORY, "Opinion",
                      "More from Example News", *records, *PAGE_FOOTER))
    kept = _kept_lines(page)
    assert all(paragraph in kept for paragraph in BRIDGE_STORY)
    assert not any(record[3] in kept for record in TEASERS)


def test_a_page_that_is_a_listing_keeps_its_records() -> None:
    # Reviews of a hotel, each dated: the page is the listing, and no article of
    # paragraphs in a row stands beside it (only the booking widget's blurbs).
    reviews = [(date, f'"{headline}"', f"{author}, Lund", teaser)
               for headline, author, date, teaser in TEASERS]
    widget = ("Sponsored links", "Book now and pay at the hotel", "Lund Hotels Direct: the best "
              "prices for every room in town, with free cancellation on most bookings.",
              "Cheap rooms in Lund", "Compare the prices of 300 hotels in Lund and book the "
              "room you want in a minute, with no fees and no account needed.")
    page = "\n".join(("Home", "Hotels", "Reviews", *widget, "Next",
                      *(line for review in reviews for line in review), *PAGE_FOOTER))
    kept = _kept_lines(page)
    assert all(review[3] in kept for review in reviews)
    assert all(line in kept for line in widget[2::2])  # the page's run, as before


def classify(blocks: list[Block]) -> list[str]:
    return ["good" if len(block.text) > 100 else "short" for block in blocks]


def test_a_listing_is_three_dated_records_in_a_row() -> None:
    lines = ["Opinion", *(line for record in TEASERS for line in record), "Contact us"]
    blocks = segment("\n".join(lines)).blocks
    stamps = frozenset(b.index for b in blocks if b.text.endswith("2019"))
    found = _listing(blocks, stamps, stamps, classify(blocks))
    assert found == frozenset(range(1, 1 + 4 * len(TEASERS)))
    # Two records are no listing.
    two = segment("\n".join(line for record in TEASERS[:2] for line in record)).blocks
    two_stamps = frozenset(b.index for b in two if b.text.endswith("2019"))
    assert _listing(two, two_stamps, two_stamps, classify(two)) == frozenset()


def test_paragraphs_in_a_row_skip_a_rule_line_but_not_a_title() -> None:
    # An article's body is paragraphs in a row; a column of advertisements
    # alternates a title and a blurb.
    classes = ["good", "good", "bad", "good", "short", "good"]
    blocks = segment("\n".join(f"line {n}" for n in range(len(classes)))).blocks
    removed = frozenset({blocks[2].index})
    assert _paragraphs_in_a_row(blocks, classes, removed, (0, 5), frozenset()) == 3
    assert _paragraphs_in_a_row(blocks, classes, frozenset(), (0, 5), frozenset()) == 2
    assert _paragraphs_in_a_row(blocks, classes, removed, (0, 5), frozenset({1})) == 1
