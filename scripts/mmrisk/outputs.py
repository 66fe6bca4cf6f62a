"""Writing the contract's per-sample and cohort tables and JSON: the one place records become dicts.

:func:`risk_document` turns a sample's typed :class:`~mmrisk.result.SampleResult` into the
risk.json object (validated against ``workflow/schemas/risk.schema.json`` when written);
``lesions.tsv``, ``variants.tsv`` and the cohort's ``summary.tsv`` are made from that object.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from jsonschema import Draft202012Validator

from .kb import EXCLUDING_FLAGS, load_driver_genes, variant_alteration
from .lesions import LESION_IDS
from .resources import SCHEMA_DIR
from .result import SampleResult

SCHEMA_VERSION = 1
RESEARCH_USE = (
    "For research use only. Not for diagnostic use. This report describes genomic findings and "
    "their published associations; it does not recommend any treatment."
)

LESION_COLUMNS = ("lesion", "status", "fraction", "copies", "allelic", "sources", "discordant")
VARIANT_COLUMNS = ("gene", "chrom", "pos", "ref", "alt", "consequence", "hgvsp", "vaf", "depth", "filter", "kb_match",
                   "transcript", "hgvsc", "population_af", "flags", "record", "driver_gene")
SUMMARY_COLUMNS = (
    "sample", "patient", "timepoint", "status",
    "imwg2025", "imwg2025_criteria", "imwg2025_missing",
    "msmart3", "msmart3_hits", "r2iss", "r2iss_score", "riss", "iss",
    "lesions_present", "lesions_not_assessed", "lesions_discordant", "resistance_findings",
    "reduced_sensitivity", "possible_benefit", "refractory", "warnings",
)
NA = "NA"


@lru_cache(maxsize=1)  # once per process: a batch job validates many samples' documents
def _risk_validator() -> Draft202012Validator:
    with open(SCHEMA_DIR / "risk.schema.json", encoding="utf-8") as fh:
        return Draft202012Validator(json.load(fh))


def validate_risk(doc: Mapping[str, Any]) -> list[str]:
    """Schema errors of a risk.json document (empty when valid)."""
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
        for e in _risk_validator().iter_errors(doc)
    ]


def dumps_json(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write_risk_json(doc: Mapping[str, Any], path: str | Path) -> None:
    """Write risk.json after validating it; an invalid document is a bug."""
    errors = validate_risk(doc)
    if errors:
        raise ValueError("risk.json does not match workflow/schemas/risk.schema.json:\n" + "\n".join(errors[:20]))
    Path(path).write_text(dumps_json(doc), encoding="utf-8")


@lru_cache(maxsize=1)
def _driver_genes() -> dict[str, str]:
    return load_driver_genes()


def _variant_json(result: SampleResult) -> list[dict[str, Any]]:
    out = []
    for i, v in enumerate(result.variants):
        row = asdict(v)
        row["kb_match"] = ";".join(result.kb_matches.get(i, []))
        out.append(row)
    return out


def driver_variants(result: SampleResult) -> list[dict[str, Any]]:
    """Reported variants in myeloma driver genes: context, no drug class (``driver_gene_variants``)."""
    drivers = _driver_genes()
    return [{"gene": v.gene, "alteration": variant_alteration(v), "role": drivers[v.gene], "vaf": v.vaf}
            for v in result.variants if v.gene in drivers and not EXCLUDING_FLAGS & set(v.flags)]


def _gene_states_json(result: SampleResult) -> dict[str, Any]:
    # the chromosome is for the plots; the contract's gene_copy_states carry the state and copies
    return {g: {k: v for k, v in asdict(st).items() if k != "chrom"}
            for g, st in (result.gene_states or {}).items()}


def _clinical_json(result: SampleResult) -> dict[str, Any] | None:
    record = result.clinical
    if record is None:
        return None
    return {
        "b2m_mg_l": record.b2m_mg_l, "albumin_g_dl": record.albumin_g_dl, "ldh_u_l": record.ldh_u_l,
        "ldh_uln_u_l": record.ldh_uln_u_l, "ldh_high": record.ldh_high, "creatinine_mg_dl": record.creatinine_mg_dl,
        "prior_lines": record.prior_lines, "source": f"{record.path}:{record.line}",
        "disease_activity": None if record.activity is None else record.activity.to_json(),
    }


def risk_document(result: SampleResult) -> dict[str, Any]:
    """The contract's ``risk.json`` object of one sample."""
    s, p = result.sample, result.provenance
    profile = result.profile
    return {
        "schema_version": SCHEMA_VERSION,
        "sample": s.sample, "patient": s.patient, "build": s.build, "timepoint": s.timepoint,
        "collection_date": s.collection_date, "purity": s.purity,
        "assessed_by": list(result.assessed_by),
        "lesions": {lid: result.lesions[lid].to_json() for lid in LESION_IDS},
        "variants": _variant_json(result),
        "gene_copy_states": _gene_states_json(result),
        "copy_number_profile": None if profile is None else {
            "build": profile.build, "segments": [list(seg) for seg in profile.segments],
            "truncated": profile.truncated, "loci": {g: [c, pos] for g, c, pos in profile.loci}},
        "risk": result.risk.to_json(),
        "findings": [f.to_json() for f in result.findings],
        "findings_below_vaf_floor": [f.to_json() for f in result.below_floor],
        "therapy": [t.to_json() for t in result.therapy],
        "driver_gene_variants": driver_variants(result),
        "refractory": result.history.to_json(),
        "clinical": _clinical_json(result),
        "course": None if result.course is None else result.course.to_json(),
        "warnings": list(result.warnings),
        "genes_not_assessed": dict(result.genes_not_assessed),
        "provenance": {
            "workflow_version": p.workflow_version,
            "knowledge_base_version": p.knowledge_base_version,
            "resources": [asdict(r) for r in p.resources],
            "inputs": [asdict(i) for i in p.inputs],
            "software": dict(p.software),
            # the effective configuration (defaults filled in) that produced these calls
            "config": result.settings.effective_config(),
        },
        "research_use_only": RESEARCH_USE,
    }


def _fmt(v: Any) -> str:
    if v is None:
        return NA
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, (list, tuple)):
        return ";".join(str(x) for x in v) if v else NA
    return str(v)


def _tsv_line(cells: Iterable[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow(cells)
    return buf.getvalue()


def tsv_header(columns: Sequence[str]) -> str:
    """The first line of a TSV of ``columns`` (:func:`tsv`), for a table written row by row."""
    return _tsv_line(columns)


def tsv_row(r: Mapping[str, Any], columns: Sequence[str]) -> str:
    """One line of a TSV of ``columns`` (:func:`tsv`), for a table written row by row."""
    return _tsv_line(_fmt(r.get(c)).replace("\t", " ").replace("\n", " ") for c in columns)


def tsv(rows: Iterable[Mapping[str, Any]], columns: Iterable[str]) -> str:
    cols = list(columns)
    return tsv_header(cols) + "".join(tsv_row(r, cols) for r in rows)


def lesions_tsv(doc: Mapping[str, Any]) -> str:
    rows = []
    for lid in LESION_IDS:
        le = doc["lesions"][lid]
        rows.append({"lesion": lid, **{k: le.get(k) for k in LESION_COLUMNS[1:]}})
    return tsv(rows, LESION_COLUMNS)


def variants_tsv(doc: Mapping[str, Any]) -> str:
    """variants.tsv: the contract's columns, then transcript, HGVS c., population AF, flags and record."""
    rows = []
    for v in doc.get("variants", []):
        row = dict(v)
        row["consequence"] = "&".join(v.get("consequence") or []) or NA
        row["kb_match"] = v.get("kb_match") or NA
        row["driver_gene"] = "yes" if v.get("gene") in _driver_genes() else "no"  # context: resources/driver_genes.tsv
        rows.append(row)
    return tsv(rows, VARIANT_COLUMNS)


def summary_row(sample: Mapping[str, Any], doc: Mapping[str, Any] | None, error: str | None) -> dict[str, Any]:
    """One row of cohort/summary.tsv: the sample's calls, or its failure."""
    row: dict[str, Any] = {
        "sample": sample["sample"],
        "patient": sample.get("patient"),
        "timepoint": sample.get("timepoint"),
    }
    if doc is None:
        row["status"] = f"failed: {error}"
        return row
    r = doc["risk"]
    row.update({
        "status": "ok",
        "knowledge_base": (doc.get("provenance") or {}).get("knowledge_base_version"),  # the cohort page's header
        "imwg2025": r["imwg2025"]["call"],
        "imwg2025_criteria": r["imwg2025"]["criteria_met"],
        "imwg2025_missing": r["imwg2025"]["missing"],
        "msmart3": r["msmart3"]["call"],
        "msmart3_hits": r["msmart3"]["hits"],
        "r2iss": r["r2iss"]["stage"],
        "r2iss_score": r["r2iss"]["score"],
        "riss": r["riss"]["stage"],
        "iss": r["iss"]["stage"],
        "lesions_present": [k for k, v in doc["lesions"].items() if v["status"] == "present"],
        "lesions_not_assessed": [k for k, v in doc["lesions"].items() if v["status"] == "not_assessed"],
        "lesions_discordant": [k for k, v in doc["lesions"].items() if v.get("discordant")],
        "resistance_findings": [f"{f['gene']} {f['alteration']}" for f in doc["findings"]
                                if f["effect"] == "resistance"],
        "reduced_sensitivity": [t["drug_class"] for t in doc["therapy"] if t["status"] == "reduced_sensitivity"],
        "possible_benefit": [t["drug_class"] for t in doc["therapy"] if t["status"] == "possible_benefit"],
        "refractory": doc["refractory"]["class"],
        "warnings": len(doc["warnings"]),
    })
    return row
