"""Clonal evolution: what changed between a patient's samples (diagnosis, relapse, ...).

Pure functions of the per-sample evaluations (``evaluation.json``: ok with its
result, or failed with its reason), each parsed once by :func:`timepoints` into typed records
(:mod:`mmrisk.records_json`) that the comparison reads field by field. For each lesion, each reported somatic
variant and each knowledge-base finding, every timepoint gets a state, and
every timepoint after the first a change against the latest earlier timepoint
where the item was assessed:

- lesions: ``present`` / ``absent`` / ``not_assessed`` (the sample's own lesion call);
- variants: ``detected`` / ``not_detected`` / ``not_assessed``. A variant missing from a
  timepoint is ``not_detected`` only when that timepoint had a small-variant file (its
  panel genes were read); without one, or when the sample failed, it is ``not_assessed``.
  Polymorphisms (population AF, benign list) are germline and left out.

Changes: ``first`` (first timepoint assessed), ``gained``, ``lost``, ``persisting``,
``absent`` (absent at both), ``not_assessed``. An item's overall change compares the
first and last timepoints where it was assessed.

Cancer cell fraction of a variant, where purity is known: CCF = VAF × (p·CN + 2(1−p)) / p,
i.e. one mutated copy among CN tumour copies (CN from the gene's copy state when a CNV
file gave one, else 2, said so in ``ccf_basis``); values above 1 are capped at 1 and
flagged (more than one mutated copy, e.g. after loss of the other allele).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from .cellfraction import ccf
from .diseaseactivity import DiseaseActivity
from .lesions import LESION_IDS, LESIONS, LesionCall
from .patientcourse import first_seen, patient_course, tie
from .records_json import Evaluation, FindingRecord, SampleRecord, read_evaluation
from .snv import SmallVariant

#: Risk systems compared between timepoints: key in risk.json, label (the call is read by records_json).
RISK_SYSTEMS: tuple[tuple[str, str], ...] = (
    ("imwg2025", "IMWG 2025"),
    ("msmart3", "mSMART 3.0"),
    ("r2iss", "R2-ISS"),
    ("riss", "R-ISS"),
    ("iss", "ISS"),
)
GERMLINE_FLAGS = frozenset({"polymorphism", "benign_list"})
#: Which input kind speaks for a finding's source.
SOURCE_INPUT = {"SNV": "snv_vcf", "CNV": "cnv", "SV": "sv_vcf", "FISH": "fish"}
TSV_COLUMNS = ("patient", "kind", "item", "order", "sample", "timepoint", "collection_date", "state", "value",
               "ccf", "change", "since", "overall", "detail")
HISTORY_WORDS = {"refractory": "refractory to", "exposed": "exposed to", "not_exposed": "not exposed to"}


@dataclass(frozen=True)
class Timepoint:
    """One sample of a patient, in the patient's order, with its evaluation as typed records."""

    order: int
    sample: str
    timepoint: str | None
    collection_date: str | None
    status: str  # ok / failed
    error: str | None
    result: SampleRecord | None  # the evaluation's records when ok
    inputs: frozenset[str]  # input kinds given for the sample
    course: Mapping[str, Any] | None = None  # risk.json ``course`` (lines of therapy at the sample), when ok
    activity: DiseaseActivity | None = None  # risk.json ``clinical.disease_activity``, when ok

    @property
    def label(self) -> str:
        return self.timepoint or self.sample

    @property
    def purity(self) -> float | None:
        return self.result.purity if self.result is not None else None

    @property
    def lesions(self) -> dict[str, LesionCall]:
        """The sample's lesion calls; a failed sample's are all not assessed."""
        return self.result.lesions if self.result is not None else {lid: LesionCall(lid) for lid in LESION_IDS}

    @property
    def variants(self) -> list[SmallVariant]:
        return self.result.variants if self.result is not None else []

    @property
    def findings(self) -> list[FindingRecord]:
        return self.result.findings if self.result is not None else []

    def to_json(self) -> dict[str, Any]:
        return {"order": self.order, "sample": self.sample, "timepoint": self.timepoint,
                "collection_date": self.collection_date, "status": self.status, "error": self.error,
                "purity": self.purity, "inputs": sorted(self.inputs)}


def order_samples(samples: Iterable[Any]) -> list[Any]:
    """A patient's samples in time order: by ``collection_date`` when every sample has one,
    else by their order in the sample sheet (``order``), which also breaks date ties."""
    rows = list(samples)
    if rows and all(getattr(s, "collection_date", None) for s in rows):
        return sorted(rows, key=lambda s: (dt.date.fromisoformat(s.collection_date), s.order))
    return sorted(rows, key=lambda s: s.order)


def patients_with_timepoints(samples: Iterable[Any]) -> dict[str, list[Any]]:
    """Patients with two or more samples, each with its samples in time order."""
    by: dict[str, list[Any]] = {}
    for s in samples:
        by.setdefault(s.patient, []).append(s)
    return {p: order_samples(ss) for p, ss in sorted(by.items()) if len(ss) >= 2}


def timepoints(evaluations: Sequence[Mapping[str, Any]], sheet_rows: Sequence[Mapping[str, Any]]) -> list[Timepoint]:
    """Pair each ordered sheet row (``sample``, ``timepoint``, ``collection_date``, ``inputs``)
    with its evaluation (an ``evaluation.json`` object, matched by sample id), each parsed once
    into typed records (:func:`mmrisk.records_json.read_evaluation`)."""
    by_sample = {e["sample"]: e for e in evaluations}
    out = []
    for i, row in enumerate(sheet_rows, start=1):
        sid = row["sample"]
        ev = (read_evaluation(by_sample[sid]) if sid in by_sample
              else Evaluation(sid, "failed", "no evaluation found", None))
        doc = (by_sample.get(sid) or {}).get("result") if ev.result is not None else None
        clinical = (doc or {}).get("clinical") or {}
        out.append(Timepoint(i, sid, row.get("timepoint"), row.get("collection_date"), ev.status, ev.error,
                             ev.result, frozenset(row.get("inputs") or ()), (doc or {}).get("course"),
                             DiseaseActivity.from_json(clinical.get("disease_activity"))))
    return out


# ------------------------------------------------------------------------------------------- changes

def _change(prev: str | None, cur: str) -> str:
    """Change of one item from its latest earlier assessed state (``present``/``absent``) to ``cur``."""
    if cur == "not_assessed":
        return "not_assessed"
    if prev is None:
        return "first"
    return {("absent", "present"): "gained", ("present", "absent"): "lost",
            ("present", "present"): "persisting", ("absent", "absent"): "absent"}[(prev, cur)]


def _overall(states: Sequence[str]) -> str:
    """First vs last assessed state of an item across timepoints."""
    seen = [s for s in states if s != "not_assessed"]
    if len(seen) < 2:
        return "not_assessed"
    first, last = seen[0], seen[-1]
    if first == "absent" and last == "present":
        return "gained"
    if first == "present" and last == "absent":
        return "lost"
    if first == "present" and last == "present":
        return "persisting" if all(s == "present" for s in seen) else "lost_and_regained"
    return "absent" if "present" not in seen else "transient"


def _track(states: Sequence[str]) -> list[tuple[str, str | None]]:
    """(change, since-index) per timepoint: compared with the latest earlier assessed timepoint."""
    out: list[tuple[str, str | None]] = []
    prev: tuple[str, int] | None = None
    for i, s in enumerate(states):
        out.append((_change(prev[0] if prev else None, s), None if prev is None or s == "not_assessed" else str(prev[1])))
        if s != "not_assessed":
            prev = (s, i)
    return out


def _norm(state: str) -> str:
    return {"detected": "present", "not_detected": "absent"}.get(state, state)


def variant_key(v: SmallVariant) -> str:
    """A variant's name across timepoints: gene and protein change, else gene and genomic change."""
    gene = v.gene or "?"
    if v.hgvsp:
        return f"{gene} {v.hgvsp}"
    return f"{gene} {v.chrom}:{v.pos} {v.ref}>{v.alt}"


def _somatic(v: SmallVariant) -> bool:
    return not GERMLINE_FLAGS & set(v.flags)


def _variant_state(tp: Timepoint, key: str) -> tuple[str, SmallVariant | None]:
    if tp.result is None or "snv_vcf" not in tp.inputs:
        return "not_assessed", None
    for v in tp.result.variants:
        if variant_key(v) == key and _somatic(v):
            return "detected", v
    return "not_detected", None


def _finding_key(f: FindingRecord) -> str:
    if f.source == "lesion":
        return f"{f.rule_id}: {f.alteration}"
    return f"{f.rule_id}: {f.gene} {f.alteration}"


def _finding_assessed(tp: Timepoint, f: FindingRecord) -> bool:
    if tp.result is None:
        return False
    if f.source == "lesion":
        lesions = tp.result.lesions
        return f.alteration in lesions and lesions[f.alteration].status != "not_assessed"
    kind = SOURCE_INPUT.get(f.source)
    return kind in tp.inputs if kind else False


def _history(tp: Timepoint, drug_classes: Sequence[str]) -> str:
    """What the treatment history (from the lines of therapy, else the clinical table) says about the patient's
    exposure to a finding's drug classes at ``tp``."""
    if not drug_classes:
        return "prognostic finding, no drug class"
    if tp.result is None or tp.result.history.refractory_class is None:
        return f"treatment history not given for {tp.sample}"
    by_class = tp.result.history.by_class
    parts = []
    for c in drug_classes:
        word = HISTORY_WORDS[by_class[c]] if by_class.get(c) in HISTORY_WORDS else "unknown for"
        parts.append(f"{word} {c.replace('_', ' ')}")
    source = "lines of therapy" if tp.course and tp.course.get("lines") else "clinical table"
    return "; ".join(parts) + f" ({source}, {tp.sample})"


def compare(patient: str, tps: Sequence[Timepoint]) -> dict[str, Any]:
    """Every lesion, variant, finding and risk call of one patient across its timepoints."""
    course = patient_course(patient, tps)
    lesions = _lesions(tps)
    variants = _variants(tps)
    findings = _findings(tps)
    for items, name in ((lesions, lambda x: LESIONS[x["item"]].label if x["item"] in LESIONS else x["item"]),
                        (variants, lambda x: x["item"]),
                        (findings, lambda x: f"{x['gene']} {x['alteration']}" if x["gene"] else x["alteration"])):
        for x in items:  # each item that emerged, tied to the line of therapy it emerged under
            x["first_seen"] = first_seen(str(name(x)), tps, x["cells"], course)
    for f in findings:
        if f["emerged"] and f["first_seen"]:
            f["emerged"].update(line=f["first_seen"]["line"], text=f["first_seen"]["text"])
    risk = _risk(tps)
    steps = _steps(tps, lesions, variants, findings, risk)
    for i, step in enumerate(steps, start=1):  # the line(s) of therapy given between the two timepoints
        step["course"] = tie(tps, i, i - 1, course)
    return {
        "patient": patient,
        "course": course,
        "timepoints": [tp.to_json() for tp in tps],
        "lesions": lesions,
        "variants": variants,
        "findings": findings,
        "risk": risk,
        "steps": steps,
        "summary": summary_line(steps),
    }


def _lesions(tps: Sequence[Timepoint]) -> list[dict[str, Any]]:
    """Each lesion's call per timepoint (a failed timepoint: not assessed)."""
    per_tp = [tp.lesions for tp in tps]
    out = []
    for lid in LESION_IDS:
        calls = [lesions[lid] for lesions in per_tp]
        cells = [{"state": c.status, "fraction": c.fraction, "copies": c.copies, "sources": list(c.sources)}
                 for c in calls]
        _attach(cells, [c["state"] for c in cells], tps)
        out.append({"item": lid, "cells": cells, "overall": _overall([c["state"] for c in cells])})
    return out


def _variants(tps: Sequence[Timepoint]) -> list[dict[str, Any]]:
    """Each somatic variant reported at some timepoint, per timepoint (with its cancer cell fraction)."""
    keys: list[str] = []
    for tp in tps:
        for v in tp.variants:
            k = variant_key(v)
            if _somatic(v) and k not in keys:
                keys.append(k)
    out = []
    for k in keys:
        cells = []
        for tp in tps:
            state, v = _variant_state(tp, k)
            cell: dict[str, Any] = {"state": state, "vaf": None, "depth": None, "ccf": None, "ccf_basis": None,
                                    "flags": [], "record": None}
            if v is not None and tp.result is not None:
                cell.update(_variant_cell(tp.result, v))
            elif state == "not_assessed":
                cell["reason"] = ("sample failed" if tp.status != "ok" else "no small-variant file")
            cells.append(cell)
        states = [_norm(c["state"]) for c in cells]
        _attach(cells, states, tps)
        out.append({"item": k, "gene": k.split(" ", 1)[0], "cells": cells, "overall": _overall(states)})
    return out


def _variant_cell(result: SampleRecord, v: SmallVariant) -> dict[str, Any]:
    """A detected variant's VAF, depth and cancer cell fraction (with what the CCF rests on)."""
    purity = result.purity
    states = result.gene_states
    copies = states[v.gene].copies if v.gene in states else None
    value, capped = ccf(v.vaf, purity, copies)
    basis = None
    if value is not None:
        basis = (f"purity {purity:g}, {copies:g} copies of {v.gene}" if copies is not None
                 else f"purity {purity:g}, 2 copies assumed (no copy number for {v.gene})")
        if capped:
            basis += "; capped at 1 (more than one mutated copy?)"
    return {"vaf": v.vaf, "depth": v.depth, "ccf": value, "ccf_basis": basis, "flags": list(v.flags),
            "record": v.record}


def _attach(cells: list[dict[str, Any]], states: Sequence[str], tps: Sequence[Timepoint]) -> None:
    for cell, (change, since) in zip(cells, _track(states)):
        cell["change"] = change
        cell["since"] = tps[int(since)].label if since is not None else None


def _findings(tps: Sequence[Timepoint]) -> list[dict[str, Any]]:
    """Knowledge-base findings per timepoint, and where each emerged (with the treatment history then)."""
    seen: dict[str, FindingRecord] = {}
    for tp in tps:
        for f in tp.findings:
            seen.setdefault(_finding_key(f), f)
    out = []
    for key, f in seen.items():
        cells = []
        for tp in tps:
            here = [g for g in tp.findings if _finding_key(g) == key]
            if here:
                cells.append({"state": "present", "vaf": here[0].vaf})
            else:
                cells.append({"state": "absent" if _finding_assessed(tp, f) else "not_assessed", "vaf": None})
        states = [c["state"] for c in cells]
        _attach(cells, states, tps)
        emerged = None
        for tp, cell in zip(tps, cells):
            if cell["change"] == "gained":
                emerged = {"sample": tp.sample, "timepoint": tp.label, "since": cell["since"],
                           "history": _history(tp, f.drug_classes)}
                break
        lesion = f.source == "lesion"
        out.append({"item": key, "gene": None if lesion else f.gene, "alteration": f.alteration,
                    "source": f.source,
                    "drug_classes": list(f.drug_classes), "effect": f.effect,
                    "evidence": f.evidence, "references": list(f.references),
                    "alias": f.alias, "cells": cells, "overall": _overall(states), "emerged": emerged})
    return out


def _risk(tps: Sequence[Timepoint]) -> list[dict[str, Any]]:
    out = []
    for key, label in RISK_SYSTEMS:
        cells = []
        for tp in tps:
            if tp.result is None:
                cells.append({"value": None, "state": "not_assessed", "criteria_met": [], "missing": []})
                continue
            r = tp.result.risk[key]
            cells.append({"value": r.value, "state": "not_evaluable" if r.value is None else "called",
                          "criteria_met": list(r.criteria_met), "missing": list(r.missing)})
        out.append({"system": key, "label": label, "cells": cells})
    return out


def _steps(tps: Sequence[Timepoint], lesions: Sequence[Mapping[str, Any]], variants: Sequence[Mapping[str, Any]],
           findings: Sequence[Mapping[str, Any]], risk: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What changed at each timepoint after the first, against the timepoint before it."""
    steps = []
    for i in range(1, len(tps)):
        tp, prev = tps[i], tps[i - 1]

        def changed(items: Iterable[Mapping[str, Any]], what: str) -> list[str]:
            return [str(x["item"]) for x in items if x["cells"][i]["change"] == what]

        risk_changes = []
        for r in risk:
            a, b = r["cells"][i - 1], r["cells"][i]
            if a["state"] == "called" and b["state"] == "called" and a["value"] != b["value"]:
                new = [c for c in b["criteria_met"] if c not in a["criteria_met"]]
                risk_changes.append({"system": r["label"], "from": a["value"], "to": b["value"], "by": new})
        steps.append({
            "from": prev.label, "to": tp.label, "from_sample": prev.sample, "to_sample": tp.sample,
            "status": tp.status,
            "gained": changed(lesions, "gained") + changed(variants, "gained"),
            "lost": changed(lesions, "lost") + changed(variants, "lost"),
            "persisting": changed(lesions, "persisting") + changed(variants, "persisting"),
            # items seen somewhere that this timepoint could not speak for
            "not_assessed": [str(x["item"]) for x in list(lesions) + list(variants)
                             if x["cells"][i]["state"] == "not_assessed"
                             and any(c["state"] in ("present", "detected") for c in x["cells"])],
            "emerged": [f for f in findings if f["emerged"] and f["emerged"]["sample"] == tp.sample],
            "risk": risk_changes,
        })
    return steps


def summary_line(steps: Sequence[Mapping[str, Any]]) -> str:
    """One line: what changed at each step (for the cohort page)."""
    parts = []
    for s in steps:
        bits = []
        if s["status"] != "ok":
            bits.append(f"{s['to_sample']} failed")
        if s["gained"]:
            bits.append("gained " + ", ".join(s["gained"]))
        if s["lost"]:
            bits.append("lost " + ", ".join(s["lost"]))
        for r in s["risk"]:
            bits.append(f"{r['system']} {r['from']} → {r['to']}")
        if s["emerged"]:
            bits.append("new findings: " + ", ".join(str(f["alteration"]) if f["gene"] in (None, "") else
                                                     f"{f['gene']} {f['alteration']}" for f in s["emerged"]))
        parts.append(f"{s['from']} → {s['to']}: " + ("; ".join(bits) if bits else "no change detected"))
    return " | ".join(parts)


# ------------------------------------------------------------------------------------------- tables

def evolution_rows(ev: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Long table: one row per item and timepoint (lesion, variant, finding, risk)."""
    tps = ev["timepoints"]
    rows: list[dict[str, Any]] = []

    def base(kind: str, item: str, i: int, overall: str | None) -> dict[str, Any]:
        tp = tps[i]
        return {"patient": ev["patient"], "kind": kind, "item": item, "order": tp["order"], "sample": tp["sample"],
                "timepoint": tp["timepoint"], "collection_date": tp["collection_date"], "overall": overall}

    def emerged_here(x: Mapping[str, Any], i: int) -> str:
        seen = x.get("first_seen")
        return seen["text"] if seen and seen["sample"] == tps[i]["sample"] else ""

    def joined(*parts: str) -> str:
        return "; ".join(p for p in parts if p)

    for x in ev["lesions"]:
        for i, c in enumerate(x["cells"]):
            detail = joined(",".join(c["sources"]) if c["sources"] else ("sample failed" if tps[i]["status"] != "ok"
                                                                          else ""), emerged_here(x, i))
            rows.append({**base("lesion", x["item"], i, x["overall"]), "state": c["state"], "value": c["fraction"],
                         "ccf": None, "change": c["change"], "since": c["since"], "detail": detail})
    for x in ev["variants"]:
        for i, c in enumerate(x["cells"]):
            detail = joined(c.get("ccf_basis") or c.get("reason") or "", emerged_here(x, i))
            rows.append({**base("variant", x["item"], i, x["overall"]), "state": c["state"], "value": c["vaf"],
                         "ccf": c["ccf"], "change": c["change"], "since": c["since"], "detail": detail})
    for x in ev["findings"]:
        for i, c in enumerate(x["cells"]):
            detail = joined(x["emerged"]["history"], emerged_here(x, i)) if x["emerged"] and \
                x["emerged"]["sample"] == tps[i]["sample"] else ""
            rows.append({**base("finding", x["item"], i, x["overall"]), "state": c["state"], "value": c["vaf"],
                         "ccf": None, "change": c["change"], "since": c["since"], "detail": detail})
    for r in ev["risk"]:
        for i, c in enumerate(r["cells"]):
            prev = r["cells"][i - 1] if i else None
            change = ("first" if i == 0 else "not_assessed" if c["state"] == "not_assessed" or prev["state"] == "not_assessed"
                      else "unchanged" if c["value"] == prev["value"] else f"{prev['value']} → {c['value']}")
            rows.append({**base("risk", r["system"], i, None), "state": c["state"], "value": c["value"], "ccf": None,
                         "change": change, "since": None,
                         "detail": "; ".join(c["criteria_met"]) or ("missing: " + ", ".join(c["missing"]) if c["missing"] else "")})
    return rows
