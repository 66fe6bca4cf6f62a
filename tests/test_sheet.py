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


# ---------------------------------------------------------------------------
# #13: relations between thresholds, ranges, non-finite numbers; sheet columns and value lengths

def _demo_config() -> dict:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    cfg["samples"] = str(ROOT / "config" / "samples.tsv")
    cfg["clinical"] = None
    cfg["resources"] = {k: str(ROOT / v) for k, v in cfg["resources"].items()}
    return cfg


def _set(cfg: dict, path: str, value: object) -> dict:
    node = cfg
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    return cfg


def _problems(cfg: dict) -> list:
    with pytest.raises(InputError) as ei:
        validate_config(cfg)
    return ei.value.problems


RELATION_BREAKS = [
    # (what the issue or the schema's x-relations says, the settings that break it, the key blamed)
    ("biallelic below loss", {"cnv.biallelic_max": 1.5}, "cnv.biallelic_max"),
    ("loss below gain (#13: loss_max above gain_min)", {"cnv.loss_max": 2.4, "cnv.gain_min": 2.3},
     "cnv.loss_max"),
    ("amplification above gain", {"cnv.amp_min": 2.5}, "cnv.gain_min"),
    ("trisomy above loss", {"cnv.trisomy_min": 1.4}, "cnv.loss_max"),
    ("amplification a plausible copy number", {"cnv.max_copies": 3.0}, "cnv.amp_min"),
    ("trisomy a plausible copy number", {"cnv.trisomy_min": 100, "cnv.max_copies": 100}, "cnv.trisomy_min"),
    ("ISS b2m low below high", {"risk.iss.b2m_low_mg_l": 6.0}, "risk.iss.b2m_low_mg_l"),
    ("R2-ISS stages increasing: I < II", {"risk.r2iss.stage_max_score": {"I": 1.0, "II": 1.0, "III": 2.5}},
     "risk.r2iss.stage_max_score.I"),
    ("R2-ISS stages increasing: II < III", {"risk.r2iss.stage_max_score": {"I": 0.0, "II": 3.0, "III": 2.5}},
     "risk.r2iss.stage_max_score.II"),
    ("R2-ISS stage IV reachable", {"risk.r2iss.stage_max_score": {"I": 0.0, "II": 1.0, "III": 5.0}},
     "risk.r2iss.stage_max_score.III"),
    ("ISS III scores at least ISS II", {"risk.r2iss.points": {"iss_II": 2.0, "iss_III": 1.5, "del17p": 1.0,
                                                              "ldh_high": 1.0, "t4_14": 1.0, "gain1q": 0.5}},
     "risk.r2iss.points.iss_II"),
    ("FISH hyperdiploidy tested >= trisomies", {"fish.hyperdiploidy_min_trisomies": 4,
                                                "fish.hyperdiploidy_min_tested": 3},
     "fish.hyperdiploidy_min_trisomies"),
]


@pytest.mark.parametrize("why,changes,blamed", RELATION_BREAKS, ids=[r[0] for r in RELATION_BREAKS])
def test_config_relation_is_checked(why: str, changes: dict, blamed: str) -> None:
    cfg = _demo_config()
    for path, value in changes.items():
        _set(cfg, path, value)
    problems = _problems(cfg)
    assert [p.column for p in problems] == [blamed], why
    assert "must be" in problems[0].message


def test_every_schema_relation_has_a_test() -> None:
    from mmrisk.tables import load_schema
    relations = load_schema("config")["x-relations"]
    assert {r["left"] for r in relations} == {b for _, _, b in RELATION_BREAKS}
    assert len(relations) == len(RELATION_BREAKS)


def test_the_default_config_obeys_every_relation() -> None:
    validate_config(_demo_config())


def test_config_relations_and_ranges_listed_all_at_once() -> None:
    cfg = _demo_config()
    _set(cfg, "cnv.loss_max", 3.0)                  # above gain_min 2.5 and trisomy_min 2.5
    _set(cfg, "cnv.trisomy_min_fraction", 0)        # 0 makes no sense: (0, 1]
    _set(cfg, "fish.cutoffs.deletion", 0)           # (0, 100]
    _set(cfg, "snv.vaf_floor", 1.0)                 # [0, 1)
    _set(cfg, "risk.r2iss.stage_max_score", {"I": 0.0, "II": 2.5, "III": 2.5})
    _set(cfg, "risk.iss.albumin_g_dl", float("nan"))
    _set(cfg, "risk.imwg2025.b2m_mg_l", float("inf"))
    _set(cfg, "cnv.ploidy", 1e308)
    cols = sorted(str(p.column) for p in _problems(cfg))
    assert cols == sorted([
        "cnv.loss_max", "cnv.loss_max",              # two relations, both named
        "cnv.trisomy_min_fraction", "fish.cutoffs.deletion", "snv.vaf_floor",
        "risk.r2iss.stage_max_score.II", "risk.iss.albumin_g_dl", "risk.imwg2025.b2m_mg_l",
        "risk.imwg2025.b2m_mg_l",                    # inf: not finite, and above the maximum
        "cnv.ploidy"])


def test_relation_message_names_both_values() -> None:
    cfg = _set(_set(_demo_config(), "cnv.loss_max", 2.4), "cnv.gain_min", 2.3)
    [p] = _problems(cfg)
    assert "cnv.loss_max (2.4) must be < cnv.gain_min (2.3)" in p.message


def _demo_sheet(tmp_path: Path, edit) -> str:
    """The demo sample sheet, its paths made absolute, changed by ``edit(lines) -> lines``."""
    src = (ROOT / "config" / "samples.tsv").read_text(encoding="utf-8")
    text = src.replace("../resources/", str(ROOT / "resources") + "/")
    lines = edit(text.splitlines())
    return write(tmp_path / "samples.tsv", "\n".join(lines) + "\n")


def _header_index(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if not line.startswith("#"))


def test_misspelt_sheet_column_is_named_with_the_closest_known_one(tmp_path: Path) -> None:
    def misspell(lines: list[str]) -> list[str]:
        h = _header_index(lines)
        lines[h] = lines[h].replace("purity", "puritiy") + "\tlab_note"
        return lines
    cohort = read_sample_sheet(_demo_sheet(tmp_path, misspell))
    [purity, other] = cohort.notes
    assert "'puritiy'" in purity and "did you mean 'purity'?" in purity
    assert "'lab_note'" in other and "known columns: sample, patient" in other
    # preflight says it before any job runs
    from conftest import demo_config
    from mmrisk.preflight import preflight
    lines = list(preflight(cohort, demo_config()))
    assert lines[:2] == cohort.notes


@pytest.mark.parametrize("column,length", [("tumor_column", 130_000), ("tumor_column", 256), ("snv_vcf", 5000)])
def test_oversized_sheet_value_is_refused_before_any_job(tmp_path: Path, column: str, length: int) -> None:
    def grow(lines: list[str]) -> list[str]:
        h = _header_index(lines)
        i = lines[h].split("\t").index(column)
        cells = lines[h + 1].split("\t")
        cells[i] = "T" * length
        lines[h + 1] = "\t".join(cells)
        return lines
    with pytest.raises(InputError) as ei:
        read_sample_sheet(_demo_sheet(tmp_path, grow))
    [p] = ei.value.problems
    assert p.column == column and p.line == 4 and "at most" in (p.expected or "")
    assert len(str(p)) < 600  # the value is shown shortened


def test_sheet_nan_inf_purity_refused(tmp_path: Path) -> None:
    def purities(lines: list[str]) -> list[str]:
        h = _header_index(lines)
        for k, v in enumerate(["nan", "inf", "1e308", "0", "-1", "1e999"], start=1):
            lines[h + k] = lines[h + k] + v
        return lines
    with pytest.raises(InputError) as ei:
        read_sample_sheet(_demo_sheet(tmp_path, purities))
    assert [(p.line, p.column) for p in ei.value.problems] == [(n, "purity") for n in range(4, 10)]
