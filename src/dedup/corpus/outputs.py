"""The run's outputs: documents, manifest, summary and report, from the final rows.

One pass over the final rows in ordinal order writes ``manifest.jsonl`` (every
record) and the kept documents (JSONL or Parquet) together, counts what the
summary needs, and hands each row to the report writer
(:mod:`dedup.corpus.report_pages`), which writes ``report.html`` and ``report/`` last.
"""

from __future__ import annotations

import collections
import dataclasses
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from dedup.corpus import io
from dedup.corpus.crossdoc import BoilerplateModel
from dedup.corpus.duplicates import DuplicateFindings
from dedup.corpus.folder import OutputFolder
from dedup.corpus.io import import_pyarrow
from dedup.corpus.manifest import ManifestEntry, RunSummary
from dedup.corpus.progress import Tracker
from dedup.corpus.report_pages import REPORT_DIR, REPORT_ENTRY, ReportWriter
from dedup.corpus.rowfiles import row_writer
from dedup.corpus.spill import removals_from_rows
from dedup.corpus.steps import Row, RunConfig, is_rejected, row_text

__all__ = ["finish_run", "import_pyarrow", "write_documents", "write_outputs"]

def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def _entry(row: Mapping[str, object], findings: DuplicateFindings) -> ManifestEntry:
    document_id = str(row["id"])
    location = str(row["loc"])
    if "reason" in row:
        return ManifestEntry(id=document_id, location=location, status="rejected",
                             reason=str(row["reason"]), detail=str(row.get("detail", "")))
    text = str(row["t"])
    removed = len(str(row["n"])) - len(text)  # "t" is added by write_outputs
    duplicate = findings.duplicates.get(document_id)
    if duplicate is not None:
        return ManifestEntry(id=document_id, location=location, status="duplicate",
                             duplicate_of=duplicate.duplicate_of,
                             similarity=round(duplicate.similarity, 4), kind=duplicate.kind,
                             matched=duplicate.matched,
                             matched_similarity=round(duplicate.matched_similarity, 4),
                             passages=tuple(p.to_dict() for p in duplicate.passages),
                             chars=len(text), removed_chars=removed)
    return ManifestEntry(id=document_id, location=location, status="kept", chars=len(text),
                         removed_chars=removed)


def _document_row(row: Mapping[str, object], config: RunConfig) -> dict[str, object]:
    extras = row.get("x")
    document: dict[str, object] = {config.id_field: row["id"], config.text_field: row["t"]}
    if isinstance(extras, Mapping):
        document.update(extras)
    document["dedup"] = {
        "location": row["loc"],
        "metadata": row.get("m"),
        "removals": [{"start": s, "end": e, "rule": rule, "detail": detail}
                     for s, e, rule, detail in row["r"]],  # type: ignore[attr-defined]
    }
    return document


def finish_run(folder: OutputFolder, rows: Iterable[Row], findings: DuplicateFindings,
               model: BoilerplateModel, config: RunConfig, *, progress: Tracker,
               timings: dict[str, float],
               documents_apart: Callable[[Path], Callable[[], None]] | None = None,
               ) -> RunSummary:
    """Step *write*, for every engine: write the outputs, stage the summary, commit the folder.

    ``timings`` gains ``write``; the returned summary carries them all.
    ``documents_apart``, for an engine that can read its rows twice: called
    with the staging folder, it starts :func:`write_documents` there (in
    another process) and returns what waits for it; ``rows`` then go to the
    report and the summary only.
    """
    started = time.perf_counter()
    into = folder.start_outputs()
    if documents_apart is None:
        summary = write_outputs(folder.out, rows, findings, model, config, progress=progress,
                                into=into)
    else:
        written = documents_apart(into)
        summary = write_outputs(folder.out, rows, findings, model, config, progress=progress,
                                into=into, documents=False)
        written()
    timings["write"] = time.perf_counter() - started
    summary = dataclasses.replace(summary, timings=timings)
    folder.stage_summary(summary)
    folder.commit(summary.outputs)
    return summary


def _entries(rows: Iterable[Row], findings: DuplicateFindings
             ) -> Iterator[tuple[Row, ManifestEntry]]:
    """Give each final row its text after removals (``t``) and its manifest entry."""
    for row in rows:
        if not is_rejected(row):
            row["t"] = row_text(row)
        row.pop("lines", None)
        yield row, _entry(row, findings)


def _documents_name(config: RunConfig) -> str:
    return "documents.parquet" if config.output_format == "parquet" else "documents.jsonl"


def _write_documents(into: Path, entries: Iterable[tuple[Row, ManifestEntry]],
                     config: RunConfig) -> None:
    """Write ``manifest.jsonl`` (every entry) and the kept documents, in one pass."""
    with io.atomic_writer(into / "manifest.jsonl") as manifest:
        def kept_documents() -> Iterator[dict[str, object]]:
            for row, entry in entries:
                manifest.write(io.json_line(entry.to_dict()))
                if entry.status == "kept":
                    yield _document_row(row, config)
        if config.output_format == "parquet":
            with row_writer(into / _documents_name(config), "parquet") as writer:
                for document in kept_documents():
                    writer.write(document)
        else:
            io.write_jsonl(into / _documents_name(config), kept_documents())


def write_documents(into: Path, rows: Iterable[Row], findings: DuplicateFindings,
                    config: RunConfig) -> None:
    """Write the documents and ``manifest.jsonl`` alone, for ``write_outputs(documents=False)``.

    An engine that can read its final rows twice runs this in another process
    while :func:`write_outputs` writes the report and counts the summary from
    the same rows: the two halves of the write step at once, the same files.
    """
    _write_documents(into, _entries(rows, findings), config)


def write_outputs(out: Path, rows: Iterable[Row], findings: DuplicateFindings,
                  model: BoilerplateModel, config: RunConfig, *, progress: Tracker,
                  into: Path | None = None, documents: bool = True) -> RunSummary:
    """Write manifest, documents and report from the final rows in ordinal order.

    Every engine writes its outputs here, so they are the same files. They go
    to ``into`` (the run's staging folder, see :mod:`dedup.corpus.folder`) when
    given, else to ``out``; the summary names ``out`` either way. The summary
    is returned, not written: ``summary.json`` is the engine's last write.
    ``progress`` hears of every row written. ``documents=False`` leaves the
    documents and the manifest to :func:`write_documents`, called by the
    engine on the same rows.
    """
    into = into or out
    report = ReportWriter(into, findings=findings, documents_per_page=config.report_documents,
                          clusters_per_page=config.report_clusters)
    counts = collections.Counter[str]()
    rejected = collections.Counter[str]()
    removed_by_rule = collections.Counter[str]()
    removed_bytes = collections.Counter[str]()
    input_chars = output_chars = 0

    def tallied() -> Iterator[tuple[Row, ManifestEntry]]:
        nonlocal input_chars, output_chars
        for row, entry in _entries(rows, findings):
            progress.update(1)
            counts[entry.status] += 1
            if entry.status == "rejected":
                rejected[str(entry.reason)] += 1
            if "n" in row:
                normalized = str(row["n"])
                removals = removals_from_rows(row["r"])
                report.add(row, entry, removals)
                input_chars += len(normalized)
                for removal in removals:
                    removed_by_rule[removal.rule] += removal.end - removal.start
                    removed_bytes[removal.rule] += _utf8_length(
                        normalized[removal.start:removal.end])
            else:
                report.add(row, entry, ())
            if entry.status == "kept":
                output_chars += entry.chars
            yield row, entry
        progress.close()

    if documents:
        _write_documents(into, tallied(), config)
    else:
        collections.deque(tallied(), maxlen=0)

    summary = RunSummary(
        records=sum(counts.values()), kept=counts["kept"], duplicates=counts["duplicate"],
        rejected=counts["rejected"], clusters=len(findings.clusters),
        rejected_by_reason=dict(sorted(rejected.items())),
        removed_chars_by_rule=dict(sorted(removed_by_rule.items())),
        removed_bytes_by_rule=dict(sorted(removed_bytes.items())),
        input_chars=input_chars, output_chars=output_chars,
        frequent_lines=model.frequent_line_count, out=out.as_posix(),
        outputs=(_documents_name(config), "manifest.jsonl", "summary.json", REPORT_ENTRY,
                 REPORT_DIR),
        similarity_measure=findings.similarity_measure)
    report.finish(summary, model)
    return summary



