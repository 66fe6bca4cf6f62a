"""The normalised annotation record and the consequence vocabulary every dialect maps into.

- :data:`SEVERITY`: Sequence Ontology consequence terms, most severe first; :func:`so_term` maps
  SnpEff and bcftools csq names to SO terms; :func:`impact_of` gives VEP's impact class;
- :class:`Annotation`: one consequence of one allele on one transcript, whatever dialect wrote it.

Dialect parsers (:mod:`mmrisk.formats.annotation`) return :class:`Annotation` records; nothing here
knows a file format, a lesion or a risk rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

# ----------------------------------------------------------------------------------------------
# Consequence vocabulary

#: Sequence Ontology consequence terms, most severe first (Ensembl VEP's order, with the
#: SnpEff-only terms exon_loss_variant, splice_site_variant, rare_amino_acid_variant and
#: initiator_codon_variant inserted where their meaning puts them). Terms not listed rank last.
SEVERITY: tuple[str, ...] = (
    "transcript_ablation",
    "exon_loss_variant",
    "splice_acceptor_variant",
    "splice_donor_variant",
    "splice_site_variant",
    "stop_gained",
    "frameshift_variant",
    "stop_lost",
    "start_lost",
    "transcript_amplification",
    "feature_elongation",
    "feature_truncation",
    "inframe_insertion",
    "inframe_deletion",
    "missense_variant",
    "rare_amino_acid_variant",
    "protein_altering_variant",
    "splice_donor_5th_base_variant",
    "splice_region_variant",
    "splice_donor_region_variant",
    "splice_polypyrimidine_tract_variant",
    "incomplete_terminal_codon_variant",
    "initiator_codon_variant",
    "start_retained_variant",
    "stop_retained_variant",
    "synonymous_variant",
    "coding_sequence_variant",
    "mature_miRNA_variant",
    "5_prime_UTR_premature_start_codon_gain_variant",
    "5_prime_UTR_variant",
    "3_prime_UTR_variant",
    "non_coding_transcript_exon_variant",
    "intron_variant",
    "NMD_transcript_variant",
    "non_coding_transcript_variant",
    "coding_transcript_variant",
    "upstream_gene_variant",
    "downstream_gene_variant",
    "TFBS_ablation",
    "TFBS_amplification",
    "TF_binding_site_variant",
    "regulatory_region_ablation",
    "regulatory_region_amplification",
    "regulatory_region_variant",
    "intragenic_variant",
    "intergenic_variant",
    "sequence_variant",
)
_RANK = {t: i for i, t in enumerate(SEVERITY)}

#: Consequences that change the protein: what a small-variant finding must have.
PROTEIN_ALTERING: frozenset[str] = frozenset({
    "transcript_ablation",
    "exon_loss_variant",
    "splice_acceptor_variant",
    "splice_donor_variant",
    "splice_site_variant",
    "stop_gained",
    "frameshift_variant",
    "stop_lost",
    "start_lost",
    "inframe_insertion",
    "inframe_deletion",
    "missense_variant",
    "rare_amino_acid_variant",
    "protein_altering_variant",
})

_HIGH = {"transcript_ablation", "exon_loss_variant", "splice_acceptor_variant", "splice_donor_variant",
         "splice_site_variant", "stop_gained", "frameshift_variant", "stop_lost", "start_lost",
         "transcript_amplification", "feature_elongation", "feature_truncation"}
_MODERATE = {"inframe_insertion", "inframe_deletion", "missense_variant", "rare_amino_acid_variant",
             "protein_altering_variant", "regulatory_region_ablation"}
_LOW = {"splice_donor_5th_base_variant", "splice_region_variant", "splice_donor_region_variant",
        "splice_polypyrimidine_tract_variant", "incomplete_terminal_codon_variant", "initiator_codon_variant",
        "start_retained_variant", "stop_retained_variant", "synonymous_variant"}

# SnpEff / bcftools csq / Funcotator names -> SO terms.
_SYNONYMS: dict[str, str] = {
    # SnpEff
    "conservative_inframe_insertion": "inframe_insertion",
    "disruptive_inframe_insertion": "inframe_insertion",
    "conservative_inframe_deletion": "inframe_deletion",
    "disruptive_inframe_deletion": "inframe_deletion",
    "intergenic_region": "intergenic_variant",
    "non_coding_exon_variant": "non_coding_transcript_exon_variant",
    "5_prime_UTR_truncation": "5_prime_UTR_variant",
    "3_prime_UTR_truncation": "3_prime_UTR_variant",
    "exon_variant": "coding_sequence_variant",
    # bcftools csq
    "intergenic": "intergenic_variant",
    "intron": "intron_variant",
    "splice_region": "splice_region_variant",
    "splice_acceptor": "splice_acceptor_variant",
    "splice_donor": "splice_donor_variant",
    "start_retained": "start_retained_variant",
    "stop_retained": "stop_retained_variant",
    "synonymous": "synonymous_variant",
    "missense": "missense_variant",
    "inframe_altering": "protein_altering_variant",
    "frameshift": "frameshift_variant",
    "5_prime_utr": "5_prime_UTR_variant",
    "3_prime_utr": "3_prime_UTR_variant",
    "non_coding": "non_coding_transcript_variant",
    "coding_sequence": "coding_sequence_variant",
}

#: Consequences that name no gene: an entry with one of them and no gene is complete (VEP writes
#: intergenic and regulatory consequences without a gene); any other entry without a gene is unreadable.
GENELESS: frozenset[str] = frozenset({
    "intergenic_variant", "regulatory_region_variant", "regulatory_region_ablation",
    "regulatory_region_amplification", "TF_binding_site_variant", "TFBS_ablation", "TFBS_amplification",
    "sequence_variant",
})

# every known name, lower-cased: annotators and users write SO terms in any case (MISSENSE_VARIANT)
_BY_LOWER: dict[str, str] = {**{k.lower(): v for k, v in _SYNONYMS.items()}, **{t.lower(): t for t in SEVERITY}}


def so_term(name: str) -> str:
    """An annotator's consequence name as an SO term, whatever its case (unknown names unchanged)."""
    n = name.strip()
    return _BY_LOWER.get(n.lower(), n)


def is_known_term(term: str) -> bool:
    """Whether ``term`` (as :func:`so_term` gives it) is in the severity list."""
    return term in _RANK


def severity_rank(terms: Iterable[str]) -> int:
    """Rank of the most severe term (0 = most severe; unknown terms rank last)."""
    return min((_RANK.get(t, len(SEVERITY)) for t in terms), default=len(SEVERITY) + 1)


def impact_of(terms: Iterable[str]) -> str:
    """VEP-style impact class of the most severe term."""
    ts = set(terms)
    if ts & _HIGH:
        return "HIGH"
    if ts & _MODERATE:
        return "MODERATE"
    if ts & _LOW:
        return "LOW"
    return "MODIFIER"


def is_protein_altering(terms: Iterable[str]) -> bool:
    return any(t in PROTEIN_ALTERING for t in terms)


# ----------------------------------------------------------------------------------------------
# The normalised record

@dataclass
class Annotation:
    """One consequence of one allele on one transcript, in one vocabulary."""

    source: str  # VEP | SnpEff | BCSQ | Funcotator
    allele: str | None = None
    gene: str | None = None
    transcript: str | None = None
    biotype: str | None = None
    consequence: list[str] = field(default_factory=list)
    impact: str | None = None
    hgvsc: str | None = None
    hgvsp: str | None = None
    protein_position: int | None = None
    population_af: float | None = None
    existing: list[str] = field(default_factory=list)
    canonical: bool | None = None  # None: the annotator does not say
    mane: bool = False
    allele_num: int | None = None  # VEP ALLELE_NUM (1-based ALT index) where written
    backref: int | None = None  # BCSQ '@POS' entry not resolved
    problem: str | None = None  # why the entry cannot be read as written (too few fields, no gene, ...)

    @property
    def protein_altering(self) -> bool:
        return is_protein_altering(self.consequence)

    @property
    def rank(self) -> int:
        return severity_rank(self.consequence)


__all__ = [
    "Annotation", "GENELESS", "PROTEIN_ALTERING", "SEVERITY", "impact_of", "is_known_term", "is_protein_altering", "severity_rank", "so_term",
]
