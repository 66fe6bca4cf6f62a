"""The typed result of one sample's evaluation, from the readers to the pages.

:func:`mmrisk.evaluate.evaluate_sample` returns a :class:`SampleResult`; the per-sample job
writes it (``mmrisk.outputs.risk_document`` makes the risk.json object from it, the only place it
becomes a dict) and renders the report from it. Each field is the readers' or the engines' own
record: :class:`~mmrisk.lesions.LesionCall` with its :class:`~mmrisk.lesions.Evidence`,
:class:`~mmrisk.snv.SmallVariant`, :class:`~mmrisk.cnv.GeneState`, :class:`CopyProfile`,
:class:`~mmrisk.kb.Finding`, :class:`~mmrisk.kb.TherapyRow`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .clinical import ClinicalRecord, TreatmentHistory
from .cnv import GeneState
from .courseclass import Course
from .kb import Finding, TherapyRow
from .lesions import LesionCall
from .risk import RiskResults
from .settings import Settings
from .sheet import Sample
from .snv import SmallVariant
from .sv import DeletionSpan


@dataclass(frozen=True)
class CopyProfile:
    """The genome-wide copy-number profile of a sample, for the plots."""

    build: str
    segments: tuple[tuple[str, int, int, float], ...]  # runs of equal copies: chrom, start, end, copies
    truncated: bool  # the profile was capped (too many runs)
    loci: tuple[tuple[str, str, int], ...]  # the FISH probe loci marked: gene, chrom, position


@dataclass(frozen=True)
class InputFile:
    kind: str  # snv_vcf, sv_vcf, cnv, fish, clinical, treatment_lines
    path: str
    sha256: str


@dataclass(frozen=True)
class ResourceFile:
    name: str  # the configuration's key (genes, knowledge_base, ...)
    path: str
    version: str
    sha256: str


@dataclass(frozen=True)
class Provenance:
    workflow_version: str
    knowledge_base_version: str
    resources: tuple[ResourceFile, ...]
    inputs: tuple[InputFile, ...]
    software: dict[str, str]


@dataclass
class SampleResult:
    """Everything the workflow found for one sample."""

    sample: Sample
    settings: Settings
    assessed_by: list[str]  # input kinds read: FISH, SNV, SV, CNV
    lesions: dict[str, LesionCall]  # every lesion id of the vocabulary, in order
    variants: list[SmallVariant]  # reported small variants ([] when no small-variant file was read)
    kb_matches: dict[int, list[str]]  # rule ids matched by each variant (its index in ``variants``)
    gene_states: dict[str, GeneState] | None  # None when no copy-number file was read
    profile: CopyProfile | None
    risk: RiskResults  # the risk systems' results (risk.evaluate_all)
    findings: list[Finding]
    below_floor: list[Finding]
    therapy: list[TherapyRow]
    history: TreatmentHistory  # clinical.treatment_history
    clinical: ClinicalRecord | None
    provenance: Provenance
    warnings: list[str] = field(default_factory=list)
    #: the disease course at the sample from the lines-of-therapy table (courseclass.course_at), None without one
    course: Course | None = None
    #: panel genes the small-variant file could not speak to, with the reason (``SnvResult.genes_not_assessed``):
    #: risk.json ``genes_not_assessed``; the therapy view does not count their variant rules as assessed
    genes_not_assessed: dict[str, str] = field(default_factory=dict)
    #: the SV file's passing, supported deletion records (``SvResult.deletions``; None when no SV file was read):
    #: the knowledge base reads a deletion spanning a whole gene as one lost allele (:mod:`mmrisk.svloss`)
    sv_deletions: list[DeletionSpan] | None = None

    def read(self, kind: str) -> bool:
        """Whether an input of ``kind`` (FISH, SNV, SV, CNV) was read."""
        return kind in self.assessed_by
