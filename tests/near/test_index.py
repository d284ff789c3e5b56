"""NearDuplicateIndex: same answers in memory and in SQLite; files are data, checked."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dedup.errors import ConfigError, DuplicateIdError, IndexFileError, InputError
from dedup.near.config import DedupConfig
from dedup.near.index import NearDuplicateIndex

STORY = ("The central bank raised its main interest rate by a quarter point on Tuesday, "
         "saying inflation had stayed above its target for longer than expected and that "
         "further increases could follow if prices kept rising through the spring.")
EDITED = STORY.replace("Tuesday", "Wednesday").replace("spring", "summer")
OTHER = ("Heavy rain flooded roads across the north of the country overnight, and the "
         "weather service warned that more storms were on the way for the weekend ahead.")
DOCS = [("story", STORY), ("other", OTHER), ("blank", "   ")]


def build(index: NearDuplicateIndex) -> NearDuplicateIndex:
    index.add_many(DOCS)
    return index


def test_memory_and_sqlite_give_the_same_answers(tmp_path: Path) -> None:
    config = DedupConfig(threshold=0.5)
    memory = build(NearDuplicateIndex(config=config))
    with NearDuplicateIndex.open(tmp_path / "index.db", config=config) as stored:
        build(stored)
        for text in (STORY, EDITED, OTHER, "unrelated words entirely here and there", ""):
            assert stored.query(text) == memory.query(text)
        assert len(stored) == len(memory) == 3
        assert sorted(stored) == sorted(memory)
    with NearDuplicateIndex.open(":memory:", config=config) as in_ram:
        build(in_ram)
        assert in_ram.query(EDITED) == memory.query(EDITED)
    matches = memory.query(EDITED)
    assert [doc_id for doc_id, _ in matches] == ["story"]
    assert 0.5 <= matches[0][1] < 1.0


def test_add_in_one_process_query_in_another(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with NearDuplicateIndex.open(path, config=DedupConfig(threshold=0.5)) as index:
        build(index)
    script = textwrap.dedent(f"""
        from dedup.near.index import NearDuplicateIndex
        with NearDuplicateIndex.open({str(path)!r}) as index:
            print(index.config.threshold, index.query({EDITED!r}))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env={"PYTHONPATH": "src"})
    expected = NearDuplicateIndex(config=DedupConfig(threshold=0.5))
    build(expected)
    assert result.stdout.strip() == f"0.5 {expected.query(EDITED)}"


def test_contains_len_remove_and_errors() -> None:
    index = build(NearDuplicateIndex())
    assert "story" in index
    assert len(index) == 3
    with pytest.raises(DuplicateIdError, match="'story'"):
        index.add("story", STORY)
    with pytest.raises(InputError, match="'bad'"):
        index.add("bad", None)  # type: ignore[arg-type]
    index.remove("story")
    assert "story" not in index
    assert index.query(STORY) == []
    with pytest.raises(KeyError):
        index.remove("story")
    index.add("story", STORY)
    assert index.query(STORY)[0] == ("story", 1.0)


def test_signatures_are_datasketch_values(tmp_path: Path) -> None:
    from datasketch import MinHash

    from dedup.near.shingling import minhash_values, shingle_hashes

    with NearDuplicateIndex.open(tmp_path / "i.db") as index:
        index.add("story", STORY)
        reference = MinHash(num_perm=128, hashfunc=int)
        reference.update_batch(minhash_values(shingle_hashes(STORY, index.config)).tolist())
        assert (index.signature("story") == reference.hashvalues).all()


def test_reopening_with_another_config_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    NearDuplicateIndex.open(path, config=DedupConfig(threshold=0.5)).close()
    with pytest.raises(ConfigError, match="another config"):
        NearDuplicateIndex.open(path, config=DedupConfig(threshold=0.9))


def test_garbage_file_is_an_index_file_error(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    path.write_bytes(b"\x80\x04\x95 this is not sqlite, and certainly not pickle" * 50)
    with pytest.raises(IndexFileError, match="corrupt"):
        NearDuplicateIndex.open(path)


def test_truncated_file_is_an_index_file_error(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with NearDuplicateIndex.open(path) as index:
        index.add_many((f"d{i}", f"{STORY} number {'x' * i} {i}") for i in range(200))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    def open_and_read_everything() -> None:
        index = NearDuplicateIndex.open(path)
        for i in range(200):
            index.query(f"{STORY} number {'x' * i} {i}")

    with pytest.raises(IndexFileError):
        open_and_read_everything()


def test_tampered_record_fails_its_checksum(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with NearDuplicateIndex.open(path) as index:
        build(index)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE documents SET text = 'tampered' WHERE id = 'story'")
    connection.commit()
    connection.close()
    with NearDuplicateIndex.open(path) as index, pytest.raises(IndexFileError, match="checksum"):
        index.query(STORY)


def test_foreign_sqlite_file_is_not_an_index(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.execute("INSERT INTO meta VALUES ('format', 'something-else')")
    connection.commit()
    connection.close()
    with pytest.raises(IndexFileError, match="not a dedup"):
        NearDuplicateIndex.open(path)


@pytest.mark.parametrize("where", ["memory", "sqlite"])
def test_shared_buckets_survive_removing_one_member(where: str, tmp_path: Path) -> None:
    index = (NearDuplicateIndex() if where == "memory"
             else NearDuplicateIndex.open(tmp_path / "i.db"))
    index.add_many([("one", STORY), ("two", STORY), ("three", STORY)])
    assert [doc_id for doc_id, _ in index.query(STORY)] == ["one", "three", "two"]
    index.remove("two")
    assert [doc_id for doc_id, _ in index.query(STORY)] == ["one", "three"]
    index.remove("one")
    assert index.query(STORY) == [("three", 1.0)]
    index.close()
