"""Evaluate one sample: read its inputs, merge the evidence, call risk, match the knowledge base.

:func:`evaluate_sample` is the whole per-sample computation (it reads the sample's files and
writes nothing) and returns a typed :class:`~mmrisk.result.SampleResult`. Each input kind is read
by its own step into typed records (FISH observations → Evidence; small variants; junctions →
Evidence; segments → gene states and Evidence); :func:`mmrisk.lesions.merge` makes one call per
lesion; :mod:`mmrisk.risk` computes the risk systems and :mod:`mmrisk.kb` the findings and the
per-drug-class view. Every threshold comes from the run's :class:`~mmrisk.settings.Settings`.
It raises :class:`~mmrisk.errors.InputError` for anything wrong with this sample's inputs, so the
workflow can fail this sample alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Mapping

from . import __version__
from .cnv import load_centromeres, load_genes, read_copy_number
from .copynumber import CnvLocus, load_cnv_loci
from .clinical import ClinicalRecord, ClinicalTable, DrugVocabulary, load_drugs, read_clinical_table, treatment_history
from .course import LinesTable, read_treatment_lines
from .courseclass import Course, agreement_warnings, course_at
from .errors import InputError, InputProblem
from .genome import use_chromosomes
from .fish import fish_evidence, load_targets, read_fish_table
from .iscn import load_probes
from .kb import KnowledgeBase, load_knowledge_base, match_all, therapy_view
from .lesions import Evidence, merge
from .result import CopyProfile, InputFile, Provenance, ResourceFile, SampleResult
from .risk import Labs, evaluate_all, given_iss_conflict
from .settings import Settings
from .sheet import Sample
from .snv import SmallVariant, gene_regions, load_benign, load_gene_ids, load_panel, read_small_variants
from .sv import DeletionSpan, load_windows, read_structural_variants
from .svloss import sv_gene_losses
from .tables import header_fields

#: Genes whose FISH probe loci the copy-number plots mark (del(17p), gain(1q), del(1p32), del(13q)).
PROFILE_LOCI: tuple[str, ...] = ("TP53", "CKS1B", "CDKN2C", "RB1")


def sha256_of(path: str | Path) -> str:
    """The file's SHA-256 (remembered per path, size and time stamp: a batch job's samples share files)."""
    st = os.stat(path)
    return _sha256_of(str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=256)
def _sha256_of(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def resource_version(path: str | Path) -> str:
    """``version (date)`` of a resource table, from its header."""
    st = os.stat(path)
    return _resource_version(str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=64)  # remembered per path, size and time stamp (a batch job's samples share the resources)
def _resource_version(path: str, size: int, mtime_ns: int) -> str:
    f = header_fields(path)
    if "version" not in f:
        return "unversioned"
    return f["version"] + (f" ({f['date']})" if "date" in f else "")


def software_versions() -> dict[str, str]:
    """Versions of the interpreter and the libraries that read the inputs."""
    return dict(_software_versions())


@lru_cache(maxsize=1)  # the installed versions do not change while a process runs
def _software_versions() -> tuple[tuple[str, str], ...]:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"mmrisk": __version__, "python": platform.python_version()}
    for pkg in ("snakemake", "cyvcf2", "pysam", "jsonschema", "jinja2"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return tuple(out.items())


@dataclass
class Context:
    """Everything shared by the samples of one run: the settings and the resources they name."""

    config: Mapping[str, Any]

    def __post_init__(self) -> None:
        use_chromosomes(self.settings.resources["chromosomes"])

    @cached_property
    def settings(self) -> Settings:
        return Settings.from_config(self.config)

    def _res(self, name: str) -> str:
        return self.settings.resources[name]

    @cached_property
    def targets(self) -> Any:
        return load_targets(self._res("fish_targets"))

    @cached_property
    def probes(self) -> Any:
        return load_probes(self._res("fish_probes"))

    @cached_property
    def drugs(self) -> DrugVocabulary:
        return load_drugs(self._res("drugs"))

    @cached_property
    def panel(self) -> set[str]:
        return load_panel(self._res("panel_genes"))

    @cached_property
    def benign(self) -> Any:
        return load_benign(self._res("benign_variants"))

    @cached_property
    def genes(self) -> Any:
        return load_genes(self._res("genes"))

    @cached_property
    def centromeres(self) -> Any:
        return load_centromeres(self._res("centromeres"))

    @cached_property
    def cnv_loci(self) -> tuple[CnvLocus, ...]:
        return load_cnv_loci(self._res("cnv_loci"))

    @cached_property
    def kb(self) -> KnowledgeBase:
        return load_knowledge_base(self._res("knowledge_base"), panel=self._res("panel_genes"))

    @cached_property
    def clinical(self) -> ClinicalTable | None:
        """The whole clinical table (every sample's rows checked)."""
        path = self.settings.clinical
        return read_clinical_table(path, self.drugs) if path else None

    def clinical_of(self, sample: str) -> ClinicalTable | None:
        """The clinical table's rows of one sample (and rows naming no valid sample), as its job needs."""
        if "clinical" in self.__dict__:  # the whole table is read already
            return self.clinical
        path = self.settings.clinical
        return read_clinical_table(path, self.drugs, sample=sample) if path else None

    @cached_property
    def treatment_lines(self) -> LinesTable | None:
        """The whole lines-of-therapy table (every patient's rows checked)."""
        path = self.settings.treatment_lines
        return read_treatment_lines(path, self.drugs) if path else None

    def treatment_lines_of(self, patient: str) -> LinesTable | None:
        """The lines-of-therapy table's rows of one patient (and rows naming no valid patient)."""
        if "treatment_lines" in self.__dict__:
            return self.treatment_lines
        path = self.settings.treatment_lines
        return read_treatment_lines(path, self.drugs, patient=patient) if path else None

    def resources_provenance(self) -> tuple[ResourceFile, ...]:
        return tuple(ResourceFile(name, path, resource_version(path), sha256_of(path))
                     for name, path in sorted(self.settings.resources.items()))


def _labs(record: ClinicalRecord | None) -> Labs:
    if record is None:
        return Labs()
    return Labs(record.b2m_mg_l, record.albumin_g_dl, record.ldh_high, record.creatinine_mg_dl, record.iss_stage)


def _check_files(sample: Sample, sheet: str) -> list[InputProblem]:
    problems = []
    for kind, path in sample.inputs().items():
        if not os.path.exists(path):
            problems.append(InputProblem(sheet, "input file not found", line=sample.line, column=kind, value=path))
        elif os.path.isdir(path):
            problems.append(InputProblem(sheet, "input is a folder, not a file", line=sample.line, column=kind,
                                         value=path))
        elif not os.path.isfile(path):  # a named pipe, socket or device: reading it may block or never end
            problems.append(InputProblem(sheet, "input is not a regular file (a named pipe, socket or device)",
                                         line=sample.line, column=kind, value=path, expected="a file"))
    return problems


@dataclass
class _Reads:
    """What the sample's input files gave, before the merge."""

    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    assessed: list[str] = field(default_factory=list)
    variants: list[SmallVariant] = field(default_factory=list)
    genes_not_assessed: dict[str, str] = field(default_factory=dict)  # panel gene -> why (small variants)
    gene_states: dict[str, Any] | None = None
    profile: CopyProfile | None = None
    sv_deletions: list[DeletionSpan] | None = None  # None when no SV file was read


def _read_fish(sample: Sample, ctx: Context, out: _Reads) -> None:
    fish = ctx.settings.fish
    table = read_fish_table(sample.fish, ctx.targets, ctx.probes, sample=sample.sample)
    problems = list(table.file_problems) + list(table.problems_by_sample.get(sample.sample, []))
    if problems:
        raise InputError(problems)
    out.warnings += table.warnings  # unknown columns, rows that name no valid sample
    rows = table.rows_by_sample.get(sample.sample, [])
    if not rows:
        out.warnings.append(f"the FISH table {sample.fish} has no rows for sample {sample.sample}: "
                            "no lesion was assessed by FISH")
    else:
        out.assessed.append("FISH")
    ev, w = fish_evidence(rows, fish.cutoffs, hyperdiploidy_min_trisomies=fish.hyperdiploidy_min_trisomies,
                          hyperdiploidy_min_tested=fish.hyperdiploidy_min_tested)
    out.evidence += ev
    out.warnings += w


def _read_snv(sample: Sample, ctx: Context, out: _Reads) -> None:
    snv = ctx.settings.snv
    res = read_small_variants(
        sample.snv_vcf, build=sample.build, tumor_column=sample.tumor_column,
        genes=gene_regions(ctx.genes.get(sample.build, {})), panel=ctx.panel, benign=ctx.benign,
        filters=snv.filters, max_population_af=snv.max_population_af, vaf_floor=snv.vaf_floor,
        purity=sample.purity, gene_ids=load_gene_ids(ctx.settings.resources["panel_genes"]), sample_id=sample.sample,
        probes={g: r for b, table in ctx.genes.items() if b != sample.build for g, r in gene_regions(table).items()},
    )
    out.evidence += res.evidence
    out.warnings += res.warnings
    out.genes_not_assessed = dict(res.genes_not_assessed)
    # four decimals are what a caller's read counts support
    out.variants = [replace(v, vaf=None if v.vaf is None else round(v.vaf, 4)) for v in res.variants]
    out.assessed.append("SNV")


def _read_sv(sample: Sample, ctx: Context, out: _Reads) -> None:
    sv = ctx.settings.sv
    res = read_structural_variants(
        sample.sv_vcf, build=sample.build, tumor_column=sample.tumor_column,
        windows=load_windows(ctx.settings.resources["sv_windows"], build=sample.build),
        min_support=sv.min_support, filters=sv.filters,
        min_intrachromosomal_distance=sv.min_intrachromosomal_distance,
        nearest_window_distance=sv.nearest_window_distance, single_breakend_evidence=sv.single_breakend_evidence,
        max_read_support=int(ctx.settings.config["sv"]["max_read_support"]),
    )
    out.evidence += res.evidence
    out.warnings += res.warnings
    out.sv_deletions = list(res.deletions)
    out.assessed.append("SV")


def _read_cnv(sample: Sample, ctx: Context, out: _Reads) -> None:
    cnv = ctx.settings.cnv
    res = read_copy_number(
        sample.cnv, build=sample.build, sample_id=sample.sample, purity=sample.purity, ploidy=cnv.ploidy,
        genes=ctx.genes, centromeres=ctx.centromeres, thresholds=cnv.thresholds, loci=ctx.cnv_loci,
    )
    out.evidence += res.evidence
    out.warnings += res.warnings
    out.gene_states = dict(sorted(res.gene_states.items()))
    build_genes = ctx.genes.get(sample.build, {})
    out.profile = CopyProfile(
        sample.build, tuple((c, s0, e, cn) for c, s0, e, cn in res.profile), res.profile_truncated,
        # the FISH probe loci of the copy-number lesions, marked on the plots
        tuple((g, build_genes[g].chrom, build_genes[g].start) for g in PROFILE_LOCI if g in build_genes))
    out.assessed.append("CNV")


def _clinical_record(sample: Sample, ctx: Context, out: _Reads) -> tuple[ClinicalRecord | None, bool]:
    """The sample's clinical row (or None) and whether a clinical table was given."""
    clinical = ctx.clinical_of(sample.sample)
    if clinical is None:
        return None, False
    problems = list(clinical.file_problems) + list(clinical.problems_by_sample.get(sample.sample, []))
    if problems:
        raise InputError(problems)
    out.warnings += clinical.warnings  # unknown columns, rows that name no valid sample
    record = clinical.records.get(sample.sample)
    if record is None:
        out.warnings.append(f"the clinical table {ctx.settings.clinical} has no row for sample {sample.sample}: "
                            "laboratory values and treatment history are unknown")
    return record, True


def _course(sample: Sample, ctx: Context, record: ClinicalRecord | None, out: _Reads) -> Course | None:
    """The patient's course at the sample's collection date, or None without lines of therapy for it."""
    table = ctx.treatment_lines_of(sample.patient)
    if table is None:
        return None
    problems = table.problems_of(sample.patient)
    if problems:
        raise InputError(problems)
    out.warnings += table.warnings
    lines = table.lines_by_patient.get(sample.patient)
    if lines is None:  # not assessed: said once per run (preflight) and on the page, not as a warning per sample
        return None
    at = dt.date.fromisoformat(sample.collection_date) if sample.collection_date else None
    if at is None:
        out.warnings.append(f"sample {sample.sample} has no collection_date: every line of therapy of patient "
                            f"{sample.patient} is counted as before it")
    course = course_at(lines, at, ctx.drugs, ctx.settings.refractory_window_days)
    out.warnings += agreement_warnings(course, record, table.path)
    out.warnings += [f"line {o.line.line} of therapy ({o.line.source}) is not evaluable for refractoriness: "
                     f"{o.basis}; missing: {', '.join(o.missing)}" for o in course.outcomes if o.status == "not_evaluable"]
    return course


def _provenance(sample: Sample, ctx: Context, with_clinical: bool) -> Provenance:
    inputs = [InputFile(kind, path, sha256_of(path)) for kind, path in sample.inputs().items()]
    if with_clinical:
        inputs.append(InputFile("clinical", ctx.settings.clinical, sha256_of(ctx.settings.clinical)))
    if ctx.settings.treatment_lines:
        inputs.append(InputFile("treatment_lines", ctx.settings.treatment_lines,
                                sha256_of(ctx.settings.treatment_lines)))
    return Provenance(__version__, f"{ctx.kb.version} ({ctx.kb.date})", ctx.resources_provenance(), tuple(inputs),
                      software_versions())


_READERS = (("fish", _read_fish), ("snv_vcf", _read_snv), ("sv_vcf", _read_sv), ("cnv", _read_cnv))


def evaluate_sample(sample: Sample, ctx: Context, sheet: str = "samples.tsv") -> SampleResult:
    """The typed result of one sample (risk.json is written from it by :mod:`mmrisk.outputs`)."""
    problems = _check_files(sample, sheet)
    if problems:
        raise InputError(problems)
    reads = _Reads()
    for kind, read in _READERS:
        if getattr(sample, kind):
            read(sample, ctx, reads)
    record, with_clinical = _clinical_record(sample, ctx, reads)
    settings = ctx.settings
    calls, merge_warnings = merge(
        reads.evidence, igh_breakapart_excludes_partners=settings.fish.igh_breakapart_negative_excludes_partners)
    labs = _labs(record)
    risk = evaluate_all(calls, labs, settings.risk)
    conflict = given_iss_conflict(labs, settings.risk)
    if conflict:
        reads.warnings.append(conflict)
    course = _course(sample, ctx, record, reads)
    history = course.history if course is not None else treatment_history(record, ctx.drugs)
    gene_states = reads.gene_states if "CNV" in reads.assessed else None
    sv_losses = None if reads.sv_deletions is None else sv_gene_losses(reads.sv_deletions,
                                                                        ctx.genes.get(sample.build, {}))
    if sv_losses is not None:
        reads.warnings += sv_losses.warnings()
    matched = match_all(ctx.kb, reads.variants if "SNV" in reads.assessed else None, gene_states, calls,
                        vaf_floor=settings.snv.vaf_floor, iss_stage=risk.iss.stage,
                        sv_losses=None if sv_losses is None else sv_losses.genes)
    therapy = therapy_view(matched.findings, calls, history.by_class, kb=ctx.kb, inputs_read=reads.assessed,
                           gene_states=gene_states, genes_not_assessed=reads.genes_not_assessed)
    return SampleResult(
        sample=sample, settings=settings, assessed_by=reads.assessed, lesions=calls, variants=reads.variants,
        kb_matches=matched.variant_matches, gene_states=gene_states, profile=reads.profile, risk=risk,
        findings=matched.findings, below_floor=matched.below_floor, therapy=therapy, history=history,
        clinical=record, course=course, provenance=_provenance(sample, ctx, with_clinical),
        warnings=reads.warnings + merge_warnings, genes_not_assessed=reads.genes_not_assessed,
        sv_deletions=reads.sv_deletions,
    )
