"""The shipped phrase lists (cleaning/phrases/*.tsv) and stoplists (cleaning/stopwords/*.txt).

The matcher here is a small reference implementation of the format in
phrases/README.md, kept independent of dedup.cleaning.boilerplate so that the data
is checked on its own: every rule parses, and no rule of any language matches
ordinary prose, while each rule family matches the boilerplate it is for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from dedup.cleaning.lexicon import load_stopwords
from dedup.config import LANGUAGES, UNSPACED_LANGUAGES
from dedup.rules import RULE_IDS

DATA = Path(__file__).resolve().parents[2] / "src" / "dedup" / "cleaning"
PHRASES = DATA / "phrases"
STOPWORDS = DATA / "stopwords"
KINDS = ("phrase", "prefix", "regex")
PREFIX_MAX_WORDS = 12
NOTICE_RULES = ("boilerplate.cookie_notice", "boilerplate.copyright", "boilerplate.newsletter")
NOTICE_MAX_CHARS = 600
SENTENCE_PREFIX_RULES = (*NOTICE_RULES, "boilerplate.comment_prompt")
SENTENCE_PREFIX_WORDS = 4


@dataclass(frozen=True, slots=True)
class Rule:
    lang: str
    line_number: int
    rule: str
    kind: str
    text: str


def fold_whitespace(line: str) -> str:
    return " ".join(line.split())


def _is_edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PS"


def fold_phrase(line: str) -> str:
    """Case-fold, fold whitespace, strip punctuation and symbols at both ends."""
    folded = fold_whitespace(line.casefold())
    start, end = 0, len(folded)
    while start < end and _is_edge(folded[start]):
        start += 1
    while end > start and _is_edge(folded[end - 1]):
        end -= 1
    return folded[start:end]


def load(lang: str) -> list[Rule]:
    rules = []
    path = PHRASES / f"{lang}.tsv"
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        assert len(fields) == 3, f"{path.name}:{number}: expected 3 tab-separated fields: {raw!r}"
        rules.append(Rule(lang, number, *fields))
    return rules


ALL_RULES = [rule for lang in LANGUAGES for rule in load(lang)]
COMPILED = {
    (rule.lang, rule.line_number): re.compile(rule.text, re.IGNORECASE)
    for rule in ALL_RULES if rule.kind == "regex"
}


def matches(rule: Rule, line: str) -> bool:
    if rule.kind == "regex":
        folded = fold_whitespace(line)
        if len(folded.split()) > PREFIX_MAX_WORDS and (
                rule.rule not in NOTICE_RULES or len(folded) > NOTICE_MAX_CHARS):
            return False
        return COMPILED[(rule.lang, rule.line_number)].fullmatch(folded) is not None
    folded, text = fold_phrase(line), fold_phrase(rule.text)
    if rule.kind == "phrase":
        return folded == text
    long_line = len(folded.split()) > PREFIX_MAX_WORDS
    if long_line and (rule.rule not in SENTENCE_PREFIX_RULES or len(
            text.split()) < SENTENCE_PREFIX_WORDS or len(fold_whitespace(line)) > NOTICE_MAX_CHARS):
        return False
    if not folded.startswith(text):
        return False
    rest = folded[len(text):]
    return not rest or not rest[0].isalnum()


def matching_rules(line: str, langs: tuple[str, ...] = LANGUAGES) -> list[str]:
    return [f"{r.lang}:{r.line_number} {r.rule}" for r in ALL_RULES
            if r.lang in langs and matches(r, line)]


# --- the files themselves --------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_a_phrase_list_and_a_stoplist(lang: str) -> None:
    # A list is real (40+ rules) and still one a reader can review (English, the largest, has 450).
    assert 40 <= len(load(lang)) <= 500
    words = (STOPWORDS / f"{lang}.txt").read_text(encoding="utf-8").split("\n")
    words = [w for w in words if w and not w.startswith("#")]
    if lang in UNSPACED_LANGUAGES:
        # Every Han or kana character is a token: a list of words cannot apply.
        assert words == []
        assert load_stopwords(lang) == frozenset()
        return
    assert 150 <= len(words) <= 320, len(words)
    assert len(set(words)) == len(words), "duplicate stopwords"
    for word in words:
        assert word == word.strip(), word
        assert word == word.lower(), word
        assert " " not in word, word


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rule_ids_kinds_and_texts_are_valid(lang: str) -> None:
    for rule in load(lang):
        where = f"{lang}.tsv:{rule.line_number}"
        assert rule.rule in RULE_IDS, where
        assert rule.rule.startswith("boilerplate."), where
        assert rule.rule != "boilerplate.low_content", f"{where}: that id is the line classifier's"
        assert rule.kind in KINDS, where
        assert rule.text, f"{where}: empty text"
        assert rule.text == rule.text.strip(), f"{where}: surrounding whitespace"
        if rule.kind == "regex":
            assert (lang, rule.line_number) in COMPILED  # compiled at import: re.error fails it
        else:
            assert fold_phrase(rule.text), f"{where}: phrase is empty after folding"
            # Words, not tokens: pipermail's "[ date ] [ thread ]" brackets are no words.
            assert sum(any(map(str.isalnum, token)) for token in fold_phrase(rule.text).split()
                       ) <= PREFIX_MAX_WORDS, where


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_duplicate_rules(lang: str) -> None:
    seen: dict[tuple[str, str], int] = {}
    for rule in load(lang):
        key = (rule.kind, rule.text if rule.kind == "regex" else fold_phrase(rule.text))
        assert key not in seen, f"{lang}:{rule.line_number} repeats line {seen.get(key)}"
        seen[key] = rule.line_number


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_rule_family_is_covered(lang: str) -> None:
    families = {rule.rule for rule in load(lang)}
    expected = {rid for rid in RULE_IDS if rid.startswith("boilerplate.")} - {
        "boilerplate.low_content"}
    assert families == expected


# --- prose never matches ---------------------------------------------------------------------

PROSE = (
    "He said the two parties would share the post of deputy minister",
    "Members of the mailing list voted to move the meeting to Thursday.",
    "To unsubscribe from the club, he said, members must write a letter.",
    "He said the two parties would share the post of deputy minister.",
    "Share prices fell sharply on Monday after the central bank raised rates.",
    "Home prices rose 5% in March, the fastest pace in a decade.",
    "Read more books, the teacher told the class.",
    "More from the same family were evacuated on Tuesday.",
    "Photo evidence shows the suspect fled the scene.",
    "Copyright law has not kept pace with technology, the judge said.",
    "Comments by the minister angered the opposition.",
    "Print media lost 3,000 jobs last year.",
    "Follow the money, the investigator said.",
    "Sponsored by Senator Smith, the bill passed 52-48.",
    "Designed by Frank Gehry, the museum opened in 1997.",
    "You are here to serve the people, he told the recruits.",
    "The advertisement was pulled after complaints from viewers.",
    "Sign up for the army, the recruiter urged the young men.",
    "Le gouvernement va partager sur deux ans le coût de la réforme.",
    "Les internautes ont laissé plus de 300 commentaires sous la vidéo.",
    "Die Regierung will die Kosten teilen, sagte der Minister am Montag.",
    "Mehr als 200 Menschen wurden bei dem Erdbeben verletzt.",
    "Compartir en familia es importante, dijo la psicóloga.",
    "Te recomendamos llevar agua y protector solar.",
    "По теме доклада выступил министр.",
    "Рекомендуем всем соблюдать осторожность на дорогах.",
    "Вы здесь не нужны, сказал он.",
    "Поделиться в трудную минуту — значит помочь.",
    "هنوز نظری درباره این طرح نداده است.",
    "وزیر خارجه گفت دو طرف در این پست معاونت وزیر را به اشتراک می‌گذارند.",
    "اشتراک در منابع آب میان دو کشور موضوع مذاکرات بود.",
    "اشترك في المظاهرة آلاف المواطنين يوم الجمعة.",
    "مشاركة على نطاق واسع في الانتخابات البلدية.",
    "وقال الوزير إن الحكومة ستنشر تقريرا عن الإعلانات المضللة.",
    "More than 200 people were injured in the earthquake",
    "Photos of the flood were shared widely on social media.",
    "Ten comments from readers were published in the next issue.",
    "He said on November 19, 2019 at 6:34 am the polls had closed.",
    "Two days ago the river burst its banks.",
    # Short prefixes stay button-sized: a long line that starts like one is a sentence.
    "Notify me of any change, the minister told the officials who had gathered in the hall.",
    "Enter your email address in the first field, then choose a password of twelve letters.",
    "No part of the manuscript may be reproduced until the estate agrees, the judge ruled.",
    # Documentation's cross-references are its own text (Javadoc, Doxygen, Sphinx).
    "See also",
    "See Also: StringUtils.isBlank(CharSequence)",
    "Built with care by volunteers, the bridge opened to traffic in 1932.",
    "The image caption contest drew 300 entries (photo: see page 4) from schools.",
    "Il governo ha deciso di condividere con le regioni il costo della riforma.",
    "Leggi anche tu il rapporto, ha detto il ministro ai giornalisti.",
    "Leggi anche il rapporto del ministero prima di votare.",
    "Potrebbe interessarti sapere che il museo apre anche la domenica.",
    "Você pode gostar ou não, mas a regra vale para todos.",
    "Veja também o que disse o presidente na entrevista.",
    "Ook interessant is dat de minister niet reageerde.",
    "Volg ons advies en blijf vandaag thuis.",
    "Zobacz także, jak zmieniły się ceny w ostatnim roku.",
    "Seguici, disse la guida ai turisti all'ingresso del museo.",
    "Condividi le tue idee con i colleghi prima della riunione di lunedì.",
    "Seguire la partita in diretta è stato difficile per molti tifosi.",
    "Realizzato da un gruppo di studenti, il progetto ha vinto il premio.",
    "I titolari di partita IVA dovranno pagare entro la fine di giugno.",
    "Più di 200 persone sono rimaste ferite nel terremoto.",
    "Os internautas deixaram mais de 300 comentários sob o vídeo.",
    "Compartilhar a casa com os avós foi a solução encontrada pela família.",
    "Leia mais livros, disse a professora aos alunos.",
    "Mais sobre o acordo será anunciado na próxima semana, disse o ministro.",
    "Desenvolvido por cientistas da universidade, o teste custa pouco.",
    "Siga o dinheiro, disse o investigador.",
    "De regering wil de kosten delen, zei de minister maandag.",
    "Lees meer boeken, zei de leraar tegen de klas.",
    "Meer dan 200 mensen raakten gewond bij de aardbeving.",
    "Volgens de politie werden er geen foto's van de verdachte gemaakt.",
    "Gemaakt door lokale ambachtslieden, wordt het beeld volgende week onthuld.",
    "Rząd chce podzielić się kosztami reformy z samorządami, powiedział minister.",
    "Czytaj więcej książek, powiedziała nauczycielka uczniom.",
    "Więcej niż 200 osób zostało rannych w trzęsieniu ziemi.",
    "Może cię zainteresować, że pociąg odjedzie dopiero o dziewiątej.",
    "Korzystając z serwisu, pasażerowie mogą kupić bilet wcześniej.",
    "Regeringen vill dela kostnaderna med kommunerna, sade ministern på måndagen.",
    "Läs också, sade läraren till klassen, och glöm inte att ta med boken.",
    "Läs också rapporten från myndigheten innan ni röstar.",
    "Följ oss in i skogen, sade guiden till turisterna.",
    "Mer än 200 personer skadades i jordbävningen.",
    "Foto och video från olyckan spreds snabbt i sociala medier.",
    "Regeringen vil dele udgifterne med kommunerne, sagde ministeren mandag.",
    "Læs også rapporten fra ministeriet, før I stemmer.",
    "Følg os ned til stranden, sagde guiden til turisterne.",
    "Mere end 200 mennesker blev såret ved jordskælvet.",
    "Del af overskuddet går til velgørenhed, oplyser foreningen.",
    "Regjeringen vil dele kostnadene med kommunene, sa statsråden mandag.",
    "Les også rapporten fra departementet før dere stemmer.",
    "Følg oss inn i skogen, sa guiden til turistene.",
    "Mer enn 200 mennesker ble skadet i jordskjelvet.",
    "Del av overskuddet går til veldedighet, opplyser foreningen.",
    "Pemerintah ingin berbagi biaya dengan pemerintah daerah, kata menteri pada hari Senin.",
    "Baca juga buku-buku lain, kata guru kepada murid-muridnya.",
    "Baca juga laporan kementerian sebelum rapat dimulai.",
    "Ikuti kami ke pasar, kata pemandu kepada para wisatawan.",
    "Lebih dari 200 orang terluka dalam gempa bumi itu.",
    "Foto korban banjir tersebar luas di media sosial.",
    # A count in brackets that is not a widget's: code, a wrapped line, a year, a sentence.
    "while (1)",
    "Distribution Mechanism, must remain available for at least twelve (12)",
    "Orientalism (1978)",
    "The vote was carried. (12)",
    # Chinese and Japanese: a button's word inside a sentence.
    "他在首页上分享了这篇文章，并呼吁读者发表评论。",
    "相关新闻报道称，两国将在下周恢复谈判。",
    "更多的居民在周一被疏散到安全地带。",
    "版权问题一直是出版业关注的焦点。",
    "彼はコメントを控えたが、関連記事によると交渉は続いている。",
    "ログインの方法が変わったことを多くの利用者はまだ知らない。",
    "シェアサイクルの利用者は昨年の二倍に増えた。",
)


@pytest.mark.parametrize("line", PROSE)
def test_prose_matches_no_rule_in_any_language(line: str) -> None:
    assert matching_rules(line) == []


# --- boilerplate does match ------------------------------------------------------------------

POSITIVE: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("boilerplate.navigation", "Skip to main content"),
        ("boilerplate.navigation", "Latest news"),
        ("boilerplate.navigation", "» Home"),
        ("boilerplate.navigation", "Back to top ↑"),
        ("boilerplate.navigation", "Tags: Afghanistan, Taliban, peace talks"),
        ("boilerplate.share", "Share this post"),
        ("boilerplate.share", "Share on Facebook"),
        ("boilerplate.share", "Facebook Twitter WhatsApp Email"),
        ("boilerplate.share", "Follow us on Twitter"),
        ("boilerplate.comment_prompt", "Please enter your comment!"),
        ("boilerplate.comment_prompt", "Please enter your name here"),
        ("boilerplate.comment_prompt", "Leave a Reply"),
        ("boilerplate.comment_prompt",
         "Your email address will not be published. Required fields are marked *"),
        # A comment form's sentences run past 12 words: the long prefixes are tried on them.
        ("boilerplate.comment_prompt",
         "Save my name, email, and website in this browser for the next time I comment."),
        ("boilerplate.comment_prompt",
         "This site uses Akismet to reduce spam. Learn how your comment data is processed."),
        ("boilerplate.newsletter", "Sign up for our newsletter and go inside the world of "
                                   "music, culture and entertainment."),
        ("boilerplate.newsletter", "Sign up for our daily newsletter"),
        ("boilerplate.newsletter", "gardening mailing list"),
        ("boilerplate.newsletter", "https://lists.example.org/mailman/listinfo/gardening"),
        ("boilerplate.newsletter", "To unsubscribe from this list, send an empty message to "
                                   "gardening-leave@lists.example.org"),
        ("boilerplate.cookie_notice", "We use cookies to ensure that we give you the best "
                                      "experience on our website. If you continue we will "
                                      "assume that you are happy with it."),
        ("boilerplate.advertisement", "ADVERTISEMENT"),
        ("boilerplate.advertisement", "Story continues below advertisement"),
        ("boilerplate.read_more", "Read more: Taliban talks resume in Doha"),
        ("boilerplate.read_more", "Related articles"),
        ("boilerplate.read_more", "More from BBC News"),
        ("boilerplate.image_placeholder", "Image caption"),
        ("boilerplate.image_placeholder", "(Photo by John Moore/Getty Images)"),
        ("boilerplate.image_placeholder", "Photo: AP"),
        ("boilerplate.image_placeholder", "Image caption Protesters gathered outside the court"),
        ("boilerplate.image_placeholder", "A 14th century plague doctor (Image: GETTY)"),
        ("boilerplate.image_placeholder", "AP Photo/J. Scott Applewhite"),
        ("boilerplate.copyright", "© 2021 Example News Ltd. All rights reserved."),
        # Documentation generators' furniture.
        ("boilerplate.copyright", "Built with Sphinx using a theme provided by Read the Docs."),
        ("boilerplate.copyright", "Documentation built with MkDocs."),
        ("boilerplate.navigation", "Beautiful Soup 4.9.0 documentation »"),
        ("boilerplate.navigation", "Press ? to show this help"),
        ("boilerplate.navigation", "View page source"),
        ("boilerplate.copyright", "Copyright 2008 The Associated Press. All rights reserved. "
                                  "This material may not be published, broadcast, rewritten or "
                                  "redistributed."),
        ("boilerplate.copyright", "No portion of Example.com or its content may be reproduced "
                                  "without the owner's written permission."),
        ("boilerplate.copyright", "Privacy Policy | Terms of Use | Contact Us"),
        ("boilerplate.counter", "12 comments"),
        ("boilerplate.counter", "3.4K shares"),
        ("boilerplate.counter", "5 min read"),
        # A label with its count, in any language: archives, categories, commented links.
        ("boilerplate.counter", "Agosto (183)"),
        ("boilerplate.counter", "Myles Garrett should expect a long suspension (148)"),
        ("boilerplate.counter", "無料サーバー (32)"),
        ("boilerplate.counter", "1,234 views"),
        ("boilerplate.counter", "Rating: 25 Votes"),
    ),
    "fa": (
        ("boilerplate.image_placeholder", "تصویر بندانگشتی"),
        ("boilerplate.image_placeholder", "منبع تصویر، Getty Images"),
        ("boilerplate.navigation", "صفحه اصلی"),
        ("boilerplate.share", "اشتراک\u200cگذاری"),
        ("boilerplate.share", "لینک کوتاه: https://example.ir/x12"),
        ("boilerplate.comment_prompt", "دیدگاه\u200cها"),
        ("boilerplate.comment_prompt", "نشانی ایمیل شما منتشر نخواهد شد."),
        ("boilerplate.read_more", "بیشتر بخوانید: مذاکرات صلح از سر گرفته شد"),
        ("boilerplate.read_more", "پربازدیدترین\u200cها"),
        ("boilerplate.copyright", "کلیه حقوق مادی و معنوی این سایت محفوظ است."),
        ("boilerplate.counter", "کد خبر: ۱۲۳۴۵۶"),
        ("boilerplate.counter", "انتشار یافته: ۳"),
    ),
    "ar": (
        ("boilerplate.navigation", "الرئيسية"),
        ("boilerplate.share", "شارك على فيسبوك"),
        ("boilerplate.comment_prompt", "اترك تعليقاً"),
        ("boilerplate.read_more", "اقرأ أيضاً: الحكومة تعلن خطة جديدة"),
        ("boilerplate.read_more", "إقرأ أيضا"),
        ("boilerplate.image_placeholder", "صورة أرشيفية"),
        ("boilerplate.copyright", "جميع الحقوق محفوظة © 2021"),
        ("boilerplate.counter", "12 تعليق"),
    ),
    "fr": (
        ("boilerplate.navigation", "Aller au contenu principal"),
        ("boilerplate.share", "Partager sur Facebook"),
        ("boilerplate.comment_prompt", "Laisser un commentaire"),
        ("boilerplate.advertisement", "PUBLICITÉ"),
        ("boilerplate.image_placeholder", "© MaxPPP"),
        ("boilerplate.read_more", "Lire aussi : La réforme des retraites adoptée"),
        ("boilerplate.copyright", "Tous droits réservés"),
        ("boilerplate.counter", "3 min de lecture"),
    ),
    "de": (
        ("boilerplate.navigation", "Zum Inhalt springen"),
        ("boilerplate.share", "Auf Facebook teilen"),
        ("boilerplate.comment_prompt", "Schreibe einen Kommentar"),
        ("boilerplate.advertisement", "ANZEIGE"),
        ("boilerplate.read_more", "Lesen Sie auch: Die Lage an der Grenze"),
        ("boilerplate.copyright", "Impressum"),
        ("boilerplate.counter", "Lesezeit: 4 Min."),
    ),
    "es": (
        ("boilerplate.navigation", "Saltar al contenido"),
        ("boilerplate.share", "Compartir en WhatsApp"),
        ("boilerplate.comment_prompt", "Deja una respuesta"),
        ("boilerplate.advertisement", "Publicidad"),
        ("boilerplate.read_more", "Te puede interesar: Las claves del acuerdo"),
        ("boilerplate.copyright", "Todos los derechos reservados."),
        ("boilerplate.counter", "24 comentarios"),
    ),
    "ru": (
        ("boilerplate.navigation", "Главная"),
        ("boilerplate.share", "Поделиться в Telegram"),
        ("boilerplate.comment_prompt", "Оставить комментарий"),
        ("boilerplate.advertisement", "Реклама"),
        ("boilerplate.read_more", "Читайте также: Выборы в регионах"),
        ("boilerplate.copyright", "© 2021 РИА Новости. Все права защищены."),
        ("boilerplate.image_placeholder", "РИА Новости / Иван Петров"),
        ("boilerplate.image_placeholder", "Фото: Иван Петров / ТАСС"),
        ("boilerplate.counter", "1 234 просмотра"),
    ),
    "it": (
        ("boilerplate.navigation", "Vai al contenuto principale"),
        ("boilerplate.navigation", "Tag: Roma, Lazio, Campidoglio"),
        ("boilerplate.share", "Condividi su WhatsApp"),
        ("boilerplate.share", "Facebook Twitter WhatsApp Email"),
        ("boilerplate.comment_prompt", "Lascia un commento"),
        ("boilerplate.comment_prompt", "Il tuo indirizzo email non sarà pubblicato. "
                                       "I campi obbligatori sono contrassegnati *"),
        ("boilerplate.comment_prompt", "Salva il mio nome, email e sito web in questo "
                                       "browser per la prossima volta che commento."),
        ("boilerplate.newsletter", "Iscriviti alla newsletter"),
        ("boilerplate.cookie_notice", "Questo sito utilizza cookie tecnici e di profilazione. "
                                      "Se continui a navigare accetti il loro uso."),
        ("boilerplate.cookie_notice", "Noi e terze parti selezionate utilizziamo cookie o "
                                      "tecnologie simili per finalità tecniche e, con il tuo "
                                      "consenso, anche per altre finalità."),
        ("boilerplate.cookie_notice", "Accetta tutti"),
        ("boilerplate.advertisement", "PUBBLICITÀ"),
        ("boilerplate.read_more", "Leggi anche: Il piano del governo per le autostrade"),
        ("boilerplate.read_more", "Articoli correlati"),
        ("boilerplate.image_placeholder", "Foto: Ansa"),
        ("boilerplate.image_placeholder", "Foto 3 di 12"),
        ("boilerplate.copyright", "© 2021 Gruppo Editoriale Esempio. Tutti i diritti riservati."),
        ("boilerplate.copyright", "Esempio Srl - P.IVA 01234567890"),
        ("boilerplate.counter", "12 commenti"),
        ("boilerplate.counter", "3 min di lettura"),
    ),
    "pt": (
        ("boilerplate.navigation", "Pular para o conteúdo"),
        ("boilerplate.navigation", "Saltar para o conteúdo"),
        ("boilerplate.navigation", "Tags: eleições, Congresso, orçamento"),
        ("boilerplate.share", "Compartilhar no WhatsApp"),
        ("boilerplate.share", "Partilhar no Facebook"),
        ("boilerplate.comment_prompt", "Deixe um comentário"),
        ("boilerplate.comment_prompt", "O seu endereço de email não será publicado."),
        ("boilerplate.comment_prompt", "Campos obrigatórios são marcados com *"),
        ("boilerplate.comment_prompt", "O seu endereço de e-mail não será publicado. "
                                       "Campos obrigatórios são marcados com *"),
        ("boilerplate.comment_prompt", "Guardar o meu nome, email e site neste navegador "
                                       "para a próxima vez que eu comentar."),
        ("boilerplate.newsletter", "Assine a nossa newsletter"),
        ("boilerplate.cookie_notice", "Este site utiliza cookies para melhorar a sua "
                                      "experiência. Ao continuar a navegar, concorda com a "
                                      "nossa política de cookies."),
        ("boilerplate.cookie_notice", "Ao navegar neste site, você aceita o uso de cookies."),
        ("boilerplate.advertisement", "Publicidade"),
        ("boilerplate.advertisement", "Continua depois da publicidade"),
        ("boilerplate.read_more", "Leia também: O que muda com a nova lei"),
        ("boilerplate.read_more", "Saiba mais: como declarar o imposto"),
        ("boilerplate.read_more", "Mais lidas"),
        ("boilerplate.image_placeholder", "Foto: Agência Brasil"),
        ("boilerplate.image_placeholder", "Reprodução/TV Globo"),
        ("boilerplate.copyright", "© 2021 Jornal Exemplo. Todos os direitos reservados."),
        ("boilerplate.copyright", "Fale conosco"),
        ("boilerplate.counter", "24 comentários"),
        ("boilerplate.counter", "Tempo de leitura: 4 min"),
    ),
    "nl": (
        ("boilerplate.navigation", "Ga naar de inhoud"),
        ("boilerplate.navigation", "Trefwoorden: verkiezingen, Tweede Kamer"),
        ("boilerplate.share", "Delen via WhatsApp"),
        ("boilerplate.share", "Volg ons op Instagram"),
        ("boilerplate.comment_prompt", "Laat een reactie achter"),
        ("boilerplate.comment_prompt", "Je e-mailadres wordt niet gepubliceerd. "
                                       "Vereiste velden zijn gemarkeerd met *"),
        ("boilerplate.comment_prompt", "Mijn naam, e-mail en site bewaren in deze browser "
                                       "voor de volgende keer wanneer ik een reactie plaats."),
        ("boilerplate.newsletter", "Meld je aan voor onze nieuwsbrief"),
        ("boilerplate.cookie_notice", "Deze website maakt gebruik van cookies om de site "
                                      "goed te laten werken."),
        ("boilerplate.cookie_notice", "Alles accepteren"),
        ("boilerplate.advertisement", "ADVERTENTIE"),
        ("boilerplate.read_more", "Lees ook: Kabinet wil meer woningen bouwen"),
        ("boilerplate.read_more", "Lees meer »"),
        ("boilerplate.read_more", "Meest gelezen"),
        ("boilerplate.image_placeholder", "Foto: ANP"),
        ("boilerplate.image_placeholder", "Beeld: Hollandse Hoogte"),
        ("boilerplate.copyright", "© 2021 Voorbeeld Media. Alle rechten voorbehouden."),
        ("boilerplate.copyright", "KvK-nummer: 12345678"),
        ("boilerplate.counter", "12 reacties"),
        ("boilerplate.counter", "Leestijd: 3 minuten"),
    ),
    "pl": (
        ("boilerplate.navigation", "Przejdź do treści"),
        ("boilerplate.navigation", "Strona główna"),
        ("boilerplate.navigation", "Tagi: wybory, Sejm, budżet"),
        ("boilerplate.share", "Udostępnij na Facebooku"),
        ("boilerplate.share", "Obserwuj nas na Twitterze"),
        ("boilerplate.comment_prompt", "Twój adres e-mail nie zostanie opublikowany. "
                                       "Wymagane pola są oznaczone *"),
        ("boilerplate.comment_prompt", "Dodaj komentarz"),
        ("boilerplate.comment_prompt", "Zapisz moje dane, adres e-mail i witrynę w "
                                       "przeglądarce aby wypełnić dane podczas pisania "
                                       "kolejnych komentarzy."),
        ("boilerplate.newsletter", "Zapisz się do newslettera"),
        ("boilerplate.cookie_notice", "Ta strona używa plików cookies w celu świadczenia "
                                      "usług na najwyższym poziomie."),
        ("boilerplate.cookie_notice", "Korzystając z naszego serwisu, wyrażasz zgodę na "
                                      "użycie plików cookies."),
        ("boilerplate.cookie_notice", "Akceptuję"),
        ("boilerplate.advertisement", "REKLAMA"),
        ("boilerplate.advertisement", "Dalsza część artykułu pod reklamą"),
        ("boilerplate.read_more", "Czytaj także: Rząd przyjął projekt budżetu"),
        ("boilerplate.read_more", "Zobacz też"),
        ("boilerplate.image_placeholder", "fot. PAP/Jan Kowalski"),
        ("boilerplate.copyright", "© 2021 Wydawnictwo Przykład. Wszelkie prawa zastrzeżone."),
        ("boilerplate.copyright", "Polityka prywatności"),
        ("boilerplate.counter", "12 komentarzy"),
        ("boilerplate.counter", "Czas czytania: 4 min"),
    ),
    "sv": (
        ("boilerplate.navigation", "Hoppa till innehållet"),
        ("boilerplate.navigation", "Taggar: val, riksdagen, budget"),
        ("boilerplate.share", "Dela på Facebook"),
        ("boilerplate.share", "Följ oss på Instagram"),
        ("boilerplate.comment_prompt", "Din e-postadress kommer inte publiceras. "
                                       "Obligatoriska fält är märkta *"),
        ("boilerplate.newsletter", "Prenumerera på vårt nyhetsbrev"),
        ("boilerplate.cookie_notice", "Vi använder cookies för att ge dig en bättre upplevelse "
                                      "av webbplatsen."),
        ("boilerplate.cookie_notice", "Godkänn alla"),
        ("boilerplate.advertisement", "ANNONS"),
        ("boilerplate.read_more", "Läs också: Regeringen sänker skatten på bensin"),
        ("boilerplate.read_more", "Mest läst"),
        ("boilerplate.image_placeholder", "Foto: TT"),
        ("boilerplate.image_placeholder", "Bild 3 av 12"),
        ("boilerplate.copyright", "© 2021 Exempeltidningen AB. Alla rättigheter förbehållna."),
        ("boilerplate.copyright", "Integritetspolicy"),
        ("boilerplate.counter", "12 kommentarer"),
        ("boilerplate.counter", "Lästid: 4 min"),
    ),
    "da": (
        ("boilerplate.navigation", "Gå til indhold"),
        ("boilerplate.navigation", "Emner: valg, Folketinget, finanslov"),
        ("boilerplate.share", "Del på Facebook"),
        ("boilerplate.share", "Følg os på Instagram"),
        ("boilerplate.comment_prompt", "Din e-mailadresse vil ikke blive publiceret. "
                                       "Krævede felter er markeret med *"),
        ("boilerplate.newsletter", "Tilmeld dig vores nyhedsbrev"),
        ("boilerplate.cookie_notice", "Denne hjemmeside bruger cookies til at forbedre din "
                                      "oplevelse."),
        ("boilerplate.cookie_notice", "Tillad alle"),
        ("boilerplate.advertisement", "ANNONCE"),
        ("boilerplate.read_more", "Læs også: Regeringen sænker afgiften på benzin"),
        ("boilerplate.read_more", "Mest læste"),
        ("boilerplate.image_placeholder", "Foto: Ritzau Scanpix"),
        ("boilerplate.copyright", "© 2021 Eksempelavisen A/S. Alle rettigheder forbeholdes."),
        ("boilerplate.copyright", "CVR-nr. 12345678"),
        ("boilerplate.counter", "12 kommentarer"),
        ("boilerplate.counter", "Læsetid: 4 min"),
    ),
    "nb": (
        ("boilerplate.navigation", "Hopp til innhold"),
        ("boilerplate.navigation", "Stikkord: valg, Stortinget, statsbudsjett"),
        ("boilerplate.share", "Del på Facebook"),
        ("boilerplate.share", "Følg oss på Instagram"),
        ("boilerplate.comment_prompt", "Din e-postadresse vil ikke bli publisert. "
                                       "Obligatoriske felt er merket med *"),
        ("boilerplate.newsletter", "Meld deg på vårt nyhetsbrev"),
        ("boilerplate.cookie_notice", "Vi bruker informasjonskapsler for å gi deg en bedre "
                                      "opplevelse av nettstedet."),
        ("boilerplate.cookie_notice", "Godta alle"),
        ("boilerplate.advertisement", "ANNONSE"),
        ("boilerplate.read_more", "Les også: Regjeringen kutter avgiften på bensin"),
        ("boilerplate.read_more", "Mest lest"),
        ("boilerplate.image_placeholder", "Foto: NTB"),
        ("boilerplate.copyright", "© 2021 Eksempelavisen AS. Alle rettigheter forbeholdt."),
        ("boilerplate.copyright", "Personvernerklæring"),
        ("boilerplate.counter", "12 kommentarer"),
        ("boilerplate.counter", "Lesetid: 4 min"),
    ),
    "zh": (
        ("boilerplate.navigation", "首页"),
        ("boilerplate.navigation", "当前位置：新华网 > 国际 > 正文"),
        ("boilerplate.navigation", "新华网 >  > 正文"),
        ("boilerplate.navigation", "回到頂部"),
        ("boilerplate.navigation", "下一篇：国务院召开常务会议"),
        ("boilerplate.navigation", "标签：经济, 改革"),
        ("boilerplate.share", "分享到："),
        ("boilerplate.share", "分享到：微信 微博 QQ空间"),
        ("boilerplate.share", "字体： 小 中 大"),
        ("boilerplate.share", "【打印】【关闭】"),
        ("boilerplate.comment_prompt", "发表评论"),
        ("boilerplate.newsletter", "下载客户端"),
        ("boilerplate.cookie_notice", "本网站使用cookie来改善您的浏览体验。"),
        ("boilerplate.advertisement", "广告"),
        ("boilerplate.read_more", "相关新闻"),
        ("boilerplate.read_more", "延伸閱讀"),
        ("boilerplate.read_more", "阅读下一篇："),
        ("boilerplate.image_placeholder", "（图片来源：视觉中国）"),
        ("boilerplate.copyright", "版权所有 新华网"),
        ("boilerplate.copyright", "京ICP备13028878号-6"),
        ("boilerplate.copyright", "未经授权禁止转载"),
        ("boilerplate.counter", "阅读：1,234"),
        ("boilerplate.counter", "已有 25 人评论"),
    ),
    "ja": (
        ("boilerplate.navigation", "ページの先頭へ"),
        ("boilerplate.navigation", "前の記事"),
        ("boilerplate.navigation", "ログイン"),
        ("boilerplate.navigation", "タグ：政治、選挙"),
        ("boilerplate.share", "ツイート"),
        ("boilerplate.share", "はてなブックマーク"),
        ("boilerplate.share", "文字サイズ 小 中 大"),
        ("boilerplate.comment_prompt", "コメントを書く"),
        ("boilerplate.comment_prompt", "メールアドレスが公開されることはありません。"),
        ("boilerplate.newsletter", "メルマガ登録"),
        ("boilerplate.cookie_notice", "当サイトではクッキーを使用しています。"),
        ("boilerplate.advertisement", "スポンサーリンク"),
        ("boilerplate.read_more", "関連記事"),
        ("boilerplate.read_more", "続きを読む"),
        ("boilerplate.image_placeholder", "（写真：共同）"),
        ("boilerplate.copyright", "記事・写真の無断転載を禁じます。"),
        ("boilerplate.copyright", "プライバシーポリシー"),
        ("boilerplate.counter", "12件のコメント"),
        ("boilerplate.counter", "コメント（3）"),
    ),
    "id": (
        ("boilerplate.navigation", "Langsung ke konten"),
        ("boilerplate.navigation", "Tag: pemilu, DPR, anggaran"),
        ("boilerplate.share", "Bagikan ke WhatsApp"),
        ("boilerplate.share", "Ikuti kami di Instagram"),
        ("boilerplate.comment_prompt", "Alamat email Anda tidak akan dipublikasikan. "
                                       "Ruas yang wajib ditandai *"),
        ("boilerplate.newsletter", "Berlangganan newsletter kami"),
        ("boilerplate.cookie_notice", "Situs ini menggunakan cookie untuk meningkatkan "
                                      "pengalaman Anda."),
        ("boilerplate.cookie_notice", "Terima semua"),
        ("boilerplate.advertisement", "ADVERTISEMENT"),
        ("boilerplate.advertisement", "Gulir untuk melanjutkan"),
        ("boilerplate.read_more", "Baca juga: Pemerintah turunkan harga BBM"),
        ("boilerplate.read_more", "Berita terkait"),
        ("boilerplate.image_placeholder", "Foto: ANTARA/Budi Santoso"),
        ("boilerplate.copyright", "© 2021 Contoh Media. Hak cipta dilindungi undang-undang."),
        ("boilerplate.copyright", "Pedoman Media Siber"),
        ("boilerplate.counter", "1,2 rb komentar"),
        ("boilerplate.counter", "Waktu baca: 3 menit"),
    ),
}


@pytest.mark.parametrize(
    ("lang", "rule_id", "line"),
    [(lang, rid, line) for lang, cases in POSITIVE.items() for rid, line in cases],
)
def test_boilerplate_matches_its_rule(lang: str, rule_id: str, line: str) -> None:
    found = matching_rules(line, (lang,))
    assert any(entry.endswith(rule_id) for entry in found), found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_positive_examples(lang: str) -> None:
    assert {rid for rid, _ in POSITIVE[lang]} >= {
        "boilerplate.navigation", "boilerplate.share", "boilerplate.read_more",
        "boilerplate.copyright"}
