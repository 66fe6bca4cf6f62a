"""The real workflow, run by Snakemake on real files in temporary folders."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import ROOT, copy_project_inputs, planned_jobs, run_snakemake
from mmrisk.lesions import LESION_IDS

SCHEMA = json.loads((ROOT / "workflow" / "schemas" / "risk.schema.json").read_text())


def read_tsv(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


EXPECTED = {r["sample"]: r for r in read_tsv(ROOT / "resources" / "demo" / "expected.tsv")}


def test_demo_cohort_is_current():
    """resources/demo is exactly what its committed generator writes."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_demo_cohort.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_demo_reaches_every_outcome():
    """The demo's design covers every outcome the foundation issue asks for."""
    ok = [e for e in EXPECTED.values() if e["status"] == "ok"]
    assert len(EXPECTED) >= 10
    assert {e["imwg2025"] for e in ok} == {"high", "standard", "not_evaluable"}
    crits = " | ".join(e["imwg2025_criteria"] for e in ok)
    for needle in ("del(17p)", "with gain(1q)", "biallelic del(1p32)", "β2-microglobulin"):
        assert needle in crits
    assert {e["iss"] for e in ok} >= {"I", "II", "III"}
    assert {e["riss"] for e in ok} >= {"I", "II", "III"}
    assert {e["r2iss"] for e in ok} >= {"I", "II", "III", "IV"}
    assert {e["refractory"] for e in ok} >= {"not_refractory", "refractory", "double_refractory",
                                             "triple_class_refractory", "penta_refractory"}


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_demo_sample_matches_definitions(demo_run: Path, sample: str):
    exp = EXPECTED[sample]
    d = demo_run / "samples" / sample
    if exp["status"] == "failed":
        assert not (d / "risk.json").exists()
        return
    doc = json.loads((d / "risk.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(SCHEMA).iter_errors(doc)) == []
    risk = doc["risk"]
    assert risk["imwg2025"]["call"] == exp["imwg2025"]
    for criterion in filter(None, exp["imwg2025_criteria"].split("; ")):
        assert criterion in risk["imwg2025"]["criteria_met"]
    assert risk["msmart3"]["call"] == exp["msmart3"]

    def stage(v: str | None) -> str:
        return "NA" if v is None else v

    assert stage(risk["iss"]["stage"]) == exp["iss"]
    assert stage(risk["riss"]["stage"]) == exp["riss"]
    assert stage(risk["r2iss"]["stage"]) == exp["r2iss"]
    score = risk["r2iss"]["score"]
    assert ("NA" if score is None else f"{score:g}") == exp["r2iss_score"]
    assert (doc["refractory"]["class"] or "NA") == exp["refractory"]
    assert set(doc["lesions"]) == set(LESION_IDS)
    if exp["imwg2025"] == "not_evaluable":
        assert risk["imwg2025"]["missing"], "a not-evaluable call must say what is missing"


def test_lesions_tsv_has_one_row_per_lesion(demo_run: Path):
    rows = read_tsv(demo_run / "samples" / "DEMO-02" / "lesions.tsv")
    assert [r["lesion"] for r in rows] == list(LESION_IDS)
    assert list(rows[0]) == ["lesion", "status", "fraction", "copies", "allelic", "sources", "discordant"]
    by = {r["lesion"]: r for r in rows}
    assert by["t(4;14)"]["status"] == "present" and by["t(4;14)"]["fraction"] == "0.62"
    assert by["gain(1q)"]["copies"] == "3" and by["amp(1q)"]["status"] == "absent"
    assert by["t(11;14)"]["status"] == "not_assessed"


def test_failed_sample_fails_alone(demo_run: Path):
    summary = {r["sample"]: r for r in read_tsv(demo_run / "cohort" / "summary.tsv")}
    assert set(summary) == set(EXPECTED)
    failed = summary["DEMO-11"]["status"]
    assert failed.startswith("failed: ")
    assert "fish.tsv" in failed and "line" in failed and "percent" in failed
    assert all(summary[s]["status"] == "ok" for s in EXPECTED if s != "DEMO-11")
    index = (demo_run / "cohort" / "index.html").read_text(encoding="utf-8")
    assert "DEMO-11" in index and "percent" in index
    for s in EXPECTED:
        if s != "DEMO-11":
            assert f'href="../samples/{s}/report.html"' in index


def test_report_is_plain_but_right(demo_run: Path):
    html = (demo_run / "samples" / "DEMO-02" / "report.html").read_text(encoding="utf-8")
    risk_at = html.index("Risk summary")
    assert risk_at < html.index(">Lesions<") < html.index(">Methods<")
    assert "t(4;14) with gain(1q)" in html
    assert "For research use only" in html
    assert "sha256" in html and "http://" not in html.replace("http://www.w3.org", "")
    ne = (demo_run / "samples" / "DEMO-07" / "report.html").read_text(encoding="utf-8")
    assert "not evaluable" in ne and "TP53 mutation" in ne  # the lesion by its label, never its id


def _mini_cohort(tmp: Path, timepoint: str = "diagnosis") -> Path:
    (tmp / "in").mkdir()
    (tmp / "in" / "fish.tsv").write_text(
        "sample\ttarget\tresult\tpercent\tcopies\tcomment\n"
        "A1\tdel(17p)\tpositive\t55\t1\t<b>bold</b>\n"
        "B2\tIGH::FGFR3\tpositive\t30\t\t\n"
        "B2\tCKS1B\tpositive\t40\t3\t\n",
        encoding="utf-8",
    )
    (tmp / "in" / "clin.tsv").write_text(
        "sample\tb2m_mg_l\talbumin_g_dl\tldh_high\tcreatinine_mg_dl\texposed_to\trefractory_to\n"
        "A1\t2.0\t4.0\tfalse\t0.8\t\t\n"
        "B2\t6.0\t3.0\ttrue\t1.5\tbortezomib\tbortezomib\n",  # creatinine 1.5: IMWG criterion 4 not met
        encoding="utf-8",
    )
    (tmp / "in" / "samples.tsv").write_text(
        "sample\tpatient\ttimepoint\tfish\n"
        f"A1\tPA\t{timepoint}\tfish.tsv\n"
        "B2\tPB\trelapse\tfish.tsv\n",
        encoding="utf-8",
    )
    return tmp / "in"


def test_other_cohort_via_config_overrides(tmp_path: Path):
    """The held-out way of running: --config samples=... clinical=... outdir=..."""
    copy_project_inputs(tmp_path)
    cohort = _mini_cohort(tmp_path)
    run_snakemake(tmp_path, "--config", f"samples={cohort / 'samples.tsv'}", f"clinical={cohort / 'clin.tsv'}",
                  "outdir=out")
    a = json.loads((tmp_path / "out" / "samples" / "A1" / "risk.json").read_text())
    b = json.loads((tmp_path / "out" / "samples" / "B2" / "risk.json").read_text())
    assert a["risk"]["imwg2025"]["call"] == "high"
    assert a["lesions"]["del(17p)"]["fraction"] == 0.55
    assert a["risk"]["iss"]["stage"] == "I"
    assert b["risk"]["imwg2025"]["call"] == "high"
    assert b["risk"]["imwg2025"]["criteria_met"] == ["t(4;14) with gain(1q)"]
    assert b["risk"]["riss"]["stage"] == "III" and b["risk"]["r2iss"]["stage"] == "IV"
    assert b["refractory"]["class"] == "refractory"
    assert not (tmp_path / "results").exists()


def test_markup_in_inputs_stays_text(tmp_path: Path):
    copy_project_inputs(tmp_path)
    cohort = _mini_cohort(tmp_path, timepoint="<script>alert(1)</script>")
    run_snakemake(tmp_path, "--config", f"samples={cohort / 'samples.tsv'}", "clinical=", "outdir=out")
    for page in (tmp_path / "out" / "samples" / "A1" / "report.html", tmp_path / "out" / "cohort" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_bad_sheet_lists_every_problem_before_any_job(tmp_path: Path):
    copy_project_inputs(tmp_path)
    (tmp_path / "bad.tsv").write_text(
        "sample\tbuild\tpurity\tfish\n"
        "ok1\tGRCh38\t0.5\tx.tsv\n"
        "bad id\tGRCh38\t\tx.tsv\n"
        "ok2\thg19\t\tx.tsv\n"
        "ok3\tGRCh37\t60\tx.tsv\n"
        "ok1\tGRCh38\t\tx.tsv\n"
        "ok4\tGRCh38\t\t\n",
        encoding="utf-8",
    )
    proc = run_snakemake(tmp_path, "--config", "samples=bad.tsv", check=False)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "nothing was run" in out
    for needle in ("line 3, column 'sample'", "line 4, column 'build'", "GRCh37, GRCh38",
                   "line 5, column 'purity'", "line 6, column 'sample'", "not unique", "line 7",
                   "no input file given"):
        assert needle in out, needle
    assert not (tmp_path / "results").exists()


def test_bad_config_is_refused_with_every_problem(tmp_path: Path):
    copy_project_inputs(tmp_path)
    proc = run_snakemake(tmp_path, "--config", "default_build=hg19", "outdir=", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "default_build" in out and "outdir" in out


def test_lint_is_clean(tmp_path: Path):
    copy_project_inputs(tmp_path)
    proc = run_snakemake(tmp_path, "--lint", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Lints for" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_rerun_does_nothing(demo_run: Path):
    assert planned_jobs(demo_run.parent) == {}


def test_fixed_input_makes_failed_sample_succeed_on_rerun(tmp_path: Path):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "resources", tmp_path / "resources")
    # the copied demo configuration given as the user's own: its paths are then this folder's
    config = str(tmp_path / "config" / "config.yaml")
    run_snakemake(tmp_path, "--keep-going", "--configfile", config)
    assert not (tmp_path / "results" / "samples" / "DEMO-11" / "risk.json").exists()
    fish = tmp_path / "resources" / "demo" / "fish.tsv"
    fixed = fish.read_text(encoding="utf-8").replace("DEMO-11\tt(4;14)\tpositive\t120", "DEMO-11\tt(4;14)\tpositive\t12")
    fish.write_text(fixed, encoding="utf-8")
    run_snakemake(tmp_path, "--configfile", config)
    doc = json.loads((tmp_path / "results" / "samples" / "DEMO-11" / "risk.json").read_text())
    assert doc["lesions"]["t(4;14)"]["status"] == "present"


def test_every_lesion_is_also_shown_from_sequencing(demo_run: Path):
    """The demo shows each lesion from a sequencing file (SNV, SV or CNV), not only from FISH."""
    seen: dict[str, set[str]] = {lid: set() for lid in LESION_IDS}
    for sample in EXPECTED:
        path = demo_run / "samples" / sample / "risk.json"
        if not path.exists():
            continue
        for lid, le in json.loads(path.read_text())["lesions"].items():
            if le["status"] == "present":
                seen[lid] |= set(le["sources"]) - {"FISH"}
    assert [lid for lid, src in seen.items() if not src] == []


def test_fish_and_sequencing_disagree_discordant(demo_run: Path):
    doc = json.loads((demo_run / "samples" / "DEMO-13" / "risk.json").read_text())
    d17 = doc["lesions"]["del(17p)"]
    assert d17["status"] == "present" and d17["discordant"] and d17["sources"] == ["CNV"]
    assert any("del(17p): sources disagree" in w and "FISH" in w and "CNV" in w for w in doc["warnings"])
    t1114 = doc["lesions"]["t(11;14)"]
    assert t1114["sources"] == ["FISH", "SV"] and not t1114["discordant"]
    variants = read_tsv(demo_run / "samples" / "DEMO-13" / "variants.tsv")
    assert [(v["gene"], v["hgvsp"]) for v in variants] == [("NRAS", "p.Gln61Lys"), ("TP53", "p.Pro72Arg")]
    assert "benign_list" in variants[1]["flags"]


def test_snakemake_report_holds_every_sample_report(demo_run: Path, tmp_path: Path):
    import zipfile

    out = tmp_path / "report.zip"
    run_snakemake(demo_run.parent, "--report", str(out))
    names = zipfile.ZipFile(out).namelist()
    ok = [s for s, e in EXPECTED.items() if e["status"] == "ok"]
    assert sum(1 for n in names if n.endswith("/report.html") and "/data/raw/" in n) == len(ok)
    assert any(n.endswith("/index.html") and "/data/raw/" in n for n in names)


def test_knowledge_base_findings_and_therapy_view(demo_run: Path):
    doc = json.loads((demo_run / "samples" / "DEMO-13" / "risk.json").read_text())
    found = {(f["gene"], f["alteration"], f["effect"]) for f in doc["findings"]}
    assert ("NRAS", "p.Gln61Lys", "resistance") in found
    assert ("t(11;14)", "t(11;14) present", "sensitivity") in found
    therapy = {t["drug_class"]: t for t in doc["therapy"]}
    assert set(therapy) == {"proteasome_inhibitor", "imid_celmod", "anti_cd38", "anti_slamf7", "bcma_directed",
                            "gprc5d_directed", "fcrh5_directed", "bcl2_inhibitor", "xpo1_inhibitor",
                            "glucocorticoid", "braf_mek_inhibitor", "fgfr_inhibitor"}
    assert therapy["proteasome_inhibitor"]["status"] == "reduced_sensitivity"
    assert therapy["bcl2_inhibitor"]["status"] == "possible_benefit"
    assert all(f["references"] for f in doc["findings"])
    from mmrisk.tables import header_fields

    kb = header_fields(ROOT / "resources" / "knowledge_base.tsv")
    assert doc["provenance"]["knowledge_base_version"] == f"{kb['version']} ({kb['date']})"
    summary = {r["sample"]: r for r in read_tsv(demo_run / "cohort" / "summary.tsv")}
    assert "NRAS p.Gln61Lys" in summary["DEMO-13"]["resistance_findings"]
    assert summary["DEMO-13"]["reduced_sensitivity"] == "proteasome_inhibitor"
    assert summary["DEMO-13"]["possible_benefit"] == "bcl2_inhibitor"
    html = (demo_run / "samples" / "DEMO-13" / "report.html").read_text(encoding="utf-8")
    assert "Per drug class" in html and "reduced sensitivity" in html and "possible benefit" in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/24335104/"' in html  # Mulligan et al., Blood 2014
    # the TP53 polymorphism never becomes a finding
    assert not any(f["gene"] == "TP53" for f in doc["findings"])
