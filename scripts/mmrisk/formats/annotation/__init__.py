"""Small-variant annotation dialects (VEP, SnpEff, bcftools csq, Funcotator): one module each, one registry.

Annotators put their per-allele consequences into one INFO tag each, and users rename the tags, so
the dialect is decided by the *header's own field list* (the ``Description`` of the ``##INFO``
line), never by the tag name. :data:`REGISTRY` maps each dialect name to

- ``recognise(description)``: the dialect's field names if an INFO Description declares its field
  list, else None;
- ``entries(field, value)``: one INFO value as plain :class:`~.consequence.Annotation` records;
- ``alleles(field, value, entries, ref, alts)``: those entries per ALT allele;
- ``backrefs``: entries may point at an earlier record's (resolved by the caller with
  :class:`~.fields.BackReferences` before ``alleles``);
- ``preference``: when a header declares several annotation tags, the lowest wins.

Recognition tries the rows in registry order and the first that recognises a Description wins.
The parsers know nothing of lesions, panels or risk: :mod:`mmrisk.annotation` picks the transcript
and :mod:`mmrisk.snv` makes the calls.

Adding a dialect: write one module here with ``recognise``, ``entries`` and ``alleles`` (see
:mod:`.snpeff` for the shortest), using :mod:`.fields` for the shared pieces and
:func:`~.consequence.so_term` for its consequence names, then add one row to :data:`REGISTRY`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from . import bcsq, funcotator, snpeff, vep
from .consequence import Annotation
from .fields import AnnotationField, declared_fields


@dataclass(frozen=True)
class Dialect:
    """How one annotator's INFO tag is recognised and read (one row of :data:`REGISTRY`)."""

    recognise: Callable[[str], tuple[str, ...] | None]
    entries: Callable[[AnnotationField, str], list[Annotation]]
    alleles: Callable[[AnnotationField, str, list[Annotation], str, Sequence[str]], list[list[Annotation]]]
    preference: int
    backrefs: bool = False


#: Dialect name -> how it is recognised and read; recognition tries the rows in this order.
REGISTRY: dict[str, Dialect] = {
    "Funcotator": Dialect(funcotator.recognise, funcotator.entries, funcotator.alleles, preference=2),
    "VEP": Dialect(vep.recognise, vep.entries, vep.alleles, preference=0),
    "SnpEff": Dialect(snpeff.recognise, snpeff.entries, snpeff.alleles, preference=1),
    "BCSQ": Dialect(bcsq.recognise, bcsq.entries, bcsq.alleles, preference=3, backrefs=True),
}


def field_list(description: str) -> tuple[str | None, tuple[str, ...]]:
    """The dialect of an INFO Description and its field names (None and any declared fields if none)."""
    for name, dialect in REGISTRY.items():
        fields = dialect.recognise(description)
        if fields is not None:
            return name, fields
    return None, declared_fields(description)


def annotation_fields(header_text: str) -> list[AnnotationField]:
    """Annotation tags declared in a VCF header, the preferred dialect first."""
    found: list[AnnotationField] = []
    for line in header_text.splitlines():
        if not line.startswith("##INFO=<"):
            continue
        mid = re.search(r"ID=([^,>]+)", line)
        mdesc = re.search(r'Description="(.*)"\s*(,[^"]*)?>\s*$', line)
        if not mid or not mdesc:
            continue
        kind, fields = field_list(mdesc.group(1))
        if kind:
            found.append(AnnotationField(mid.group(1), kind, fields))
    found.sort(key=lambda f: REGISTRY[f.kind].preference)
    return found


__all__ = ["Dialect", "REGISTRY", "annotation_fields", "field_list"]
