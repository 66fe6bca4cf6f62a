"""bcftools csq ``BCSQ``: ``Description="... Format: Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change"``.

Recognised by the field list (first field ``Consequence``, fields ``gene`` and ``transcript``).
Entries may be shorter than declared (bcftools drops trailing empty fields) but not shorter than
the ``gene`` field. An ``@POS`` entry points at the record at POS, which carries
the compound, haplotype-aware consequence: it is parsed as an :class:`Annotation` with ``backref``
set, which the caller resolves (:class:`~mmrisk.formats.annotation.fields.BackReferences`).
bcftools csq is haplotype-aware, not allele-specific: every entry applies to every ALT.
"""

from __future__ import annotations

import re
from typing import Sequence

from ...aminoacids import three_letter
from .consequence import Annotation, impact_of, so_term
from .fields import AnnotationField, declared_fields, first_int, get, short_entry, split_entries


def recognise(description: str) -> tuple[str, ...] | None:
    """bcftools csq's field names if the INFO Description declares a BCSQ field list."""
    fields = declared_fields(description)
    return fields if fields and fields[0] == "Consequence" and "gene" in fields and "transcript" in fields \
        else None


def bcsq_protein(change: str | None) -> str | None:
    """bcftools csq ``amino_acid_change`` (``113F>113C``, ``210S>210*``, ``60S``) as HGVS p."""
    if not change:
        return None
    m = re.fullmatch(r"(\d+)([A-Z*])>(\d+)([A-Z*])", change)
    if m and m.group(1) == m.group(3):
        return f"p.{three_letter(m.group(2))}{m.group(1)}{three_letter(m.group(4))}"
    m = re.fullmatch(r"(\d+)([A-Z*])", change)
    if m:
        return f"p.{three_letter(m.group(2))}{m.group(1)}="
    return change  # complex (multi-residue) changes are kept as bcftools wrote them


def parse_bcsq(fld: AnnotationField, entry: str) -> Annotation:
    if entry.startswith("@"):
        return Annotation(source="BCSQ", backref=first_int(entry))
    vals = entry.split("|")
    g = lambda *names: get(vals, fld.index(*names))  # noqa: E731
    terms: list[str] = []
    for t in (g("Consequence") or "").split("&"):
        t = t.lstrip("*")  # '*': downstream of a stop or frameshift on the same haplotype
        if t:
            terms.append(so_term(t))
    aa = g("amino_acid_change")
    return Annotation(
        source="BCSQ",
        gene=g("gene"),
        transcript=g("transcript"),
        biotype=g("biotype"),
        consequence=terms,
        impact=impact_of(terms) if terms else None,
        hgvsc=g("dna_change"),
        hgvsp=bcsq_protein(aa),
        protein_position=first_int(aa),
        problem=short_entry(vals, fld, needed=(fld.index("gene") or 0) + 1),
    )


def entries(fld: AnnotationField, value: str) -> list[Annotation]:
    """Every entry of one INFO value (short entries stay entries; ``@POS`` references included)."""
    return [parse_bcsq(fld, e) for e in split_entries(value, len(fld.fields), exact=False)]


def alleles(fld: AnnotationField, value: str, parsed: list[Annotation], ref: str,
            alts: Sequence[str]) -> list[list[Annotation]]:
    """Every (back-reference resolved) entry for every ALT: the consequence is the haplotype's."""
    return [list(parsed) for _ in range(len(alts))]


__all__ = ["alleles", "bcsq_protein", "entries", "parse_bcsq", "recognise"]
