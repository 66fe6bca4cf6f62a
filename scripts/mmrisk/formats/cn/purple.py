"""PURPLE somatic copy number (``.purple.cnv.somatic.tsv``).

Columns ``chromosome start end copyNumber`` (+ ``minorAlleleCopyNumber``, ``depthWindowCount``,
...): 1-based, absolute (continuous) copies fitted with PURPLE's own purity and ploidy. A negative
``copyNumber`` down to ``cnv.min_copies`` is fitting noise at a deletion: it is read as 0 copies (by the
shared step) and counted in a warning; below it, the file is refused. ``depthWindowCount`` counts as probes.
"""

from __future__ import annotations

from typing import Iterator

from .base import BAF, COUNT, RawSegment, Reading, is_comment, num, require, rows

COLUMNS = {"chrom": ("chromosome",), "start": ("start",), "end": ("end",), "copies": ("copyNumber",)}
MINOR = "minorAlleleCopyNumber"
WINDOWS = "depthWindowCount"
#: the observed B-allele frequency, in [0, 1] (PURPLE's fitted ``baf`` may exceed 1 slightly and is not read)
OBSERVED_BAF = "observedBAF"


def sniff(columns: frozenset[str]) -> bool:
    return "copynumber" in columns and "chromosome" in columns


def read(rd: Reading) -> Iterator[RawSegment]:
    m: dict[str, str] | None = None
    for line, header, cells in rows(rd, skip=is_comment):
        if m is None:
            m = require(rd, header, line, COLUMNS, "PURPLE copy-number")
            continue
        start = num(rd, cells, m["start"], line, integer=True)
        end = num(rd, cells, m["end"], line, integer=True)
        cn = num(rd, cells, m["copies"], line, within=rd.bounds.copies())
        minor = (num(rd, cells, MINOR, line, optional=True, within=rd.bounds.copies("a minor-allele copy number"))
                 if MINOR in cells else None)
        windows = num(rd, cells, WINDOWS, line, integer=True, optional=True, within=COUNT) if WINDOWS in cells else None
        if OBSERVED_BAF in cells:
            num(rd, cells, OBSERVED_BAF, line, optional=True, within=BAF)  # checked; not used for the calls
        if start is None or end is None or cn is None:
            continue
        yield RawSegment(cells[m["chrom"]], int(start), int(end), float(cn), minor=minor,
                         probes=int(windows) if windows is not None else None, line=line)
    rd.continuous_copies = True
