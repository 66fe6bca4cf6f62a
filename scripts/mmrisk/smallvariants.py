"""The records of small variants, whichever file they come from (VCF: :mod:`mmrisk.snv`; MAF:
:mod:`mmrisk.formats.maf`), and the calls both readers share: the flags of a reported variant
(:func:`flag_variant`) and the TP53_mutation evidence (:func:`tp53_evidence`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from .annotation import is_protein_altering, normalise_hgvsp
from .genome import canonical_chrom
from .lesions import Evidence
from .resources import schema_default


@dataclass(frozen=True)
class GeneRegion:
    gene: str
    chrom: str  # canonical (no chr prefix)
    start: int  # 1-based, inclusive
    end: int


@dataclass(frozen=True)
class BenignRule:
    """One row of resources/benign_variants.tsv."""

    gene: str
    hgvsp: str | None
    rsid: str | None
    positions: frozenset[str]  # 'build:chrom:pos:ref:alt'
    reason: str
    source: str

    def matches(self, gene: str | None, hgvsp: str | None, ids: Iterable[str], build: str,
                chrom: str, pos: int, ref: str, alt: str) -> bool:
        if f"{build}:{canonical_chrom(chrom)}:{pos}:{ref.upper()}:{alt.upper()}" in self.positions:
            return True
        if self.rsid and self.rsid in set(ids):
            return True
        return bool(self.hgvsp and gene == self.gene and normalise_hgvsp(hgvsp) == self.hgvsp)



@dataclass
class SmallVariant:
    gene: str
    chrom: str
    pos: int
    ref: str
    alt: str
    consequence: list[str]
    hgvsp: str | None
    vaf: float | None
    depth: int | None
    filter: str
    transcript: str | None = None
    hgvsc: str | None = None
    population_af: float | None = None
    flags: list[str] = field(default_factory=list)
    record: str = ""  # "file:line" (streamed) or "file:chrom:pos" (region query)
    vaf_source: str | None = None  # FORMAT field(s) the VAF came from
    ids: list[str] = field(default_factory=list)
    kb_match: str = ""
    benign_reason: str | None = None

    @property
    def protein_altering(self) -> bool:
        return is_protein_altering(self.consequence)

    @property
    def somatic_finding(self) -> bool:
        """Reported, protein-altering and neither a polymorphism nor on the benign list."""
        return self.protein_altering and not ({"polymorphism", "benign_list"} & set(self.flags))

    def as_row(self) -> dict[str, str]:
        """The variants.tsv row: contract columns, then :data:`EXTRA_COLUMNS`."""
        def num(x: float | None) -> str:
            return "" if x is None else f"{x:.4g}"
        return {
            "gene": self.gene, "chrom": self.chrom, "pos": str(self.pos), "ref": self.ref, "alt": self.alt,
            "consequence": "&".join(self.consequence), "hgvsp": self.hgvsp or "", "vaf": num(self.vaf),
            "depth": "" if self.depth is None else str(self.depth), "filter": self.filter,
            "kb_match": self.kb_match, "transcript": self.transcript or "", "hgvsc": self.hgvsc or "",
            "population_af": num(self.population_af), "flags": ";".join(self.flags), "record": self.record,
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> SmallVariant:
        """A variant as risk.json writes it (``dataclasses.asdict``, ``kb_match`` filled); a key the object
        leaves out takes the field's default."""
        row = dict(obj)
        for key in ("consequence", "flags", "ids"):
            if key in row:
                row[key] = list(row[key] or ())
        return cls(**row)


@dataclass
class SnvResult:
    variants: list[SmallVariant]
    evidence: list[Evidence]
    warnings: list[str]
    tumor_column: str | None = None
    annotation: list[str] = field(default_factory=list)  # e.g. ["VEP (INFO/CSQ)"]
    records_read: int = 0
    mode: str = "stream"  # or "region"
    #: panel genes that could not be examined, with the reason (e.g. an unreadable annotation entry or an
    #: unknown consequence term on a record of the gene): never reported as "no variant"
    genes_not_assessed: dict[str, str] = field(default_factory=dict)



@dataclass(frozen=True)
class ReadRules:
    """The reading rules of one call of :func:`read_small_variants`."""

    name: str
    build: str
    panel: frozenset[str]
    benign: tuple[BenignRule, ...]
    filters: frozenset[str]
    max_population_af: float
    vaf_floor: float
    tumor: str | None
    pop_info_tags: tuple[str, ...]  # INFO tags with a global population AF (vcfanno)
    by_chrom: Mapping[str, Sequence[GeneRegion]]  # panel regions by canonical chromosome
    spans: Mapping[str, GeneRegion]  # panel regions by gene



def flag_variant(sv: SmallVariant, s: ReadRules) -> None:
    """Add ``low_vaf``, ``polymorphism`` and ``benign_list`` (with its reason) to a new variant."""
    if sv.vaf is not None and sv.vaf < s.vaf_floor:
        sv.flags.append("low_vaf")
    if sv.population_af is not None and sv.population_af > s.max_population_af:
        sv.flags.append("polymorphism")
    for rule in s.benign:
        if rule.matches(sv.gene, sv.hgvsp, sv.ids, s.build, sv.chrom, sv.pos, sv.ref, sv.alt):
            sv.flags.append("benign_list")
            sv.benign_reason = f"{rule.reason} ({rule.source})"
            break


def tp53_evidence(variants: Sequence[SmallVariant], name: str, *, annotated: bool, tp53_locatable: bool,
                  purity: float | None = None, vaf_floor: float = schema_default("snv.vaf_floor"),
                  not_assessed: str | None = None) -> list[Evidence]:
    """TP53_mutation evidence from the reported variants (see the module docstring); ``not_assessed``: why
    TP53 could not be examined (then never absent)."""
    if not tp53_locatable:
        return []
    tp53 = [v for v in variants if v.gene == "TP53"]
    hits = [v for v in tp53 if v.somatic_finding]
    out: list[Evidence] = []
    for v in hits:
        fraction = None
        if purity and v.vaf is not None:
            fraction = min(1.0, 2.0 * v.vaf / purity)
        vaf_txt = "VAF unknown" if v.vaf is None else f"VAF {v.vaf:.3g}"
        low = f", below the {vaf_floor:.0%} floor" if "low_vaf" in v.flags else ""
        out.append(Evidence(
            "TP53_mutation", "present", "SNV", fraction, origin=v.record, gene="TP53",
            detail=f"TP53 {v.hgvsp or v.hgvsc or f'{v.chrom}:{v.pos} {v.ref}>{v.alt}'} "
                   f"({'&'.join(v.consequence)}), {vaf_txt}{low}, depth {v.depth if v.depth is not None else '?'}"
                   + (f"; cell fraction estimated as 2*VAF/purity ({purity})" if fraction is not None else "")))
    if out:
        return out
    unknown = [v for v in tp53 if "unannotated" in v.flags and not {"polymorphism", "benign_list"} & set(v.flags)]
    if unknown:
        return [Evidence("TP53_mutation", "not_assessed", "SNV", origin=unknown[0].record, gene="TP53",
                         detail=f"{len(unknown)} TP53 variant(s) of unknown consequence: the VCF is not annotated")]
    if not_assessed:
        return [Evidence("TP53_mutation", "not_assessed", "SNV", origin=name, gene="TP53",
                         detail=f"TP53 not assessed: {not_assessed}")]
    flagged = [v for v in tp53 if {"polymorphism", "benign_list"} & set(v.flags)]
    detail = "no protein-altering TP53 variant passing filters"
    if flagged:
        detail += "; not counted: " + ", ".join(
            f"{v.hgvsp or f'{v.chrom}:{v.pos}'} ({'/'.join(f for f in v.flags if f in ('polymorphism', 'benign_list'))})"
            for v in flagged)
    return [Evidence("TP53_mutation", "absent", "SNV", origin=name, detail=detail, gene="TP53")]


__all__ = ["BenignRule", "GeneRegion", "ReadRules", "SmallVariant", "SnvResult", "flag_variant", "tp53_evidence"]
