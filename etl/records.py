"""Typed records passed between the stages. Plain data: no behaviour beyond conversion."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Field order of a fact as spec/facts.md names it; exports use exactly these names.
FACT_FIELDS = (
    "doc", "province", "place", "level", "year", "period", "indicator",
    "kind", "comparator", "value", "unit", "evidence",
)
LEVELS = ("province", "district", "commune")
PERIODS = ("year", "Q1", "Q2", "Q3", "Q4", "H1", "9M", "YTD")
KINDS = ("target", "actual")
COMPARATORS = ("=", ">=", ">", "<=", "<", "~")
UNITS = ("percent", "count", "rank", "score")
NATIONAL = "Cả nước"


@dataclass(frozen=True)
class Report:
    """One file after the read stage: normalised text plus what the file itself says about it."""

    file: str                      # file name, the `doc` of its facts
    content_hash: str              # sha256 of the raw bytes
    text: str                      # NFC, spaces normalised; offsets of facts point into this
    format: str                    # txt, md, html, pdf, docx
    encoding: str | None = None    # for text files: the detected encoding
    title: str | None = None       # from the file itself (HTML <title>, docx core properties)
    published: date | None = None  # from the file itself (HTML meta), when present
    warnings: tuple[str, ...] = ()


STAGES = ("read", "settle", "extract")     # the stages one report goes through before it is loaded


@dataclass(frozen=True)
class Skipped:
    """A report left out of the run, with the reason shown to the user: a file that cannot be read (error
    None), or one that raised inside a stage (error: the exception's type; reason: its message)."""

    file: str
    reason: str
    stage: str = "read"            # one of STAGES: where it stopped
    error: str | None = None       # type of the exception raised inside the stage, None for a file's own fault


@dataclass(frozen=True)
class ManifestEntry:
    file: str
    title: str | None = None
    published: date | None = None
    province: str | None = None
    place: str | None = None
    source: str | None = None


@dataclass
class Document:
    """A report with its metadata settled: manifest first, then what the text says."""

    doc_hash: str
    file: str
    text: str
    format: str
    encoding: str | None
    title: str | None
    published: date | None
    province: str | None
    place: str | None
    source: str | None
    year: int | None               # the year the report is about, when it can be told
    warnings: list[str] = field(default_factory=list)
    # the text's matching key (etl.normalize.match_key), computed once when the document is settled and
    # carried to every stage that matches words (places, cues, figures); same length and offsets as text
    key: str | None = field(default=None, repr=False, compare=False)


@dataclass
class Fact:
    doc: str
    province: str | None
    place: str | None
    level: str
    year: int | None
    period: str
    indicator: str
    kind: str
    comparator: str
    value: float
    unit: str
    evidence: str
    start: int                     # character offsets of `evidence` in the document's text
    end: int
    denominator: float | None = None   # "1.048/1.383": the 1.383
    label: str | None = None           # other:<label> facts: the report's own words for what is measured

    def export(self) -> dict:
        """The fact with the field names of spec/facts.md, plus offsets."""
        row = {k: getattr(self, k) for k in FACT_FIELDS}
        row["start"], row["end"] = self.start, self.end
        if row["value"] == int(row["value"]):
            row["value"] = int(row["value"])
        return row


@dataclass(frozen=True)
class QualityFlag:
    """A place where a report's own figures disagree, kept beside the facts, not instead of them."""

    file: str
    flag: str
    message: str
    start: int | None = None
    end: int | None = None
