"""Listing folders: every path that is not a readable file is named, none hangs or crashes."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from dedup.corpus.io import list_input_files, read_documents
from dedup.document import InputRecord, Rejection
from dedup.errors import InputError

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def _reasons(folder: Path) -> dict[str, str]:
    return {r.id: r.reason if isinstance(r, Rejection) else "read"
            for r in read_documents([folder])}


@needs_fifo
def test_a_named_pipe_in_a_folder_is_named_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Before the pipe.")
    os.mkfifo(tmp_path / "pipe.jsonl")  # nobody writes to it: reading it would wait forever
    (tmp_path / "z.txt").write_text("After the pipe.")

    records: list[InputRecord | Rejection] = []
    # In a daemon thread: a reader that opens the pipe blocks forever, and must fail the
    # test rather than hang the suite.
    reader = threading.Thread(target=lambda: records.extend(read_documents([tmp_path])),
                              daemon=True)
    reader.start()
    reader.join(timeout=30)
    assert not reader.is_alive(), "reading a folder with a named pipe in it hangs"

    assert [r.id for r in records] == ["a.txt", "pipe.jsonl", "z.txt"]
    pipe = records[1]
    assert isinstance(pipe, Rejection)
    assert pipe.reason == "not_a_regular_file"
    assert "named pipe" in pipe.detail
    assert "pipe.jsonl" in pipe.detail


def test_a_socket_in_a_folder_is_named_not_read(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    if len(str(path)) > 100:  # AF_UNIX paths are limited to about 100 bytes
        pytest.skip(f"{tmp_path} is too long a folder for a socket")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert _reasons(tmp_path) == {"s.sock": "not_a_regular_file"}
    finally:
        server.close()


def test_dangling_links_and_loops_are_rejections(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A real story.")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.txt").write_text("Inside the folder.")
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a folder that contains the link

    files = list_input_files([tmp_path])  # no stat of a dangling link raises here
    assert {f.name: f.size for f in files if f.rejection is None} == {
        "good.txt": 13, "sub/inner.txt": 18}
    records = {r.id: r for r in read_documents([tmp_path])}

    assert {k: getattr(r, "reason", "read") for k, r in records.items()} == {
        "dangling.txt": "dangling_symlink", "good.txt": "read", "self.txt": "symlink_loop",
        "sub/inner.txt": "read", "sub/up/": "symlink_loop"}
    assert "gone.txt" in records["dangling.txt"].detail  # type: ignore[union-attr]


def test_links_to_files_and_folders_are_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "story.txt").write_text("Linked in.")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "more").symlink_to(elsewhere)
    (corpus / "one.txt").symlink_to(elsewhere / "story.txt")

    records = list(read_documents([corpus]))

    assert [(r.id, type(r).__name__) for r in records] == [
        ("more/story.txt", "InputRecord"), ("one.txt", "InputRecord")]


def test_a_folder_that_cannot_be_listed_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Readable.")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text("Never listed.")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("this user (root?) can list a chmod 000 folder; "
                        "test_a_folder_listing_error_is_named covers the path")
        records = {r.id: r for r in read_documents([tmp_path])}
    finally:
        locked.chmod(0o755)
    rejection = records["locked/"]
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "unreadable"
    assert "locked" in rejection.detail
    assert "not read" in rejection.detail
    assert isinstance(records["a.txt"], InputRecord)


def test_a_folder_listing_error_is_named(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Root lists a chmod 000 folder anyway, so the refusal is injected where it happens.
    (tmp_path / "a.txt").write_text("Readable.")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "secret.txt").write_text("Never listed.")
    real_scandir = os.scandir

    def scandir(path: os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    records = {r.id: r for r in read_documents([tmp_path])}

    assert set(records) == {"a.txt", "locked/"}
    locked = records["locked/"]
    assert isinstance(locked, Rejection)
    assert locked.reason == "unreadable"
    assert "Permission denied" in locked.detail


def test_paths_named_directly_must_exist(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    with pytest.raises(InputError, match="symbolic link"):
        list_input_files([tmp_path / "dangling.txt"])
