"""Copy-number VCF (plain or gzip): interval records with a ``CN`` in FORMAT or INFO.

The header must declare ``CN`` (``##FORMAT=<ID=CN,...>`` or ``##INFO=<ID=CN,...>``): a VCF without
it is refused (a structural-variant VCF belongs in ``sv_vcf``); its ``##contig``/``##reference``
lines are checked against the declared build. With FORMAT/CN the sample column is chosen by sample
id (exact, else a unique substring match). Interval records are ``<DEL>``/``<DUP>``/``<CNV>`` (or
``SVTYPE`` DEL/DUP/CNV, or any record with ``END``), ending at ``END`` or ``POS + |SVLEN|``; a
symbolic record starts after its ``POS`` (the base before the event). BND/INV/INS records, and records
whose CN is missing or negative (Delly writes -1 where it has no estimate), are skipped and counted.
"""

from __future__ import annotations

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
        elif rec is not None:
            yield rec
    if not layout.meta:
        rd.problem("has no VCF header", expected="##fileformat=VCF... and a #CHROM line")
    if skipped_no_cn:
        rd.warnings.append(f"{rd.name}: {skipped_no_cn} interval record(s) without a usable CN were skipped")


def _column_header(rd: Reading, layout: _Layout, lineno: int, line: str) -> None:
    """The ``#CHROM`` line: CN must be declared, the build must match, the sample column is chosen."""
    text = "\n".join(layout.meta)
    layout.cn_in_format = bool(re.search(r"^##FORMAT=<ID=CN,", text, re.M))
    layout.cn_in_info = bool(re.search(r"^##INFO=<ID=CN,", text, re.M))
    if not (layout.cn_in_format or layout.cn_in_info):
        raise InputError([InputProblem(rd.name, "the VCF declares no copy number (no CN field in "
                                                "FORMAT or INFO)", line=lineno,
                                       expected="a copy-number VCF with ##FORMAT or ##INFO ID=CN "
                                                "(a structural-variant VCF belongs in sv_vcf)")])
    prob = check_build(rd.build, detect_build(vcf_header_contigs(text), text), rd.name)
    if prob is not None:
        raise InputError([prob])
    layout.samples = line.split("\t")[9:]
    if layout.cn_in_format and layout.samples:
        chosen = choose_sample(rd, layout.samples, "the VCF")
        layout.col = 9 + layout.samples.index(chosen)
        rd.sample = chosen
    elif layout.cn_in_format and not layout.cn_in_info:
        raise InputError([InputProblem(rd.name, "CN is a FORMAT field but the VCF has no sample column",
                                       line=lineno, expected="a sample column holding CN")])


def _record(rd: Reading, layout: _Layout, lineno: int, line: str) -> RawSegment | Literal["no_cn"] | None:
    """One record as a segment; ``"no_cn"`` for an interval without a usable CN; None to skip it."""
    f = line.split("\t")
    col = layout.col
    if len(f) < 8 or (col is not None and len(f) <= col):
        rd.problem(f"VCF record has {len(f)} columns (the file looks truncated)", line=lineno, value=line,
                   expected=f"{max(8, (col or 0) + 1)} tab-separated columns")
        return None
    info: dict[str, str] = {}
    for item in f[7].split(";"):
        k, _, v = item.partition("=")
        info[k] = v
    alt = f[4]
    svtype = info.get("SVTYPE", "")
    if not (CNV_ALTS.match(alt) or svtype in INTERVAL_SVTYPES or "END" in info):
        return None  # not an interval record (SNV, BND, INV, INS)
    if svtype in NOT_INTERVAL_SVTYPES or alt.startswith("<INV") or alt.startswith("<INS"):
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
        rd.problem("CN is not a number", line=lineno, column="CN", value=cn_raw, expected="a number ≥ 0")
        return None
    if cn < 0:  # Delly writes -1 where it has no estimate
        return NO_CN
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
