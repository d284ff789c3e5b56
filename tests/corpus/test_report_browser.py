"""report.html in a real browser: it renders the removals and clusters, and runs nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dedup.corpus.pipeline import run

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PAYLOAD = ("<script>document.body.setAttribute('data-pwned', 'script')</script>\n"
           "<img src=x onerror=\"document.body.setAttribute('data-pwned', 'onerror')\">\n"
           "<svg onload=\"document.title='pwned'\"></svg>")

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
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
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


def test_report_renders_in_headless_chromium_and_runs_no_document_script(tmp_path: Path) -> None:
    browser = _chromium()
    inputs = tmp_path / "inputs"
    shutil.copytree(SEEDS, inputs)
    copied = sorted(inputs.glob("002_*"))[0]
    original = copied.read_text(encoding="utf-8")
    edited = original.replace(" the ", " a ", 2)
    assert edited != original
    (inputs / "zz_copy_of_002.txt").write_text(edited, encoding="utf-8")
    for number, topic in enumerate(TOPICS):
        (inputs / f"scraped_{number:02d}.html.txt").write_text(
            f"{topic}\n{PAYLOAD}\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run([inputs], out=out, workers=1)
    assert summary.clusters == 1

    profile = tmp_path / "profile"
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update",
               "--no-first-run", f"--user-data-dir={profile}", "--dump-dom",
               (out / "report.html").as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = _Dom()
    dom.feed(result.stdout)

    tags = [tag for tag, _ in dom.elements]
    body = next(attrs for tag, attrs in dom.elements if tag == "body")
    assert "data-pwned" not in body, "a script from a document ran"
    assert dom.title == "dedup report"
    assert "script" not in tags
    assert "img" not in tags
    assert "svg" not in tags
    removed_rules = {attrs.get("data-rule") for tag, attrs in dom.elements if tag == "del"}
    assert "corpus.frequent_line" in removed_rules
    documents = [json.loads(line) for line in
                 (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    for document in documents:
        if str(document["id"]).startswith("004_"):
            assert {r["rule"] for r in document["dedup"]["removals"]} <= removed_rules
    clusters = [attrs for tag, attrs in dom.elements if "data-representative" in attrs]
    assert [c["data-representative"] for c in clusters] == [copied.name]
    duplicates = [attrs["data-duplicate"] for _, attrs in dom.elements
                  if "data-duplicate" in attrs]
    assert duplicates == ["zz_copy_of_002.txt"]
    assert any(attrs.get("class") == "fill" for _, attrs in dom.elements)  # the chart
    marks = {attrs.get("class") for tag, attrs in dom.elements if tag == "mark"}
    assert marks == {"only-left", "only-right"}  # the edited words are highlighted
