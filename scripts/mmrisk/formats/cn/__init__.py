"""Copy-number file formats: one module per format, one :data:`REGISTRY` row each, one shared step.

============== ================ ====================================================================
name           module           what
============== ================ ====================================================================
``vcf``        :mod:`.vcf`      VCF (plain or gzip) with ``CN`` in FORMAT or INFO
``ascat``      :mod:`.ascat`    ASCAT segments (``sample chr startpos endpos nMajor nMinor``)
``purple``     :mod:`.purple`   PURPLE ``.purple.cnv.somatic.tsv``
``gatk_seg``   :mod:`.gatk`     GATK ``.called.seg`` / ``.cr.seg`` / ``.modelFinal.seg`` (``@SQ`` header)
``cnvkit_cns`` :mod:`.cnvkit`   CNVkit segments ``.cns``
``cnvkit_cnr`` :mod:`.cnvkit`   CNVkit bin-level ratios ``.cnr`` (grouped naively by gene)
``seg``        :mod:`.seg`      generic SEG (``ID chrom loc.start loc.end num.mark seg.mean``)
``facets``     :mod:`.allelic`  FACETS ``cncf`` (``chrom loc.start loc.end tcn.em lcn.em``)
``sequenza``   :mod:`.allelic`  Sequenza ``segments.txt`` (``chromosome start.pos end.pos CNt A B``)
``battenberg`` :mod:`.allelic`  Battenberg subclones (``chr startpos endpos nMaj1_A nMin1_A frac1_A ...``)
``totmin``     :mod:`.allelic`  generic total/minor segments (``[sample] chr start end tot min``)
============== ================ ====================================================================

The allele-specific formats (ASCAT and the four of :mod:`.allelic`) give minor copies; fractional copies
are subclonal states, read as they are.

:func:`detect_format` tells the format from the content (never the file name): a row's
``sniff_line`` may claim the file by one line (the VCF's first or ``#CHROM`` line); otherwise the
first line that is not blank, not a comment and not a preamble line (GATK's ``@`` lines) is the
column header, and the first row, in registry order, whose ``sniff_columns`` accepts its
lower-cased column names wins — so a format whose header could also satisfy a later row's sniffer
comes first (ASCAT before PURPLE before ... SEG).

:func:`read_segments` is the shared step after a reader: it turns each :class:`~.base.RawSegment`
into a checked :class:`~.base.Segment`: copies from log2 with purity and ploidy where the caller gave
none (:func:`mmrisk.cellfraction.log2_to_copies`; purity 1 when unknown), the canonical chromosome
(segments off the primary chromosomes are skipped and their contigs recorded), positions checked
against the declared build's chromosome lengths (an end past the telomere is clipped quietly),
copies checked against :class:`~.base.Bounds` (``cnv.min_copies``/``max_copies``; copies in
``[min_copies, 0)`` are fitting noise read as 0 and counted in ``Reading.negative_copies``), and the
low-confidence flag (too few probes or too short). Every reader refuses numbers that are not finite or lie
outside the bounds (:func:`~.base.num`), and a column named twice (:func:`~.base.check_header`).

Adding a format: write ``formats/cn/<name>.py`` with a reader ``read(rd: Reading) -> Iterator[RawSegment]``
(use :mod:`.base` for lines, columns, numbers and sample choice; record on ``rd`` the sample, warnings
and whether copies come from log2) and a sniffer, then add one :class:`CnFormat` row to
:data:`REGISTRY` (and its name to :data:`FormatName`); the phrase of :data:`~.base.FORMAT_HELP`
lists the formats to a user whose file is not recognised. The reader knows nothing of genes or
lesions: those are called from the segments by :mod:`mmrisk.copynumber`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Literal

from ... import filekind
from ...cellfraction import log2_to_copies
from ...errors import InputError, InputProblem
from ...genome import BUILDS, canonical_chrom, chromosome_lengths
from ...textio import lines
from . import allelic, ascat, cnvkit, gatk, purple, seg, vcf
from .base import (
    FORMAT_HELP,
    PRIMARY,
    WHAT,
    Bounds,
    RawSegment,
    Reader,
    Reading,
    Segment,
    lower_columns,
)

__all__ = [
    "PRIMARY",
    "Bounds",
    "REGISTRY",
    "CnFormat",
    "FormatName",
    "RawSegment",
    "Reading",
    "Segment",
    "detect_format",
    "read_segments",
]

FormatName = Literal["vcf", "cnvkit_cns", "cnvkit_cnr", "gatk_seg", "seg", "purple", "ascat", "facets", "sequenza",
                     "battenberg", "totmin"]


@dataclass(frozen=True)
class CnFormat:
    """One registered copy-number format: its reader and how its files are recognised."""

    name: FormatName
    read: Reader
    sniff_columns: Callable[[frozenset[str]], bool] | None = None  # claims a file by its column header
    sniff_line: Callable[[int, str], bool] | None = None  # claims a file by one line (line number, text)
    label: str = ""  # how messages name the format ("GATK")
    preamble: str | None = None  # lines starting with this come before the column header
    preamble_expected: str = ""  # what the column header after such a preamble must hold


#: Every copy-number format, in detection order (the first row that claims a file wins).
REGISTRY: dict[str, CnFormat] = {f.name: f for f in (
    CnFormat("vcf", vcf.read, sniff_line=vcf.sniff_line, label="VCF"),
    CnFormat("battenberg", allelic.read_battenberg, allelic.sniff_battenberg, label="Battenberg"),
    CnFormat("facets", allelic.read_facets, allelic.sniff_facets, label="FACETS"),
    CnFormat("sequenza", allelic.read_sequenza, allelic.sniff_sequenza, label="Sequenza"),
    CnFormat("totmin", allelic.read_totmin, allelic.sniff_totmin, label="total/minor"),
    CnFormat("ascat", ascat.read, ascat.sniff, label="ASCAT"),
    CnFormat("purple", purple.read, purple.sniff, label="PURPLE"),
    CnFormat("gatk_seg", gatk.read, gatk.sniff, label="GATK", preamble=gatk.PREAMBLE,
             preamble_expected=gatk.PREAMBLE_EXPECTED),
    CnFormat("cnvkit_cns", cnvkit.read_cns, cnvkit.sniff_cns, label="CNVkit"),
    CnFormat("cnvkit_cnr", cnvkit.read_cnr, cnvkit.sniff_cnr, label="CNVkit"),
    CnFormat("seg", seg.read, seg.sniff, label="SEG"),
)}


def _preamble_of(line: str) -> CnFormat | None:
    return next((f for f in REGISTRY.values() if f.preamble and line.startswith(f.preamble)), None)


def detect_format(path: str | Path) -> FormatName:
    """The copy-number format of ``path``, read from its first lines (raises InputError if none)."""
    name = str(path)
    preamble: CnFormat | None = None
    for lineno, line in lines(path, WHAT):
        if not line.strip():
            continue
        claimed = next((f for f in REGISTRY.values() if f.sniff_line and f.sniff_line(lineno, line)), None)
        if claimed is not None:
            return claimed.name
        pre = _preamble_of(line)
        if pre is not None:
            preamble = pre
            continue
        if line.startswith("#"):
            continue
        columns = lower_columns(line.split("\t"))
        kind = next((f for f in REGISTRY.values() if f.sniff_columns and f.sniff_columns(columns)), None)
        if kind is not None:
            return kind.name
        if preamble is not None:
            raise InputError([InputProblem(name, f"{preamble.label}-style file ({preamble.preamble} header) "
                                                 "without the expected columns", line=lineno, value=line,
                                           expected=preamble.preamble_expected)])
        raise InputError([InputProblem(name, "not a recognised copy-number format" + filekind.hint(name, "cnv"),
                                       line=lineno, value=line, expected=FORMAT_HELP)])
    raise InputError([InputProblem(name, "is empty (no header line and no segments)", expected=FORMAT_HELP)])


def read_segments(rd: Reading, fmt: str, *, purity: float | None, ploidy: float, min_probes: int,
                  min_segment_bp: int) -> Iterator[Segment]:
    """The checked segments of the file ``rd`` describes, read by the reader of format ``fmt``.

    Problems go to ``rd.problems`` (the caller raises them after the last segment); the contigs of
    skipped non-primary segments go to ``rd.skipped_contigs``.
    """
    try:
        reader = REGISTRY[fmt].read
    except KeyError:
        raise ValueError(f"unknown copy-number format {fmt!r}; known: {', '.join(REGISTRY)}") from None
    for raw in reader(rd):
        checked = _check(rd, raw, purity, ploidy, min_probes, min_segment_bp)
        if checked is not None:
            yield checked
    if rd.negative_copies:
        rd.warnings.append(f"{rd.name}: {rd.negative_copies} segment(s) with a negative copy number "
                           f"(down to {rd.bounds.min_copies:g}: fitting noise at a deletion) read as 0 copies")


def _check(rd: Reading, raw: RawSegment, purity: float | None, ploidy: float, min_probes: int,
           min_segment_bp: int) -> Segment | None:
    """One raw segment checked against the declared build; None if skipped or wrong (a problem)."""
    copies = raw.copies
    if copies is None and raw.log2 is not None:
        copies = log2_to_copies(raw.log2, purity if purity is not None else 1.0, ploidy)
    chrom = canonical_chrom(raw.chrom)
    if chrom not in PRIMARY:
        rd.skipped_contigs.add(raw.chrom)
        return None
    start, end = raw.start, raw.end
    if start < 1 or end < start:
        rd.problem("segment start must be ≥ 1 and ≤ end", line=raw.line, value=f"{raw.chrom}:{start}-{end}",
                   expected="start ≤ end (positions of the declared build)")
        return None
    length = chromosome_lengths().get(rd.build, {}).get(chrom)
    if length is not None and start > length:
        other = [b for b in BUILDS if b != rd.build and start <= chromosome_lengths().get(b, {}).get(chrom, 0)]
        rd.problem(f"segment starts beyond the end of chromosome {chrom} in {rd.build} (length {length})",
                   line=raw.line, value=f"{raw.chrom}:{start}-{end}",
                   expected=f"{rd.build} positions" + (f" (this looks like {other[0]})" if other else ""))
        return None
    if length is not None and end > length:
        end = length  # callers pad the last segment to the telomere; clip quietly
    b = rd.bounds
    for value, what in ((copies, "copy number"), (raw.minor, "minor-allele copy number")):
        if value is not None and not (math.isfinite(value) and b.min_copies <= value <= b.max_copies):
            rd.problem(f"{what} out of range", line=raw.line, value=f"{value:g}", expected=b.copies().expected)
            return None
    if copies is not None and copies < 0:
        rd.negative_copies += 1  # fitting noise at a deletion (within cnv.min_copies): no copy
        copies = 0.0
    minor = raw.minor
    if minor is not None and minor < 0:
        minor = 0.0
    why = None
    if raw.probes is not None and raw.probes < min_probes:
        why = f"{raw.probes} probes < {min_probes}"
    elif end - start + 1 < min_segment_bp:
        why = f"{end - start + 1} bp < {min_segment_bp} bp"
    return Segment(chrom, start, end, copies, raw.log2, minor, raw.probes, f"{rd.name}:{raw.line}", why)
