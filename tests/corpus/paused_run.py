"""Run ``dedup`` as the command line does, pausing at one point of the output phase.

``python paused_run.py POINT MARKER dedup-args...`` creates MARKER when the run
reaches POINT, then waits until ``MARKER.go`` exists: a test kills it there
(SIGKILL, nothing runs after) or lets it go on. The points:

* ``manifest``: halfway through writing the manifest and the documents;
* ``report``: documents and manifest written, the report not yet;
* ``commit``: documents, manifest and report in DIR, ``summary.json`` not yet;
* ``cleanup``: every output in DIR, the work folder not yet removed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any


def _pause(marker: Path) -> None:
    marker.touch()
    go = marker.with_name(marker.name + ".go")
    while not go.exists():
        time.sleep(0.01)


def _patch(point: str, marker: Path) -> None:
    from dedup.corpus import folder, outputs

    if point == "manifest":
        entry = outputs._entry
        calls = [0]

        def paused_entry(*args: Any) -> Any:
            calls[0] += 1
            if calls[0] == 100:
                _pause(marker)
            return entry(*args)
        outputs._entry = paused_entry  # type: ignore[assignment]
    elif point == "report":
        writer = outputs.ReportWriter
        finish = writer.finish

        def paused_finish(self: Any, *args: Any) -> Any:
            _pause(marker)
            return finish(self, *args)
        writer.finish = paused_finish  # type: ignore[method-assign]
    elif point == "commit":
        publish = folder._publish

        def paused_publish(staged: Path, target: Path) -> None:
            if target.name == "summary.json":
                _pause(marker)
            publish(staged, target)
        folder._publish = paused_publish
    elif point == "cleanup":
        remove = folder._remove_work

        def paused_remove(work: Path) -> None:
            _pause(marker)
            remove(work)
        folder._remove_work = paused_remove
    else:
        raise SystemExit(f"unknown point {point!r}")


def main() -> int:
    point, marker, *arguments = sys.argv[1:]
    _patch(point, Path(marker))
    from dedup.cli import main as dedup_main

    return dedup_main(arguments)


if __name__ == "__main__":
    sys.exit(main())
