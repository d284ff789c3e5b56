"""What a corpus run decided for every input record, and the run's totals.

``manifest.jsonl`` has one :class:`ManifestEntry` per input record, in input
order: kept, a duplicate of another document (with the similarity), or
rejected (with the reason). ``summary.json`` is a :class:`RunSummary`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["ManifestEntry", "RunSummary", "Status"]

Status = Literal["kept", "duplicate", "rejected"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ManifestEntry:
    """The fate of one input record.

    >>> ManifestEntry(id="b", location="d.jsonl:2", status="duplicate", duplicate_of="a",
    ...               similarity=0.91).to_dict()["duplicate_of"]
    'a'
    """

    id: str
    location: str
    status: Status
    duplicate_of: str | None = None
    similarity: float | None = None
    kind: str | None = None
    matched: str | None = None
    matched_similarity: float | None = None
    passages: tuple[Mapping[str, object], ...] = ()
    reason: str | None = None
    detail: str = ""
    chars: int = 0
    removed_chars: int = 0

    def to_dict(self) -> dict[str, object]:
        row: dict[str, object] = {"id": self.id, "location": self.location,
                                  "status": self.status}
        if self.status == "duplicate":
            row["duplicate_of"] = self.duplicate_of
            row["similarity"] = self.similarity
            row["kind"] = self.kind
            row["matched"] = self.matched
            row["matched_similarity"] = self.matched_similarity
            if self.passages:
                row["passages"] = [dict(p) for p in self.passages]
        if self.status == "rejected":
            row["reason"] = self.reason
            row["detail"] = self.detail
        else:
            row["chars"] = self.chars
            row["removed_chars"] = self.removed_chars
        return row


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSummary:
    """Totals of one run; ``to_dict()`` is what ``summary.json`` holds.

    ``similarity_measure`` says what duplicate similarities were computed on.
    ``removed_chars_by_rule`` and ``removed_bytes_by_rule`` count what each
    rule removed from the text the rules ran on (characters, and their UTF-8
    bytes), over the documents that were read (kept and duplicates alike).
    """

    records: int
    kept: int
    duplicates: int
    rejected: int
    clusters: int
    rejected_by_reason: Mapping[str, int] = field(default_factory=dict)
    removed_chars_by_rule: Mapping[str, int] = field(default_factory=dict)
    removed_bytes_by_rule: Mapping[str, int] = field(default_factory=dict)
    input_chars: int = 0
    output_chars: int = 0
    frequent_lines: int = 0
    out: str = ""
    outputs: tuple[str, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)
    similarity_measure: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "records": self.records,
            "kept": self.kept,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "clusters": self.clusters,
            "rejected_by_reason": dict(self.rejected_by_reason),
            "removed_chars_by_rule": dict(self.removed_chars_by_rule),
            "removed_bytes_by_rule": dict(self.removed_bytes_by_rule),
            "input_chars": self.input_chars,
            "output_chars": self.output_chars,
            "frequent_lines": self.frequent_lines,
            "outputs": list(self.outputs),
            "timings_seconds": {k: round(v, 3) for k, v in self.timings.items()},
            "similarity_measure": self.similarity_measure,
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any], *, out: str = "") -> RunSummary:
        """Read back what :meth:`to_dict` wrote (a resumed run returns the summary it finds).

        >>> summary = RunSummary(records=2, kept=1, duplicates=1, rejected=0, clusters=1,
        ...                      outputs=("manifest.jsonl",), timings={"write": 0.5})
        >>> RunSummary.from_dict(summary.to_dict()) == summary
        True
        """
        return cls(
            records=values["records"], kept=values["kept"], duplicates=values["duplicates"],
            rejected=values["rejected"], clusters=values["clusters"],
            rejected_by_reason=dict(values["rejected_by_reason"]),
            removed_chars_by_rule=dict(values["removed_chars_by_rule"]),
            removed_bytes_by_rule=dict(values["removed_bytes_by_rule"]),
            input_chars=values["input_chars"], output_chars=values["output_chars"],
            frequent_lines=values["frequent_lines"], out=out,
            outputs=tuple(values["outputs"]), timings=dict(values["timings_seconds"]),
            similarity_measure=values["similarity_measure"])

    def render_text(self) -> str:
        """Return a short account for people, as the CLI prints it.

        >>> print(RunSummary(records=3, kept=2, duplicates=1, rejected=0, clusters=1,
        ...                  out="out").render_text().splitlines()[0])
        3 records: 2 kept, 1 duplicates (1 clusters), 0 rejected
        """
        lines = [f"{self.records} records: {self.kept} kept, {self.duplicates} duplicates "
                 f"({self.clusters} clusters), {self.rejected} rejected"]
        for reason, count in self.rejected_by_reason.items():
            lines.append(f"  rejected {reason}: {count}")
        if self.input_chars:
            removed = sum(self.removed_chars_by_rule.values())
            lines.append(f"removed {removed:,} of {self.input_chars:,} characters "
                         f"({100 * removed / self.input_chars:.1f}%)")
        for rule, chars in sorted(self.removed_chars_by_rule.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {rule:<28} {chars:>10,} chars")
        if self.frequent_lines:
            lines.append(f"learnt {self.frequent_lines} cross-document boilerplate lines")
        total = sum(self.timings.values())
        if total:
            lines.append(f"took {total:.2f} s ({self.records / total:,.0f} records/s)")
        if self.out:
            lines.append(f"wrote {', '.join(self.outputs)} in {self.out}")
        return "\n".join(lines)
