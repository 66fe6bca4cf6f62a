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
- ``warnings``; ``genes_not_assessed``: panel gene -> why it could not be examined, never "no variant":
  an annotation entry that cannot be read (fewer fields than the header declares, a consequence but no
  gene, a bcftools ``@POS`` back-reference to no record read), a consequence term outside the severity
  list (reported with flag ``unknown_consequence``; case is normalised first, ``MISSENSE_VARIANT`` is
  ``missense_variant``), or a protein-altering annotation of the gene at a position outside its span in
  the sample's build (a file of another build). Each is also a warning; TP53 not assessed makes
  TP53_mutation ``not_assessed`` unless a TP53 finding is present. Gene ids (VEP without ``--symbol``:
  ``Gene`` = ENSG...) are named by the ``ensembl_gene`` column of the panel table.

Flags: ``low_vaf`` (VAF below ``vaf_floor``; reported, not dropped), ``polymorphism``
(population AF of gnomAD/ExAC/1000 Genomes above ``max_population_af``), ``benign_list``
(a row of ``resources/benign_variants.tsv``), ``unannotated``. Polymorphisms and benign
variants are listed but are not somatic findings and never make TP53_mutation present.

VAF and depth come from the tumour's FORMAT fields (:mod:`mmrisk.vaf`), whatever the caller: ``AF`` (Mutect2),
``VAF`` (DeepVariant/DeepSomatic), ``FA`` (MuTect1), ``FREQ`` (VarScan, ``48.7%``),
Strelka tier-1 ``AU/CU/GU/TU`` (SNVs: alt/(ref+alt) base counts) and ``TAR/TIR`` (indels),
then ``AD`` (ref,alt..; alt/sum, or alt/DP when the ref count is missing). Depth is
``DP``, else the allele counts' sum. INFO is never required. Multi-allelic records are
reported per ALT.

The tumour column: ``tumor_column`` if given; else the header's ``##tumor_sample=``
(Mutect2); else a column named ``TUMOR``; else the only column; else an error naming the
columns. Sites-only VCFs are read without VAF/depth (and a warning).

Large inputs (:mod:`mmrisk.vcfrecords`): a bgzipped, indexed VCF with a gene table is queried by region (panel gene
regions only, spelled as the file spells its contigs). Without an index, one fast pass over the
file (:mod:`mmrisk.vcfscan`) keeps the records inside the panel regions, which are then parsed;
without a gene table every record is parsed. Either way only the reported variants are kept, so
memory does not grow with the file. Records outside the panel regions are not parsed, so a
malformed record there goes unnoticed (the records read are checked first: POS, GT, UTF-8).

Module map: :mod:`mmrisk.vcfheader` reads the header without htslib, :mod:`mmrisk.vcfrecords` finds
the records, :mod:`mmrisk.annotation` (dialects in :mod:`mmrisk.formats.annotation`) gives each ALT
its consequence entries, :mod:`mmrisk.vaf` its VAF and depth; this module makes the calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from .annotation import (
    Annotation,
    Annotator,
    existing_ids,
    info_population_af,
    is_known_term,
    normalise_hgvsp,
    population_af,
    select_transcript,
)
from .errors import InputError
from .formats.maf import is_maf, read_maf
from .genome import canonical_chrom
from .regions import Region, load_genes
from .resources import schema_default, shipped
from .tables import read_tsv
from .smallvariants import BenignRule, GeneRegion, ReadRules, SmallVariant, SnvResult, flag_variant, tp53_evidence
from .vaf import allele_vaf, sample_format
from .vcfcols import choose_tumor_column
from .vcfheader import refusal
from .vcfrecords import PanelRecords, inspect_vcf

if TYPE_CHECKING:
    from cyvcf2 import Variant

PANEL_GENES_TSV = shipped("panel_genes")
BENIGN_TSV = shipped("benign_variants")
GENES_TSV = shipped("genes")

#: Columns of the contract's variants.tsv, in order.
VARIANT_COLUMNS: tuple[str, ...] = (
    "gene", "chrom", "pos", "ref", "alt", "consequence", "hgvsp", "vaf", "depth", "filter", "kb_match")
#: Extra columns this reader fills (after the contract's).
EXTRA_COLUMNS: tuple[str, ...] = ("transcript", "hgvsc", "population_af", "flags", "record")


# ----------------------------------------------------------------------------------------------
# Resource tables

def load_panel(path: str | Path = PANEL_GENES_TSV) -> set[str]:
    """Gene symbols of ``resources/panel_genes.tsv``."""
    return {r.cells["gene"] for r in read_tsv(path, required_columns=("gene", "why")).rows}


def load_gene_ids(path: str | Path = PANEL_GENES_TSV) -> dict[str, str]:
    """``{Ensembl gene id: symbol}`` of ``resources/panel_genes.tsv`` (column ``ensembl_gene``; empty cells skipped)."""
    return {r.cells["ensembl_gene"].upper(): r.cells["gene"]
            for r in read_tsv(path, required_columns=("gene", "ensembl_gene")).rows if r.cells["ensembl_gene"]}


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


# ----------------------------------------------------------------------------------------------
# From records to reported variants

@dataclass
class _Tally:
    records: int = 0
    symbolic: int = 0
    unannotated: int = 0
    unknown_terms: dict[str, list[str]] = field(default_factory=dict)  # term -> records carrying it
    unreadable: list[str] = field(default_factory=list)  # "record: problem" of unreadable entries
    misplaced: list[str] = field(default_factory=list)  # panel-gene annotations outside the gene's span
    not_assessed: dict[str, str] = field(default_factory=dict)  # gene -> first reason
    value_notes: list[str] = field(default_factory=list)  # FORMAT values refused (out of range, not a count)


def _regions_by_chrom(regions: Mapping[str, GeneRegion]) -> dict[str, list[GeneRegion]]:
    by_chrom: dict[str, list[GeneRegion]] = {}
    for r in regions.values():
        by_chrom.setdefault(r.chrom, []).append(r)
    return by_chrom


def _region_gene(by_chrom: Mapping[str, Sequence[GeneRegion]], chrom: str, pos: int) -> str | None:
    """The panel gene whose region holds ``chrom:pos`` (the first listed), if any."""
    for r in by_chrom.get(canonical_chrom(chrom), ()):
        if r.start <= pos <= r.end:
            return r.gene
    return None


def _symbolic(alt: str) -> bool:
    return alt.startswith("<") or "[" in alt or "]" in alt or alt.startswith(".") or alt.endswith(".")


def _allele_call(entries: Sequence[Annotation], s: ReadRules, chrom: str, pos: int, origin: str, tally: _Tally
                 ) -> tuple[str, list[str], list[str], Annotation | None] | None:
    """(gene, consequence, flags, chosen entry) of a reported allele; None when it is not reported.

    Annotated: the selected transcript's gene must be a panel gene and its consequence protein-altering;
    an entry that cannot be read, or a consequence term outside the severity list, on a panel gene
    that no readable protein-altering entry speaks for makes that gene not assessed (:func:`_entry_notes`);
    such an unknown term is reported with flag ``unknown_consequence``. Without any entry: reported with
    consequence ``unknown`` when inside a panel gene's region.
    """
    chosen = select_transcript(entries, s.panel) if entries else None
    called = chosen.gene if chosen is not None and chosen.gene in s.panel and chosen.protein_altering else None
    unknown = _entry_notes(entries, s, chrom, pos, origin, tally, called)
    if called is not None and chosen is not None:
        span = s.spans.get(called)
        if span is not None and not (canonical_chrom(chrom) == span.chrom and span.start <= pos <= span.end):
            _not_assessed(tally, called, f"{origin} is annotated {called} {'&'.join(chosen.consequence)} but lies "
                          f"at {chrom}:{pos}, outside {called}'s {s.build} span {span.chrom}:{span.start}-{span.end}: "
                          f"the VCF is not {s.build} or its annotation is not of this file")
            tally.misplaced.append(origin)
            return None
        return called, list(chosen.consequence), [], chosen
    if unknown is not None:
        return unknown.gene or "", list(unknown.consequence), ["unknown_consequence"], unknown
    if entries:
        return None
    g = _region_gene(s.by_chrom, chrom, pos)
    return None if g is None else (g, ["unknown"], ["unannotated"], None)


def _not_assessed(tally: _Tally, gene: str, reason: str) -> None:
    tally.not_assessed.setdefault(gene, reason)


def _entry_notes(entries: Sequence[Annotation], s: ReadRules, chrom: str, pos: int, origin: str, tally: _Tally,
                 called: str | None) -> Annotation | None:
    """Record the unreadable entries and unknown consequence terms of one allele (and the panel genes
    they leave not assessed); the first panel-gene entry with an unknown term, if ``called`` is None."""
    first_unknown: Annotation | None = None
    for e in entries:
        gene = e.gene if e.gene in s.panel else _region_gene(s.by_chrom, chrom, pos)
        if e.problem is not None:
            tally.unreadable.append(f"{origin}: {e.problem}")
            if gene is not None and gene != called:
                _not_assessed(tally, gene, f"an annotation entry of {origin} cannot be read ({e.problem})")
            continue
        odd = [t for t in e.consequence if not is_known_term(t)]
        for t in odd:
            tally.unknown_terms.setdefault(t, []).append(origin)
        if odd and e.gene in s.panel and e.gene != called:
            _not_assessed(tally, e.gene, f"{origin} carries consequence term(s) {', '.join(map(repr, odd))} "
                          f"outside the severity list")
            if first_unknown is None and called is None:
                first_unknown = e
    return first_unknown


def _allele_population_af(v: Variant, entries: Sequence[Annotation], i: int, n_alts: int,
                          tags: Sequence[str]) -> float | None:
    """The largest population AF of ALT ``i``: its entries' and the per-ALT INFO tags' (vcfanno)."""
    paf = population_af(entries)
    for t in tags:
        x = v.INFO.get(t)
        vals = x if isinstance(x, tuple) else (x,)
        if len(vals) == n_alts and isinstance(vals[i], (int, float)):
            paf = max(paf or 0.0, float(vals[i]))
    return paf


def _record_variants(v: Variant, origin: str, filt: str, per_allele: Sequence[Sequence[Annotation]],
                     s: ReadRules, tally: _Tally) -> list[SmallVariant]:
    """The reported variants of one passing record, one per reported ALT allele."""
    alts = list(v.ALT)
    line: str | None = None
    out: list[SmallVariant] = []
    for i, alt in enumerate(alts):
        if alt in ("*", "<*>", "<NON_REF>", "."):
            continue  # spanning deletion / reference block: no variant of its own
        if _symbolic(alt):
            tally.symbolic += 1
            continue
        entries: Sequence[Annotation] = per_allele[i] if i < len(per_allele) else []
        call = _allele_call(entries, s, v.CHROM, v.POS, origin, tally)
        if call is None:
            continue
        gene, csq, flags, chosen = call
        if chosen is None:
            tally.unannotated += 1
        if line is None:
            line = str(v) if s.tumor else ""
        fmt = sample_format(line) if s.tumor else {}
        notes: list[str] = []
        vaf, depth, vaf_src = allele_vaf(fmt, v.REF, alts, i, notes) if fmt else (None, None, None)
        tally.value_notes.extend(f"{origin}: {n}" for n in notes)
        sv = SmallVariant(
            gene=gene, chrom=v.CHROM, pos=v.POS, ref=v.REF, alt=alt, consequence=csq,
            hgvsp=chosen.hgvsp if chosen else None, vaf=vaf, depth=depth, filter=filt,
            transcript=chosen.transcript if chosen else None, hgvsc=chosen.hgvsc if chosen else None,
            population_af=_allele_population_af(v, entries, i, len(alts), s.pop_info_tags), flags=flags,
            record=origin, vaf_source=vaf_src,
            ids=[x for x in (v.ID or "").split(";") if x and x != "."] + existing_ids(entries),
        )
        flag_variant(sv, s)
        out.append(sv)
    return out


def _read_records(records: PanelRecords, s: ReadRules, annot: Annotator) -> tuple[list[SmallVariant], _Tally]:
    """Every reported variant of the records, and what was counted on the way; closes ``records``."""
    variants: list[SmallVariant] = []
    tally = _Tally()
    try:
        for v, origin in records:
            tally.records += 1
            fl = v.FILTERS or ["."]
            if not set(fl) <= s.filters:
                continue
            alts = list(v.ALT)
            if not alts:
                continue
            if annot.annotated:
                per_allele, _tag = annot.annotate(v.INFO.get, v.CHROM, v.POS, v.REF, alts)
            else:
                per_allele = [[] for _ in alts]
            variants.extend(_record_variants(v, origin, ";".join(fl), per_allele, s, tally))
    except InputError:
        raise
    except Exception as exc:
        where = f"after record {tally.records}" if tally.records else "at the first record"
        raise refusal(s.name, f"htslib stopped reading {where} ({exc})",
                      expected="a complete, well-formed VCF (a truncated or corrupt file?)") from None
    finally:
        records.close()
    return variants, tally


def _reader_warnings(name: str, tally: _Tally, *, annotated: bool, located: bool) -> list[str]:
    """Warnings on symbolic alleles and on missing annotation (``located``: panel regions were given)."""
    warnings: list[str] = []
    if tally.symbolic:
        warnings.append(f"{name}: {tally.symbolic} symbolic or breakend allele(s) ignored: structural variants "
                        f"and copy-number calls belong in sv_vcf / cnv")
    if not annotated:
        if located:
            warnings.append(
                f"{name}: the VCF has no consequence annotation (VEP CSQ, SnpEff ANN, bcftools BCSQ or "
                f"Funcotator): {tally.unannotated} variant(s) inside panel genes are listed with consequence "
                f"'unknown'; annotate the VCF (e.g. Ensembl VEP or bcftools csq) to assess TP53_mutation "
                f"and knowledge-base matches")
        else:
            warnings.append(
                f"{name}: the VCF has no consequence annotation and no gene table was given: panel genes "
                f"cannot be located, TP53_mutation is not assessed; annotate the VCF (e.g. Ensembl VEP or "
                f"bcftools csq)")
    elif tally.unannotated:
        warnings.append(f"{name}: {tally.unannotated} record(s) inside panel genes carry no annotation and are "
                        f"listed with consequence 'unknown'")
    return warnings + _annotation_warnings(name, tally)


def _listed(items: Sequence[str], most: int = 5) -> str:
    return "; ".join(items[:most]) + (f"; and {len(items) - most} more" if len(items) > most else "")


def _annotation_warnings(name: str, tally: _Tally) -> list[str]:
    """Unknown consequence terms, unreadable entries and panel genes not assessed, each listed."""
    out: list[str] = []
    for term, where in sorted(tally.unknown_terms.items()):
        out.append(f"{name}: consequence term {term!r} is not in the severity list (a new or misspelt Sequence "
                   f"Ontology term?) on {len(where)} entr{'y' if len(where) == 1 else 'ies'}: {_listed(where)}")
    if tally.unreadable:
        out.append(f"{name}: {len(tally.unreadable)} annotation entr{'y' if len(tally.unreadable) == 1 else 'ies'} "
                   f"cannot be read: {_listed(tally.unreadable)}")
    if tally.value_notes:
        out.append(f"{name}: {len(tally.value_notes)} FORMAT value(s) refused, the VAF or depth of the variant is "
                   f"unknown where no other field gave it: {_listed(tally.value_notes)}")
    for gene, reason in sorted(tally.not_assessed.items()):
        out.append(f"{name}: {gene} not assessed: {reason}")
    return out


# ----------------------------------------------------------------------------------------------
# The reader

def read_small_variants(
    path: str | Path,
    *,
    build: str,
    tumor_column: str | None = None,
    genes: Mapping[str, GeneRegion] | None = None,
    panel: Iterable[str] | None = None,
    benign: Sequence[BenignRule] | None = None,
    filters: Sequence[str] = schema_default("snv.filters"),
    max_population_af: float = schema_default("snv.max_population_af"),
    vaf_floor: float = schema_default("snv.vaf_floor"),
    purity: float | None = None,
    gene_ids: Mapping[str, str] | None = None,
    sample_id: str | None = None,
    probes: Mapping[str, GeneRegion] | None = None,
) -> SnvResult:
    """Read one small-variant VCF, or a MAF (:mod:`mmrisk.formats.maf`), by the module docstring's rules.

    ``genes``: panel gene regions of ``build`` (:func:`load_gene_regions`); needed for
    unannotated VCFs and region queries. ``panel``: gene symbols (default
    :func:`load_panel`). ``benign``: benign rules (default :func:`load_benign`). ``gene_ids``:
    Ensembl gene id -> panel symbol (default :func:`load_gene_ids`). ``probes``: the panel genes' regions in the
    other builds, also fetched from an indexed file (its panel annotations there show a file of another build).
    Raises :class:`~mmrisk.errors.InputError` for files that cannot be read, a build that
    contradicts ``build``, or an ambiguous tumour column.
    """
    name = str(path)
    panel_set = set(panel) if panel is not None else load_panel()
    benign_rules = list(benign) if benign is not None else load_benign()
    regions = {g: r for g, r in (genes or {}).items() if g in panel_set}
    ids = load_gene_ids() if gene_ids is None else gene_ids

    def settings_of(tumor: str | None, pop_tags: tuple[str, ...]) -> ReadRules:
        return ReadRules(
            name=name, build=build, panel=frozenset(panel_set), benign=tuple(benign_rules), filters=frozenset(filters),
            max_population_af=max_population_af, vaf_floor=vaf_floor, tumor=tumor, pop_info_tags=pop_tags,
            by_chrom=_regions_by_chrom(regions), spans=regions)

    if is_maf(name):  # ``sample_id`` picks the Tumor_Sample_Barcode of a multi-sample MAF
        return read_maf(name, settings_of(None, ()), tumor_column=tumor_column, sample_id=sample_id, gene_ids=ids,
                        purity=purity)
    inp, warnings = inspect_vcf(name, build, tumor_column)
    annot = Annotator(inp.header_text, gene_ids=ids)
    settings = settings_of(inp.tumor, tuple(info_population_af(inp.header_text)))
    records = PanelRecords(inp, regions, _gene_tokens(regions, annot.gene_ids) if annot.annotated else (),
                           probes={g: r for g, r in (probes or {}).items() if g in regions} if annot.annotated else None)
    variants, tally = _read_records(records, settings, annot)
    warnings += _reader_warnings(name, tally, annotated=annot.annotated, located=bool(regions))

    evidence = tp53_evidence(variants, name, annotated=annot.annotated,
                             tp53_locatable=annot.annotated or "TP53" in regions, purity=purity,
                             vaf_floor=vaf_floor, not_assessed=tally.not_assessed.get("TP53"))
    return SnvResult(variants, evidence, warnings + records.warnings, inp.tumor, annot.kinds,
                     records.records_read(tally.records), records.mode, dict(sorted(tally.not_assessed.items())))


def _gene_tokens(regions: Mapping[str, GeneRegion], gene_ids: Mapping[str, str]) -> list[str]:
    """How an annotation entry names a panel gene in a record's text (``|TP53|``, Funcotator ``[TP53|``,
    ``|ENSG00000141510|``): the scan keeps such lines also outside the gene, to see a misplaced one."""
    names = set(regions) | {i for i, g in gene_ids.items() if g in regions}
    return sorted({f"|{n}|" for n in names} | {f"[{n}|" for n in regions})


__all__ = [
    "BenignRule", "EXTRA_COLUMNS", "GeneRegion", "SmallVariant", "SnvResult", "VARIANT_COLUMNS", "allele_vaf",
    "choose_tumor_column", "gene_regions", "load_benign", "load_gene_ids", "load_gene_regions", "load_panel", "read_small_variants",
    "tp53_evidence",
]
