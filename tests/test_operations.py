"""Operations: the drop-in folder, reruns, reproducibility, logs and benchmarks."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import time
from pathlib import Path


from conftest import ROOT, copy_project_inputs, planned_jobs as _planned_jobs, run_snakemake
from mmrisk.sheet import BGZF_EOF, Cohort, Sample, add_inbox, scan_inbox

EXPECTED_SAMPLES = [line.split("\t")[0] for line in (ROOT / "resources" / "demo" / "expected.tsv").read_text().splitlines()
                    if line and not line.startswith(("#", "sample\t"))]
FISH_ROW = "sample\ttarget\tresult\tpercent\n{sid}\tt(4;14)\tpositive\t40\n{sid}\tCKS1B\tpositive\t50\n"


def _old(p: Path, seconds: float = 3600) -> None:
    t = time.time() - seconds
    os.utime(p, (t, t))


def test_scan_inbox_takes_only_complete_files(tmp_path: Path):
    (tmp_path / "A.fish.tsv").write_text(FISH_ROW.format(sid="A"))
    _old(tmp_path / "A.fish.tsv")
    (tmp_path / "B.fish.tsv").write_text(FISH_ROW.format(sid="B"))  # just written: not settled
    (tmp_path / "C.fish.tsv").write_text(FISH_ROW.format(sid="C"))
    (tmp_path / "C.done").write_text("")  # marker: use at once
    with gzip.open(tmp_path / "D.snv.vcf.gz", "wb") as fh:  # plain gzip, no BGZF EOF block
        fh.write(b"##fileformat=VCFv4.2\n")
    (tmp_path / "E.sv.vcf.gz").write_bytes(b"\x1f\x8b partial")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "bad id!.fish.tsv").write_text("x")
    found, notes = scan_inbox(str(tmp_path), settle_seconds=60)
    assert set(found) == {"A", "C"}
    assert found["A"] == {"fish": str(tmp_path / "A.fish.tsv")}
    text = "\n".join(notes)
    assert "B.fish.tsv is not complete" in text and "D.snv.vcf.gz is not complete" in text
    assert "E.sv.vcf.gz is not complete" in text and "notes.txt is not named" in text
    assert "not a valid sample id" in text


def test_complete_bgzip_is_taken(tmp_path: Path):
    (tmp_path / "F.cnv.vcf.gz").write_bytes(b"\x1f\x8b" + b"0" * 40 + BGZF_EOF)
    found, _ = scan_inbox(str(tmp_path), settle_seconds=60)
    assert found == {"F": {"cnv": str(tmp_path / "F.cnv.vcf.gz")}}


def test_sheet_row_wins_and_inbox_fills_gaps():
    cohort = Cohort({"S1": Sample("S1", "P1", "GRCh37", 2, fish="sheet_fish.tsv")})
    notes = add_inbox(cohort, {"S1": {"fish": "in/S1.fish.tsv", "cnv": "in/S1.cnv.seg"},
                               "S2": {"fish": "in/S2.fish.tsv"}}, "GRCh38")
    s1, s2 = cohort.samples["S1"], cohort.samples["S2"]
    assert s1.fish == "sheet_fish.tsv" and s1.cnv == "in/S1.cnv.seg" and s1.build == "GRCh37"
    assert s2.fish == "in/S2.fish.tsv" and s2.build == "GRCh38" and s2.patient == "S2"
    assert any("S1" in n and "fish" in n for n in notes)


def test_drop_in_sample_reruns_only_that_sample(tmp_path: Path):
    copy_project_inputs(tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "NEW-1.fish.tsv").write_text(FISH_ROW.format(sid="NEW-1"))
    _old(inbox / "NEW-1.fish.tsv")
    cfg = ("--config", "inbox=inbox", "clinical=")
    run_snakemake(tmp_path, *cfg)
    assert (tmp_path / "results" / "samples" / "NEW-1" / "risk.json").exists()
    assert _planned_jobs(tmp_path, *cfg) == {}, "nothing new: nothing to do"
    # lab staff drop in one more sample (and a half-written one that must wait)
    (inbox / "NEW-2.fish.tsv").write_text(FISH_ROW.format(sid="NEW-2"))
    (inbox / "NEW-2.done").write_text("")
    (inbox / "NEW-3.fish.tsv").write_text("sample\ttarget\tresu")
    plan = _planned_jobs(tmp_path, *cfg)
    assert plan.get("evaluate_batch") == 1 and plan.get("cohort") == 1, plan
    proc = run_snakemake(tmp_path, *cfg)
    assert "NEW-3.fish.tsv is not complete" in proc.stderr + proc.stdout
    summary = (tmp_path / "results" / "cohort" / "summary.tsv").read_text()
    assert "NEW-2\t" in summary and "NEW-3" not in summary
    assert "DEMO-01\t" in summary and "NEW-1\t" in summary


def test_rerun_is_byte_identical(tmp_path: Path):
    copy_project_inputs(tmp_path)
    env_args = ("--config", "outdir=out")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        run_snakemake(tmp_path, *env_args)
        first = {p.relative_to(tmp_path / "out"): p.read_bytes() for p in (tmp_path / "out").rglob("*")
                 if p.is_file() and "logs" not in p.parts and "benchmarks" not in p.parts}
        shutil.rmtree(tmp_path / "out")
        shutil.rmtree(tmp_path / ".snakemake")
        run_snakemake(tmp_path, *env_args)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    second = {p.relative_to(tmp_path / "out"): p.read_bytes() for p in (tmp_path / "out").rglob("*")
              if p.is_file() and "logs" not in p.parts and "benchmarks" not in p.parts}
    assert set(first) == set(second) and len(first) > 30
    differing = [str(k) for k in first if first[k] != second[k]]
    assert differing == []
    assert b'<time datetime="2023-11-14">' in first[Path("cohort/index.html")]


def test_logs_and_benchmarks_per_rule(demo_run: Path):
    # the demo's samples make one batch: its job's log and benchmark, and each sample's own log
    (batch_log,) = (demo_run / "logs" / "evaluate_batch").glob("*.log")
    batch = batch_log.stem
    assert (demo_run / "benchmarks" / "evaluate_batch" / f"{batch}.tsv").read_text().startswith("s\t")
    n = len(EXPECTED_SAMPLES)
    sheet = [ln.split("\t") for ln in (ROOT / "config" / "samples.tsv").read_text().splitlines()
             if ln and not ln.startswith(("#", "sample\t"))]
    patients = [p for p in {r[1] for r in sheet} if sum(r[1] == p for r in sheet) > 1]  # those with a page
    text = batch_log.read_text()
    assert (f"batch {batch}: {n} samples, {n} evaluated (1 failed), 0 up to date; "
            f"{len(patients)} patient pages written") in text and len(patients) >= 2
    assert "DP17: 3 timepoints" in text  # the patient's page, written by the batch of its samples
    timings = (demo_run / "benchmarks" / "evaluate_batch" / f"{batch}.samples.tsv").read_text().splitlines()
    assert timings[0] == "sample\tstatus\ts\tmax_rss_mb" and len(timings) == n + 1
    assert (demo_run / "logs" / "samples" / "DEMO-01.log").stat().st_size > 0
    assert f"cohort: {n} samples, 1 failed (DEMO-11)" in (demo_run / "logs" / "cohort.log").read_text()
    err = (demo_run / "logs" / "samples" / "DEMO-11.log").read_text()
    assert "failed" in err and "percent" in err


def test_provenance_in_risk_json(demo_run: Path):
    import json

    doc = json.loads((demo_run / "samples" / "DEMO-02" / "risk.json").read_text())
    prov = doc["provenance"]
    # the demo config names a clinical table and a lines-of-therapy table: both were read, with their hashes
    assert {i["kind"] for i in prov["inputs"]} == {"fish", "clinical", "treatment_lines"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for i in prov["inputs"])
    assert prov["config"]["fish"]["cutoffs"]["fusion"] == 10 and "samples" in prov["config"]
    assert prov["software"]["snakemake"].startswith("9.")
    assert {r["name"] for r in prov["resources"]} >= {"drugs", "fish_targets", "fish_probes"}


def test_provenance_in_report(demo_run: Path):
    html = (demo_run / "samples" / "DEMO-02" / "report.html").read_text(encoding="utf-8")
    assert "Effective configuration" in html and "del17p_min_fraction: 0.2" in html
    assert "snakemake 9." in html and "cyvcf2" in html
