"""requirements.txt, constraints.txt and environment.yml describe one environment."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT

# PyPI names whose conda-forge/bioconda package has another name
CONDA_NAME = {"pyyaml": "pyyaml", "jinja2": "jinja2", "playwright": "playwright-python"}


def _pins(path, sep="=="):
    out = {}
    for line in (ROOT / path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition(sep)
            out[re.sub(r"[-_.]+", "-", name.lower())] = version
    return out


def test_requirements_are_pinned():
    for name, version in _pins("requirements.txt").items():
        assert re.fullmatch(r"\d+(\.\d+)*", version), f"{name} is not pinned to one version"
    for name in ("snakemake", "pandas", "pysam", "cyvcf2"):
        assert name in _pins("requirements.txt")
    assert int(_pins("requirements.txt")["snakemake"].split(".")[0]) >= 9


def test_environment_yml_lists_the_same_packages():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    for dep in env["dependencies"]:
        name, _, version = dep.partition("=")
        conda[name] = version
    pip = _pins("requirements.txt")
    assert {CONDA_NAME.get(n, n) for n in pip} == set(conda) - {"python"}
    for name, version in pip.items():
        assert conda[CONDA_NAME.get(name, name)] == version, name
    assert conda["python"] == "3.11"


def test_constraints_agree_with_requirements():
    constraints = _pins("constraints.txt")
    for name, version in _pins("requirements.txt").items():
        assert constraints.get(name) == version, f"{name}: constraints.txt has {constraints.get(name)}"


def test_rule_environment_holds_only_what_the_rules_run():
    """workflow/envs/mmrisk.yaml (the rules' conda environment): the workflow's runtime libraries at the pinned
    versions, and no test runner, formatter or browser driver."""
    env = yaml.safe_load((ROOT / "workflow" / "envs" / "mmrisk.yaml").read_text())
    conda = dict(dep.partition("=")[::2] for dep in env["dependencies"])
    pip = _pins("requirements.txt")
    for name, version in conda.items():
        if name != "python":
            assert pip[name] == version, name
    assert not {"pytest", "playwright", "playwright-python", "hypothesis", "snakefmt"} & set(conda)
    assert {"cyvcf2", "pysam", "jinja2", "jsonschema", "snakemake"} <= set(conda)
    for rule_file in (ROOT / "workflow" / "rules").glob("*.smk"):
        text = rule_file.read_text()
        assert "environment.yml" not in text, rule_file


def test_workflow_files_are_snakefmt_clean():
    import subprocess
    import sys
    from pathlib import Path as _P

    snakefmt = _P(sys.executable).parent / "snakefmt"
    proc = subprocess.run([str(snakefmt), "--check", str(ROOT / "workflow")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_python_is_ruff_clean():
    """The house lint (ruff.toml: syntax errors and pyflakes) over the package, its entry points and the tests."""
    import subprocess
    import sys
    from pathlib import Path as _P

    ruff = _P(sys.executable).parent / "ruff"
    proc = subprocess.run([str(ruff), "check", "--no-cache", "scripts", "tests"], cwd=ROOT, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
