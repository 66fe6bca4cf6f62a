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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator, Mapping, NamedTuple

from ... import filekind
from ...errors import InputError, InputProblem
from ...genome import canonical_chrom, check_build, chromosome_lengths, detect_build, vcf_header_contigs
from ...textio import lines as text_lines
from ...vcfcols import choose_tumor_column
from .base import GENERIC, SUPPORT_KEYS, Dialect, Fields, Junction, Support, detect_dialect, record_dialect

__all__ = ["SvHeader", "SvRecord", "SvVcf", "parse_info", "read_sv_vcf"]

_MAX_PROBLEMS = 20
_VCF_COLUMNS = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"]
#: A breakend ALT: bases, a bracket, mate contig:position, the same bracket, bases (bases on one side only).
#: A sequence ALT: bases (or the deletion marker *).
_BASES = re.compile(r"[ACGTNacgtn*]+")
_BRACKET = re.compile(r"^([A-Za-z*.]*)([\[\]])([^\[\]]+):([^\[\]:]*)\2([A-Za-z*.]*)$")


@dataclass(frozen=True)
class SvHeader:
    """What the header of one SV VCF says."""

    path: str  # as given
    file: str  # the file name, as in each record's "file:line"
    dialect: str  # the caller the header names, or "generic"
    tumor_column: str | None  # None for a sites-only file
    tumor_index: int | None  # the tumour column's index among the tab-separated fields
    note: str | None  # what choosing the tumour column noted, if anything
    build: str = ""  # the declared build (positions on its primary chromosomes are checked)
    contigs: frozenset[str] = frozenset()  # canonical names of the ##contig lines (empty: none declared)
    declares_cn: bool = False  # the header declares a CN field (copy-number VCFs do)
    declares_support: bool = False  # the header declares a read-support field of an SV caller
    max_read_support: int | None = None  # a read count above this is refused (implausible); None: no bound


class SvRecord(NamedTuple):
    """One data line: its id, MATEID, FILTER and junctions (one per ALT); a named tuple (one per record)."""

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


def _duplicate(names: list[str]) -> tuple[str, int, int] | None:
    """The first name given twice, with both 1-based positions; ``None`` when every name is unique."""
    if len(set(names)) == len(names):  # the common case (asked of every record's FORMAT keys), at C speed
        return None
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if name in seen:
            return name, seen[name], i
        seen[name] = i
    return None


def parse_info(text: str) -> dict[str, str | bool]:
    """INFO as key -> value (``True`` for a flag); a key given twice raises ValueError (never last-one-wins)."""
    out: dict[str, str | bool] = {}
    if text in (".", ""):
        return out
    for item in text.split(";"):
        if not item:
            continue
        k, sep, v = item.partition("=")
        if k in out:
            raise ValueError(f"INFO key {k!r} is given twice")
        out[k] = v if sep else True
    return out


def read_sv_vcf(path: str | Path, *, build: str, tumor_column: str | None,
                dialects: Mapping[str, Dialect], fallback: Dialect, max_read_support: int | None = None) -> SvVcf:
    """Read the header of an SV VCF; its records follow lazily (see the module docstring).

    ``dialects`` is the recognition table, name -> dialect, in recognition order; ``fallback``
    reads the support of a record whose dialect is none of them.
    """
    lines = text_lines(path, "VCF")
    header = replace(_read_header(lines, str(path), build, tumor_column, dialects),
                     max_read_support=max_read_support)
    return SvVcf(header, _records(lines, header, dialects, fallback))


def _read_header(lines: Iterator[tuple[int, str]], name: str, build: str, tumor_column: str | None,
                 dialects: Mapping[str, Dialect]) -> SvHeader:
    header_lines: list[str] = []
    for n, line in lines:
        if n == 1 and not line.startswith("##fileformat=VCF"):
            raise InputError([InputProblem(name, "not a VCF file: the first line is not ##fileformat=VCF..."
                                           + filekind.hint(name, "sv_vcf"),
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
        dup = _duplicate(cols)
        if dup:
            raise InputError([InputProblem(name, f"the #CHROM line names column {dup[0]!r} twice (columns "
                                                 f"{dup[1]} and {dup[2]})", line=n, column=dup[0],
                                           expected="each sample column once")])
        tcol, note = choose_tumor_column(cols[9:], header, tumor_column, name)
        declared = set(re.findall(r"^##(?:INFO|FORMAT)=<ID=([^,>]+)", header, re.M))
        return SvHeader(name, Path(name).name, detect_dialect(header, dialects.values()), tcol,
                        cols.index(tcol) if tcol else None, note, build,
                        frozenset(canonical_chrom(c) for c in vcf_header_contigs(header)),
                        "CN" in declared, bool(declared & SUPPORT_KEYS))
    raise InputError([InputProblem(name, "the file ended before the #CHROM header line",
                                   expected="a complete VCF")])


class _Reading(NamedTuple):
    """What every record of one file is read with, worked out once from its header."""

    header: SvHeader
    dialects: Mapping[str, Dialect]
    fallback: Dialect
    lengths: Mapping[str, int]  # chromosome lengths of the declared build (positions are checked against them)
    fixed: tuple[str, Dialect] | None  # the file's dialect and reader, unless the file is generic (per record then)
    format_keys: dict[str, list[str]]  # FORMAT column text -> its keys, each text checked once (no key twice)


def _reading(header: SvHeader, dialects: Mapping[str, Dialect], fallback: Dialect) -> _Reading:
    fixed = None if header.dialect == GENERIC else (header.dialect, dialects.get(header.dialect, fallback))
    return _Reading(header, dialects, fallback, chromosome_lengths().get(header.build, {}), fixed, {})


def _records(lines: Iterator[tuple[int, str]], header: SvHeader, dialects: Mapping[str, Dialect],
             fallback: Dialect) -> Iterator[SvRecord]:
    problems: list[InputProblem] = []
    waiting: set[str] = set()  # ids of BND records whose mate has not been read yet
    how = _reading(header, dialects, fallback)
    for n, line in lines:
        if not line or line.isspace():
            continue
        fields = line.split("\t")
        if len(fields) < 8 or not fields[1].isdigit():
            if len(problems) < _MAX_PROBLEMS:
                problems.append(InputProblem(header.path, "malformed VCF record (needs 8 tab-separated columns "
                                                          "and a numeric POS)", line=n, value=line[:80]))
            continue
        try:
            junctions, rid, mate = _parse_record(fields, n, how)
        except ValueError as exc:
            if len(problems) < _MAX_PROBLEMS:
                problems.append(InputProblem(header.path, f"unreadable SV record ({exc})", line=n,
                                             value=line[:80]))
            continue
        if len(junctions) == 1:
            firsts: tuple[bool, ...] = (_first_mate(waiting, rid, mate),)
        else:
            firsts = tuple(_first_mate(waiting, rid, mate) for _ in junctions)
        yield SvRecord(n, rid, mate, fields[6] or ".", junctions, firsts)
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


def _tumor_format(fields: list[str], index: int | None, known: dict[str, list[str]]) -> dict[str, str]:
    """The tumour column's FORMAT values by key; ``known`` caches the key lists of FORMAT texts already checked."""
    if index is not None and len(fields) > index and len(fields) > 8:
        keys = known.get(fields[8])
        if keys is None:
            keys = fields[8].split(":")
            dup = _duplicate(keys)
            if dup:
                raise ValueError(f"FORMAT key {dup[0]!r} is given twice (positions {dup[1]} and {dup[2]})")
            if len(known) < 256:  # a file has a few FORMAT layouts; a hostile one cannot grow this without bound
                known[fields[8]] = keys
        return dict(zip(keys, fields[index].split(":")))
    return {}


def _int_field(info: Mapping[str, str | bool], key: str) -> int | None:
    """An INFO integer (END, POS2, SVLEN: the first of a list), ``None`` if not given; ValueError if not one."""
    value = info.get(key)
    if value is None or value is True:
        return None
    text = str(value).split(",")[0].strip()
    if text in ("", "."):
        return None
    if not re.fullmatch(r"-?\d{1,12}", text):
        raise ValueError(f"INFO/{key} {text[:40]!r} is not a whole number")
    return int(text)


def _check_position(how: _Reading, chrom: str, pos: int, what: str) -> None:
    """A position must lie on its chromosome (primary chromosomes of the declared build)."""
    length = how.lengths.get(chrom)
    if pos < 0 or (length is not None and pos > length + 1):
        raise ValueError(f"{what} {chrom}:{pos} lies outside chromosome {chrom} of {how.header.build}"
                         + (f" (length {length:,})" if length is not None else ""))


def _parse_record(fields: list[str], line_no: int, how: _Reading) -> tuple[tuple[Junction, ...], str | None, str | None]:
    """Junctions of one data line (one per ALT), the record's id and its MATEID (ValueError: unreadable)."""
    header = how.header
    chrom = canonical_chrom(fields[0])
    pos = int(fields[1])
    _check_position(how, chrom, pos, "POS")
    rid = fields[2]
    ref, alts, filt = fields[3], fields[4].split(","), fields[6] or "."
    info = parse_info(fields[7])
    if how.fixed is not None:
        dialect, reader = how.fixed
    else:
        dialect = record_dialect(header.dialect, info, how.dialects.values())
        reader = how.dialects.get(dialect, how.fallback)
    fmt = _tumor_format(fields, header.tumor_index, how.format_keys)
    mate = info.get("MATEID") or info.get("MATE_ID")
    svtype = str(info.get("SVTYPE", ""))
    ids = (rid,) if rid != "." else ()
    record = f"{header.file}:{line_no}"
    out: list[Junction] = []
    for alt in alts:
        end = _alt_end(alt, chrom, pos, ref, info, header)
        if end.chrom2 is not None and end.pos2 is not None:
            _check_position(how, end.chrom2, end.pos2, "the other end")
        orientation = end.orientation
        if end.form == "bracket" and reader.breakend_note is not None:
            orientation = reader.breakend_note(end.orientation or "", info)
        support = reader.support(Fields(info, fmt, end.form == "single"))
        _check_support(header, support)
        out.append(Junction(chrom, pos, end.chrom2, end.pos2, orientation, dialect, ids, filt, support, record,
                            svtype or end.svtype or "."))
    return tuple(out), (rid if rid != "." else None), (str(mate) if isinstance(mate, str) else None)


def _check_support(header: SvHeader, support: Support) -> None:
    """Every read count at most the plausible bound (each is already a non-negative whole number)."""
    bound = header.max_read_support
    if bound is None:
        return
    worst = max(support.split_reads or 0, support.paired_reads or 0)
    if support.other:
        worst = max(worst, *(v for _, v in support.other))
    if worst > bound:
        raise ValueError(f"read support {worst:g} is above the plausible maximum {bound:g} (sv.max_read_support)")


class _AltEnd(NamedTuple):
    chrom2: str | None  # None for a single breakend
    pos2: int | None
    orientation: str | None
    form: str  # "bracket" (a breakend such as t[p[), "single" (.N / N.) or "other" (symbolic or sequence)
    svtype: str  # the SV type the record gets when INFO has no SVTYPE


_MALFORMED_BREAKEND = ("malformed breakend ALT {!r}: expected t[chr:pos[, t]chr:pos], ]chr:pos]t or [chr:pos[t "
                       "(one pair of the same bracket, bases on one side)")

#: Symbolic ALTs whose other end is the record's own position when INFO gives none (an insertion point).
_POINT_ALTS = ("INS",)


def _bracket_end(alt: str, header: SvHeader) -> _AltEnd:
    """The mate of a breakend ALT (``t[p[``, ``t]p]``, ``]p]t``, ``[p[t``); ValueError for a malformed one."""
    m = _BRACKET.match(alt)
    if not m:
        raise ValueError(_MALFORMED_BREAKEND.format(alt[:60]))
    before, bracket, contig, mate_pos, after = m.groups()
    if bool(before) == bool(after):
        raise ValueError(_MALFORMED_BREAKEND.format(alt[:60]))
    mate_chrom = canonical_chrom(contig)
    if not mate_pos.isdigit() or len(mate_pos) > 12:
        raise ValueError(f"breakend ALT {alt[:60]!r}: mate position {mate_pos[:20]!r} is not a whole number")
    if header.contigs and mate_chrom not in header.contigs:
        raise ValueError(f"breakend ALT {alt[:60]!r}: mate contig {contig[:40]!r} is not declared in the "
                         "header's ##contig lines")
    orientation = ("t" + bracket + "p" + bracket) if before else (bracket + "p" + bracket + "t")
    return _AltEnd(mate_chrom, int(mate_pos), orientation, "bracket", "BND")


def _alt_end(alt: str, chrom: str, pos: int, ref: str, info: Mapping[str, str | bool],
             header: SvHeader) -> _AltEnd:
    """The other end of one ALT, from the ALT itself or (symbolic and sequence ALTs) from INFO."""
    if "[" in alt or "]" in alt:
        return _bracket_end(alt, header)
    if len(alt) > 1 and (alt.startswith(".") or alt.endswith(".")) and "<" not in alt:
        return _AltEnd(None, None, ".N" if alt.startswith(".") else "N.", "single", "SGL")
    symbolic = alt.startswith("<")
    if not symbolic and not _BASES.fullmatch(alt):
        raise ValueError(f"ALT {alt[:40]!r} is neither bases, a symbolic <...> ALT nor a breakend "
                         "(bases with mate contig:position between two equal brackets, e.g. N]chr14:105865746])")
    if not symbolic and str(info.get("SVTYPE", "")).upper() == "BND":
        raise ValueError(f"SVTYPE=BND but ALT {alt[:40]!r} has no breakend brackets: the mate is unknown")
    c2 = info.get("CHR2")
    chrom2 = canonical_chrom(str(c2)) if isinstance(c2, str) and c2 not in ("", ".") else chrom
    pos2 = _int_field(info, "POS2")
    if pos2 is None:
        pos2 = _int_field(info, "END")
    if pos2 is None:
        svlen = _int_field(info, "SVLEN")
        if svlen is not None and chrom2 == chrom:
            pos2 = pos + abs(svlen)
        elif symbolic and alt.strip("<>").split(":")[0] in _POINT_ALTS:
            pos2 = pos
        elif symbolic:
            raise ValueError(f"symbolic ALT {alt[:40]!r} without INFO/END, POS2 or SVLEN: its other end is unknown")
        else:
            pos2 = pos + max(len(ref) - 1, 0)
    ct = info.get("CT") or info.get("STRANDS")
    return _AltEnd(chrom2, pos2, str(ct) if isinstance(ct, str) else None, "other",
                   alt.strip("<>") if symbolic else "INDEL")
