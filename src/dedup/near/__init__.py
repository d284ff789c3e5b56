"""Near-duplicate detection: pure building blocks, no I/O of documents.

Stable building blocks that every engine (the reference pipeline in
``dedup.corpus``, the Spark engine) calls, so that all give identical results:

- :func:`dedup.near.shingling.shingle_hashes` / ``shingle_hashes_batch``:
  text -> sorted unique uint64 shingle hashes;
- :func:`dedup.near.minhash.signatures`: shingle arrays -> ``(n, num_perm)``
  uint32 matrix, bit-identical to datasketch's ``MinHash``;
- :func:`dedup.near.lsh.band_keys` and :func:`dedup.near.lsh.candidate_pairs`;
- :func:`dedup.near.matching.matching_text`: what of a text matching reads;
- :func:`dedup.near.decision.match_evidence_batch` (what each document brings
  to the pair rules, computed once) and :func:`dedup.near.decision.decide_pair`
  (every pair rule, in one place);
- :func:`dedup.near.cluster.verify_pairs` (exact Jaccard alone) and
  :func:`dedup.near.cluster.cluster_pairs` (union-find) and
  :func:`dedup.near.cluster.choose_representative`;
- :func:`dedup.near.exact.content_digest` for the exact-duplicate pass.
"""
