"""Progress on the command line: bars on a terminal, never in a pipe or a file, and other
output written above them rather than through them."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from dedup.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
#: What a tqdm bar draws, beside the carriage returns that redraw it.
BAR_MARKS = ("\r", "%|", "it/s", "B/s", "doc/s")


def _corpus(folder: Path) -> Path:
    """Write a JSONL corpus of 40 documents and one line that is not JSON; return it."""
    rows = [{"id": f"s{n}", "text": f"Story {n} says the pier at town {n} took "
             f"{n * 7} boats in its first week, and the harbour master was pleased."}
            for n in range(40)]
    path = folder / "corpus.jsonl"
    lines = [json.dumps(row) + "\n" for row in rows]
    lines.insert(3, "{not json\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


#: The start of each subcommand's summary.
SUMMARY = {"run": "41 records: ", "clean": "cleaned 40 documents", "dedupe": "40 documents: "}


def _commands(corpus: Path, tmp_path: Path) -> dict[str, list[str]]:
    return {
        "run": ["run", str(corpus), "--out", str(tmp_path / "out"), "--workers", "1"],
        "clean": ["clean", str(corpus), "--out", str(tmp_path / "clean.jsonl")],
        "dedupe": ["dedupe", str(corpus), "--out", str(tmp_path / "kept.jsonl")],
    }


@pytest.mark.parametrize("command", ["run", "clean", "dedupe"])
def test_no_bar_when_stderr_is_not_a_terminal(
        command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(_commands(_corpus(tmp_path), tmp_path)[command])

    captured = capsys.readouterr()
    assert SUMMARY[command] in captured.out + captured.err
    for mark in BAR_MARKS:
        assert mark not in captured.err


@pytest.mark.parametrize("command", ["run", "clean", "dedupe"])
def test_progress_forces_labelled_bars_with_totals(
        command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _corpus(tmp_path)

    main([*_commands(corpus, tmp_path)[command], "--progress"])

    err = capsys.readouterr().err
    assert "\r" in err
    label = {"run": "read and clean", "clean": "clean",
             "dedupe": "read, clean and fingerprint"}[command]
    assert f"{label}: 100%" in err
    # Files are measured in bytes, so the total is known before the first record.
    assert f"{label}:   0%|" in err
    assert "B/s" in err


@pytest.mark.parametrize("command", ["run", "clean", "dedupe"])
def test_quiet_prints_no_bar_and_no_summary(
        command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main([*_commands(_corpus(tmp_path), tmp_path)[command], "--quiet", "--progress"])

    captured = capsys.readouterr()
    for mark in BAR_MARKS:
        assert mark not in captured.err
    assert SUMMARY[command] not in captured.out + captured.err
    if command != "run":  # which names rejected records in its manifest only
        assert "rejected" in captured.err


def _on_a_terminal(arguments: list[str], *, stdout_too: bool) -> tuple[int, str]:
    """Run ``python -m dedup ARGUMENTS`` with stderr (and stdout) on a pseudo-terminal."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    environment = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    process = subprocess.Popen([sys.executable, "-m", "dedup", *arguments], env=environment,
                               stdin=subprocess.DEVNULL, stderr=follower,
                               stdout=follower if stdout_too else subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the last writer closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    code = process.wait(timeout=60)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_a_terminal_gets_bars_and_whole_lines(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)

    code, screen = _on_a_terminal(["clean", str(corpus)], stdout_too=True)

    assert code == 1  # one record is rejected
    assert "clean:   0%|" in screen
    assert "clean: 100%|" in screen
    # What the terminal shows of each line is what follows its last carriage return:
    # every cleaned document and the rejection stand on lines of their own.
    shown = [line.rsplit("\r", 1)[-1] for line in screen.split("\n")]
    documents = [line for line in shown if line.startswith("{")]
    assert len(documents) == 40
    assert all(json.loads(line)["id"] for line in documents)
    assert any(line.startswith("rejected") for line in shown)
    assert all("%|" not in line for line in shown if not line.startswith("clean:"))


def test_bars_never_reach_standard_output(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    main(["clean", str(_corpus(tmp_path)), "--progress"])

    captured = capsys.readouterr()
    assert "clean: 100%" in captured.err
    lines = captured.out.splitlines()
    assert len(lines) == 40
    assert all(json.loads(line)["id"] for line in lines)
    assert "\r" not in captured.out
