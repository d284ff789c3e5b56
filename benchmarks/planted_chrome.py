"""Site chrome for the planted ``chrome`` variants of ``benchmarks/planted.py``.

Invented text in ten languages, in the shapes news sites wrap a story in:
masthead, navigation (one row or one item a line), breadcrumbs, timestamps,
"listen" and reading-time widgets, share rows, advertisement labels, cookie
banners, newsletter prompts, "related" and "most read" lists of headlines,
comment counts, footer links and copyright lines. No real site's text.

This set is deliberately not the one ``benchmarks/stability.py`` uses to tune
cleaning (a test checks that no line is shared), so the duplicate benchmark does
not test on what cleaning was tuned on. Every variant draws its own mix with a
seeded ``random.Random``: which widgets, how many items, their order, figures in
them (times, counts, years), and now and then a second language (an English
cookie banner on a German site).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["LANGUAGES", "SITE_CHROME", "SiteChrome", "wrap_in_chrome"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteChrome:
    """The chrome vocabulary of one language; ``{n}``, ``{t}``, ``{y}`` are filled per variant."""

    sites: tuple[str, ...]
    nav: tuple[str, ...]
    utility: tuple[str, ...]
    share: tuple[str, ...]
    stamps: tuple[str, ...]
    cookie: tuple[str, ...]
    cookie_buttons: tuple[str, ...]
    newsletter: tuple[str, ...]
    related_labels: tuple[str, ...]
    headlines: tuple[str, ...]
    footer: tuple[str, ...]
    copyright: tuple[str, ...]


SITE_CHROME: dict[str, SiteChrome] = {
    "en": SiteChrome(
        sites=("The Harbour Ledger", "Midland Evening Post", "Coastline Daily", "NORTHGATE TIMES"),
        nav=("World", "UK", "Money", "Markets", "Tech", "Science", "Health", "Opinion",
             "Lifestyle", "Travel", "Weather", "Puzzles", "Podcasts", "Video"),
        utility=("Open navigation", "Log in", "Register", "My account", "Edition: International",
                 "Try 30 days free", "Support our journalism", "Today's paper"),
        share=("Share this story", "Copy link", "Email", "WhatsApp", "LinkedIn", "Print",
               "Save for later", "Gift this article"),
        stamps=("Published {t} GMT", "Updated {n} minutes ago", "{n} min read",
                "Listen to this article ({n} min)", "Advertisement", "ADVERTISEMENT",
                "{n} comments", "Story continues below"),
        cookie=("We and our {n} partners store and access information on your device to "
                "personalise ads and content, measure performance and develop products.",
                "This site uses cookies to give you the best experience. By continuing to "
                "browse you agree to our use of cookies."),
        cookie_buttons=("Accept all", "Reject non-essential", "Manage preferences", "Got it"),
        newsletter=("Get the morning briefing in your inbox", "Sign up to our free newsletter",
                    "Enter your email address", "You can unsubscribe at any time."),
        related_labels=("More on this story", "You may also like", "Most read", "Trending now",
                        "Around the web", "Editor's picks"),
        headlines=("Council approves plan for second river crossing",
                   "Why flat whites cost more this winter",
                   "Five things we learned from the spring budget",
                   "Rail strikes: what you need to know before travelling",
                   "Ferry operator fined over late sailings",
                   "Watch: drone footage shows flooded valley",
                   "The quiet town that became a hub for battery makers",
                   "Opinion: our high streets deserve better"),
        footer=("About us", "Careers", "Advertise with us", "Terms and conditions",
                "Privacy notice", "Cookie policy", "Accessibility statement", "Complaints",
                "Contact the newsroom", "Sitemap", "RSS feeds"),
        copyright=("(c) {y} Harbour Ledger Group Ltd. Registered in England No. 0{n}{n}.",
                   "Copyright © {y} Coastline Publishing. All rights reserved.",
                   "All content © Midland Evening Post {y}")),
    "de": SiteChrome(
        sites=("Nordlicht Kurier", "Rheintal Anzeiger", "Die Morgenwarte"),
        nav=("Politik", "Ausland", "Wirtschaft", "Finanzen", "Kultur", "Wissen", "Reise",
             "Auto", "Panorama", "Regional", "Meinung"),
        utility=("Navigation öffnen", "Einloggen", "Registrieren", "Mein Konto",
                 "Jetzt testen", "E-Paper"),
        share=("Artikel versenden", "Link kopieren", "Drucken", "Merken", "Per Mail teilen"),
        stamps=("Stand: {t} Uhr", "Aktualisiert vor {n} Minuten", "Lesezeit: {n} Min.",
                "Anzeige", "{n} Kommentare", "Artikel vorlesen lassen"),
        cookie=("Wir verwenden Cookies und ähnliche Technologien, um Inhalte zu personalisieren "
                "und die Nutzung unserer Website zu analysieren.",
                "Mit Klick auf Zustimmen willigen Sie in die Verarbeitung Ihrer Daten durch "
                "uns und {n} Partner ein."),
        cookie_buttons=("Zustimmen", "Ablehnen", "Einstellungen anpassen", "Alle akzeptieren"),
        newsletter=("Der Newsletter am Morgen", "Jetzt kostenlos anmelden",
                    "Ihre E-Mail-Adresse", "Abmeldung jederzeit möglich."),
        related_labels=("Das könnte Sie auch interessieren", "Meistgelesen", "Weitere Artikel",
                        "Top-Themen"),
        headlines=("Stadtrat beschließt neues Parkkonzept",
                   "Warum die Mieten im Umland steigen",
                   "Hochwasser: Pegel am Oberlauf sinkt langsam",
                   "Fünf Tipps für den Winterurlaub mit der Bahn"),
        footer=("Impressum und Verantwortliche", "Datenschutzerklärung", "AGB",
                "Barrierefreiheit", "Kontaktformular", "Mediadaten", "Jobs bei uns",
                "Hilfe & Service"),
        copyright=("© {y} Nordlicht Medienhaus GmbH & Co. KG",
                   "Alle Rechte vorbehalten. Rheintal Anzeiger {y}")),
    "fr": SiteChrome(
        sites=("L'Écho du Littoral", "Le Courrier des Plaines", "La Vigie"),
        nav=("Politique", "Monde", "Économie", "Société", "Sports", "Culture", "Planète",
             "Idées", "Régions", "Vidéos"),
        utility=("Ouvrir le menu", "Connexion", "Créer un compte", "Mon espace",
                 "Offre découverte", "Le journal du jour"),
        share=("Partager cet article", "Copier le lien", "Imprimer", "Envoyer par e-mail",
               "Ajouter à mes favoris"),
        stamps=("Publié à {t}", "Mis à jour il y a {n} minutes", "Temps de lecture : {n} min",
                "Publicité", "{n} commentaires", "Écouter cet article"),
        cookie=("Avec votre accord, nous et nos {n} partenaires utilisons des cookies pour "
                "mesurer l'audience et personnaliser les publicités.",
                "Ce site utilise des traceurs. Vous pouvez modifier vos choix à tout moment."),
        cookie_buttons=("Tout accepter", "Continuer sans accepter", "Paramétrer"),
        newsletter=("Recevez notre lettre d'information", "Je m'inscris gratuitement",
                    "Votre adresse e-mail"),
        related_labels=("Sur le même sujet", "Les plus lus", "À lire aussi", "Dans l'actualité"),
        headlines=("Le port de commerce mise sur l'éolien en mer",
                   "Pourquoi le prix du pain augmente encore",
                   "Grève des transports : les perturbations prévues mardi",
                   "Un nouveau musée ouvrira ses portes au printemps"),
        footer=("Qui sommes-nous", "Écrire à la rédaction", "Conditions générales", "Charte de "
                "confidentialité", "Gestion des cookies", "Plan du site", "Recrutement"),
        copyright=("© Le Courrier des Plaines {y} - Tous droits de reproduction réservés",
                   "La Vigie SAS, {y}")),
    "es": SiteChrome(
        sites=("El Faro del Sur", "Diario La Meseta", "Heraldo Costero"),
        nav=("Nacional", "Internacional", "Economía", "Opinión", "Cultura", "Deportes",
             "Tecnología", "Gente", "Motor"),
        utility=("Abrir menú", "Acceder", "Regístrate", "Mi cuenta", "Suscríbete por 1 €"),
        share=("Compartir", "Copiar enlace", "Enviar por correo", "Imprimir", "Guardar"),
        stamps=("Actualizado a las {t} h", "Hace {n} minutos", "Lectura: {n} min",
                "Publicidad", "{n} comentarios", "Escuchar noticia"),
        cookie=("Utilizamos cookies propias y de terceros para mejorar nuestros servicios y "
                "mostrarle publicidad relacionada con sus preferencias.",
                "Si continúa navegando, consideramos que acepta su uso."),
        cookie_buttons=("Aceptar", "Rechazar", "Configurar"),
        newsletter=("Apúntate a nuestro boletín", "Recibe las noticias del día",
                    "Tu correo electrónico"),
        related_labels=("Te puede interesar", "Lo más leído", "Más noticias", "Últimas noticias"),
        headlines=("El ayuntamiento aprueba la nueva línea de autobús",
                   "Por qué sube el precio del aceite",
                   "La sequía obliga a restringir el riego en la comarca"),
        footer=("Quiénes somos", "Información legal", "Política de cookies",
                "Contacta con la redacción", "Publicidad", "Mapa web", "Trabaja con nosotros"),
        copyright=("© Ediciones Faro del Sur S.L. {y}", "Diario La Meseta {y}. Todos los "
                   "derechos reservados.")),
    "it": SiteChrome(
        sites=("Il Corriere della Valle", "La Gazzetta del Porto"),
        nav=("Cronaca", "Politica", "Esteri", "Economia", "Sport", "Cultura", "Spettacoli",
             "Motori"),
        utility=("Apri il menu", "Accedi", "Abbonati", "Il mio profilo"),
        share=("Condividi", "Copia link", "Stampa", "Invia per email"),
        stamps=("Aggiornato alle {t}", "{n} minuti fa", "Tempo di lettura: {n} minuti",
                "Pubblicità", "{n} commenti"),
        cookie=("Questo sito utilizza cookie tecnici e di profilazione, anche di terze parti, "
                "per migliorare la tua esperienza di navigazione.",),
        cookie_buttons=("Accetta tutti", "Rifiuta", "Personalizza"),
        newsletter=("Iscriviti alla newsletter", "La tua email"),
        related_labels=("Potrebbe interessarti", "I più letti", "Leggi anche"),
        headlines=("Nuovo ponte sul fiume, via libera ai lavori",
                   "Caro bollette: cosa cambia da gennaio",
                   "Il mercato del sabato torna in piazza"),
        footer=("Chi siamo", "Contatti", "Note legali", "Privacy", "Lavora con noi"),
        copyright=("© {y} Editoriale Valle S.p.A. - P.IVA 0{n}{n}{n}",)),
    "pt": SiteChrome(
        sites=("Jornal da Ribeira", "Folha do Planalto"),
        nav=("Brasil", "Mundo", "Economia", "Política", "Esportes", "Cultura", "Ciência"),
        utility=("Abrir menu", "Entrar", "Assine", "Minha conta"),
        share=("Compartilhar", "Copiar link", "Imprimir", "Enviar por e-mail"),
        stamps=("Atualizado às {t}", "Há {n} minutos", "Tempo de leitura: {n} min",
                "Publicidade", "{n} comentários"),
        cookie=("Usamos cookies para melhorar sua experiência. Ao continuar navegando, você "
                "concorda com a nossa política de privacidade.",),
        cookie_buttons=("Aceitar", "Recusar", "Preferências"),
        newsletter=("Receba a newsletter", "Seu e-mail"),
        related_labels=("Leia também", "Mais lidas", "Relacionadas"),
        headlines=("Prefeitura anuncia nova ciclovia na zona norte",
                   "Por que o preço do café subiu tanto"),
        footer=("Quem somos", "Fale conosco", "Termos de uso", "Política de privacidade",
                "Anuncie"),
        copyright=("© {y} Jornal da Ribeira. Todos os direitos reservados.",)),
    "nl": SiteChrome(
        sites=("Het Polderblad", "Dagblad de Kust"),
        nav=("Binnenland", "Buitenland", "Economie", "Sport", "Cultuur", "Tech", "Regio"),
        utility=("Menu openen", "Inloggen", "Abonneren", "Mijn account"),
        share=("Delen", "Link kopiëren", "Afdrukken", "Mailen"),
        stamps=("Bijgewerkt om {t}", "{n} minuten geleden", "Leestijd {n} minuten",
                "Advertentie", "{n} reacties"),
        cookie=("Wij gebruiken cookies om onze website te verbeteren en om advertenties af te "
                "stemmen op uw interesses.",),
        cookie_buttons=("Akkoord", "Weigeren", "Instellingen"),
        newsletter=("Meld je aan voor de nieuwsbrief", "Je e-mailadres"),
        related_labels=("Lees ook", "Meest gelezen", "Gerelateerd"),
        headlines=("Gemeente wil meer fietsenstallingen bij het station",
                   "Waarom de huizenprijzen weer stijgen"),
        footer=("Over ons", "Contact", "Privacyverklaring", "Cookiebeleid", "Vacatures"),
        copyright=("© {y} Polderblad Media B.V.",)),
    "pl": SiteChrome(
        sites=("Kurier Nadwiślański", "Gazeta Pomorska Dziś"),
        nav=("Kraj", "Świat", "Gospodarka", "Sport", "Kultura", "Nauka", "Region"),
        utility=("Otwórz menu", "Zaloguj się", "Subskrybuj", "Moje konto"),
        share=("Udostępnij", "Kopiuj link", "Drukuj", "Wyślij e-mailem"),
        stamps=("Aktualizacja: {t}", "{n} minut temu", "Czas czytania: {n} min",
                "Reklama", "{n} komentarzy"),
        cookie=("Używamy plików cookie, aby zapewnić prawidłowe działanie serwisu oraz w "
                "celach statystycznych i reklamowych.",),
        cookie_buttons=("Akceptuję", "Odrzuć", "Ustawienia"),
        newsletter=("Zapisz się do newslettera", "Twój adres e-mail"),
        related_labels=("Zobacz także", "Najczęściej czytane", "Polecamy"),
        headlines=("Nowy most na Wiśle coraz bliżej", "Dlaczego drożeje masło"),
        footer=("O nas", "Napisz do redakcji", "Regulamin", "Polityka prywatności", "Reklama"),
        copyright=("© {y} Kurier Nadwiślański Sp. z o.o.",)),
    "tr": SiteChrome(
        sites=("Kıyı Gazetesi", "Ova Haber"),
        nav=("Gündem", "Dünya", "Ekonomi", "Spor", "Kültür", "Teknoloji", "Yaşam"),
        utility=("Menüyü aç", "Giriş yap", "Abone ol", "Hesabım"),
        share=("Paylaş", "Bağlantıyı kopyala", "Yazdır", "E-posta ile gönder"),
        stamps=("Güncelleme: {t}", "{n} dakika önce", "Okuma süresi: {n} dk", "Reklam",
                "{n} yorum"),
        cookie=("Sitemizde deneyiminizi iyileştirmek için çerezler kullanılmaktadır. "
                "Ayrıntılı bilgi için çerez politikamızı inceleyebilirsiniz.",),
        cookie_buttons=("Kabul et", "Reddet", "Ayarlar"),
        newsletter=("Bültenimize abone olun", "E-posta adresiniz"),
        related_labels=("İlginizi çekebilir", "En çok okunanlar", "İlgili haberler"),
        headlines=("Belediye yeni sahil yolunu hizmete açtı", "Ekmek fiyatları neden arttı"),
        footer=("Hakkımızda", "İletişim", "Kullanım koşulları", "Gizlilik politikası", "Künye"),
        copyright=("© {y} Kıyı Gazetesi. Tüm hakları saklıdır.",)),
    "sv": SiteChrome(
        sites=("Fjärdens Tidning", "Dagbladet Slätten"),
        nav=("Inrikes", "Utrikes", "Ekonomi", "Sport", "Kultur", "Nöje", "Lokalt"),
        utility=("Öppna menyn", "Logga in", "Prenumerera", "Mitt konto"),
        share=("Dela", "Kopiera länk", "Skriv ut", "Mejla"),
        stamps=("Uppdaterad {t}", "För {n} minuter sedan", "Lästid {n} min", "Annons",
                "{n} kommentarer"),
        cookie=("Vi använder kakor för att webbplatsen ska fungera och för att anpassa "
                "annonser efter dina intressen.",),
        cookie_buttons=("Godkänn alla", "Neka", "Inställningar"),
        newsletter=("Prenumerera på vårt nyhetsbrev", "Din e-postadress"),
        related_labels=("Läs också", "Mest läst", "Relaterat"),
        headlines=("Kommunen bygger ny gång- och cykelbro", "Därför stiger elpriset igen"),
        footer=("Om oss", "Kontakta oss", "Villkor", "Personuppgiftspolicy", "Annonsera"),
        copyright=("© {y} Fjärdens Tidning AB",)),
}
LANGUAGES = tuple(sorted(SITE_CHROME))

_NAV_SEPARATORS = (" | ", " · ", "  ", " / ", " • ")


def _fill(line: str, rng: random.Random) -> str:
    return line.format(n=rng.randint(2, 48), t=f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                       y=rng.randint(2015, 2025))


def _some(items: tuple[str, ...], rng: random.Random, low: int, high: int) -> list[str]:
    return rng.sample(items, min(len(items), rng.randint(low, high)))


def _nav_block(chrome: SiteChrome, rng: random.Random) -> list[str]:
    items = _some(chrome.nav, rng, 4, 9)
    if rng.random() < 0.5:
        return [rng.choice(_NAV_SEPARATORS).join(items)]
    return items


def _above(chrome: SiteChrome, rng: random.Random) -> list[str]:
    widgets: list[Callable[[], list[str]]] = [
        lambda: [rng.choice(chrome.sites)],
        lambda: _some(chrome.utility, rng, 1, 3),
        lambda: _nav_block(chrome, rng),
        lambda: [" › ".join(_some(chrome.nav, rng, 2, 3))],
        lambda: [_fill(line, rng) for line in _some(chrome.stamps, rng, 1, 2)],
        lambda: _some(chrome.share, rng, 2, 4),
    ]
    # The masthead and the navigation come first, as on a page; the rest in any order.
    chosen = widgets[:1] + [w for w in widgets[1:] if rng.random() < 0.6]
    head, rest = chosen[:2], chosen[2:]
    rng.shuffle(rest)
    return [line for widget in head + rest for line in widget()]


def _below(chrome: SiteChrome, cookie_chrome: SiteChrome, rng: random.Random) -> list[str]:
    def related() -> list[str]:
        headlines = _some(chrome.headlines, rng, 2, 4)
        if rng.random() < 0.3:
            headlines = [f"{i}. {h}" for i, h in enumerate(headlines, 1)]
        elif rng.random() < 0.3:
            headlines = [f"{h} {_fill(rng.choice(chrome.stamps[:2]), rng)}" for h in headlines]
        return [rng.choice(chrome.related_labels), *headlines]

    widgets: list[Callable[[], list[str]]] = [
        lambda: _some(chrome.share, rng, 2, 5),
        related,
        lambda: _some(chrome.newsletter, rng, 1, 3),
        lambda: [_fill(rng.choice(cookie_chrome.cookie), rng),
                 *_some(cookie_chrome.cookie_buttons, rng, 1, 3)],
        lambda: [_fill(line, rng) for line in _some(chrome.stamps, rng, 1, 2)],
    ]
    chosen = [w for w in widgets if rng.random() < 0.7] or widgets[:2]
    rng.shuffle(chosen)
    lines = [line for widget in chosen for line in widget()]
    footer = _some(chrome.footer, rng, 3, 7)
    if rng.random() < 0.4:
        footer = [rng.choice(_NAV_SEPARATORS).join(footer)]
    return [*lines, *footer, _fill(rng.choice(chrome.copyright), rng)]


def wrap_in_chrome(text: str, rng: random.Random) -> str:
    """Return ``text`` with site chrome lines above and below it, drawn with ``rng``.

    >>> wrapped = wrap_in_chrome("A story.\\n", random.Random(1))
    >>> "\\nA story.\\n" in wrapped
    True
    """
    language = rng.choice(LANGUAGES)
    chrome = SITE_CHROME[language]
    cookie_chrome = SITE_CHROME["en"] if rng.random() < 0.2 else chrome
    joiner = rng.choice(("\n", "\n\n"))
    above = joiner.join(_above(chrome, rng))
    below = joiner.join(_below(chrome, cookie_chrome, rng))
    gap_above, gap_below = rng.choice(("\n", "\n\n")), rng.choice(("\n", "\n\n"))
    return f"{above}{gap_above}{text.strip(chr(10))}{gap_below}{below}\n"
