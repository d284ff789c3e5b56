"""Every subcommand x every shared option x bad values: exit code 2, one line, no traceback.

The rule tested here, for every user error (found while parsing or raised by a
handler): ``dedup.cli.main`` returns 2, standard error is exactly one line
``dedup COMMAND: error: ...`` naming the option or path at fault, standard
output is empty, and no output file appears. In-process (``main([...])`` with
capsys) so the matrix stays fast; two subprocess tests check the real program.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dedup.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ("clean", "dedupe", "run", "spark-run")

#: Which subcommands share each option; every one has the same default and help text on each.
SHARED: dict[str, tuple[str, ...]] = {
    "--out": COMMANDS, "--format": COMMANDS, "--overwrite": COMMANDS, "--quiet": COMMANDS,
    "--text-field": COMMANDS, "--id-field": COMMANDS, "--glob": COMMANDS,
    "--exclude": COMMANDS, "--disable": COMMANDS, "--verbose": COMMANDS,
    "--threshold": ("dedupe", "run", "spark-run"), "--keep": ("dedupe", "run", "spark-run"),
    "--containment": ("dedupe", "run", "spark-run"), "--workers": ("clean", "dedupe", "run"),
    "--source-field": ("run", "spark-run"), "--url-field": ("run", "spark-run"),
    "--min-documents": ("run", "spark-run"), "--min-share": ("run", "spark-run"),
    "--batch-size": ("run", "spark-run"),
}
#: Options whose help or default differ on purpose: a file for clean and dedupe, a folder
#: for the corpus jobs (which write documents.jsonl or documents.parquet only).
PER_KIND = {"--out", "--format"}

BAD_VALUES: dict[str, tuple[str, ...]] = {
    "--threshold": ("0", "-0.5", "1.01", "2", "abc", "nan", "inf", ""),
    "--containment": ("0", "2", "-1", "half"),
    "--workers": ("0", "-1", "two", "1.5", ""),
    "--batch-size": ("0", "-3", "many"),
    "--min-documents": ("1", "0", "ten"),
    "--min-share": ("-0.1", "1.5", "some"),
    "--disable": ("boilerplate.nope", "", "nope"),
    "--keep": ("middle", ""),
    "--format": ("csv", "JSONL", ""),
    "--text-field": ("",), "--id-field": ("",), "--source-field": ("",), "--url-field": ("",),
    "--glob": ("",), "--exclude": ("",),
}


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {option: action for action in parser._actions for option in action.option_strings}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "One short text to read."}) + "\n")
    return source


def _job(command: str, source: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / ("out" if command in ("run", "spark-run") else "out.jsonl")
    return [command, str(source), "--out", str(out)]


def _one_error_line(capsys: pytest.CaptureFixture[str], command: str) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"dedup {command}: error: "), lines[0]
    return lines[0]


def test_shared_options_have_one_name_default_and_help_everywhere() -> None:
    parsers = _subparsers()
    for option, commands in SHARED.items():
        holders = {name for name, parser in parsers.items() if option in _options(parser)}
        assert holders >= set(commands), (option, holders)
        if option in PER_KIND:
            continue
        described = {(repr(_options(parsers[c])[option].default),
                      _options(parsers[c])[option].help) for c in commands}
        assert len(described) == 1, (option, described)


def test_every_subcommand_has_a_description_and_shows_defaults(
        capsys: pytest.CaptureFixture[str]) -> None:
    for command, parser in _subparsers().items():
        assert parser.description, command
        with pytest.raises(SystemExit):
            main([command, "--help"])
        shown = capsys.readouterr().out
        if "--text-field" in shown:
            assert "(default: text)" in shown, command


MATRIX = [(command, option, value) for option, values in BAD_VALUES.items()
          for command in SHARED[option] for value in values]


@pytest.mark.parametrize(("command", "option", "value"), MATRIX,
                         ids=[f"{c} {o}={v!r}" for c, o, v in MATRIX])
def test_a_bad_value_is_one_line_and_exit_code_2(command: str, option: str, value: str,
                                                 corpus: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_job(command, corpus, tmp_path), option, value]) == 2
    line = _one_error_line(capsys, command)
    assert option in line
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("command", ["clean", "dedupe", "run"])
def test_a_missing_input_is_one_line(command: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_job(command, tmp_path / "absent.jsonl", tmp_path)) == 2
    assert "'" + str(tmp_path / "absent.jsonl") + "' does not exist" in _one_error_line(
        capsys, command)


@pytest.mark.parametrize("command", ["clean", "dedupe", "run"])
def test_standard_input_twice_is_one_line(command: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / ("out" if command == "run" else "out.jsonl")
    assert main([command, "-", "-", "--out", str(out)]) == 2
    assert "given twice" in _one_error_line(capsys, command)


UNWRITABLE = [(command, where) for command in COMMANDS for where in (
    # A folder of the corpus jobs is made with its parents; a file's folder must exist.
    ("no/such/folder/x.jsonl", "{file}/x.jsonl") if command in ("clean", "dedupe")
    else ("{file}", "{file}/x"))]


@pytest.mark.parametrize(("command", "where"), UNWRITABLE)
def test_an_out_path_that_cannot_be_written_is_one_line(
        command: str, where: str, corpus: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = where.format(file=corpus) if "{file}" in where else str(tmp_path / where)
    assert main([command, str(corpus), "--out", out]) == 2
    assert "--out" in _one_error_line(capsys, command)


@pytest.mark.parametrize("command", ["clean", "dedupe"])
def test_a_folder_as_out_file_and_a_file_as_out_folder(
        command: str, corpus: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, str(corpus), "--out", str(tmp_path)]) == 2
    assert "is a folder" in _one_error_line(capsys, command)
    assert main(["run", str(corpus), "--out", str(corpus)]) == 2
    assert "is a file" in _one_error_line(capsys, "run")


@pytest.mark.parametrize("command", ["clean", "dedupe"])
@pytest.mark.parametrize(("given", "name"), [("jsonl", "y.parquet"), ("parquet", "y.jsonl"),
                                              ("jsonl.gz", "y.jsonl")])
def test_a_format_that_contradicts_the_name_is_one_line(
        command: str, given: str, name: str, corpus: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / name
    assert main([command, str(corpus), "--format", given, "--out", str(out)]) == 2
    assert f"--format {given} contradicts the name '{name}'" in _one_error_line(capsys, command)
    assert not out.exists()


def test_a_binary_format_on_standard_output_is_one_line(
        corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(corpus), "--format", "parquet"]) == 2
    assert "give --out FILE" in _one_error_line(capsys, "clean")


@pytest.mark.parametrize("command", ["clean", "dedupe"])
def test_an_existing_out_file_needs_overwrite(command: str, corpus: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("keep me\n")
    assert main([command, str(corpus), "--out", str(out)]) == 2
    assert "pass --overwrite" in _one_error_line(capsys, command)
    assert out.read_text() == "keep me\n"
    assert main([command, str(corpus), "--out", str(out), "--overwrite", "--quiet"]) == 0
    assert json.loads(out.read_text())["id"] == "a"


def test_run_into_a_used_folder_is_one_line(corpus: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    assert main(["run", str(corpus), "--out", str(tmp_path / "out"), "--workers", "1"]) == 2
    assert "is not empty" in _one_error_line(capsys, "run")


@pytest.mark.parametrize("command", ["clean", "dedupe", "run"])
def test_a_wrong_text_field_stops_with_the_fields_seen(command: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    source = tmp_path / "dump.jsonl"
    source.write_text("".join(json.dumps({"id": n, "title": "T", "body": "Some words."}) + "\n"
                              for n in range(181)))
    job = [*_job(command, source, tmp_path), "--text-field", "txt"]
    assert main(job + (["--workers", "1"] if command != "clean" else [])) == 2
    line = _one_error_line(capsys, command)
    assert line.endswith(f"{source.as_posix()} has no field 'txt' in its first 100 records; "
                         "fields seen: body, id, title")
    assert not (tmp_path / "out.jsonl").exists()


def test_spark_refuses_standard_input_in_one_line(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["spark-run", "-", "--out", str(tmp_path / "out")]) == 2
    assert "cannot read standard input" in _one_error_line(capsys, "spark-run")
    assert main(["run", "-", "--engine", "spark", "--out", str(tmp_path / "out")]) == 2
    assert "cannot read standard input" in _one_error_line(capsys, "run")


def test_clean_without_inputs_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean"]) == 2
    assert "give at least one INPUT" in _one_error_line(capsys, "clean")


def _program(*arguments: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "dedup", *arguments], input=stdin,
                          capture_output=True, env=env, timeout=120, check=False)


def test_the_program_prints_no_traceback_for_bad_values(tmp_path: Path) -> None:
    for arguments in (["dedupe", str(tmp_path / "absent.jsonl")],
                      ["dedupe", str(tmp_path), "--threshold", "0"]):
        done = _program(*arguments)
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.decode().splitlines()) == 1, done.stderr
        assert b"Traceback" not in done.stderr


def test_the_program_reads_standard_input() -> None:
    done = _program("clean", "-", "--quiet", stdin=b'{"id": "s1", "text": "From a pipe."}\n')
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["text"] == "From a pipe."
    assert done.stderr == b""


@pytest.mark.parametrize("command", ["clean", "dedupe"])
def test_a_full_disk_is_one_line_and_exit_74(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from dedup.corpus import io as corpus_io

    def full(value: object) -> str:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(corpus_io, "json_line", full)
    out = tmp_path / "out.jsonl"
    code = main([command, "seeds", "-o", str(out), "-q"])

    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 74
    assert lines == [f"dedup {command}: cannot write {out.as_posix()}: No space left on device; "
                     "free space and try again"]
    assert not out.exists()
    assert not list(tmp_path.glob("*.tmp"))
