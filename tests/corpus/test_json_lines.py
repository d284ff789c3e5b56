"""json_line's orjson fast path writes the bytes of its json reference, for any value."""

from __future__ import annotations

import enum
import json
import math
from collections import OrderedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import any_text

from dedup.corpus import io
from dedup.corpus.spill import FOREIGN_FIELDS, read_spill, write_spill

needs_orjson = pytest.mark.skipif(io._orjson_line is None,
                                  reason="orjson is not installed: json_line has one path")

# Strings with lone surrogates, control characters, U+2028 and every plane.
_STRINGS = st.one_of(any_text, st.text(), st.text(alphabet=st.characters(
    min_codepoint=0, max_codepoint=0x10FFFF), max_size=20))
_SCALARS = st.one_of(_STRINGS, st.none(), st.booleans(),
                     st.integers(min_value=-2**70, max_value=2**70),
                     st.floats(allow_nan=True, allow_infinity=True))
_VALUES = st.recursive(_SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4), st.tuples(children, children),
    st.dictionaries(_STRINGS, children, max_size=4)), max_leaves=20)


def reference(value: object) -> str:
    return io.json_text(value) + "\n"


class Level(enum.IntEnum):
    HIGH = 2


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_STRINGS, _VALUES, max_size=5))
def test_json_line_is_its_reference(row: dict[str, object]) -> None:
    assert io.json_line(row) == reference(row)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["o", "id", "n", "x"]), _VALUES, max_size=4))
def test_foreign_fields_are_looked_through(row: dict[str, object]) -> None:
    # The caller vouches for the other fields; here "x" holds anything at all.
    line = io.json_line(row, foreign=("x",))
    if any(not io._writes_alike(value) for key, value in row.items() if key != "x"):
        return  # a field the caller would not write: only the values must read back
    assert line == reference(row)


@pytest.mark.parametrize("value", [
    {"share": 1e-05}, {"x": math.nan}, {"x": -math.inf}, {"big": 2**64}, {"low": -2**63 - 1},
    {"id": "a\udc80b"}, {"t": "\u2028\x00\x7f\U0001f600"}, {1: "int key"},
    {"e": Level.HIGH}, {"d": OrderedDict(a=1)}, {"deep": [[[[[[[[[[1]]]]]]]]]]},
    {"u": [[0, 5, 2**64 - 1, 3]]}, {"t": (1, "a")},
])
def test_json_line_edge_values(value: dict[object, object]) -> None:
    assert io.json_line(value) == reference(value)  # type: ignore[arg-type]


@needs_orjson
def test_fast_path_is_taken_for_plain_rows() -> None:
    # Not only equal: the plain rows of a run go through orjson (its bytes, no json call).
    calls: list[object] = []
    real = io._orjson_line
    assert real is not None

    def spy(value: object) -> bytes:
        calls.append(value)
        return real(value)
    io._orjson_line = spy
    try:
        assert io.json_line({"id": "a", "n": "text", "u": [[0, 4, 1, 1]]}) == (
            '{"id":"a","n":"text","u":[[0,4,1,1]]}\n')
        assert io.json_line({"share": 0.5}) == '{"share":0.5}\n'
    finally:
        io._orjson_line = real
    assert len(calls) == 1


def test_spill_rows_read_back_as_written(tmp_path: object) -> None:
    assert FOREIGN_FIELDS == ("x",)
    rows = [{"o": 0, "id": "a\udc80", "n": "x", "x": {"score": math.nan, "f": 1e-05}},
            {"o": 1, "id": "b", "n": "y", "x": {}, "c": 2**64 - 1},
            {"o": 2, "id": "c", "n": "z", "x": {"big": 2**80, "deep": [[[]]]}}]
    path = tmp_path / "clean-000000.jsonl"  # type: ignore[operator]
    write_spill(path, rows)
    back = list(read_spill(path))
    assert json.dumps(back, default=repr) == json.dumps(rows, default=repr)
    assert math.isnan(back[0]["x"]["score"])  # type: ignore[index]


@pytest.mark.parametrize("depth", [99, 100, 101, 300, 900])
def test_deep_nesting_is_written_as_json_writes_it(depth: int) -> None:
    # A record's extras nested past orjson's limit (and this walk's) go to json, which the
    # reader took them from: never a RecursionError where json alone wrote the line.
    value: object = "leaf"
    for _ in range(depth):
        value = [value]
    row = {"id": "a", "x": {"deep": value}}
    assert io.json_line(row) == reference(row)
    assert io.json_line(row, foreign=("x",)) == reference(row)
