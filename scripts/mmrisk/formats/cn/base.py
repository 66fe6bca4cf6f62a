"""What every copy-number reader shares: its records, its per-file state and its table helpers.

- :class:`RawSegment`: one segment as a reader yields it (chromosome as the file writes it, the
  caller's absolute copies where the file has them, else ``None`` and the log2 ratio);
- :class:`Segment`: the checked segment the shared step makes of it (canonical chromosome, clipped
  to the chromosome, copies in the tumour cells, low-confidence flag) — see :mod:`mmrisk.formats.cn`;
- :class:`Reading`: one file being read: path, declared build, wanted sample, the problems found so
  far (at most :data:`MAX_PROBLEMS`, then an :class:`~mmrisk.errors.InputError`) and what the reader
  learns besides segments (the sample the file names, warnings, whether copies come from log2 ratios);
- :func:`rows`, :func:`require`, :func:`num`, :func:`choose_sample`, :func:`samples_in`: line reading
  (through :func:`mmrisk.textio.lines`, the one text opener), column lookup by aliases, number parsing
  and the choice of one sample in a multi-sample file.

Nothing here knows of genes, lesions or the cut-offs of lesion calls.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ...errors import InputError, InputProblem
from ...resources import schema_default
from ...textio import lines

#: A file with this many problems stops being read (the problems found so far are reported).
MAX_PROBLEMS = 20
#: What the text opener calls the file in its messages ("is a directory, not a copy-number file").
WHAT = "copy-number file"
#: Primary chromosomes (canonical names); segments elsewhere are skipped and counted.
PRIMARY: frozenset[str] = frozenset([str(i) for i in range(1, 23)] + ["X", "Y"])
#: The formats a file may be in, as the refusal of an unrecognised file lists them.
FORMAT_HELP = ("a copy-number file: VCF with CN, CNVkit .cns/.cnr (chromosome start end gene log2 ...), "
               "GATK .seg (@SQ header, CONTIG START END ... MEAN_LOG2_COPY_RATIO), SEG (ID chrom loc.start "
               "loc.end num.mark seg.mean), PURPLE .cnv.somatic.tsv (chromosome start end copyNumber ...) or "
               "ASCAT segments (sample chr startpos endpos nMajor nMinor), FACETS cncf (chrom loc.start loc.end tcn.em "
               "lcn.em), Sequenza segments (chromosome start.pos end.pos CNt A B), Battenberg subclones (chr "
               "startpos endpos nMaj1_A nMin1_A frac1_A) or total/minor segments (sample chr start end tot min)")
#: Cells read as "no value" where a number is optional.
MISSING = ("", "NA", "NaN", "nan", ".", "None")


@dataclass(frozen=True)
class RawSegment:
    """One segment as a reader yields it: 1-based inclusive, chromosome as written in the file."""

    chrom: str
    start: int
    end: int
    copies: float | None  # the caller's absolute copies; None: derive them from log2 (or unknown)
    log2: float | None = None
    minor: float | None = None
    probes: int | None = None
    line: int = 0


@dataclass(frozen=True)
class Segment:
    """One copy-number segment (1-based inclusive, canonical chromosome)."""

    chrom: str
    start: int
    end: int
    copies: float | None
    log2: float | None = None
    minor_copies: float | None = None
    probes: int | None = None
    source: str = ""  # "file:line"
    low_confidence: str | None = None  # why the segment is not trusted, or None

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def describe(self) -> str:
        parts = [f"{self.chrom}:{self.start}-{self.end}"]
        if self.copies is not None:
            parts.append(f"{self.copies:.2f} copies")
        if self.log2 is not None:
            parts.append(f"log2 {self.log2:.3f}")
        if self.minor_copies is not None:
            parts.append(f"minor {self.minor_copies:.2f}")
        if self.probes is not None:
            parts.append(f"{self.probes} probes")
        text = ", ".join(parts) + f" ({self.source})"
        if self.low_confidence:
            text += f" [low confidence: {self.low_confidence}]"
        return text


@dataclass(frozen=True)
class Bounds:
    """The plausible values of a copy-number file's numbers; the configuration's ``cnv.min_copies`` & co.

    Copies in ``[min_copies, 0)`` are fitting noise at a deletion (read as 0 with a warning by the shared
    step); outside ``[min_copies, max_copies]``, and log2 ratios outside ``[min_log2, max_log2]``, are refused.
    """

    min_copies: float = schema_default("cnv.min_copies")
    max_copies: float = schema_default("cnv.max_copies")
    min_log2: float = schema_default("cnv.min_log2")
    max_log2: float = schema_default("cnv.max_log2")

    def copies(self, what: str = "a copy number") -> Range:
        return Range(self.min_copies, self.max_copies, f"{what} from {self.min_copies:g} to {self.max_copies:g} "
                                                      "(cnv.min_copies..cnv.max_copies)")

    def log2(self) -> Range:
        return Range(self.min_log2, self.max_log2, f"a log2 ratio from {self.min_log2:g} to {self.max_log2:g} "
                                                   "(cnv.min_log2..cnv.max_log2)")


@dataclass(frozen=True)
class Range:
    """Where one number of a file must lie, and how a refusal says so."""

    lo: float
    hi: float
    expected: str


#: B-allele frequencies lie in [0, 1].
BAF = Range(0.0, 1.0, "a B-allele frequency from 0 to 1")
#: Probe, bin and window counts are non-negative whole numbers.
COUNT = Range(0.0, math.inf, "a non-negative whole number")


@dataclass
class Reading:
    """One copy-number file being read: what a reader is given, and what it learns besides segments."""

    path: str | Path
    build: str  # the sample's declared build (a header saying otherwise is an InputError)
    sample_id: str | None = None  # the sample wanted from a multi-sample file
    problems: list[InputProblem] = field(default_factory=list)
    sample: str | None = None  # the sample the segments are of, where the file names it
    warnings: list[str] = field(default_factory=list)
    log2_copies: bool = False  # copies come from log2 ratios: purity-adjusted only when a purity is given
    continuous_copies: bool = False  # copies are continuous estimates (log2-derived or PURPLE), not integer calls
    skipped_contigs: set[str] = field(default_factory=set)  # non-primary contigs, as written
    bounds: Bounds = field(default_factory=Bounds)  # the plausible values of the file's numbers
    negative_copies: int = 0  # segments whose copies in [min_copies, 0) were read as 0
    skipped_filter: dict[str, int] = field(default_factory=dict)  # records skipped for their FILTER, by value

    @property
    def name(self) -> str:
        return str(self.path)

    def lines(self) -> Iterator[tuple[int, str]]:
        """``(line number, line)`` of the file under the one decoding policy of :mod:`mmrisk.textio`."""
        return lines(self.path, WHAT)

    def problem(self, message: str, line: int | None = None, column: str | None = None,
                value: str | None = None, expected: str | None = None) -> None:
        """Record one problem; at :data:`MAX_PROBLEMS` stop reading with all of them."""
        self.problems.append(InputProblem(self.name, message, line=line, column=column, value=value,
                                          expected=expected))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(InputProblem(self.name, f"stopped after {MAX_PROBLEMS} problems"))
            raise InputError(self.problems)


Reader = Callable[[Reading], Iterator[RawSegment]]


def lower_columns(header: list[str]) -> frozenset[str]:
    """The header's column names, stripped and lower-cased (what format detection compares)."""
    return frozenset(h.strip().lower() for h in header)


def num(rd: Reading, cells: dict[str, str], col: str, line: int, *, integer: bool = False,
        optional: bool = False, within: Range | None = None) -> float | int | None:
    """The number in ``cells[col]``; a bad cell is a problem naming line and column (and gives None).

    A number must be finite (``inf``, ``1e999`` are refused; ``nan`` is "missing" where the number is
    optional and refused where not) and lie ``within`` the range given.
    """
    raw = cells.get(col, "").strip()
    if raw in MISSING and optional:
        return None
    expected = within.expected if within is not None else "an integer" if integer else "a number"
    try:
        v = float(raw)
    except ValueError:
        rd.problem("not a number", line=line, column=col, value=raw, expected=expected)
        return None
    if not math.isfinite(v) or (integer and not v.is_integer()):
        rd.problem("not a finite number" if not math.isfinite(v) else "not a whole number", line=line, column=col,
                   value=raw, expected=expected)
        return None
    if within is not None and not within.lo <= v <= within.hi:
        rd.problem("out of range", line=line, column=col, value=raw, expected=expected)
        return None
    return int(v) if integer else v


def check_header(rd: Reading, header: list[str], line: int) -> None:
    """A column named twice (case-insensitive) is refused: which of the two holds the value is unknowable."""
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        key = name.strip().lower()
        if key in seen:
            rd.problems.append(InputProblem(rd.name, f"column {name!r} appears twice (columns {seen[key]} and {i})",
                                            line=line, column=name, value="\t".join(header)[:200],
                                            expected="each column once"))
            raise InputError(rd.problems)
        seen[key] = i


def rows(rd: Reading, *, skip: Callable[[str], bool]) -> Iterator[tuple[int, list[str], dict[str, str]]]:
    """Yield ``(line, header, cells)`` of a tab-separated file: the header line first (with ``{}``)."""
    header: list[str] | None = None
    for lineno, line in rd.lines():
        if not line.strip() or skip(line):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            check_header(rd, header, lineno)
            yield lineno, header, {}
            continue
        if len(cells) != len(header):
            while len(cells) > len(header) and cells[-1] == "":
                cells.pop()
            if len(cells) != len(header):
                rd.problem(f"row has {len(cells)} cells but the header has {len(header)} columns"
                           + (" (the file looks truncated)" if len(cells) < len(header) else ""),
                           line=lineno, value=line, expected="one tab-separated cell per header column")
                continue
        yield lineno, header, dict(zip(header, (c.strip() for c in cells)))


def is_comment(line: str) -> bool:
    return line.startswith("#")


def find_column(header: list[str], aliases: tuple[str, ...]) -> str | None:
    """The header's spelling of the first alias it has (case-insensitive), or None."""
    low = {h.lower(): h for h in header}
    return next((low[a.lower()] for a in aliases if a.lower() in low), None)


def require(rd: Reading, header: list[str], line: int, columns: dict[str, tuple[str, ...]],
            what: str) -> dict[str, str]:
    """Map logical column names to the header's spelling; every missing one is reported, then InputError."""
    found: dict[str, str] = {}
    missing = []
    for logical, aliases in columns.items():
        col = find_column(header, aliases)
        if col is None:
            missing.append(f"{logical} ({' or '.join(aliases)})")
        else:
            found[logical] = col
    if missing:
        rd.problems.append(InputProblem(rd.name, f"{what}: required column(s) missing: " + "; ".join(missing),
                                        line=line, value="\t".join(header),
                                        expected=f"a {what} header with " + ", ".join(columns)))
        raise InputError(rd.problems)
    return found


def choose_sample(rd: Reading, present: list[str], what: str) -> str:
    """The sample of a multi-sample file: exact id, else a unique substring match, else an InputError."""
    wanted = rd.sample_id
    if len(present) == 1 and (wanted is None or wanted not in present):
        only = present[0]
        if wanted is not None and wanted != only and wanted not in only and only not in wanted:
            rd.warnings.append(f"{rd.name}: the file holds one sample, '{only}', read as sample '{wanted}'")
        return only
    if wanted is not None:
        if wanted in present:
            return wanted
        subs = [s for s in present if wanted in s or s in wanted]
        if len(subs) == 1:
            rd.warnings.append(f"{rd.name}: sample '{wanted}' matched '{subs[0]}' of the file by name")
            return subs[0]
    raise InputError([InputProblem(rd.name, f"{what} holds {len(present)} samples and "
                                   + ("none" if wanted is None or not any(wanted in s for s in present)
                                      else "more than one") + f" matches the sample id {wanted!r}",
                                   value=", ".join(present),
                                   expected="the sample id of one of: " + ", ".join(present))])


def samples_in(rd: Reading, column_aliases: tuple[str, ...]) -> list[str]:
    """First pass over a multi-sample table: the sample names in order of appearance."""
    seen: dict[str, None] = {}
    col: str | None = None
    for _line, header, cells in rows(rd, skip=is_comment):
        if col is None:
            low = {h.lower(): h for h in header}
            col = next((low[a] for a in column_aliases if a in low), header[0])
            continue
        if col in cells:
            seen.setdefault(cells[col], None)
    rd.problems.clear()  # row problems are reported by the second pass
    return list(seen)


def choose_sample_of_table(rd: Reading, column_aliases: tuple[str, ...], what: str) -> str | None:
    """The sample to read from a multi-sample table (recorded on ``rd``); None if the table has no rows."""
    present = samples_in(rd, column_aliases)
    if not present:
        rd.problem("has a header but no segments", expected="one row per segment")
        return None
    rd.sample = choose_sample(rd, present, what)
    return rd.sample
