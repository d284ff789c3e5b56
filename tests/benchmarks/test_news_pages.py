"""benchmarks/news_pages.py pairs each saved page with its expected text and scores both.

The pages here are made up; no newspaper4k test page is copied.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"

PAGE = """<html><head><title>Harbour</title><script>var x = 1;</script></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<h1>The harbour reopens</h1>
<p>The harbour reopened on Monday after a storm closed it for three days, the port
authority said, and the first ferries left on time.</p>
<p>Fishing boats that sheltered up the river came back in the afternoon.</p>
<footer>Share on Facebook</footer></body></html>"""


@pytest.fixture
def news_pages(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("news_pages")


def _data(root: Path) -> Path:
    (root / "html").mkdir()
    (root / "txt").mkdir()
    (root / "html" / "harbour.html").write_text(PAGE, encoding="utf-8")
    (root / "txt" / "harbour.txt").write_text(
        "The harbour reopened on Monday after a storm closed it for three days, the port "
        "authority said, and the first ferries left on time.\n\nFishing boats that sheltered "
        "up the river came back in the afternoon.", encoding="utf-8")
    (root / "html" / "front_page.html").write_text(PAGE, encoding="utf-8")  # no expected text
    return root


def test_only_pages_with_expected_text_are_read(news_pages: ModuleType, tmp_path: Path) -> None:
    found = news_pages.pages(_data(tmp_path))
    assert [name for name, _, _ in found] == ["harbour"]
    _, page, gold = found[0]
    assert "Home" in page
    assert "var x" not in page
    assert gold.startswith("The harbour reopened")


def test_main_prints_raw_and_clean_scores(news_pages: ModuleType, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert news_pages.main(["--path", str(_data(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "harbour" in out
    assert "front_page" not in out
    raw, clean = (line for line in out.splitlines() if " F1 " in line)
    assert float(clean.split()[-1]) > float(raw.split()[-1])  # the menu and footer went


def test_an_empty_folder_is_reported(news_pages: ModuleType, tmp_path: Path) -> None:
    assert news_pages.main(["--path", str(tmp_path)]) == 1
