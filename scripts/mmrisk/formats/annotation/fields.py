"""Pieces every annotation dialect shares: the declared field list, entry splitting, field access.

- :class:`AnnotationField`: one INFO tag of a header, its dialect and its declared field names;
- :func:`declared_fields`: the ``|``-separated field names of a ``Format: ...`` (VEP, bcftools csq)
  or ``Functional annotations: '...'`` (SnpEff) INFO Description;
- :func:`split_entries`: one INFO value into entries, healing commas inside a field (LOFTEE);
- :func:`by_allele`: entries carrying their own allele assigned to the ALT alleles of a record;
- population allele-frequency field names (:func:`is_population_af_field`,
  :func:`is_subpopulation_af_field`) and small value helpers used by the dialect parsers.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Sequence

from .consequence import Annotation


@dataclass(frozen=True)
class AnnotationField:
    tag: str
    kind: str  # a dialect name of the registry: VEP | SnpEff | BCSQ | Funcotator
    fields: tuple[str, ...]

    @cached_property
    def _positions(self) -> dict[str, int]:
        """Each declared name, in lower case, at its first position (asked for every entry of every record)."""
        out: dict[str, int] = {}
        for i, f in enumerate(self.fields):
            out.setdefault(f.lower(), i)
        return out

    def index(self, *names: str) -> int | None:
        """The position of the first of ``names`` the field list declares (any case), None if none."""
        for n in names:
            i = self._positions.get(n.lower())
            if i is not None:
                return i
        return None


def declared_fields(description: str) -> tuple[str, ...]:
    """Field names of a ``Format: a|b|..`` or ``Functional annotations: 'a | b | ..'`` Description.

    Empty when the Description declares none (or its first field is empty).
    """
    m = re.search(r"Format:\s*'?([^'\"]+)'?", description) or re.search(
        r"Functional annotations:\s*'([^']+)'", description)
    if not m:
        return ()
    fields = tuple(f.strip() for f in m.group(1).strip().split("|"))
    if not fields or not fields[0]:
        return ()
    return fields


# ----------------------------------------------------------------------------------------------
# Splitting one INFO value into entries

def split_entries(value: str, n_fields: int, *, exact: bool = True) -> list[str]:
    """Split a comma-separated annotation value into entries of ``n_fields`` ``|``-fields.

    Commas inside a field (LOFTEE ``LoF_info``) are healed: a fragment is joined to the
    entry before it when that entry is short of ``n_fields`` and the join does not exceed
    it (``exact``: the annotator writes every field, as VEP and SnpEff do), or when the
    fragment has no ``|`` at all and is not a bcftools ``@POS`` reference.
    """
    out: list[str] = []
    want = n_fields - 1
    for frag in value.split(","):
        if out:
            prev = out[-1].count("|")
            here = frag.count("|")
            if (exact and prev < want and prev + here <= want) or (here == 0 and not frag.startswith("@")):
                out[-1] += "," + frag
                continue
        out.append(frag)
    return [e for e in out if e != ""]


def by_allele(parsed: list[Annotation], alts: Sequence[str], spelled: Sequence[str]) -> list[list[Annotation]]:
    """Per ALT, the entries naming it (as the VCF spells it, or as ``spelled[i]``).

    VEP ``ALLELE_NUM`` is unambiguous where written and wins on multi-allelic records. A single
    ALT takes every entry when none names it, except SnpEff cancer-mode ``ALT-REF`` comparisons.
    """
    numbered = len(alts) > 1 and any(e.allele_num is not None for e in parsed)
    out: list[list[Annotation]] = []
    for i, alt in enumerate(alts):
        if numbered:
            mine = [e for e in parsed if e.allele_num == i + 1]
        else:
            mine = [e for e in parsed if e.allele in (alt, spelled[i])]
        if not mine and len(alts) == 1:
            mine = [e for e in parsed if not (e.allele and "-" in e.allele.strip("-"))]
        out.append(mine)
    return out


class BackReferences:
    """Entries that point at an earlier record's entries (bcftools csq ``@POS``), resolved.

    Keeps the own entries of the last ``size`` records that had any (a bounded cache: memory does
    not grow with the file).
    """

    def __init__(self, size: int = 5000):
        self._seen: OrderedDict[tuple[str, int], list[Annotation]] = OrderedDict()
        self._size = size

    def resolve(self, chrom: str, pos: int, parsed: list[Annotation]) -> list[Annotation]:
        """``parsed`` with each back-reference replaced by the entries of the record it names
        (kept as it is when that record is not known); remembers this record's own entries."""
        resolved: list[Annotation] = []
        for e in parsed:
            target = self._seen.get((chrom, e.backref)) if e.backref is not None else None
            if target:
                resolved.extend(target)
            else:
                resolved.append(e)
        own = [e for e in parsed if e.backref is None]
        if own:
            self._seen[(chrom, pos)] = own
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)
        return resolved


# ----------------------------------------------------------------------------------------------
# Population allele frequencies

_AF_FIELDS = re.compile(
    r"^(AF|1000G_AF|1000Gp3_AF|ExAC_AF|ExAC_Adj_AF|gnomAD_AF|gnomADe_AF|gnomADg_AF|gnomAD_exomes_AF|"
    r"gnomAD_genomes_AF|gnomAD_exome_AF|gnomAD_genome_AF|gnomAD\d+(\.\d+)*_AF(_raw)?|gnomad_AF|"
    r"dbNSFP_ExAC_AF|dbNSFP_gnomAD_exomes_AF|dbNSFP_gnomAD_genomes_AF|dbNSFP_1000Gp3_AF)$",
    re.IGNORECASE,
)


_SUBPOP_AF_FIELDS = re.compile(
    r"^(MAX_AF|[A-Z]{3}_AF|AA_AF|EA_AF|gnomAD[eg]?_[A-Za-z]{3}_AF|gnomAD\d+(\.\d+)*_AF_(popmax|[a-z]{3}))$")


def is_subpopulation_af_field(name: str) -> bool:
    """VEP's MAX_AF and per-population AFs (1000G AFR_AF.., gnomAD gnomADe_NFE_AF..)."""
    return bool(_SUBPOP_AF_FIELDS.match(name))


def is_population_af_field(name: str) -> bool:
    """Global (not per-population) allele-frequency fields of gnomAD, ExAC and 1000 Genomes.

    Population AF of an entry = the maximum over these fields; only when none of them carries a
    value, the maximum over VEP's MAX_AF and the per-population fields (a common SNP annotated with
    population frequencies only must still be recognised as common).
    """
    return bool(_AF_FIELDS.match(name))


def max_af(values: Iterable[str]) -> float | None:
    """The largest frequency in [0, 1] among ``&``/``,``-separated values (None: no number)."""
    best: float | None = None
    for v in values:
        for part in re.split(r"[&,]", v or ""):
            try:
                x = float(part)
            except ValueError:
                continue
            if 0.0 <= x <= 1.0 and (best is None or x > best):
                best = x
    return best


# ----------------------------------------------------------------------------------------------
# Small value helpers

def get(values: Sequence[str], i: int | None) -> str | None:
    """Field ``i`` of an entry's values, stripped; None when absent or empty."""
    if i is None or i >= len(values):
        return None
    v = values[i].strip()
    return v or None


def short_entry(values: Sequence[str], fld: AnnotationField, needed: int | None = None) -> str | None:
    """Why an entry of ``values`` is unreadable when it has fewer fields than ``needed`` (default: all declared)."""
    want = len(fld.fields) if needed is None else needed
    if len(values) >= want:
        return None
    return f"{len(values)} of the {len(fld.fields)} fields the header declares for INFO/{fld.tag}"


def first_int(value: str | None) -> int | None:
    """The first run of digits in ``value`` as an int (``'123/393'`` -> 123)."""
    if not value:
        return None
    m = re.search(r"\d+", value)
    return int(m.group()) if m else None


__all__ = [
    "AnnotationField", "BackReferences", "by_allele", "declared_fields", "first_int", "get", "is_population_af_field",
    "is_subpopulation_af_field", "max_af", "short_entry", "split_entries",
]
