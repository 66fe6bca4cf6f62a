"""Ensembl VEP consequences: ``##INFO=<ID=CSQ,...,Description="... Format: Allele|Consequence|IMPACT|...">``.

The tag is usually ``CSQ``, but ``ANN`` with ``--vcf_info_field ANN`` and ``vep`` in gnomAD files:
the dialect is recognised by the field list (first field ``Allele``, a ``Consequence`` field), never
by the tag. Entries are matched to ALT alleles by ``ALLELE_NUM`` where written, else by the allele
as VEP spells it (the shared first base of all alleles trimmed, ``-`` if empty).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence
from urllib.parse import unquote

from ...aminoacids import normalise_hgvsp
from .consequence import Annotation, impact_of, so_term
from .fields import (
    AnnotationField,
    by_allele,
    declared_fields,
    first_int,
    get,
    is_population_af_field,
    is_subpopulation_af_field,
    max_af,
    short_entry,
    split_entries,
)


def recognise(description: str) -> tuple[str, ...] | None:
    """VEP's field names if the INFO Description declares a VEP field list."""
    fields = declared_fields(description)
    return fields if fields and fields[0] == "Allele" and "Consequence" in fields else None


@lru_cache(maxsize=16)
def _af_positions(fields: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Positions of the population and the per-population allele-frequency fields of a CSQ field list."""
    return (tuple(i for i, n in enumerate(fields) if is_population_af_field(n)),
            tuple(i for i, n in enumerate(fields) if is_subpopulation_af_field(n)))


def parse_vep(fld: AnnotationField, entry: str) -> Annotation:
    vals = entry.split("|")
    g = lambda *names: get(vals, fld.index(*names))  # noqa: E731
    csq = [so_term(t) for t in (g("Consequence") or "").split("&") if t]
    af_idx, sub_idx = _af_positions(fld.fields)
    paf = max_af(vals[i] for i in af_idx if i < len(vals))
    if paf is None:  # only per-population frequencies written (e.g. --af_1kg without the global AF)
        paf = max_af(vals[i] for i in sub_idx if i < len(vals))
    mane = bool(g("MANE_SELECT") or (g("MANE") or "").startswith("MANE_Select"))
    canonical_val = g("CANONICAL")
    existing = [x for x in (g("Existing_variation") or "").split("&") if x]
    return Annotation(
        source="VEP",
        allele=g("Allele"),
        gene=g("SYMBOL") or g("Gene"),
        transcript=g("Feature"),
        biotype=g("BIOTYPE"),
        consequence=csq,
        impact=g("IMPACT") or (impact_of(csq) if csq else None),
        hgvsc=unquote(g("HGVSc") or "") or None,
        hgvsp=normalise_hgvsp(g("HGVSp")),
        protein_position=first_int(g("Protein_position")),
        population_af=paf,
        existing=existing,
        canonical=True if (canonical_val or "").upper() == "YES" or mane else
        (False if fld.index("CANONICAL") is not None else None),
        mane=mane,
        allele_num=first_int(g("ALLELE_NUM")),
        problem=short_entry(vals, fld),
    )


def entries(fld: AnnotationField, value: str) -> list[Annotation]:
    """Every entry of one INFO value (VEP writes every declared field: commas inside one are healed)."""
    return [parse_vep(fld, e) for e in split_entries(value, len(fld.fields), exact=True)]


def vep_alleles(ref: str, alts: Sequence[str]) -> list[str]:
    """Alleles as VEP writes them: the shared first base trimmed from all alleles, '-' if empty."""
    alleles = [ref, *alts]
    plain = [a for a in alleles if re.fullmatch(r"[ACGTNacgtn]+", a)]
    if len(plain) == len(alleles) and len({a[0].upper() for a in alleles}) == 1 and any(
            len(a) != len(ref) for a in alts):
        return [a[1:] or "-" for a in alts]
    return list(alts)


def alleles(fld: AnnotationField, value: str, parsed: list[Annotation], ref: str,
            alts: Sequence[str]) -> list[list[Annotation]]:
    """Per ALT, its entries: by ``ALLELE_NUM`` where written, else by VEP's spelling of the allele."""
    return by_allele(parsed, alts, vep_alleles(ref, alts))


__all__ = ["alleles", "entries", "parse_vep", "recognise", "vep_alleles"]
