"""GATK Funcotator ``FUNCOTATION``: ``Description="... Funcotation fields are: Gencode_..._hugoSymbol|..."``.

Recognised by the ``Funcotation fields are:`` field list. Every allele's value is wrapped in
``[...]``; the alleles of a multi-allelic record are separated by ``],[`` and several transcripts
of one allele by ``]#[``; ``|`` and other characters inside values are escaped as ``_%7C_``.
Consequences are MAF variant classifications, mapped to SO terms here.
"""

from __future__ import annotations

import re
from typing import Sequence
from urllib.parse import unquote

from ...aminoacids import normalise_hgvsp
from .consequence import Annotation, impact_of
from .fields import AnnotationField, first_int, get, is_population_af_field, max_af, short_entry

# Funcotator variant classifications (MAF vocabulary) -> SO terms.
_FUNCOTATOR: dict[str, str] = {
    "MISSENSE": "missense_variant",
    "NONSENSE": "stop_gained",
    "NONSTOP": "stop_lost",
    "FRAME_SHIFT_INS": "frameshift_variant",
    "FRAME_SHIFT_DEL": "frameshift_variant",
    "IN_FRAME_INS": "inframe_insertion",
    "IN_FRAME_DEL": "inframe_deletion",
    "SPLICE_SITE": "splice_site_variant",
    "START_CODON_SNP": "start_lost",
    "START_CODON_INS": "start_lost",
    "START_CODON_DEL": "start_lost",
    "DE_NOVO_START_IN_FRAME": "5_prime_UTR_premature_start_codon_gain_variant",
    "DE_NOVO_START_OUT_FRAME": "5_prime_UTR_premature_start_codon_gain_variant",
    "SILENT": "synonymous_variant",
    "INTRON": "intron_variant",
    "FIVE_PRIME_UTR": "5_prime_UTR_variant",
    "THREE_PRIME_UTR": "3_prime_UTR_variant",
    "FIVE_PRIME_FLANK": "upstream_gene_variant",
    "THREE_PRIME_FLANK": "downstream_gene_variant",
    "IGR": "intergenic_variant",
    "RNA": "non_coding_transcript_exon_variant",
    "LINCRNA": "non_coding_transcript_exon_variant",
    "COULD_NOT_DETERMINE": "sequence_variant",
}


def recognise(description: str) -> tuple[str, ...] | None:
    """Funcotator's field names if the INFO Description declares a Funcotation field list."""
    m = re.search(r"Funcotation fields are:\s*(.+)$", description)
    if not m:
        return None
    return tuple(f.strip() for f in m.group(1).strip().strip("'\"").split("|"))


def _funco_unescape(v: str) -> str:
    return re.sub(r"_(%[0-9A-Fa-f]{2})_", lambda m: unquote(m.group(1)), v)


def parse_funcotation(fld: AnnotationField, entry: str) -> Annotation:
    vals = [_funco_unescape(v) for v in entry.strip().lstrip("[").rstrip("]").split("|")]

    def g(suffix: str) -> str | None:
        for i, n in enumerate(fld.fields):
            if n.endswith(suffix):
                return get(vals, i)
        return None

    cls = [g("_variantClassification"), g("_secondaryVariantClassification")]
    terms = [_FUNCOTATOR.get(c.upper(), c) for c in cls if c]
    af_idx = [i for i, n in enumerate(fld.fields) if is_population_af_field(n)]
    rs = g("dbSNP_RS") or g("dbSNP_ID")
    existing = [f"rs{rs}" if rs and rs.isdigit() else rs] if rs else []
    return Annotation(
        source="Funcotator",
        allele=g("_tumorSeqAllele2"),
        gene=g("_hugoSymbol"),
        transcript=g("_annotationTranscript"),
        biotype=None,
        consequence=terms,
        impact=impact_of(terms) if terms else None,
        hgvsc=g("_cDnaChange"),
        hgvsp=normalise_hgvsp(g("_proteinChange")),
        protein_position=first_int((g("_proteinChange") or "").lstrip("p.")),
        population_af=max_af(vals[i] for i in af_idx if i < len(vals)),
        existing=[e for e in existing if e],
        canonical=None,
        problem=short_entry(vals, fld),
    )


def entries(fld: AnnotationField, value: str) -> list[Annotation]:
    """Every ``[...]`` entry of one INFO value, of all alleles."""
    chunks = [c for c in re.split(r"\]\s*[,#]\s*\[", value.strip()) if c]
    return [parse_funcotation(fld, c) for c in chunks]


def alleles(fld: AnnotationField, value: str, parsed: list[Annotation], ref: str,
            alts: Sequence[str]) -> list[list[Annotation]]:
    """Per ALT, its ``],[``-separated group of entries; every entry for every ALT when the groups
    do not line up with the ALT alleles."""
    chunks = re.split(r"\]\s*,\s*\[", value.strip())
    if len(chunks) == len(alts):
        return [[parse_funcotation(fld, c2) for c2 in re.split(r"\]\s*#\s*\[", c) if c2] for c in chunks]
    return [parsed for _ in alts]


__all__ = ["alleles", "entries", "parse_funcotation", "recognise"]
