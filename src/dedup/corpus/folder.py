"""The output folder of a run: its lock, its work folder, and the commit of its outputs.

A run owns ``DIR`` while it holds ``DIR/.dedup-lock``, an operating-system lock
(``fcntl.flock``; where there is no ``fcntl``, a file created exclusively that
holds the owner's pid). The OS drops a flock when its process dies, however it
dies, so a lock left by a killed run is taken over, with a log line. A second
run into a folder in use stops at once with :class:`~dedup.errors.OutputLockedError`,
naming the folder and the pid that holds it.

Everything a run writes goes first to ``DIR/.dedup-work`` (named by the run's
fingerprint in ``.dedup-work/FINGERPRINT``), the outputs to
``.dedup-work/outputs/``. They are committed in a fixed order, each with one
rename: the documents, ``manifest.jsonl``, the report's ``report/`` folder and
``report.html``, then ``summary.json`` last; only then is the work folder removed (``FINGERPRINT``
last). So:

* ``DIR/summary.json`` present and no ``.dedup-work``: the run is complete.
* ``.dedup-work/outputs/summary.json`` present: every output is written; a
  rerun only finishes the renames.
* ``DIR/summary.json`` present and ``.dedup-work`` still there: the commit is
  done; a rerun only removes the work folder.
* otherwise a rerun of the same command redoes what is missing, reusing every
  batch already spilled.

Temporary files of dedup's own naming (``.manifest.jsonl.*.tmp``...) left in
``DIR`` by a killed run are removed when a run resumes, starts or overwrites.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dedup.corpus import io
from dedup.corpus.manifest import RunSummary
from dedup.corpus.report_pages import REPORT_DIR, REPORT_ENTRY, report_output_names
from dedup.errors import WRITE_ERRNOS, ConfigError, OutputLockedError, OutputWriteError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["COMMIT_ORDER", "LOCK_NAME", "OUTPUT_NAMES", "WORK_DIR", "OutputFolder", "open_output"]

logger = logging.getLogger(__name__)

WORK_DIR = ".dedup-work"
LOCK_NAME = ".dedup-lock"
#: Every name a run writes in DIR; ``overwrite=True`` replaces these and nothing else.
OUTPUT_NAMES = ("documents.jsonl", "documents.parquet", "manifest.jsonl", "summary.json",
                *report_output_names())
#: The order :meth:`OutputFolder.commit` puts the outputs in place: the report's pages before
#: the entry page that links them, and summary.json, which says "complete", last.
COMMIT_ORDER = ("documents.jsonl", "documents.parquet", "manifest.jsonl", REPORT_DIR,
                REPORT_ENTRY, "summary.json")
_FINGERPRINT = "FINGERPRINT"
_STAGING = "outputs"
_NO_FLOCK = frozenset(getattr(errno, name) for name in ("ENOLCK", "EOPNOTSUPP", "ENOTSUP")
                      if hasattr(errno, name))
#: What :func:`dedup.corpus.io.atomic_path` names its temporary files.
_TEMPORARY = re.compile(
    r"\.(?:" + "|".join(re.escape(name) for name in OUTPUT_NAMES) + r")\.[A-Za-z0-9_]+\.tmp")


# ---------------------------------------------------------------- the lock

class _Lock:
    """An exclusive lock on ``DIR/.dedup-lock``; its file holds the owner's pid."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._path = folder / LOCK_NAME
        self._descriptor: int | None = None

    def acquire(self) -> None:
        if fcntl is not None:
            self._acquire_flock()
        else:
            self._acquire_exclusive()

    def _acquire_flock(self) -> None:
        while True:
            descriptor = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(descriptor)
                os.close(descriptor)
                raise OutputLockedError(self._folder.as_posix(), holder) from None
            except OSError as error:
                os.close(descriptor)
                if error.errno not in _NO_FLOCK:
                    raise
                self._acquire_exclusive()  # a file system without flock (some NFS mounts)
                return
            except BaseException:
                os.close(descriptor)
                raise
            # The owner we waited for may have removed the file as it finished: then we
            # hold a lock on a file nobody else will open; start again on the new one.
            with contextlib.suppress(FileNotFoundError):
                if os.stat(self._path).st_ino == os.fstat(descriptor).st_ino:
                    break
            os.close(descriptor)
        previous = _holder(descriptor, wait=False)
        if previous is not None and previous != os.getpid():
            logger.warning("taking over the lock of %s from process %s, which is no longer "
                           "running", self._folder.as_posix(), previous)
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode("ascii"))
        self._descriptor = descriptor

    def _acquire_exclusive(self) -> None:
        while True:
            try:
                descriptor = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = _read_pid(self._path)
                if holder is not None and _alive(holder):
                    raise OutputLockedError(self._folder.as_posix(), holder) from None
                if holder is not None:
                    logger.warning("taking over the lock of %s from process %s, which is no "
                                   "longer running", self._folder.as_posix(), holder)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self._path)
                continue
            os.write(descriptor, f"{os.getpid()}\n".encode("ascii"))
            self._descriptor = descriptor
            return

    def release(self) -> None:
        if self._descriptor is None:
            return
        # Remove the file while still holding the lock (see _acquire_flock), so a finished
        # folder holds only its outputs.
        with contextlib.suppress(OSError):
            os.unlink(self._path)
        os.close(self._descriptor)
        self._descriptor = None


def _holder(descriptor: int, *, wait: bool = True) -> int | None:
    """Read the pid in a lock file; its owner writes it just after locking, so wait a little."""
    for _ in range(20 if wait else 1):
        text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
        if text.isdigit():
            return int(text)
        if wait:
            time.sleep(0.01)
    return None


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except FileNotFoundError:
        return None
    return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:
    """Whether a process with this pid runs (the lock fallback's test for a stale lock)."""
    if sys.platform == "win32":  # pragma: no cover - os.kill(pid, 0) would end the process
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---------------------------------------------------------------- the folder

@dataclass(frozen=True, slots=True)
class OutputFolder:
    """A locked output folder and its work folder, for the run that holds it."""

    out: Path
    work: Path

    @property
    def staging(self) -> Path:
        """Where the outputs are written before :meth:`commit` puts them in ``out``."""
        return self.work / _STAGING

    def finished_summary(self) -> RunSummary | None:
        """The summary of a run killed after its outputs were all written, else None."""
        for path in (self.staging / "summary.json", self.out / "summary.json"):
            if path.is_file():
                values = json.loads(path.read_text(encoding="utf-8"))
                return RunSummary.from_dict(values, out=self.out.as_posix())
        return None

    def start_outputs(self) -> Path:
        """Empty the staging folder (a killed run may have left part of its outputs)."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir()
        return self.staging

    def stage_summary(self, summary: RunSummary) -> None:
        """Write ``summary.json`` among the staged outputs: from now on they are complete."""
        io.write_json(self.staging / "summary.json", summary.to_dict())

    def commit(self, outputs: tuple[str, ...]) -> None:
        """Move the staged outputs into ``out``, ``summary.json`` last; remove the work folder.

        A name already moved by a killed run is skipped, so a rerun finishes the commit.
        """
        for name in (name for name in COMMIT_ORDER if name in outputs):
            if name == "summary.json":
                _sync_folder(self.out)  # the other outputs are in place before the marker
            staged = self.staging / name
            if staged.exists():
                _publish(staged, self.out / name)
        _sync_folder(self.out)
        _remove_work(self.work)


def _publish(staged: Path, target: Path) -> None:
    if staged.is_dir() and target.is_dir():
        shutil.rmtree(target)  # a folder cannot be renamed over a full one
    os.replace(staged, target)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (renames) to disk, where the platform allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open a folder
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - some file systems refuse fsync on a folder
        pass
    finally:
        os.close(descriptor)


def _remove_work(work: Path) -> None:
    """Remove the work folder, its fingerprint last: while it is there, the run can resume."""
    for entry in work.iterdir():
        if entry.name == _FINGERPRINT:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    (work / _FINGERPRINT).unlink(missing_ok=True)
    work.rmdir()


@contextlib.contextmanager
def open_output(out: Path, *, identity: str, overwrite: bool,
                resumable: bool = True) -> Iterator[OutputFolder]:
    """Lock ``out`` and give its work folder; release the lock however the run ends.

    ``resumable`` says whether a rerun with the same identity can continue (a
    run of files can; one of in-memory records cannot), for the message of a
    write error. Any write the disk refuses (full, quota, read-only,
    permission) inside the block leaves as :class:`OutputWriteError` naming
    the file.
    """
    try:
        if out.exists() and not out.is_dir():
            raise ConfigError(f"output folder {out.as_posix()!r} is a file; give a folder")
        out.mkdir(parents=True, exist_ok=True)
        lock = _Lock(out)
        lock.acquire()
        try:
            yield OutputFolder(out=out, work=_prepare(out, identity=identity,
                                                      overwrite=overwrite))
        finally:
            lock.release()
    except OSError as error:
        raise _resumable_error(error, out, resumable=resumable) from error


def _resumable_error(error: OSError, out: Path, *, resumable: bool) -> OSError:
    if isinstance(error, OutputWriteError):
        path = error.path
    elif error.errno in WRITE_ERRNOS:
        where = Path(os.fsdecode(error.filename)) if error.filename else out
        if where != out and out not in where.parents:
            return error  # not one of our writes (a reader raises on its own paths)
        path = where.as_posix()
    else:
        return error
    then = ("run the same command again to resume" if resumable
            else "run again with --overwrite (overwrite=True)")
    return OutputWriteError(path, error.errno, error.strerror, then=then)


def _prepare(out: Path, *, identity: str, overwrite: bool) -> Path:
    """Return the work folder, refusing a non-empty DIR that is not a run to resume."""
    work = out / WORK_DIR
    marker = work / _FINGERPRINT
    if work.is_dir() and not marker.exists():
        # A run died creating its work folder, or removing it when done: nothing to resume.
        shutil.rmtree(work)
    temporary = [p for p in out.iterdir() if _TEMPORARY.fullmatch(p.name)]
    entries = sorted(p.name for p in out.iterdir()
                     if p.name != LOCK_NAME and p not in temporary)
    resumable = (marker.exists() and marker.read_text(encoding="utf-8") == identity
                 and all(name in (WORK_DIR, *OUTPUT_NAMES) for name in entries))
    if entries and not resumable:
        if not overwrite:
            raise ConfigError(
                f"output folder {out.as_posix()!r} is not empty ({', '.join(entries[:5])}"
                f"{', ...' if len(entries) > 5 else ''}); choose an empty folder or pass "
                "overwrite=True (--overwrite) to replace dedup's outputs in it")
        for name in (WORK_DIR, *OUTPUT_NAMES):
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    for path in temporary:
        logger.info("removing %s, left by an interrupted run", path.as_posix())
        path.unlink(missing_ok=True)
    if resumable:
        logger.info("resuming the run in %s", work)
    else:
        work.mkdir()
        with io.atomic_writer(marker) as handle:
            handle.write(identity)
    return work
