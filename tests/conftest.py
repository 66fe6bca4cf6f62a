"""Shared test fixtures: the repository root, the venv's tools, and one real
Snakemake run of the demo cohort (made once per test session)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SNAKEMAKE = str(BIN / "snakemake") if (BIN / "snakemake").exists() else shutil.which("snakemake") or "snakemake"
CORPUS = ROOT.parent / "shared" / "corpus"


def run_snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real workflow with ``workdir`` as its working directory.

    A working directory made by :func:`copy_project_inputs` holds a copy of the demo's configuration: it
    is given as the run's own (``--configfile``), so its paths are the copies' (tests change them); the
    shipped configuration alone would name the repository's files (a demo run, ``mmrisk.layering``).
    """
    own = Path(workdir) / "config" / "config.yaml"
    given = ["--configfile", str(own)] if own.is_file() and "--configfile" not in args else []
    cmd = [SNAKEMAKE, "--snakefile", str(ROOT / "workflow" / "Snakefile"), "--directory", str(workdir),
           "--cores", "2", *given, *args]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(cmd, cwd=workdir, text=True, capture_output=True, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}")
    return proc


def planned_jobs(workdir: Path, *args: str) -> dict[str, int]:
    """Snakemake's own plan (a dry run): the number of jobs per rule."""
    proc = run_snakemake(workdir, "--dry-run", *args)
    stats: dict[str, int] = {}
    block = proc.stdout.split("Job stats:")[-1] if "Job stats:" in proc.stdout else ""
    for line in block.splitlines():
        m = re.match(r"^(\w+)\s+(\d+)\s*$", line.strip())
        if m and m.group(1) != "total":
            stats[m.group(1)] = int(m.group(2))
    return stats


def copy_project_inputs(dst: Path) -> None:
    """A working directory that looks like the repository: config and resources."""
    shutil.copytree(ROOT / "config", dst / "config")
    shutil.copytree(ROOT / "resources", dst / "resources")


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo cohort, run once through the real workflow in a temporary folder."""
    work = tmp_path_factory.mktemp("demo")
    copy_project_inputs(work)
    run_snakemake(work, "--keep-going")
    return work / "results"


def demo_config() -> dict:
    """The demo's configuration, validated, with every path absolute (for in-process evaluations)."""
    from mmrisk.settings import load_config

    return load_config(ROOT / "config" / "config.yaml", ROOT)


def evaluate_demo(sample_id: str):
    """One demo sample evaluated in this process: ``(SampleResult, its risk.json object)``."""
    from mmrisk.entry import evaluate
    from mmrisk.outputs import risk_document
    from mmrisk.sheet import read_sample_sheet

    config = demo_config()
    sample = read_sample_sheet(config["samples"], config["default_build"]).samples[sample_id]
    outcome = evaluate(sample, config, config["samples"])
    assert outcome.result is not None, outcome.error
    return outcome.result, risk_document(outcome.result)
