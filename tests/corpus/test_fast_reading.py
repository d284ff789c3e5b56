"""The fast JSONL path (orjson) gives exactly the records and rejections of the json path.

orjson and json disagree at the edges: orjson refuses NaN, lone surrogate
escapes, a byte order mark and nesting past 1,024 levels, and reads integers
beyond 64 bits as floats; json refuses integers past 4,300 digits and nesting
past the recursion limit. The reader sends every line orjson refuses or might
read differently through the json path, so the two paths must agree on every
line, hostile or not. Each case is read both ways, from the same bytes.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.corpus.test_hostile_inputs import BAD_LINES
from tests.strategies import any_text

from dedup.corpus import io as corpus_io
from dedup.corpus.spill import read_spill, write_spill
from dedup.document import InputRecord, Rejection

pytest.importorskip("orjson")


def _read_both(data: bytes, *, name: str = "d.jsonl", location_file: str = "d.jsonl",
               text_field: str = "text", id_field: str = "id",
               ) -> tuple[list[InputRecord | Rejection], list[InputRecord | Rejection]]:
    def read(fast: bool) -> list[InputRecord | Rejection]:
        return list(corpus_io._jsonl_records(io.BufferedReader(io.BytesIO(data)), name=name,
                                             location_file=location_file,
                                             text_field=text_field, id_field=id_field,
                                             fast=fast))

    return read(True), read(False)


def _same(fast: list[InputRecord | Rejection], reference: list[InputRecord | Rejection]) -> None:
    assert [type(r) for r in fast] == [type(r) for r in reference]
    assert fast == reference


#: Lines where orjson and json disagree, or that only one of them reads.
EDGE_LINES = [
    b'{"id": "a", "text": "Big int.", "n": 18446744073709551616}',  # orjson: a float
    b'{"id": "a", "text": "Big negative.", "n": -9223372036854775809}',
    b'{"id": 18446744073709551616, "text": "An id past 64 bits."}',
    b'{"id": "a", "text": 18446744073709551616}',
    b'{"id": "a", "text": "Nested big int.", "n": {"m": [1, 99999999999999999999]}}',
    b'{"id": "a", "text": "A large float.", "n": 1e19}',
    b'{"id": "a", "text": "Past double.", "n": 1e400}',
    b'{"id": "a", "text": "NaN.", "n": NaN}',
    b'{"id": "a", "text": "Infinity.", "n": -Infinity}',
    b'{"id": "a", "text": "Lone \\ud800 surrogate."}',
    b'{"id": "a\\udc80", "text": "Surrogate id."}',
    b'\xef\xbb\xbf{"id": "bom", "text": "A line with a UTF-8 byte order mark."}',
    b'{"id": "a", "text": "\xef\xbb\xbfText with a BOM."}',
    b'{"id": "a", "text": "caf\xe9"}',  # cp1252, not UTF-8
    b'{"id": "a", "text": "\xed\xa0\x80 encoded surrogate"}',
    b'{"id": "a", "text": "NUL\x00byte"}',
    b'{"id": "a", "text": "Escaped \\u0000 NUL"}',
    b'{"id": "a", "text": "Duplicate", "text": "keys: the last wins"}',
    b'{"id": "a", "text": "Control \x01 char"}',
    b'{"id": "", "text": "Empty id."}',
    b'{"id": null, "text": "Null id."}',
    b'{"id": 7, "text": "Integer id."}',
    b'{"id": true, "text": "Boolean id."}',
    b'{"id": 1.5, "text": "Float id."}',
    b'{"id": "a", "text": "   "}',
    b'{"id": "a", "text": ""}',
    b'{"id": "a", "body": "No text field."}',
    b'{"id": "a", "text": "Extras.", "f": 1.25, "b": false, "z": null, "l": [1, "x"],'
    b' "d": {"k": {"j": [2.5, null]}}}',
    b'[1, 2, 3]',
    b'"just a string"',
    b'12345678901234567890123',
    b'{"id": "a", "text": "Two objects."} {"id": "b"}',
    b'{oops',
    b'\x0c{"id": "a", "text": "Form feed before the object."}',
    b'   ',
    b'',
    b'{"id": "a", "text": "Deep.", "n": ' + b"[" * 150 + b"]" * 150 + b'}',
    b'{"id": "a", "text": "Deeper.", "n": ' + b"[" * 1020 + b"]" * 1020 + b'}',
    b'[' * 1100 + b']' * 1100,
]


@pytest.mark.parametrize("line", EDGE_LINES, ids=range(len(EDGE_LINES)))
@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b""])
def test_an_edge_line_reads_the_same_both_ways(line: bytes, ending: bytes) -> None:
    data = b'{"id": "first", "text": "A plain line."}\n' + line + ending
    _same(*_read_both(data))


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_a_hostile_line_reads_the_same_both_ways(case: str) -> None:
    bad_line = BAD_LINES[case][0]
    data = ('{"id": "first", "text": "A plain line."}\n' + bad_line + "\n").encode("utf-8")
    _same(*_read_both(data))


def test_fast_path_records_are_the_dataclass_records() -> None:
    """The fast path builds records without InputRecord's __init__; they must be the same."""
    data = b'{"id": "a", "text": "\xef\xbb\xbfHi.", "n": 3, "t": ["x"]}\n{"text": "No id."}\n'
    fast, reference = _read_both(data, name="d.jsonl", location_file="in/d.jsonl")
    assert fast == [
        InputRecord(id="a", text="Hi.", location="in/d.jsonl:1", extras={"n": 3, "t": '["x"]'}),
        InputRecord(id="d.jsonl:2", text="No id.", location="in/d.jsonl:2"),
    ]
    assert all(type(record) is InputRecord for record in fast)
    assert fast == reference
    with pytest.raises(AttributeError):
        fast[0].text = "changed"  # type: ignore[misc]


_JSON_SCALARS = (st.none() | st.booleans() | st.text(max_size=20)
                 | st.integers(min_value=-(2**70), max_value=2**70)
                 | st.floats(allow_nan=True, allow_infinity=True))
_JSON_VALUES = st.recursive(
    _JSON_SCALARS,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
_IDS = st.none() | st.text(max_size=12) | st.integers(min_value=-(2**70), max_value=2**70) \
    | st.floats() | st.booleans()


@st.composite
def _object_lines(draw: st.DrawFn) -> bytes:
    row: dict[str, object] = {}
    if draw(st.booleans()):
        row["id"] = draw(_IDS)
    if draw(st.integers(0, 9)):
        row["text"] = draw(any_text | _JSON_SCALARS)
    row.update(draw(st.dictionaries(st.sampled_from(["a", "b", "meta", "n"]), _JSON_VALUES,
                                    max_size=3)))
    # json writes lone surrogates as escapes, NaN and big integers as json reads them.
    line = json.dumps(row, ensure_ascii=draw(st.booleans()))
    return line.encode("utf-8", "surrogatepass")


_LINES = _object_lines() | st.sampled_from(EDGE_LINES) | st.binary(max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=8), st.sampled_from([b"\n", b"\r\n"]))
def test_any_lines_read_the_same_both_ways(lines: list[bytes], newline: bytes) -> None:
    data = b"".join(line.replace(b"\n", b" ") + newline for line in lines)
    _same(*_read_both(data))


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_read_the_same_both_ways(number: float) -> None:
    """orjson parses floats itself: each must come out as the double json reads."""
    for literal in (repr(number), f"{number:.17e}", f"{number:.3g}"):
        data = f'{{"id": "x", "text": "A float.", "n": {literal}}}\n'.encode()
        fast, reference = _read_both(data)
        _same(fast, reference)
        assert isinstance(fast[0], InputRecord)
        assert fast[0].extras["n"] == corpus_io._extra_value(json.loads(literal))


def test_read_documents_is_the_same_without_orjson(tmp_path: pytest.TempPathFactory,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"  # type: ignore[operator]
    folder.mkdir()
    lines = [b'{"id": "%d", "text": "Line %d.", "n": %d}' % (n, n, n * 10**18)
             for n in range(40)]
    lines[7] = EDGE_LINES[0]
    lines[20] = b'{"id": "a", "text": "caf\xe9"}'
    (folder / "a.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    fast = list(corpus_io.read_documents([folder]))
    monkeypatch.setattr(corpus_io, "_orjson_loads", None)
    assert list(corpus_io.read_documents([folder])) == fast


def _spilled_alike(rows: list[dict[str, object]], folder: Path) -> None:
    path = folder / "final-000000.jsonl"
    write_spill(path, rows)
    with path.open(encoding="utf-8") as handle:  # how spills were read before orjson
        reference = [json.loads(line) for line in handle]
    read = list(read_spill(path))
    assert repr(read) == repr(reference)  # repr: NaN is not equal to itself


#: Values a spill row can carry from a record's extras that orjson reads otherwise or refuses.
SPILLED_EDGES: list[object] = [
    float("nan"), float("-inf"), 2**64, -(2**63) - 1, 1e19, "lone \ud800 surrogate",
    {"deep": [[[[[[1]]]]]]}, [[]] * 3, "caf\u00e9 \u2028 \x00", 1.5, None, True,
    {"n": [1, 99999999999999999999]},
]


@pytest.mark.parametrize("value", SPILLED_EDGES, ids=range(len(SPILLED_EDGES)))
def test_a_spilled_row_reads_back_as_json_reads_it(value: object, tmp_path: Path) -> None:
    _spilled_alike([{"o": 0, "id": "a", "x": {"v": value}, "n": "Text.\n", "r": []}], tmp_path)


#: What the pipeline itself writes in a row's other fields: strings, offsets, shallow lists.
_OWN_VALUES = st.one_of(
    st.text(max_size=12), st.integers(min_value=0, max_value=2**40),
    st.lists(st.lists(st.integers(min_value=0, max_value=2**40) | st.text(max_size=8),
                      max_size=4), max_size=4))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.fixed_dictionaries(
    {}, optional={"id": st.text(max_size=12), "x": _JSON_VALUES, "n": _OWN_VALUES,
                  "r": _OWN_VALUES}), max_size=5))
def test_any_spilled_rows_read_back_as_json_reads_them(rows: list[dict[str, object]]) -> None:
    # A record's extras ("x") hold any JSON; the rest is what the pipeline wrote
    # (read_spill checks only the extras: spill.FOREIGN_FIELDS).
    with tempfile.TemporaryDirectory() as folder:
        _spilled_alike(rows, Path(folder))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["id", "x", "n", "m"]), _JSON_VALUES,
                                max_size=4), max_size=5))
def test_any_json_object_lines_parse_as_json_parses_them(
        rows: list[dict[str, object]]) -> None:
    # Without ``foreign``, every value of the line is checked.
    for row in rows:
        line = json.dumps(row).encode()
        assert repr(corpus_io.parse_json_line(line)) == repr(json.loads(line))
