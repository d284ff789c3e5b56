"""Synthetic corpora written in tmp_path (no third-party text in the repo), and run outputs."""

from __future__ import annotations

import json
import random
from pathlib import Path

_WORDS = ("market", "shares", "rose", "after", "the", "central", "bank", "said", "inflation",
          "would", "ease", "while", "exporters", "reported", "stronger", "demand", "for", "grain",
          "coffee", "copper", "and", "oil", "in", "several", "regions", "during", "quarter",
          "analysts", "expected", "further", "gains", "as", "trade", "talks", "continued")


def make_story(rng: random.Random, words: int = 120) -> str:
    """Return a few paragraphs of random words that no other call will repeat."""
    paragraphs = []
    for _ in range(3):
        sentence = " ".join(rng.choice(_WORDS) for _ in range(words // 3))
        paragraphs.append(sentence.capitalize() + ".")
    return "\n\n".join(paragraphs)


def write_corpus(path: Path, *, documents: int, seed: int = 7) -> Path:
    """Write a JSONL corpus with a wire trailer, two sites, duplicates and a recurring sentence."""
    rng = random.Random(seed)
    rows = []
    for number in range(documents):
        text = make_story(rng)
        if number % 3 == 0:
            text += "\n\nFollow us on Twitter for more stories"
        if number in (5, 17, 29):
            text += "\n\nThe company did not elaborate on the terms."
        text += "\nReuter\n"
        rows.append({"id": f"doc-{number:05d}", "text": text,
                     "url": f"https://{'www.alpha' if number % 2 else 'beta'}.example/{number}"})
        if number % 10 == 9:
            rows.append({"id": f"copy-{number:05d}", "text": text, "url": rows[-1]["url"]})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def run_outputs(out: Path) -> dict[str, str]:
    """Return a run's outputs, leaving out the only run-dependent field (timings).

    The report's pages and id index in ``report/`` are included, by name.
    """
    files = {name: (out / name).read_text(encoding="utf-8")
             for name in ("documents.jsonl", "manifest.jsonl", "report.html")}
    files.update((path.relative_to(out).as_posix(), path.read_text(encoding="utf-8"))
                 for path in sorted((out / "report").iterdir()))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary.pop("timings_seconds")
    files["summary.json"] = json.dumps(summary, sort_keys=True)
    return files
