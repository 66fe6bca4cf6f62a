"""Structural-variant VCFs of the common callers, read into plain :class:`Junction` records.

This package reads; it knows nothing of lesions, IG loci or windows (those are
:mod:`mmrisk.sv`'s). :func:`read_sv_vcf` reads one SV VCF (plain or gzip/bgzip) with the
:data:`REGISTRY` of caller dialects; :func:`junctions` is the same as a flat generator of
junctions (each BND mate pair once).

Modules:

- :mod:`.base`: the records (:class:`Junction`, :class:`Support`), :class:`Dialect` and the
  recognition rules;
- :mod:`.vcf`: the VCF layout (header, records, breakend ALTs), the same for every dialect;
- one module per dialect or per family of dialects sharing a layout: :mod:`.manta`,
  :mod:`.delly`, :mod:`.hartwig` (GRIDSS, ESVEE, PURPLE), :mod:`.lumpy`, :mod:`.svaba`,
  :mod:`.longread` (Sniffles, Severus), and :mod:`.generic` for files that name no caller;
- :mod:`.igcaller`: IgCaller's oncogenic-rearrangement tables (v1 and v2 layouts), no VCF: recognised by their
  header line, read into the same records with IgCaller's own verdict as FILTER.

Recognition: the first registry row one of whose ``header_keys`` occurs in a ``##source`` line,
else the first whose key occurs anywhere in the header, else ``generic``; a record of a generic
file takes the first row whose ``svmethod_keys`` occur in its ``INFO/SVMETHOD``. Row order is
therefore part of the rules (an ESVEE file annotated by PURPLE names both: ESVEE comes first).

Adding a dialect: write one module ``formats/sv/<caller>.py`` defining a
:class:`~.base.Dialect` (its name, the lower-case header texts that name it, its support reader,
optionally SVMETHOD texts and a breakend-orientation note), and add one row to
:data:`REGISTRY` below, at the place its recognition should take among the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, Mapping

from ...resources import schema_default
from .base import GENERIC, Dialect, Fields, Junction, Support
from .base import detect_dialect as _detect
from .delly import DELLY
from .generic import GENERIC_DIALECT
from .hartwig import ESVEE, GRIDSS, PURPLE
from .igcaller import looks_like_igcaller, read_igcaller
from .longread import SEVERUS, SNIFFLES
from .lumpy import LUMPY
from .manta import MANTA
from .svaba import SVABA
from .vcf import SvHeader, SvRecord, SvVcf
from .vcf import read_sv_vcf as _read_sv_vcf

__all__ = [
    "GENERIC",
    "REGISTRY",
    "Dialect",
    "Fields",
    "Junction",
    "Support",
    "SvHeader",
    "SvRecord",
    "SvVcf",
    "detect_dialect",
    "dialect",
    "junctions",
    "read_sv_vcf",
]

#: Caller dialects by name, in recognition order.
REGISTRY: Mapping[str, Dialect] = {d.name: d for d in (
    MANTA,
    DELLY,
    GRIDSS,
    ESVEE,
    PURPLE,
    LUMPY,
    SVABA,
    SNIFFLES,
    SEVERUS,
)}


def dialect(name: str) -> Dialect:
    """The registered dialect of that name, else the generic one."""
    return REGISTRY.get(name, GENERIC_DIALECT)


def detect_dialect(header: str) -> str:
    """The dialect name an SV VCF header (its ``##`` lines) names, or ``generic``."""
    return _detect(header, REGISTRY.values())


def read_sv_vcf(path: str | Path, *, build: str, tumor_column: str | None = None,
                max_read_support: int = schema_default("sv.max_read_support")) -> SvVcf:
    """Read the header of one SV VCF; its records follow lazily (see :mod:`.vcf`).

    A read count above ``max_read_support`` (or one that is no non-negative whole number) refuses its record.
    An IgCaller oncogenic-rearrangement table (v1 or v2, recognised by its header line) is read by
    :mod:`.igcaller` into the same records, with IgCaller's own verdict as FILTER.
    """
    if _first_line(path).startswith("Rearrangement\t") and looks_like_igcaller(_first_line(path)):
        return read_igcaller(path, build=build, max_read_support=max_read_support)[0]
    return _read_sv_vcf(path, build=build, tumor_column=tumor_column, dialects=REGISTRY,
                        fallback=GENERIC_DIALECT, max_read_support=max_read_support)


def _first_line(path: str | Path) -> str:
    """The first line of a file, decoded leniently (only to recognise a table layout; readers decode strictly)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return ""
    return head.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff")


def junctions(path: str | Path, *, build: str, tumor_column: str | None = None) -> Iterator[Junction]:
    """Every junction of one SV VCF (all FILTER values), each BND mate pair once."""
    vcf = read_sv_vcf(path, build=build, tumor_column=tumor_column)
    for rec in vcf.records:
        for j, first in zip(rec.junctions, rec.first_mate):
            if first:
                yield j
