"""Time the corpus job's per-record step (``clean_row``) against a reference commit, interleaved.

``dedup run`` cleans every record with :func:`dedup.corpus.steps.clean_row`:
``clean()`` plus what the corpus counts (the units, their keys, the story
key). This benchmark runs the reference's step (a commit, default ``main``,
exported with ``git archive`` and renamed ``dedup_ref``) and this tree's in one
process, in turns of 25 records, so a change of load on a shared machine falls
on both; ``clean()`` alone is timed the same way, which shows the step's share
beyond it. Every row of the two versions must be equal (compared as JSON).

Run from the repository root::

    python benchmarks/corpus_step.py                  # Reuters-21578, 3 runs
    python benchmarks/corpus_step.py --sets reuters,bbc --runs 5 --ref 91010f5
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.clean_identity import REPO_ROOT, export_ref, renamed_copy

CHUNK = 25


def load_records(name: str) -> list[tuple[str, str]]:
    """The set's ``(id, text)`` records; ``reuters`` is the whole corpus, unlike clean_identity."""
    from benchmarks.clean_identity import CORPORA, load_set
    from benchmarks.corpora import load_reuters

    if name == "reuters":
        return load_reuters(CORPORA / "reuters21578")
    return load_set(name)


def interleaved(sets: list[str], runs: int) -> int:
    """Child process: time both versions in turns; return 1 if any row differs."""
    import dedup_ref  # type: ignore[import-not-found]
    import dedup_ref.corpus.steps  # type: ignore[import-not-found]

    import dedup
    from dedup.corpus import steps
    from dedup.document import InputRecord

    differing = 0
    for name in sets:
        docs = load_records(name)
        records = [InputRecord(id=doc_id, text=text, location=f"{name}:{number}")
                   for number, (doc_id, text) in enumerate(docs)]
        ref_records = [dedup_ref.document.InputRecord(id=r.id, text=r.text, location=r.location)
                       for r in records]
        ref_config, config = dedup_ref.corpus.steps.RunConfig(), steps.RunConfig()
        for ordinal, (ref_record, record) in enumerate(zip(ref_records, records, strict=True)):
            # Untimed first pass: compiles patterns, and compares every row.
            ref_row = dedup_ref.corpus.steps.clean_row(ordinal, ref_record, ref_config)
            row = steps.clean_row(ordinal, record, config)
            if json.dumps(ref_row, sort_keys=True) != json.dumps(row, sort_keys=True):
                differing += 1
                if differing <= 3:
                    print(f"  {record.id}: rows differ", flush=True)
        print(f"{name}: {len(records)} records, {differing} rows differ", flush=True)

        def step(module: object, batch: list[object], offset: int, run_config: object) -> None:
            for ordinal, record in enumerate(batch, offset):
                module.clean_row(ordinal, record, run_config)  # type: ignore[attr-defined]

        def cleaning(module: object, batch: list[object], _offset: int, _config: object) -> None:
            for record in batch:
                module.clean(record.text)  # type: ignore[attr-defined]

        timed: list[tuple[str, Callable[..., None], object, object]] = [
            ("clean_row", step, dedup_ref.corpus.steps, dedup.corpus.steps),
            ("clean()", cleaning, dedup_ref, dedup)]
        for label, work, ref_module, new_module in timed:
            ratios = []
            for run in range(runs):
                spent = {"ref": 0.0, "new": 0.0}
                for turn, first in enumerate(range(0, len(records), CHUNK)):
                    order = (("ref", ref_module, ref_records, ref_config),
                             ("new", new_module, records, config))
                    for side, module, batch, run_config in (
                            order if (turn + run) % 2 == 0 else order[::-1]):
                        start = time.process_time()
                        work(module, batch[first:first + CHUNK], first, run_config)
                        spent[side] += time.process_time() - start
                ratios.append(spent["ref"] / spent["new"])
                print(f"{name:8s} {label:9s} ref {spent['ref']:6.2f} s  new {spent['new']:6.2f} s"
                      f"  ratio {ratios[-1]:.3f}x", flush=True)
            ratios.sort()
            print(f"{name:8s} {label:9s} ratio ref/new: median {ratios[len(ratios) // 2]:.3f}x, "
                  f"range {ratios[0]:.3f}-{ratios[-1]:.3f}x over {runs} interleaved runs",
                  flush=True)
    return 1 if differing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="main", help="reference commit (default: main)")
    parser.add_argument("--sets", default="reuters",
                        help="comma-separated sets: reuters (all stories) or a set of "
                             "benchmarks/clean_identity.py")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs per set")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    if args.child:
        return interleaved(sets, args.runs)
    with tempfile.TemporaryDirectory(prefix="corpus-step-") as tmp:
        folder = Path(tmp)
        copy = renamed_copy(export_ref(args.ref, folder), folder / "renamed")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO_ROOT / "src"), str(copy)]))
        print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
        return subprocess.run([sys.executable, __file__, "--child", "--sets", ",".join(sets),
                               "--runs", str(args.runs)], env=env, cwd=REPO_ROOT,
                              check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
