"""Clonal evolution between a patient's timepoints: the pure functions and the demo patient DP17.

The unit tests build evaluations in the shape ``evaluate_sample`` writes (only the keys the
comparison reads); the workflow tests read the real demo run (DEMO-17 diagnosis, DEMO-18 first
relapse, DEMO-19 second relapse with FISH only).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, copy_project_inputs, run_snakemake
from mmrisk import cellfraction, evolution
from mmrisk.lesions import LESION_IDS


# ------------------------------------------------------------------------------------------ helpers

def _doc(lesions: dict[str, tuple[str, float | None]], variants: list[dict] | None = None, *,
         purity: float | None = None, findings: list[dict] | None = None, imwg: str = "standard",
         criteria: list[str] | None = None, history: dict | None = None, copies: dict | None = None) -> dict:
    les = {lid: {"status": "not_assessed", "fraction": None, "sources": []} for lid in LESION_IDS}
    for lid, (status, frac) in lesions.items():
        les[lid] = {"status": status, "fraction": frac, "sources": ["FISH"]}
    return {
        "lesions": les, "variants": variants or [], "purity": purity, "findings": findings or [],
        "gene_copy_states": {g: {"gene": g, "state": "gain", "copies": c} for g, c in (copies or {}).items()},
        "risk": {"imwg2025": {"call": imwg, "criteria_met": criteria or [], "missing": []},
                 "msmart3": {"call": imwg, "criteria_met": [], "missing": []},
                 "r2iss": {"stage": "I", "missing": []}, "riss": {"stage": "I", "missing": []},
                 "iss": {"stage": "I", "missing": []}},
        "refractory": history or {"class": None, "by_class": {}},
    }


def _var(gene: str, hgvsp: str, vaf: float, flags: list[str] | None = None) -> dict:
    return {"gene": gene, "hgvsp": hgvsp, "vaf": vaf, "depth": 100, "flags": flags or [], "record": "x.vcf:1",
            "chrom": "chr1", "pos": 1, "ref": "A", "alt": "G", "consequence": ["missense_variant"], "filter": "PASS"}


def _tps(*specs: tuple[str, dict | None, tuple[str, ...]]) -> list[evolution.Timepoint]:
    evals, rows = [], []
    for i, (name, doc, inputs) in enumerate(specs):
        sid = f"S{i}"
        evals.append({"sample": sid, "status": "ok", "result": doc} if doc is not None
                     else {"sample": sid, "status": "failed", "error": "x.tsv, line 3: bad"})
        rows.append({"sample": sid, "timepoint": name, "collection_date": None, "inputs": list(inputs)})
    return evolution.timepoints(evals, rows)


def _cells(items: list[dict], name: str) -> list[dict]:
    return next(x for x in items if x["item"] == name)["cells"]


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


# --------------------------------------------------------------------------------------- unit tests

def test_gain_loss_persistence_of_lesions_and_variants():
    dx = _doc({"del(17p)": ("absent", None), "t(4;14)": ("present", 0.6), "gain(1q)": ("present", 0.3)},
              [_var("NRAS", "p.Gln61Arg", 0.3), _var("KRAS", "p.Gly12Asp", 0.1)])
    rel = _doc({"del(17p)": ("present", 0.5), "t(4;14)": ("present", 0.7), "gain(1q)": ("absent", None)},
               [_var("NRAS", "p.Gln61Arg", 0.4), _var("TP53", "p.Arg175His", 0.45)])
    ev = evolution.compare("P", _tps(("diagnosis", dx, ("fish", "snv_vcf")), ("relapse", rel, ("fish", "snv_vcf"))))
    lesions = {x["item"]: x for x in ev["lesions"]}
    assert lesions["del(17p)"]["overall"] == "gained" and lesions["del(17p)"]["cells"][1]["change"] == "gained"
    assert lesions["t(4;14)"]["overall"] == "persisting"
    assert lesions["gain(1q)"]["overall"] == "lost"
    variants = {x["item"]: x for x in ev["variants"]}
    assert variants["NRAS p.Gln61Arg"]["overall"] == "persisting"
    assert variants["KRAS p.Gly12Asp"]["overall"] == "lost"
    assert variants["KRAS p.Gly12Asp"]["cells"][1]["state"] == "not_detected"
    assert variants["TP53 p.Arg175His"]["overall"] == "gained"
    assert variants["TP53 p.Arg175His"]["cells"][0]["state"] == "not_detected"
    step = ev["steps"][0]
    assert {"del(17p)", "TP53 p.Arg175His"} <= set(step["gained"])
    assert {"gain(1q)", "KRAS p.Gly12Asp"} <= set(step["lost"])
    assert "NRAS p.Gln61Arg" in step["persisting"]


def test_variant_without_a_small_variant_file_is_not_assessed_never_not_detected():
    dx = _doc({}, [_var("TP53", "p.Arg248Gln", 0.4)])
    rel = _doc({"del(17p)": ("present", 0.8)})  # FISH only
    ev = evolution.compare("P", _tps(("dx", dx, ("snv_vcf",)), ("rel", rel, ("fish",))))
    cell = _cells(ev["variants"], "TP53 p.Arg248Gln")[1]
    assert cell["state"] == "not_assessed" and cell["change"] == "not_assessed"
    assert cell["reason"] == "no small-variant file"
    assert _cells(ev["variants"], "TP53 p.Arg248Gln")[0]["state"] == "detected"
    assert ev["variants"][0]["overall"] == "not_assessed"  # one assessed timepoint: nothing to compare
    assert "TP53 p.Arg248Gln" in ev["steps"][0]["not_assessed"]
    assert "lost" not in ev["summary"]


def test_a_failed_timepoint_is_not_assessed_and_later_ones_compare_with_the_last_assessed():
    dx = _doc({"del(17p)": ("absent", None)}, [])
    rel2 = _doc({"del(17p)": ("present", 0.6)}, [])
    ev = evolution.compare("P", _tps(("dx", dx, ("fish",)), ("rel1", None, ("fish",)), ("rel2", rel2, ("fish",))))
    cells = _cells(ev["lesions"], "del(17p)")
    assert [c["state"] for c in cells] == ["absent", "not_assessed", "present"]
    assert cells[2]["change"] == "gained" and cells[2]["since"] == "dx"
    assert ev["timepoints"][1]["status"] == "failed" and "line 3" in ev["timepoints"][1]["error"]
    assert ev["risk"][0]["cells"][1]["state"] == "not_assessed"
    assert "S1 failed" in ev["summary"]


def test_polymorphisms_are_left_out():
    dx = _doc({}, [_var("TP53", "p.Pro72Arg", 0.5, ["polymorphism", "benign_list"])])
    rel = _doc({}, [])
    ev = evolution.compare("P", _tps(("dx", dx, ("snv_vcf",)), ("rel", rel, ("snv_vcf",))))
    assert ev["variants"] == []


def test_risk_change_names_the_criteria_now_met():
    dx = _doc({"del(17p)": ("absent", None)}, imwg="standard")
    rel = _doc({"del(17p)": ("present", 0.5)}, imwg="high", criteria=["del(17p) in > 20% of tumour cells"])
    ev = evolution.compare("P", _tps(("dx", dx, ("fish",)), ("rel", rel, ("fish",))))
    change = next(r for r in ev["steps"][0]["risk"] if r["system"] == "IMWG 2025")
    assert (change["from"], change["to"], change["by"]) == ("standard", "high", ["del(17p) in > 20% of tumour cells"])
    assert "IMWG 2025 standard → high" in ev["summary"]


def test_emerged_finding_is_tied_to_the_treatment_history():
    finding = {"rule_id": "R1", "gene": "PSMB5", "alteration": "p.Ala108Thr", "source": "SNV", "vaf": 0.2,
               "drug_classes": ["proteasome_inhibitor"], "effect": "resistance", "evidence": "preclinical",
               "references": ["X et al., J 2009; PMID 1"]}
    dx = _doc({}, [])
    rel = _doc({}, [_var("PSMB5", "p.Ala108Thr", 0.2)], findings=[finding],
               history={"class": "refractory", "by_class": {"proteasome_inhibitor": "refractory"}})
    ev = evolution.compare("P", _tps(("dx", dx, ("snv_vcf",)), ("rel", rel, ("snv_vcf",))))
    f = ev["findings"][0]
    assert f["emerged"]["timepoint"] == "rel" and f["emerged"]["since"] == "dx"
    assert "refractory to proteasome inhibitor" in f["emerged"]["history"]
    # without a small-variant file at diagnosis the finding cannot be said to have emerged
    ev = evolution.compare("P", _tps(("dx", _doc({}, []), ("fish",)), ("rel", rel, ("snv_vcf",))))
    assert ev["findings"][0]["emerged"] is None
    assert ev["findings"][0]["cells"][0]["state"] == "not_assessed"
    # no clinical history: said so
    rel_nohist = _doc({}, [_var("PSMB5", "p.Ala108Thr", 0.2)], findings=[finding])
    ev = evolution.compare("P", _tps(("dx", dx, ("snv_vcf",)), ("rel", rel_nohist, ("snv_vcf",))))
    assert ev["findings"][0]["emerged"]["history"] == "treatment history not given for S1"


@pytest.mark.parametrize("vaf,purity,copies,expect,capped", [
    (0.4, 0.8, None, 1.0, False),       # 0.4 * (1.6 + 0.4) / 0.8 = 1.0
    (0.2, 0.5, None, 0.8, False),       # 0.2 * (1 + 1) / 0.5
    (0.3, 0.6, 1.0, 0.7, False),        # 0.3 * (0.6 + 0.8) / 0.6
    (0.45, 0.85, None, 1.0, True),      # 1.059 -> capped
    (0.3, None, None, None, False),     # purity unknown
])
def test_cancer_cell_fraction(vaf, purity, copies, expect, capped):
    value, was_capped = cellfraction.ccf(vaf, purity, copies)
    assert (value if value is None else round(value, 3)) == expect and was_capped is capped


@dataclass
class _S:
    sample: str
    patient: str
    collection_date: str | None
    order: int
    timepoint: str | None = None


def test_order_by_date_else_by_sheet():
    a, b, c = _S("A", "P", "2024-05-01", 0), _S("B", "P", "2023-01-01", 1), _S("C", "Q", None, 2)
    assert [s.sample for s in evolution.order_samples([a, b])] == ["B", "A"]
    b_nodate = _S("B", "P", None, 1)
    assert [s.sample for s in evolution.order_samples([b_nodate, a])] == ["A", "B"]  # sheet order
    pats = evolution.patients_with_timepoints([a, b, c])
    assert list(pats) == ["P"] and [s.sample for s in pats["P"]] == ["B", "A"]


def test_evolution_rows_cover_every_item_and_timepoint():
    dx = _doc({"del(17p)": ("absent", None)}, [_var("NRAS", "p.Gln61Arg", 0.3)], purity=0.8)
    rel = _doc({"del(17p)": ("present", 0.5)}, [_var("NRAS", "p.Gln61Arg", 0.25)], purity=0.8,
               copies={"NRAS": 3.0})
    ev = evolution.compare("P", _tps(("dx", dx, ("snv_vcf", "fish")), ("rel", rel, ("snv_vcf", "fish"))))
    rows = evolution.evolution_rows(ev)
    assert len([r for r in rows if r["kind"] == "lesion"]) == 2 * len(LESION_IDS)
    nras = [r for r in rows if r["item"] == "NRAS p.Gln61Arg"]
    assert [r["change"] for r in nras] == ["first", "persisting"]
    assert nras[1]["ccf"] == pytest.approx(0.25 * (0.8 * 3 + 0.4) / 0.8, abs=1e-3)  # 0.875
    assert "3 copies of NRAS" in nras[1]["detail"] and "2 copies assumed" in nras[0]["detail"]


# ------------------------------------------------------------------------------ the demo patient DP17

def _evo(demo_run: Path) -> dict[tuple[str, str], list[dict[str, str]]]:
    rows = read_tsv(demo_run / "patients" / "DP17" / "evolution.tsv")
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for r in rows:
        out.setdefault((r["kind"], r["item"]), []).append(r)
    return out


def test_demo_patient_evolution_table(demo_run: Path):
    evo = _evo(demo_run)
    order = [r["sample"] for r in evo[("lesion", "del(17p)")]]
    assert order == ["DEMO-17", "DEMO-18", "DEMO-19"]
    assert [r["change"] for r in evo[("lesion", "del(17p)")]] == ["first", "gained", "persisting"]
    assert evo[("lesion", "gain(1q)")][2]["change"] == "gained"
    assert [r["state"] for r in evo[("variant", "NRAS p.Gln61Arg")]] == ["detected", "detected", "not_assessed"]
    assert evo[("variant", "NRAS p.Gln61Arg")][1]["change"] == "persisting"
    kras = evo[("variant", "KRAS p.Gly12Asp")]
    assert [r["state"] for r in kras] == ["detected", "not_detected", "not_assessed"]
    assert kras[1]["change"] == "lost" and kras[0]["overall"] == "lost"
    tp53 = evo[("variant", "TP53 p.Arg175His")]
    assert [r["state"] for r in tp53] == ["not_detected", "detected", "not_assessed"] and tp53[1]["change"] == "gained"
    assert float(tp53[1]["ccf"]) == pytest.approx(float(tp53[1]["value"]) * 2 / 0.85, abs=1e-3)
    psmb5 = evo[("finding", "PSMB5_A108T_PI: PSMB5 p.Ala108Thr")]
    assert psmb5[1]["change"] == "gained" and "refractory to proteasome inhibitor" in psmb5[1]["detail"]
    imwg = evo[("risk", "imwg2025")]
    assert [r["value"] for r in imwg] == ["standard", "high", "high"] and imwg[1]["change"] == "standard → high"
    assert not any(("variant", k[1]) == k and "TP53 p.Pro72Arg" in k[1] for k in evo)  # polymorphism left out


def test_demo_patient_page_links_both_ways(demo_run: Path):
    page = (demo_run / "patients" / "DP17" / "evolution.html").read_text(encoding="utf-8")
    for s in ("DEMO-17", "DEMO-18", "DEMO-19"):
        assert f'href="../../samples/{s}/report.html"' in page
        report = (demo_run / "samples" / s / "report.html").read_text(encoding="utf-8")
        assert 'href="../../patients/DP17/evolution.html"' in report
        assert (demo_run.parent / "results" / "samples" / s / "report.html").exists()
    assert "<svg" in page and "Fractions over time" in page
    assert "standard risk" in page and "high risk" in page
    assert "Lü et al., Exp Hematol 2009" in page and "pubmed.ncbi.nlm.nih.gov/19426847" in page
    # a single-sample patient has no page and no link
    assert not (demo_run / "patients" / "DP01").exists()
    assert "evolution.html" not in (demo_run / "samples" / "DEMO-01" / "report.html").read_text(encoding="utf-8")


def test_cohort_page_lists_patients_with_what_changed(demo_run: Path):
    html = (demo_run / "cohort" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<a href="\.\./patients/DP17/evolution\.html"[^>]*>DP17</a></th><td>(.*?)</td><td>(.*?)</td>', html)
    assert m, "DP17 missing from the cohort page"
    assert "diagnosis (DEMO-17) → relapse1 (DEMO-18) → relapse2 (DEMO-19)" in m.group(1)
    assert "gained del(17p)" in m.group(2) and "lost KRAS p.Gly12Asp" in m.group(2)
    assert "IMWG 2025 standard → high" in m.group(2)
    lines = [ln for ln in (ROOT / "config" / "samples.tsv").read_text(encoding="utf-8").splitlines()
             if not ln.startswith("#")]
    sheet = list(csv.DictReader(lines, delimiter="\t"))
    several = {r["patient"] for r in sheet if sum(x["patient"] == r["patient"] for x in sheet) > 1}
    assert several == {"DP17", "DP20"}  # the clonal-evolution patient and the MRD series
    assert html.count(" href=\"../patients/") == len(several)


def test_patient_pages_follow_a_new_timepoint(tmp_path: Path):
    """A patient's second sample dropped into the sheet makes its page; the first sample's report links it."""
    copy_project_inputs(tmp_path)
    sheet = tmp_path / "config" / "samples.tsv"
    lines = sheet.read_text(encoding="utf-8").splitlines()
    keep = [ln for ln in lines if ln.startswith("#") or ln.startswith("sample\t") or ln.startswith(("DEMO-01\t",))]
    sheet.write_text("\n".join(keep) + "\n", encoding="utf-8")
    run_snakemake(tmp_path)
    assert not (tmp_path / "results" / "patients").exists()
    # a relapse of DP01: DEMO-19's FISH rows (del(17p) 80%, gain(1q), t(11;14)) under a new sample id
    fish = tmp_path / "resources" / "demo" / "fish.tsv"
    rows = [ln for ln in fish.read_text(encoding="utf-8").splitlines() if ln.startswith("DEMO-19\t")]
    with fish.open("a", encoding="utf-8") as fh:
        for ln in rows:
            fh.write("DEMO-01R" + ln[len("DEMO-19"):] + "\n")
    header = next(ln for ln in keep if ln.startswith("sample\t")).split("\t")
    new = {"sample": "DEMO-01R", "patient": "DP01", "timepoint": "relapse1", "collection_date": "2025-06-01",
           "build": "GRCh38", "fish": "../resources/demo/fish.tsv"}
    with sheet.open("a", encoding="utf-8") as fh:
        fh.write("\t".join(new.get(c, "") for c in header) + "\n")
    run_snakemake(tmp_path)
    page = tmp_path / "results" / "patients" / "DP01" / "evolution.tsv"
    assert page.exists()
    rows = read_tsv(page)
    del17 = [r for r in rows if r["kind"] == "lesion" and r["item"] == "del(17p)"]
    assert [r["sample"] for r in del17] == ["DEMO-01", "DEMO-01R"]
    assert del17[1]["change"] == "persisting"
    report = (tmp_path / "results" / "samples" / "DEMO-01" / "report.html").read_text(encoding="utf-8")
    assert "../../patients/DP01/evolution.html" in report
