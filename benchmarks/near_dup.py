"""Near-duplicate benchmark: quality against brute force, speed against peers, memory.

Run from the repository root::

    PYTHONPATH=src python benchmarks/near_dup.py            # everything
    PYTHONPATH=src python benchmarks/near_dup.py --quick    # quality only
    PYTHONPATH=src python benchmarks/near_dup.py --floor    # text -> signatures vs a C loop

Quality: the ground truth is every pair of documents whose exact Jaccard on
the same shingles (dedup's word 5-gram hashes of the cleaned text) is at
least 0.5, computed exhaustively as a sparse product (every pair that shares
one shingle is scored, every other pair has Jaccard 0). Pair recall and
precision are printed at 0.5, 0.8 and 0.9, and whether every exact-duplicate
cluster was found.

Speed: text to signatures (tokenising and shingling included, word 5-grams,
``num_perm=128``) for dedup, datasketch (``update_batch`` per document, and
``MinHash.bulk``), rensa and datatrove (each in its own venv under
``/work/bench-venvs/<name>``, fed the same texts, same run), with ratios; then
``deduplicate`` end to end on Reuters (clean + dedupe) with 1 and 2 workers.

Memory: peak RSS, bytes per document in a SQLite index (beyond the text),
and datasketch's in-memory ``MinHashLSH`` for comparison.

Planted variants (``benchmarks/planted.py``; ``--planted`` runs only these, the
default run ends with them): distinct BBC and Reuters stories plus copies we
make of them (in site chrome, reflowed, mojibake, lightly edited, figures
changed), through ``deduplicate`` and ``dedup.run``, against floors at 0.8::

    PYTHONPATH=src python benchmarks/near_dup.py --planted --check
    PYTHONPATH=src python benchmarks/near_dup.py --planted --originals 200 --show-failures 3

Index stores (``benchmarks/stores.py``; ``--stores`` runs only these): docs/s of
adds to Redis, dedup beside datasketch's Redis storage on the same server, and
to SQLite at 10k, 50k and 200k documents::

    PYTHONPATH=src python benchmarks/near_dup.py --stores

Growth (``--growth`` runs only this): ``deduplicate(clean=False)`` on the first
N documents of the seeded synthetic corpus of ``benchmarks/spark.py``
(Reuters stories shuffled and 20% reworded, 5% exact and 5% near copies),
each size in a fresh process, one at a time; docs/s (reading the JSONL
included), peak RSS (``ru_maxrss``) and the growth per document beyond the
process's RSS after import. ``--growth-engines deduplicate,run`` adds
``dedup.run(workers=2)``, the whole job with cleaning, with the peak RSS of
its largest worker, the CPU seconds of all its processes and its phase
timings (read_clean, cross_doc, dedupe, write)::

    PYTHONPATH=src python benchmarks/near_dup.py --growth 10k,50k,200k,1M --work /tmp/growth
"""

from __future__ import annotations

import argparse
import ctypes
import itertools
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # dedup
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package
from benchmarks.corpora import DEFAULT_CORPORA, load_bbc, load_reuters
from benchmarks.planted import run_planted
from benchmarks.stores import run_stores

from dedup import DedupConfig, NearDuplicateIndex, clean, deduplicate
from dedup.near.cluster import jaccard
from dedup.near.exact import content_digest
from dedup.near.grouping import Grouping, group_documents
from dedup.near.matching import mail_part_candidates
from dedup.near.minhash import signatures
from dedup.near.shingling import ShingleArray, shingle_hashes_batch

THRESHOLDS = (0.5, 0.8, 0.9)
VENVS = Path("/work/bench-venvs")
_WORD = re.compile(r"\w+")


# --------------------------------------------------------------------------- quality

def ground_truth(sets: Sequence[ShingleArray], minimum: float) -> dict[int, float]:
    """Return ``{i * n + j: jaccard}`` for every pair ``i < j`` with Jaccard >= minimum."""
    from scipy import sparse

    n = len(sets)
    sizes = np.array([s.size for s in sets], dtype=np.int64)
    values, columns = np.unique(np.concatenate(sets), return_inverse=True)
    rows = np.repeat(np.arange(n), sizes)
    matrix = sparse.csr_matrix((np.ones(rows.size, dtype=np.int32), (rows, columns)),
                               shape=(n, values.size))
    transposed = matrix.T.tocsr()
    found: dict[int, float] = {}
    block = 1000
    for start in range(0, n, block):
        product = (matrix[start:start + block] @ transposed).tocoo()
        left = product.row + start
        keep = left < product.col
        left, right, shared = left[keep], product.col[keep], product.data[keep]
        union = sizes[left] + sizes[right] - shared
        similarity = shared / union
        good = similarity >= minimum
        for i, j, s in zip(left[good].tolist(), right[good].tolist(), similarity[good].tolist(),
                           strict=True):
            found[i * n + j] = s
    return found


def predicted_pairs(grouping: Grouping, n: int) -> set[int]:
    """Expand the grouping into every pair it asserts (each with an exact similarity)."""
    head = [grouping.same_set_of[e] if e != -1 else -1 for e in grouping.exact_of]
    groups: dict[int, list[int]] = {}
    for doc, h in enumerate(head):
        if h != -1:
            groups.setdefault(h, []).append(doc)
    pairs: set[int] = set()
    for members in groups.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                pairs.add(members[a] * n + members[b])
    for left, right in grouping.pairs.tolist():
        for i in groups[left]:
            for j in groups[right]:
                pairs.add(min(i, j) * n + max(i, j))
    return pairs


def quality(name: str, ids: list[str], raw: list[str], cleaned: list[str],
            exact_min_chars: int) -> None:
    config = DedupConfig()
    n = len(cleaned)
    started = time.perf_counter()
    sets = shingle_hashes_batch(cleaned, config)
    matrix = signatures(sets, config)
    digests = [content_digest(t) for t in cleaned]
    empty = [not t.strip() for t in cleaned]
    fingerprint_time = time.perf_counter() - started
    started = time.perf_counter()
    truth_all = ground_truth(sets, min(THRESHOLDS))
    truth_time = time.perf_counter() - started
    # Exact clusters of the raw corpus: identical bodies (the text after a
    # Reuters title line), long enough to matter.
    by_text: dict[str, list[int]] = {}
    for index, text in enumerate(raw):
        body = (text.split("\n\n", 1)[-1].strip() if "bodies" not in name and exact_min_chars
                else text.strip())
        if len(body) > exact_min_chars:
            by_text.setdefault(body, []).append(index)
    exact_clusters = [members for members in by_text.values() if len(members) > 1]
    print(f"\n== {name}: {n} documents, {sum(s.size for s in sets) / n:.0f} shingles/doc; "
          f"fingerprints {fingerprint_time:.2f} s; brute-force truth {truth_time:.1f} s "
          f"({len(truth_all)} pairs >= {min(THRESHOLDS)}); "
          f"{len(exact_clusters)} exact-body clusters (> {exact_min_chars} chars)")
    print(f"{'threshold':>9} {'banding':>8} {'truth':>7} {'found':>7} {'recall':>7} "
          f"{'precision':>9} {'exact clusters found':>21} {'time s':>7}")
    for threshold in THRESHOLDS:
        cfg = DedupConfig(threshold=threshold)
        started = time.perf_counter()
        grouping = group_documents(digests, sets, matrix, cfg, is_empty=empty)
        elapsed = time.perf_counter() - started
        predicted = predicted_pairs(grouping, n)
        truth = {code for code, s in truth_all.items() if s >= threshold}
        hits = len(predicted & truth)
        correct = sum(1 for code in predicted
                      if truth_all.get(code, jaccard(sets[code // n], sets[code % n]))
                      >= threshold)
        component_of = {m: c for c, comp in enumerate(grouping.components) for m in comp.members}
        found = sum(1 for members in exact_clusters
                    if len({component_of.get(m, -1 - m) for m in members}) == 1)
        recall = hits / len(truth) if truth else 1.0
        precision = correct / len(predicted) if predicted else 1.0
        print(f"{threshold:>9} {cfg.banding!s:>8} {len(truth):>7} {len(predicted):>7} "
              f"{recall:>7.4f} {precision:>9.4f} {found:>11}/{len(exact_clusters):<9} "
              f"{elapsed:>7.2f}")
    del ids


def tradeoffs(name: str, cleaned: list[str]) -> None:
    """How num_perm and the banding's target probability trade recall for time, at 0.8."""
    n = len(cleaned)
    base = DedupConfig()
    sets = shingle_hashes_batch(cleaned, base)
    digests = [content_digest(t) for t in cleaned]
    empty = [not t.strip() for t in cleaned]
    truth_all = ground_truth(sets, 0.8)
    truth = set(truth_all)
    print(f"\n== trade-offs on {name} at threshold 0.8 ({len(truth)} true pairs)")
    print(f"{'num_perm':>8} {'P(cand)':>8} {'banding':>9} {'signatures s':>12} "
          f"{'grouping s':>10} {'verified':>9} {'recall':>7}")
    for num_perm, probability in ((64, 0.95), (128, 0.95), (256, 0.95), (128, 0.80),
                                  (128, 0.99)):
        config = DedupConfig(num_perm=num_perm, min_candidate_probability=probability)
        started = time.perf_counter()
        matrix = signatures(sets, config)
        signature_time = time.perf_counter() - started
        started = time.perf_counter()
        grouping = group_documents(digests, sets, matrix, config, is_empty=empty)
        grouping_time = time.perf_counter() - started
        predicted = predicted_pairs(grouping, n)
        recall = len(predicted & truth) / len(truth) if truth else 1.0
        print(f"{num_perm:>8} {probability:>8} {config.banding!s:>9} {signature_time:>12.2f} "
              f"{grouping_time:>10.2f} {len(grouping.pairs):>9} {recall:>7.4f}")


# --------------------------------------------------------------------------- speed

def _word_shingles(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < 5:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}


def time_dedup(texts: list[str]) -> float:
    config = DedupConfig(shingle_kind="word")
    started = time.perf_counter()
    for start in range(0, len(texts), 4096):
        signatures(shingle_hashes_batch(texts[start:start + 4096], config), config)
    return time.perf_counter() - started


def time_datasketch_update_batch(texts: list[str]) -> float:
    from datasketch import MinHash

    started = time.perf_counter()
    for text in texts:
        minhash = MinHash(num_perm=128)
        minhash.update_batch([s.encode("utf-8") for s in _word_shingles(text)])
    return time.perf_counter() - started


def time_datasketch_bulk(texts: list[str]) -> float:
    from datasketch import MinHash

    started = time.perf_counter()
    MinHash.bulk([[s.encode("utf-8") for s in _word_shingles(text)] for text in texts],
                 num_perm=128)
    return time.perf_counter() - started


_PEER_SCRIPTS = {
    "rensa": """
import json, re, sys, time
from rensa import RMinHash
texts = json.load(open(sys.argv[1]))
word = re.compile(r"\\w+")
def shingles(text):
    words = word.findall(text.lower())
    if len(words) < 5:
        return [" ".join(words)] if words else []
    return list({" ".join(words[i:i + 5]) for i in range(len(words) - 4)})
started = time.perf_counter()
for text in texts:
    m = RMinHash(num_perm=128, seed=1)
    m.update(shingles(text))
    m.digest()
print(time.perf_counter() - started)
""",
    "rensa-e2e": r"""
import json, re, sys, time
from rensa import RMinHash, RMinHashLSH
texts = json.load(open(sys.argv[1]))
word = re.compile(r"\w+")
def shingles(text):
    words = word.findall(text.lower())
    if len(words) < 5:
        return [" ".join(words)] if words else []
    return list({" ".join(words[i:i + 5]) for i in range(len(words) - 4)})
started = time.perf_counter()
minhashes = []
for text in texts:
    m = RMinHash(num_perm=128, seed=1)
    m.update(shingles(text))
    minhashes.append(m)
lsh = RMinHashLSH(threshold=0.8, num_perm=128, num_bands=16)
for key, m in enumerate(minhashes):
    lsh.insert(key, m)
parent = list(range(len(texts)))
def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
for key, m in enumerate(minhashes):
    for other in lsh.query(m):
        if other != key and m.jaccard(minhashes[other]) >= 0.8:
            parent[find(other)] = find(key)
dropped = sum(1 for i in range(len(texts)) if find(i) != i)
print(dropped)
print(time.perf_counter() - started)
""",
    "datatrove": """
import json, sys, tempfile, time
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
texts = json.load(open(sys.argv[1]))
step = MinhashDedupSignature(output_folder=tempfile.mkdtemp(),
                             config=MinhashConfig(n_grams=5, num_buckets=16, hashes_per_bucket=8))
started = time.perf_counter()
for text in texts:
    step.get_signature(step.get_shingles(text))
print(time.perf_counter() - started)
""",
}


def time_peer(name: str, texts_file: str) -> float | None:
    python = VENVS / name / "bin" / "python"
    if not python.exists():
        print(f"  {name}: skipped (no venv at {python.parent.parent})")
        return None
    result = subprocess.run([str(python), "-c", _PEER_SCRIPTS[name], texts_file],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(f"  {name}: failed: {result.stderr.strip().splitlines()[-1:]}")
        return None
    return float(result.stdout.strip().splitlines()[-1])


def speed(name: str, texts: list[str]) -> None:
    print(f"\n== text -> signatures, {name}: {len(texts)} documents, "
          f"{sum(len(t.split()) for t in texts) / len(texts):.0f} words/doc, word 5-grams, "
          "num_perm=128, one process")
    results: dict[str, float | None] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(texts, handle)
        texts_file = handle.name
    try:
        results["dedup"] = time_dedup(texts)
        results["datasketch update_batch"] = time_datasketch_update_batch(texts)
        results["datasketch bulk"] = time_datasketch_bulk(texts)
        results["rensa (RMinHash.update)"] = time_peer("rensa", texts_file)
        results["datatrove (get_shingles+get_signature)"] = time_peer("datatrove", texts_file)
    finally:
        os.unlink(texts_file)
    best_datasketch = min(t for k, t in results.items() if k.startswith("datasketch") and t)
    ours = results["dedup"] or float("nan")
    for label, seconds in results.items():
        if seconds is None:
            continue
        print(f"  {label:<40} {seconds:7.2f} s {len(texts) / seconds:9.0f} docs/s   "
              f"dedup is {seconds / ours:5.1f}x faster")
    print(f"  dedup vs datasketch's fastest documented path: {best_datasketch / ours:.1f}x")


def _build_floor(folder: str) -> ctypes.CDLL | None:
    """Compile benchmarks/signature_floor.c with the machine's C compiler, or None."""
    compiler = shutil.which(os.environ.get("CC", "cc"))
    if compiler is None:
        return None
    library = Path(folder) / "signature_floor.so"
    source = Path(__file__).with_name("signature_floor.c")
    built = subprocess.run([compiler, "-O3", "-march=native", "-shared", "-fPIC", "-o",
                            str(library), str(source)], capture_output=True, text=True,
                           check=False)
    if built.returncode != 0:
        print(f"  compiled floor: {compiler} failed: {built.stderr.strip()[-300:]}")
        return None
    return ctypes.CDLL(str(library))


def compiled_floor(name: str, texts: list[str], repeats: int = 3) -> None:
    """Print text -> signatures and the MinHash step against a tight C loop, as ratios.

    Both sides get the same texts (word 5-grams, num_perm=128) and are timed in
    turns, ``repeats`` times, by process CPU time; the ratio of each turn is
    printed as median and range. The C loop looks for mail parts as dedup does
    but skips what it need not do (stripping them, the non-ASCII canonical
    form), so it is a floor, not a rival.
    """
    from dedup.near import minhash
    from dedup.near.minhash import permutations
    from dedup.near.shingling import _SALT

    config = DedupConfig(shingle_kind="word")
    a, b = permutations(config)
    encoded = [text.encode("utf-8") for text in texts]
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    offsets = np.concatenate(([0], np.cumsum([len(e) for e in encoded]))).astype(np.int64)
    sets = [s for start in range(0, len(texts), 4096)
            for s in shingle_hashes_batch(texts[start:start + 4096], config)]
    shingles = np.concatenate(sets)
    set_offsets = np.concatenate(([0], np.cumsum([s.size for s in sets]))).astype(np.int64)
    pointer = ctypes.c_void_p
    with tempfile.TemporaryDirectory() as folder:
        library = _build_floor(folder)
        if library is None:
            print(f"\n== compiled floor, {name}: skipped (no C compiler)")
            return
        out = np.empty((len(texts), config.num_perm), dtype=np.uint32)
        library.signatures_of_texts.restype = ctypes.c_long

        def c_texts() -> int:
            return int(library.signatures_of_texts(
                data.ctypes.data_as(pointer), offsets.ctypes.data_as(pointer),
                ctypes.c_long(len(texts)), ctypes.c_int(config.word_shingle_size),
                ctypes.c_uint64(_SALT["word"]), a.ctypes.data_as(pointer),
                b.ctypes.data_as(pointer), ctypes.c_int(config.num_perm),
                out.ctypes.data_as(pointer)))

        def c_sets() -> None:
            library.signatures_of_sets(
                shingles.ctypes.data_as(pointer), set_offsets.ctypes.data_as(pointer),
                ctypes.c_long(len(sets)), a.ctypes.data_as(pointer), b.ctypes.data_as(pointer),
                ctypes.c_int(config.num_perm), out.ctypes.data_as(pointer))

        def dedup_texts() -> None:
            for start in range(0, len(texts), 4096):
                signatures(shingle_hashes_batch(texts[start:start + 4096], config), config)

        def dedup_sets() -> None:
            signatures(sets, config)

        # The C loop tests every text for mail parts as dedup does for ASCII ones (dedup
        # takes every other text as a candidate, unread).
        c_candidates = c_texts()
        ascii_texts = [text for text in texts if text.isascii()]
        ascii_candidates = len(mail_part_candidates(ascii_texts))
        if not ascii_candidates <= c_candidates <= ascii_candidates + len(texts) - len(
                ascii_texts):
            raise AssertionError(f"the C floor found {c_candidates} mail-part candidates, "
                                 f"dedup {ascii_candidates} of the ASCII texts")
        reference = signatures(sets, config)
        ascii_rows = np.array([text.isascii() for text in texts])
        same = float((out == reference).all(axis=1)[ascii_rows].mean())
        c_sets()
        assert (out == reference).all(), "the C MinHash step must equal signatures()"
        timings: dict[str, list[float]] = {}
        for _ in range(repeats):
            for label, run in (("C text -> signatures", c_texts),
                               ("dedup text -> signatures", dedup_texts),
                               ("C MinHash step", c_sets), ("dedup MinHash step", dedup_sets)):
                started = time.process_time()
                run()
                timings.setdefault(label, []).append(time.process_time() - started)
    print(f"\n== compiled floor, {name}: {len(texts)} documents, word 5-grams, num_perm=128; "
          f"CPU time, {repeats} turns; C signatures equal dedup's on {same:.3%} of ASCII texts; "
          f"dedup's MinHash: {minhash.IMPLEMENTATION} (DEDUP_PURE_PYTHON=1 for numpy)")
    for label, seconds in timings.items():
        print(f"  {label:<28} {min(seconds):6.3f} s {len(texts) / min(seconds):9,.0f} docs/s")
    for what, ours, floor in (("text -> signatures", "dedup text -> signatures",
                               "C text -> signatures"),
                              ("MinHash step", "dedup MinHash step", "C MinHash step"),
                              ("shingling (difference)", None, None)):
        if ours is None:
            ratios = [(t - m) / (c - cm) for t, m, c, cm in zip(
                timings["dedup text -> signatures"], timings["dedup MinHash step"],
                timings["C text -> signatures"], timings["C MinHash step"], strict=True)]
        else:
            ratios = [o / f for o, f in zip(timings[ours], timings[floor], strict=True)]
        target = "  (target <= 2x)" if ours == "dedup text -> signatures" else ""
        print(f"  dedup / C floor, {what:<24} {statistics.median(ratios):5.2f}x "
              f"({min(ratios):.2f}-{max(ratios):.2f}){target}")


def datasketch_end_to_end(texts: list[str]) -> tuple[float, int]:
    """datasketch as documented: bulk MinHash, MinHashLSH, estimated Jaccard, union-find."""
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    minhashes = MinHash.bulk([[s.encode("utf-8") for s in _word_shingles(t)] for t in texts],
                             num_perm=128)
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    with lsh.insertion_session() as session:
        for key, minhash in enumerate(minhashes):
            session.insert(key, minhash, check_duplication=False)
    parent = list(range(len(texts)))

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for key, minhash in enumerate(minhashes):
        for other in lsh.query(minhash):
            if other != key and minhash.jaccard(minhashes[other]) >= 0.8:
                parent[find(other)] = find(key)
    dropped = sum(1 for i in range(len(texts)) if find(i) != i)
    return time.perf_counter() - started, dropped


def peers_end_to_end(texts: list[str]) -> None:
    print(f"\n== dedupe end to end on the same cleaned texts ({len(texts)} documents, "
          "threshold 0.8, one process)")
    started = time.perf_counter()
    ours = deduplicate([(str(i), t) for i, t in enumerate(texts)], threshold=0.8, clean=False)
    dedup_time = time.perf_counter() - started
    print(f"  dedup deduplicate(clean=False)        {dedup_time:7.2f} s  "
          f"{len(ours.duplicates)} duplicates (exact Jaccard verified)")
    seconds, dropped = datasketch_end_to_end(texts)
    print(f"  datasketch bulk + MinHashLSH          {seconds:7.2f} s  {dropped} duplicates "
          f"(MinHash estimate)   dedup is {seconds / dedup_time:.1f}x faster")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(texts, handle)
        texts_file = handle.name
    try:
        python = VENVS / "rensa" / "bin" / "python"
        if python.exists():
            result = subprocess.run([str(python), "-c", _PEER_SCRIPTS["rensa-e2e"], texts_file],
                                    capture_output=True, text=True, check=False)
            if result.returncode == 0:
                dropped_text, seconds_text = result.stdout.split()[-2:]
                seconds = float(seconds_text)
                print(f"  rensa RMinHash + RMinHashLSH          {seconds:7.2f} s  {dropped_text} "
                      f"duplicates (MinHash estimate)   dedup is {seconds / dedup_time:.1f}x "
                      "faster")
            else:
                print(f"  rensa: failed: {result.stderr.strip().splitlines()[-1:]}")
    finally:
        os.unlink(texts_file)


def end_to_end(docs: list[tuple[str, str]]) -> None:
    print(f"\n== deduplicate() end to end (clean + dedupe, threshold 0.8): {len(docs)} documents")
    timings = {}
    results = {}
    for workers in (1, 2):
        before = os.times()
        started = time.perf_counter()
        results[workers] = deduplicate(docs, threshold=0.8, workers=workers)
        timings[workers] = time.perf_counter() - started
        after = os.times()
        cpu = sum(after[:4]) - sum(before[:4])
        r = results[workers]
        print(f"  workers={workers}: {timings[workers]:6.2f} s wall, {cpu:6.2f} s CPU; "
              f"load average {os.getloadavg()[0]:.1f}; kept {len(r.keep)}, "
              f"duplicates {len(r.duplicates)}, clusters {len(r.clusters)}, empty {len(r.empty)}")
    same = results[1] == results[2]
    print(f"  results identical with 1 and 2 workers: {same}; "
          f"speed-up {timings[1] / timings[2]:.2f}x")
    started = time.perf_counter()
    for _, text in docs:
        clean(text)
    print(f"  of which cleaning alone (one process): {time.perf_counter() - started:.2f} s")


# --------------------------------------------------------------------------- memory

def memory(texts: list[str]) -> None:
    from datasketch import LeanMinHash, MinHashLSH

    print(f"\n== memory, {len(texts)} documents")
    config = DedupConfig()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.db"
        started = time.perf_counter()
        with NearDuplicateIndex.open(path, config=config) as index:
            index.add_many((f"d{i}", t) for i, t in enumerate(texts))
        elapsed = time.perf_counter() - started
        text_bytes = sum(len(t.encode("utf-8")) for t in texts)
        size = path.stat().st_size
        print(f"  SQLite index: {size / 1e6:.1f} MB file, {(size - text_bytes) / len(texts):.0f} "
              f"bytes/doc beyond the text ({text_bytes / len(texts):.0f} bytes/doc of text); "
              f"built in {elapsed:.1f} s")
    tracemalloc.start()
    in_memory = NearDuplicateIndex(config=config)
    in_memory.add_many((f"d{i}", t) for i, t in enumerate(texts))
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  in-memory index (dict buckets, the reference storage): "
          f"{current / len(texts):.0f} bytes/doc beyond the texts; "
          "NearDuplicateIndex.open(':memory:') keeps the SQLite layout in RAM")
    del in_memory
    sets = shingle_hashes_batch(texts, config)
    matrix = signatures(sets, config)
    per_doc = matrix.nbytes / len(texts)
    shingle_bytes = sum(s.nbytes for s in sets) / len(texts)
    print(f"  deduplicate() working set: signature {per_doc:.0f} bytes/doc in memory; shingle "
          f"hashes {shingle_bytes:.0f} bytes/doc in a temporary file (see --growth)")
    bands, rows = config.banding
    tracemalloc.start()
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    for i in range(len(texts)):
        lsh.insert(f"d{i}", LeanMinHash(seed=1, hashvalues=matrix[i], scheme="affine32"),
                   check_duplication=False)
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  datasketch MinHashLSH (in memory, its default banding {lsh.b}x{lsh.r}): "
          f"{current / len(texts):.0f} bytes/doc")
    del lsh
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this run: {peak:.0f} MB")
    del bands, rows


# --------------------------------------------------------------------------- growth

_GROWTH_CHILD = """
import json, resource, sys, tempfile, time
from itertools import islice
import dedup
engine, path, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
base = rss_mb()
started = time.perf_counter()
if engine == "deduplicate":
    with open(path, encoding="utf-8") as handle:
        rows = ((row["id"], row["text"]) for row in map(json.loads, islice(handle, size)))
        result = dedup.deduplicate(rows, threshold=0.8, clean=False)
    kept, duplicates = len(result.keep), len(result.duplicates)
    timings = {}
else:
    summary = dedup.run([path], out=tempfile.mkdtemp(prefix="dedup-growth-"), workers=2)
    kept, duplicates, timings = summary.kept, summary.duplicates, summary.timings
seconds = time.perf_counter() - started
own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                     resource.RUSAGE_CHILDREN))
print(json.dumps({"seconds": seconds, "base_mb": base, "kept": kept, "duplicates": duplicates,
                  "peak_mb": own.ru_maxrss / 1024, "worker_peak_mb": workers.ru_maxrss / 1024,
                  "cpu": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime,
                  "timings": timings}))
"""


def parse_sizes(text: str) -> list[int]:
    """``10k,200k,1M`` -> [10000, 200000, 1000000]."""
    scale = {"k": 1_000, "m": 1_000_000}
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        sizes.append(int(float(part[:-1]) * scale[part[-1]]) if part[-1] in scale else int(part))
    return sizes


def growth_corpus(work: Path, count: int, seed: int, reuters: str) -> Path:
    """The first ``count`` synthetic documents as one JSONL file (reused when complete)."""
    from benchmarks.spark import CORPUS_VERSION, synthetic_rows

    path = work / f"synthetic-{count}-seed{seed}-v{CORPUS_VERSION}.jsonl"
    if path.exists():
        return path
    for larger in sorted(work.glob(f"synthetic-*-seed{seed}-v{CORPUS_VERSION}.jsonl")):
        if int(larger.name.split("-")[1]) >= count:  # a smaller corpus is a prefix of a larger
            with larger.open(encoding="utf-8") as source, \
                    path.with_suffix(".part").open("w", encoding="utf-8") as target:
                target.writelines(itertools.islice(source, count))
            path.with_suffix(".part").rename(path)
            return path
    started = time.perf_counter()
    with path.with_suffix(".part").open("w", encoding="utf-8") as target:
        for row in synthetic_rows(load_reuters(reuters), count, seed):
            target.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    path.with_suffix(".part").rename(path)
    print(f"  wrote {count:,} synthetic documents in {time.perf_counter() - started:.0f} s "
          f"to {path}")
    return path


def growth(sizes: Sequence[int], engines: Sequence[str], work: Path, seed: int,
           reuters: str) -> None:
    """Print docs/s, peak RSS and RSS per document at each size, each in a fresh process."""
    work.mkdir(parents=True, exist_ok=True)
    print(f"\n== growth: synthetic corpus (seed {seed}), each size in a fresh process; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'engine':<28} {'documents':>10} {'seconds':>8} {'docs/s':>8} {'CPU s':>7} "
          f"{'peak RSS':>9} {'RSS/doc':>9} {'worker RSS':>10} {'kept':>9} {'duplicates':>10}  "
          "phases (s)")
    corpus = growth_corpus(work, max(sizes), seed, reuters)
    environment = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    for engine in engines:
        for size in sizes:
            # dedup.run reads whole files: it gets a prefix file of its own.
            path = corpus if engine == "deduplicate" else growth_corpus(work, size, seed, reuters)
            result = subprocess.run([sys.executable, "-c", _GROWTH_CHILD, engine, str(path),
                                     str(size)], capture_output=True, text=True,
                                    env=environment, check=False)
            if result.returncode != 0:
                print(f"{engine:<28} {size:>10,} failed: {result.stderr.strip()[-500:]}")
                continue
            measured = json.loads(result.stdout.strip().splitlines()[-1])
            seconds, peak = measured["seconds"], measured["peak_mb"]
            per_doc = (peak - measured["base_mb"]) * 1024 * 1024 / size
            label = ("deduplicate(clean=False)" if engine == "deduplicate"
                     else "dedup.run(workers=2)")
            workers = (f"{measured['worker_peak_mb']:8.0f}MB" if engine == "run"
                       else f"{'-':>10}")
            phases = " ".join(f"{name} {value:.1f}" for name, value
                              in measured["timings"].items())
            print(f"{label:<28} {size:>10,} {seconds:8.1f} {size / seconds:8.0f} "
                  f"{measured['cpu']:7.0f} {peak:7.0f}MB {per_doc:7.0f} B {workers} "
                  f"{measured['kept']:>9,} {measured['duplicates']:>10,}  {phases}", flush=True)
    print(f"  (load average at the end {os.getloadavg()[0]:.1f}; RSS/doc is peak RSS less the "
          "RSS after import, per document; worker RSS is the largest worker's peak; CPU s "
          "counts every process)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default=str(DEFAULT_CORPORA),
                        help="folder holding bbc-news-raw/ and reuters21578/")
    parser.add_argument("--bbc", help="BBC folder (default: CORPORA/bbc-news-raw)")
    parser.add_argument("--reuters", help="Reuters folder (default: CORPORA/reuters21578)")
    parser.add_argument("--quick", action="store_true",
                        help="quality against brute force only (no planted variants)")
    parser.add_argument("--planted", action="store_true", help="planted variants only")
    parser.add_argument("--floor", action="store_true",
                        help="only text -> signatures against the compiled floor, on Reuters")
    parser.add_argument("--originals", type=int, default=500,
                        help="planted: distinct originals per corpus (default 500)")
    parser.add_argument("--seed", type=int, default=1, help="planted: seed of every choice")
    parser.add_argument("--show-failures", type=int, default=0, metavar="N",
                        help="planted: print N failures per kind and engine")
    parser.add_argument("--check", action="store_true",
                        help="planted: exit 1 when a floor fails")
    parser.add_argument("--stores", action="store_true", help="index stores only")
    parser.add_argument("--redis-docs", type=int, default=20_000,
                        help="stores: documents added to Redis (default 20000)")
    parser.add_argument("--sqlite-docs", type=int, default=200_000,
                        help="stores: documents added to SQLite (default 200000)")
    parser.add_argument("--batch", type=int, default=1000,
                        help="stores: documents per add_many call (default 1000)")
    parser.add_argument("--redis-port", type=int,
                        help="stores: a running local Redis (default: start one)")
    parser.add_argument("--growth", metavar="SIZES",
                        help="growth table only, at these sizes (e.g. 10k,50k,200k,1M)")
    parser.add_argument("--growth-engines", default="deduplicate",
                        help="growth: deduplicate, run, or both comma-separated")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dedup-growth",
                        help="growth: folder for the synthetic corpus (reused)")
    args = parser.parse_args(argv)
    args.bbc = args.bbc or str(Path(args.corpora) / "bbc-news-raw")
    args.reuters = args.reuters or str(Path(args.corpora) / "reuters21578")

    def planted() -> int:
        passed = run_planted(bbc=Path(args.bbc), reuters=Path(args.reuters),
                             originals=args.originals, seed=args.seed, show=args.show_failures)
        return 1 if args.check and not passed else 0

    def stores() -> None:
        run_stores(reuters=Path(args.reuters), redis_docs=args.redis_docs,
                   sqlite_docs=args.sqlite_docs, batch=args.batch, redis_port=args.redis_port)

    if args.planted:
        return planted()
    if args.floor:
        compiled_floor("Reuters-21578", [text for _, text in load_reuters(args.reuters)], 5)
        return 0
    if args.stores:
        stores()
        return 0
    if args.growth:
        growth(parse_sizes(args.growth), args.growth_engines.split(","), args.work, args.seed,
               args.reuters)
        return 0
    corpora = {"BBC": (load_bbc(args.bbc), 0),
               "Reuters-21578 bodies": (load_reuters(args.reuters, with_title=False), 200),
               "Reuters-21578": (load_reuters(args.reuters), 200)}
    cleaned_texts: dict[str, list[str]] = {}
    for name, (docs, exact_min) in corpora.items():
        started = time.perf_counter()
        cleaned = [clean(text).text for _, text in docs]
        print(f"\n{name}: cleaned {len(docs)} documents in {time.perf_counter() - started:.1f} s")
        cleaned_texts[name] = cleaned
        quality(name, [i for i, _ in docs], [t for _, t in docs], cleaned, exact_min)
    if args.quick:
        return 0
    tradeoffs("Reuters-21578 bodies", cleaned_texts["Reuters-21578 bodies"])
    for name in ("BBC", "Reuters-21578"):
        speed(name, cleaned_texts[name])
        compiled_floor(name, cleaned_texts[name])
    peers_end_to_end(cleaned_texts["Reuters-21578"])
    end_to_end(corpora["Reuters-21578"][0])
    memory(cleaned_texts["Reuters-21578"])
    stores()
    return planted()


if __name__ == "__main__":
    sys.exit(main())
