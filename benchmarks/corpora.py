"""Loaders for the evaluation corpora in ``../shared/corpora`` (read in place, never copied).

Shared by every benchmark: ``load_bbc(path)`` and ``load_reuters(path)`` return
``[(id, text), ...]`` in a fixed order.

- BBC News raw (``bbc-news-raw``): ``bbc/<topic>/NNN.txt``, latin-1; id
  ``"<topic>/NNN"``; text as in the file.
- Reuters-21578 (``reuters21578``): ``reut2-0NN.sgm.gz``, latin-1 SGML that is
  not valid XML, so it is read by regular expressions; id ``"reuters-<NEWID>"``;
  text = ``TITLE``, a blank line, then ``BODY`` (or the bare ``TEXT`` content
  for the unprocessed stories without a body), with SGML entities decoded.
"""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

__all__ = ["DEFAULT_CORPORA", "load_bbc", "load_reuters"]

#: ``../shared/corpora`` relative to the repository root.
DEFAULT_CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"

_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.DOTALL)
_NEWID = re.compile(r'NEWID="(\d+)"')
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.DOTALL)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.DOTALL)
_TEXT = re.compile(r"<TEXT\b[^>]*>(.*?)</TEXT>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def load_bbc(path: str | Path = DEFAULT_CORPORA / "bbc-news-raw") -> list[tuple[str, str]]:
    """Return the BBC articles as ``(topic/NNN, text)``, sorted by id."""
    root = Path(path)
    base = root / "bbc" if (root / "bbc").is_dir() else root
    docs = []
    for file in sorted(base.glob("*/*.txt")):
        docs.append((f"{file.parent.name}/{file.stem}", file.read_text(encoding="latin-1")))
    if not docs:
        raise FileNotFoundError(f"no BBC articles under {root} (expected bbc/<topic>/NNN.txt)")
    return docs


def _decode(fragment: str) -> str:
    return _CONTROL.sub("", html.unescape(fragment))


def load_reuters(path: str | Path = DEFAULT_CORPORA / "reuters21578", *,
                 with_title: bool = True) -> list[tuple[str, str]]:
    """Return the Reuters-21578 stories as ``(reuters-NEWID, title + body)``, in file order.

    ``with_title=False`` gives the body alone (the unit of the corpus'
    "exact-body duplicate" counts).
    """
    root = Path(path)
    files = sorted(root.glob("reut2-*.sgm.gz")) or sorted(root.glob("reut2-*.sgm"))
    if not files:
        raise FileNotFoundError(f"no reut2-*.sgm(.gz) files under {root}")
    docs = []
    for file in files:
        raw = gzip.decompress(file.read_bytes()) if file.suffix == ".gz" else file.read_bytes()
        for match in _STORY.finditer(raw.decode("latin-1")):
            attributes, inner = match.groups()
            newid = _NEWID.search(attributes)
            if newid is None:
                continue
            title = _TITLE.search(inner)
            body = _BODY.search(inner)
            if body is not None:
                text = _decode(body.group(1))
            else:
                whole = _TEXT.search(inner)
                text = _decode(_TAG.sub(" ", whole.group(1))) if whole else ""
            heading = _decode(title.group(1)).strip() if title else ""
            joined = (f"{heading}\n\n{text.strip()}" if heading and with_title
                      else text.strip())
            docs.append((f"reuters-{newid.group(1)}", joined))
    return docs
