"""Snakemake through a real SLURM cluster: profiles/slurm with the SLURM executor.

The session fixture ``slurm_cluster`` installs Debian's slurm-wlm and munge when
missing and starts a single-node cluster on this machine
(tests/slurm/start_cluster.sh: slurmctld + slurmd on localhost, no accounting
database). ``run_through_slurm`` then runs Snakemake with
``--executor slurm --workflow-profile profiles/slurm``; every job is submitted
with sbatch and runs ``python -m snakemake`` again on the node.

Without an accounting database ``sacct`` does not work, so the profile makes the
plugin query job states with ``squeue`` (``slurm-status-command: squeue``) and the
test cluster keeps finished jobs visible to squeue for a long time (MinJobAge).
The checks below therefore use squeue/scontrol only, never sacct.

Needs root on Linux, plus apt-get or an installed SLURM; skipped otherwise,
except when the environment variable CI is set (then it must run).
Set SLURM_TEST_KEEP=1 to leave the cluster running after the tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SLURM_SCRIPTS = ROOT / "tests" / "slurm"
PROFILE = ROOT / "profiles" / "slurm"

START_TIMEOUT = 1200  # seconds; includes apt-get install on a fresh machine
STOP_TIMEOUT = 120
RUN_TIMEOUT = 900  # seconds for one Snakemake run through SLURM
SLURM_CMD_TIMEOUT = 30


def _slurm_installed() -> bool:
    return all(shutil.which(tool) for tool in ("slurmctld", "slurmd", "sbatch", "squeue", "munged"))


def _skip_reason() -> str | None:
    """Why this machine cannot run the SLURM test, or None if it can."""
    if not sys.platform.startswith("linux"):
        return "the SLURM test cluster needs Linux"
    if os.geteuid() != 0:
        return "the SLURM test cluster needs root (it installs slurm-wlm/munge and starts daemons)"
    if not _slurm_installed() and not shutil.which("apt-get"):
        return "SLURM is not installed and apt-get is not available to install it"
    return None


_REASON = _skip_reason()
pytestmark = pytest.mark.skipif(
    _REASON is not None and not os.environ.get("CI"),
    reason=f"{_REASON} (set CI=1 to force running it)",
)


def _slurm(*args: str) -> str:
    """Run a SLURM client command (bounded in time) and return its stdout."""
    proc = subprocess.run(list(args), text=True, capture_output=True, timeout=SLURM_CMD_TIMEOUT)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return proc.stdout


def _text(data: str | bytes | None) -> str:
    """Output captured before a timeout (bytes even with text=True, or None)."""
    if isinstance(data, bytes):
        return data.decode(errors="replace")
    return data or ""


def _cluster_answers() -> bool:
    if not shutil.which("scontrol"):
        return False
    try:
        proc = subprocess.run(["scontrol", "ping"], text=True, capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        return False
    return proc.returncode == 0 and "is UP" in proc.stdout


@pytest.fixture(scope="session")
def slurm_cluster() -> Iterator[dict[str, str]]:
    """A running single-node SLURM cluster (started once per session).

    Stopped again at the end of the session if this fixture started it, unless
    SLURM_TEST_KEEP=1.
    """
    if _REASON is not None:  # only reached with CI set: fail loudly instead of skipping
        pytest.fail(f"CI is set but the SLURM test cannot run here: {_REASON}")
    was_running = _cluster_answers()
    try:
        proc = subprocess.run(["bash", str(SLURM_SCRIPTS / "start_cluster.sh")], text=True,
                              capture_output=True, timeout=START_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"start_cluster.sh did not finish within {START_TIMEOUT}s:\n{_text(exc.stderr)}")
    if proc.returncode != 0:
        pytest.fail(f"start_cluster.sh failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    node = subprocess.run(["hostname", "-s"], text=True, capture_output=True, check=True).stdout.strip()
    yield {"node": node, "partition": "mmtest_default", "site_partition": "mmtest_site"}
    if not was_running and not os.environ.get("SLURM_TEST_KEEP"):
        subprocess.run(["bash", str(SLURM_SCRIPTS / "stop_cluster.sh")], text=True,
                       capture_output=True, timeout=STOP_TIMEOUT)


def _jobs_named(prefix: str) -> list[dict[str, str]]:
    """All jobs (any state) whose name starts with ``prefix``."""
    out = _slurm("squeue", "--states=all", "--noheader", "--format=%i|%j|%T|%k|%l|%m|%N|%P")
    jobs = []
    for line in out.splitlines():
        fields = line.strip().split("|")
        if len(fields) == 8 and fields[1].startswith(prefix):
            jobs.append(dict(zip(("id", "name", "state", "comment", "time_limit", "min_memory", "nodes", "partition"),
                                 fields)))
    return jobs


def run_through_slurm(workdir: Path, snakefile: Path, extra_args: list[str] | tuple[str, ...] = (),
                      timeout: int = RUN_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run ``snakefile`` in ``workdir`` with the SLURM executor and profiles/slurm.

    Needs the ``slurm_cluster`` fixture. The jobs run this same venv's Python on
    the node (the job environment is exported with sbatch --export=ALL, and the
    venv's bin directory is put first on PATH). SLURM logs of all jobs are kept
    in ``workdir/slurm_logs``. Status polling is made faster than the profile's
    defaults, for a test. Returns the finished process (not checked); its
    ``slurm_run_id`` attribute is the SLURM job name of all its jobs (see
    ``slurm_jobs_of``). On timeout, the run's jobs are cancelled.
    """
    workdir = Path(workdir)
    prefix = f"pytest{uuid.uuid4().hex[:8]}"
    cmd = [
        sys.executable, "-m", "snakemake",
        "--snakefile", str(snakefile),
        "--directory", str(workdir),
        "--executor", "slurm",
        "--workflow-profile", str(PROFILE),
        # a working directory with a copy of the demo's config runs it as its own (as conftest.run_snakemake)
        *(["--configfile", str(workdir / "config" / "config.yaml")]
          if (workdir / "config" / "config.yaml").is_file() else []),
        # no accounting database: status from squeue (also in the profile)
        "--slurm-status-command", "squeue",
        "--slurm-jobname-prefix", prefix,
        "--slurm-logdir", str(workdir / "slurm_logs"),
        "--slurm-keep-successful-logs",
        # poll quickly: the jobs here take seconds, not hours
        "--slurm-init-seconds-before-status-checks", "3",
        "--seconds-between-status-checks", "3",
        "--latency-wait", "10",
        *extra_args,
    ]
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLURM_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    try:
        proc = subprocess.run(cmd, cwd=workdir, env=env, text=True, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        leftover = [job["id"] for job in _jobs_named(prefix)
                    if job["state"] in ("PENDING", "RUNNING", "CONFIGURING", "COMPLETING")]
        if leftover:
            subprocess.run(["scancel", *leftover], capture_output=True, timeout=SLURM_CMD_TIMEOUT)
        raise AssertionError(f"snakemake through SLURM did not finish within {timeout}s "
                             f"(cancelled jobs {leftover}):\n{_text(exc.stderr)[-8000:]}") from None
    match = re.search(r"SLURM run ID: (\S+)", proc.stdout + proc.stderr)
    proc.slurm_run_id = match.group(1) if match else None  # type: ignore[attr-defined]
    return proc


def slurm_jobs_of(proc: subprocess.CompletedProcess[str]) -> list[dict[str, str]]:
    """The SLURM jobs a ``run_through_slurm`` run submitted (from squeue, any state)."""
    run_id = getattr(proc, "slurm_run_id", None)
    assert run_id, f"no 'SLURM run ID' in Snakemake's output:\n{proc.stderr[-4000:]}"
    return [job for job in _jobs_named(run_id) if job["name"] == run_id]


def _describe(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout[-3000:]}\n--- stderr ---\n{proc.stderr[-8000:]}"


TINY_SNAKEFILE = textwrap.dedent(
    """
    SAMPLES = ["S1", "S2", "S3"]

    rule all:
        input:
            "cohort/summary.txt",

    rule evaluate_sample:
        output:
            "samples/{sample}.txt",
        shell:
            'echo "{wildcards.sample} job=$SLURM_JOB_ID node=$SLURMD_NODENAME" > {output}'

    rule cohort:
        input:
            expand("samples/{sample}.txt", sample=SAMPLES),
        output:
            "cohort/summary.txt",
        shell:
            'echo "cohort job=$SLURM_JOB_ID" > {output} && cat {input} >> {output}'
    """
)


def test_tiny_workflow_runs_through_slurm(slurm_cluster: dict[str, str], tmp_path: Path) -> None:
    snakefile = tmp_path / "Snakefile"
    snakefile.write_text(TINY_SNAKEFILE)
    started = time.monotonic()
    site = tmp_path / "site_profile"
    site.mkdir()
    (site / "config.yaml").write_text(
        f"default-resources:\n  slurm_partition: {slurm_cluster['site_partition']}\n")
    proc = run_through_slurm(tmp_path, snakefile, ["--profile", str(site)])
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, _describe(proc)

    # the outputs exist and were written inside SLURM jobs on our node
    job_of_output = {}
    for sample in ("S1", "S2", "S3"):
        text = (tmp_path / "samples" / f"{sample}.txt").read_text()
        match = re.fullmatch(rf"{sample} job=(\d+) node=(\S+)\n", text)
        assert match, f"samples/{sample}.txt was not written inside a SLURM job: {text!r}"
        assert match.group(2) == slurm_cluster["node"]
        job_of_output[f"rule_evaluate_sample_wildcards_{sample}"] = match.group(1)
    summary = (tmp_path / "cohort" / "summary.txt").read_text().splitlines()
    cohort_match = re.fullmatch(r"cohort job=(\d+)", summary[0])
    assert cohort_match, f"cohort/summary.txt was not written inside a SLURM job: {summary[0]!r}"
    job_of_output["rule_cohort"] = cohort_match.group(1)
    assert len(summary) == 4

    # SLURM itself (squeue, no accounting database) knows exactly these 4 jobs
    jobs = slurm_jobs_of(proc)
    by_comment = {job["comment"]: job for job in jobs}
    assert len(jobs) == 4 and set(by_comment) == set(job_of_output), jobs
    for comment, job in by_comment.items():
        assert job["id"] == job_of_output[comment], (comment, job)
        assert job["state"] == "COMPLETED", job
        assert job["nodes"] == slurm_cluster["node"], job
    # the site's own profile (given with --profile beside ours) chose the partition: ours names none
    for job in jobs:
        assert job["partition"] == slurm_cluster["site_partition"], job
    details = _slurm("scontrol", "show", "job", by_comment["rule_cohort"]["id"])
    assert f"Partition={slurm_cluster['site_partition']}" in details and "JobState=COMPLETED" in details, details

    # Snakemake reported the submissions, and the plugin's per-job SLURM logs exist
    for job in jobs:
        assert f"SLURM jobid {job['id']}" in proc.stderr + proc.stdout
    logs = sorted((tmp_path / "slurm_logs").rglob("*.log"))
    assert {log.stem for log in logs} == {job["id"] for job in jobs}, logs
    assert (tmp_path / "slurm_logs" / "rule_evaluate_sample" / "S1" / f"{job_of_output['rule_evaluate_sample_wildcards_S1']}.log").exists()

    print(f"tiny workflow through SLURM: {elapsed:.0f}s for {len(jobs)} jobs")


def test_demo_cohort_runs_through_slurm(slurm_cluster: dict[str, str], tmp_path: Path, demo_run: Path) -> None:
    """The real workflow on the demo cohort, every job through SLURM, same results as a local run."""
    from conftest import copy_project_inputs

    copy_project_inputs(tmp_path)
    proc = run_through_slurm(tmp_path, ROOT / "workflow" / "Snakefile")
    assert proc.returncode == 0, _describe(proc)

    jobs = slurm_jobs_of(proc)
    for job in jobs:
        assert job["state"] == "COMPLETED" and job["nodes"] == slurm_cluster["node"], job
        # the cluster's default partition: the shipped profile names none
        assert job["partition"] == slurm_cluster["partition"], job
    expected = [line.split("\t")[:2] for line in (ROOT / "resources" / "demo" / "expected.tsv").read_text().splitlines()
                if line and not line.startswith(("#", "sample\t"))]
    sheet = [line.split("\t") for line in (ROOT / "config" / "samples.tsv").read_text().splitlines()
             if line and not line.startswith(("#", "sample\t"))]
    patients = {p for p in {r[1] for r in sheet} if sum(r[1] == p for r in sheet) >= 2}
    # batches (limits.batch_size, mmrisk.batches): one submission per batch of samples, which also writes its
    # patients' pages, and one for the cohort job; the demo's 19 samples make one batch
    from mmrisk.batches import assign

    rows = {r[0]: r[1] for r in sheet}
    batches = assign(rows, 200)
    by_rule: dict[str, list[dict[str, str]]] = {}
    for job in jobs:
        by_rule.setdefault(job["comment"].split("_wildcards_")[0], []).append(job)
    assert {r: len(js) for r, js in by_rule.items()} == {"rule_evaluate_batch": len(batches), "rule_cohort": 1}, jobs
    assert {job["comment"] for job in by_rule["rule_evaluate_batch"]} == {
        f"rule_evaluate_batch_wildcards_{b}" for b in batches}
    # a batch asks for one CPU, one sample's memory (its samples run one after another) and the batch's time
    # (limits.batch_runtime_min, 240 minutes); the cohort job its own
    limits = {"rule_evaluate_batch": ("4:00:00", "3000M"), "rule_cohort": ("1:00:00", "4000M")}
    for rule, js in by_rule.items():
        for job in js:
            assert (job["time_limit"], job["min_memory"]) == limits[rule], job
    assert patients and all(
        (tmp_path / "results" / "patients" / p / "evolution.html").is_file() for p in patients)
    # the run ends with the closing summary, printed by the main process on the submit host
    out = proc.stdout + proc.stderr
    assert f"mmrisk: {len(expected)} samples, {len(expected) - 1} evaluated, 1 failed:" in out, out[-3000:]
    assert "  DEMO-11: " in out and "cohort/summary.tsv (column status)" in out

    local = (demo_run / "cohort" / "summary.tsv").read_text()
    assert (tmp_path / "results" / "cohort" / "summary.tsv").read_text() == local
    for sample in ("DEMO-02", "DEMO-07"):
        a = json.loads((tmp_path / "results" / "samples" / sample / "risk.json").read_text())
        b = json.loads((demo_run / "samples" / sample / "risk.json").read_text())
        assert a["risk"] == b["risk"] and a["lesions"] == b["lesions"]
