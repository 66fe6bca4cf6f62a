"""Genome builds and contig names, shared by every sequencing reader.

- :func:`canonical_chrom` harmonises contig spellings (``chr17``, ``17``,
  ``chrM``/``MT``) so that coordinates in ``resources/`` (written without
  ``chr``) match files written either way.
- :func:`detect_build` reads what a file's header says about its build:
  primary-chromosome lengths in ``##contig`` lines (or SAM ``@SQ`` lines),
  ``assembly=`` tags and ``##reference`` paths.
- :func:`check_build` turns a contradiction with the sample's declared build
  into one clear :class:`~mmrisk.errors.InputProblem` naming both builds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from .errors import InputProblem
from .resources import shipped
from .tables import read_tsv

BUILDS: tuple[str, ...] = ("GRCh37", "GRCh38")
CHROMOSOMES_TSV = shipped("chromosomes")

# Build names as they appear in headers (##reference paths, assembly= tags, @SQ AS: tags).
_ALIASES: tuple[tuple[str, str], ...] = (
    (r"grch38|hg38|hs38|b38|gca_000001405\.15|gcf_000001405\.(2[6-9]|3\d|40)", "GRCh38"),
    (r"grch37|hg19|hs37|b37|human_g1k_v37|gcf_000001405\.(1[3-9]|2[0-5])", "GRCh37"),
)


@lru_cache(maxsize=8192)  # pure; an SV file asks for its few contig names tens of thousands of times
def canonical_chrom(name: str) -> str:
    """``chr17`` -> ``17``, ``chrX`` -> ``X``, ``chrM``/``M`` -> ``MT``; other contigs unchanged but the prefix."""
    n = name[3:] if name[:3].lower() == "chr" else name
    if n.upper() in ("M", "MT"):
        return "MT"
    if n.upper() in ("X", "Y"):
        return n.upper()
    return n


def file_chrom(canonical: str, file_contigs: Iterable[str]) -> str | None:
    """How a file spells ``canonical`` (e.g. ``17`` -> ``chr17``), or ``None`` if it has no such contig."""
    for c in file_contigs:
        if canonical_chrom(c) == canonical:
            return c
    return None


#: the chromosome table in force: the run's ``resources.chromosomes`` once :func:`use_chromosomes` is called
_TABLE = {"path": str(CHROMOSOMES_TSV)}


def use_chromosomes(path: str | Path) -> None:
    """Make ``path`` (the configuration's ``resources.chromosomes``) the table every reader and plot uses.

    Called once per job by the evaluation context, so that the file hashed into the provenance is the
    one the build checks and the copy-number axes read.
    """
    _TABLE["path"] = str(path)


def chromosome_lengths(path: str | None = None) -> dict[str, dict[str, int]]:
    """``{build: {chrom: length}}`` from the chromosome table in force (or ``path``)."""
    return _read_lengths(path or _TABLE["path"])


@lru_cache(maxsize=4)
def _read_lengths(path: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {b: {} for b in BUILDS}
    for row in read_tsv(path, required_columns=("build", "chrom", "length")).rows:
        out[row.cells["build"]][row.cells["chrom"]] = int(row.cells["length"])
    return out


@dataclass(frozen=True)
class BuildEvidence:
    """What a header says about its build, and why."""

    build: str
    reason: str


def detect_build(contig_lengths: Mapping[str, int | None], header_text: str = "") -> BuildEvidence | None:
    """The build a file's header points to, or ``None`` when it does not say.

    Contig lengths decide first (two or more primary chromosomes whose lengths
    match exactly one build); otherwise ``assembly=``/``##reference`` names.
    """
    lengths = chromosome_lengths()
    votes: dict[str, list[str]] = {b: [] for b in BUILDS}
    for contig, length in contig_lengths.items():
        if not length:
            continue
        c = canonical_chrom(contig)
        for b in BUILDS:
            if lengths[b].get(c) == length:
                votes[b].append(f"{contig} length {length}")
    matched = [b for b in BUILDS if len(votes[b]) >= 2]
    if len(matched) == 1:
        b = matched[0]
        return BuildEvidence(b, f"contig lengths ({', '.join(votes[b][:2])}) are {b}'s")
    named: set[str] = set()
    for line in header_text.splitlines():
        if not (line.startswith("##reference") or "assembly=" in line or line.startswith("@SQ")):
            continue
        low = line.lower()
        for pattern, b in _ALIASES:
            if re.search(pattern, low):
                named.add(b)
                break
    if len(named) == 1:
        b = named.pop()
        return BuildEvidence(b, f"the header names {b} (##reference / assembly)")
    return None


def check_build(declared: str, evidence: BuildEvidence | None, file: str) -> InputProblem | None:
    """A problem when the header's build contradicts the sample's declared build."""
    if evidence is None or evidence.build == declared:
        return None
    return InputProblem(
        file,
        f"the file is {evidence.build} ({evidence.reason}) but the sample's build is {declared}",
        expected=f"a {declared} file, or build {evidence.build} in the sample sheet",
    )


def vcf_header_contigs(header_text: str) -> dict[str, int | None]:
    """``##contig=<ID=..,length=..>`` lines of a VCF header (length ``None`` when absent)."""
    out: dict[str, int | None] = {}
    for m in re.finditer(r"^##contig=<(.*)>\s*$", header_text, flags=re.M):
        fields = dict(re.findall(r"(\w+)=(\"[^\"]*\"|[^,]*)", m.group(1)))
        if "ID" in fields:
            length = fields.get("length")
            out[fields["ID"]] = int(length) if length and length.isdigit() else None
    return out


def sam_header_contigs(header_text: str) -> dict[str, int | None]:
    """``@SQ SN:.. LN:..`` lines of a SAM-style header (GATK .seg files)."""
    out: dict[str, int | None] = {}
    for line in header_text.splitlines():
        if line.startswith("@SQ"):
            tags = dict(t.split(":", 1) for t in line.split("\t")[1:] if ":" in t)
            if "SN" in tags:
                out[tags["SN"]] = int(tags["LN"]) if tags.get("LN", "").isdigit() else None
    return out
