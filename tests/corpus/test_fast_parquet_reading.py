"""The fast Parquet path gives exactly the records and rejections of the reference path.

The reference path reads each row of a record batch as a dict through
``record_from_mapping``, as a JSONL object is read; the fast path decides the
extras' conversion per column from its Arrow type and checks ids and texts
straight from their columns, handing every row that is not a plain case back
to the reference. Each fixture here is read both ways, from the same file.
"""

from __future__ import annotations

import datetime
import decimal
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import any_text

from dedup.corpus import io as corpus_io
from dedup.document import InputRecord, Rejection
from dedup.errors import MissingFieldError

pa = pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is missing")
pq = pytest.importorskip("pyarrow.parquet")

Records = list[InputRecord | Rejection]


def _read_both(path: Path, *, listed_from: Path | None = None, text_field: str = "text",
               id_field: str = "id") -> tuple[Records, Records]:
    """Read ``path`` with the fast and the reference path (listed from a folder if given)."""
    files = corpus_io.list_input_files([listed_from or path])
    (listed,) = [f for f in files if f.path == path]

    def read(fast: bool) -> Records:
        return list(corpus_io._read_parquet_file(
            listed, text_field=text_field, id_field=id_field,
            counter=corpus_io._ReadCounter(None), fast=fast))

    return read(True), read(False)


def _same(fast: Records, reference: Records) -> None:
    assert [type(r) for r in fast] == [type(r) for r in reference]
    assert fast == reference
    # The extras keep the columns' order, as the reference's dict per row does.
    assert [list(r.extras) for r in fast if isinstance(r, InputRecord)] == [
        list(r.extras) for r in reference if isinstance(r, InputRecord)]


def _write(path: Path, table: object, **options: object) -> Path:
    pq.write_table(table, path, **options)
    return path


#: Ids and texts, one row each: every check record_from_mapping makes, kept and rejected.
IDS_AND_TEXTS = [
    ("a", "A plain row."),
    (None, "A null id."),
    ("", "An empty id."),
    ("d", None),
    ("e", ""),
    ("f", " \n\t "),
    ("g", "A NUL\x00character."),
    ("h", "\ufeffA byte order mark first."),
    ("i", "\ufeff"),
    ("j", "Caf\u00e9 \u4e1c\u4eac \U0001f600."),
    ("k", "\u2028"),  # a line separator: only whitespace
]
ROWS = len(IDS_AND_TEXTS)


def _every_kind_of_extra() -> dict[str, object]:
    """Extra columns of every Arrow type a dump may hold, with nulls, one value a row."""
    def cycle(values: list[object]) -> list[object]:
        return [values[n % len(values)] for n in range(ROWS)]

    return {
        "lang": pa.array(cycle(["en", None, "fr"]), type=pa.string()),
        "n": pa.array(cycle([1, None, -(2 ** 63)]), type=pa.int64()),
        "big": pa.array(cycle([2 ** 64 - 1, 0]), type=pa.uint64()),
        "small": pa.array(cycle([-3, None]), type=pa.int8()),
        "score": pa.array(cycle([1.5, math.nan, math.inf, -math.inf, None, -0.0]),
                          type=pa.float64()),
        "ratio": pa.array(cycle([0.25, math.nan, None]), type=pa.float32()),
        "flag": pa.array(cycle([True, False, None]), type=pa.bool_()),
        "nothing": pa.nulls(ROWS),
        "category": pa.array(cycle(["news", "blog", None])).dictionary_encode(),
        "wide": pa.array(cycle(["large", None]), type=pa.large_string()),
        "when": pa.array(cycle([datetime.datetime(2020, 1, 2, 3, 4, 5), None]),
                         type=pa.timestamp("us")),
        "zoned": pa.array(cycle([datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone.utc)]),
                          type=pa.timestamp("ms", tz="UTC")),
        "day": pa.array(cycle([datetime.date(1999, 12, 31), None]), type=pa.date32()),
        "price": pa.array(cycle([decimal.Decimal("12.30"), None]), type=pa.decimal128(6, 2)),
        "blob": pa.array(cycle([b"\x00\xff", None]), type=pa.binary()),
        "tags": pa.array(cycle([["a", "b"], [], None, ["c", None]]), type=pa.list_(pa.string())),
        "meta": pa.array(cycle([{"k": 1, "v": [1.5, None]}, None, {"k": None, "v": []}]),
                         type=pa.struct([("k", pa.int32()), ("v", pa.list_(pa.float64()))])),
        "pairs": pa.array(cycle([[("x", 1), ("y", 2)], None]),
                          type=pa.map_(pa.string(), pa.int64())),
        "deep": pa.array(cycle([[[1, 2], [3]], [[]], None]), type=pa.list_(pa.list_(pa.int64()))),
    }


def _ids_and_texts(id_type: object = None) -> dict[str, object]:
    ids, texts = zip(*IDS_AND_TEXTS, strict=True)
    return {"id": pa.array(ids, type=id_type or pa.string()), "text": pa.array(texts)}


def test_every_check_and_every_kind_of_extra_read_alike(tmp_path: Path) -> None:
    path = _write(tmp_path / "every.parquet",
                  pa.table({**_ids_and_texts(), **_every_kind_of_extra()}))

    fast, reference = _read_both(path)

    _same(fast, reference)
    kept = [r for r in fast if isinstance(r, InputRecord)]
    assert [r.id for r in kept] == ["a", f"{path.as_posix()}:2", f"{path.as_posix()}:3", "h",
                                    "i", "j"]
    assert kept[3].text == "A byte order mark first."
    assert [r.reason for r in fast if isinstance(r, Rejection)] == [
        "non_string_text", "empty", "empty", "nul_bytes", "empty"]
    extras = kept[0].extras
    assert extras["score"] == 1.5
    assert extras["tags"] == '["a","b"]'
    assert extras["meta"] == '{"k":1,"v":[1.5,null]}'
    assert extras["when"] == "2020-01-02 03:04:05"
    assert extras["blob"] == "b'\\x00\\xff'"
    assert [r.extras["score"] for r in kept[:4]] == [1.5, None, None, None]


def test_rows_read_from_a_folder_get_fallback_ids_named_by_the_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = _write(tmp_path / "sub" / "rows.parquet", pa.table(_ids_and_texts()))

    fast, reference = _read_both(path, listed_from=tmp_path)

    _same(fast, reference)
    assert fast[1].id == "sub/rows.parquet:2"
    assert fast[1].location == f"{path.as_posix()}:2"


@pytest.mark.parametrize("id_type", [pa.int64(), pa.uint8(), pa.float64(), pa.bool_(),
                                     pa.large_string(), pa.binary()],
                         ids=str)
def test_ids_of_every_type_read_alike(tmp_path: Path, id_type: object) -> None:
    values = {"int64": [7, None, -1], "uint8": [7, None, 0], "double": [1.5, None, 2.0],
              "bool": [True, None, False], "large_string": ["x", None, ""],
              "binary": [b"x", None, b""]}[str(id_type)]
    table = pa.table({"id": pa.array(values, type=id_type),
                      "text": ["One.", "Two.", "Three."], "lang": ["en", "en", None]})
    path = _write(tmp_path / "ids.parquet", table)

    fast, reference = _read_both(path)

    _same(fast, reference)
    assert len(fast) == 3


def test_integer_ids_become_their_digits(tmp_path: Path) -> None:
    table = pa.table({"id": pa.array([7, None, 2 ** 63 - 1], type=pa.int64()),
                      "text": ["One.", "Two.", "Three."]})
    path = _write(tmp_path / "ids.parquet", table)

    fast, reference = _read_both(path)

    _same(fast, reference)
    assert [r.id for r in fast] == ["7", f"{path.as_posix()}:2", str(2 ** 63 - 1)]


def test_a_float_id_is_a_rejection_on_both_paths(tmp_path: Path) -> None:
    path = _write(tmp_path / "ids.parquet", pa.table({"id": [1.5], "text": ["One."]}))

    fast, reference = _read_both(path)

    _same(fast, reference)
    assert isinstance(fast[0], Rejection)
    assert fast[0].reason == "invalid_id"


@pytest.mark.parametrize("text", [
    pa.array([1, None, 3], type=pa.int64()),
    pa.array([1.5, None, math.nan]),
    pa.array([b"bytes", None, b""], type=pa.binary()),
    pa.array([["a"], None, []], type=pa.list_(pa.string())),
    pa.array(["large", None, " "], type=pa.large_string()),
    pa.array(["one", None, "one"]).dictionary_encode(),
], ids=["int", "float", "binary", "list", "large_string", "dictionary"])
def test_texts_of_every_type_read_alike(tmp_path: Path, text: object) -> None:
    path = _write(tmp_path / "texts.parquet",
                  pa.table({"id": ["a", "b", "c"], "text": text, "n": [1, 2, 3]}))

    fast, reference = _read_both(path)

    _same(fast, reference)
    assert len(fast) == 3
    assert isinstance(fast[1], Rejection)
    assert fast[1].reason == "non_string_text"


def test_a_file_without_an_id_column_reads_alike(tmp_path: Path) -> None:
    path = _write(tmp_path / "no_ids.parquet",
                  pa.table({"text": ["One.", "", "Three."], "lang": ["en", "fr", None]}))

    fast, reference = _read_both(path)

    _same(fast, reference)
    assert [r.id for r in fast] == [f"{path.as_posix()}:{n}" for n in (1, 2, 3)]
    assert fast[2].extras == {"lang": None}  # type: ignore[union-attr]


def test_other_field_names_leave_text_and_id_as_extras(tmp_path: Path) -> None:
    table = pa.table({"id": ["x", "y"], "text": ["Not this.", None], "doc": ["d1", None],
                      "body": ["This one.", "And this."]})
    path = _write(tmp_path / "named.parquet", table)

    fast, reference = _read_both(path, text_field="body", id_field="doc")

    _same(fast, reference)
    assert [r.id for r in fast] == ["d1", f"{path.as_posix()}:2"]
    assert fast[0].extras == {"id": "x", "text": "Not this."}  # type: ignore[union-attr]


def test_one_column_as_text_and_id_reads_alike(tmp_path: Path) -> None:
    path = _write(tmp_path / "same.parquet", pa.table({"text": ["One.", None], "n": [1, 2]}))

    fast, reference = _read_both(path, id_field="text")

    _same(fast, reference)
    assert fast[0].id == "One."


def test_duplicate_column_names_read_alike(tmp_path: Path) -> None:
    table = pa.Table.from_arrays([pa.array(["a", "b"]), pa.array(["One.", "Two."]),
                                  pa.array(["x", None]), pa.array([1, 2])],
                                 names=["id", "text", "lang", "lang"])
    path = _write(tmp_path / "twice.parquet", table)

    fast, reference = _read_both(path)

    _same(fast, reference)
    assert fast[0].extras == {"lang": 1}  # type: ignore[union-attr]


def test_a_file_without_the_text_column_names_its_fields(tmp_path: Path) -> None:
    path = _write(tmp_path / "wrong.parquet",
                  pa.table({"id": ["a", "b"], "body": ["One.", "Two."], "lang": ["en", None]}))

    fast, reference = _read_both(path)

    _same(fast, reference)
    assert {r.reason for r in fast if isinstance(r, Rejection)} == {"missing_text"}
    with pytest.raises(MissingFieldError, match=r"fields seen: body, id, lang") as raised:
        list(corpus_io.read_documents([path]))
    assert raised.value.fields_seen == ("body", "id", "lang")


def test_rows_across_batches_and_row_groups_keep_their_numbers(tmp_path: Path) -> None:
    rows = 2 * corpus_io._PARQUET_BATCH_ROWS + 300
    table = pa.table({
        "id": [None if n % 7 == 0 else f"r{n}" for n in range(rows)],
        "text": ["" if n % 500 == 3 else f"Row {n} of the file." for n in range(rows)],
        "score": [n / 3 if n % 11 else None for n in range(rows)],
    })
    path = _write(tmp_path / "long.parquet", table, row_group_size=700)

    fast, reference = _read_both(path)

    _same(fast, reference)
    assert len(fast) == rows
    assert fast[2100].id == f"{path.as_posix()}:2101"
    assert fast[2100].location == f"{path.as_posix()}:2101"
    assert isinstance(fast[1503], Rejection)
    assert fast[1503].location == f"{path.as_posix()}:1504"


def test_a_value_python_cannot_hold_reads_alike(tmp_path: Path) -> None:
    stamps = [0, 300_000_000_000_000_000, None]  # microseconds: the year 11476
    table = pa.table({"id": ["a", "b", "c"], "text": ["One.", "Two.", "Three."],
                      "published": pa.array(stamps, type=pa.timestamp("us"))})
    path = _write(tmp_path / "future.parquet", table)

    fast, reference = _read_both(path)

    _same(fast, reference)
    assert fast[1].extras["published"] == "11476-08-15 05:20:00.000000"  # type: ignore[union-attr]


def test_an_extra_nested_too_deeply_is_the_reference_rejection(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Arrow refuses to write nesting deep enough to exhaust json's recursion; the error
    # that nesting raises is simulated on the value that says so.
    real = corpus_io._extra_value

    def extra_value(value: object) -> object:
        if value == ["too deep"]:
            raise RecursionError("maximum recursion depth exceeded")
        return real(value)

    monkeypatch.setattr(corpus_io, "_extra_value", extra_value)
    table = pa.table({"id": ["a", "b"], "text": ["One.", "Two."],
                      "tree": [["fine"], ["too deep"]]})
    path = _write(tmp_path / "deep.parquet", table)

    fast, reference = _read_both(path)

    _same(fast, reference)
    assert isinstance(fast[0], InputRecord)
    assert isinstance(fast[1], Rejection)
    assert fast[1].reason == "nested_too_deeply"


def test_plain_rows_take_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The measured gain (benchmarks/reading.py) depends on this: no dict per plain row.
    path = _write(tmp_path / "plain.parquet", pa.table({
        "id": ["a", None], "text": ["One.", "Two."], "n": [1, None], "score": [0.5, math.nan],
        "tags": [["x"], None]}))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a plain row went through the reference path")

    monkeypatch.setattr(corpus_io, "record_from_mapping", refuse)
    records = list(corpus_io.read_documents([path]))
    assert [r.id for r in records] == ["a", f"{path.as_posix()}:2"]
    assert records[1].extras == {"n": None, "score": None, "tags": None}  # type: ignore[union-attr]


#: Arrow strings are UTF-8: a lone surrogate (which any_text may hold) cannot be one.
_UTF8_TEXT = any_text.map(lambda text: text.encode("utf-8", "replace").decode("utf-8"))
_ID_COLUMNS = st.one_of(
    st.tuples(st.just(pa.string()), st.lists(st.one_of(st.none(), st.just(""), _UTF8_TEXT),
                                             min_size=5, max_size=5)),
    st.tuples(st.just(pa.int64()), st.lists(st.one_of(st.none(), st.integers(-(2 ** 63),
                                                                             2 ** 63 - 1)),
                                            min_size=5, max_size=5)),
)
_TEXTS = st.lists(st.one_of(st.none(), _UTF8_TEXT, st.sampled_from(["", " ", "\ufeffx", "a\x00"])),
                  min_size=5, max_size=5)
_EXTRA_COLUMNS = st.sampled_from([
    (pa.string(), st.one_of(st.none(), _UTF8_TEXT)),
    (pa.int64(), st.one_of(st.none(), st.integers(-2 ** 63, 2 ** 63 - 1))),
    (pa.float64(), st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))),
    (pa.bool_(), st.one_of(st.none(), st.booleans())),
    (pa.list_(pa.int64()), st.one_of(st.none(), st.lists(st.integers(-9, 9), max_size=3))),
])


@settings(max_examples=60, deadline=None)
@given(ids=_ID_COLUMNS, texts=_TEXTS, data=st.data())
def test_random_batches_read_alike(ids: tuple[object, list[object]], texts: list[object],
                                   data: st.DataObject) -> None:
    columns = {"id": pa.array(ids[1], type=ids[0]), "text": pa.array(texts, type=pa.string())}
    for number in range(data.draw(st.integers(0, 3))):
        arrow_type, values = data.draw(_EXTRA_COLUMNS)
        columns[f"extra{number}"] = pa.array(data.draw(st.lists(values, min_size=5, max_size=5)),
                                             type=arrow_type)
    batch = corpus_io._batch_columns(pa.record_batch(list(columns.values()),
                                                     names=list(columns)))

    def read(fast: bool) -> Records:
        read_batch = corpus_io._fast_batch_records if fast else corpus_io._reference_batch_records
        return list(read_batch(batch, first_row=11, name="b.parquet",
                               location_file="in/b.parquet", text_field="text", id_field="id"))

    _same(read(True), read(False))
