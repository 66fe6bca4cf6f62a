"""Deploy anywhere (issue #15): as a Snakemake module from another folder, with --directory, and with a
user's configuration that inherits nothing of the demo's.

Each test runs the real workflow from a temporary folder that holds nothing of the repository (no
copied config or resources): every packaged file must be found relative to the workflow itself.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

from conftest import ROOT, SNAKEMAKE, run_snakemake

DEMO = ROOT / "resources" / "demo"


def _sheet(folder: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A sample sheet of ``(sample, build, fish table)`` rows."""
    path = folder / "samples.tsv"
    path.write_text("sample\tbuild\tfish\n" + "".join(f"{s}\t{b}\t{f}\n" for s, b, f in rows))
    return path


def _risk(out: Path, sample: str) -> dict:
    return json.loads((out / "samples" / sample / "risk.json").read_text())


def test_deployed_as_a_module_from_another_folder(tmp_path: Path):
    """What the workflow catalog's snakedeploy sets up: the user's Snakefile, config and sheet, and our
    workflow as a module (here by local path; snakedeploy names a tagged release)."""
    _sheet(tmp_path, [("DEMO-01", "GRCh38", str(DEMO / "fish.tsv")), ("MY-02", "GRCh38", str(DEMO / "fish.tsv"))])
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text("samples: samples.tsv\noutdir: results\n")
    (tmp_path / "Snakefile").write_text(textwrap.dedent(f"""\
        configfile: "config/config.yaml"


        module mmrisk:
            snakefile:
                "{ROOT / 'workflow' / 'Snakefile'}"
            config:
                config


        use rule * from mmrisk as mmrisk_*
        """))
    proc = subprocess.run([SNAKEMAKE, "--cores", "2"], cwd=tmp_path, text=True, capture_output=True)
    assert proc.returncode == 0, proc.stderr[-6000:]
    out = tmp_path / "results"
    assert (out / "cohort" / "index.html").is_file()
    doc = _risk(out, "DEMO-01")
    # the workflow's own resources, found from the workflow, not from the deploying folder
    resources = {r["name"]: r["path"] for r in doc["provenance"]["resources"]}
    assert resources["knowledge_base"] == str(ROOT / "resources" / "knowledge_base.tsv")
    # the module's config is the user's: no demo clinical table, even for a sample id the demo also has
    assert not any(i["kind"] == "clinical" for i in doc["provenance"]["inputs"])
    assert doc["risk"]["iss"]["stage"] is None
    summary = (out / "cohort" / "summary.tsv").read_text()
    assert "DEMO-01\t" in summary and "MY-02\t" in summary


def test_demo_runs_with_directory_elsewhere(tmp_path: Path):
    proc = run_snakemake(tmp_path, "--dry-run")
    assert "(the bundled demo)" in proc.stdout + proc.stderr
    assert "evaluate_batch" in proc.stdout


def test_user_config_without_clinical_never_gets_the_demo_table(tmp_path: Path):
    """A user's cohort whose sample ids collide with the demo's: the demo's fictional lab values must not
    reach them, whether the cohort is given by --configfile or by --config samples=..."""
    sheet = _sheet(tmp_path, [("DEMO-01", "GRCh38", str(DEMO / "fish.tsv")), ("DEMO-05", "GRCh38", str(DEMO / "fish.tsv"))])
    user = tmp_path / "my.yaml"
    user.write_text(f"samples: {sheet}\noutdir: {tmp_path / 'a'}\n")
    proc = run_snakemake(tmp_path, "--configfile", str(user))
    assert "the demo's table is never used for your samples" in proc.stdout + proc.stderr
    run_snakemake(tmp_path, "--config", f"samples={sheet}", f"outdir={tmp_path / 'b'}")
    for out in (tmp_path / "a", tmp_path / "b"):
        for sample in ("DEMO-01", "DEMO-05"):
            doc = _risk(out, sample)
            assert not any(i["kind"] == "clinical" for i in doc["provenance"]["inputs"]), out
            assert doc["risk"]["iss"]["stage"] is None and doc["refractory"]["class"] is None
    # the demo itself still has its clinical table
    demo = run_snakemake(tmp_path, "--config", f"outdir={tmp_path / 'demo'}", "--forcerun", "cohort")
    assert "(the bundled demo)" in demo.stdout + demo.stderr
    assert _risk(tmp_path / "demo", "DEMO-05")["risk"]["iss"]["stage"] == "III"


def test_user_config_without_samples_is_refused(tmp_path: Path):
    user = tmp_path / "my.yaml"
    user.write_text("outdir: results\n")
    proc = run_snakemake(tmp_path, "--configfile", str(user), "--dry-run", check=False)
    assert proc.returncode != 0
    assert "names no sample sheet" in proc.stdout + proc.stderr
