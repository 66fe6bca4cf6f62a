"""Per-allele consequence annotations of small-variant VCFs, whatever wrote them.

The dialects (Ensembl VEP, SnpEff, bcftools csq, GATK Funcotator) are read by
:mod:`mmrisk.formats.annotation`, one module each behind a registry: the dialect of an INFO tag is
decided by the header's own field list, never by the tag name. This module is what the
small-variant reader uses:

- :class:`Annotator`: the annotation tags a header declares, and per record the entries of each
  ALT allele (bcftools ``@POS`` back-references resolved from a bounded cache);
- :func:`select_transcript`: the one documented rule that picks the transcript reported;
- :func:`population_af`, :func:`existing_ids`, :func:`info_population_af`: what the entries of an
  allele (or the INFO tags of a header) say about population frequency and known variant ids.

The vocabulary (SO terms, :class:`Annotation`), the field-list parsing, the entry splitting and the
dialect parsers are re-exported here under their former names. A new dialect is one module in
:mod:`mmrisk.formats.annotation` and one row of its ``REGISTRY``; nothing here changes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterable, Mapping, Sequence

from .aminoacids import normalise_hgvsp
from .formats.annotation import REGISTRY, annotation_fields, field_list
from .formats.annotation.bcsq import parse_bcsq
from .formats.annotation.consequence import (
    GENELESS,
    PROTEIN_ALTERING,
    SEVERITY,
    Annotation,
    impact_of,
    is_protein_altering,
    is_known_term,
    severity_rank,
    so_term,
)
from .formats.annotation.fields import (
    AnnotationField,
    BackReferences,
    is_population_af_field,
    is_subpopulation_af_field,
    split_entries,
)
from .formats.annotation.funcotator import parse_funcotation
from .formats.annotation.snpeff import parse_snpeff
from .formats.annotation.vep import parse_vep, vep_alleles

# ----------------------------------------------------------------------------------------------
# Transcript selection

def _protein_coding(a: Annotation) -> bool:
    return (a.biotype or "").lower() in ("protein_coding", "protein-coding", "mrna")


def select_transcript(entries: Sequence[Annotation], genes: Iterable[str] | None = None) -> Annotation | None:
    """The one annotation reported for a variant allele.

    Rule (documented, applied in this order):

    0. if ``genes`` is given and some entries are on one of those genes (the panel),
       only those entries compete;
    1. canonical first: MANE Select, then VEP ``CANONICAL=YES``; among several, the most
       severe consequence, then the first listed;
    2. otherwise protein-coding transcripts with the most severe consequence;
    3. otherwise the entry with the most severe consequence, first listed on ties
       (an annotator's own first choice, e.g. Funcotator's, wins every tie).
    """
    pool = [e for e in entries if (e.consequence or e.gene) and e.problem is None]
    if not pool:
        return None
    if genes is not None:
        gs = set(genes)
        mine = [e for e in pool if e.gene in gs]
        if mine:
            pool = mine
    for subset in ([e for e in pool if e.mane], [e for e in pool if e.canonical],
                   [e for e in pool if _protein_coding(e)], pool):
        if subset:
            return min(subset, key=lambda e: e.rank)  # min is stable: first listed on ties
    return None


# ----------------------------------------------------------------------------------------------
# The record-level entry point

class Annotator:
    """Reads the annotation tags a header declares and annotates records allele by allele.

    ``info_get(tag)`` returns a record's raw INFO value (or None). BCSQ back-references
    are resolved from the last ``backref_cache`` records that carried BCSQ entries (a
    bounded cache: memory does not grow with the file).
    """

    def __init__(self, header_text: str, *, backref_cache: int = 5000, gene_ids: Mapping[str, str] | None = None):
        self.fields = annotation_fields(header_text)
        self._backrefs = BackReferences(backref_cache)
        self._gene_ids = dict(gene_ids or {})

    @property
    def gene_ids(self) -> Mapping[str, str]:
        return self._gene_ids

    @property
    def annotated(self) -> bool:
        return bool(self.fields)

    @property
    def kinds(self) -> list[str]:
        return [f"{f.kind} (INFO/{f.tag})" for f in self.fields]

    def entries(self, fld: AnnotationField, value: str) -> list[Annotation]:
        """All entries of one INFO value, parsed."""
        return REGISTRY[fld.kind].entries(fld, value)

    def annotate(self, info_get: Callable[[str], object], chrom: str, pos: int, ref: str,
                 alts: Sequence[str]) -> tuple[list[list[Annotation]], str | None]:
        """Per ALT allele, its annotation entries; and which tag gave them (None: unannotated record)."""
        for fld in self.fields:
            raw = info_get(fld.tag)
            if raw is None or raw == "" or raw == ".":
                continue
            value = raw if isinstance(raw, str) else ",".join(map(str, raw))
            dialect = REGISTRY[fld.kind]
            parsed = dialect.entries(fld, value)
            if dialect.backrefs:
                parsed = self._backrefs.resolve(chrom, pos, parsed)
            per_allele = dialect.alleles(fld, value, parsed, ref, alts)
            return [[checked_entry(e, self._gene_ids) for e in entries] for entries in per_allele], fld.tag
        return [[] for _ in alts], None


def checked_entry(e: Annotation, gene_ids: Mapping[str, str]) -> Annotation:
    """``e`` with an Ensembl gene id named by its symbol (``gene_ids``: id -> symbol; a version suffix
    ``.N`` ignored), and its :attr:`~Annotation.problem` set when it cannot be read: a back-reference to
    no record read, or a consequence that needs a gene but no gene."""
    gene = e.gene
    if gene and gene.upper().startswith("ENSG"):
        gene = gene_ids.get(gene.split(".")[0].upper(), gene)
    problem = e.problem
    if problem is None and e.backref is not None:
        problem = f"back-reference @{e.backref} to no record read before it"
    elif problem is None and e.consequence and not gene and not set(e.consequence) <= GENELESS:
        problem = f"consequence {'&'.join(e.consequence)} without a gene"
    if gene == e.gene and problem == e.problem:
        return e
    return replace(e, gene=gene, problem=problem)


# ----------------------------------------------------------------------------------------------
# What the entries of one allele say

def population_af(entries: Iterable[Annotation]) -> float | None:
    """The largest population allele frequency any entry of an allele carries."""
    vals = [e.population_af for e in entries if e.population_af is not None]
    return max(vals) if vals else None


def existing_ids(entries: Iterable[Annotation]) -> list[str]:
    seen: dict[str, None] = {}
    for e in entries:
        for x in e.existing:
            seen.setdefault(x, None)
    return list(seen)


def info_population_af(header_text: str) -> list[str]:
    """INFO tags of a header that carry a global population AF (e.g. ``gnomAD_AF`` from vcfanno)."""
    tags = re.findall(r"^##INFO=<ID=([^,>]+)", header_text, flags=re.M)
    return [t for t in tags if t != "AF" and is_population_af_field(t)]


__all__ = [
    "Annotation", "AnnotationField", "Annotator", "checked_entry", "is_known_term", "PROTEIN_ALTERING", "SEVERITY", "annotation_fields",
    "existing_ids", "field_list", "impact_of", "info_population_af", "is_population_af_field",
    "is_protein_altering", "is_subpopulation_af_field", "normalise_hgvsp", "parse_bcsq", "parse_funcotation",
    "parse_snpeff", "parse_vep", "population_af", "select_transcript", "severity_rank", "so_term",
    "split_entries", "vep_alleles",
]
