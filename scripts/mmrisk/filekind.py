"""What an input file looks like, for the message that refuses it in the wrong place.

A user who gives a copy-number table as ``fish``, or a FISH table as ``snv_vcf``, should read
"it looks like a copy-number table: give it as the sample's cnv", not only "a column is
missing". :func:`describe` reads the first lines of a file (plain or gzip) and recognises the
project's input kinds by their headers (the kinds and their columns are data: :data:`KINDS`).
It never raises: a file it cannot read or recognise gets None.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import textio

#: How much of a file is looked at.
SNIFF_BYTES = 1 << 16


@dataclass(frozen=True)
class Kind:
    """An input kind, recognised by a header that holds every column of one of ``column_sets``."""

    label: str
    column: str  # the sample-sheet column (or config key) it belongs in
    column_sets: tuple[frozenset[str], ...]


def _sets(*groups: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(g.split()) for g in groups)


#: The tabular kinds, first match wins (column names compared in lower case).
KINDS: tuple[Kind, ...] = (
    Kind("a sample sheet", "samples (the config's sample sheet)",
         _sets("sample snv_vcf", "sample sv_vcf", "sample cnv", "sample fish")),
    Kind("a FISH table", "fish", _sets("sample target result", "sample iscn")),
    Kind("a clinical table", "clinical (the config's clinical table)",
         _sets("sample b2m_mg_l", "sample albumin_g_dl", "sample albumin_g_l", "sample refractory_to",
               "sample exposed_to")),
    Kind("a MAF of small variants", "snv_vcf",
         _sets("hugo_symbol variant_classification", "hugo_symbol chromosome start_position",
               "sampleid gene aachange impact")),
    Kind("a copy-number table", "cnv",
         _sets("chromosome start end log2", "chromosome start end copynumber", "contig start end",
               "chrom loc.start loc.end", "chr startpos endpos nmajor nminor", "chromosome start end cn")),
)


def _first_lines(path: str | Path) -> tuple[bytes, list[str]]:
    with textio.open_binary(path, "file") as fh:
        head = fh.read(SNIFF_BYTES)
    return head, head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()


def describe(path: str | Path) -> tuple[str, str] | None:
    """``(what the file looks like, the column it belongs in)``, or None when unrecognised or unreadable."""
    try:
        head, lines = _first_lines(path)
    except Exception:  # the caller's own reader reports why a file cannot be read
        return None
    if head.startswith(b"BAM\x01"):
        return "a BAM alignment file (reads, not calls)", "none: give the caller's output for these reads"
    if head.startswith(b"CRAM"):
        return "a CRAM alignment file (reads, not calls)", "none: give the caller's output for these reads"
    if not lines:
        return None
    if lines[0].startswith("##fileformat=VCF"):
        return "a VCF", "snv_vcf, sv_vcf or cnv, by what it holds"
    if lines[0].startswith("@HD") or lines[0].startswith("@SQ"):
        return "a GATK copy-number table (SAM-style @ header)", "cnv"
    for line in lines:
        if not line.strip() or (line.startswith("#") and not line.startswith("#CHROM")):
            continue
        cols = {c.strip().lower() for c in line.split("\t")}
        for kind in KINDS:
            if any(s <= cols for s in kind.column_sets):
                return kind.label, kind.column
        return None
    return None


def hint(path: str | Path, expected_column: str) -> str:
    """" (it looks like X: give it as the sample's Y)" when the file is recognisably of another kind, else ''."""
    found = describe(path)
    if found is None or found[1].split()[0] == expected_column:
        return ""
    return f" (it looks like {found[0]}: it belongs in {found[1]})"


__all__ = ["KINDS", "Kind", "SNIFF_BYTES", "describe", "hint"]
