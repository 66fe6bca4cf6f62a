"""Generic SEG (IGV / DNAcopy / CBS): ``ID chrom loc.start loc.end num.mark seg.mean``.

Several samples per file: the rows of the chosen sample (exact id, else a unique substring match)
are read. Column names are matched case-insensitively among the aliases of :data:`ALIASES`; the
probe count is optional, and an empty or ``NA`` ``seg.mean`` leaves the segment without copies.
Copies come from the log2 ratio (``seg.mean``).
"""

from __future__ import annotations

from typing import Iterator

from .base import (
    COUNT,
    RawSegment,
    Reading,
    choose_sample_of_table,
    find_column,
    is_comment,
    num,
    require,
    rows,
)

ALIASES: dict[str, tuple[str, ...]] = {
    "sample": ("id", "sample", "sample_id", "samplename", "sample.name"),
    "chrom": ("chrom", "chromosome", "chr"),
    "start": ("loc.start", "start", "startpos", "start_position"),
    "end": ("loc.end", "end", "endpos", "end_position"),
    "probes": ("num.mark", "num_probes", "num.probes", "nprobes", "num_mark", "probes", "n.probes"),
    "log2": ("seg.mean", "segment_mean", "seg_mean", "log2", "log2ratio", "mean"),
}
#: any of these columns marks a SEG header
SIGNATURE = frozenset({"seg.mean", "segment_mean", "seg_mean", "loc.start"})


def sniff(columns: frozenset[str]) -> bool:
    return bool(columns & SIGNATURE)


def read(rd: Reading) -> Iterator[RawSegment]:
    chosen = choose_sample_of_table(rd, ALIASES["sample"], "the SEG file")
    if chosen is None:
        return
    cols = {k: v for k, v in ALIASES.items() if k != "probes"}
    m: dict[str, str] | None = None
    probes_col: str | None = None
    for line, header, cells in rows(rd, skip=is_comment):
        if m is None:
            m = require(rd, header, line, cols, "SEG")
            probes_col = find_column(header, ALIASES["probes"])
            continue
        if cells[m["sample"]] != chosen:
            continue
        start = num(rd, cells, m["start"], line, integer=True)
        end = num(rd, cells, m["end"], line, integer=True)
        lg = num(rd, cells, m["log2"], line, optional=True, within=rd.bounds.log2())
        probes = num(rd, cells, probes_col, line, integer=True, optional=True, within=COUNT) if probes_col else None
        if start is None or end is None:
            continue
        yield RawSegment(cells[m["chrom"]], int(start), int(end), None,
                         log2=float(lg) if lg is not None else None,
                         probes=int(probes) if probes is not None else None, line=line)
    rd.log2_copies = True
    rd.continuous_copies = True
