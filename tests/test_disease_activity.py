"""Disease-activity values of the clinical table (#17 point 3): MRD with method and sensitivity, M-protein, FLC.

No real clinical table of the corpus carries MRD (it is a clinical record, not a caller's output), so the
tables here are written in tmp_path in the documented form; the demo's (DP20's MRD series) is read through
the real workflow.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from mmrisk.clinical import load_drugs, read_clinical_table
from mmrisk.diseaseactivity import DiseaseActivity, parse_sensitivity
from mmrisk.tables import load_schema

DRUGS = load_drugs(ROOT / "resources" / "drugs.tsv")
HEADER = "sample\tmrd\tmrd_method\tmrd_sensitivity\tm_protein_g_dl\tinvolved_flc_mg_l\tinvolved_flc_chain\n"
SCHEMA = load_schema("clinical")["properties"]


def read(tmp_path: Path, *rows: str):
    p = tmp_path / "clinical.tsv"
    p.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return read_clinical_table(p, DRUGS)


@pytest.mark.parametrize("written, value", [("10^-6", 1e-6), ("10-6", 1e-6), ("10⁻⁶", 1e-6), ("1e-6", 1e-6),
                                            ("1:100000", 1e-5), ("1 in 100,000", 1e-5), ("0.00001", 1e-5),
                                            ("10^-5", 1e-5), ("2e-6", 2e-6)])
def test_sensitivities_as_labs_write_them(written: str, value: float) -> None:
    assert parse_sensitivity(written) == pytest.approx(value)


def test_a_full_row_is_read_and_empty_cells_are_not_assessed(tmp_path: Path) -> None:
    t = read(tmp_path, "S1\tMRD-negative\tngs\t10⁻⁶\t0\t12.5\tKappa", "S2\t\t\t\t2.1\t\t", "S3\t\t\t\t\t\t")
    assert not t.problems_by_sample
    a = t.records["S1"].activity
    assert a == DiseaseActivity("negative", "NGS", 1e-6, 0.0, 12.5, "kappa") and a.sensitivity_text == "10⁻⁶"
    # an M-protein of 0 is a value (not detectable), an empty MRD cell is not assessed: never negative
    only_mprotein = t.records["S2"].activity
    assert only_mprotein.mrd is None and only_mprotein.m_protein_g_dl == 2.1
    assert t.records["S3"].activity is None


@pytest.mark.parametrize("column, cell, words", [
    ("mrd", "maybe", "not an MRD result"),
    ("mrd_method", "clonoSEQ", "not an MRD method"),
    ("mrd_sensitivity", "high", "not an MRD sensitivity"),
    ("mrd_sensitivity", "10^-9", "out of range"),
    ("mrd_sensitivity", "0.5", "out of range"),
    ("m_protein_g_dl", "-0.1", "invalid value"),
    ("m_protein_g_dl", "25", "invalid value"),
    ("involved_flc_mg_l", "lots", "invalid value"),
    ("involved_flc_chain", "mu", "not a light chain"),
])
def test_each_bad_value_is_one_problem_naming_line_and_column(tmp_path: Path, column: str, cell: str,
                                                              words: str) -> None:
    cells = {"mrd": "positive", "mrd_method": "NGF", "mrd_sensitivity": "2e-6", "m_protein_g_dl": "1.1",
             "involved_flc_mg_l": "210", "involved_flc_chain": "lambda", column: cell}
    row = "S1\t" + "\t".join(cells[c] for c in HEADER.strip().split("\t")[1:])
    t = read(tmp_path, row, "S2\tnegative\tNGS\t1e-6\t0\t10\tkappa")
    (problem,) = t.problems_by_sample["S1"]
    assert problem.line == 2 and problem.column == column and words in str(problem), str(problem)
    assert "S1" not in t.records and t.records["S2"].activity.mrd == "negative"  # fails only its own sample


def test_the_ranges_are_the_schemas() -> None:
    lo, hi = SCHEMA["mrd_sensitivity"]["minimum"], SCHEMA["mrd_sensitivity"]["maximum"]
    assert parse_sensitivity("1e-7") == lo and parse_sensitivity("1e-2") == hi
    assert SCHEMA["m_protein_g_dl"]["maximum"] == 20 and SCHEMA["involved_flc_mg_l"]["minimum"] == 0


def test_method_or_sensitivity_without_a_result_is_a_problem_each(tmp_path: Path) -> None:
    t = read(tmp_path, "S1\t\tNGS\t1e-6\t\t\t")
    problems = t.problems_by_sample["S1"]
    assert sorted(p.column for p in problems) == ["mrd_method", "mrd_sensitivity"]
    assert all("without an MRD result" in str(p) for p in problems)
    # a result without method or sensitivity is kept, the page says what was not given
    kept = read(tmp_path, "S1\tpositive\t\t\t\t\t").records["S1"].activity
    assert kept.mrd == "positive" and kept.mrd_method is None and kept.sensitivity_text is None


def test_dp20_mrd_series_through_the_workflow(demo_run: Path) -> None:
    """DP20: MRD not assessed at diagnosis, negative by NGS at 10^-6 in remission, positive by NGF at relapse."""
    def activity(sample: str) -> dict | None:
        doc = json.loads((demo_run / "samples" / sample / "risk.json").read_text(encoding="utf-8"))
        return doc["clinical"]["disease_activity"]

    dx, remission, relapse = activity("DEMO-20"), activity("DEMO-21"), activity("DEMO-22")
    assert dx["mrd"] is None and dx["m_protein_g_dl"] == 4.2 and dx["involved_flc_chain"] == "lambda"
    assert remission == {"mrd": "negative", "mrd_method": "NGS", "mrd_sensitivity": 1e-6, "m_protein_g_dl": 0,
                         "involved_flc_mg_l": 14, "involved_flc_chain": "lambda"}
    assert relapse["mrd"] == "positive" and relapse["mrd_method"] == "NGF" and relapse["mrd_sensitivity"] == 2e-6
    page = (demo_run / "samples" / "DEMO-21" / "report.html").read_text(encoding="utf-8")
    assert "Disease activity at this sample" in page and "MRD negative" in page
    assert "next-generation sequencing (NGS)" in page and "sensitivity 10⁻⁶" in page
    # a sample whose row gives none: said, not hidden
    assert "gives no MRD, M-protein or free light chain" in (demo_run / "samples" / "DEMO-02" / "report.html"
                                                            ).read_text(encoding="utf-8")
    patient = (demo_run / "patients" / "DP20" / "evolution.html").read_text(encoding="utf-8")
    assert "MRD− NGS 10⁻⁶" in patient and "MRD+ NGF 2×10⁻⁶" in patient and "M 4.2 g/dL; FLC λ 1250 mg/L" in patient


HOSTILE = st.sampled_from(["", "NA", "nan", "inf", "-inf", "1e308", "-1", "0", "10^-0", "10^-99", "1:0", "1:", "10⁻",
                           "\ufeffnegative", "x" * 5000, "\udcff", "negative", "POS", "NGS", "kappa", "10-6",
                           "1 in 1,000,000", "0x10", "١٠"])


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(HOSTILE, min_size=6, max_size=6))
def test_hostile_cells_give_problems_or_sound_values(tmp_path: Path, cells: list[str]) -> None:
    p = tmp_path / "clinical.tsv"
    p.write_bytes((HEADER + "S1\t" + "\t".join(cells) + "\r\n").encode("utf-8", "surrogateescape"))
    t = read_clinical_table(p, DRUGS)
    lo, hi = SCHEMA["mrd_sensitivity"]["minimum"], SCHEMA["mrd_sensitivity"]["maximum"]
    for record in t.records.values():
        a = record.activity
        if a is None:
            continue
        assert a.mrd in (None, "negative", "positive") and a.mrd_method in (None, "NGS", "NGF", "flow", "PCR")
        assert a.mrd_sensitivity is None or lo <= a.mrd_sensitivity <= hi
        assert (a.mrd_method is None and a.mrd_sensitivity is None) or a.mrd is not None
        assert a.m_protein_g_dl is None or 0 <= a.m_protein_g_dl <= 20
    for problems in t.problems_by_sample.values():
        assert problems and all(pr.line == 2 and pr.column for pr in problems)
