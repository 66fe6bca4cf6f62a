"""The MAF reader: rows of one sample to the reported small variants (rules in :mod:`mmrisk.formats.maf`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from ...errors import InputError, InputProblem
from ...genome import canonical_chrom, chromosome_lengths
from ...textio import lines
from ...smallvariants import ReadRules, SmallVariant, SnvResult, flag_variant, tp53_evidence
from ..annotation.consequence import is_known_term, is_protein_altering, so_term
from .vocab import COLUMNS, REQUIRED, classification_terms, maf_build, maf_hgvsp

WHAT = "MAF file"
#: A file with this many problems stops being read.
MAX_PROBLEMS = 20
#: Cells read as "no value".
MISSING = ("", "NA", "NaN", "nan", ".", "-", "None", "__UNKNOWN__")
EXPECTED = ("a MAF (Hugo_Symbol, Variant_Classification, HGVSp_Short, Chromosome, Start_Position, Reference_Allele, "
            "Tumor_Seq_Allele2, Tumor_Sample_Barcode, t_alt_count/t_ref_count) or a dNdScv table (sampleID chr pos "
            "ref mut gene aachange impact)")


def _header_columns(line: str) -> set[str]:
    return {c.strip().lower() for c in line.split("\t")}


def looks_like_maf_header(line: str) -> bool:
    """Whether a header line is a MAF's (or a dNdScv table's)."""
    cols = _header_columns(line)
    if "hugo_symbol" in cols and ({"variant_classification", "hgvsp_short", "hgvsp"} & cols):
        return True
    return {"sampleid", "gene", "impact"} <= cols and ({"aachange", "pos"} & cols) != set()


def is_maf(path: str | Path) -> bool:
    """A ``.maf``/``.maf.gz`` name, or a MAF header on the first non-comment line (never raises)."""
    name = str(path).lower()
    if name.endswith((".maf", ".maf.gz", ".maf.txt", ".maf.tsv")):
        return True
    try:
        for _n, line in lines(path, WHAT):
            if not line.strip() or line.startswith("#"):
                continue
            return looks_like_maf_header(line)
    except Exception:  # the VCF reader says why the file cannot be read
        return False
    return False


@dataclass
class _Maf:
    """One MAF being read: header map, problems, what was counted."""

    name: str
    build: str
    problems: list[InputProblem] = field(default_factory=list)
    col: dict[str, str] = field(default_factory=dict)
    header_line: int = 0
    unknown_classes: dict[str, list[str]] = field(default_factory=dict)
    unplaced: list[str] = field(default_factory=list)
    rows_read: int = 0

    def problem(self, message: str, line: int | None = None, column: str | None = None, value: str | None = None,
                expected: str | None = None) -> None:
        self.problems.append(InputProblem(self.name, message, line=line, column=column, value=value,
                                          expected=expected))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(InputProblem(self.name, f"stopped after {MAX_PROBLEMS} problems"))
            raise InputError(self.problems)


def _map_header(m: _Maf, header: list[str], line: int) -> None:
    low: dict[str, str] = {}
    for i, h in enumerate(header, start=1):
        key = h.strip().lower()
        if key in low:
            raise InputError([InputProblem(m.name, f"column {h!r} appears twice", line=line, column=h,
                                           expected="each column once")])
        low[key] = h.strip()
    for logical, aliases in COLUMNS.items():
        found = next((low[a.lower()] for a in aliases if a.lower() in low), None)
        if found is not None:
            m.col[logical] = found
    missing = [f"{k} ({' or '.join(COLUMNS[k])})" for k in REQUIRED if k not in m.col]
    if not ({"classification", "consequence", "hgvsp_short", "hgvsp"} & set(m.col)):
        missing.append("a consequence (Variant_Classification or Consequence) or a protein change (HGVSp_Short)")
    if missing:
        raise InputError([InputProblem(m.name, "MAF: required column(s) missing: " + "; ".join(missing), line=line,
                                       value="\t".join(header)[:200], expected=EXPECTED)])
    m.header_line = line


def _rows(m: _Maf) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, cells by header name)`` of the data rows; the header is mapped on the way."""
    header: list[str] | None = None
    for lineno, line in lines(m.name, WHAT, expected=EXPECTED):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            _map_header(m, header, lineno)
            continue
        while len(cells) > len(header) and cells[-1] == "":
            cells.pop()
        if len(cells) < len(header):
            cells += [""] * (len(header) - len(cells))  # MAF-lite rows leave trailing columns empty
        if len(cells) != len(header):
            m.problem(f"row has {len(cells)} cells but the header has {len(header)} columns", line=lineno,
                      value=line[:200], expected="one tab-separated cell per header column")
            continue
        yield lineno, dict(zip(header, (c.strip() for c in cells)))
    if header is None:
        raise InputError([InputProblem(m.name, "is empty (no MAF header line)", expected=EXPECTED)])


def _cell(m: _Maf, cells: Mapping[str, str], logical: str) -> str:
    col = m.col.get(logical)
    v = cells.get(col, "") if col else ""
    return "" if v in MISSING else v


def choose_barcode(barcodes: Sequence[str], tumor_column: str | None, sample_id: str | None, name: str
                   ) -> tuple[str, str | None]:
    """The barcode to read and a note for the report (the multi-sample rule of the module docstring)."""
    if tumor_column:
        if tumor_column in barcodes:
            return tumor_column, None
        raise InputError([InputProblem(name, "the sheet's tumor_column is not a Tumor_Sample_Barcode of the MAF",
                                       column="tumor_column", value=tumor_column,
                                       expected="one of " + ", ".join(barcodes[:20]))])
    if sample_id is not None:
        if sample_id in barcodes:
            return sample_id, None
        near = [b for b in barcodes if sample_id in b or b in sample_id]
        if len(near) == 1:
            return near[0], f"{name}: sample {sample_id!r} read as Tumor_Sample_Barcode {near[0]!r} (matched by name)"
    if len(barcodes) == 1:
        note = None if sample_id is None else (f"{name}: the MAF holds one sample, {barcodes[0]!r}, read as sample "
                                               f"{sample_id!r} (check the file belongs to this sample)")
        return barcodes[0], note
    raise InputError([InputProblem(
        name, f"the MAF holds {len(barcodes)} samples and none is named by tumor_column or matches the sample id "
              f"{sample_id!r}", column="tumor_column", value=", ".join(barcodes[:20]),
        expected="tumor_column in the sample sheet naming one Tumor_Sample_Barcode")])


def _barcodes(m: _Maf) -> list[str]:
    seen: dict[str, None] = {}
    for _line, cells in _rows(m):
        seen.setdefault(_cell(m, cells, "sample"), None)
    m.problems.clear()  # row problems are reported by the second pass
    return [b for b in seen if b]


def _count(m: _Maf, cells: Mapping[str, str], logical: str, line: int) -> int | None:
    raw = _cell(m, cells, logical)
    if not raw:
        return None
    try:
        v = float(raw)
    except ValueError:
        v = math.nan
    if not math.isfinite(v) or not v.is_integer() or v < 0:
        m.problem("not a read count", line=line, column=m.col[logical], value=raw,
                  expected="a non-negative whole number")
        return None
    return int(v)


def _vaf(m: _Maf, cells: Mapping[str, str], line: int) -> tuple[float | None, int | None]:
    alt = _count(m, cells, "alt_count", line)
    ref = _count(m, cells, "ref_count", line)
    depth = _count(m, cells, "depth", line)
    total = ref + alt if ref is not None and alt is not None else depth
    if depth is not None and alt is not None and ref is not None and ref + alt > depth:
        total = ref + alt  # t_depth may count only high-quality reads
    if alt is None or total is None:
        return None, depth if depth is not None else total
    if alt > total:
        m.problem("t_alt_count exceeds the depth", line=line, column=m.col["alt_count"], value=str(alt),
                  expected=f"at most {total} (t_depth or t_ref_count + t_alt_count)")
        return None, None
    return (alt / total if total else None), (depth if depth is not None else total)


def _position(m: _Maf, cells: Mapping[str, str], line: int) -> tuple[str, int] | None:
    chrom = _cell(m, cells, "chrom")
    raw = _cell(m, cells, "pos")
    if not chrom or not raw:
        return None
    try:
        pos = int(raw)
    except ValueError:
        pos = 0
    length = chromosome_lengths().get(m.build, {}).get(canonical_chrom(chrom))
    if pos < 1 or (length is not None and pos > length):
        m.problem("Start_Position is not a position of the chromosome", line=line, column=m.col["pos"], value=raw,
                  expected=f"a whole number from 1 to the length of chromosome {chrom} in {m.build}")
        return None
    return chrom, pos


def _terms(m: _Maf, cells: Mapping[str, str], origin: str) -> tuple[list[str], bool]:
    """(SO terms, known) of a row: Consequence, else the classification; unknown values are listed."""
    csq = _cell(m, cells, "consequence")
    if csq:
        terms = [so_term(t) for t in csq.replace(",", "&").split("&") if t.strip()]
        odd = [t for t in terms if not is_known_term(t)]
        for t in odd:
            m.unknown_classes.setdefault(t, []).append(origin)
        return terms, not odd
    cls = _cell(m, cells, "classification")
    if not cls:
        return ["unknown"], False
    terms_t = classification_terms(cls, _cell(m, cells, "ntchange"))
    if terms_t is None:
        m.unknown_classes.setdefault(cls, []).append(origin)
        return [cls], False
    return list(terms_t), True


def _check_build(m: _Maf, cells: Mapping[str, str], line: int) -> None:
    raw = _cell(m, cells, "build")
    b = maf_build(raw)
    if b is None or b == m.build:
        return
    if b == "?":
        m.problem("NCBI_Build is not a build name", line=line, column=m.col["build"], value=raw,
                  expected="GRCh37 (37, hg19) or GRCh38 (38, hg38)")
        return
    raise InputError(m.problems + [InputProblem(
        m.name, f"the MAF is {b} (NCBI_Build) but the sample's build is {m.build}", line=line,
        column=m.col["build"], value=raw, expected=f"a {m.build} MAF, or build {b} in the sample sheet")])


def _gene_of(symbol: str, s: ReadRules, gene_ids: Mapping[str, str]) -> str:
    return gene_ids.get(symbol.upper(), symbol)


def _row_variant(m: _Maf, cells: Mapping[str, str], line: int, s: ReadRules, gene_ids: Mapping[str, str],
                 not_assessed: dict[str, str]) -> SmallVariant | None:
    """The reported variant of one row of the chosen sample, or None (not reported / not placeable)."""
    gene = _gene_of(_cell(m, cells, "gene"), s, gene_ids)
    if gene not in s.panel:
        return None
    origin = f"{m.name}:{line}"
    terms, known = _terms(m, cells, origin)
    if known and not is_protein_altering(terms):
        return None
    flt = _cell(m, cells, "filter") or "."
    if not set(flt.split(";")) <= s.filters:
        return None
    where = _position(m, cells, line)
    hgvsp = maf_hgvsp(_cell(m, cells, "hgvsp_short") or _cell(m, cells, "hgvsp") or None)
    if where is None:
        m.unplaced.append(origin)
        not_assessed.setdefault(gene, f"{origin} names {gene} {hgvsp or '&'.join(terms)} without a position "
                                      f"(Chromosome/Start_Position): it cannot be placed on {s.build}")
        return None
    chrom, pos = where
    span = s.spans.get(gene)
    if span is not None and not (canonical_chrom(chrom) == span.chrom and span.start <= pos <= span.end):
        not_assessed.setdefault(gene, f"{origin} names {gene} but lies at {chrom}:{pos}, outside {gene}'s {s.build} "
                                      f"span {span.chrom}:{span.start}-{span.end}: the MAF is not {s.build}")
        return None
    if not known:
        not_assessed.setdefault(gene, f"{origin} has consequence {'&'.join(terms)!r} outside the vocabulary")
    vaf, depth = _vaf(m, cells, line)
    ref = _cell(m, cells, "ref")
    alt = _cell(m, cells, "alt2")
    if not alt or alt == ref:
        alt = _cell(m, cells, "alt1")
    paf_raw = _cell(m, cells, "population_af")
    try:
        paf = float(paf_raw) if paf_raw else None
    except ValueError:
        paf = None
    if paf is not None and not (math.isfinite(paf) and 0 <= paf <= 1):
        m.problem("population allele frequency out of range", line=line, column=m.col["population_af"],
                  value=paf_raw, expected="a frequency from 0 to 1")
        paf = None
    rsid = _cell(m, cells, "rsid")
    flags = [] if known else (["unannotated"] if terms == ["unknown"] else ["unknown_consequence"])
    return SmallVariant(gene=gene, chrom=chrom, pos=pos, ref=ref or "-", alt=alt or "-",
                        consequence=terms, hgvsp=hgvsp, vaf=vaf, depth=depth, filter=flt,
                        transcript=_cell(m, cells, "transcript") or None, hgvsc=_cell(m, cells, "hgvsc") or None,
                        population_af=paf, flags=flags, record=origin,
                        vaf_source="t_alt_count" if vaf is not None else None,
                        ids=[x for x in rsid.split(";") if x.startswith("rs")])


def _warnings(m: _Maf, barcode: str, n_rows: int, note: str | None) -> list[str]:
    out = [note] if note else []
    out.append(f"{m.name}: MAF read for Tumor_Sample_Barcode {barcode!r} ({n_rows} row(s) of this sample)")
    for term, where in sorted(m.unknown_classes.items()):
        out.append(f"{m.name}: consequence {term!r} is not in the MAF/SO vocabulary on {len(where)} row(s): "
                   + "; ".join(where[:5]) + (" ..." if len(where) > 5 else ""))
    if m.unplaced:
        out.append(f"{m.name}: {len(m.unplaced)} panel-gene row(s) give no position and cannot be placed on "
                   f"{m.build}: " + "; ".join(m.unplaced[:5]))
    return out


def read_maf(path: str | Path, s: ReadRules, *, tumor_column: str | None, sample_id: str | None,
             gene_ids: Mapping[str, str], purity: float | None) -> SnvResult:
    """Read the rows of one sample of a MAF into an :class:`~mmrisk.snv.SnvResult` (``s``: the reading rules)."""
    m = _Maf(str(path), s.build)
    barcodes = _barcodes(m)
    if not barcodes:
        raise InputError([InputProblem(m.name, "the MAF has a header but no rows naming a Tumor_Sample_Barcode",
                                       line=m.header_line, expected="one row per variant")])
    barcode, note = choose_barcode(barcodes, tumor_column, sample_id, m.name)
    variants: list[SmallVariant] = []
    not_assessed: dict[str, str] = {}
    n_rows = 0
    for line, cells in _rows(m):
        if _cell(m, cells, "sample") != barcode:
            continue
        n_rows += 1
        _check_build(m, cells, line)
        sv = _row_variant(m, cells, line, s, gene_ids, not_assessed)
        if sv is not None:
            flag_variant(sv, s)
            variants.append(sv)
    if m.problems:
        raise InputError(m.problems)
    warnings = _warnings(m, barcode, n_rows, note)
    warnings += [f"{m.name}: {g} not assessed: {why}" for g, why in sorted(not_assessed.items())]
    evidence = tp53_evidence(variants, m.name, annotated=True, tp53_locatable=True, purity=purity,
                             vaf_floor=s.vaf_floor, not_assessed=not_assessed.get("TP53"))
    return SnvResult(variants, evidence, warnings, barcode, ["MAF"], n_rows, "maf", dict(sorted(not_assessed.items())))
