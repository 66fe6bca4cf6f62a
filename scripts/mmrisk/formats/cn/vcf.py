"""Copy-number VCF (plain or gzip): interval records with a ``CN`` in FORMAT or INFO.

The header must declare ``CN`` (``##FORMAT=<ID=CN,...>`` or ``##INFO=<ID=CN,...>``): a VCF without
it is refused (a structural-variant VCF belongs in ``sv_vcf``); its ``##contig``/``##reference``
lines are checked against the declared build. With FORMAT/CN the sample column is chosen by sample
id (exact, else a unique substring match). Interval records are ``<DEL>``/``<DUP>``/``<CNV>`` (or
``SVTYPE`` DEL/DUP/CNV, or any record with ``END``), ending at ``END`` or ``POS + |SVLEN|``; a
symbolic record starts after its ``POS`` (the base before the event). BND/INV/INS records, and records
whose CN is missing or -1 (Delly writes -1 where it has no estimate), and records whose FILTER is neither
``PASS`` nor ``.`` (``LowQual``), are skipped and counted in a warning. A CN that is not finite or lies
outside ``cnv.min_copies``..``cnv.max_copies``, and an INFO/FORMAT key or sample given twice, are problems.
A VCF of another kind is refused with what it looks like: one without CN (a small-variant VCF, or a
structural-variant VCF by its SVTYPE/MATEID header), one with BND/INV/INS or breakend records (an SV VCF),
one whose records are all small variants.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Iterator, Literal

from ...errors import InputError, InputProblem
from ...genome import check_build, detect_build, vcf_header_contigs
from .base import RawSegment, Reading, choose_sample

CNV_ALTS = re.compile(r"^<(DEL|DUP|CNV)(:[A-Z:]+)?>$")
INTERVAL_SVTYPES = ("DEL", "DUP", "CNV")
NOT_INTERVAL_SVTYPES = ("BND", "INV", "INS")
NO_CN = "no_cn"
NOT_INTERVAL = "not_interval"
#: FILTER values of records that are used; any other value (``LowQual``) skips the record, counted.
PASSING = ("PASS", ".", "")
#: Delly writes this CN where it has no estimate (the record is skipped and counted, not read as a copy number).
NO_ESTIMATE = -1.0
#: What a VCF of another kind looks like, by its header (a ## line declaring one of these).
SV_HEADER = re.compile(r"^##(INFO=<ID=(SVTYPE|MATEID|CIPOS)|ALT=<ID=(BND|INV|TRA))[,>]", re.M)


def sniff_line(lineno: int, line: str) -> bool:
    """A VCF is told by its first line or by its ``#CHROM`` line, before any tabular header."""
    return (lineno == 1 and line.startswith("##fileformat=VCF")) or line.startswith("#CHROM")


@dataclass
class _Layout:
    """What the header says about the records: where CN is and which sample column is read."""

    meta: list[str] = field(default_factory=list)  # the ## lines
    samples: list[str] = field(default_factory=list)
    col: int | None = None  # the sample column holding FORMAT/CN
    cn_in_format: bool = False
    cn_in_info: bool = False


def read(rd: Reading) -> Iterator[RawSegment]:
    layout = _Layout()
    skipped_no_cn = 0
    other: list[int] = []  # lines of records that are no copy-number interval (small variants)
    n_segments = 0
    for lineno, line in rd.lines():
        if line.startswith("##"):
            layout.meta.append(line)
            continue
        if line.startswith("#CHROM"):
            _column_header(rd, layout, lineno, line)
            continue
        if not line.strip():
            continue
        if not layout.meta and layout.col is None and not layout.samples:
            raise InputError([InputProblem(rd.name, "VCF record before the #CHROM header line", line=lineno,
                                           expected="##fileformat, ## meta lines, #CHROM line, records")])
        rec = _record(rd, layout, lineno, line)
        if rec == NO_CN:
            skipped_no_cn += 1
        elif rec == NOT_INTERVAL:
            other.append(lineno)
        elif rec is not None:
            n_segments += 1
            yield rec
    if not layout.meta:
        rd.problem("has no VCF header", expected="##fileformat=VCF... and a #CHROM line")
    if other and n_segments == 0 and not skipped_no_cn and not rd.skipped_filter:
        rd.problem(f"none of its {len(other)} records is a copy-number interval (<DEL>/<DUP>/<CNV> or an END): "
                   "this looks like a small-variant VCF", line=other[0], column="cnv",
                   expected="a copy-number file in the cnv column (a small-variant VCF belongs in the snv_vcf "
                            "column of the sample sheet)")
    if skipped_no_cn:
        rd.warnings.append(f"{rd.name}: {skipped_no_cn} interval record(s) without a usable CN were skipped")
    if rd.skipped_filter:
        shown = ", ".join(f"{n} {f}" for f, n in sorted(rd.skipped_filter.items()))
        rd.warnings.append(f"{rd.name}: {sum(rd.skipped_filter.values())} record(s) not passing FILTER skipped "
                           f"({shown}); only PASS or '.' records are used")


def _column_header(rd: Reading, layout: _Layout, lineno: int, line: str) -> None:
    """The ``#CHROM`` line: CN must be declared, the build must match, the sample column is chosen."""
    text = "\n".join(layout.meta)
    layout.cn_in_format = bool(re.search(r"^##FORMAT=<ID=CN,", text, re.M))
    layout.cn_in_info = bool(re.search(r"^##INFO=<ID=CN,", text, re.M))
    if not (layout.cn_in_format or layout.cn_in_info):
        sv = SV_HEADER.search(text) is not None
        looks = ("a structural-variant VCF (its header declares SVTYPE/MATEID/CIPOS or breakend ALTs); it "
                 "belongs in the sv_vcf column" if sv else
                 "a small-variant VCF; it belongs in the snv_vcf column")
        raise InputError([InputProblem(rd.name, f"the VCF declares no copy number (no CN field in FORMAT or "
                                                f"INFO): this looks like {looks}", line=lineno, column="cnv",
                                       expected="a copy-number VCF with ##FORMAT or ##INFO ID=CN in the cnv column "
                                                "of the sample sheet")])
    prob = check_build(rd.build, detect_build(vcf_header_contigs(text), text), rd.name)
    if prob is not None:
        raise InputError([prob])
    layout.samples = line.split("\t")[9:]
    twice = sorted({s for s in layout.samples if layout.samples.count(s) > 1})
    if twice:
        raise InputError([InputProblem(rd.name, f"the #CHROM line names sample {twice[0]!r} twice", line=lineno,
                                       column=twice[0], expected="each sample column once")])
    if layout.cn_in_format and layout.samples:
        chosen = choose_sample(rd, layout.samples, "the VCF")
        layout.col = 9 + layout.samples.index(chosen)
        rd.sample = chosen
    elif layout.cn_in_format and not layout.cn_in_info:
        raise InputError([InputProblem(rd.name, "CN is a FORMAT field but the VCF has no sample column",
                                       line=lineno, expected="a sample column holding CN")])


def _record(rd: Reading, layout: _Layout, lineno: int,
            line: str) -> RawSegment | Literal["no_cn", "not_interval"] | None:
    """One record as a segment; ``"no_cn"`` for an interval without a usable CN, ``"not_interval"`` for a small
    variant; None to skip it (a problem was recorded, or its FILTER fails)."""
    f = line.split("\t")
    col = layout.col
    if len(f) < 8 or (col is not None and len(f) <= col):
        rd.problem(f"VCF record has {len(f)} columns (the file looks truncated)", line=lineno, value=line,
                   expected=f"{max(8, (col or 0) + 1)} tab-separated columns")
        return None
    info: dict[str, str] = {}
    for item in f[7].split(";"):
        k, _, v = item.partition("=")
        if k in info and k:
            rd.problem(f"INFO key {k!r} is given twice", line=lineno, column="INFO", value=f[7][:120],
                       expected="each INFO key once")
            return None
        info[k] = v
    alt = f[4]
    svtype = info.get("SVTYPE", "")
    if svtype in NOT_INTERVAL_SVTYPES or "[" in alt or "]" in alt or alt.startswith(("<INV", "<INS", "<BND", "<TRA")):
        raise InputError([*rd.problems, InputProblem(
            rd.name, f"a {svtype or 'breakend'} record: this looks like a structural-variant VCF", line=lineno,
            column="cnv", value=line[:120], expected="a copy-number VCF (DEL/DUP/CNV intervals with CN) in the cnv "
                                                     "column; a structural-variant VCF belongs in the sv_vcf column")])
    if not (CNV_ALTS.match(alt) or svtype in INTERVAL_SVTYPES or "END" in info):
        return NOT_INTERVAL  # a small variant
    if f[6] not in PASSING:
        rd.skipped_filter[f[6]] = rd.skipped_filter.get(f[6], 0) + 1
        return None
    cn = _copies(rd, layout, f, info, lineno)
    if cn is None or cn == NO_CN:
        return cn
    interval = _interval(rd, f, info, lineno, line)
    if interval is None:
        return None
    pos, end = interval
    # a symbolic record's POS is the base before the event
    start = pos + 1 if alt.startswith("<") and end > pos else pos
    return RawSegment(f[0], start, end, cn, line=lineno)


def _copies(rd: Reading, layout: _Layout, f: list[str], info: dict[str, str],
            lineno: int) -> float | Literal["no_cn"] | None:
    """The record's CN (FORMAT of the chosen sample, else INFO); ``"no_cn"`` if missing or negative."""
    cn_raw: str | None = None
    if layout.col is not None:
        keys = f[8].split(":")
        if keys.count("CN") > 1:
            rd.problem("FORMAT key 'CN' is given twice", line=lineno, column="FORMAT", value=f[8][:80],
                       expected="each FORMAT key once")
            return None
        vals = f[layout.col].split(":")
        if "CN" in keys and keys.index("CN") < len(vals):
            cn_raw = vals[keys.index("CN")]
    if cn_raw in (None, "", ".") and layout.cn_in_info:
        cn_raw = info.get("CN")
    if cn_raw is None or cn_raw in ("", "."):
        return NO_CN
    try:
        cn = float(cn_raw)
    except ValueError:
        cn = math.nan
    b = rd.bounds
    if cn == NO_ESTIMATE:  # Delly writes -1 where it has no estimate
        return NO_CN
    if not (math.isfinite(cn) and b.min_copies <= cn <= b.max_copies):
        rd.problem("CN is not a finite number in range", line=lineno, column="CN", value=cn_raw,
                   expected=b.copies().expected + f", or {NO_ESTIMATE:g} for no estimate")
        return None
    return cn


def _interval(rd: Reading, f: list[str], info: dict[str, str], lineno: int, line: str) -> tuple[int, int] | None:
    """``(POS, end)`` from INFO/END, else POS + |SVLEN|; a problem (and None) if neither is usable."""
    try:
        pos = int(f[1])
        if "END" in info:
            end = int(info["END"])
        elif "SVLEN" in info:
            end = pos + abs(int(info["SVLEN"].split(",")[0]))
        else:
            rd.problem("copy-number record without END or SVLEN", line=lineno, value=line[:120],
                       expected="INFO/END (or SVLEN) giving the segment's end")
            return None
    except ValueError:
        rd.problem("POS/END/SVLEN is not an integer", line=lineno, value=line[:120], expected="integers")
        return None
    return pos, end
