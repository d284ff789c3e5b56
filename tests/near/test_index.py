"""NearDuplicateIndex: same answers in memory and in SQLite; files are data, checked."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from tests.near.concurrent_adds import (
    HOSTILE_IDS,
    add_from_two_processes,
    create_from_two_processes,
    text_of,
)

from dedup.errors import ConfigError, DuplicateIdError, IndexFileError, InputError
from dedup.near.config import DedupConfig
from dedup.near.index import NearDuplicateIndex
from dedup.near.storage import SqliteBucketStorage

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


def test_index_of_the_old_sqlite_layout_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with NearDuplicateIndex.open(path) as index:
        build(index)
    # What dedup 0.1 wrote: buckets keyed (key, doc), no layout marker.
    connection = sqlite3.connect(path)
    connection.execute("DELETE FROM meta WHERE name = 'sqlite_layout'")
    connection.execute("DROP TABLE buckets")
    connection.execute("CREATE TABLE buckets (key INTEGER NOT NULL, doc INTEGER NOT NULL, "
                       "PRIMARY KEY (key, doc)) WITHOUT ROWID")
    connection.commit()
    connection.close()
    with pytest.raises(IndexFileError, match=r"layout of dedup 0\.1 \(layout 1\).*Rebuild"):
        NearDuplicateIndex.open(path)
    columns = [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(buckets)")]
    assert columns == ["key", "doc"]


def test_index_of_a_newer_sqlite_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    NearDuplicateIndex.open(path).close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE meta SET value = '3' WHERE name = 'sqlite_layout'")
    connection.commit()
    connection.close()
    with pytest.raises(IndexFileError, match="SQLite layout '3'; this dedup reads layout '2'"):
        NearDuplicateIndex.open(path)


def test_queries_find_candidates_in_every_bucket_epoch(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Epochs of 4 documents, so 30 documents span 8 epochs, some batches two.
    monkeypatch.setattr("dedup.near.storage._EPOCH_DOCS", 4)
    docs = [(f"d{i}", text_of(f"d{i}")) for i in range(30)]
    memory = NearDuplicateIndex()
    with NearDuplicateIndex.open(tmp_path / "i.db") as stored:
        for index in (memory, stored):
            index.add_many(docs[:3])
            index.add_many(docs[3:10])
            index.add_many(docs[10:])
            index.add("copy-of-d1", text_of("d1"))
            index.remove("d6")
            index.remove("d29")
        epochs = sqlite3.connect(tmp_path / "i.db").execute(
            "SELECT COUNT(DISTINCT epoch) FROM buckets").fetchone()[0]
        assert epochs == 8
        for doc_id, text in docs:
            assert stored.query(text) == memory.query(text)
            assert ((doc_id, 1.0) in stored.query(text)) == (doc_id not in ("d6", "d29"))
        assert [doc_id for doc_id, _ in stored.query(text_of("d1"))] == ["copy-of-d1", "d1"]


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


# ------------------------------------------------------------ hostile ids, concurrency

def _store(where: str, tmp_path: Path) -> NearDuplicateIndex:
    return (NearDuplicateIndex() if where == "memory"
            else NearDuplicateIndex.open(tmp_path / "i.db"))


@pytest.mark.parametrize("where", ["memory", "sqlite"])
def test_hostile_ids_round_trip(where: str, tmp_path: Path) -> None:
    with _store(where, tmp_path) as index:
        index.add_many((doc_id, text_of(doc_id)) for doc_id in HOSTILE_IDS)
        assert sorted(index) == sorted(HOSTILE_IDS)
        for doc_id in HOSTILE_IDS:
            assert doc_id in index
            assert (doc_id, 1.0) in index.query(text_of(doc_id))
        for doc_id in HOSTILE_IDS:
            index.remove(doc_id)
        assert len(index) == 0
        assert list(index) == []


@pytest.mark.parametrize("where", ["memory", "sqlite"])
@pytest.mark.parametrize(("doc_id", "text", "message"), [
    ("", "some words", "empty"),
    ("\udc80", "some words", "lone surrogate"),
    ("ok", "some \ud800 words", "lone surrogate"),
])
def test_ids_and_texts_no_store_can_keep_are_refused(where: str, doc_id: str, text: str,
                                                     message: str, tmp_path: Path) -> None:
    with _store(where, tmp_path) as index:
        index.add("before", STORY)
        with pytest.raises(InputError, match=message) as caught:
            index.add_many([("fine", OTHER), (doc_id, text)])
        assert caught.value.document_id == doc_id
        assert sorted(index) == ["before"]  # nothing of the refused batch was stored


@pytest.mark.parametrize("where", ["memory", "sqlite"])
def test_a_batch_with_a_stored_id_stores_nothing(where: str, tmp_path: Path) -> None:
    with _store(where, tmp_path) as index:
        index.add("taken", STORY)
        batch = [(f"new-{i}", text_of(f"new-{i}")) for i in range(1500)] + [("taken", OTHER)]
        with pytest.raises(DuplicateIdError, match="'taken'"):
            index.add_many(batch)
        with pytest.raises(DuplicateIdError, match="twice"):
            index.add_many([("again", OTHER), ("again", OTHER)])
        assert list(index) == ["taken"]
        assert index.query(text_of("new-3")) == []


def test_two_processes_adding_to_one_file(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    NearDuplicateIndex.open(path, config=DedupConfig(threshold=0.5)).close()
    outcomes = add_from_two_processes(lambda: NearDuplicateIndex.open(path))
    assert outcomes["error"] == []  # no "database is locked", no "UNIQUE constraint failed"
    # Every shared id was added by exactly one process; the other got DuplicateIdError.
    assert sorted(outcomes["added"]) == sorted(f"shared-{i}" for i in range(30))
    assert sorted(outcomes["duplicate"]) == sorted(outcomes["added"])
    with NearDuplicateIndex.open(path) as index:
        assert len(index) == 2 * 150 + 30
        for doc_id in index:
            assert (doc_id, 1.0) in index.query(text_of(doc_id))


def test_two_processes_creating_one_file_with_different_configs(tmp_path: Path) -> None:
    for attempt in range(2):
        path = tmp_path / f"index-{attempt}.db"
        outcomes = create_from_two_processes(
            lambda threshold, path=path: NearDuplicateIndex.open(
                path, config=DedupConfig(threshold=threshold)),
            (0.5, 0.9), slow_reads=SqliteBucketStorage)
        kinds = [kind for kind, _ in outcomes]
        assert kinds == ["ConfigError", "opened"], outcomes
        (message,) = [text for kind, text in outcomes if kind == "ConfigError"]
        winner = outcomes[1][1]
        loser = "0.9" if winner == "0.5" else "0.5"
        assert f"threshold {winner} in the index, {loser} given" in message
        with NearDuplicateIndex.open(path) as index:
            assert str(index.config.threshold) == winner
            assert list(index) == [f"made-at-{winner}"]
