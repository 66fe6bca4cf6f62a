"""ASCAT allele-specific segments: ``sample chr startpos endpos nMajor nMinor``.

Several samples per file: the rows of the chosen sample (exact id, else a unique substring match)
are read. Copies are the integer ``nMajor + nMinor``; ``nMinor`` is kept as the minor copies.
"""

from __future__ import annotations

from typing import Iterator

from .base import (
    RawSegment,
    Reading,
    choose_sample_of_table,
    is_comment,
    num,
    require,
    rows,
)

COLUMNS = {"sample": ("sample",), "chrom": ("chr", "chromosome"), "start": ("startpos",),
           "end": ("endpos",), "major": ("nMajor",), "minor": ("nMinor",)}


def sniff(columns: frozenset[str]) -> bool:
    return bool({"nmajor", "nminor"} & columns) or {"startpos", "endpos"} <= columns


def read(rd: Reading) -> Iterator[RawSegment]:
    chosen = choose_sample_of_table(rd, ("sample",), "the ASCAT segments file")
    if chosen is None:
        return
    m: dict[str, str] | None = None
    for line, header, cells in rows(rd, skip=is_comment):
        if m is None:
            m = require(rd, header, line, COLUMNS, "ASCAT segments")
            continue
        if cells[m["sample"]] != chosen:
            continue
        start = num(rd, cells, m["start"], line, integer=True)
        end = num(rd, cells, m["end"], line, integer=True)
        major = num(rd, cells, m["major"], line, within=rd.bounds.copies("a major-allele copy number"))
        minor = num(rd, cells, m["minor"], line, within=rd.bounds.copies("a minor-allele copy number"))
        if start is None or end is None or major is None or minor is None:
            continue
        total = float(major) + float(minor)
        if total > rd.bounds.max_copies:
            rd.problem("nMajor + nMinor out of range", line=line, column=m["major"], value=f"{total:g}",
                       expected=rd.bounds.copies().expected)
            continue
        yield RawSegment(cells[m["chrom"]], int(start), int(end), total,
                         minor=float(minor), line=line)
