"""Allele-specific segment tables that give total and minor copies: FACETS, Sequenza, Battenberg, ``tot``/``min``.

========================= ================================================================================
format                    columns read
========================= ================================================================================
FACETS ``cncf``           ``chrom loc.start loc.end tcn.em lcn.em`` (``tcn``/``lcn`` when the EM fit is absent)
Sequenza ``segments.txt`` ``chromosome start.pos end.pos CNt A B`` (R may quote the header names)
Battenberg subclones      ``chr startpos endpos nMaj1_A nMin1_A frac1_A [nMaj2_A nMin2_A frac2_A]``
generic total/minor       ``[sample] chr start end tot min`` (CoMMpass ``commpass_cnv_test.txt``); also
                          ``total_cn``/``minor_cn`` and ``major``/``minor`` spellings
========================= ================================================================================

Copies are the caller's absolute copies. A fractional value is a subclonal state (1.5 copies = one
copy lost in about half the tumour cells) and is kept as it is: :mod:`mmrisk.copynumber` calls the
lesion at its cut-offs and reports the lesion fraction from it. Battenberg's two states are averaged
by their cell fractions (``frac1_A·(nMaj1+nMin1) + frac2_A·(nMaj2+nMin2)``), the same relation.
A minor count of ``NA`` (FACETS leaves ``lcn.em`` empty where it cannot fit it) is unknown, never 0.
Several samples per file (the generic table's ``sample`` column): the rows of the chosen sample.
"""

from __future__ import annotations

from typing import Iterator

from .base import (
    Range,
    RawSegment,
    Reading,
    choose_sample_of_table,
    find_column,
    is_comment,
    num,
    require,
    rows,
)

FACETS = {"chrom": ("chrom",), "start": ("loc.start",), "end": ("loc.end",), "total": ("tcn.em", "tcn"),
          "minor": ("lcn.em", "lcn")}
SEQUENZA = {"chrom": ("chromosome",), "start": ("start.pos",), "end": ("end.pos",), "total": ("CNt",),
            "minor": ("B",)}
BATTENBERG = {"chrom": ("chr",), "start": ("startpos",), "end": ("endpos",), "major1": ("nMaj1_A",),
              "minor1": ("nMin1_A",), "frac1": ("frac1_A",)}
TOTMIN = {"chrom": ("chr", "chrom", "chromosome"), "start": ("start", "startpos"), "end": ("end", "endpos"),
          "total": ("tot", "total_cn", "total"), "minor": ("min", "minor_cn")}
SAMPLE_COLUMNS = ("sample", "sample_id", "id")
#: Battenberg's cell fractions of a state.
_FRACTION = Range(0.0, 1.0, "a cell fraction from 0 to 1")


def _unquote(header: list[str]) -> list[str]:
    return [h.strip().strip('"').strip("'") for h in header]


def sniff_facets(columns: frozenset[str]) -> bool:
    return {"loc.start", "loc.end"} <= columns and bool({"tcn.em", "tcn"} & columns)


def sniff_sequenza(columns: frozenset[str]) -> bool:
    cols = frozenset(c.strip('"') for c in columns)
    return {"start.pos", "end.pos", "cnt"} <= cols


def sniff_battenberg(columns: frozenset[str]) -> bool:
    return {"nmaj1_a", "nmin1_a", "frac1_a"} <= columns


def sniff_totmin(columns: frozenset[str]) -> bool:
    return bool({"tot", "total_cn"} & columns) and bool({"min", "minor_cn"} & columns) and "start" in columns


def _segments(rd: Reading, columns: dict[str, tuple[str, ...]], what: str, *, sample_column: bool
              ) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
    """``(line, cells, column map)`` of the rows of the chosen sample (every row without a sample column)."""
    chosen: str | None = None
    scol: str | None = None
    m: dict[str, str] | None = None
    for line, header, cells in rows(rd, skip=is_comment):
        if m is None:
            header = _unquote(header)
            m = require(rd, header, line, columns, what)
            scol = find_column(header, SAMPLE_COLUMNS) if sample_column else None
            if scol is not None:
                chosen = choose_sample_of_table(rd, SAMPLE_COLUMNS, f"the {what} file")
                if chosen is None:
                    return
            continue
        cells = {k.strip().strip('"'): v.strip('"') for k, v in cells.items()}
        if scol is not None and cells.get(scol) != chosen:
            continue
        yield line, cells, m


def _total_minor(rd: Reading, cells: dict[str, str], m: dict[str, str], line: int
                 ) -> tuple[int, int, float, float | None] | None:
    start = num(rd, cells, m["start"], line, integer=True)
    end = num(rd, cells, m["end"], line, integer=True)
    total = num(rd, cells, m["total"], line, within=rd.bounds.copies("a total copy number"))
    minor = num(rd, cells, m["minor"], line, optional=True, within=rd.bounds.copies("a minor-allele copy number"))
    if start is None or end is None or total is None:
        return None
    if minor is not None and minor > total:
        rd.problem("minor copies exceed the total copies", line=line, column=m["minor"], value=f"{minor:g}",
                   expected=f"at most the total ({total:g})")
        return None
    return int(start), int(end), float(total), None if minor is None else float(minor)


def _read_total_minor(rd: Reading, columns: dict[str, tuple[str, ...]], what: str, *, sample_column: bool
                      ) -> Iterator[RawSegment]:
    for line, cells, m in _segments(rd, columns, what, sample_column=sample_column):
        got = _total_minor(rd, cells, m, line)
        if got is None:
            continue
        start, end, total, minor = got
        yield RawSegment(cells[m["chrom"]], start, end, total, minor=minor, line=line)


def read_facets(rd: Reading) -> Iterator[RawSegment]:
    yield from _read_total_minor(rd, FACETS, "FACETS cncf", sample_column=False)


def read_sequenza(rd: Reading) -> Iterator[RawSegment]:
    yield from _read_total_minor(rd, SEQUENZA, "Sequenza segments", sample_column=False)


def read_totmin(rd: Reading) -> Iterator[RawSegment]:
    yield from _read_total_minor(rd, TOTMIN, "total/minor copy-number segments", sample_column=True)


def _state(rd: Reading, cells: dict[str, str], header: dict[str, str], k: str, line: int, optional: bool
           ) -> tuple[float, float, float] | None:
    """(major, minor, cell fraction) of Battenberg state ``k`` (1 or 2); None when absent or wrong."""
    cols = {f"{n}{k}": header.get(f"{n}{k}") for n in ("major", "minor", "frac")}
    if any(c is None for c in cols.values()):
        return None
    bounds = rd.bounds.copies("a copy number of one allele")
    major = num(rd, cells, cols[f"major{k}"], line, optional=optional, within=bounds)  # type: ignore[arg-type]
    minor = num(rd, cells, cols[f"minor{k}"], line, optional=optional, within=bounds)  # type: ignore[arg-type]
    frac = num(rd, cells, cols[f"frac{k}"], line, optional=optional, within=_FRACTION)  # type: ignore[arg-type]
    if major is None or minor is None or frac is None:
        return None
    return float(major), float(minor), float(frac)


def read_battenberg(rd: Reading) -> Iterator[RawSegment]:
    """Battenberg subclones: one or two states per segment, averaged by their cell fractions."""
    for line, cells, m in _segments(rd, BATTENBERG, "Battenberg subclones", sample_column=False):
        header = dict(m)
        for key in ("major2", "minor2", "frac2"):
            col = find_column(list(cells), ({"major2": "nMaj2_A", "minor2": "nMin2_A", "frac2": "frac2_A"}[key],))
            if col is not None:
                header[key] = col
        header.update({"major1": m["major1"], "minor1": m["minor1"], "frac1": m["frac1"]})
        start = num(rd, cells, m["start"], line, integer=True)
        end = num(rd, cells, m["end"], line, integer=True)
        one = _state(rd, cells, header, "1", line, optional=False)
        two = _state(rd, cells, header, "2", line, optional=True)
        if start is None or end is None or one is None:
            continue
        states = [one] + ([two] if two is not None else [])
        share = sum(f for _a, _b, f in states)
        if share > 1.0 + 1e-6:
            rd.problem("frac1_A + frac2_A exceed 1", line=line, column=m["frac1"], value=f"{share:g}",
                       expected="cell fractions of the two states summing to at most 1")
            continue
        if two is None:
            states = [(one[0], one[1], 1.0)]  # a clonal state: frac1_A is 1
        total = sum((a + b) * f for a, b, f in states)
        minor = sum(b * f for _a, b, f in states)
        yield RawSegment(cells[m["chrom"]], int(start), int(end), round(total, 4), minor=round(minor, 4), line=line)


