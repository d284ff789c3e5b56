"""The report in a real browser: pages render and link, search and filters work, nothing runs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.corpus.chromium import Chromium, find_chromium

from dedup.corpus.pipeline import run
from dedup.corpus.report_pages import id_shard
from dedup.corpus.steps import RunConfig

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PAYLOAD = ("<script>document.body.setAttribute('data-pwned', 'script')</script>\n"
           "<img src=x onerror=\"document.body.setAttribute('data-pwned', 'onerror')\">\n"
           "<svg onload=\"document.title='pwned'\"></svg>\n"
           "</script><script>document.title='pwned'</script>\u2028")
#: A file name is an id: markup, a non-ASCII letter and an astral emoji (two UTF-16 units).
HOSTILE_NAME = "scraped_<img src=x onerror=alert(1)>é😀.txt"

TOPICS = ("Rain delayed the wheat harvest across the northern plains this week.",
          "Shares of the airline jumped after it reported record summer bookings.",
          "The museum reopened its east wing with a show of early photographs.",
          "Engineers finished testing the new tidal turbine off the coast.",
          "Local schools will add evening classes for adult learners in spring.",
          "A rare owl was spotted nesting in the city park for the first time.",
          "The orchestra announced a free concert series for the summer months.",
          "Fishermen say warmer water has pushed cod stocks further north.",
          "The council approved a plan to plant ten thousand street trees.",
          "A startup unveiled a battery that charges in under ten minutes.",
          "Volunteers rebuilt the old footbridge washed away by the floods.",
          "The library will lend telescopes to members from next month.")

pytestmark = pytest.mark.browser


def _chromium() -> str:
    found = find_chromium()
    if found:
        return found
    pytest.skip("headless Chromium is not installed: .ci/run installs it with "
                "`apt-get install chromium chromium-driver`; the install failed or was skipped")


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            self._in_title = False


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    inputs = tmp_path / "inputs"
    shutil.copytree(SEEDS, inputs)
    copied = sorted(inputs.glob("002_*"))[0]
    original = copied.read_text(encoding="utf-8")
    edited = original.replace(" the ", " a ", 2)
    assert edited != original
    (inputs / "zz_copy_of_002.txt").write_text(edited, encoding="utf-8")
    for number, topic in enumerate(TOPICS):
        (inputs / f"scraped_{number:02d}.html.txt").write_text(
            f"{topic}\n{PAYLOAD}\nShare this post\n", encoding="utf-8")
    hostile = ("The ferry timetable changes on Monday for the winter season.\n"
               f"{PAYLOAD}\nShare this post\n")
    (inputs / HOSTILE_NAME).write_text(hostile, encoding="utf-8")
    return inputs, copied


def test_report_renders_in_headless_chromium_and_runs_no_document_script(tmp_path: Path) -> None:
    browser = _chromium()
    inputs, copied = _inputs(tmp_path)
    out = tmp_path / "out"
    summary = run([inputs], out=out, workers=1, config=RunConfig(report_documents=5))
    assert summary.clusters == 1

    profile = tmp_path / "profile"
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update",
               "--no-first-run", f"--user-data-dir={profile}", "--dump-dom",
               (out / "report" / "clusters-0001.html").as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = _Dom()
    dom.feed(result.stdout)
    body = next(attrs for tag, attrs in dom.elements if tag == "body")
    assert "data-pwned" not in body, "a script from a document ran"
    clusters = [attrs for tag, attrs in dom.elements if "data-representative" in attrs]
    assert [c["data-representative"] for c in clusters] == [copied.name]
    duplicates = [attrs["data-duplicate"] for _, attrs in dom.elements
                  if "data-duplicate" in attrs]
    assert duplicates == ["zz_copy_of_002.txt"]
    marks = {attrs.get("class") for tag, attrs in dom.elements if tag == "mark"}
    assert marks == {"only-left", "only-right"}  # the edited words are highlighted

    with Chromium(browser, tmp_path / "profile-2") as page:
        def inert() -> None:
            assert page.evaluate("document.body.hasAttribute('data-pwned')") is False
            assert page.evaluate("document.title").startswith("dedup report")
            # Only the report's own scripts; no element a document spelled out.
            scripts = page.evaluate("[...document.scripts].map(s => s.src)")
            assert scripts
            assert all(re.fullmatch(r"file://.*/report/(report|ids-\d{3})\.js", s)
                       for s in scripts), scripts
            assert page.evaluate("document.querySelectorAll('img, svg').length") == 0

        page.open((out / "report.html").as_uri())
        inert()
        assert page.evaluate("getComputedStyle(document.querySelector('header'))"
                             ".backgroundColor") == "rgb(17, 24, 39)"  # report.css loaded
        assert page.evaluate("!!document.querySelector('#chart .fill')")
        assert page.evaluate("document.querySelectorAll('details[open]').length") == 0
        ids = ["reuters-1", HOSTILE_NAME, "\u2028", "a" * 300, "日本語 id"]
        assert page.evaluate(f"{json.dumps(ids)}.map(i => dedupReport.shardOf(i, 512))") == [
            id_shard(i, 512) for i in ids]

        # Search by id: the shard the page loads is the one Python wrote the id into.
        page.evaluate(f"document.querySelector('#search input').value = {json.dumps(HOSTILE_NAME)};"
                      "document.querySelector('#search button').click(); true")
        links = page.evaluate(
            "new Promise(done => { const wait = () => { const a = [...document.querySelectorAll("
            "'#search .results li')]; if (a.length) done([...document.querySelectorAll("
            "'#search .results a')].map(x => x.getAttribute('href')));"
            " else setTimeout(wait, 20); }; wait(); })")
        inert()
        assert len(links) == 1
        assert links[0].startswith("report/removals-")
        page.open((out / links[0]).as_uri() if "#" not in links[0] else
                  (out / links[0].split("#")[0]).as_uri() + "#" + links[0].split("#")[1])
        inert()
        target = links[0].split("#")[1]
        assert page.evaluate(f"document.getElementById('{target}').open") is True
        assert page.evaluate(f"document.getElementById('{target}').dataset.id") == HOSTILE_NAME
        reasons = page.evaluate(f"document.querySelector('#{target} .reasons').innerText")
        assert "corpus.frequent_line" in reasons or "boilerplate" in reasons

        # Filters: by rule across the page's documents, then by id.
        page.open((out / "report" / "removals-0001.html").as_uri())
        inert()
        rule = page.evaluate("document.querySelector('.filters select option:nth-child(2)')"
                             ".value")
        shown = page.evaluate(
            f"const s = document.querySelector('.filters select'); s.value = {json.dumps(rule)};"
            "s.dispatchEvent(new Event('change'));"
            "[...document.querySelectorAll('[data-list] > details')].filter(d => !d.hidden)"
            ".map(d => d.dataset.rules)")
        assert shown
        assert all(rule in rules.split(" ") for rules in shown)
        total = page.evaluate("document.querySelectorAll('[data-list] > details').length")
        with_rule = page.evaluate(f"[...document.querySelectorAll('[data-list] > details')]"
                                  f".filter(d => d.dataset.rules.split(' ').includes("
                                  f"{json.dumps(rule)})).length")
        assert len(shown) == with_rule <= total
        assert page.evaluate("document.querySelector('.filters .shown').textContent") == \
            f"{with_rule} of {total} shown"

        # Every removals page is reachable from the entry page and links to the next.
        page.open((out / "report.html").as_uri())
        pages = page.evaluate("[...document.querySelectorAll('#pages a')]"
                              ".map(a => a.getAttribute('href'))")
        assert {p for p in pages if "removals-" in p} == {
            f"report/{p.name}" for p in (out / "report").glob("removals-*.html")}
        assert len([p for p in pages if "removals-" in p]) >= 3
        page.open((out / "report" / "removals-0002.html").as_uri())
        inert()
        assert page.evaluate("document.querySelector('a[rel=next]').getAttribute('href')") \
            == "removals-0003.html"
