"""Batched evaluation (issue #19): stable batch membership, and reruns that evaluate exactly the samples whose
inputs, configuration, knowledge base or code changed.

The workflow tests run the real workflow on small FISH-only cohorts; what was evaluated is read from the
batch jobs' manifests and the run's closing summary (never from timings).
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, copy_project_inputs, planned_jobs, run_snakemake
from mmrisk.batches import assign, batch_count, bucket

FISH = ROOT / "resources" / "demo" / "fish.tsv"


# --- membership ---------------------------------------------------------------------------------

def test_batch_count_is_a_power_of_two_covering_the_cohort():
    assert [batch_count(n, 200) for n in (1, 200, 201, 1000, 10_000)] == [1, 1, 2, 8, 64]
    assert batch_count(0, 200) == 1


def test_adding_a_sample_changes_one_batch():
    cohort = {f"S{i:05d}": f"P{i // 2:05d}" for i in range(1000)}
    before = assign(cohort, 200)
    cohort["NEW-1"] = "NEW-1"
    after = assign(cohort, 200)
    assert set(before) == set(after)  # still 8 batches, the same names
    changed = [b for b in after if after[b] != before[b]]
    assert len(changed) == 1 and "NEW-1" in after[changed[0]]
    assert set(after[changed[0]]) - set(before[changed[0]]) == {"NEW-1"}


def test_a_patients_samples_share_a_batch():
    cohort = {f"S{i:05d}": f"P{i // 3:05d}" for i in range(3000)}
    where = {s: b for b, ss in assign(cohort, 100).items() for s in ss}
    for i in range(0, 3000, 3):
        assert where[f"S{i:05d}"] == where[f"S{i + 1:05d}"] == where[f"S{i + 2:05d}"]


def test_bucket_is_stable_across_processes():
    # the SHA-256 of the id, not Python's salted hash(): the same on every machine and every run
    assert bucket("DEMO-01", 1) == 0
    assert bucket("P00001", 1 << 20) == int.from_bytes(
        __import__("hashlib").sha256(b"P00001").digest()[:8], "big") % (1 << 20)


# --- reruns -------------------------------------------------------------------------------------

def _cohort(tmp_path: Path, ids: list[str], fish: Path = FISH) -> Path:
    copy_project_inputs(tmp_path)
    sheet = tmp_path / "samples.tsv"
    sheet.write_text("sample\tbuild\tfish\n" + "".join(f"{s}\tGRCh38\t{fish}\n" for s in ids))
    return sheet


def _evaluated(out: Path) -> list[str]:
    """The samples the last run's batch jobs evaluated (manifests written by that run)."""
    found: list[str] = []
    for m in sorted((out / ".mmrisk" / "batches").glob("*.json")):
        found += json.loads(m.read_text())["evaluated"]
    return sorted(found)


def _stamps(out: Path, ids: list[str]) -> dict[str, int]:
    return {s: (out / "samples" / s / "evaluation.json").stat().st_mtime_ns for s in ids}


def test_rerun_after_one_new_sample_evaluates_only_it(tmp_path: Path):
    ids = ["DEMO-01", "DEMO-02", "DEMO-05", "DEMO-07"]
    fish = tmp_path / "fish.tsv"  # one FISH table for the cohort, to which the new sample's rows are added
    fish.write_text(FISH.read_text())
    sheet = _cohort(tmp_path, ids, fish)
    out = tmp_path / "results"
    args = ("--config", f"samples={sheet}", f"outdir={out}", "clinical=", "treatment_lines=")
    first = run_snakemake(tmp_path, *args)
    assert "this run evaluated 4 samples" in first.stdout + first.stderr
    assert _evaluated(out) == sorted(ids)
    assert planned_jobs(tmp_path, *args) == {}
    kept = _stamps(out, ids)
    with sheet.open("a") as fh:
        fh.write(f"NEW-9\tGRCh38\t{fish}\n")
    with fish.open("a") as fh:  # the shared table changes: only the new sample's rows are new
        fh.write("NEW-9\tt(4;14)\tpositive\t40\nNEW-9\t17p-\tnegative\t\n")
    plan = planned_jobs(tmp_path, *args)
    assert plan.get("evaluate_batch") == 1 and plan.get("cohort") == 1, plan
    second = run_snakemake(tmp_path, *args)
    log = second.stdout + second.stderr
    assert "this run evaluated 1 sample;" in log
    ran = [json.loads(m.read_text()) for m in (out / ".mmrisk" / "batches").glob("*.json")
           if m.stat().st_mtime_ns > max(kept.values())]
    assert [m["evaluated"] for m in ran] == [["NEW-9"]]
    assert _stamps(out, ids) == kept  # the other samples' folders were not written again
    assert "NEW-9\t" in (out / "cohort" / "summary.tsv").read_text()
    assert json.loads((out / "samples" / "NEW-9" / "evaluation.json").read_text())["status"] == "ok"


def test_threshold_or_knowledge_base_change_re_evaluates_every_sample(tmp_path: Path):
    ids = ["DEMO-01", "DEMO-02", "DEMO-05"]
    sheet = _cohort(tmp_path, ids)
    out = tmp_path / "results"
    args = ("--config", f"samples={sheet}", f"outdir={out}", "clinical=", "treatment_lines=")
    # a knowledge base of the run's own (a resource left at its default is the workflow's)
    kb = tmp_path / "kb" / "knowledge_base.tsv"
    kb.parent.mkdir()
    kb.write_bytes((ROOT / "resources" / "knowledge_base.tsv").read_bytes())
    cfg = tmp_path / "config" / "config.yaml"
    text = cfg.read_text()
    assert "  knowledge_base: resources/knowledge_base.tsv\n" in text
    cfg.write_text(text.replace("  knowledge_base: resources/knowledge_base.tsv\n", f"  knowledge_base: {kb}\n"))
    run_snakemake(tmp_path, *args)
    # a FISH cut-off changed in the run's configuration file
    text = cfg.read_text()
    assert "    fusion: 10\n" in text
    cfg.write_text(text.replace("    fusion: 10\n", "    fusion: 12\n"))
    before = _stamps(out, ids)
    proc = run_snakemake(tmp_path, *args)
    assert "this run evaluated 3 samples" in proc.stdout + proc.stderr
    assert all(_stamps(out, ids)[s] > before[s] for s in ids)
    doc = json.loads((out / "samples" / "DEMO-01" / "risk.json").read_text())
    assert doc["provenance"]["config"]["fish"]["cutoffs"]["fusion"] == 12
    # the knowledge base changed (here: a comment line added; Snakemake ignores a new time stamp alone when
    # the content is unchanged)
    with kb.open("a") as fh:
        fh.write("# edited\n")
    proc = run_snakemake(tmp_path, *args)
    assert "this run evaluated 3 samples" in proc.stdout + proc.stderr
    assert _evaluated(out) == sorted(ids)
    # a change to how jobs are cut re-evaluates nothing
    text = cfg.read_text()
    assert "  batch_size: 200\n" in text
    cfg.write_text(text.replace("  batch_size: 200\n", "  batch_size: 1\n"))
    proc = run_snakemake(tmp_path, *args)
    log = proc.stdout + proc.stderr
    assert "this run evaluated 0 samples" in log and "3 in the batches it ran were up to date" in log


def test_a_removed_sample_folder_is_evaluated_again(tmp_path: Path):
    ids = ["DEMO-01", "DEMO-02"]
    sheet = _cohort(tmp_path, ids)
    out = tmp_path / "results"
    args = ("--config", f"samples={sheet}", f"outdir={out}", "clinical=", "treatment_lines=")
    run_snakemake(tmp_path, *args)
    (out / "samples" / "DEMO-02" / "evaluation.json").unlink()
    proc = run_snakemake(tmp_path, *args)
    assert "DEMO-02: no evaluation.json" in proc.stdout + proc.stderr
    assert _evaluated(out) == ["DEMO-02"]
    assert json.loads((out / "samples" / "DEMO-02" / "evaluation.json").read_text())["status"] == "ok"
