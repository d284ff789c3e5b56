"""Near-duplicate benchmark: quality against brute force, speed against peers, memory.

Run from the repository root::

    PYTHONPATH=src python benchmarks/near_dup.py            # everything
    PYTHONPATH=src python benchmarks/near_dup.py --quick    # quality only

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
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from benchmarks.corpora import DEFAULT_CORPORA, load_bbc, load_reuters

from dedup import DedupConfig, NearDuplicateIndex, clean, deduplicate
from dedup.near.cluster import jaccard
from dedup.near.exact import content_digest
from dedup.near.grouping import Grouping, group_documents
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
    # Exact clusters of the raw corpus (identical texts, long enough to matter).
    by_text: dict[str, list[int]] = {}
    for index, text in enumerate(raw):
        if len(text.strip()) > exact_min_chars:
            by_text.setdefault(text.strip(), []).append(index)
    exact_clusters = [members for members in by_text.values() if len(members) > 1]
    print(f"\n== {name}: {n} documents, {sum(s.size for s in sets) / n:.0f} shingles/doc; "
          f"fingerprints {fingerprint_time:.2f} s; brute-force truth {truth_time:.1f} s "
          f"({len(truth_all)} pairs >= {min(THRESHOLDS)}); "
          f"{len(exact_clusters)} exact clusters (> {exact_min_chars} chars)")
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


def end_to_end(docs: list[tuple[str, str]]) -> None:
    print(f"\n== deduplicate() end to end (clean + dedupe, threshold 0.8): {len(docs)} documents")
    timings = {}
    results = {}
    for workers in (1, 2):
        started = time.perf_counter()
        results[workers] = deduplicate(docs, threshold=0.8, workers=workers)
        timings[workers] = time.perf_counter() - started
        r = results[workers]
        print(f"  workers={workers}: {timings[workers]:6.2f} s  kept {len(r.keep)}, "
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
    sets = shingle_hashes_batch(texts, config)
    matrix = signatures(sets, config)
    per_doc = matrix.nbytes / len(texts)
    shingle_bytes = sum(s.nbytes for s in sets) / len(texts)
    print(f"  deduplicate() working set: signature {per_doc:.0f} + shingle hashes "
          f"{shingle_bytes:.0f} bytes/doc")
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bbc", default=str(DEFAULT_CORPORA / "bbc-news-raw"))
    parser.add_argument("--reuters", default=str(DEFAULT_CORPORA / "reuters21578"))
    parser.add_argument("--quick", action="store_true", help="quality only")
    args = parser.parse_args(argv)
    corpora = {"BBC": (load_bbc(args.bbc), 0), "Reuters-21578": (load_reuters(args.reuters), 200)}
    cleaned_texts: dict[str, list[str]] = {}
    for name, (docs, exact_min) in corpora.items():
        started = time.perf_counter()
        cleaned = [clean(text).text for _, text in docs]
        print(f"\n{name}: cleaned {len(docs)} documents in {time.perf_counter() - started:.1f} s")
        cleaned_texts[name] = cleaned
        quality(name, [i for i, _ in docs], [t for _, t in docs], cleaned, exact_min)
    if args.quick:
        return 0
    for name, texts in cleaned_texts.items():
        speed(name, texts)
    end_to_end(corpora["Reuters-21578"][0])
    memory(cleaned_texts["Reuters-21578"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
