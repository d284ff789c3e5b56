"""Document-derived text on a terminal: control characters escaped, output valid UTF-8."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from dedup.cli import main
from dedup.cli._terminal import SafeFormatter, printable, terminal_json

HOSTILE_IDS = ["red\x1b[31malert", "over\rwrite", "rev\u202eersed", "lone\udc80half",
               "bell\x07c1\x9bend"]
RAW = ("\x1b", "\r", "\u202e", "\udc80", "\x07", "\x9b")


def _dump(path: Path, *, text: str = "Share this post\nA story with a body of words.") -> Path:
    lines = [json.dumps({"id": doc_id, "text": text, "title": f"t {doc_id}"})
             for doc_id in HOSTILE_IDS]
    lines.append(json.dumps({"id": "empty\x1b[2J", "text": ""}))
    lines.append(json.dumps({"id": "bad\u202e", "text": 5}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_printable_escapes_every_control_and_keeps_text() -> None:
    assert printable("a\x1b[31mb") == "a\\x1b[31mb"
    assert printable("x\ry\nz\t") == "x\\x0dy\\x0az\\x09"
    assert printable("\u202e\u2066\u200f\u061c") == "\\u202e\\u2066\\u200f\\u061c"
    assert printable("\x7f\x85\x9f") == "\\x7f\\x85\\x9f"
    assert printable("half\ud83d") == "half\\ud83d"
    assert printable("Zürich, 東京, emoji \U0001f600") == "Zürich, 東京, emoji \U0001f600"


def test_terminal_json_keeps_the_value() -> None:
    line = json.dumps({"id": "a\u202eb\x85c\u2028"}, ensure_ascii=False)
    escaped = terminal_json(line)
    assert not any(c in escaped for c in "\u202e\x85\u2028")
    assert json.loads(escaped) == json.loads(line)


def test_explain_and_rejections_reach_stderr_escaped(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    dump = _dump(tmp_path / "dump.jsonl")
    assert main(["clean", str(dump), "--explain"]) == 1  # one record's text is not text
    captured = capsys.readouterr()
    for raw in RAW:
        assert raw not in captured.err
        assert raw not in captured.out
    assert "red\\x1b[31malert:" in captured.err  # the --explain header names the id, escaped
    assert "over\\x0dwrite" in captured.err
    assert "rev\\u202eersed" in captured.err
    assert "empty\\x1b[2J" in captured.err  # an empty document's line
    assert "bad\\u202e" in captured.err  # a rejection's line
    captured.out.encode("utf-8")  # valid UTF-8: no lone surrogate reaches standard output
    ids = [json.loads(line)["id"] for line in captured.out.splitlines()]
    assert ids == HOSTILE_IDS  # JSON escapes keep every id exactly


def test_dedupe_names_rejections_escaped(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _dump(folder / "dump.jsonl")
    (folder / "evil\x1b[31m\u202e.txt").write_bytes(b"bin\x00ary")  # a file name
    assert main(["dedupe", str(folder), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert not any(raw in err for raw in RAW)
    assert "evil\\x1b[31m\\u202e.txt" in err


def test_log_messages_are_escaped() -> None:
    record = logging.LogRecord("dedup", logging.INFO, __file__, 1, "reading %s",
                               ("a\x1b[31m\u202eb",), None)
    assert SafeFormatter("%(message)s").format(record) == "reading a\\x1b[31m\\u202eb"
