"""Gene and centromere coordinates: :class:`Region` and the loaders of the two coordinate tables.

- :func:`load_genes`: ``{build: {gene: Region}}`` from ``resources/genome/genes.tsv``, the loci
  copy number and small variants are read at;
- :func:`load_centromeres`: ``{build: {chrom: Region}}`` from ``resources/genome/centromeres.tsv``,
  the p/q boundary of each chromosome.

Both tables have the columns ``<key> build chrom start end source`` (1-based inclusive, chromosome
with or without ``chr``); a bad row is an :class:`~mmrisk.errors.InputError` naming file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, InputProblem
from .genome import BUILDS, canonical_chrom
from .resources import shipped
from .tables import read_tsv

GENES_TSV = shipped("genes")
CENTROMERES_TSV = shipped("centromeres")


@dataclass(frozen=True)
class Region:
    """A 1-based inclusive interval on a canonical chromosome (no ``chr``)."""

    chrom: str
    start: int
    end: int
    name: str = ""
    source: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def overlap(self, start: int, end: int) -> int:
        """Bases shared with ``[start, end]``."""
        return max(0, min(self.end, end) - max(self.start, start) + 1)

    def __str__(self) -> str:
        return f"{self.chrom}:{self.start}-{self.end}"


def _load_regions(path: str | Path, key: str) -> dict[str, dict[str, Region]]:
    table = read_tsv(path, required_columns=(key, "build", "chrom", "start", "end", "source"))
    out: dict[str, dict[str, Region]] = {b: {} for b in BUILDS}
    problems: list[InputProblem] = []
    for row in table.rows:
        c = row.cells
        if c["build"] not in BUILDS:
            problems.append(InputProblem(table.path, "unknown build", line=row.line, column="build",
                                         value=c["build"], expected=" or ".join(BUILDS)))
            continue
        try:
            start, end = int(c["start"]), int(c["end"])
        except ValueError:
            problems.append(InputProblem(table.path, "start/end are not integers", line=row.line,
                                         value=f"{c['start']}-{c['end']}", expected="1-based integer positions"))
            continue
        if start < 1 or end < start:
            problems.append(InputProblem(table.path, "start must be ≥ 1 and ≤ end", line=row.line,
                                         value=f"{start}-{end}", expected="1-based inclusive start ≤ end"))
            continue
        chrom = canonical_chrom(c["chrom"])
        if c[key] in out[c["build"]]:
            problems.append(InputProblem(table.path, f"{key} listed twice for {c['build']}", line=row.line,
                                         value=c[key], expected="one row per name and build"))
            continue
        out[c["build"]][c[key]] = Region(chrom, start, end, c[key], c["source"])
    if problems:
        raise InputError(problems)
    return out


def load_genes(path: str | Path = GENES_TSV) -> dict[str, dict[str, Region]]:
    """``{build: {gene: Region}}`` from ``resources/genome/genes.tsv`` (1-based inclusive spans)."""
    return _load_regions(path, "gene")


def load_centromeres(path: str | Path = CENTROMERES_TSV) -> dict[str, dict[str, Region]]:
    """``{build: {chrom: Region}}``: the centromere (p/q boundary) of each chromosome."""
    return _load_regions(path, "chrom")
