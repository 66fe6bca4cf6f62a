"""Gene loss from a structural-variant deletion that spans the gene.

:func:`sv_gene_losses` turns the deletion records of one SV file (:class:`mmrisk.sv.DeletionSpan`) and the gene
spans of the sample's build (``resources/genome/genes.tsv``, as :func:`mmrisk.cnv.load_genes` reads it) into
``{gene: SvGeneLoss}``: the genes a passing, supported deletion removes one copy of. The knowledge base
(:func:`mmrisk.kb.match_all`, argument ``sv_losses``) reads them as the loss of one allele: for ``gene_loss``
rules of state ``deletion``, as the first hit of ``biallelic`` rules, and as the TP53 copy loss of the
Double-Hit.

Decisions (documented in ``resources/knowledge_base.tsv`` too):

* **Spans the gene**: the deleted bases (POS + 1 .. END) cover the gene's whole span on the same chromosome.
  Breakpoint confidence intervals (CIPOS/CIEND) are not used: an imprecise end is taken at its reported position.
* **Partial** (an end inside the gene): not a gene loss. It may well disrupt the gene, but it is not the loss
  of a gene copy the rules describe; :func:`sv_gene_losses` lists it in ``partial`` and the sample's warnings
  say so, so that a reviewer can look.
* **One allele**: an SV deletion is one lost allele. It is never two: a deletion and a one-copy copy-number
  loss over the same gene are read as the same lost allele (the total copy number counts every allele, so
  a second lost allele would show as 0 copies, i.e. the copy-number state ``biallelic_deletion``).
* Filtered records and deletions below ``sv.min_support`` never reach this module (:mod:`mmrisk.sv`).
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable, Mapping

from .genome import canonical_chrom
from .regions import Region
from .sv import DeletionSpan


@dataclass(frozen=True)
class SvGeneLoss:
    """One gene whose whole span a deletion record removes (one allele)."""

    gene: str
    deletion: DeletionSpan

    def origin(self) -> str:
        """``manta.vcf:12 (deletion 16:11,900,001-11,990,000)``: the record, for a finding's origin."""
        d = self.deletion
        return f"{d.record} (deletion {d.chrom}:{d.start:,}-{d.end:,})"


@dataclass(frozen=True)
class SvLosses:
    """The genes deleted (whole span) and the genes a deletion ends inside (partial, not a loss)."""

    genes: dict[str, SvGeneLoss]
    partial: dict[str, DeletionSpan]

    def warnings(self) -> list[str]:
        return [f"{d.record}: the deletion {d.chrom}:{d.start:,}-{d.end:,} ends inside {gene}; a partial deletion "
                f"is not read as the loss of a copy of {gene}" for gene, d in sorted(self.partial.items())]


def sv_gene_losses(deletions: Iterable[DeletionSpan], regions: Mapping[str, Region]) -> SvLosses:
    """``regions``: gene -> 1-based inclusive span of the sample's build."""
    genes: dict[str, SvGeneLoss] = {}
    partial: dict[str, DeletionSpan] = {}
    for d in deletions:
        for gene, r in regions.items():
            if canonical_chrom(r.chrom) != d.chrom or d.end < r.start or d.start > r.end:
                continue
            if d.start <= r.start and d.end >= r.end:
                genes.setdefault(gene, SvGeneLoss(gene, d))
            else:
                partial.setdefault(gene, d)
    return SvLosses(genes, {g: d for g, d in partial.items() if g not in genes})


__all__ = ["SvGeneLoss", "SvLosses", "sv_gene_losses"]
