"""The SV VCF layout: header, records and breakend ALTs, read by a careful line reader (not htslib).

Real SV callers write files htslib rejects or mis-reads (Delly ``INFO/END`` on the partner
chromosome of translocations, LUMPY without ``##contig`` lines, unsorted files, Sniffles INFO
declared Integer but holding floats, duplicated header lines), so the file is read line by line
through :func:`mmrisk.textio.lines` (plain or gzip/bgzip by magic, strict UTF-8): the whole file
is read, and BND mates on other chromosomes are never lost.

:func:`read_sv_vcf` reads the header at once (a file that is not a VCF, a build other than the
declared one, an undecidable tumour column are :class:`~mmrisk.errors.InputError` before any
record) and returns an :class:`SvVcf` whose ``records`` is a generator of :class:`SvRecord`, each
holding the plain :class:`~mmrisk.formats.sv.base.Junction` records of one data line (one per
ALT). Malformed data lines are collected (up to 20) and raised as one InputError when the
generator is exhausted. Which dialect a file or record speaks, and how its support is read, come
from the dialect table the caller passes in (the registry of :mod:`mmrisk.formats.sv`); this
module has no per-dialect branch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, NamedTuple

from ...errors import InputError, InputProblem
from ...genome import canonical_chrom, check_build, detect_build, vcf_header_contigs
from ...textio import lines as text_lines
from ...vcfcols import choose_tumor_column
from .base import Dialect, Fields, Junction, detect_dialect, first_int, record_dialect

__all__ = ["SvHeader", "SvRecord", "SvVcf", "parse_info", "read_sv_vcf"]

_MAX_PROBLEMS = 20
_VCF_COLUMNS = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"]
_BRACKET = re.compile(r"^([A-Za-z*.]*)([\[\]])([^\[\]]+):(\d+)([\[\]])([A-Za-z*.]*)$")


@dataclass(frozen=True)
class SvHeader:
    """What the header of one SV VCF says."""

    path: str  # as given
    file: str  # the file name, as in each record's "file:line"
    dialect: str  # the caller the header names, or "generic"
    tumor_column: str | None  # None for a sites-only file
    tumor_index: int | None  # the tumour column's index among the tab-separated fields
    note: str | None  # what choosing the tumour column noted, if anything


@dataclass(frozen=True)
class SvRecord:
    """One data line: its id, MATEID, FILTER and junctions (one per ALT)."""

    line: int
    id: str | None
    mate_id: str | None
    filter: str
    junctions: tuple[Junction, ...]
    #: per junction, False for the second mate of a BND pair whose first mate was read already
    first_mate: tuple[bool, ...]


@dataclass
class SvVcf:
    """An SV VCF whose header has been read; ``records`` streams the data lines once."""

    header: SvHeader
    records: Iterator[SvRecord]


def parse_info(text: str) -> dict[str, str | bool]:
    """INFO as key -> value (``True`` for a flag)."""
    out: dict[str, str | bool] = {}
    if text in (".", ""):
        return out
    for item in text.split(";"):
        if not item:
            continue
        k, sep, v = item.partition("=")
        out[k] = v if sep else True
    return out


def read_sv_vcf(path: str | Path, *, build: str, tumor_column: str | None,
                dialects: Mapping[str, Dialect], fallback: Dialect) -> SvVcf:
    """Read the header of an SV VCF; its records follow lazily (see the module docstring).

    ``dialects`` is the recognition table, name -> dialect, in recognition order; ``fallback``
    reads the support of a record whose dialect is none of them.
    """
    lines = text_lines(path, "VCF")
    header = _read_header(lines, str(path), build, tumor_column, dialects)
    return SvVcf(header, _records(lines, header, dialects, fallback))


def _read_header(lines: Iterator[tuple[int, str]], name: str, build: str, tumor_column: str | None,
                 dialects: Mapping[str, Dialect]) -> SvHeader:
    header_lines: list[str] = []
    for n, line in lines:
        if n == 1 and not line.startswith("##fileformat=VCF"):
            raise InputError([InputProblem(name, "not a VCF file: the first line is not ##fileformat=VCF...",
                                           line=1, value=line[:60], expected="a VCF written by an SV caller")])
        if line.startswith("##"):
            header_lines.append(line)
            continue
        if not line.startswith("#CHROM"):
            raise InputError([InputProblem(name, "the header has no #CHROM line before the records", line=n,
                                           value=line[:60])])
        cols = line.split("\t")
        if cols[:8] != _VCF_COLUMNS:
            raise InputError([InputProblem(name, "the #CHROM line does not have the 8 VCF columns",
                                           line=n, value=line[:80])])
        header = "\n".join(header_lines)
        problem = check_build(build, detect_build(vcf_header_contigs(header), header), name)
        if problem:
            raise InputError([problem])
        tcol, note = choose_tumor_column(cols[9:], header, tumor_column, name)
        return SvHeader(name, Path(name).name, detect_dialect(header, dialects.values()), tcol,
                        cols.index(tcol) if tcol else None, note)
    raise InputError([InputProblem(name, "the file ended before the #CHROM header line",
                                   expected="a complete VCF")])


def _records(lines: Iterator[tuple[int, str]], header: SvHeader, dialects: Mapping[str, Dialect],
             fallback: Dialect) -> Iterator[SvRecord]:
    problems: list[InputProblem] = []
    waiting: set[str] = set()  # ids of BND records whose mate has not been read yet
    for n, line in lines:
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 8 or not fields[1].isdigit():
            if len(problems) < _MAX_PROBLEMS:
                problems.append(InputProblem(header.path, "malformed VCF record (needs 8 tab-separated columns "
                                                          "and a numeric POS)", line=n, value=line[:80]))
            continue
        try:
            junctions, rid, mate = _parse_record(fields, n, header, dialects, fallback)
        except ValueError as exc:
            if len(problems) < _MAX_PROBLEMS:
                problems.append(InputProblem(header.path, f"unreadable SV record ({exc})", line=n,
                                             value=line[:80]))
            continue
        firsts = tuple(_first_mate(waiting, rid, mate) for _ in junctions)
        yield SvRecord(n, rid, mate, fields[6] or ".", tuple(junctions), firsts)
    if problems:
        raise InputError(problems)


def _first_mate(waiting: set[str], rid: str | None, mate: str | None) -> bool:
    """Count BND pairs once: the second mate finds its partner's id waiting (``waiting`` is updated)."""
    if mate is None or rid is None:
        return True
    if mate in waiting:
        waiting.discard(mate)
        return False
    waiting.add(rid)
    return True


def _tumor_format(fields: list[str], index: int | None) -> dict[str, str]:
    if index is not None and len(fields) > index and len(fields) > 8:
        return dict(zip(fields[8].split(":"), fields[index].split(":")))
    return {}


def _parse_record(fields: list[str], line_no: int, header: SvHeader, dialects: Mapping[str, Dialect],
                  fallback: Dialect) -> tuple[list[Junction], str | None, str | None]:
    """Junctions of one data line (one per ALT), the record's id and its MATEID."""
    chrom = canonical_chrom(fields[0])
    pos = int(fields[1])
    rid = fields[2]
    ref, alts, filt = fields[3], fields[4].split(","), fields[6] or "."
    info = parse_info(fields[7])
    dialect = record_dialect(header.dialect, info, dialects.values())
    reader = dialects.get(dialect, fallback)
    fmt = _tumor_format(fields, header.tumor_index)
    mate = info.get("MATEID") or info.get("MATE_ID")
    svtype = str(info.get("SVTYPE", ""))
    out: list[Junction] = []
    for alt in alts:
        end = _alt_end(alt, chrom, pos, ref, info)
        svtype = svtype or end.svtype
        orientation = end.orientation
        if end.form == "bracket" and reader.breakend_note is not None:
            orientation = reader.breakend_note(end.orientation or "", info)
        support = reader.support(Fields(info, fmt, end.form == "single"))
        out.append(Junction(chrom, pos, end.chrom2, end.pos2, orientation, dialect, (rid,) if rid != "." else (),
                            filt, support, f"{header.file}:{line_no}", svtype or "."))
    return out, (rid if rid != "." else None), (str(mate) if isinstance(mate, str) else None)


class _AltEnd(NamedTuple):
    chrom2: str | None  # None for a single breakend
    pos2: int | None
    orientation: str | None
    form: str  # "bracket" (a breakend such as t[p[), "single" (.N / N.) or "other" (symbolic or sequence)
    svtype: str  # the SV type the record gets when INFO has no SVTYPE


def _alt_end(alt: str, chrom: str, pos: int, ref: str, info: Mapping[str, str | bool]) -> _AltEnd:
    """The other end of one ALT, from the ALT itself or (symbolic and sequence ALTs) from INFO."""
    m = _BRACKET.match(alt)
    if m:
        orientation = ("t" if m.group(1) else "") + m.group(2) + "p" + m.group(5) + ("t" if m.group(6) else "")
        return _AltEnd(canonical_chrom(m.group(3)), int(m.group(4)), orientation, "bracket", "BND")
    if len(alt) > 1 and (alt.startswith(".") or alt.endswith(".")) and "<" not in alt:
        return _AltEnd(None, None, ".N" if alt.startswith(".") else "N.", "single", "SGL")
    c2 = info.get("CHR2")
    chrom2 = canonical_chrom(str(c2)) if isinstance(c2, str) else chrom
    pos2 = first_int(info.get("POS2"))
    if pos2 is None:
        pos2 = first_int(info.get("END"))
    if pos2 is None:
        svlen = first_int(info.get("SVLEN"))
        if svlen is not None and chrom2 == chrom:
            pos2 = pos + abs(svlen)
        elif alt.startswith("<"):
            pos2 = pos
        else:
            pos2 = pos + max(len(ref) - 1, 0)
    ct = info.get("CT") or info.get("STRANDS")
    return _AltEnd(chrom2, pos2, str(ct) if isinstance(ct, str) else None, "other",
                   alt.strip("<>") if alt.startswith("<") else "INDEL")
