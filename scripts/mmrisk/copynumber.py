"""Copy-number lesions of myeloma from the segments of one file: gene states, locus lesions, hyperdiploidy.

:func:`read_copy_number` reads one copy-number file of one sample (any format of
:mod:`mmrisk.formats.cn`, told from the content) and returns a :class:`CnvResult`: the segments
that overlap a gene of ``resources/genome/genes.tsv``, one :class:`GeneState` per gene, per-chromosome
and per-arm coverage sums, a bounded genome-wide profile for plots, the
:class:`~mmrisk.lesions.Evidence` items (source ``CNV``) and warnings.

The calls:

- gene states (:func:`_gene_states`): per gene, the lowest copy number of the confident segments
  over it for a loss, else the copies of the segment covering most of it;
- locus lesions (:func:`_lesion_from_locus`), one per row of the loci table
  ``resources/cnv_loci.tsv`` (:func:`load_cnv_loci`): ``del(17p)`` at TP53, ``gain(1q)``/``amp(1q)``
  at CKS1B (else MCL1), ``del(1p32)`` at CDKN2C/FAF1 (mono/biallelic), ``del(13q)`` at RB1, each
  with the gene it rests on in ``Evidence.gene``;
- ``hyperdiploidy`` (:func:`_hyperdiploidy`) from trisomies of 3, 5, 7, 9, 11, 15, 19, 21 over
  their covered length.

Copies at a locus are the caller's absolute copy number where the file has one, otherwise the log2
ratio converted with purity ``p`` and tumour ploidy ``P`` by inverting
``r = (p·CN + 2(1−p)) / (p·P + 2(1−p))`` (:func:`mmrisk.cellfraction.log2_to_copies`). Without a
purity ``p = 1`` is assumed and a warning says the copies are not purity-adjusted. All cut-offs
are in :class:`CnvThresholds`.

Memory does not grow with the file: segments are streamed; only those that overlap a gene are
kept, plus running per-chromosome and per-arm sums.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, Mapping, Sequence

from .cellfraction import single_copy_fraction
from .errors import InputError, InputProblem
from .formats.cn import Bounds, FormatName, Reading, Segment, detect_format, read_segments
from .genome import BUILDS, chromosome_lengths
from .lesions import IGH_TRANSLOCATIONS, LESION_IDS, Evidence
from .regions import Region, load_centromeres, load_genes
from .resources import schema_default, shipped
from .tables import read_tsv

#: The shipped lesion → gene-loci table (``resources.cnv_loci`` of the configuration).
CNV_LOCI_TSV = shipped("cnv_loci")

#: Chromosomes whose trisomies define hyperdiploid myeloma.
HYPERDIPLOID_CHROMOSOMES: tuple[str, ...] = ("3", "5", "7", "9", "11", "15", "19", "21")
#: Sex chromosomes: a minor-allele count of 0 there is hemizygosity in male cells, not read as LOH.
SEX_CHROMOSOMES: frozenset[str] = frozenset({"X", "Y"})
#: Chromosomes whose short arm is not assembled (satellite DNA): only the q arm counts as length.
ACROCENTRIC: frozenset[str] = frozenset({"13", "14", "15", "21", "22"})
#: The plotting profile keeps at most this many runs (memory stays flat on bin-level files) ...
PROFILE_MAX_RUNS = 5000
#: ... and merges equal-copy segments separated by gaps up to this size.
PROFILE_GAP_BP = 1_000_000

GeneCopyState = Literal["deletion", "biallelic_deletion", "neutral", "gain", "amplification", "not_covered"]
LocusKind = Literal["loss", "gain", "amp"]
LOCUS_KINDS: tuple[str, ...] = ("loss", "gain", "amp")
#: Lesion ids no gene locus's copy number can show (rearrangements, mutations, whole-chromosome trisomies).
NOT_LOCUS_LESIONS: frozenset[str] = frozenset(
    IGH_TRANSLOCATIONS + ("MYC_rearrangement", "IGH_rearrangement", "TP53_mutation", "hyperdiploidy"))


# ----------------------------------------------------------------------------- thresholds and records


@dataclass(frozen=True)
class CnvThresholds:
    """Every cut-off of the copy-number calls (absolute copies of the tumour cells).

    Copies are continuous (log2-derived or subclonal); they are rounded at the
    half-way points: ``≤ loss_max`` is a loss (1 copy), ``≤ biallelic_max`` no copy
    left (0), ``≥ gain_min`` a gain (3), ``≥ amp_min`` an amplification (4 or more).
    """

    loss_max: float = schema_default("cnv.loss_max")  #: copies ≤ this: loss of one copy (del(17p), del(13q), del(1p32) mono)
    biallelic_max: float = schema_default("cnv.biallelic_max")  #: copies ≤ this: no copy left (del(1p32) biallelic, biallelic gene loss)
    gain_min: float = schema_default("cnv.gain_min")  #: copies ≥ this: gain(1q) (3 copies)
    amp_min: float = schema_default("cnv.amp_min")  #: copies ≥ this: amp(1q) (≥ 4 copies)
    trisomy_min: float = schema_default("cnv.trisomy_min")  #: a chromosome segment counts as gained at ≥ this many copies
    trisomy_min_fraction: float = schema_default("cnv.trisomy_min_fraction")  #: share of a chromosome's covered length that must be gained
    hyperdiploid_min_trisomies: int = schema_default("cnv.hyperdiploid_min_trisomies")  #: trisomies among 3,5,7,9,11,15,19,21 for hyperdiploidy
    chromosome_min_covered_fraction: float = schema_default("cnv.chromosome_min_covered_fraction")  #: a chromosome is assessed when this share of it is covered
    min_probes: int = schema_default("cnv.min_probes")  #: segments with fewer probes/bins/windows are low-confidence
    min_segment_bp: int = schema_default("cnv.min_segment_bp")  #: segments shorter than this are low-confidence
    min_copies: float = schema_default("cnv.min_copies")  #: copies in [this, 0) are read as 0 (fitting noise); below: refused
    max_copies: float = schema_default("cnv.max_copies")  #: copies above this are refused
    min_log2: float = schema_default("cnv.min_log2")  #: log2 ratios below this are refused
    max_log2: float = schema_default("cnv.max_log2")  #: log2 ratios above this are refused

    def __post_init__(self) -> None:
        if not (0 <= self.biallelic_max < self.loss_max < self.gain_min <= self.amp_min):
            raise ValueError("thresholds must satisfy 0 ≤ biallelic_max < loss_max < gain_min ≤ amp_min")
        if not (self.min_copies <= 0 < self.amp_min < self.max_copies) or not self.min_log2 < 0 < self.max_log2:
            raise ValueError("input ranges must satisfy min_copies ≤ 0 < amp_min < max_copies and "
                             "min_log2 < 0 < max_log2")
        if not 0 < self.trisomy_min_fraction <= 1 or not 0 < self.chromosome_min_covered_fraction <= 1:
            raise ValueError("fractions must lie in (0, 1]")

    @property
    def bounds(self) -> Bounds:
        """The plausible values of a copy-number file's numbers (what its readers refuse outside)."""
        return Bounds(self.min_copies, self.max_copies, self.min_log2, self.max_log2)


@dataclass(frozen=True)
class CnvLocus:
    """One row of the loci table: the genes a copy-number lesion is called at."""

    lesion: str
    kind: LocusKind
    genes: tuple[str, ...]  # in order of preference
    allelic: bool  # the call names the allelic state of a loss (mono/biallelic)
    source: str
    origin: str = ""  # "file:line"


@dataclass
class GeneState:
    """Copy number at one gene of ``genes.tsv``; ``chrom`` is the gene's canonical chromosome ("17"),
    for the plots (risk.json's ``gene_copy_states`` leave it out: see ``outputs``)."""

    gene: str
    state: GeneCopyState
    copies: float | None = None  # the copies the state rests on (minimum for a loss)
    min_copies: float | None = None
    max_copies: float | None = None
    fraction: float | None = None  # tumour cells carrying a single-copy change, where estimable
    low_confidence: bool = False  # only low-confidence segments cover the gene
    origin: str = ""  # "file:line" of the segment(s) used
    detail: str = ""
    chrom: str = ""
    minor_copies: float | None = None  # copies of the minor allele (allele-specific files), else None
    loh: bool = False  # no copy of the minor allele left (≤ biallelic_max) while the gene keeps copies
    subclonal: bool = False  # a fractional copy number of an allele-specific caller: a state of some cells


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


# ----------------------------------------------------------------------------- the loci table


def load_cnv_loci(path: str | Path = CNV_LOCI_TSV) -> tuple[CnvLocus, ...]:
    """The rows of a loci table (``lesion kind genes allelic source``), in file order.

    A malformed row is an :class:`InputError` naming file, line and column; every problem is reported.
    """
    table = read_tsv(path, required_columns=("lesion", "kind", "genes", "allelic", "source"))
    out: list[CnvLocus] = []
    problems: list[InputProblem] = []
    seen: set[str] = set()

    def bad(line: int, column: str, message: str, value: str, expected: str) -> None:
        problems.append(InputProblem(table.path, message, line=line, column=column, value=value,
                                     expected=expected))

    for row in table.rows:
        c, n = row.cells, row.line
        genes = tuple(g.strip() for g in c["genes"].split(","))
        if c["lesion"] not in LESION_IDS or c["lesion"] in NOT_LOCUS_LESIONS:
            bad(n, "lesion", "not a lesion a gene locus is called for", c["lesion"],
                "a lesion id of the contract such as del(17p), gain(1q), amp(1q), del(1p32), del(13q)")
        elif c["lesion"] in seen:
            bad(n, "lesion", "lesion listed twice", c["lesion"], "one row per lesion")
        elif c["kind"] not in LOCUS_KINDS:
            bad(n, "kind", "unknown kind", c["kind"], " or ".join(LOCUS_KINDS))
        elif not all(genes):
            bad(n, "genes", "empty gene name", c["genes"], "gene symbols of genes.tsv, comma-separated")
        elif c["allelic"] not in ("yes", "no") or (c["allelic"] == "yes" and c["kind"] != "loss"):
            bad(n, "allelic", "allelic must be yes or no, and yes only for a loss", c["allelic"],
                "yes (loss only) or no")
        elif not c["source"]:
            bad(n, "source", "no source given", c["source"], "where the locus of the lesion is written down")
        else:
            seen.add(c["lesion"])
            out.append(CnvLocus(c["lesion"], c["kind"], genes, c["allelic"] == "yes",  # type: ignore[arg-type]
                                c["source"], f"{table.path}:{n}"))
    if not out and not problems:
        problems.append(InputProblem(table.path, "has a header but no rows", expected="one row per lesion"))
    if problems:
        raise InputError(problems)
    return tuple(out)


@lru_cache(maxsize=1)
def shipped_loci() -> tuple[CnvLocus, ...]:
    """The shipped loci table, read once per process."""
    return load_cnv_loci(CNV_LOCI_TSV)


# ----------------------------------------------------------------------------- accumulation


@dataclass
class _Calls:
    """One file's calls in the making: its loci and cut-offs, and the result being filled."""

    name: str
    build: str
    genes: Mapping[str, Region]
    centromeres: Mapping[str, Region]
    th: CnvThresholds
    result: CnvResult
    low_conf_count: int = 0
    filtered: int = 0  # records skipped for their FILTER (a locus they covered is then not covered)
    by_chrom: dict[str, list[Region]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for g in self.genes.values():
            self.by_chrom.setdefault(g.chrom, []).append(g)

    def take(self, seg: Segment) -> None:
        """Count one checked segment, add it to the sums and the profile, keep it if it overlaps a gene."""
        res, th = self.result, self.th
        res.n_segments += 1
        if seg.low_confidence:
            self.low_conf_count += 1
        copies = seg.copies
        if copies is not None:
            self._profile(seg.chrom, seg.start, seg.end, copies)
            res.chromosomes.setdefault(seg.chrom, CoverageSums()).add(seg.length, copies, th)
            cen = self.centromeres.get(seg.chrom)
            if cen is not None:
                p_len = max(0, min(seg.end, cen.start - 1) - seg.start + 1)
                q_len = max(0, seg.end - max(seg.start, cen.end + 1) + 1)
                if p_len:
                    res.arms.setdefault(seg.chrom + "p", CoverageSums()).add(p_len, copies, th)
                if q_len:
                    res.arms.setdefault(seg.chrom + "q", CoverageSums()).add(q_len, copies, th)
        if copies is not None and copies <= th.biallelic_max and len(res.homozygous_deletions) < 1000:
            res.homozygous_deletions.append(seg)
        for g in self.by_chrom.get(seg.chrom, ()):
            if g.overlap(seg.start, seg.end):
                res.segments.append(seg)
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


# ----------------------------------------------------------------------------- calls


def _gene_state(ctx: _Calls, name: str, g: Region) -> GeneState:
    th, res = ctx.th, ctx.result
    segs = [s for s in res.segments if s.chrom == g.chrom and g.overlap(s.start, s.end) and s.copies is not None]
    if not segs:
        return GeneState(name, "not_covered", detail=f"no segment covers {name} ({g})", chrom=g.chrom)
    trusted = [s for s in segs if not s.low_confidence]
    use = trusted or segs
    mins = min(use, key=lambda s: s.copies or 0.0)
    biggest = max(use, key=lambda s: g.overlap(s.start, s.end))
    lo = float(mins.copies or 0.0)
    hi = float(max(s.copies or 0.0 for s in use))
    state: GeneCopyState
    if lo <= th.biallelic_max:
        state, copies, basis = "biallelic_deletion", lo, mins
    elif lo <= th.loss_max:
        state, copies, basis = "deletion", lo, mins
    else:
        copies, basis = float(biggest.copies or 0.0), biggest
        state = "amplification" if copies >= th.amp_min else "gain" if copies >= th.gain_min else "neutral"
    fraction = None
    subclonal = not res.continuous_copies and not float(copies).is_integer()
    if res.purity_adjusted and (res.continuous_copies or subclonal) and state in ("deletion", "gain"):
        fraction = single_copy_fraction(copies, "loss" if state == "deletion" else "gain")
    minor = basis.minor_copies
    # LOH beyond a loss (a lost copy always leaves no minor allele); not on X/Y, hemizygous in male cells
    loh = (minor is not None and minor <= th.biallelic_max and state not in ("deletion", "biallelic_deletion")
           and g.chrom not in SEX_CHROMOSOMES)
    detail = f"{name} ({g}): " + "; ".join(s.describe() for s in segs)
    if subclonal:
        detail += (f" — {copies:g} copies: a subclonal state" + (f", a single-copy change in about {fraction:.0%} "
                   "of the tumour cells" if fraction is not None else ""))
    if loh:
        detail += (" — copy-neutral loss of heterozygosity (no minor-allele copy)" if state == "neutral"
                   else f" — {state} with loss of heterozygosity (no minor-allele copy)")
    if len(use) > 1:
        detail += f" — {len(use)} segments overlap; " + (
            "the lowest copy number is used" if state in ("deletion", "biallelic_deletion")
            else "the segment covering most of the gene is used")
    if not trusted:
        detail += " — only low-confidence segments cover this gene"
        res.warnings.append(f"{ctx.name}: {name} is covered only by low-confidence segment(s): "
                            + "; ".join(s.describe() for s in segs))
    elif len(trusted) < len(segs):
        detail += " — low-confidence segment(s) ignored for the call"
    return GeneState(name, state, round(copies, 3), round(lo, 3), round(hi, 3), fraction, not trusted,
                     basis.source, detail, chrom=g.chrom,
                     minor_copies=None if minor is None else round(minor, 3), loh=loh, subclonal=subclonal)


def _gene_states(ctx: _Calls) -> None:
    for name, g in ctx.genes.items():
        ctx.result.gene_states[name] = _gene_state(ctx, name, g)


def _lesion_from_locus(ctx: _Calls, locus: CnvLocus) -> None:
    th, res, lesion, genes = ctx.th, ctx.result, locus.lesion, locus.genes
    states = [res.gene_states[g] for g in genes if g in res.gene_states and res.gene_states[g].state != "not_covered"]
    if not states:
        missing = [g for g in genes if g not in ctx.genes]
        why = (f"no coordinates of {', '.join(missing)} for {ctx.build} in genes.tsv" if missing
               else f"the file does not cover {'/'.join(genes)}"
               + (f" with a record passing FILTER ({ctx.filtered} record(s) not passing FILTER were skipped)"
                  if ctx.filtered else ""))
        res.warnings.append(f"{ctx.name}: {lesion} not assessed: {why}")
        return
    if all(s.low_confidence for s in states):
        st = states[0]
        res.evidence.append(Evidence(lesion, "not_assessed", "CNV", origin=st.origin,
                                     detail=f"only low-confidence segments: {st.detail}", gene=st.gene))
        return
    states = [s for s in states if not s.low_confidence]
    # losses: the lowest copy number of the genes (CDKN2C/FAF1); gains: the first gene covered (CKS1B, else MCL1)
    st = min(states, key=lambda s: s.copies or 0.0) if locus.kind == "loss" else states[0]
    c = float(st.copies or 0.0)
    adj = "" if res.purity_adjusted else " (not purity-adjusted)"
    if locus.kind == "loss":
        present = c <= th.loss_max
        rounded = 0 if c <= th.biallelic_max else 1 if present else round(c)
        allelic: Literal["mono", "biallelic"] | None = None
        if locus.allelic and present:
            allelic = "biallelic" if c <= th.biallelic_max else "mono"
        frac = st.fraction if present and c > th.biallelic_max else None
        rule = f"loss at ≤ {th.loss_max} copies" + (f", no copy at ≤ {th.biallelic_max}" if locus.allelic else "")
        ev = Evidence(lesion, "present" if present else "absent", "CNV", fraction=frac if present else None,
                      copies=int(rounded), allelic=allelic, origin=st.origin,
                      detail=f"{st.gene}: {c:.2f} copies{adj} ({rule}); {st.detail}", gene=st.gene)
    else:
        cut = th.gain_min if locus.kind == "gain" else th.amp_min
        present = c >= cut
        rounded = max(3, round(c)) if present and locus.kind == "gain" else max(4, round(c)) if present else round(c)
        frac = st.fraction if present and locus.kind == "gain" else None
        ev = Evidence(lesion, "present" if present else "absent", "CNV", fraction=frac,
                      copies=int(rounded), origin=st.origin,
                      detail=f"{st.gene}: {c:.2f} copies{adj} ({lesion} at ≥ {cut}); {st.detail}", gene=st.gene)
    res.evidence.append(ev)


def _hyperdiploidy(ctx: _Calls) -> None:
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
    ploidy: float = schema_default("cnv.ploidy"),
    genes: Mapping[str, Mapping[str, Region]] | None = None,
    centromeres: Mapping[str, Mapping[str, Region]] | None = None,
    thresholds: CnvThresholds | None = None,
    format: FormatName | None = None,
    loci: Sequence[CnvLocus] | None = None,
) -> CnvResult:
    """Read one copy-number file of one sample and call the copy-number lesions.

    ``build`` is the sample's declared build (a header that says otherwise is an
    :class:`InputError` naming both); ``sample_id`` picks the sample of a multi-sample
    file (exact id, else a unique substring match); ``purity``/``ploidy`` convert log2
    ratios to copies. ``genes``/``centromeres`` default to ``resources/genome``, ``loci``
    (the lesion → gene-loci rows, :func:`load_cnv_loci`) to ``resources/cnv_loci.tsv``.
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
    rules = loci if loci is not None else shipped_loci()
    name = str(path)
    fmt = format or detect_format(path)
    result = CnvResult(name, fmt, build, sample_id)
    ctx = _Calls(name, build, genes_all.get(build, {}), cens_all.get(build, {}), th, result)
    rd = Reading(path, build, sample_id, bounds=th.bounds)
    for seg in read_segments(rd, fmt, purity=purity, ploidy=ploidy, min_probes=th.min_probes,
                             min_segment_bp=th.min_segment_bp):
        ctx.take(seg)
    if rd.problems:
        raise InputError(rd.problems)
    if result.n_segments == 0:
        raise InputError([InputProblem(name, "no copy-number segment on the primary chromosomes was found",
                                       expected="at least one segment on 1-22, X or Y")])
    _take_reading(result, rd, purity)
    ctx.filtered = sum(rd.skipped_filter.values())
    if not result.purity_adjusted:
        result.warnings.append(f"{name}: purity unknown: log2 ratios converted with purity 1 and ploidy "
                               f"{ploidy:g}; copies are not purity-adjusted (give the sample's purity)")
    if rd.skipped_contigs:
        shown = sorted(rd.skipped_contigs)[:5]
        result.warnings.append(f"{name}: segments on {len(rd.skipped_contigs)} non-primary contig(s) ignored "
                               f"({', '.join(shown)}{', ...' if len(rd.skipped_contigs) > 5 else ''})")
    if ctx.low_conf_count:
        result.warnings.append(f"{name}: {ctx.low_conf_count} of {result.n_segments} segments are low-confidence "
                               f"(< {th.min_probes} probes or < {th.min_segment_bp} bp); they are reported but "
                               "not used for a call where a confident segment covers the locus")
    _gene_states(ctx)
    for locus in rules:
        _lesion_from_locus(ctx, locus)
    _hyperdiploidy(ctx)
    return result


def _take_reading(result: CnvResult, rd: Reading, purity: float | None) -> None:
    """What the reader learnt besides the segments: the sample, its warnings, how the copies were made."""
    if rd.sample is not None:
        result.sample = rd.sample
    result.warnings.extend(rd.warnings)
    result.purity_adjusted = purity is not None if rd.log2_copies else True
    result.continuous_copies = rd.continuous_copies
