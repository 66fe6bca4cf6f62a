"""Failure isolation that survives a dying process, the outdir lock, and the end-of-run summary (issue #13).

The supervisor (:mod:`mmrisk.supervise`) is tried on children that really crash, exhaust memory,
overrun their time or are terminated; the per-sample job on real demo inputs (a small-variant VCF
whose genotype field htslib cannot parse, a time limit shorter than the job's start-up); the
workflow on a cohort one of whose jobs is killed outright, as a cluster's out-of-memory killer
would (the cohort pages must still be written, naming the sample), and on an outdir another run
holds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project_inputs, run_snakemake
from mmrisk import runlock
from mmrisk.runend import SHOWN_FAILURES, closing_lines
from mmrisk.samplefolder import OUTPUT_FILES, read_evaluation
from mmrisk.supervise import supervise

DEMO = ROOT / "resources" / "demo"
JOB = ROOT / "scripts" / "mmrisk_job.py"


# --- the supervisor -----------------------------------------------------------------------------

def _segfault() -> None:
    import ctypes
    import faulthandler

    faulthandler.disable()  # pytest's would print the child's stack
    ctypes.string_at(0)


def test_a_crashing_child_is_reported_not_lost():
    death = supervise(_segfault)
    assert death is not None and death.signal == signal.SIGSEGV
    assert "SIGSEGV" in death.reason and "malformed record" in death.reason


def test_memory_limit_is_applied_and_named():
    death = supervise(lambda: bytearray(2_000 * 1024 * 1024), memory_mb=600)
    assert death is not None and "out of memory" in death.reason and "600 MB" in death.reason


def test_time_limit_kills_and_says_so():
    t0 = time.monotonic()
    death = supervise(lambda: time.sleep(30), time_s=0.5)
    assert time.monotonic() - t0 < 10
    assert death is not None and death.timed_out and "0.5 s" in death.reason


def test_normal_end_and_exit_status():
    assert supervise(lambda: None) is None
    death = supervise(lambda: os._exit(3))
    assert death is not None and death.exit_status == 3


def test_sigterm_to_the_parent_stops_the_child_and_is_reported(tmp_path: Path):
    """A scheduler's SIGTERM (time limit, scancel) reaches the supervising parent, which stops the child
    and still returns, so the job can record the sample before the final SIGKILL."""
    out = tmp_path / "death.txt"
    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); from mmrisk.supervise import supervise; "
            "d = supervise(lambda: time.sleep(60)); open(sys.argv[2], 'w').write(d.reason if d else 'none')")
    proc = subprocess.Popen([sys.executable, "-c", code, str(ROOT / "scripts"), str(out)])
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
    assert "SIGTERM" in out.read_text()


# --- the per-sample job -------------------------------------------------------------------------

def _job(tmp_path: Path, row: dict, *extra: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    from mmrisk.settings import load_config

    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps(load_config(ROOT / "config" / "config.yaml", ROOT)))
    folder = tmp_path / row["sample"]
    proc = subprocess.run([sys.executable, str(JOB), "sample", "--sample-json", json.dumps(row), "--config-file",
                           str(cfg), "--sheet", "sheet.tsv", "--out", str(folder), *extra],
                          capture_output=True, text=True, timeout=300)
    return proc, json.loads((folder / "evaluation.json").read_text())


def _bad_genotype_vcf(tmp_path: Path, gt: str) -> Path:
    """DEMO-13's VCF with the tumour's genotype of its first record replaced by ``gt``."""
    text = (DEMO / "DEMO-13.snv.vcf").read_text()
    assert "\t0/1:100:71" in text
    path = tmp_path / f"bad_gt_{abs(hash(gt))}.vcf"
    path.write_text(text.replace("\t0/1:100:71", f"\t{gt}:100:71", 1))
    return path


@pytest.mark.parametrize("gt", ["-1", "NA", "0/1/"])
def test_unparseable_genotype_fails_the_sample_alone(tmp_path: Path, gt: str):
    vcf = _bad_genotype_vcf(tmp_path, gt)
    proc, ev = _job(tmp_path, {"sample": "BADGT", "patient": "P", "build": "GRCh37", "snv_vcf": str(vcf)})
    assert proc.returncode == 0, proc.stderr
    assert ev["status"] == "failed" and ev["sample"] == "BADGT"
    assert "internal error" not in ev["error"]
    assert not any((tmp_path / "BADGT" / f).exists() for f in OUTPUT_FILES)


def test_time_limit_of_the_job_is_recorded(tmp_path: Path):
    row = {"sample": "SLOW", "patient": "P", "build": "GRCh37", "snv_vcf": str(DEMO / "DEMO-13.snv.vcf")}
    proc, ev = _job(tmp_path, row, "--time-limit-s", "0.05")
    assert proc.returncode == 0
    assert ev["status"] == "failed" and "did not finish within 0.05 s" in ev["error"]
    assert str(DEMO / "DEMO-13.snv.vcf") in ev["error"]


def test_good_sample_through_the_supervised_job(tmp_path: Path):
    row = {"sample": "GOOD", "patient": "P", "build": "GRCh37", "snv_vcf": str(DEMO / "DEMO-13.snv.vcf")}
    proc, ev = _job(tmp_path, row, "--memory-mb", "3000", "--runtime-min", "5")
    assert proc.returncode == 0 and ev["status"] == "ok", ev.get("error")
    assert all((tmp_path / "GOOD" / f).is_file() for f in OUTPUT_FILES)


def test_missing_or_broken_evaluation_reads_as_failed(tmp_path: Path):
    (tmp_path / "S1").mkdir()
    assert read_evaluation(tmp_path / "S1")["status"] == "failed"
    (tmp_path / "S2").mkdir()
    (tmp_path / "S2" / "evaluation.json").write_text("{not json")
    ev = read_evaluation(tmp_path / "S2")
    assert ev["status"] == "failed" and ev["sample"] == "S2" and "cannot be read" in ev["error"]


# --- the outdir lock ----------------------------------------------------------------------------

def test_lock_refuses_a_live_holder_and_replaces_a_stale_one(tmp_path: Path):
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; sys.path.insert(0, sys.argv[1]); from mmrisk import runlock; "
                               "runlock.acquire(sys.argv[2], 'holder'); print('held', flush=True); time.sleep(60)",
                               str(ROOT / "scripts"), str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(runlock.RunLocked, match=rf"in use by another run .*process {holder.pid}"):
            runlock.acquire(tmp_path, "second")
    finally:
        holder.kill()
        holder.wait()
    notes = runlock.acquire(tmp_path, "third")  # the holder died without releasing it
    assert len(notes) == 1 and "stale lock" in notes[0] and "holder" in notes[0]
    runlock.release(tmp_path)
    assert not (tmp_path / runlock.LOCK).exists()


def test_lock_of_another_host_is_refused(tmp_path: Path):
    (tmp_path / runlock.LOCK).parent.mkdir(parents=True)
    (tmp_path / runlock.LOCK).write_text(json.dumps({
        "pid": 1, "host": "some-other-node", "started": "2026-01-01T00:00:00", "proc_start": "",
        "workdir": "/elsewhere", "command": "snakemake"}))
    with pytest.raises(runlock.RunLocked, match="another host"):
        runlock.acquire(tmp_path)


# --- the end-of-run summary ---------------------------------------------------------------------

def test_closing_lines_name_the_failures(tmp_path: Path):
    rows = ["sample\tstatus"] + [f"S{i}\tok" for i in range(3)] + [f"F{i}\tfailed: bad file {i}" for i in range(25)]
    (tmp_path / "summary.tsv").write_text("\n".join(rows) + "\n")
    lines = closing_lines(tmp_path / "summary.tsv", tmp_path / "index.html")
    assert lines[0] == "mmrisk: 28 samples, 3 evaluated, 25 failed:"
    assert "  F0: bad file 0" in lines
    assert f"  ... and {25 - SHOWN_FAILURES} more" in lines
    assert str(tmp_path / "summary.tsv") in lines[-1]
    assert "no cohort summary" in closing_lines(tmp_path / "none.tsv", "x")[0]


# --- the workflow -------------------------------------------------------------------------------

def _cohort(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    """A working directory like the repository's with a sheet of ``(sample, snv_vcf)`` rows."""
    copy_project_inputs(tmp_path)
    sheet = tmp_path / "samples.tsv"
    sheet.write_text("sample\tbuild\tsnv_vcf\n" + "".join(
        f"{s}\t{'GRCh38' if p.endswith('slow.vcf.gz') else 'GRCh37'}\t{p}\n" for s, p in rows))  # the generator's build
    return sheet


def _pids_of(match) -> list[int]:
    """Our own processes for which ``match(cmdline, open files)`` holds (read from /proc)."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if "mmrisk_job.py batch" not in cmd:
                continue
            files = [os.readlink(f) for f in (d / "fd").iterdir()]
        except OSError:  # ended meanwhile
            continue
        if match(cmd, files):
            out.append(int(d.name))
    return out


def _kill_when(match, stop: threading.Event, killed: list[int]) -> None:
    """SIGKILL the processes ``match`` selects (:func:`_pids_of`) as soon as they exist."""
    while not stop.is_set():
        pids = _pids_of(match)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except ProcessLookupError:
                pass
        if pids:
            return
        time.sleep(0.005)


def _slow_vcf(tmp_path: Path) -> str:
    """A small-variant VCF that takes a while to read (unindexed, 1 500 000 records): time to be killed, even on a
    loaded machine where the killer's scan of /proc is slow (300 000 records were read before it found the child)."""
    sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
    import generate

    return str(generate.wgs_vcf(tmp_path / "slow.vcf.gz", 1_500_000, index=False))


def _run_killing(tmp_path: Path, sheet: Path, match) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=_kill_when, args=(match, stop, killed))
    killer.start()
    try:
        proc = run_snakemake(tmp_path, "--keep-going", "--config", f"samples={sheet}",
                             f"outdir={tmp_path / 'results'}", "clinical=", check=False)
    finally:
        stop.set()
        killer.join()
    return proc, killed


def test_a_killed_evaluation_fails_its_sample_alone_in_its_batch(tmp_path: Path):
    """The three samples share one batch job; the evaluation of the middle one is killed (as the kernel's
    out-of-memory killer would): it alone is failed, with the reason, and the others are evaluated."""
    good, slow = str(DEMO / "DEMO-13.snv.vcf"), _slow_vcf(tmp_path)
    sheet = _cohort(tmp_path, [("GOOD1", good), ("KILLME", slow), ("GOOD2", good)])
    out = tmp_path / "results"
    # the evaluating child is the batch process that has the sample's own log open (the killer polls /proc)
    proc, killed = _run_killing(tmp_path, sheet, lambda cmd, files: any(
        f.endswith("/logs/samples/KILLME.log") for f in files))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert len(killed) == 1, f"the child was never seen; KILLME: {read_evaluation(out / 'samples' / 'KILLME')}"
    ev = read_evaluation(out / "samples" / "KILLME")
    assert ev["status"] == "failed" and "SIGKILL" in ev["error"] and slow in ev["error"]
    assert not any((out / "samples" / "KILLME" / f).exists() for f in OUTPUT_FILES)
    for s in ("GOOD1", "GOOD2"):
        assert read_evaluation(out / "samples" / s)["status"] == "ok"
    manifests = list((out / ".mmrisk" / "batches").glob("*.json"))
    assert len(manifests) == 1
    assert json.loads(manifests[0].read_text())["failed"] == ["KILLME"]
    assert "mmrisk: 3 samples, 2 evaluated, 1 failed:" in proc.stdout + proc.stderr
    assert "SIGKILL" in (out / "logs" / "samples" / "KILLME.log").read_text()


def test_killed_job_still_gets_cohort_pages_and_a_closing_summary(tmp_path: Path):
    """A whole batch job killed (the supervising parent and its child, as a cluster's out-of-memory killer
    would): its sample is reported as failed, the other batches' samples are evaluated."""
    from mmrisk.batches import assign

    good, slow = str(DEMO / "DEMO-13.snv.vcf"), _slow_vcf(tmp_path)
    ids = ["GOOD-A", "KILL-2", "GOOD-C"]  # ids whose batches differ
    batches = assign({s: s for s in ids}, 1)  # limits.batch_size 1: each sample in a batch of its own
    assert sorted(len(v) for v in batches.values()) == [1, 1, 1], batches
    sheet = _cohort(tmp_path, [("GOOD-A", good), ("KILL-2", slow), ("GOOD-C", good)])
    cfg = tmp_path / "config" / "config.yaml"
    cfg.write_text(cfg.read_text().replace("  batch_size: 200\n", "  batch_size: 1\n"))
    out = tmp_path / "results"
    victim = next(b for b, v in batches.items() if v == ["KILL-2"])
    proc, killed = _run_killing(tmp_path, sheet, lambda cmd, files: f"/batches/{victim}.json" in cmd)
    assert killed
    assert proc.returncode != 0  # the killed job is a failed job for Snakemake
    summary = (out / "cohort" / "summary.tsv").read_text()
    assert "GOOD-A\t" in summary and "GOOD-C\t" in summary
    line = next(row for row in summary.splitlines() if row.startswith("KILL-2\t"))
    assert "failed: its job ended without writing evaluation.json" in line
    assert "KILL-2" in (out / "cohort" / "index.html").read_text()
    log = proc.stdout + proc.stderr
    assert "mmrisk: 3 samples, 2 evaluated, 1 failed:" in log
    assert "some jobs of this run failed" in log
    assert not (out / runlock.LOCK).exists()


def test_run_into_a_held_outdir_is_refused_at_once(tmp_path: Path):
    sheet = _cohort(tmp_path, [("ONE", str(DEMO / "DEMO-13.snv.vcf"))])
    out = tmp_path / "results"
    holder = subprocess.Popen(["sleep", "120"])
    try:
        (out / runlock.LOCK).parent.mkdir(parents=True)
        lock = runlock.Holder(holder.pid, runlock.Holder.me("").host, "2026-12-02T10:00:00",
                              runlock._proc_start(holder.pid), "/other/checkout", "snakemake --cores 8")
        (out / runlock.LOCK).write_text(json.dumps(lock.__dict__))
        args = ("--config", f"samples={sheet}",
                f"outdir={out}", "clinical=")
        proc = run_snakemake(tmp_path, *args, check=False)
        assert proc.returncode != 0
        assert "is in use by another run" in proc.stdout + proc.stderr and "/other/checkout" in proc.stdout + proc.stderr
        assert not (out / "samples").exists()
    finally:
        holder.kill()
        holder.wait()
    proc = run_snakemake(tmp_path, *args)
    assert "replaced a stale lock" in proc.stdout + proc.stderr
    assert (out / "samples" / "ONE" / "evaluation.json").is_file()


def test_file_names_with_braces_and_angle_brackets_are_read(tmp_path: Path):
    odd = tmp_path / "in{1}<x>.vcf"
    odd.write_text((DEMO / "DEMO-13.snv.vcf").read_text())
    sheet = _cohort(tmp_path, [("ODD", str(odd))])
    out = tmp_path / "results"
    run_snakemake(tmp_path, "--config", f"samples={sheet}",
                  f"outdir={out}", "clinical=")
    assert json.loads((out / "samples" / "ODD" / "evaluation.json").read_text())["status"] == "ok"
    # a change to the file still reruns the sample
    os.utime(odd, None)
    proc = run_snakemake(tmp_path, "--config", f"samples={sheet}", f"outdir={out}", "clinical=", "--dry-run")
    assert "evaluate_batch" in proc.stdout
