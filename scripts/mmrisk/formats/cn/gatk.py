"""GATK copy-ratio segments: ``CallCopyRatioSegments`` (``.called.seg``, ``.cr.seg``) and
``ModelSegments`` (``.modelFinal.seg``).

A SAM-style ``@`` header (``@SQ`` contig lengths, ``@RG ... SM:``) precedes the column header
``CONTIG START END ... MEAN_LOG2_COPY_RATIO`` (or ``LOG2_COPY_RATIO_POSTERIOR_50``). The build the
``@SQ`` lines imply is checked against the declared one; the ``SM`` of the first read group names
the sample. Copies come from the log2 ratio; ``NUM_POINTS_COPY_RATIO`` counts as probes.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...errors import InputError
from ...genome import check_build, detect_build, sam_header_contigs
from .base import COUNT, RawSegment, Reading, num, require, rows

COLUMNS = {"chrom": ("CONTIG",), "start": ("START",), "end": ("END",),
           "log2": ("MEAN_LOG2_COPY_RATIO", "LOG2_COPY_RATIO_POSTERIOR_50")}
PROBES = "NUM_POINTS_COPY_RATIO"
#: lines starting with this precede the column header
PREAMBLE = "@"
#: what a column header after such a preamble must hold (the refusal of a GATK-like file says so)
PREAMBLE_EXPECTED = "CONTIG, START, END and MEAN_LOG2_COPY_RATIO or LOG2_COPY_RATIO_POSTERIOR_50"


def sniff(columns: frozenset[str]) -> bool:
    return "contig" in columns and ("mean_log2_copy_ratio" in columns or "log2_copy_ratio_posterior_50" in columns)


def read(rd: Reading) -> Iterator[RawSegment]:
    header_lines: list[str] = []

    def preamble(line: str) -> bool:
        if line.startswith(PREAMBLE):
            header_lines.append(line)
            return True
        return False

    m: dict[str, str] | None = None
    probes_col: str | None = None
    for line, header, cells in rows(rd, skip=preamble):
        if m is None:
            m = require(rd, header, line, COLUMNS, "GATK copy-ratio segments")
            probes_col = PROBES if PROBES in header else None
            _check_header(rd, "\n".join(header_lines))
            continue
        start = num(rd, cells, m["start"], line, integer=True)
        end = num(rd, cells, m["end"], line, integer=True)
        lg = num(rd, cells, m["log2"], line, within=rd.bounds.log2())
        probes = num(rd, cells, probes_col, line, integer=True, optional=True, within=COUNT) if probes_col else None
        if start is None or end is None or lg is None:
            continue
        yield RawSegment(cells[m["chrom"]], int(start), int(end), None, log2=float(lg),
                         probes=int(probes) if probes is not None else None, line=line)
    rd.log2_copies = True
    rd.continuous_copies = True


def _check_header(rd: Reading, text: str) -> None:
    """The build of the ``@SQ`` lines must be the declared one; ``SM`` names the sample."""
    prob = check_build(rd.build, detect_build(sam_header_contigs(text), text), rd.name)
    if prob is not None:
        raise InputError([prob])
    sm = re.findall(r"\tSM:([^\t]+)", text)
    if sm:
        rd.sample = sm[0]
