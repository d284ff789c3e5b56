"""What every subcommand shares: --version, -v on either side, suggestions for typos."""

from __future__ import annotations

from pathlib import Path

import pytest

import dedup
from dedup.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_version_names_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"dedup {dedup.__version__}"


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_is_accepted_before_or_after_the_subcommand(
        where: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    job = ["run", str(SEEDS), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1"]
    arguments = ["-v", *job] if where == "before" else [*job, "-v"]
    with caplog.at_level("INFO"):
        assert main(arguments) == 0
    assert any("run done" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(("arguments", "meant"), [
    (["run", "seeds", "--out", "x", "--treshold", "0.8"], "--threshold"),
    (["dedupe", "x.jsonl", "--treshold", "0.8"], "--threshold"),
    (["clean", "x.txt", "--disabel", "boilerplate"], "--disable"),
    (["rnu", "seeds"], "run"),
])
def test_a_typo_gets_the_option_that_was_meant(arguments: list[str], meant: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(arguments) == 2
    (error,) = capsys.readouterr().err.splitlines()
    assert error.endswith(f"did you mean {meant}?")
