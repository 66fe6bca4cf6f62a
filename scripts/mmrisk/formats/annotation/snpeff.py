"""SnpEff ``ANN``: ``Description="Functional annotations: 'Allele | Annotation | Annotation_Impact | ..'"``.

Recognised by the field list (first field ``Allele``, an ``Annotation`` field). Entries are matched
to ALT alleles by the allele as the VCF spells it; cancer-mode ``ALT-REF`` comparison entries never
stand for a single ALT.
"""

from __future__ import annotations

from typing import Sequence

from ...aminoacids import normalise_hgvsp
from .consequence import Annotation, so_term
from .fields import AnnotationField, by_allele, declared_fields, first_int, get, short_entry, split_entries


def recognise(description: str) -> tuple[str, ...] | None:
    """SnpEff's field names if the INFO Description declares a SnpEff field list."""
    fields = declared_fields(description)
    return fields if fields and fields[0] == "Allele" and "Annotation" in fields else None


def parse_snpeff(fld: AnnotationField, entry: str) -> Annotation:
    vals = entry.split("|")
    g = lambda *names: get(vals, fld.index(*names))  # noqa: E731
    csq = [so_term(t) for t in (g("Annotation") or "").split("&") if t]
    aa = g("AA.pos / AA.length")
    return Annotation(
        source="SnpEff",
        allele=g("Allele"),
        gene=g("Gene_Name") or g("Gene_ID"),
        transcript=g("Feature_ID"),
        biotype=g("Transcript_BioType"),
        consequence=csq,
        impact=g("Annotation_Impact"),
        hgvsc=g("HGVS.c"),
        hgvsp=normalise_hgvsp(g("HGVS.p")),
        protein_position=first_int(aa.split("/")[0] if aa else None),
        problem=short_entry(vals, fld),
    )


def entries(fld: AnnotationField, value: str) -> list[Annotation]:
    """Every entry of one INFO value (SnpEff writes every declared field: commas inside one are healed)."""
    return [parse_snpeff(fld, e) for e in split_entries(value, len(fld.fields), exact=True)]


def alleles(fld: AnnotationField, value: str, parsed: list[Annotation], ref: str,
            alts: Sequence[str]) -> list[list[Annotation]]:
    """Per ALT, the entries naming it as the VCF spells it."""
    return by_allele(parsed, alts, list(alts))


__all__ = ["alleles", "entries", "parse_snpeff", "recognise"]
