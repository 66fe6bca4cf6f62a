"""CNVkit segments (``.cns``, with or without ``cn``) and bin-level ratios (``.cnr``).

Columns ``chromosome start end gene log2`` (+ ``cn``, ``probes``, ``weight``, ...); starts are
BED-style 0-based and become 1-based here. A ``.cns`` row is one segment: copies from ``cn`` where the
file has that column (then every row must give it), otherwise from ``log2``. A ``.cnr`` file has one row per bin: consecutive bins of one gene
are grouped naively into one segment (weighted mean log2, bins counted as probes), with a warning
that real segments are preferred.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

from .base import BAF, COUNT, FORMAT_HELP, RawSegment, Range, Reading, is_comment, num, require, rows

COLUMNS = {"chrom": ("chromosome",), "start": ("start",), "end": ("end",), "gene": ("gene",), "log2": ("log2",)}
#: gene labels of bins that belong to no gene: each such bin is a group of its own
NO_GENE = ("-", "", "Antitarget")
#: bin weights are non-negative (their sum is a divisor)
WEIGHT = Range(0.0, math.inf, "a non-negative finite bin weight")


def sniff(columns: frozenset[str]) -> bool:
    return {"chromosome", "log2", "gene"} <= columns


def sniff_cns(columns: frozenset[str]) -> bool:
    return sniff(columns) and "probes" in columns


def sniff_cnr(columns: frozenset[str]) -> bool:
    return sniff(columns) and "probes" not in columns


@dataclass
class _BinGroup:
    """Consecutive bins of one gene, summed up for their mean log2."""

    chrom: str
    gene: str
    start: int
    end: int
    line: int
    n: int = 0
    weighted: float = 0.0  # Σ weight × log2
    weight: float = 0.0
    raw: float = 0.0  # Σ log2 (the mean when no bin has a weight)

    def segment(self) -> RawSegment:
        lg = self.weighted / self.weight if self.weight else self.raw / self.n
        return RawSegment(self.chrom, self.start, self.end, None, log2=lg, probes=self.n, line=self.line)


def read_cns(rd: Reading) -> Iterator[RawSegment]:
    """Segments of a CNVkit ``.cns`` file."""
    return _read(rd, bins=False)


def read_cnr(rd: Reading) -> Iterator[RawSegment]:
    """Bins of a CNVkit ``.cnr`` file, grouped by gene into segments."""
    return _read(rd, bins=True)


def _read(rd: Reading, bins: bool) -> Iterator[RawSegment]:
    m: dict[str, str] | None = None
    has_cn = has_probes = has_weight = has_baf = False
    group: _BinGroup | None = None
    for line, header, cells in rows(rd, skip=is_comment):
        if m is None:
            m = require(rd, header, line, COLUMNS, "CNVkit")
            has_cn, has_probes, has_weight = "cn" in header, "probes" in header, "weight" in header
            has_baf = "baf" in header
            continue
        start0 = num(rd, cells, m["start"], line, integer=True)
        end = num(rd, cells, m["end"], line, integer=True)
        lg = num(rd, cells, m["log2"], line, within=rd.bounds.log2())
        if has_baf:
            num(rd, cells, "baf", line, optional=True, within=BAF)  # checked; not used for the calls
        if start0 is None or end is None or lg is None:
            continue
        start = int(start0) + 1  # CNVkit writes BED-style 0-based starts
        if not bins:
            # a file with a cn column gives it on every row (copies from log2 instead would not be purity-adjusted)
            cn = num(rd, cells, "cn", line, within=rd.bounds.copies()) if has_cn else None
            probes = (num(rd, cells, "probes", line, integer=True, optional=True, within=COUNT)
                      if has_probes else None)
            yield RawSegment(cells[m["chrom"]], start, int(end), float(cn) if cn is not None else None,
                             log2=float(lg), probes=int(probes) if probes is not None else None, line=line)
            continue
        gene = cells[m["gene"]]
        weight = num(rd, cells, "weight", line, optional=True, within=WEIGHT) if has_weight else None
        w = float(weight) if weight is not None and weight > 0 else 0.0
        chrom = cells[m["chrom"]]
        if group is None or (group.chrom, group.gene) != (chrom, gene) or gene in NO_GENE or start < group.end:
            if group is not None:
                yield group.segment()
            group = _BinGroup(chrom, gene, start, int(end), line)
        group.end = max(int(end), group.end)
        group.n += 1
        group.weighted += w * float(lg)
        group.weight += w
        group.raw += float(lg)
    if group is not None:
        yield group.segment()
    if m is None:
        rd.problem("has no header line", expected=FORMAT_HELP)
    if bins:
        rd.warnings.append(f"{rd.name}: bin-level CNVkit ratios (.cnr): bins were grouped naively by gene; "
                           "segments (.cns from 'cnvkit.py segment' or 'call') are preferred")
    if not has_cn:
        rd.log2_copies = True
        rd.continuous_copies = True
