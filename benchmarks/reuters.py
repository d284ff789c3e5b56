"""Read Reuters-21578 (SGML, latin-1) into JSONL records for the benchmarks.

The corpus stays in ../shared/corpora/reuters21578; this writes a temporary
JSONL file with one record per story: ``id`` (NEWID), ``text`` (title,
dateline and body, as the wire printed them) and ``topics``.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

_STORY = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
_FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.S)
          for name in ("TITLE", "DATELINE", "BODY", "TOPICS")}
_TEXT = re.compile(r"<TEXT[^>]*>(.*?)</TEXT>", re.S)
_TAG = re.compile(r"<[^>]+>")
_CONTROL = re.compile(r"&#\d+;")


def _clean(value: str) -> str:
    return html.unescape(_CONTROL.sub("", value))


def write_reuters_jsonl(folder: Path, target: Path) -> int:
    """Write every story of the 22 SGML files to ``target``; return the number of stories."""
    count = 0
    with target.open("w", encoding="utf-8") as out:
        for path in sorted(folder.glob("reut2-*.sgm*")):
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rt", encoding="latin-1") as handle:
                data = handle.read()
            for match in _STORY.finditer(data):
                newid, story = match.groups()
                parts = []
                for name in ("TITLE", "DATELINE", "BODY"):
                    found = _FIELD[name].search(story)
                    if found:
                        parts.append(_clean(found.group(1)).strip("\n"))
                if not any(_FIELD[name].search(story) for name in ("BODY",)):
                    text_match = _TEXT.search(story)
                    parts = [_clean(_TAG.sub("", text_match.group(1)))] if text_match else []
                topics = _FIELD["TOPICS"].search(story)
                row = {"id": newid, "text": "\n".join(p for p in parts if p.strip()),
                       "topics": _TAG.sub(" ", topics.group(1)).split() if topics else []}
                out.write(json.dumps(row) + "\n")
                count += 1
    return count
