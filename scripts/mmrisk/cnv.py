"""Copy-number files: read segments, call the copy-number lesions of myeloma.

:func:`read_copy_number` streams one copy-number file of one sample and returns a
:class:`CnvResult`: the segments that overlap the loci of ``resources/genome/genes.tsv``,
one :class:`GeneState` per gene, per-chromosome and per-arm coverage sums, the
:class:`~mmrisk.lesions.Evidence` items (source ``CNV``) for ``del(17p)``, ``gain(1q)``,
``amp(1q)``, ``del(1p32)``, ``del(13q)`` and ``hyperdiploidy``, and warnings.

Formats are recognised from the content (the file name is only a hint):

- VCF (plain or gzip) with ``CN`` declared in FORMAT or INFO; interval records are
  ``<DEL>``/``<DUP>``/``<CNV>`` (or ``SVTYPE`` DEL/DUP/CNV) with ``END`` or ``SVLEN``;
- CNVkit ``.cns`` (with or without ``cn``) and bin-level ``.cnr`` (grouped naively by gene);
- GATK ``CallCopyRatioSegments`` ``.called.seg`` / ``.cr.seg`` and ``ModelSegments``
  ``.modelFinal.seg`` (SAM-style ``@SQ`` header: the build is checked);
- generic SEG (``ID chrom loc.start loc.end num.mark seg.mean``; several samples per file);
- PURPLE ``.purple.cnv.somatic.tsv``;
- ASCAT segments (``sample chr startpos endpos nMajor nMinor``; several samples per file).

Copies at a locus: the caller's absolute copy number where the file has one
(CNVkit ``cn``, PURPLE ``copyNumber``, ASCAT ``nMajor + nMinor``, VCF ``CN``), otherwise
the log2 ratio converted with purity ``p`` and tumour ploidy ``P`` by inverting
``r = (p·CN + 2(1−p)) / (p·P + 2(1−p))`` (see :func:`log2_to_copies`). Without a purity
``p = 1`` is assumed and a warning says the copies are not purity-adjusted.

Memory does not grow with the file: lines are read one at a time; only segments that
overlap a gene of ``genes.tsv`` are kept, plus running per-chromosome and per-arm sums.
"""

from __future__ import annotations

import gzip
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Literal, Mapping

from .cellfraction import copies_to_log2, log2_to_copies, single_copy_fraction  # noqa: F401 (re-exported)
from .errors import InputError, InputProblem
from .genome import (
    BUILDS,
    canonical_chrom,
    check_build,
    chromosome_lengths,
    detect_build,
    sam_header_contigs,
    vcf_header_contigs,
)
from .lesions import Evidence
from .resources import shipped
from .tables import read_tsv

GENES_TSV = shipped("genes")
CENTROMERES_TSV = shipped("centromeres")

#: Chromosomes whose trisomies define hyperdiploid myeloma.
HYPERDIPLOID_CHROMOSOMES: tuple[str, ...] = ("3", "5", "7", "9", "11", "15", "19", "21")
#: Chromosomes whose short arm is not assembled (satellite DNA): only the q arm counts as length.
ACROCENTRIC: frozenset[str] = frozenset({"13", "14", "15", "21", "22"})
PRIMARY: frozenset[str] = frozenset([str(i) for i in range(1, 23)] + ["X", "Y"])

GeneCopyState = Literal["deletion", "biallelic_deletion", "neutral", "gain", "amplification", "not_covered"]
FormatName = Literal["vcf", "cnvkit_cns", "cnvkit_cnr", "gatk_seg", "seg", "purple", "ascat"]

_MAX_PROBLEMS = 20
#: The plotting profile keeps at most this many runs (memory stays flat on bin-level files) ...
PROFILE_MAX_RUNS = 5000
#: ... and merges equal-copy segments separated by gaps up to this size.
PROFILE_GAP_BP = 1_000_000


# ----------------------------------------------------------------------------- resources


@dataclass(frozen=True)
class Region:
    """A 1-based inclusive interval on a canonical chromosome (no ``chr``)."""

    chrom: str
    start: int
    end: int
    name: str = ""
    source: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def overlap(self, start: int, end: int) -> int:
        """Bases shared with ``[start, end]``."""
        return max(0, min(self.end, end) - max(self.start, start) + 1)

    def __str__(self) -> str:
        return f"{self.chrom}:{self.start}-{self.end}"


def _load_regions(path: str | Path, key: str) -> dict[str, dict[str, Region]]:
    table = read_tsv(path, required_columns=(key, "build", "chrom", "start", "end", "source"))
    out: dict[str, dict[str, Region]] = {b: {} for b in BUILDS}
    problems: list[InputProblem] = []
    for row in table.rows:
        c = row.cells
        if c["build"] not in BUILDS:
            problems.append(InputProblem(table.path, "unknown build", line=row.line, column="build",
                                         value=c["build"], expected=" or ".join(BUILDS)))
            continue
        try:
            start, end = int(c["start"]), int(c["end"])
        except ValueError:
            problems.append(InputProblem(table.path, "start/end are not integers", line=row.line,
                                         value=f"{c['start']}-{c['end']}", expected="1-based integer positions"))
            continue
        if start < 1 or end < start:
            problems.append(InputProblem(table.path, "start must be ≥ 1 and ≤ end", line=row.line,
                                         value=f"{start}-{end}", expected="1-based inclusive start ≤ end"))
            continue
        chrom = canonical_chrom(c["chrom"])
        if c[key] in out[c["build"]]:
            problems.append(InputProblem(table.path, f"{key} listed twice for {c['build']}", line=row.line,
                                         value=c[key], expected="one row per name and build"))
            continue
        out[c["build"]][c[key]] = Region(chrom, start, end, c[key], c["source"])
    if problems:
        raise InputError(problems)
    return out


def load_genes(path: str | Path = GENES_TSV) -> dict[str, dict[str, Region]]:
    """``{build: {gene: Region}}`` from ``resources/genome/genes.tsv`` (1-based inclusive spans)."""
    return _load_regions(path, "gene")


def load_centromeres(path: str | Path = CENTROMERES_TSV) -> dict[str, dict[str, Region]]:
    """``{build: {chrom: Region}}``: the centromere (p/q boundary) of each chromosome."""
    return _load_regions(path, "chrom")


# ----------------------------------------------------------------------------- thresholds


@dataclass(frozen=True)
class CnvThresholds:
    """Every cut-off of the copy-number calls (absolute copies of the tumour cells).

    Copies are continuous (log2-derived or subclonal); they are rounded at the
    half-way points: ``≤ loss_max`` is a loss (1 copy), ``≤ biallelic_max`` no copy
    left (0), ``≥ gain_min`` a gain (3), ``≥ amp_min`` an amplification (4 or more).
    """

    loss_max: float = 1.5  #: copies ≤ this: loss of one copy (del(17p), del(13q), del(1p32) mono)
    biallelic_max: float = 0.5  #: copies ≤ this: no copy left (del(1p32) biallelic, biallelic gene loss)
    gain_min: float = 2.5  #: copies ≥ this: gain(1q) (3 copies)
    amp_min: float = 3.5  #: copies ≥ this: amp(1q) (≥ 4 copies)
    trisomy_min: float = 2.5  #: a chromosome segment counts as gained at ≥ this many copies
    trisomy_min_fraction: float = 0.8  #: share of a chromosome's covered length that must be gained
    hyperdiploid_min_trisomies: int = 2  #: trisomies among 3,5,7,9,11,15,19,21 for hyperdiploidy
    chromosome_min_covered_fraction: float = 0.5  #: a chromosome is assessed when this share of it is covered
    min_probes: int = 10  #: segments with fewer probes/bins/windows are low-confidence
    min_segment_bp: int = 1000  #: segments shorter than this are low-confidence

    def __post_init__(self) -> None:
        if not (0 <= self.biallelic_max < self.loss_max < self.gain_min <= self.amp_min):
            raise ValueError("thresholds must satisfy 0 ≤ biallelic_max < loss_max < gain_min ≤ amp_min")
        if not 0 < self.trisomy_min_fraction <= 1 or not 0 < self.chromosome_min_covered_fraction <= 1:
            raise ValueError("fractions must lie in (0, 1]")


# ----------------------------------------------------------------------------- results


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


@dataclass
class GeneState:
    """Copy number at one gene of ``genes.tsv``."""

    gene: str
    state: GeneCopyState
    copies: float | None = None  # the copies the state rests on (minimum for a loss)
    min_copies: float | None = None
    max_copies: float | None = None
    fraction: float | None = None  # tumour cells carrying a single-copy change, where estimable
    low_confidence: bool = False  # only low-confidence segments cover the gene
    origin: str = ""  # "file:line" of the segment(s) used
    detail: str = ""


@dataclass
class CoverageSums:
    """Running sums over the segments of one chromosome or arm."""

    covered_bp: int = 0
    gained_bp: int = 0  # copies ≥ trisomy_min
    lost_bp: int = 0  # copies ≤ loss_max
    copies_bp: float = 0.0  # Σ copies × length, for the length-weighted mean

    def add(self, length: int, copies: float, th: CnvThresholds) -> None:
        self.covered_bp += length
        self.copies_bp += copies * length
        if copies >= th.trisomy_min:
            self.gained_bp += length
        if copies <= th.loss_max:
            self.lost_bp += length

    @property
    def mean_copies(self) -> float | None:
        return self.copies_bp / self.covered_bp if self.covered_bp else None


@dataclass
class CnvResult:
    """Everything read from one copy-number file of one sample."""

    path: str
    format: str
    build: str
    sample: str | None
    segments: list[Segment] = field(default_factory=list)  # those overlapping a gene locus
    homozygous_deletions: list[Segment] = field(default_factory=list)  # copies ≤ biallelic_max anywhere (capped)
    gene_states: dict[str, GeneState] = field(default_factory=dict)
    chromosomes: dict[str, CoverageSums] = field(default_factory=dict)
    arms: dict[str, CoverageSums] = field(default_factory=dict)  # "1p", "1q", ...
    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    n_segments: int = 0
    # genome-wide profile for plots: runs of adjacent segments with equal copies (0.1 precision), bounded
    profile: list[tuple[str, int, int, float]] = field(default_factory=list)
    profile_truncated: bool = False
    purity_adjusted: bool = True  # copies account for the tumour purity
    continuous_copies: bool = False  # copies are continuous estimates (log2-derived or PURPLE), not integer calls


# ----------------------------------------------------------------------------- the formula


# ----------------------------------------------------------------------------- reading lines


def _open_text(path: Path, name: str) -> io.TextIOBase:
    try:
        with path.open("rb") as fh:
            magic = fh.read(2)
    except FileNotFoundError:
        raise InputError([InputProblem(name, "file not found")]) from None
    except IsADirectoryError:
        raise InputError([InputProblem(name, "is a directory, not a copy-number file")]) from None
    except OSError as exc:
        raise InputError([InputProblem(name, f"cannot be read: {exc.strerror}")]) from None
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="strict", newline="")
    return path.open("r", encoding="utf-8", errors="strict", newline="")


def _lines(path: Path, name: str) -> Iterator[tuple[int, str]]:
    """``(line number, line without newline)``; turns decoding and gzip damage into InputError."""
    lineno = 0
    try:
        with _open_text(path, name) as fh:
            for lineno, raw in enumerate(fh, start=1):
                yield lineno, raw.rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise InputError([InputProblem(name, f"is not UTF-8 text (byte {exc.start} after line {lineno})",
                                       line=lineno + 1, expected="a text or gzip-compressed text file")]) from None
    except (EOFError, gzip.BadGzipFile, OSError) as exc:
        raise InputError([InputProblem(name, f"compressed data is damaged or truncated after line {lineno} "
                                             f"({exc.__class__.__name__}: {exc})", line=lineno + 1,
                                       expected="a complete gzip/bgzip file")]) from None


# ----------------------------------------------------------------------------- format detection

_SEG_ALIASES: dict[str, tuple[str, ...]] = {
    "sample": ("id", "sample", "sample_id", "samplename", "sample.name"),
    "chrom": ("chrom", "chromosome", "chr"),
    "start": ("loc.start", "start", "startpos", "start_position"),
    "end": ("loc.end", "end", "endpos", "end_position"),
    "probes": ("num.mark", "num_probes", "num.probes", "nprobes", "num_mark", "probes", "n.probes"),
    "log2": ("seg.mean", "segment_mean", "seg_mean", "log2", "log2ratio", "mean"),
}


def _lower(header: list[str]) -> list[str]:
    return [h.strip().lower() for h in header]


def _header_kind(header: list[str]) -> FormatName | None:
    low = set(_lower(header))
    if {"nmajor", "nminor"} & low or {"startpos", "endpos"} <= low:
        return "ascat"
    if "copynumber" in low and "chromosome" in low:
        return "purple"
    if "contig" in low and ("mean_log2_copy_ratio" in low or "log2_copy_ratio_posterior_50" in low):
        return "gatk_seg"
    if "chromosome" in low and "log2" in low and "gene" in low:
        return "cnvkit_cns" if "probes" in low else "cnvkit_cnr"
    if low & {"seg.mean", "segment_mean", "seg_mean", "loc.start"}:
        return "seg"
    return None


_FORMAT_HELP = ("a copy-number file: VCF with CN, CNVkit .cns/.cnr (chromosome start end gene log2 ...), "
                "GATK .seg (@SQ header, CONTIG START END ... MEAN_LOG2_COPY_RATIO), SEG (ID chrom loc.start "
                "loc.end num.mark seg.mean), PURPLE .cnv.somatic.tsv (chromosome start end copyNumber ...) or "
                "ASCAT segments (sample chr startpos endpos nMajor nMinor)")


def detect_format(path: str | Path) -> FormatName:
    """The copy-number format of ``path``, read from its first lines (raises InputError if none)."""
    p, name = Path(path), str(path)
    saw_sam = False
    for lineno, line in _lines(p, name):
        if not line.strip():
            continue
        if lineno == 1 and line.startswith("##fileformat=VCF"):
            return "vcf"
        if line.startswith("@"):
            saw_sam = True
            continue
        if line.startswith("##") or (line.startswith("#") and not line.startswith("#CHROM")):
            continue
        if line.startswith("#CHROM"):
            return "vcf"
        header = line.split("\t")
        kind = _header_kind(header)
        if kind is None and saw_sam:
            raise InputError([InputProblem(name, "GATK-style file (@ header) without the expected columns",
                                           line=lineno, value=line,
                                           expected="CONTIG, START, END and MEAN_LOG2_COPY_RATIO or "
                                                    "LOG2_COPY_RATIO_POSTERIOR_50")])
        if kind is None:
            raise InputError([InputProblem(name, "not a recognised copy-number format", line=lineno,
                                           value=line, expected=_FORMAT_HELP)])
        return kind
    raise InputError([InputProblem(name, "is empty (no header line and no segments)", expected=_FORMAT_HELP)])


# ----------------------------------------------------------------------------- accumulation


@dataclass
class _Context:
    """State shared by the format readers while streaming one file."""

    name: str
    build: str
    genes: Mapping[str, Region]
    centromeres: Mapping[str, Region]
    th: CnvThresholds
    purity: float | None
    ploidy: float
    result: CnvResult
    problems: list[InputProblem] = field(default_factory=list)
    skipped_contigs: set[str] = field(default_factory=set)
    low_conf_count: int = 0
    by_chrom: dict[str, list[Region]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for g in self.genes.values():
            self.by_chrom.setdefault(g.chrom, []).append(g)

    def problem(self, message: str, line: int | None = None, column: str | None = None,
                value: str | None = None, expected: str | None = None) -> None:
        self.problems.append(InputProblem(self.name, message, line=line, column=column, value=value,
                                          expected=expected))
        if len(self.problems) >= _MAX_PROBLEMS:
            self.problems.append(InputProblem(self.name, f"stopped after {_MAX_PROBLEMS} problems"))
            raise InputError(self.problems)

    def copies_from_log2(self, log2: float) -> float:
        return log2_to_copies(log2, self.purity if self.purity is not None else 1.0, self.ploidy)

    def add(self, chrom_raw: str, start: int, end: int, copies: float | None, *, log2: float | None = None,
            minor: float | None = None, probes: int | None = None, line: int) -> None:
        """Take one segment: check it, count it, keep it if it overlaps a gene."""
        chrom = canonical_chrom(chrom_raw)
        if chrom not in PRIMARY:
            self.skipped_contigs.add(chrom_raw)
            return
        if start < 1 or end < start:
            self.problem("segment start must be ≥ 1 and ≤ end", line=line, value=f"{chrom_raw}:{start}-{end}",
                         expected="start ≤ end (positions of the declared build)")
            return
        length = chromosome_lengths().get(self.build, {}).get(chrom)
        if length is not None and start > length:
            other = [b for b in BUILDS if b != self.build
                     and start <= chromosome_lengths().get(b, {}).get(chrom, 0)]
            self.problem(f"segment starts beyond the end of chromosome {chrom} in {self.build} "
                         f"(length {length})", line=line, value=f"{chrom_raw}:{start}-{end}",
                         expected=f"{self.build} positions" + (f" (this looks like {other[0]})" if other else ""))
            return
        if length is not None and end > length:
            end = length  # callers pad the last segment to the telomere; clip quietly
        if copies is not None and copies < 0:
            copies = 0.0
        if minor is not None and minor < 0:
            minor = 0.0
        why = None
        if probes is not None and probes < self.th.min_probes:
            why = f"{probes} probes < {self.th.min_probes}"
        elif end - start + 1 < self.th.min_segment_bp:
            why = f"{end - start + 1} bp < {self.th.min_segment_bp} bp"
        seg = Segment(chrom, start, end, copies, log2, minor, probes, f"{self.name}:{line}", why)
        self.result.n_segments += 1
        if why:
            self.low_conf_count += 1
        if copies is not None:
            self._profile(chrom, start, end, copies)
            self.result.chromosomes.setdefault(chrom, CoverageSums()).add(seg.length, copies, self.th)
            cen = self.centromeres.get(chrom)
            if cen is not None:
                p_len = max(0, min(end, cen.start - 1) - start + 1)
                q_len = max(0, end - max(start, cen.end + 1) + 1)
                if p_len:
                    self.result.arms.setdefault(chrom + "p", CoverageSums()).add(p_len, copies, self.th)
                if q_len:
                    self.result.arms.setdefault(chrom + "q", CoverageSums()).add(q_len, copies, self.th)
        if copies is not None and copies <= self.th.biallelic_max and len(self.result.homozygous_deletions) < 1000:
            self.result.homozygous_deletions.append(seg)
        for g in self.by_chrom.get(chrom, ()):
            if g.overlap(start, end):
                self.result.segments.append(seg)
                break


    def _profile(self, chrom: str, start: int, end: int, copies: float) -> None:
        """Extend the plotting profile: merge a segment into the previous run when it continues it."""
        prof = self.result.profile
        level = round(copies, 1)
        if prof and prof[-1][0] == chrom and prof[-1][3] == level and start <= prof[-1][2] + PROFILE_GAP_BP:
            c, s0, _e, lv = prof[-1]
            prof[-1] = (c, s0, max(end, _e), lv)
        elif len(prof) < PROFILE_MAX_RUNS:
            prof.append((chrom, start, end, level))
        else:
            self.result.profile_truncated = True


# ----------------------------------------------------------------------------- cell parsing


def _num(ctx: _Context, cells: dict[str, str], col: str, line: int, *, integer: bool = False,
         optional: bool = False) -> float | int | None:
    raw = cells.get(col, "").strip()
    if raw in ("", "NA", "NaN", "nan", ".", "None") and optional:
        return None
    try:
        if integer:
            try:
                return int(raw)
            except ValueError:
                f = float(raw)  # 1e+06, 12.0
                if not f.is_integer():
                    raise
                return int(f)
        v = float(raw)
        if math.isnan(v):
            if optional:
                return None
            raise ValueError
        return v
    except ValueError:
        ctx.problem("not a number", line=line, column=col, value=raw,
                    expected="an integer" if integer else "a number")
        return None


def _rows(ctx: _Context, path: Path, *, skip: Callable[[str], bool]) -> Iterator[tuple[int, list[str], dict[str, str]]]:
    """Yield ``(line, header, cells)`` of a tab-separated file after its header line."""
    header: list[str] | None = None
    for lineno, line in _lines(path, ctx.name):
        if not line.strip() or skip(line):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            yield lineno, header, {}
            continue
        if len(cells) != len(header):
            while len(cells) > len(header) and cells[-1] == "":
                cells.pop()
            if len(cells) != len(header):
                ctx.problem(f"row has {len(cells)} cells but the header has {len(header)} columns"
                            + (" (the file looks truncated)" if len(cells) < len(header) else ""),
                            line=lineno, value=line, expected="one tab-separated cell per header column")
                continue
        yield lineno, header, dict(zip(header, (c.strip() for c in cells)))


def _require(ctx: _Context, header: list[str], line: int, columns: dict[str, tuple[str, ...]],
             what: str) -> dict[str, str] | None:
    """Map logical column names to the header's spelling; report each missing one."""
    low = {h.lower(): h for h in header}
    found: dict[str, str] = {}
    missing = []
    for logical, aliases in columns.items():
        for a in aliases:
            if a.lower() in low:
                found[logical] = low[a.lower()]
                break
        else:
            missing.append(f"{logical} ({' or '.join(aliases)})")
    if missing:
        ctx.problems.append(InputProblem(ctx.name, f"{what}: required column(s) missing: " + "; ".join(missing),
                                         line=line, value="\t".join(header),
                                         expected=f"a {what} header with " + ", ".join(columns)))
        raise InputError(ctx.problems)
    return found


def _choose_sample(ctx: _Context, present: list[str], wanted: str | None, what: str) -> str:
    """The sample of a multi-sample file: exact id, else a unique substring match, else an error."""
    if len(present) == 1 and (wanted is None or wanted not in present):
        only = present[0]
        if wanted is not None and wanted != only and wanted not in only and only not in wanted:
            ctx.result.warnings.append(f"{ctx.name}: the file holds one sample, '{only}', read as sample '{wanted}'")
        return only
    if wanted is not None:
        if wanted in present:
            return wanted
        subs = [s for s in present if wanted in s or s in wanted]
        if len(subs) == 1:
            ctx.result.warnings.append(f"{ctx.name}: sample '{wanted}' matched '{subs[0]}' of the file by name")
            return subs[0]
    raise InputError([InputProblem(ctx.name, f"{what} holds {len(present)} samples and "
                                   + ("none" if wanted is None or not any(wanted in s for s in present)
                                      else "more than one") + f" matches the sample id {wanted!r}",
                                   value=", ".join(present),
                                   expected="the sample id of one of: " + ", ".join(present))])


# ----------------------------------------------------------------------------- readers


def _read_cnvkit(ctx: _Context, path: Path, bins: bool) -> None:
    cols = {"chrom": ("chromosome",), "start": ("start",), "end": ("end",), "gene": ("gene",), "log2": ("log2",)}
    m: dict[str, str] | None = None
    has_cn = has_probes = False
    has_weight = False
    group: dict[str, object] | None = None  # naive segmentation of bins by gene

    def flush() -> None:
        nonlocal group
        if group is None:
            return
        w = group["w"]  # type: ignore[assignment]
        lg = group["sum"] / w if w else group["raw"] / group["n"]  # type: ignore[operator]
        ctx.add(group["chrom"], group["start"], group["end"], ctx.copies_from_log2(lg),  # type: ignore[arg-type]
                log2=lg, probes=group["n"], line=group["line"])  # type: ignore[arg-type]
        group = None

    for line, header, cells in _rows(ctx, path, skip=lambda s: s.startswith("#")):
        if m is None:
            m = _require(ctx, header, line, cols, "CNVkit")
            has_cn = "cn" in header
            has_probes = "probes" in header
            has_weight = "weight" in header
            continue
        start0 = _num(ctx, cells, m["start"], line, integer=True)
        end = _num(ctx, cells, m["end"], line, integer=True)
        lg = _num(ctx, cells, m["log2"], line)
        if start0 is None or end is None or lg is None:
            continue
        start = int(start0) + 1  # CNVkit writes BED-style 0-based starts
        if not bins:
            cn = _num(ctx, cells, "cn", line, optional=True) if has_cn else None
            probes = _num(ctx, cells, "probes", line, integer=True, optional=True) if has_probes else None
            copies = float(cn) if cn is not None else ctx.copies_from_log2(float(lg))
            ctx.add(cells[m["chrom"]], start, int(end), copies, log2=float(lg),
                    probes=int(probes) if probes is not None else None, line=line)
            continue
        gene = cells[m["gene"]]
        weight = _num(ctx, cells, "weight", line, optional=True) if has_weight else None
        w = float(weight) if weight is not None and weight > 0 else 0.0
        key = (cells[m["chrom"]], gene)
        if (group is None or (group["chrom"], group["gene"]) != key or gene in ("-", "", "Antitarget")
                or start < group["end"]):  # type: ignore[operator]
            flush()
            group = {"chrom": key[0], "gene": gene, "start": start, "end": int(end), "n": 0, "sum": 0.0,
                     "w": 0.0, "raw": 0.0, "line": line}
        group["end"] = max(int(end), group["end"])  # type: ignore[call-overload]
        group["n"] += 1  # type: ignore[operator]
        group["sum"] += w * float(lg)  # type: ignore[operator]
        group["w"] += w  # type: ignore[operator]
        group["raw"] += float(lg)  # type: ignore[operator]
    flush()
    if m is None:
        ctx.problem("has no header line", expected=_FORMAT_HELP)
    if bins:
        ctx.result.warnings.append(
            f"{ctx.name}: bin-level CNVkit ratios (.cnr): bins were grouped naively by gene; "
            "segments (.cns from 'cnvkit.py segment' or 'call') are preferred")
    if not has_cn:
        ctx.result.purity_adjusted = ctx.purity is not None
        ctx.result.continuous_copies = True


def _read_gatk(ctx: _Context, path: Path) -> None:
    header_lines: list[str] = []
    cols = {"chrom": ("CONTIG",), "start": ("START",), "end": ("END",),
            "log2": ("MEAN_LOG2_COPY_RATIO", "LOG2_COPY_RATIO_POSTERIOR_50")}
    m: dict[str, str] | None = None
    probes_col: str | None = None
    for line, header, cells in _rows(ctx, path, skip=lambda s: s.startswith("@") and not header_lines.append(s)):
        if m is None:
            m = _require(ctx, header, line, cols, "GATK copy-ratio segments")
            probes_col = "NUM_POINTS_COPY_RATIO" if "NUM_POINTS_COPY_RATIO" in header else None
            text = "\n".join(header_lines)
            ev = detect_build(sam_header_contigs(text), text)
            prob = check_build(ctx.build, ev, ctx.name)
            if prob is not None:
                raise InputError([prob])
            sm = re.findall(r"\tSM:([^\t]+)", text)
            if sm:
                ctx.result.sample = sm[0]
            continue
        start = _num(ctx, cells, m["start"], line, integer=True)
        end = _num(ctx, cells, m["end"], line, integer=True)
        lg = _num(ctx, cells, m["log2"], line)
        probes = _num(ctx, cells, probes_col, line, integer=True, optional=True) if probes_col else None
        if start is None or end is None or lg is None:
            continue
        ctx.add(cells[m["chrom"]], int(start), int(end), ctx.copies_from_log2(float(lg)), log2=float(lg),
                probes=int(probes) if probes is not None else None, line=line)
    ctx.result.purity_adjusted = ctx.purity is not None
    ctx.result.continuous_copies = True


def _samples_in(ctx: _Context, path: Path, column_aliases: tuple[str, ...]) -> list[str]:
    """First pass over a multi-sample table: the sample names in order of appearance."""
    seen: dict[str, None] = {}
    col: str | None = None
    for _line, header, cells in _rows(ctx, path, skip=lambda s: s.startswith("#")):
        if col is None:
            low = {h.lower(): h for h in header}
            col = next((low[a] for a in column_aliases if a in low), header[0])
            continue
        if col in cells:
            seen.setdefault(cells[col], None)
    ctx.problems.clear()  # row problems are reported by the second pass
    return list(seen)


def _read_seg(ctx: _Context, path: Path, sample_id: str | None) -> None:
    present = _samples_in(ctx, path, _SEG_ALIASES["sample"])
    if not present:
        ctx.problem("has a header but no segments", expected="one row per segment")
        return
    chosen = _choose_sample(ctx, present, sample_id, "the SEG file")
    ctx.result.sample = chosen
    cols = {k: v for k, v in _SEG_ALIASES.items() if k != "probes"}
    m: dict[str, str] | None = None
    probes_col: str | None = None
    for line, header, cells in _rows(ctx, path, skip=lambda s: s.startswith("#")):
        if m is None:
            m = _require(ctx, header, line, cols, "SEG")
            low = {h.lower(): h for h in header}
            probes_col = next((low[a] for a in _SEG_ALIASES["probes"] if a in low), None)
            continue
        if cells[m["sample"]] != chosen:
            continue
        start = _num(ctx, cells, m["start"], line, integer=True)
        end = _num(ctx, cells, m["end"], line, integer=True)
        lg = _num(ctx, cells, m["log2"], line, optional=True)
        probes = _num(ctx, cells, probes_col, line, integer=True, optional=True) if probes_col else None
        if start is None or end is None:
            continue
        ctx.add(cells[m["chrom"]], int(start), int(end),
                ctx.copies_from_log2(float(lg)) if lg is not None else None,
                log2=float(lg) if lg is not None else None,
                probes=int(probes) if probes is not None else None, line=line)
    ctx.result.purity_adjusted = ctx.purity is not None
    ctx.result.continuous_copies = True


def _read_purple(ctx: _Context, path: Path) -> None:
    cols = {"chrom": ("chromosome",), "start": ("start",), "end": ("end",), "copies": ("copyNumber",)}
    m: dict[str, str] | None = None
    negatives = 0
    for line, header, cells in _rows(ctx, path, skip=lambda s: s.startswith("#")):
        if m is None:
            m = _require(ctx, header, line, cols, "PURPLE copy-number")
            continue
        start = _num(ctx, cells, m["start"], line, integer=True)
        end = _num(ctx, cells, m["end"], line, integer=True)
        cn = _num(ctx, cells, m["copies"], line)
        minor = _num(ctx, cells, "minorAlleleCopyNumber", line, optional=True) if "minorAlleleCopyNumber" in cells else None
        windows = _num(ctx, cells, "depthWindowCount", line, integer=True, optional=True) if "depthWindowCount" in cells else None
        if start is None or end is None or cn is None:
            continue
        if cn < 0:
            negatives += 1
        ctx.add(cells[m["chrom"]], int(start), int(end), float(cn), minor=minor,
                probes=int(windows) if windows is not None else None, line=line)
    ctx.result.continuous_copies = True
    if negatives:
        ctx.result.warnings.append(f"{ctx.name}: {negatives} segment(s) with a negative copy number "
                                   "(fitting noise at a deletion) read as 0 copies")


def _read_ascat(ctx: _Context, path: Path, sample_id: str | None) -> None:
    present = _samples_in(ctx, path, ("sample",))
    if not present:
        ctx.problem("has a header but no segments", expected="one row per segment")
        return
    chosen = _choose_sample(ctx, present, sample_id, "the ASCAT segments file")
    ctx.result.sample = chosen
    cols = {"sample": ("sample",), "chrom": ("chr", "chromosome"), "start": ("startpos",),
            "end": ("endpos",), "major": ("nMajor",), "minor": ("nMinor",)}
    m: dict[str, str] | None = None
    for line, header, cells in _rows(ctx, path, skip=lambda s: s.startswith("#")):
        if m is None:
            m = _require(ctx, header, line, cols, "ASCAT segments")
            continue
        if cells[m["sample"]] != chosen:
            continue
        start = _num(ctx, cells, m["start"], line, integer=True)
        end = _num(ctx, cells, m["end"], line, integer=True)
        major = _num(ctx, cells, m["major"], line)
        minor = _num(ctx, cells, m["minor"], line)
        if None in (start, end, major, minor):
            continue
        ctx.add(cells[m["chrom"]], int(start), int(end), float(major) + float(minor),  # type: ignore[arg-type]
                minor=float(minor), line=line)  # type: ignore[arg-type]


_CNV_ALTS = re.compile(r"^<(DEL|DUP|CNV)(:[A-Z:]+)?>$")


def _read_vcf(ctx: _Context, path: Path, sample_id: str | None) -> None:
    header_text: list[str] = []
    samples: list[str] = []
    col: int | None = None
    cn_in_format = cn_in_info = False
    skipped_no_cn = 0
    for lineno, line in _lines(path, ctx.name):
        if line.startswith("##"):
            header_text.append(line)
            continue
        if line.startswith("#CHROM"):
            text = "\n".join(header_text)
            cn_in_format = bool(re.search(r"^##FORMAT=<ID=CN,", text, re.M))
            cn_in_info = bool(re.search(r"^##INFO=<ID=CN,", text, re.M))
            if not (cn_in_format or cn_in_info):
                raise InputError([InputProblem(ctx.name, "the VCF declares no copy number (no CN field in "
                                                         "FORMAT or INFO)", line=lineno,
                                               expected="a copy-number VCF with ##FORMAT or ##INFO ID=CN "
                                                        "(a structural-variant VCF belongs in sv_vcf)")])
            prob = check_build(ctx.build, detect_build(vcf_header_contigs(text), text), ctx.name)
            if prob is not None:
                raise InputError([prob])
            fields = line.split("\t")
            samples = fields[9:]
            if cn_in_format and samples:
                chosen = _choose_sample(ctx, samples, sample_id, "the VCF")
                col = 9 + samples.index(chosen)
                ctx.result.sample = chosen
            elif cn_in_format and not cn_in_info:
                raise InputError([InputProblem(ctx.name, "CN is a FORMAT field but the VCF has no sample column",
                                               line=lineno, expected="a sample column holding CN")])
            continue
        if not line.strip():
            continue
        if not header_text and col is None and not samples:
            raise InputError([InputProblem(ctx.name, "VCF record before the #CHROM header line", line=lineno,
                                           expected="##fileformat, ## meta lines, #CHROM line, records")])
        f = line.split("\t")
        if len(f) < 8 or (col is not None and len(f) <= col):
            ctx.problem(f"VCF record has {len(f)} columns (the file looks truncated)", line=lineno, value=line,
                        expected=f"{max(8, (col or 0) + 1)} tab-separated columns")
            continue
        info = {}
        for item in f[7].split(";"):
            k, _, v = item.partition("=")
            info[k] = v
        alt = f[4]
        svtype = info.get("SVTYPE", "")
        if not (_CNV_ALTS.match(alt) or svtype in ("DEL", "DUP", "CNV") or "END" in info):
            continue  # not an interval record (SNV, BND, INV, INS)
        if svtype in ("BND", "INV", "INS") or alt.startswith("<INV") or alt.startswith("<INS"):
            continue
        cn_raw = None
        if col is not None:
            keys = f[8].split(":")
            vals = f[col].split(":")
            if "CN" in keys and keys.index("CN") < len(vals):
                cn_raw = vals[keys.index("CN")]
        if cn_raw in (None, "", ".") and cn_in_info:
            cn_raw = info.get("CN")
        if cn_raw in (None, "", "."):
            skipped_no_cn += 1
            continue
        try:
            cn = float(cn_raw)  # type: ignore[arg-type]
        except ValueError:
            ctx.problem("CN is not a number", line=lineno, column="CN", value=str(cn_raw), expected="a number ≥ 0")
            continue
        if cn < 0:  # Delly writes -1 where it has no estimate
            skipped_no_cn += 1
            continue
        try:
            pos = int(f[1])
            if "END" in info:
                end = int(info["END"])
            elif "SVLEN" in info:
                end = pos + abs(int(info["SVLEN"].split(",")[0]))
            else:
                ctx.problem("copy-number record without END or SVLEN", line=lineno, value=line[:120],
                            expected="INFO/END (or SVLEN) giving the segment's end")
                continue
        except ValueError:
            ctx.problem("POS/END/SVLEN is not an integer", line=lineno, value=line[:120], expected="integers")
            continue
        # a symbolic record's POS is the base before the event
        start = pos + 1 if alt.startswith("<") and end > pos else pos
        ctx.add(f[0], start, end, cn, line=lineno)
    if not header_text:
        ctx.problem("has no VCF header", expected="##fileformat=VCF... and a #CHROM line")
    if skipped_no_cn:
        ctx.result.warnings.append(f"{ctx.name}: {skipped_no_cn} interval record(s) without a usable CN were skipped")


# ----------------------------------------------------------------------------- calls


_LOSS_GENES = ("TP53", "CDKN2C", "FAF1", "RB1")


def _gene_states(ctx: _Context) -> None:
    th = ctx.th
    adjusted = ctx.result.purity_adjusted
    for name, g in ctx.genes.items():
        segs = [s for s in ctx.result.segments if s.chrom == g.chrom and g.overlap(s.start, s.end)
                and s.copies is not None]
        if not segs:
            ctx.result.gene_states[name] = GeneState(name, "not_covered", detail=f"no segment covers {name} ({g})")
            continue
        trusted = [s for s in segs if not s.low_confidence]
        use = trusted or segs
        mins = min(use, key=lambda s: s.copies)  # type: ignore[arg-type, return-value]
        biggest = max(use, key=lambda s: g.overlap(s.start, s.end))
        lo = float(mins.copies)  # type: ignore[arg-type]
        hi = float(max(s.copies for s in use))  # type: ignore[type-var]
        if lo <= th.biallelic_max:
            state: GeneCopyState = "biallelic_deletion"
            copies, basis = lo, mins
        elif lo <= th.loss_max:
            state, copies, basis = "deletion", lo, mins
        else:
            copies = float(biggest.copies)  # type: ignore[arg-type]
            basis = biggest
            state = "amplification" if copies >= th.amp_min else "gain" if copies >= th.gain_min else "neutral"
        fraction = None
        if adjusted and ctx.result.continuous_copies and state in ("deletion", "gain"):
            fraction = single_copy_fraction(copies, "loss" if state == "deletion" else "gain")
        detail = f"{name} ({g}): " + "; ".join(s.describe() for s in segs)
        if len(use) > 1:
            detail += f" — {len(use)} segments overlap; " + (
                "the lowest copy number is used" if state in ("deletion", "biallelic_deletion")
                else "the segment covering most of the gene is used")
        if not trusted:
            detail += " — only low-confidence segments cover this gene"
            ctx.result.warnings.append(f"{ctx.name}: {name} is covered only by low-confidence segment(s): "
                                       + "; ".join(s.describe() for s in segs))
        elif len(trusted) < len(segs):
            detail += " — low-confidence segment(s) ignored for the call"
        ctx.result.gene_states[name] = GeneState(
            name, state, round(copies, 3), round(lo, 3), round(hi, 3), fraction, not trusted, basis.source, detail)


def _lesion_from_gene(ctx: _Context, lesion: str, genes: tuple[str, ...], kind: Literal["loss", "gain", "amp"]) -> None:
    th = ctx.th
    states = [ctx.result.gene_states[g] for g in genes if g in ctx.result.gene_states
              and ctx.result.gene_states[g].state != "not_covered"]
    if not states:
        missing = [g for g in genes if g not in ctx.genes]
        why = (f"no coordinates of {', '.join(missing)} for {ctx.build} in genes.tsv" if missing
               else f"the file does not cover {'/'.join(genes)}")
        ctx.result.warnings.append(f"{ctx.name}: {lesion} not assessed: {why}")
        return
    if any(s.low_confidence for s in states) and all(s.low_confidence for s in states):
        st = states[0]
        ctx.result.evidence.append(Evidence(lesion, "not_assessed", "CNV", origin=st.origin,
                                            detail=f"only low-confidence segments: {st.detail}"))
        return
    states = [s for s in states if not s.low_confidence]
    # losses: the lowest copy number of the genes (CDKN2C/FAF1); gains: the first gene covered (CKS1B, else MCL1)
    st = min(states, key=lambda s: s.copies) if kind == "loss" else states[0]  # type: ignore[arg-type, return-value]
    c = float(st.copies)  # type: ignore[arg-type]
    adj = "" if ctx.result.purity_adjusted else " (not purity-adjusted)"
    if kind == "loss":
        present = c <= th.loss_max
        rounded = 0 if c <= th.biallelic_max else 1 if present else round(c)
        allelic = None
        if lesion == "del(1p32)" and present:
            allelic = "biallelic" if c <= th.biallelic_max else "mono"
        frac = st.fraction if present and c > th.biallelic_max else None
        rule = f"loss at ≤ {th.loss_max} copies" + (f", no copy at ≤ {th.biallelic_max}" if lesion == "del(1p32)" else "")
        ev = Evidence(lesion, "present" if present else "absent", "CNV", fraction=frac if present else None,
                      copies=int(rounded), allelic=allelic, origin=st.origin,  # type: ignore[arg-type]
                      detail=f"{st.gene}: {c:.2f} copies{adj} ({rule}); {st.detail}")
    else:
        cut = th.gain_min if kind == "gain" else th.amp_min
        present = c >= cut
        rounded = max(3, round(c)) if present and kind == "gain" else max(4, round(c)) if present else round(c)
        frac = st.fraction if present and kind == "gain" else None
        ev = Evidence(lesion, "present" if present else "absent", "CNV", fraction=frac,
                      copies=int(rounded), origin=st.origin,
                      detail=f"{st.gene}: {c:.2f} copies{adj} ({lesion} at ≥ {cut}); {st.detail}")
    ctx.result.evidence.append(ev)


def _hyperdiploidy(ctx: _Context) -> None:
    th = ctx.th
    lengths = chromosome_lengths().get(ctx.build, {})
    gained, neutral, unassessed = [], [], []
    notes = []
    for c in HYPERDIPLOID_CHROMOSOMES:
        sums = ctx.result.chromosomes.get(c)
        length = lengths.get(c)
        cen = ctx.centromeres.get(c)
        if length and c in ACROCENTRIC and cen is not None:
            length -= cen.end
        if sums is None or not length or sums.covered_bp < th.chromosome_min_covered_fraction * length:
            cov = 0.0 if sums is None or not length else sums.covered_bp / length
            unassessed.append(c)
            notes.append(f"chr{c}: {cov:.0%} covered")
            continue
        share = sums.gained_bp / sums.covered_bp
        mean = sums.mean_copies or 0.0
        notes.append(f"chr{c}: {share:.0%} of covered length at ≥ {th.trisomy_min} copies (mean {mean:.2f})")
        (gained if share >= th.trisomy_min_fraction else neutral).append(c)
    need = th.hyperdiploid_min_trisomies
    detail = (f"trisomies {', '.join(gained) or 'none'} of {', '.join(HYPERDIPLOID_CHROMOSOMES)} "
              f"(≥ {need} needed; a trisomy = ≥ {th.trisomy_min} copies over ≥ {th.trisomy_min_fraction:.0%} of the "
              f"covered length): " + "; ".join(notes))
    if len(gained) >= need:
        ctx.result.evidence.append(Evidence("hyperdiploidy", "present", "CNV", origin=ctx.name, detail=detail))
    elif len(gained) + len(unassessed) < need:
        ctx.result.evidence.append(Evidence("hyperdiploidy", "absent", "CNV", origin=ctx.name, detail=detail))
    else:
        ctx.result.warnings.append(f"{ctx.name}: hyperdiploidy not assessed: chromosome(s) "
                                   f"{', '.join(unassessed)} not covered well enough ({detail})")


# ----------------------------------------------------------------------------- entry point


def read_copy_number(
    path: str | Path,
    *,
    build: str,
    sample_id: str | None = None,
    purity: float | None = None,
    ploidy: float = 2.0,
    genes: Mapping[str, Mapping[str, Region]] | None = None,
    centromeres: Mapping[str, Mapping[str, Region]] | None = None,
    thresholds: CnvThresholds | None = None,
    format: FormatName | None = None,
) -> CnvResult:
    """Read one copy-number file of one sample and call the copy-number lesions.

    ``build`` is the sample's declared build (a header that says otherwise is an
    :class:`InputError` naming both); ``sample_id`` picks the sample of a multi-sample
    file (exact id, else a unique substring match); ``purity``/``ploidy`` convert log2
    ratios to copies. ``genes``/``centromeres`` default to ``resources/genome``.
    Raises :class:`InputError` for a broken or unrecognised file.
    """
    if build not in BUILDS:
        raise ValueError(f"unknown build {build!r}; expected one of {BUILDS}")
    if purity is not None and not 0 < purity <= 1:
        raise ValueError(f"purity {purity} outside (0, 1]")
    if ploidy <= 0:
        raise ValueError(f"ploidy {ploidy} must be > 0")
    th = thresholds or CnvThresholds()
    genes_all = genes if genes is not None else load_genes()
    cens_all = centromeres if centromeres is not None else load_centromeres()
    p, name = Path(path), str(path)
    fmt = format or detect_format(p)
    result = CnvResult(name, fmt, build, sample_id)
    ctx = _Context(name, build, genes_all.get(build, {}), cens_all.get(build, {}), th, purity, ploidy, result)
    if fmt == "vcf":
        _read_vcf(ctx, p, sample_id)
    elif fmt in ("cnvkit_cns", "cnvkit_cnr"):
        _read_cnvkit(ctx, p, bins=fmt == "cnvkit_cnr")
    elif fmt == "gatk_seg":
        _read_gatk(ctx, p)
    elif fmt == "seg":
        _read_seg(ctx, p, sample_id)
    elif fmt == "purple":
        _read_purple(ctx, p)
    elif fmt == "ascat":
        _read_ascat(ctx, p, sample_id)
    else:  # pragma: no cover - detect_format returns only the names above
        raise ValueError(fmt)
    if ctx.problems:
        raise InputError(ctx.problems)
    if result.n_segments == 0:
        raise InputError([InputProblem(name, "no copy-number segment on the primary chromosomes was found",
                                       expected="at least one segment on 1-22, X or Y")])
    if not result.purity_adjusted:
        result.warnings.append(f"{name}: purity unknown: log2 ratios converted with purity 1 and ploidy "
                               f"{ploidy:g}; copies are not purity-adjusted (give the sample's purity)")
    if ctx.skipped_contigs:
        shown = sorted(ctx.skipped_contigs)[:5]
        result.warnings.append(f"{name}: segments on {len(ctx.skipped_contigs)} non-primary contig(s) ignored "
                               f"({', '.join(shown)}{', ...' if len(ctx.skipped_contigs) > 5 else ''})")
    if ctx.low_conf_count:
        result.warnings.append(f"{name}: {ctx.low_conf_count} of {result.n_segments} segments are low-confidence "
                               f"(< {th.min_probes} probes or < {th.min_segment_bp} bp); they are reported but "
                               "not used for a call where a confident segment covers the locus")
    _gene_states(ctx)
    _lesion_from_gene(ctx, "del(17p)", ("TP53",), "loss")
    _lesion_from_gene(ctx, "gain(1q)", ("CKS1B", "MCL1"), "gain")
    _lesion_from_gene(ctx, "amp(1q)", ("CKS1B", "MCL1"), "amp")
    _lesion_from_gene(ctx, "del(1p32)", ("CDKN2C", "FAF1"), "loss")
    _lesion_from_gene(ctx, "del(13q)", ("RB1",), "loss")
    _hyperdiploidy(ctx)
    return result
