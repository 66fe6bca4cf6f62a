"""Sample sheet and configuration validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from mmrisk.errors import InputError
from mmrisk.sheet import read_sample_sheet, validate_config


def write(p: Path, text: str) -> str:
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_paths_resolve_against_the_sheet_folder(tmp_path: Path):
    (tmp_path / "cohort").mkdir()
    sheet = write(tmp_path / "cohort" / "s.tsv",
                  "# comment\nsample\tfish\tsnv_vcf\tpurity\n"
                  "S1\tdata/fish.tsv\t/abs/x.vcf.gz\t0.7\n")
    s = read_sample_sheet(sheet).samples["S1"]
    assert s.fish == str(tmp_path / "cohort" / "data" / "fish.tsv")
    assert s.snv_vcf == "/abs/x.vcf.gz"
    assert s.patient == "S1" and s.build == "GRCh38" and s.purity == 0.7


def test_default_build_from_config(tmp_path: Path):
    sheet = write(tmp_path / "s.tsv", "sample\tbuild\tfish\nA\t\tf\nB\tGRCh38\tf\n")
    c = read_sample_sheet(sheet, default_build="GRCh37")
    assert c.samples["A"].build == "GRCh37" and c.samples["B"].build == "GRCh38"


def test_every_problem_at_once(tmp_path: Path):
    sheet = write(tmp_path / "s.tsv",
                  "sample\tcollection_date\tpurity\tfish\n"
                  "-bad\t\t\tf\n"
                  "A\t2024-02-30\t\tf\n"
                  "B\t\t0\tf\n"
                  "C\t\t\t\n"
                  "D\t2024-13-01\t1.5\tf\n")
    with pytest.raises(InputError) as ei:
        read_sample_sheet(sheet)
    text = str(ei.value)
    problems = ei.value.problems
    assert {p.line for p in problems} == {2, 3, 4, 5, 6}
    assert "line 2, column 'sample'" in text and "'-bad'" in text
    assert "line 3, column 'collection_date'" in text and "calendar date" in text
    assert "line 4, column 'purity'" in text and "0 < p <= 1" in text
    assert "line 5" in text and "no input file given" in text
    assert "line 6, column 'collection_date'" in text and "line 6, column 'purity'" in text


def test_sheet_not_tab_separated(tmp_path: Path):
    sheet = write(tmp_path / "s.csv", "sample,fish\nA,f\n")
    with pytest.raises(InputError, match="tab-separated"):
        read_sample_sheet(sheet)


def test_config_defaults_and_problems(tmp_path: Path):
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    cfg["samples"] = str(ROOT / "config" / "samples.tsv")
    cfg["clinical"] = None
    cfg["resources"] = {k: str(ROOT / v) for k, v in cfg["resources"].items()}
    del cfg["risk"]
    out = validate_config(cfg)
    assert out["clinical"] == ""
    assert out["risk"]["imwg2025"]["del17p_min_fraction"] == 0.2
    assert out["risk"]["r2iss"]["points"]["gain1q"] == 0.5
    bad = dict(cfg, default_build="hg38", outdir="", fish={"cutoffs": {"fusion": 150}}, extra=1)
    with pytest.raises(InputError) as ei:
        validate_config(bad)
    cols = {p.column for p in ei.value.problems}
    assert {"default_build", "outdir", "fish.cutoffs.fusion"} <= cols
    assert any("extra" in p.message for p in ei.value.problems)
