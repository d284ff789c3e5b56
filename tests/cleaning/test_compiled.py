"""Differential test: the compiled cleaner and its Python source give identical results.

Where the cleaner runs compiled (a wheel, or an editable install with
``DEDUP_COMPILE=1``; ``.ci/run``'s first environment), a child process started
with ``DEDUP_PURE_PYTHON=1`` loads every module from its source and cleans what
this process sends it. Each ``CleanResult`` must be equal, field by field (their
reprs are compared: the classes live in modules mypyc does not compile). Where the
cleaner runs from its source there is nothing to compare, and the tests skip,
named.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.cleaning.fixtures import PAGES, WIRE
from tests.strategies import any_text, documents

import dedup
import dedup.cleaning

pytestmark = pytest.mark.skipif(
    dedup.cleaning.IMPLEMENTATION != "compiled",
    reason="the cleaner runs from its Python source here: no compiled build to compare")

CASES = Path(__file__).resolve().parents[1] / "cases"
CONFIGS: tuple[dict[str, Any], ...] = (
    {}, {"favor": "precision"}, {"favor": "recall"}, {"explain": False})

# The child: says which build it runs, then cleans one JSON request a line.
_CHILD = """
import json, sys
import dedup, dedup.cleaning
print(dedup.cleaning.IMPLEMENTATION, flush=True)
for line in sys.stdin:
    request = json.loads(line)
    result = dedup.clean(request["text"], config=dedup.CleanConfig(**request["config"]))
    print(json.dumps(repr(result)), flush=True)
"""


class _Reference:
    """The cleaner from source, in a child process, one request at a time."""

    def __init__(self) -> None:
        env = {**os.environ, "DEDUP_PURE_PYTHON": "1"}
        self.process = subprocess.Popen([sys.executable, "-c", _CHILD], env=env, text=True,
                                        encoding="utf-8", stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)
        self.implementation = self._stdout().readline().strip()

    def _stdout(self) -> IO[str]:
        assert self.process.stdout is not None
        return self.process.stdout

    def clean(self, text: str, config: dict[str, Any]) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"text": text, "config": config}) + "\n")
        self.process.stdin.flush()
        answer = self._stdout().readline()
        assert answer, "the reference process ended"
        result: str = json.loads(answer)
        return result

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self._stdout().close()


@pytest.fixture(scope="module")
def reference() -> Iterator[_Reference]:
    child = _Reference()
    try:
        yield child
    finally:
        child.close()


def _agree(reference: _Reference, text: str, config: dict[str, Any]) -> None:
    compiled = repr(dedup.clean(text, config=dedup.CleanConfig(**config)))
    assert compiled == reference.clean(text, config), (text[:80], config)


def test_the_reference_runs_from_source_and_this_process_compiled(
        reference: _Reference) -> None:
    assert reference.implementation == "python"
    assert dedup.cleaning.IMPLEMENTATION == "compiled"
    from dedup.cleaning import cleaner, linescore, repeats, segment
    assert all(module.__file__ is not None and not module.__file__.endswith(".py")
               for module in (linescore, repeats, segment))
    assert str(cleaner.__file__).endswith(".py")  # the public face runs from source: setup.py


def _case_inputs() -> list[str]:
    return [json.loads(line)["input"] for file in sorted(CASES.glob("*.jsonl"))
            for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("config", CONFIGS,
                         ids=lambda c: ",".join(map(str, c.values())) or "default")
def test_compiled_and_source_agree_on_seeds_cases_and_pages(
        reference: _Reference, seeds: dict[str, str], config: dict[str, Any]) -> None:
    texts = [*seeds.values(), *_case_inputs(), WIRE, *PAGES]
    assert len(texts) > 40
    for text in texts:
        _agree(reference, text, config)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(documents(), any_text), st.sampled_from(CONFIGS))
def test_compiled_and_source_agree_on_generated_text(
        reference: _Reference, text: str, config: dict[str, Any]) -> None:
    _agree(reference, text, config)
