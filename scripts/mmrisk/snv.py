"""Small variants (SNV/indel VCFs): the reported variants and the TP53_mutation evidence.

:func:`read_small_variants` reads one sample's ``snv_vcf`` with cyvcf2 and returns a
:class:`SnvResult`:

- ``variants``: the *reported* small variants (the contract's ``variants.tsv`` fields plus
  transcript, hgvsc, population_af, flags and the record they came from). Reported =
  in a panel gene (``resources/panel_genes.tsv``), passing FILTER (``PASS`` or ``.`` by
  default) and protein-altering (missense, stop gained, frameshift, inframe indel, splice
  donor/acceptor, start/stop lost). In a VCF without consequence annotation, every passing
  variant inside a panel gene's region (from the gene table) is reported with consequence
  ``unknown`` and flag ``unannotated``, and one warning asks for annotation: a consequence
  is never guessed.
- ``evidence``: :class:`~mmrisk.lesions.Evidence` for ``TP53_mutation``. Present when a
  reported protein-altering TP53 variant is neither a population polymorphism nor on the
  benign list; ``not_assessed`` when the only TP53 variants have unknown consequence (an
  unannotated VCF); ``absent`` otherwise (the file was given and read). With ``purity``,
  the fraction of tumour cells is estimated as ``min(1, 2 * VAF / purity)`` (a heterozygous
  mutation in a diploid region); without it, ``None``.
- ``warnings``.

Flags: ``low_vaf`` (VAF below ``vaf_floor``; reported, not dropped), ``polymorphism``
(population AF of gnomAD/ExAC/1000 Genomes above ``max_population_af``), ``benign_list``
(a row of ``resources/benign_variants.tsv``), ``unannotated``. Polymorphisms and benign
variants are listed but are not somatic findings and never make TP53_mutation present.

VAF and depth come from the tumour's FORMAT fields, whatever the caller: ``AF`` (Mutect2),
``VAF`` (DeepVariant/DeepSomatic), ``FA`` (MuTect1), ``FREQ`` (VarScan, ``48.7%``),
Strelka tier-1 ``AU/CU/GU/TU`` (SNVs: alt/(ref+alt) base counts) and ``TAR/TIR`` (indels),
then ``AD`` (ref,alt..; alt/sum, or alt/DP when the ref count is missing). Depth is
``DP``, else the allele counts' sum. INFO is never required. Multi-allelic records are
reported per ALT.

The tumour column: ``tumor_column`` if given; else the header's ``##tumor_sample=``
(Mutect2); else a column named ``TUMOR``; else the only column; else an error naming the
columns. Sites-only VCFs are read without VAF/depth (and a warning).

Large inputs: a bgzipped, indexed VCF with a gene table is queried by region (panel gene
regions only, spelled as the file spells its contigs). Without an index, one fast pass over the
file (:mod:`mmrisk.vcfscan`) keeps the records inside the panel regions, which are then parsed;
without a gene table every record is parsed. Either way only the reported variants are kept, so
memory does not grow with the file. Records outside the panel regions are not parsed, so a
malformed record there goes unnoticed.
"""

from __future__ import annotations

import gzip
import os
import tempfile
import warnings as py_warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from .annotation import (
    Annotation,
    Annotator,
    existing_ids,
    info_population_af,
    normalise_hgvsp,
    population_af,
    select_transcript,
)
from .vcfcols import choose_tumor_column
from .errors import InputError, InputProblem
from .cnv import Region, load_genes
from .genome import canonical_chrom, check_build, detect_build, file_chrom, vcf_header_contigs
from .lesions import Evidence
from .resources import shipped
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .vcfscan import ScanResult
from .tables import read_tsv

PANEL_GENES_TSV = shipped("panel_genes")
BENIGN_TSV = shipped("benign_variants")
GENES_TSV = shipped("genes")

#: Columns of the contract's variants.tsv, in order.
VARIANT_COLUMNS: tuple[str, ...] = (
    "gene", "chrom", "pos", "ref", "alt", "consequence", "hgvsp", "vaf", "depth", "filter", "kb_match")
#: Extra columns this reader fills (after the contract's).
EXTRA_COLUMNS: tuple[str, ...] = ("transcript", "hgvsc", "population_af", "flags", "record")

_BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")


# ----------------------------------------------------------------------------------------------
# Resource tables

@dataclass(frozen=True)
class GeneRegion:
    gene: str
    chrom: str  # canonical (no chr prefix)
    start: int  # 1-based, inclusive
    end: int


@dataclass(frozen=True)
class BenignRule:
    """One row of resources/benign_variants.tsv."""

    gene: str
    hgvsp: str | None
    rsid: str | None
    positions: frozenset[str]  # 'build:chrom:pos:ref:alt'
    reason: str
    source: str

    def matches(self, gene: str | None, hgvsp: str | None, ids: Iterable[str], build: str,
                chrom: str, pos: int, ref: str, alt: str) -> bool:
        if f"{build}:{canonical_chrom(chrom)}:{pos}:{ref.upper()}:{alt.upper()}" in self.positions:
            return True
        if self.rsid and self.rsid in set(ids):
            return True
        return bool(self.hgvsp and gene == self.gene and normalise_hgvsp(hgvsp) == self.hgvsp)


def load_panel(path: str | Path = PANEL_GENES_TSV) -> set[str]:
    """Gene symbols of ``resources/panel_genes.tsv``."""
    return {r.cells["gene"] for r in read_tsv(path, required_columns=("gene", "why")).rows}


def load_benign(path: str | Path = BENIGN_TSV) -> list[BenignRule]:
    """Rules of ``resources/benign_variants.tsv`` (columns gene, hgvsp, rsid, grch37, grch38, reason, source)."""
    rules: list[BenignRule] = []
    for r in read_tsv(path, required_columns=("gene", "hgvsp", "rsid", "reason", "source")).rows:
        c = r.cells
        pos = set()
        for build in ("GRCh37", "GRCh38"):
            v = c.get(build.lower(), "")
            if v:
                chrom, p, ref, alt = v.split(":")
                pos.add(f"{build}:{canonical_chrom(chrom)}:{int(p)}:{ref.upper()}:{alt.upper()}")
        rules.append(BenignRule(c["gene"], normalise_hgvsp(c["hgvsp"]) if c["hgvsp"] else None,
                                c["rsid"] or None, frozenset(pos), c["reason"], c["source"]))
    return rules


def gene_regions(table: Mapping[str, Region], genes: Iterable[str] | None = None) -> dict[str, GeneRegion]:
    """``{gene: GeneRegion}`` from one build of the gene table as :func:`mmrisk.cnv.load_genes` reads it."""
    want = set(genes) if genes is not None else None
    return {g: GeneRegion(g, r.chrom, r.start, r.end) for g, r in table.items() if want is None or g in want}


def load_gene_regions(path: str | Path = GENES_TSV, *, build: str,
                      genes: Iterable[str] | None = None) -> dict[str, GeneRegion]:
    """``{gene: GeneRegion}`` of one build from a gene table (gene, build, chrom, start, end, source)."""
    return gene_regions(load_genes(path).get(build, {}), genes)


# ----------------------------------------------------------------------------------------------
# Results

@dataclass
class SmallVariant:
    gene: str
    chrom: str
    pos: int
    ref: str
    alt: str
    consequence: list[str]
    hgvsp: str | None
    vaf: float | None
    depth: int | None
    filter: str
    transcript: str | None = None
    hgvsc: str | None = None
    population_af: float | None = None
    flags: list[str] = field(default_factory=list)
    record: str = ""  # "file:line" (streamed) or "file:chrom:pos" (region query)
    vaf_source: str | None = None  # FORMAT field(s) the VAF came from
    ids: list[str] = field(default_factory=list)
    kb_match: str = ""
    benign_reason: str | None = None

    @property
    def protein_altering(self) -> bool:
        from .annotation import is_protein_altering
        return is_protein_altering(self.consequence)

    @property
    def somatic_finding(self) -> bool:
        """Reported, protein-altering and neither a polymorphism nor on the benign list."""
        return self.protein_altering and not ({"polymorphism", "benign_list"} & set(self.flags))

    def as_row(self) -> dict[str, str]:
        """The variants.tsv row: contract columns, then :data:`EXTRA_COLUMNS`."""
        def num(x: float | None) -> str:
            return "" if x is None else f"{x:.4g}"
        return {
            "gene": self.gene, "chrom": self.chrom, "pos": str(self.pos), "ref": self.ref, "alt": self.alt,
            "consequence": "&".join(self.consequence), "hgvsp": self.hgvsp or "", "vaf": num(self.vaf),
            "depth": "" if self.depth is None else str(self.depth), "filter": self.filter,
            "kb_match": self.kb_match, "transcript": self.transcript or "", "hgvsc": self.hgvsc or "",
            "population_af": num(self.population_af), "flags": ";".join(self.flags), "record": self.record,
        }


@dataclass
class SnvResult:
    variants: list[SmallVariant]
    evidence: list[Evidence]
    warnings: list[str]
    tumor_column: str | None = None
    annotation: list[str] = field(default_factory=list)  # e.g. ["VEP (INFO/CSQ)"]
    records_read: int = 0
    mode: str = "stream"  # or "region"


# ----------------------------------------------------------------------------------------------
# Reading the file's header ourselves (before htslib): clear refusals, build, line numbers

def _problem(path: str, message: str, expected: str | None = None, line: int | None = None,
             value: str | None = None) -> InputError:
    return InputError([InputProblem(path, message, line=line, value=value, expected=expected)])


def _read_header(path: str) -> tuple[str, int, bool]:
    """(header text, number of header lines, bgzipped?) read without htslib."""
    p = Path(path)
    if not p.exists():
        raise _problem(path, "file not found")
    if p.is_dir():
        raise _problem(path, "is a directory, not a VCF")
    with open(p, "rb") as fh:
        magic = fh.read(18)
    gz = magic[:2] == b"\x1f\x8b"
    bgzf = gz and len(magic) >= 16 and magic[3] & 4 and magic[12:14] == b"BC"
    if bgzf:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            fh.seek(max(0, size - 28))
            if fh.read(28) != _BGZF_EOF:
                raise _problem(path, "the bgzip file is truncated (no BGZF end-of-file block)",
                               expected="a complete bgzipped VCF (re-run bgzip on the full file)")
    lines: list[str] = []
    try:
        opener = gzip.open(p, "rt", encoding="utf-8", newline="") if gz else open(p, encoding="utf-8", newline="")
        with opener as fh:
            for raw in fh:
                if not raw.startswith("#"):
                    break
                lines.append(raw.rstrip("\r\n"))
                if raw.startswith("#CHROM"):
                    break
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise _problem(path, f"cannot be decompressed ({exc})", expected="a VCF or a bgzipped VCF") from None
    except UnicodeDecodeError as exc:
        raise _problem(path, f"is not text (byte {exc.start})", expected="a VCF or a bgzipped VCF") from None
    first = lines[0] if lines else ""
    if not first.startswith("##fileformat=VCF"):
        shown = first
        if not lines:
            with (gzip.open(p, "rt", errors="replace") if gz else open(p, errors="replace")) as fh:
                shown = fh.readline().rstrip("\r\n")
        raise _problem(path, "line 1 is not the VCF fileformat line, so the file is not a VCF htslib can read",
                       expected="a VCF starting with ##fileformat=VCFv4.x", line=1, value=shown)
    if not lines[-1].startswith("#CHROM"):
        raise _problem(path, "the header has no #CHROM column line", line=len(lines) + 1,
                       expected="a '#CHROM POS ID REF ALT QUAL FILTER INFO [FORMAT samples]' line ending the header")
    return "\n".join(lines) + "\n", len(lines), bool(bgzf)


def _scan_panel(name: str, header_text: str, regions: Mapping[str, GeneRegion], file_contigs: Sequence[str]
                ) -> tuple[ScanResult, tempfile.TemporaryDirectory[str], str]:
    """The panel regions' records of an unindexed VCF, written with its header to a temporary VCF."""
    wanted: dict[str, list[tuple[int, int]]] = {}
    for r in regions.values():
        names = [c] if (c := file_chrom(r.chrom, file_contigs)) else ([] if file_contigs else [r.chrom, "chr" + r.chrom])
        for c in names:
            wanted.setdefault(c, []).append((r.start, r.end))
    from .vcfscan import scan_regions  # NumPy: imported only for unindexed files

    with open(name, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    try:
        scan = scan_regions(name, gz, wanted)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        raise _problem(name, f"cannot be read to the end ({exc})",
                       expected="a complete, well-formed VCF (a truncated or corrupt file?)") from None
    tmpdir = tempfile.TemporaryDirectory(prefix="mmrisk-snv-")
    out = os.path.join(tmpdir.name, "panel.vcf")
    with open(out, "wb") as fh:
        fh.write(header_text.encode("utf-8"))
        for _, line in scan.lines:
            fh.write(line + b"\n")
    return scan, tmpdir, out


def _index_exists(path: str) -> bool:
    return any(os.path.exists(path + ext) for ext in (".tbi", ".csi"))


# VAF and depth from FORMAT

def _nums(text: str | None) -> list[float | None]:
    out: list[float | None] = []
    for x in (text or "").split(","):
        x = x.strip().rstrip("%")
        try:
            out.append(float(x))
        except ValueError:
            out.append(None)
    return out


def allele_vaf(fmt: Mapping[str, str], ref: str, alts: Sequence[str], i: int) -> tuple[float | None, int | None, str | None]:
    """(VAF, depth, FORMAT field used) of ALT number ``i`` (0-based) in one sample's FORMAT values."""
    n = len(alts)
    alt = alts[i]
    dp_vals = _nums(fmt.get("DP"))
    depth = int(dp_vals[0]) if dp_vals and dp_vals[0] is not None else None
    vaf: float | None = None
    used: str | None = None

    for key in ("AF", "VAF", "FA"):
        if key in fmt:
            vals = _nums(fmt[key])
            if len(vals) == n and vals[i] is not None:
                vaf, used = vals[i], key
                break
    if vaf is None and "FREQ" in fmt:  # VarScan: '48.7%'
        vals = _nums(fmt["FREQ"])
        if len(vals) == n and vals[i] is not None:
            vaf, used = vals[i] / 100.0, "FREQ"
    counts: tuple[float, float] | None = None  # (ref count, alt count)
    bases = {b: _nums(fmt.get(f"{b}U")) for b in "ACGT"}
    if all(f"{b}U" in fmt for b in "ACGT") and len(ref) == 1 and len(alt) == 1 and ref.upper() in bases \
            and alt.upper() in bases:
        r, a = bases[ref.upper()][0], bases[alt.upper()][0]
        if r is not None and a is not None:
            counts, src = (r, a), "AU/CU/GU/TU"
            if depth is None:
                depth = int(sum(v[0] or 0 for v in bases.values()))
    elif "TAR" in fmt and "TIR" in fmt:
        r, a = _nums(fmt["TAR"])[0], _nums(fmt["TIR"])[0]
        if r is not None and a is not None:
            counts, src = (r, a), "TAR/TIR"
    elif "AD" in fmt:
        ad = _nums(fmt["AD"])
        if len(ad) == 1 and "RD" in fmt:  # VarScan: AD = alt reads, RD = ref reads
            r = _nums(fmt["RD"])[0]
            if ad[0] is not None and r is not None:
                counts, src = (r, ad[0]), "RD/AD"
        elif len(ad) == n + 1 and ad[i + 1] is not None:
            a = ad[i + 1]
            if all(x is not None for x in ad):
                total = sum(x for x in ad if x is not None)
                if depth is None:
                    depth = int(total)
                if vaf is None and total > 0:
                    vaf, used = a / total, "AD"
            elif vaf is None and depth:
                vaf, used = a / depth, "AD/DP"
    if counts is not None:
        r, a = counts
        if depth is None:
            depth = int(r + a)
        if vaf is None and r + a > 0:
            vaf, used = a / (r + a), src
    if vaf is not None:
        vaf = min(1.0, max(0.0, vaf))
    return vaf, depth, used


def _sample_format(line: str) -> dict[str, str]:
    cols = line.rstrip("\n").split("\t")
    if len(cols) < 10:
        return {}
    keys = cols[8].split(":")
    vals = cols[9].split(":")
    return {k: (vals[j] if j < len(vals) else ".") for j, k in enumerate(keys)}


# ----------------------------------------------------------------------------------------------
# The reader

def _symbolic(alt: str) -> bool:
    return alt.startswith("<") or "[" in alt or "]" in alt or alt.startswith(".") or alt.endswith(".")


def read_small_variants(
    path: str | Path,
    *,
    build: str,
    tumor_column: str | None = None,
    genes: Mapping[str, GeneRegion] | None = None,
    panel: Iterable[str] | None = None,
    benign: Sequence[BenignRule] | None = None,
    filters: Sequence[str] = ("PASS", "."),
    max_population_af: float = 0.01,
    vaf_floor: float = 0.05,
    purity: float | None = None,
) -> SnvResult:
    """Read one small-variant VCF (see the module docstring for every rule).

    ``genes``: panel gene regions of ``build`` (:func:`load_gene_regions`); needed for
    unannotated VCFs and region queries. ``panel``: gene symbols (default
    :func:`load_panel`). ``benign``: benign rules (default :func:`load_benign`).
    Raises :class:`~mmrisk.errors.InputError` for files that cannot be read, a build that
    contradicts ``build``, or an ambiguous tumour column.
    """
    from cyvcf2 import VCF

    name = str(path)
    panel_set = set(panel) if panel is not None else load_panel()
    benign_rules = list(benign) if benign is not None else load_benign()
    regions = {g: r for g, r in (genes or {}).items() if g in panel_set}
    allowed = set(filters)

    header_text, n_header_lines, bgzf = _read_header(name)
    problem = check_build(build, detect_build(vcf_header_contigs(header_text), header_text), name)
    if problem:
        raise InputError([problem])

    annot = Annotator(header_text)
    warnings: list[str] = []
    try:
        probe = VCF(name)
        samples = list(probe.samples)
        seqnames = list(probe.seqnames) if bgzf and _index_exists(name) else []
        probe.close()
    except Exception as exc:  # htslib refuses: never a traceback
        raise _problem(name, f"htslib cannot read the VCF ({exc})",
                       expected="a VCF or bgzipped VCF starting with ##fileformat") from None
    tumor, note = choose_tumor_column(samples, header_text, tumor_column, name)
    if note:
        warnings.append(note)
    if tumor is None:
        warnings.append(f"{name}: sites-only VCF (no sample columns): VAF and depth are not available")

    pop_info_tags = info_population_af(header_text)
    use_regions = bool(bgzf and regions and _index_exists(name))
    file_contigs = list(vcf_header_contigs(header_text)) or seqnames
    scan: ScanResult | None = None
    tmpdir: tempfile.TemporaryDirectory[str] | None = None
    source = name
    if regions and not use_regions:
        # no index: one fast pass keeps the panel regions' records (vcfscan), which cyvcf2 then parses
        scan, tmpdir, source = _scan_panel(name, header_text, regions, file_contigs)
    vcf = VCF(source, samples=[tumor]) if tumor else VCF(source)

    def records() -> Iterator[tuple[object, str]]:
        if use_regions:
            seen: set[tuple[str, int, str, str]] = set()
            for g in sorted(regions):
                r = regions[g]
                contig = file_chrom(r.chrom, file_contigs or seqnames)
                if contig is None:
                    continue
                with py_warnings.catch_warnings():
                    # cyvcf2 warns "no intervals found" for every panel gene without records: expected, not news
                    py_warnings.filterwarnings("ignore", message="no intervals found", category=UserWarning)
                    region_records = list(vcf(f"{contig}:{r.start}-{r.end}"))
                for v in region_records:
                    key = (v.CHROM, v.POS, v.REF, ",".join(v.ALT))
                    if key in seen:
                        continue
                    seen.add(key)
                    yield v, f"{name}:{v.CHROM}:{v.POS}"
        elif scan is not None:
            for k, v in enumerate(vcf):
                yield v, f"{name}:{scan.lines[k][0]}"
        else:
            for k, v in enumerate(vcf, start=1):
                yield v, f"{name}:{n_header_lines + k}"

    by_chrom: dict[str, list[GeneRegion]] = {}
    for r in regions.values():
        by_chrom.setdefault(r.chrom, []).append(r)

    def region_gene(chrom: str, pos: int) -> str | None:
        for r in by_chrom.get(canonical_chrom(chrom), ()):
            if r.start <= pos <= r.end:
                return r.gene
        return None

    variants: list[SmallVariant] = []
    n_records = 0
    n_symbolic = 0
    n_unannotated = 0
    try:
        for v, origin in records():
            n_records += 1
            fl = v.FILTERS or ["."]
            filt = ";".join(fl)
            if not set(fl) <= allowed:
                continue
            alts = list(v.ALT)
            if not alts:
                continue
            if annot.annotated:
                per_allele, tag = annot.annotate(v.INFO.get, v.CHROM, v.POS, v.REF, alts)
            else:
                per_allele, tag = [[] for _ in alts], None
            line: str | None = None
            for i, alt in enumerate(alts):
                if alt in ("*", "<*>", "<NON_REF>", "."):
                    continue  # spanning deletion / reference block: no variant of its own
                if _symbolic(alt):
                    n_symbolic += 1
                    continue
                entries: list[Annotation] = per_allele[i] if i < len(per_allele) else []
                chosen = select_transcript(entries, panel_set) if entries else None
                if chosen is not None and chosen.gene in panel_set:
                    if not chosen.protein_altering:
                        continue
                    gene, csq, flags = chosen.gene, list(chosen.consequence), []
                elif not entries:
                    g = region_gene(v.CHROM, v.POS)
                    if g is None:
                        continue
                    gene, csq, flags = g, ["unknown"], ["unannotated"]
                    n_unannotated += 1
                else:
                    continue
                if line is None:
                    line = str(v) if tumor else ""
                fmt = _sample_format(line) if tumor else {}
                vaf, depth, vaf_src = allele_vaf(fmt, v.REF, alts, i) if fmt else (None, None, None)
                ids = [x for x in (v.ID or "").split(";") if x and x != "."] + existing_ids(entries)
                paf = population_af(entries)
                for t in pop_info_tags:
                    x = v.INFO.get(t)
                    vals = x if isinstance(x, tuple) else (x,)
                    if len(vals) == len(alts) and isinstance(vals[i], (int, float)):
                        paf = max(paf or 0.0, float(vals[i]))
                sv = SmallVariant(
                    gene=gene, chrom=v.CHROM, pos=v.POS, ref=v.REF, alt=alt, consequence=csq,
                    hgvsp=chosen.hgvsp if chosen else None, vaf=vaf, depth=depth, filter=filt,
                    transcript=chosen.transcript if chosen else None, hgvsc=chosen.hgvsc if chosen else None,
                    population_af=paf, flags=flags, record=origin, vaf_source=vaf_src, ids=ids,
                )
                if vaf is not None and vaf < vaf_floor:
                    sv.flags.append("low_vaf")
                if paf is not None and paf > max_population_af:
                    sv.flags.append("polymorphism")
                for rule in benign_rules:
                    if rule.matches(gene, sv.hgvsp, ids, build, v.CHROM, v.POS, v.REF, alt):
                        sv.flags.append("benign_list")
                        sv.benign_reason = f"{rule.reason} ({rule.source})"
                        break
                variants.append(sv)
    except InputError:
        raise
    except Exception as exc:
        where = f"after record {n_records}" if n_records else "at the first record"
        raise _problem(name, f"htslib stopped reading {where} ({exc})",
                       expected="a complete, well-formed VCF (a truncated or corrupt file?)") from None
    finally:
        vcf.close()
        if tmpdir is not None:
            tmpdir.cleanup()
    if scan is not None:
        n_records = scan.records

    if n_symbolic:
        warnings.append(f"{name}: {n_symbolic} symbolic or breakend allele(s) ignored: structural variants "
                        f"and copy-number calls belong in sv_vcf / cnv")
    if not annot.annotated:
        if regions:
            warnings.append(
                f"{name}: the VCF has no consequence annotation (VEP CSQ, SnpEff ANN, bcftools BCSQ or "
                f"Funcotator): {n_unannotated} variant(s) inside panel genes are listed with consequence "
                f"'unknown'; annotate the VCF (e.g. Ensembl VEP or bcftools csq) to assess TP53_mutation "
                f"and knowledge-base matches")
        else:
            warnings.append(
                f"{name}: the VCF has no consequence annotation and no gene table was given: panel genes "
                f"cannot be located, TP53_mutation is not assessed; annotate the VCF (e.g. Ensembl VEP or "
                f"bcftools csq)")
    elif n_unannotated:
        warnings.append(f"{name}: {n_unannotated} record(s) inside panel genes carry no annotation and are "
                        f"listed with consequence 'unknown'")

    evidence = tp53_evidence(variants, name, annotated=annot.annotated,
                             tp53_locatable=annot.annotated or "TP53" in regions, purity=purity,
                             vaf_floor=vaf_floor)
    return SnvResult(variants, evidence, warnings, tumor, annot.kinds, n_records,
                     "region" if use_regions else "stream")


def tp53_evidence(variants: Sequence[SmallVariant], name: str, *, annotated: bool, tp53_locatable: bool,
                  purity: float | None = None, vaf_floor: float = 0.05) -> list[Evidence]:
    """TP53_mutation evidence from the reported variants (see the module docstring)."""
    if not tp53_locatable:
        return []
    tp53 = [v for v in variants if v.gene == "TP53"]
    hits = [v for v in tp53 if v.somatic_finding]
    out: list[Evidence] = []
    for v in hits:
        fraction = None
        if purity and v.vaf is not None:
            fraction = min(1.0, 2.0 * v.vaf / purity)
        vaf_txt = "VAF unknown" if v.vaf is None else f"VAF {v.vaf:.3g}"
        low = f", below the {vaf_floor:.0%} floor" if "low_vaf" in v.flags else ""
        out.append(Evidence(
            "TP53_mutation", "present", "SNV", fraction, origin=v.record,
            detail=f"TP53 {v.hgvsp or v.hgvsc or f'{v.chrom}:{v.pos} {v.ref}>{v.alt}'} "
                   f"({'&'.join(v.consequence)}), {vaf_txt}{low}, depth {v.depth if v.depth is not None else '?'}"
                   + (f"; cell fraction estimated as 2*VAF/purity ({purity})" if fraction is not None else "")))
    if out:
        return out
    unknown = [v for v in tp53 if "unannotated" in v.flags and not {"polymorphism", "benign_list"} & set(v.flags)]
    if unknown:
        return [Evidence("TP53_mutation", "not_assessed", "SNV", origin=unknown[0].record,
                         detail=f"{len(unknown)} TP53 variant(s) of unknown consequence: the VCF is not annotated")]
    flagged = [v for v in tp53 if {"polymorphism", "benign_list"} & set(v.flags)]
    detail = "no protein-altering TP53 variant passing filters"
    if flagged:
        detail += "; not counted: " + ", ".join(
            f"{v.hgvsp or f'{v.chrom}:{v.pos}'} ({'/'.join(f for f in v.flags if f in ('polymorphism', 'benign_list'))})"
            for v in flagged)
    return [Evidence("TP53_mutation", "absent", "SNV", origin=name, detail=detail)]


__all__ = [
    "BenignRule", "EXTRA_COLUMNS", "GeneRegion", "SmallVariant", "SnvResult", "VARIANT_COLUMNS", "allele_vaf",
    "choose_tumor_column", "gene_regions", "load_benign", "load_gene_regions", "load_panel", "read_small_variants",
    "tp53_evidence",
]
