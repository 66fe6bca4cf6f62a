"""IgCaller's oncogenic-rearrangement tables (Nadeu et al., Nat Commun 2020), read as SV junctions.

IgCaller writes ``<tumour>_output_oncogenic_IG_rearrangements.tsv`` (v1: ``ChrA``, ``PositionA``, ...,
``Reads in normal``, ``Count in PoN``) or ``<tumour>_output_oncogenic_rearrangements.tsv`` (v2: ``Chr_A``,
``Position_A``, ..., ``Num_reads``, ``Reads_in_normal``, ``Count_in_PoN``): every candidate junction of an IG
locus with anywhere else, before its own filter. Its verdict is the ``Oncogenic IG rearrangement`` row(s) of
``<tumour>_output_filtered.tsv`` (or ``..._output_filtered.SEQ_OMITTED.tsv``) beside it.

How the tool's own score and filter are respected:

- **With the filtered file beside the table**, IgCaller's verdict decides: a candidate whose ``Rearrangement``
  the filtered file's oncogenic row(s) name has FILTER ``PASS``; every other candidate (all of them when it says
  "No rearrangements found") has FILTER ``IgCaller_filtered`` and is not counted.
- **Without it**, the verdict is unknown: a candidate with reads in the matched normal is no somatic event
  (FILTER ``reads_in_normal``), the others ``PASS``; a warning says the verdict was not available.
- The ``Score`` (supporting reads) is the junction's support, compared with ``sv.min_support`` by :mod:`mmrisk.sv`.

Each row becomes one :class:`~.base.Junction` (``svtype`` BND for a translocation, DEL/DUP/INV for the
intrachromosomal mechanisms) in an :class:`~.vcf.SvVcf`, so :mod:`mmrisk.sv` maps its IGH/IGK/IGL ends through
the same windows as any caller's. A malformed row is an :class:`~mmrisk.errors.InputError` naming file and line.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Iterator

from ...errors import InputError, InputProblem
from ...genome import canonical_chrom, chromosome_lengths
from ...tables import Row, read_tsv
from .base import Junction, Support
from .vcf import SvHeader, SvRecord, SvVcf

DIALECT = "igcaller"
#: the columns of each layout: (chrom A, position A, chrom B, position B, reads in normal)
LAYOUTS: dict[str, tuple[str, str, str, str, str]] = {
    "v1": ("ChrA", "PositionA", "ChrB", "PositionB", "Reads in normal"),
    "v2": ("Chr_A", "Position_A", "Chr_B", "Position_B", "Reads_in_normal"),
}
SVTYPES: dict[str, str] = {"translocation": "BND", "deletion": "DEL", "gain": "DUP", "inversion": "INV"}
FILTERED_SUFFIXES: tuple[str, ...] = ("_output_filtered.tsv", "_output_filtered.SEQ_OMITTED.tsv")
TABLE_SUFFIX = re.compile(r"_output_oncogenic(_IG)?_rearrangements\.tsv$")
VERDICT_ROW = "Oncogenic IG rearrangement"
NONE_FOUND = "no rearrangements found"


def looks_like_igcaller(first_line: str) -> bool:
    """Whether a file's first line is the header of an IgCaller oncogenic-rearrangement table."""
    cols = first_line.rstrip("\r\n").split("\t")
    return "Rearrangement" in cols and "Score" in cols and any(lay[0] in cols for lay in LAYOUTS.values())


def _verdict(path: Path) -> tuple[set[str] | None, str | None]:
    """The rearrangements IgCaller's filtered file beside the table names (None without one), and that file."""
    for suffix in FILTERED_SUFFIXES:
        other = path.with_name(TABLE_SUFFIX.sub(suffix, path.name))
        if other != path and other.is_file():
            table = read_tsv(other, required_columns=("Analysis", "Annotation"))
            named = {r.cells["Annotation"] for r in table.rows if r.cells["Analysis"] == VERDICT_ROW}
            return {a for a in named if a.strip().lower() != NONE_FOUND}, str(other)
    return None, None


def _number(row: Row, file: str, column: str, *, whole: bool) -> float:
    text = row.cells.get(column, "")
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (whole and not value.is_integer()):
        raise InputError([InputProblem(file, f"{column} is not a non-negative {'whole ' if whole else ''}number",
                                       line=row.line, column=column, value=text)])
    return value


def _junction(row: Row, file: str, cols: tuple[str, str, str, str, str], build: str, passed: set[str] | None,
              max_support: int) -> Junction:
    ca, pa, cb, pb, normal = cols
    lengths = chromosome_lengths().get(build, {})
    ends = []
    for c, p in ((ca, pa), (cb, pb)):
        chrom = canonical_chrom(row.cells.get(c, ""))
        pos = _number(row, file, p, whole=True)
        if chrom not in lengths or not 1 <= pos <= lengths[chrom]:
            raise InputError([InputProblem(file, f"{chrom}:{row.cells.get(p)} is no position of {build}",
                                           line=row.line, column=p, value=f"{row.cells.get(c)}:{row.cells.get(p)}",
                                           expected=f"a {build} chromosome and a position on it")])
        ends.append((chrom, int(pos)))
    score = _number(row, file, "Score", whole=False)
    in_normal = _number(row, file, normal, whole=True) if row.cells.get(normal, "") not in ("", "NA") else 0.0
    if score > max_support:
        raise InputError([InputProblem(file, f"Score {score:g} is above sv.max_read_support ({max_support})",
                                       line=row.line, column="Score", value=row.cells["Score"])])
    name = row.cells["Rearrangement"]
    if passed is not None:
        flt = "PASS" if name in passed or any(name in a.split() for a in passed) else "IgCaller_filtered"
    else:
        flt = "reads_in_normal" if in_normal > 0 else "PASS"
    svtype = SVTYPES.get(row.cells.get("Mechanism", "").strip().lower(), "BND")
    support = Support(other=(("IgCaller score", score), ("reads in normal", in_normal)))
    (c1, p1), (c2, p2) = ends
    return Junction(c1, p1, c2, p2, None, DIALECT, (name,), flt, support, f"{Path(file).name}:{row.line}", svtype)


def read_igcaller(path: str | Path, *, build: str, max_read_support: int) -> tuple[SvVcf, list[str]]:
    """The table as an :class:`SvVcf` of one junction per row, and warnings (the verdict used or missing)."""
    p = Path(path)
    table = read_tsv(p, required_columns=("Rearrangement", "Mechanism", "Score"))
    layout = next((k for k, cols in LAYOUTS.items() if all(c in table.header for c in cols[:4])), None)
    if layout is None:
        raise InputError([InputProblem(str(path), "an IgCaller table without its position columns",
                                       expected="IgCaller v1 (ChrA, PositionA, ChrB, PositionB) or v2 "
                                                "(Chr_A, Position_A, Chr_B, Position_B) columns")])
    cols = LAYOUTS[layout]
    passed, verdict_file = _verdict(p)
    junctions = [_junction(r, str(path), cols, build, passed, max_read_support) for r in table.rows]
    warnings = [f"{p.name}: IgCaller {layout} table; IgCaller's own verdict read from {Path(verdict_file).name}: "
                + (", ".join(sorted(passed)) if passed else "no oncogenic rearrangement") if verdict_file else
                f"{p.name}: IgCaller {layout} table without its _output_filtered.tsv beside it: IgCaller's own "
                "verdict is not available; candidates with reads in the matched normal are not counted"]
    header = SvHeader(str(path), p.name, DIALECT, None, None, warnings[0], build=build)

    def records() -> Iterator[SvRecord]:
        for r, j in zip(table.rows, junctions):
            yield SvRecord(r.line, j.ids[0], None, j.filter, (j,), (True,))
    return SvVcf(header, records()), warnings
