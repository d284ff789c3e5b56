"""DataFrames and tables as inputs of deduplicate() and run(), and what is refused.

Each frame library is optional: a test that needs one skips, naming it, when it
is missing (the ``test`` extra installs them all, so CI runs every test here).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.corpus.frame_kinds import KINDS, make_frame

from dedup import DedupResult, InputError, RunConfig, deduplicate, run
from dedup.corpus.frames import document_rows, frame_kind
from dedup.corpus.io import read_records

BASE = ("The harbour authority said on Monday that the new container terminal would open "
        "in the spring, after two years of building work and a long dispute over dredging.")
VARIANT = BASE.replace("on Monday", "on Monday,")
OTHER = ("A late frost damaged apple blossom across the valley, and growers expect a "
         "smaller harvest than last year unless the weather turns warm again soon.")

#: One corpus in columns: ``b`` repeats ``a`` with a comma more; ``c`` is unrelated.
COLUMNS: dict[str, list[Any]] = {"key": ["a", "b", "c"], "body": [BASE, VARIANT, OTHER],
                                 "lang": ["en", "en", None]}
def decisions(result: DedupResult) -> tuple[object, ...]:
    return (result.keep, [(d.id, d.duplicate_of, d.similarity) for d in result.duplicates])


@pytest.mark.parametrize("kind", KINDS)
def test_a_frame_is_read_by_rows_like_the_same_mappings(kind: str) -> None:
    frame = make_frame(kind, COLUMNS)
    rows = [dict(zip(COLUMNS, values, strict=True)) for values in zip(*COLUMNS.values(),
                                                                     strict=True)]

    result = deduplicate(frame, text_field="body", id_field="key", clean=False)

    assert decisions(result) == decisions(
        deduplicate(rows, text_field="body", id_field="key", clean=False))
    assert result.keep == ("a", "c")
    assert [(d.id, d.duplicate_of) for d in result.duplicates] == [("b", "a")]


@pytest.mark.parametrize("kind", KINDS)
def test_without_an_id_column_a_row_is_numbered_by_position(kind: str) -> None:
    frame = make_frame(kind, {"body": [BASE, VARIANT, OTHER]})

    result = deduplicate(frame, text_field="body", clean=False)

    assert result.keep == ("0", "2")
    assert [(d.id, d.duplicate_of) for d in result.duplicates] == [("1", "0")]


@pytest.mark.parametrize("kind", KINDS)
def test_rows_come_in_order_across_chunks(kind: str) -> None:
    texts = [f"text number {n}" for n in range(7)]
    frame = make_frame(kind, {"id": list(range(7)), "text": texts, "extra": texts})

    needed = list(document_rows(frame, text_field="text", id_field="id", columns="needed",
                                chunk_rows=3))
    every = list(document_rows(frame, text_field="text", id_field="id", chunk_rows=3))

    assert needed == [{"id": n, "text": text} for n, text in enumerate(texts)]
    assert every == [{"id": n, "text": text, "extra": text} for n, text in enumerate(texts)]


@pytest.mark.parametrize("kind", KINDS)
def test_a_frame_without_the_text_column_stops_before_reading(kind: str) -> None:
    frame = make_frame(kind, COLUMNS)

    with pytest.raises(InputError, match=r"without a 'text' column \(columns: key, body, lang\)"):
        deduplicate(frame, id_field="key")
    with pytest.raises(InputError, match="without a 'text' column"):
        read_records(frame)


def test_a_pandas_index_named_like_the_id_field_gives_the_ids() -> None:
    frame = make_frame("pandas", COLUMNS).set_index("key")

    result = deduplicate(frame, text_field="body", id_field="key", clean=False)

    assert result.keep == ("a", "c")


def test_pandas_missing_values_are_missing_not_nan() -> None:
    frame = make_frame("pandas", {"id": [7, 8], "text": [BASE, float("nan")]})

    result = deduplicate(frame, on_error="record")

    assert result.keep == ("7",)
    assert [r.id for r in result.rejections] == ["8"]
    assert result.rejections[0].reason == "missing_text"
    assert "has no 'text' field" in result.rejections[0].detail
    records = list(read_records(make_frame("pandas", {"text": [BASE], "score": [float("nan")]})))
    assert records[0].extras == {"score": None}  # type: ignore[union-attr]


def test_a_hugging_face_format_does_not_change_the_rows() -> None:
    frame = make_frame("datasets", COLUMNS).with_format("numpy")

    result = deduplicate(frame, text_field="body", id_field="key", clean=False)

    assert result.keep == ("a", "c")


def _refused() -> list[tuple[str, Any]]:
    """Inputs that are not a corpus, each with the type name its TypeError must give."""
    cases: list[tuple[str, Any]] = [("str", BASE), ("bytes", BASE.encode()),
                                    ("dict", {"id": "a", "text": BASE}), ("int", 3)]
    numpy = pytest.importorskip("numpy")
    cases.append(("numpy.ndarray", numpy.array([BASE, OTHER])))
    try:
        import pandas
    except ImportError:
        pass
    else:
        cases.append(("pandas.Series", pandas.Series([BASE, OTHER])))
    try:
        import polars
    except ImportError:
        pass
    else:
        cases += [("polars.Series", polars.Series([BASE])),
                  ("polars.LazyFrame", polars.DataFrame({"text": [BASE]}).lazy())]
    try:
        import pyarrow
    except ImportError:
        pass
    else:
        cases += [("pyarrow.StringArray", pyarrow.array([BASE])),
                  ("pyarrow.ChunkedArray", pyarrow.chunked_array([[BASE]]))]
    try:
        import datasets
    except ImportError:
        pass
    else:
        dataset = datasets.Dataset.from_dict({"text": [BASE]})
        cases.append(("datasets.DatasetDict", datasets.DatasetDict({"train": dataset})))
    return cases


def test_what_is_not_a_corpus_is_a_type_error_naming_its_type(tmp_path: Path) -> None:
    for name, value in _refused():
        with pytest.raises(TypeError, match=rf"^deduplicate\(\) got {name}[,;]"):
            deduplicate(value)
        if name == "str":
            continue  # run() reads a str as a path
        out = tmp_path / name
        with pytest.raises(TypeError, match=rf"^run\(\) got {name}[,;]"):
            run(value, out=out, workers=1)
        assert not out.exists(), name


@pytest.mark.parametrize("kind", ["polars", "arrow-table", "datasets"])
def test_run_reads_every_frame_kind_and_carries_its_columns(kind: str, tmp_path: Path) -> None:
    frame = make_frame(kind, COLUMNS)
    config = RunConfig(text_field="body", id_field="key")

    summary = run(frame, out=tmp_path / "out", config=config, workers=1)

    assert (summary.kept, summary.duplicates, summary.rejected) == (2, 1, 0)
    lines = (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    kept = [json.loads(line) for line in lines]
    assert [(row["key"], row["lang"]) for row in kept] == [("a", "en"), ("c", None)]


def test_frames_are_recognised_without_importing_their_library() -> None:
    code = ("import sys, dedup\n"
            "from dedup.corpus.frames import frame_kind\n"
            "frame_kind([]); frame_kind(object())\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pandas', 'polars', 'pyarrow', 'datasets')))")
    source_root = str(Path(__file__).resolve().parents[2] / "src")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={"PYTHONPATH": source_root}).stdout
    assert output.strip() == "[]"
    assert frame_kind([{"text": BASE}]) is None
