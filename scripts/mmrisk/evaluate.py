"""Evaluate one sample: read its inputs, merge the evidence, call risk.

:func:`evaluate_sample` is the whole per-sample computation as one pure-ish
function (it reads the sample's files, writes nothing). It raises
:class:`~mmrisk.errors.InputError` for anything wrong with this sample's
inputs, so the workflow can fail this sample alone.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from . import __version__
from .cnv import CnvThresholds, load_centromeres, load_genes, read_copy_number
from .clinical import ClinicalRecord, ClinicalTable, DrugVocabulary, load_drugs, read_clinical_table, treatment_history
from .errors import InputError, InputProblem
from .fish import fish_evidence, load_targets, read_fish_table
from .iscn import load_probes
from .kb import KnowledgeBase, load_knowledge_base, match_all, therapy_view
from .lesions import LESION_IDS, Evidence, merge
from .risk import Labs, Thresholds, evaluate_all
from .sheet import Sample
from .tables import header_fields
from .snv import gene_regions, load_benign, load_panel, read_small_variants
from .sv import load_windows, read_structural_variants

SCHEMA_VERSION = 1
#: Genes whose FISH probe loci the copy-number plots mark (del(17p), gain(1q), del(1p32), del(13q)).
PROFILE_LOCI: tuple[str, ...] = ("TP53", "CKS1B", "CDKN2C", "RB1")
RESEARCH_USE = (
    "For research use only. Not for diagnostic use. This report describes genomic findings and "
    "their published associations; it does not recommend any treatment."
)


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def resource_version(path: str | Path) -> str:
    """``version (date)`` of a resource table, from its header."""
    f = header_fields(path)
    if "version" not in f:
        return "unversioned"
    return f["version"] + (f" ({f['date']})" if "date" in f else "")


def software_versions() -> dict[str, str]:
    """Versions of the interpreter and the libraries that read the inputs."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"mmrisk": __version__, "python": platform.python_version()}
    for pkg in ("snakemake", "cyvcf2", "pysam", "jsonschema", "jinja2"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


@dataclass
class Context:
    """Everything shared by the samples of one run: config and resources."""

    config: Mapping[str, Any]

    @cached_property
    def thresholds(self) -> Thresholds:
        return Thresholds.from_config(self.config.get("risk", {}))

    @cached_property
    def targets(self) -> Any:
        return load_targets(self.config["resources"]["fish_targets"])

    @cached_property
    def probes(self) -> Any:
        return load_probes(self.config["resources"]["fish_probes"])

    @cached_property
    def drugs(self) -> DrugVocabulary:
        return load_drugs(self.config["resources"]["drugs"])

    @cached_property
    def panel(self) -> set[str]:
        return load_panel(self.config["resources"]["panel_genes"])

    @cached_property
    def benign(self) -> Any:
        return load_benign(self.config["resources"]["benign_variants"])

    @cached_property
    def genes(self) -> Any:
        return load_genes(self.config["resources"]["genes"])

    @cached_property
    def centromeres(self) -> Any:
        return load_centromeres(self.config["resources"]["centromeres"])

    @cached_property
    def kb(self) -> KnowledgeBase:
        return load_knowledge_base(self.config["resources"]["knowledge_base"],
                                   panel=self.config["resources"]["panel_genes"])

    @cached_property
    def clinical(self) -> ClinicalTable | None:
        """The whole clinical table (every sample's rows checked)."""
        path = self.config.get("clinical") or ""
        return read_clinical_table(path, self.drugs) if path else None

    def clinical_of(self, sample: str) -> ClinicalTable | None:
        """The clinical table's rows of one sample (and rows naming no valid sample), as its job needs."""
        if "clinical" in self.__dict__:  # the whole table is read already
            return self.clinical
        path = self.config.get("clinical") or ""
        return read_clinical_table(path, self.drugs, sample=sample) if path else None

    def resources_provenance(self) -> list[dict[str, str]]:
        out = []
        for name, path in sorted(self.config["resources"].items()):
            out.append({"name": name, "path": path, "version": resource_version(path), "sha256": sha256_of(path)})
        return out


def _labs(record: ClinicalRecord | None) -> Labs:
    if record is None:
        return Labs()
    return Labs(record.b2m_mg_l, record.albumin_g_dl, record.ldh_high, record.creatinine_mg_dl)


def _check_files(sample: Sample, sheet: str) -> list[InputProblem]:
    problems = []
    for kind, path in sample.inputs().items():
        if not os.path.exists(path):
            problems.append(InputProblem(sheet, "input file not found", line=sample.line, column=kind, value=path))
        elif os.path.isdir(path):
            problems.append(InputProblem(sheet, "input is a folder, not a file", line=sample.line, column=kind,
                                         value=path))
    return problems


def evaluate_sample(sample: Sample, ctx: Context, sheet: str = "samples.tsv") -> dict[str, Any]:
    """The contract's ``risk.json`` object for one sample (plus report details)."""
    raise_problems = _check_files(sample, sheet)
    if raise_problems:
        raise InputError(raise_problems)
    fish_cfg = ctx.config.get("fish", {})
    warnings: list[str] = []
    evidence: list[Evidence] = []
    assessed: list[str] = []

    if sample.fish:
        table = read_fish_table(sample.fish, ctx.targets, ctx.probes, sample=sample.sample)
        problems = list(table.file_problems) + list(table.problems_by_sample.get(sample.sample, []))
        if problems:
            raise InputError(problems)
        rows = table.rows_by_sample.get(sample.sample, [])
        if not rows:
            warnings.append(f"the FISH table {sample.fish} has no rows for sample {sample.sample}: "
                            "no lesion was assessed by FISH")
        else:
            assessed.append("FISH")
        ev, w = fish_evidence(
            rows,
            fish_cfg.get("cutoffs", {}),
            hyperdiploidy_min_trisomies=fish_cfg.get("hyperdiploidy_min_trisomies", 2),
            hyperdiploidy_min_tested=fish_cfg.get("hyperdiploidy_min_tested", 3),
        )
        evidence += ev
        warnings += w

    variants: list[dict[str, Any]] = []
    gene_states: dict[str, Any] = {}
    cn_profile: dict[str, Any] | None = None
    if sample.snv_vcf:
        snv_cfg = ctx.config.get("snv", {})
        res = read_small_variants(
            sample.snv_vcf, build=sample.build, tumor_column=sample.tumor_column,
            genes=gene_regions(ctx.genes.get(sample.build, {})),
            panel=ctx.panel, benign=ctx.benign, filters=tuple(snv_cfg.get("filters", ("PASS", "."))),
            max_population_af=snv_cfg.get("max_population_af", 0.01), vaf_floor=snv_cfg.get("vaf_floor", 0.05),
            purity=sample.purity,
        )
        evidence += res.evidence
        warnings += res.warnings
        variants = [asdict(v) for v in res.variants]
        for v in variants:  # four decimals are what a caller's read counts support
            v["vaf"] = None if v["vaf"] is None else round(v["vaf"], 4)
        assessed.append("SNV")
    if sample.sv_vcf:
        sv_cfg = ctx.config.get("sv", {})
        res_sv = read_structural_variants(
            sample.sv_vcf, build=sample.build, tumor_column=sample.tumor_column,
            windows=load_windows(ctx.config["resources"]["sv_windows"], build=sample.build),
            min_support=sv_cfg.get("min_support", 3), filters=tuple(sv_cfg.get("filters", ("PASS", "."))),
            min_intrachromosomal_distance=sv_cfg.get("min_intrachromosomal_distance", 100_000),
            nearest_window_distance=sv_cfg.get("nearest_window_distance", 1_000_000),
            single_breakend_evidence=sv_cfg.get("single_breakend_evidence", False),
        )
        evidence += res_sv.evidence
        warnings += res_sv.warnings
        assessed.append("SV")
    if sample.cnv:
        cnv_cfg = dict(ctx.config.get("cnv", {}))
        ploidy = float(cnv_cfg.pop("ploidy", 2.0))
        res_cnv = read_copy_number(
            sample.cnv, build=sample.build, sample_id=sample.sample, purity=sample.purity, ploidy=ploidy,
            genes=ctx.genes, centromeres=ctx.centromeres, thresholds=CnvThresholds(**cnv_cfg),
        )
        evidence += res_cnv.evidence
        warnings += res_cnv.warnings
        gene_states = {g: asdict(st) for g, st in sorted(res_cnv.gene_states.items())}
        build_genes = ctx.genes.get(sample.build, {})
        cn_profile = {
            "build": sample.build,
            "segments": [[c, s0, e, cn] for c, s0, e, cn in res_cnv.profile],
            "truncated": res_cnv.profile_truncated,
            # the FISH probe loci of the copy-number lesions, marked on the plots
            "loci": {g: [build_genes[g].chrom, build_genes[g].start] for g in PROFILE_LOCI if g in build_genes},
        }
        assessed.append("CNV")

    record: ClinicalRecord | None = None
    clinical = ctx.clinical_of(sample.sample)
    if clinical is not None:
        problems = list(clinical.file_problems) + list(clinical.problems_by_sample.get(sample.sample, []))
        if problems:
            raise InputError(problems)
        record = clinical.records.get(sample.sample)
        if record is None:
            warnings.append(f"the clinical table {ctx.config['clinical']} has no row for sample {sample.sample}: "
                            "laboratory values and treatment history are unknown")

    calls, merge_warnings = merge(
        evidence, igh_breakapart_excludes_partners=bool(fish_cfg.get("igh_breakapart_negative_excludes_partners", True))
    )
    warnings += merge_warnings
    risk = evaluate_all(calls, _labs(record), ctx.thresholds)
    history = treatment_history(record, ctx.drugs)
    lesions_json = {lid: calls[lid].to_json() for lid in LESION_IDS}
    kb_result = match_all(
        ctx.kb, variants if "SNV" in assessed else None, gene_states if "CNV" in assessed else None, lesions_json,
        vaf_floor=ctx.config.get("snv", {}).get("vaf_floor", 0.05),
    )
    therapy = therapy_view(kb_result.findings, lesions_json, history, kb=ctx.kb, inputs_read=assessed,
                           gene_states=gene_states if "CNV" in assessed else None)

    inputs = [
        {"kind": kind, "path": path, "sha256": sha256_of(path)} for kind, path in sample.inputs().items()
    ]
    if record is not None or clinical is not None:
        cpath = str(ctx.config["clinical"])
        inputs.append({"kind": "clinical", "path": cpath, "sha256": sha256_of(cpath)})

    labs: dict[str, Any] | None = None
    if record is not None:
        labs = {
            "b2m_mg_l": record.b2m_mg_l,
            "albumin_g_dl": record.albumin_g_dl,
            "ldh_u_l": record.ldh_u_l,
            "ldh_uln_u_l": record.ldh_uln_u_l,
            "ldh_high": record.ldh_high,
            "creatinine_mg_dl": record.creatinine_mg_dl,
            "prior_lines": record.prior_lines,
            "source": f"{record.path}:{record.line}",
        }

    return {
        "schema_version": SCHEMA_VERSION,
        "sample": sample.sample,
        "patient": sample.patient,
        "build": sample.build,
        "timepoint": sample.timepoint,
        "collection_date": sample.collection_date,
        "purity": sample.purity,
        "assessed_by": assessed,
        "lesions": lesions_json,
        "variants": variants,
        "gene_copy_states": gene_states,
        "copy_number_profile": cn_profile,
        "risk": risk,
        "findings": kb_result.findings,
        "findings_below_vaf_floor": kb_result.below_floor,
        "therapy": therapy,
        "refractory": history,
        "clinical": labs,
        "warnings": warnings,
        "provenance": {
            "workflow_version": __version__,
            "knowledge_base_version": f"{ctx.kb.version} ({ctx.kb.date})",
            "resources": ctx.resources_provenance(),
            "inputs": inputs,
            "software": software_versions(),
            # the effective configuration (defaults filled in) that produced these calls
            "config": {**dict(ctx.config), "risk": ctx.thresholds.as_dict()},
        },
        "research_use_only": RESEARCH_USE,
    }
