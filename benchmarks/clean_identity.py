"""Check that this worktree's ``dedup.clean`` gives the same ``CleanResult`` as a reference commit.

The safety net of speed work on cleaning: a fast path must change nothing a
user can see. Every document of the seeds, the test cases, BBC News (2,225,
read as UTF-8 and as Latin-1), the first 5,000 Reuters-21578 stories, the 181
article-benchmark pages and the 639 web-pages-dev pages is cleaned by both
versions, and the whole result (text, normalized text, removals with their
details, fixes and metadata) is compared through its ``repr``, which a frozen
dataclass spells field by field.

The reference is a commit (default ``main``) exported with ``git archive`` to a
temporary folder and run in a child process; this worktree runs in another, so
neither imports the other's modules. Each child also prints its CPU seconds,
so the paired figure comes for free (an indication only: one run, no spread).

Run from the repository root::

    python benchmarks/clean_identity.py                 # against main
    python benchmarks/clean_identity.py --ref 37fc499 --sets seeds,web
    python benchmarks/clean_identity.py --sets bbc,web --rounds 3 --pairs 3  # speed ratios
    python benchmarks/clean_identity.py --sets bbc,web --interleaved 3  # steadier ratios
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPORA = REPO_ROOT.parent / "shared" / "corpora"
SETS = ("seeds", "cases", "bbc", "bbc-latin1", "reuters", "articles", "web")
REUTERS_LIMIT = 5000


def load_set(name: str) -> list[tuple[str, str]]:
    """``[(id, text), ...]`` of one document set, in a fixed order."""
    if name == "seeds":
        return [(p.name, p.read_text(encoding="utf-8"))
                for p in sorted((REPO_ROOT / "seeds").glob("*.txt"))]
    if name == "cases":
        docs = []
        for file in sorted((REPO_ROOT / "tests" / "cases").glob("*.jsonl")):
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines()):
                if line.strip():
                    record = json.loads(line)
                    text = record.get("input", record.get("text"))
                    if isinstance(text, str):
                        docs.append((f"{file.stem}:{number}", text))
        return docs
    sys.path.insert(0, str(REPO_ROOT))
    from benchmarks.corpora import load_bbc, load_reuters

    if name == "bbc":  # as benchmarks/boilerplate.py reads it: UTF-8, bad bytes replaced
        files = sorted((CORPORA / "bbc-news-raw").glob("bbc/*/*.txt"))
        return [(f"{f.parent.name}/{f.stem}", f.read_bytes().decode("utf-8", errors="replace"))
                for f in files]
    if name == "bbc-latin1":  # as benchmarks/near_dup.py reads it
        return load_bbc(CORPORA / "bbc-news-raw")
    if name == "reuters":
        return load_reuters(CORPORA / "reuters21578")[:REUTERS_LIMIT]
    if name == "articles":
        base = CORPORA / "article-extraction-benchmark"
        pages = json.loads((base / "page-text.json").read_text(encoding="utf-8"))["output"]
        return [(key, pages[key].get("articleBody", "") or "") for key in sorted(pages)]
    if name == "web":
        raw = gzip.decompress((CORPORA / "web-pages-dev" / "pages.json.gz").read_bytes())
        records = json.loads(raw.decode("utf-8"))
        return [(key, r.get("page", "") or "") for key, r in sorted(records.items())]
    raise SystemExit(f"unknown set {name!r}; choose from {', '.join(SETS)}")


def dump(sets: list[str], out: Path, rounds: int) -> None:
    """Child process: clean every document with the ``dedup`` on ``sys.path``; pickle the reprs.

    The time of a set is the fastest of ``rounds`` cleanings after the first,
    which pays for compiling patterns on first use (with ``rounds`` 1, the first).
    """
    import dedup

    results: dict[str, dict[str, str]] = {}
    seconds: dict[str, float] = {}
    for name in sets:
        docs = load_set(name)
        start = time.process_time()
        results[name] = {doc_id: repr(dedup.clean(text)) for doc_id, text in docs}
        seconds[name] = time.process_time() - start
        for _ in range(rounds - 1):
            start = time.process_time()
            for _doc_id, text in docs:
                dedup.clean(text)
            elapsed = time.process_time() - start
            seconds[name] = elapsed if _ == 0 else min(seconds[name], elapsed)
    out.write_bytes(pickle.dumps({"results": results, "seconds": seconds,
                                  "module": dedup.__file__}))


def run_child(src: Path, sets: list[str], out: Path, rounds: int) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(src))
    subprocess.run([sys.executable, __file__, "--dump", str(out), "--sets", ",".join(sets),
                    "--rounds", str(rounds)],
                   check=True, env=env, cwd=REPO_ROOT)
    loaded: dict[str, object] = pickle.loads(out.read_bytes())
    return loaded


def export_ref(ref: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", "--format=tar", ref, "src"], check=True,
                             capture_output=True, cwd=REPO_ROOT).stdout
    tar_path = into / "ref.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def renamed_copy(ref_src: Path, into: Path) -> Path:
    """Copy the reference's ``dedup`` as a package ``dedup_ref``, importable beside ``dedup``.

    Only for timing: every ``dedup.`` module path in its sources is renamed, so
    the two versions share one process and one machine load.
    """
    package = into / "dedup_ref"
    shutil.copytree(ref_src / "dedup", package)
    for file in package.rglob("*.py"):
        text = file.read_text(encoding="utf-8")
        text = re.sub(r"\bdedup\.", "dedup_ref.", text)
        text = re.sub(r"\bfrom dedup import\b", "from dedup_ref import", text)
        text = re.sub(r"^import dedup$", "import dedup_ref as dedup", text, flags=re.MULTILINE)
        file.write_text(text, encoding="utf-8")
    return into


def interleaved(sets: list[str], repeats: int, chunk: int = 25) -> None:
    """Child process: time ``dedup_ref.clean`` and ``dedup.clean`` in turns of ``chunk`` documents.

    Which version goes first alternates from chunk to chunk, so a change of
    load on a shared machine falls on both; prints MB/s and the ratio per
    repeat, then the median and range of the ratios.
    """
    import dedup_ref  # type: ignore[import-not-found]

    import dedup

    for name in sets:
        docs = [text for _doc_id, text in load_set(name)]
        size = sum(len(text.encode("utf-8")) for text in docs) / 1e6
        for text in docs:  # patterns are compiled on first use: not timed
            dedup.clean(text)
            dedup_ref.clean(text)
        ratios = []
        for repeat in range(repeats):
            spent = {"ref": 0.0, "new": 0.0}
            for turn, first in enumerate(range(0, len(docs), chunk)):
                part = docs[first:first + chunk]
                order = (("ref", dedup_ref), ("new", dedup))
                for label, module in order if (turn + repeat) % 2 == 0 else order[::-1]:
                    start = time.process_time()
                    for text in part:
                        module.clean(text)
                    spent[label] += time.process_time() - start
            ratios.append(spent["ref"] / spent["new"])
            print(f"{name:9s} ref {size / spent['ref']:5.2f} MB/s  new "
                  f"{size / spent['new']:5.2f} MB/s  ratio {ratios[-1]:.3f}x", flush=True)
        ratios.sort()
        print(f"{name:9s} speed ratio ref/new: median {ratios[len(ratios) // 2]:.3f}x, range "
              f"{ratios[0]:.3f}-{ratios[-1]:.3f}x over {repeats} interleaved runs")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="main", help="reference commit (default: main)")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated document sets")
    parser.add_argument("--rounds", type=int, default=1,
                        help="clean each set this many times per version; the time printed "
                             "is the fastest after the first (default: 1, the first)")
    parser.add_argument("--pairs", type=int, default=1,
                        help="run reference and this tree alternately this many times and "
                             "print the spread of the speed ratios (default: 1)")
    parser.add_argument("--interleaved", type=int, default=0, metavar="N",
                        help="time only: both versions in one process, in turns, N runs "
                             "per set (the steadiest ratio on a shared machine)")
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    if args.dump:
        if args.interleaved:
            interleaved(sets, args.interleaved)
        else:
            dump(sets, args.dump, args.rounds)
        return 0
    if args.interleaved:
        with tempfile.TemporaryDirectory(prefix="clean-timing-") as tmp:
            folder = Path(tmp)
            copy = renamed_copy(export_ref(args.ref, folder), folder / "renamed")
            env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO_ROOT / "src"),
                                                               str(copy)]))
            subprocess.run([sys.executable, __file__, "--dump", str(folder / "unused"),
                            "--sets", ",".join(sets), "--interleaved",
                            str(args.interleaved)], check=True, env=env, cwd=REPO_ROOT)
        return 0
    with tempfile.TemporaryDirectory(prefix="clean-identity-") as tmp:
        folder = Path(tmp)
        ref_src = export_ref(args.ref, folder)
        ref = run_child(ref_src, sets, folder / "ref.pickle", args.rounds)
        new = run_child(REPO_ROOT / "src", sets, folder / "new.pickle", args.rounds)
        ratios: dict[str, list[float]] = {name: [] for name in sets}
        for pair in range(args.pairs):
            # Alternate the two versions, so that a change of load on a shared
            # machine falls on both; each pair gives one ratio.
            if pair:
                ref = run_child(ref_src, sets, folder / "ref.pickle", args.rounds)
                new = run_child(REPO_ROOT / "src", sets, folder / "new.pickle", args.rounds)
            for name in sets:
                ratios[name].append(ref["seconds"][name]  # type: ignore[index]
                                    / new["seconds"][name])  # type: ignore[index]
    print(f"reference {args.ref}: {ref['module']}\nthis tree: {new['module']}")
    failures = 0
    for name in sets:
        ref_results = ref["results"][name]  # type: ignore[index]
        new_results = new["results"][name]  # type: ignore[index]
        differing = [key for key in ref_results if ref_results[key] != new_results.get(key)]
        ref_s, new_s = ref["seconds"][name], new["seconds"][name]  # type: ignore[index]
        digest = hashlib.sha1("".join(new_results.values()).encode()).hexdigest()[:12]
        print(f"{name:9s} {len(ref_results):5d} docs  differ {len(differing):4d}  "
              f"cpu ref {ref_s:6.2f}s new {new_s:6.2f}s  ratio {ref_s / new_s:4.2f}x  "
              f"sha1 {digest}")
        for key in differing[:3]:
            print(f"  {key}:\n    ref {ref_results[key][:600]}\n    new "
                  f"{new_results.get(key, '<missing>')[:600]}")
        failures += len(differing)
        if args.pairs > 1:
            found = sorted(ratios[name])
            print(f"          speed ratio ref/new over {args.pairs} pairs: median "
                  f"{found[len(found) // 2]:.2f}x, range {found[0]:.2f}-{found[-1]:.2f}x")
    print("IDENTICAL" if not failures else f"DIFFERENT: {failures} documents")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
