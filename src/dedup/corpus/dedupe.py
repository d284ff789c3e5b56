"""deduplicate(): clean, fingerprint and group a corpus; say what to keep and why.

The reference engine for near-duplicate detection. Documents stream through
in batches: each batch is cleaned (``dedup.clean``), digested, shingled and
signed; only the digest, the shingle hashes, the signature and the length of
each document are kept, never its text (unless explanations are asked for,
which need both texts of a pair). The grouping itself is
:func:`dedup.near.grouping.group_documents`, a pure function that other
engines call too.

With ``workers > 1`` the per-batch work runs in worker processes; batches come
back in input order, so results are identical to one worker.

Added in 0.1.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from typing import Literal

import numpy as np
import numpy.typing as npt

from dedup.cleaning.cleaner import clean as clean_text
from dedup.config import CleanConfig
from dedup.errors import ConfigError, DuplicateIdError, InputError
from dedup.near.cluster import choose_representative, containment, jaccard
from dedup.near.config import DedupConfig, MemberInfo
from dedup.near.decision import MatchEvidence, match_evidence_batch
from dedup.near.exact import content_digest
from dedup.near.explain import shared_passages
from dedup.near.grouping import Grouping, group_documents
from dedup.near.minhash import signatures
from dedup.near.result import Cluster, DedupResult, Duplicate, DuplicateKind, Rejection
from dedup.near.shingling import ShingleArray, shingle_hashes_batch

__all__ = [
    "DocumentInput",
    "FingerprintBatch",
    "deduplicate",
    "fingerprint_batch",
    "read_documents",
]

logger = logging.getLogger(__name__)

#: What :func:`deduplicate` accepts per document.
DocumentInput = str | tuple[str, str] | Mapping[str, object]

_DEFAULT_THRESHOLD = 0.8


@dataclass(frozen=True, slots=True, kw_only=True)
class FingerprintBatch:
    """What the grouping needs of a batch of documents, without their texts.

    ``evidence`` is each document's :class:`~dedup.near.decision.MatchEvidence`
    for the pair rules (figures; input shingles of a document cleaning reduced).
    """

    lengths: tuple[int, ...]
    digests: tuple[bytes, ...]
    is_empty: tuple[bool, ...]
    shingle_sets: tuple[ShingleArray, ...]
    signatures: npt.NDArray[np.uint32]
    texts: tuple[str, ...] = ()
    evidence: tuple[MatchEvidence, ...] = ()


def fingerprint_batch(texts: Sequence[str], config: DedupConfig, *,
                      clean_config: CleanConfig | None, keep_texts: bool = False,
                      inputs: Sequence[str] | None = None) -> FingerprintBatch:
    """Clean (unless ``clean_config`` is None) and fingerprint one batch of texts.

    The input a cleaned text is compared on when cleaning reduced it (see
    :mod:`dedup.near.decision`) is its normalized text; with
    ``clean_config=None`` the texts are taken as cleaned already, and
    ``inputs`` may give what each was cleaned from.

    >>> batch = fingerprint_batch(["a b c d e f", ""], DedupConfig(), clean_config=None)
    >>> batch.is_empty, batch.signatures.shape, batch.evidence[0].is_reduced
    ((False, True), (2, 128), False)
    """
    if clean_config is not None:
        results = [clean_text(text, config=clean_config) for text in texts]
        cleaned = [result.text for result in results]
        inputs = [result.normalized for result in results]
    else:
        cleaned = list(texts)
    if inputs is not None and len(inputs) != len(cleaned):
        raise ConfigError(f"fingerprint_batch: {len(inputs)} inputs for {len(cleaned)} texts")
    shingle_sets = shingle_hashes_batch(cleaned, config)
    return FingerprintBatch(
        lengths=tuple(len(text) for text in cleaned),
        digests=tuple(content_digest(text) for text in cleaned),
        is_empty=tuple(not text.strip() for text in cleaned),
        shingle_sets=tuple(shingle_sets),
        signatures=signatures(shingle_sets, config),
        texts=tuple(cleaned) if keep_texts else (),
        evidence=tuple(match_evidence_batch(cleaned, shingle_sets, config, inputs=inputs)),
    )


def _fingerprint_job(job: tuple[list[str], DedupConfig, CleanConfig | None, bool,
                                list[str] | None]) -> FingerprintBatch:
    texts, config, clean_config, keep_texts, inputs = job
    return fingerprint_batch(texts, config, clean_config=clean_config, keep_texts=keep_texts,
                             inputs=inputs)


def read_documents(docs: Iterable[DocumentInput], *, id_field: str = "id",
                   text_field: str = "text", rejections: list[Rejection] | None = None,
                   ) -> Iterator[tuple[str, str]]:
    """Yield ``(id, text)`` from strings (id = position), pairs or mappings; check each.

    A repeated id, a missing text or a text that is not a string raises
    :class:`~dedup.errors.InputError` naming the id, or, when ``rejections``
    is given, is appended there and skipped.

    >>> list(read_documents(["x", ("b", "y"), {"id": "c", "text": "z"}]))
    [('0', 'x'), ('b', 'y'), ('c', 'z')]
    """
    for doc_id, text, _ in _read(docs, id_field=id_field, text_field=text_field,
                                 input_field=None, rejections=rejections):
        yield doc_id, text


def _read(docs: Iterable[DocumentInput], *, id_field: str, text_field: str,
          input_field: str | None, rejections: list[Rejection] | None,
          ) -> Iterator[tuple[str, str, str | None]]:
    """:func:`read_documents`, with each mapping's ``input_field`` text (None if absent)."""
    seen: set[str] = set()
    for position, doc in enumerate(docs):
        try:
            doc_id, text = _split(position, doc, id_field, text_field)
            if doc_id in seen:
                raise DuplicateIdError(f"document id {doc_id!r} appears twice (again at "
                                       f"position {position}); ids must be unique",
                                       document_id=doc_id)
        except InputError as error:
            if rejections is None:
                raise
            rejections.append(Rejection(position=position, id=error.document_id,
                                        reason=str(error)))
            continue
        seen.add(doc_id)
        source = doc.get(input_field) if input_field and isinstance(doc, Mapping) else None
        yield doc_id, text, source if isinstance(source, str) else None


def _split(position: int, doc: DocumentInput, id_field: str,
           text_field: str) -> tuple[str, str]:
    raw_id: object
    text: object
    if isinstance(doc, str):
        return str(position), doc
    if isinstance(doc, tuple):
        if len(doc) != 2:
            raise InputError(f"document at position {position} is a tuple of {len(doc)} items; "
                             "expected (id, text)")
        raw_id, text = doc
    elif isinstance(doc, Mapping):
        raw_id = doc.get(id_field, position)
        if text_field not in doc or doc[text_field] is None:
            raise InputError(f"document {raw_id!r} has no {text_field!r} field",
                             document_id=str(raw_id))
        text = doc[text_field]
    else:
        raise InputError(f"document at position {position} is a {type(doc).__name__}; "
                         "expected a str, an (id, text) pair or a mapping")
    if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
        raise InputError(f"document at position {position} has an id of type "
                         f"{type(raw_id).__name__}; expected str or int")
    doc_id = str(raw_id)
    if text is None:
        raise InputError(f"document {doc_id!r} has no text", document_id=doc_id)
    if not isinstance(text, str):
        raise InputError(f"document {doc_id!r} has a text of type {type(text).__name__}; "
                         "expected str", document_id=doc_id)
    return doc_id, text


def _batches(records: Iterator[tuple[str, str, str | None]], size: int,
             ids: list[str]) -> Iterator[tuple[list[str], list[str] | None]]:
    """Yield texts and, when every record of the batch has one, their inputs."""
    while True:
        chunk = list(islice(records, size))
        if not chunk:
            return
        ids.extend(doc_id for doc_id, _, _ in chunk)
        texts = [text for _, text, _ in chunk]
        inputs = [text if source is None else source for _, text, source in chunk]
        yield texts, (inputs if any(source is not None for _, _, source in chunk) else None)


def _resolve_config(threshold: float | None, config: DedupConfig | None) -> DedupConfig:
    if config is None:
        return DedupConfig(threshold=_DEFAULT_THRESHOLD if threshold is None else threshold)
    if threshold is not None and threshold != config.threshold:
        raise ConfigError(f"deduplicate(threshold={threshold!r}) disagrees with "
                          f"config.threshold={config.threshold!r}; give one of them")
    return config


def deduplicate(docs: Iterable[DocumentInput], *, threshold: float | None = None,
                config: DedupConfig | None = None, clean: bool | CleanConfig = True,
                explain: bool = False, workers: int = 1, batch_size: int = 2048,
                id_field: str = "id", text_field: str = "text", input_field: str | None = None,
                on_error: Literal["raise", "record"] = "raise") -> DedupResult:
    """Find exact and near-duplicate documents; say which to keep and why.

    Args:
        docs: strings (their ids are their positions, as strings), ``(id,
            text)`` pairs, or mappings with ``id_field`` and ``text_field``.
        threshold: minimum exact Jaccard similarity of shingle sets (0.8 by
            default); or give a full ``config``.
        config: every near-duplicate option (:class:`DedupConfig`).
        clean: clean each text with :func:`dedup.clean` first (``True``, or
            the :class:`~dedup.config.CleanConfig` to clean with); ``False``
            to match texts as given.
        explain: attach the passages each duplicate shares with the kept
            document (keeps texts in memory).
        workers: processes for cleaning and fingerprinting; results are
            identical for any number.
        batch_size: documents per batch.
        id_field, text_field: field names in mapping inputs.
        input_field: with ``clean=False``, the field of mapping inputs that
            holds the text each document was cleaned from (its normalized
            input), so that a document cleaning reduced is also compared on
            its input (``DedupConfig.reduced_share``). With cleaning, the
            input is known and this is not needed.
        on_error: ``"raise"`` an :class:`~dedup.errors.InputError` naming the
            document, or ``"record"`` it in ``rejections`` and go on.

    Raises:
        InputError: a repeated id (:class:`~dedup.errors.DuplicateIdError`),
            a missing or non-string text (with ``on_error="raise"``).
        ConfigError: conflicting or invalid options.

    >>> result = deduplicate([("a", "The cat sat on the mat all day long, purring softly."),
    ...                       ("b", "The cat sat on the mat all day long, purring softly!"),
    ...                       ("c", "Markets fell sharply in early trading on Tuesday.")])
    >>> result.keep, [(d.id, d.duplicate_of, d.similarity) for d in result.duplicates]
    (('a', 'c'), [('b', 'a', 1.0)])

    Added in 0.1.
    """
    config = _resolve_config(threshold, config)
    if workers < 1:
        raise ConfigError(f"deduplicate(workers={workers!r}) is invalid: expected >= 1")
    if batch_size < 1:
        raise ConfigError(f"deduplicate(batch_size={batch_size!r}) is invalid: expected >= 1")
    if on_error not in ("raise", "record"):
        raise ConfigError(f"deduplicate(on_error={on_error!r}) is invalid: "
                          "expected 'raise' or 'record'")
    clean_config: CleanConfig | None
    if clean is True:
        clean_config = CleanConfig(explain=False)
    elif isinstance(clean, CleanConfig):
        clean_config = clean
    elif clean is False:
        clean_config = None
    else:
        raise ConfigError(f"deduplicate(clean={clean!r}) is invalid: expected a bool or "
                          "a CleanConfig")
    rejections: list[Rejection] = []
    ids: list[str] = []
    if input_field is not None and clean_config is not None:
        raise ConfigError("deduplicate(input_field=...) is for clean=False: with cleaning, "
                          "each document's input is the text given")
    records = _read(docs, id_field=id_field, text_field=text_field, input_field=input_field,
                    rejections=rejections if on_error == "record" else None)
    # Workers never choose representatives; a key callable (often a lambda)
    # need not be picklable.
    worker_config = replace(config, representative="first")
    jobs = ((texts, worker_config, clean_config, explain, inputs)
            for texts, inputs in _batches(records, batch_size, ids))
    if workers == 1:
        batches = [_fingerprint_job(job) for job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            batches = list(pool.map(_fingerprint_job, jobs))
    lengths = [n for batch in batches for n in batch.lengths]
    digests = [d for batch in batches for d in batch.digests]
    is_empty = [e for batch in batches for e in batch.is_empty]
    shingle_sets = [s for batch in batches for s in batch.shingle_sets]
    texts = [t for batch in batches for t in batch.texts]
    evidence = [e for batch in batches for e in batch.evidence]
    matrix = (np.concatenate([batch.signatures for batch in batches]) if batches
              else np.empty((0, config.num_perm), dtype=np.uint32))
    del batches
    grouping = group_documents(digests, shingle_sets, matrix, config, is_empty=is_empty,
                               evidence=evidence)
    result = _assemble(ids, lengths, digests, is_empty, shingle_sets, texts, grouping, config)
    logger.info("deduplicate: %d documents, %d kept, %d duplicates in %d clusters, %d empty",
                len(ids), len(result.keep), len(result.duplicates), len(result.clusters),
                len(result.empty))
    measure = config.similarity_measure + ("; of the cleaned text" if clean_config is not None
                                           else "; of the text as given")
    return replace(result, rejections=tuple(rejections), similarity_measure=measure)


def _assemble(ids: list[str], lengths: list[int], digests: list[bytes], is_empty: list[bool],
              shingle_sets: list[ShingleArray], texts: list[str], grouping: Grouping,
              config: DedupConfig) -> DedupResult:
    """Turn index-level groups into id-level records with representatives and evidence."""
    best: dict[int, tuple[float, int, DuplicateKind]] = {}

    def offer(item: int, other: int, similarity: float, kind: DuplicateKind) -> None:
        current = best.get(item)
        if current is None or similarity > current[0]:
            best[item] = (similarity, other, kind)

    for (left, right), similarity in zip(grouping.pairs.tolist(),
                                         grouping.similarities.tolist(), strict=True):
        offer(left, right, similarity, "near")
        offer(right, left, similarity, "near")
    for (part, whole), score in zip(grouping.contained.tolist(),
                                    grouping.containments.tolist(), strict=True):
        offer(part, whole, score, "containment")
        offer(whole, part, score, "containment")
    for item, head in enumerate(grouping.same_set_of):
        if head not in (-1, item):
            offer(item, head, 1.0, "near")
            offer(head, item, 1.0, "near")
    for item, head in enumerate(grouping.exact_of):
        if head not in (-1, item):
            best[item] = (1.0, head, "exact")
            offer(head, item, 1.0, "exact")

    dropped: dict[int, Duplicate] = {}
    clusters: list[Cluster] = []
    for component in grouping.components:
        infos = [MemberInfo(id=ids[i], position=i, length=lengths[i]) for i in component.members]
        keep = choose_representative(infos, config).position
        similarities: list[float] = []
        for member in component.members:
            kind: DuplicateKind
            if member == keep or grouping.exact_of[member] == grouping.exact_of[keep]:
                similarity, kind = 1.0, "exact"
            else:
                similarity = jaccard(shingle_sets[member], shingle_sets[keep])
                kind = "near"
                if config.containment is not None and shingle_sets[member].size < (
                        shingle_sets[keep].size):
                    contained = containment(shingle_sets[member], shingle_sets[keep])
                    if similarity < config.threshold and contained >= config.containment:
                        similarity, kind = contained, "containment"
            similarities.append(similarity)
            if member == keep:
                continue
            matched_similarity, matched, _ = best.get(member, (similarity, keep, kind))
            if kind == "exact":
                matched, matched_similarity = keep, 1.0
            passages = (shared_passages(texts[member], texts[keep]) if texts else ())
            dropped[member] = Duplicate(
                id=ids[member], duplicate_of=ids[keep], similarity=similarity, kind=kind,
                matched=ids[matched], matched_similarity=matched_similarity, passages=passages)
        clusters.append(Cluster(representative=ids[keep],
                                members=tuple(ids[m] for m in component.members),
                                similarities=tuple(similarities)))
    empty_ids = tuple(ids[i] for i in range(len(ids))
                      if is_empty[i] and i not in dropped and grouping.exact_of[i] == -1)
    empty_set = set(empty_ids)
    return DedupResult(
        keep=tuple(ids[i] for i in range(len(ids)) if i not in dropped and ids[i] not in empty_set),
        duplicates=tuple(dropped[i] for i in sorted(dropped)),
        clusters=tuple(clusters),
        empty=empty_ids,
        config=config,
    )
