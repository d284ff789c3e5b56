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
import numbers
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence, Sized
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from typing import Literal

import numpy as np
import numpy.typing as npt

from dedup.cleaning.cleaner import clean as clean_text
from dedup.config import CleanConfig
from dedup.corpus.fingerprints import FingerprintStore, StoredFingerprints
from dedup.corpus.frames import Frame, document_rows
from dedup.corpus.progress import Phase, Progress, Tracker, progress_factory
from dedup.document import Rejection
from dedup.errors import ConfigError, DuplicateIdError, InputError
from dedup.near.config import DedupConfig, MemberInfo
from dedup.near.decision import MatchEvidence, figures_conflict, match_evidence_batch
from dedup.near.exact import content_digest
from dedup.near.explain import shared_passages
from dedup.near.grouping import Grouping, group_documents, links_of
from dedup.near.keep import assemble, member_link, settle
from dedup.near.minhash import signatures
from dedup.near.result import DedupResult, DuplicateKind
from dedup.near.shingling import ShingleArray, shingle_hashes_batch

__all__ = [
    "DocumentInput",
    "FingerprintBatch",
    "deduplicate",
    "fingerprint_batch",
    "group_fingerprints",
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


def read_documents(docs: Iterable[DocumentInput] | Frame, *, id_field: str = "id",
                   text_field: str = "text", rejections: list[Rejection] | None = None,
                   ) -> Iterator[tuple[str, str]]:
    """Yield ``(id, text)`` from strings (id = position), pairs, mappings or frame rows.

    A pandas or polars DataFrame, an Arrow table or a Hugging Face ``Dataset``
    is read row by row (see :mod:`dedup.corpus.frames`), each row a mapping:
    without an ``id_field`` column, a row's id is its position, as for any
    mapping without one. A repeated id, a missing text or a text that is not a
    string raises :class:`~dedup.errors.InputError` naming the id, or, when
    ``rejections`` is given, is appended there and skipped.

    Raises:
        TypeError: ``docs`` is one text, one mapping, one column or not
            iterable (checked before anything is read).
        InputError: a frame has no ``text_field`` column.

    >>> list(read_documents(["x", ("b", "y"), {"id": "c", "text": "z"}]))
    [('0', 'x'), ('b', 'y'), ('c', 'z')]
    """
    rows = document_rows(docs, text_field=text_field, id_field=id_field, columns="needed",
                         caller="deduplicate")
    for doc_id, text, _ in _read(rows, id_field=id_field, text_field=text_field,
                                 input_field=None, rejections=rejections):
        yield doc_id, text


def _read(docs: Iterable[object], *, id_field: str, text_field: str,
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
            where = f"position {position}"
            rejections.append(Rejection(id=error.document_id or where, location=where,
                                        reason=error.reason,  # type: ignore[arg-type]
                                        detail=str(error)))
            continue
        seen.add(doc_id)
        source = doc.get(input_field) if input_field and isinstance(doc, Mapping) else None
        yield doc_id, text, source if isinstance(source, str) else None


def _split(position: int, doc: object, id_field: str,
           text_field: str) -> tuple[str, str]:
    raw_id: object
    text: object
    if isinstance(doc, str):
        return str(position), doc
    if isinstance(doc, tuple):
        if len(doc) != 2:
            raise InputError(f"document at position {position} is a tuple of {len(doc)} items; "
                             "expected (id, text)", reason="not_an_object")
        raw_id, text = doc
    elif isinstance(doc, Mapping):
        raw_id = doc.get(id_field, position)
        if text_field not in doc or doc[text_field] is None:
            raise InputError(f"document {raw_id!r} has no {text_field!r} field",
                             document_id=str(raw_id), reason="missing_text")
        text = doc[text_field]
    else:
        raise InputError(f"document at position {position} is a {type(doc).__name__}; "
                         "expected a str, an (id, text) pair or a mapping",
                         reason="not_an_object")
    if not isinstance(raw_id, (str, numbers.Integral)) or isinstance(raw_id, bool):
        raise InputError(f"document at position {position} has an id of type "
                         f"{type(raw_id).__name__}; expected str or int", reason="invalid_id")
    # numbers.Integral: a numpy integer from a frame's id column is an int id too.
    doc_id = raw_id if isinstance(raw_id, str) else str(int(raw_id))
    if text is None:
        raise InputError(f"document {doc_id!r} has no text", document_id=doc_id,
                         reason="missing_text")
    if not isinstance(text, str):
        raise InputError(f"document {doc_id!r} has a text of type {type(text).__name__}; "
                         "expected str", document_id=doc_id, reason="non_string_text")
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


def deduplicate(docs: Iterable[DocumentInput] | Frame, *, threshold: float | None = None,
                config: DedupConfig | None = None, clean: bool | CleanConfig = True,
                explain: bool = False, workers: int = 1, batch_size: int = 2048,
                id_field: str = "id", text_field: str = "text", input_field: str | None = None,
                on_error: Literal["raise", "record"] = "raise",
                progress: Progress = False) -> DedupResult:
    """Find exact and near-duplicate documents; say which to keep and why.

    Args:
        docs: strings (their ids are their positions, as strings), ``(id,
            text)`` pairs, mappings with ``id_field`` and ``text_field``, or
            a pandas or polars DataFrame, an Arrow ``Table``/``RecordBatch``
            or a Hugging Face ``Dataset`` with those columns (read in chunks;
            without an ``id_field`` column a row's id is its position).
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
        id_field, text_field: field (column) names in mapping and frame inputs.
        input_field: with ``clean=False``, the field of mapping inputs that
            holds the text each document was cleaned from (its normalized
            input), so that a document cleaning reduced is also compared on
            its input (``DedupConfig.reduced_share``). With cleaning, the
            input is known and this is not needed.
        on_error: ``"raise"`` an :class:`~dedup.errors.InputError` naming the
            document, or ``"record"`` it in ``rejections`` and go on.
        progress: ``True`` for a bar on stderr while the documents are
            cleaned and fingerprinted (its total is ``len(docs)`` when
            ``docs`` has one), or a factory of trackers (see
            :mod:`dedup.corpus.progress`). Nothing by default. Added in 0.2.

    Raises:
        TypeError: ``docs`` is not a corpus: one ``str`` or ``bytes``, one
            mapping, one column (a pandas or polars ``Series``, an Arrow or
            numpy array), a polars ``LazyFrame``, or not iterable.
        InputError: a repeated id (:class:`~dedup.errors.DuplicateIdError`),
            a missing or non-string text (with ``on_error="raise"``); a frame
            without a ``text_field`` column (always).
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
    bars = progress_factory(progress)
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
    rows = document_rows(docs, text_field=text_field, id_field=id_field,
                         columns="all" if input_field else "needed", caller="deduplicate")
    records = _read(rows, id_field=id_field, text_field=text_field, input_field=input_field,
                    rejections=rejections if on_error == "record" else None)
    # Workers never choose representatives; a key callable (often a lambda)
    # need not be picklable.
    worker_config = replace(config, representative="first")
    jobs = ((texts, worker_config, clean_config, explain, inputs)
            for texts, inputs in _batches(records, batch_size, ids))
    total = len(docs) if isinstance(docs, Sized) else None
    bar: Tracker | None = None

    def counted(batches: Iterator[FingerprintBatch]) -> Iterator[FingerprintBatch]:
        nonlocal bar
        for batch in batches:
            if bar is None:
                # Made once the pool's processes run, so no bar's thread is forked.
                bar = bars(Phase(name="fingerprint", unit="documents", total=total))
            yield batch
            bar.update(len(batch.lengths))
        if bar is None:
            bar = bars(Phase(name="fingerprint", unit="documents", total=total))
        bar.update(len(rejections))  # read and set aside: done with too
        bar.close()

    result = group_fingerprints(ids, counted(_fingerprinted(jobs, workers)), config)
    logger.info("deduplicate: %d documents, %d kept, %d duplicates in %d clusters, %d empty",
                len(ids), len(result.keep), len(result.duplicates), len(result.clusters),
                len(result.empty))
    return replace(result, rejections=tuple(rejections),
                   similarity_measure=config.measure_of(cleaned=clean_config is not None))


def group_fingerprints(ids: Sequence[str], batches: Iterable[FingerprintBatch],
                       config: DedupConfig) -> DedupResult:
    """Group fingerprinted batches, given in input order; ``ids`` are their documents' ids.

    The grouping half of :func:`deduplicate`, for a caller that fingerprints
    where its texts already are (the corpus job does it in the workers that
    finish each batch, so the texts are not read and sent again). ``ids`` is
    read only once every batch is in: it may grow while ``batches`` is read.
    """
    with FingerprintStore(num_perm=config.num_perm) as store:
        texts: list[str] = []
        for batch in batches:
            store.add(batch)
            texts.extend(batch.texts)
        stored = store.finish()
        grouping = group_documents(stored.digests, stored.shingle_sets, stored.signatures,
                                   config, is_empty=stored.is_empty, evidence=stored.evidence,
                                   set_digests=stored.set_digests,
                                   input_digests=stored.input_digests)
        return _assemble(list(ids), stored, texts, grouping, config)


def _fingerprinted(jobs: Iterator[tuple[list[str], DedupConfig, CleanConfig | None, bool,
                                         list[str] | None]],
                   workers: int) -> Iterator[FingerprintBatch]:
    """Yield each batch's fingerprints in input order, with ``workers`` processes.

    At most two batches per worker are in flight, so the texts of a corpus
    are never all in memory (``Executor.map`` would submit every batch at once).
    """
    if workers == 1:
        yield from map(_fingerprint_job, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[FingerprintBatch]] = deque()
        for job in jobs:
            pending.append(pool.submit(_fingerprint_job, job))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _assemble(ids: list[str], stored: StoredFingerprints, texts: list[str], grouping: Grouping,
              config: DedupConfig) -> DedupResult:
    """Turn index-level groups into id-level records with representatives and evidence."""
    shingle_sets, evidence, is_empty = stored.shingle_sets, stored.evidence, stored.is_empty
    lengths = stored.lengths
    links = links_of(grouping)
    infos = {i: MemberInfo(id=ids[i], position=i, length=int(lengths[i]))
             for component in grouping.components for i in component.members}
    exact_head = {i: grouping.exact_of[i] if grouping.exact_of[i] != -1 else i for i in infos}

    def score(pairs: Sequence[tuple[int, int]],
              ) -> tuple[dict[tuple[int, int], tuple[float, DuplicateKind]], frozenset[int]]:
        found = {(member, keep): member_link(shingle_sets[member], shingle_sets[keep],
                                             same_text=False, config=config)
                 for member, keep in pairs}
        apart = frozenset(member for member, keep in pairs
                          if figures_conflict(evidence[member], evidence[keep], config))
        return found, apart

    components, keeps, scored = settle(grouping.components, links, infos, exact_head, config,
                                       score)
    decision = assemble(
        components, keeps, links, ids=dict(enumerate(ids)), exact_head=exact_head,
        links_to_kept=scored,
        passages=(lambda member, keep: shared_passages(texts[member], texts[keep]))
        if texts else None)
    dropped = decision.dropped
    empty_ids = tuple(ids[i] for i in range(len(ids))
                      if is_empty[i] and i not in dropped and grouping.exact_of[i] == -1)
    empty_set = set(empty_ids)
    return DedupResult(
        keep=tuple(ids[i] for i in range(len(ids)) if i not in dropped and ids[i] not in empty_set),
        duplicates=decision.duplicates,
        clusters=decision.clusters,
        empty=empty_ids,
        config=config,
    )
