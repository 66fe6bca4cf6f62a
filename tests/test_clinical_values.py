"""Clinical values as they are recorded: ISS as a stage, LDH as a category, albumin of unknown unit
(the CoMMpass clinical table; the risk systems with a recorded stage)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from mmrisk.clinical import load_drugs, read_clinical_table
from mmrisk.lesions import Evidence, merge
from mmrisk.risk import Labs, evaluate_all, given_iss_conflict
from mmrisk.settings import Settings

CLINIC = CORPUS / "myeloma" / "commpass_gcp_mm" / "clinic_info_test.txt"
needs_corpus = pytest.mark.skipif(not CLINIC.is_file(), reason="the real myeloma corpus (../shared/corpus/myeloma) "
                                                                 "is absent")
T = Settings.defaults().risk
DRUGS = load_drugs(ROOT / "resources" / "drugs.tsv")
HR = ("t(4;14)", "t(14;16)", "t(14;20)", "del(17p)", "TP53_mutation", "gain(1q)", "del(1p32)")


def _commpass_as_our_table(tmp_path: Path) -> Path:
    """The real CoMMpass clinical table with its ISS/LDH_level columns named as ours (the values untouched)."""
    lines = CLINIC.read_text().splitlines()
    head = ["iss" if h == "ISS" else "ldh_level" if h == "LDH_level" else h for h in lines[0].split("\t")]
    p = tmp_path / "clinical.tsv"
    p.write_text("\n".join(["\t".join(head)] + lines[1:]) + "\n")
    return p


@needs_corpus
def test_commpass_iss_stages_and_ldh_categories_are_read(tmp_path: Path) -> None:
    table = read_clinical_table(_commpass_as_our_table(tmp_path), DRUGS)
    assert not table.file_problems and not table.problems_by_sample
    raw = {c[0]: (c[4], c[23]) for c in (x.split("\t") for x in CLINIC.read_text().splitlines()[1:])}
    assert len(table.records) == len(raw) == 30
    for sample, (iss, ldh) in raw.items():
        rec = table.records[sample]
        assert rec.iss_stage == {"ISS1": "I", "ISS2": "II", "ISS3": "III"}.get(iss)
        assert rec.ldh_high == {"High": True, "Normal": False, "Low": False}.get(ldh)
    # the real table's own spellings are named, not silently dropped
    real = read_clinical_table(CLINIC, DRUGS)
    assert any("'ISS'" in w and "iss" in w for w in real.warnings)


def _calls(absent: tuple[str, ...] = HR):
    calls, _ = merge([Evidence(lid, "absent", "FISH") for lid in absent], igh_breakapart_excludes_partners=False)
    return calls


@pytest.mark.parametrize("stage", ["I", "II", "III"])
def test_a_recorded_stage_is_the_iss_when_b2m_and_albumin_are_absent(stage: str) -> None:
    r = evaluate_all(_calls(), Labs(ldh_high=False, iss_stage=stage), T)
    assert r.iss.stage == stage and not r.iss.missing
    # R-ISS from the recorded stage, LDH and the absent high-risk CA: I stays I, III without HR/LDH is II
    assert r.riss.stage == {"I": "I", "II": "II", "III": "II"}[stage]
    without = evaluate_all(_calls(), Labs(ldh_high=False), T)
    assert without.iss.stage is None and "b2m_mg_l" in without.iss.missing


def test_a_recorded_stage_narrows_b2m_for_the_other_systems() -> None:
    # ISS III means β2M ≥ 5.5 mg/L; with one known albumin the stage still decides
    r = evaluate_all(_calls(), Labs(albumin_g_dl=4.0, ldh_high=True, iss_stage="III"), T)
    assert r.iss.stage == "III" and r.riss.stage == "III"
    r = evaluate_all(_calls(), Labs(b2m_mg_l=2.0, ldh_high=False, iss_stage="I"), T)
    assert r.iss.stage == "I"


def test_a_stage_contradicting_the_values_is_a_warning_and_the_values_decide() -> None:
    labs = Labs(b2m_mg_l=6.0, albumin_g_dl=4.0, ldh_high=False, iss_stage="I")
    assert evaluate_all(_calls(), labs, T).iss.stage == "III"
    w = given_iss_conflict(labs, T)
    assert w and "ISS I" in w and "ISS III" in w
    assert given_iss_conflict(Labs(b2m_mg_l=2.0, albumin_g_dl=4.0, iss_stage="I"), T) is None


@needs_corpus
@pytest.mark.parametrize("column,value,message", [
    ("iss", "IV", "not an ISS stage"), ("iss", "ISS5", "not an ISS stage"), ("ldh_level", "elevated?", "not an LDH"),
    ("albumin", "6", "does not tell g/dL from g/L"), ("albumin", "nan", ""),
])
def test_hostile_recorded_values_are_problems_of_the_row(tmp_path: Path, column: str, value: str,
                                                         message: str) -> None:
    p = _commpass_as_our_table(tmp_path)
    lines = p.read_text().splitlines()
    head = lines[0].split("\t")
    if column not in head:
        head.append(column)
        lines = ["\t".join(head)] + [x + "\t" for x in lines[1:]]
    cells = lines[3].split("\t")
    cells[head.index(column)] = value
    lines[3] = "\t".join(cells)
    p.write_text("\n".join(lines) + "\n")
    table = read_clinical_table(p, DRUGS)
    probs = table.problems_by_sample[cells[0]]
    assert any(message in x.message and x.line == 4 and x.column == column for x in probs)
    assert cells[0] not in table.records


@pytest.mark.parametrize("value,g_dl", [("3.4", 3.4), ("34", 3.4), ("4.5", 4.5), ("45", 4.5)])
def test_albumin_without_unit_by_unambiguous_magnitude(tmp_path: Path, value: str, g_dl: float) -> None:
    p = tmp_path / "c.tsv"
    p.write_text(f"sample\talbumin\tldh_level\tiss\nS1\t{value}\thigh\tISS II\n")
    rec = read_clinical_table(p, DRUGS).records["S1"]
    assert (rec.albumin_g_dl, rec.ldh_high, rec.iss_stage) == (g_dl, True, "II")


def test_ldh_level_contradicting_the_value_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "c.tsv"
    p.write_text("sample\tldh_u_l\tldh_uln_u_l\tldh_level\nS1\t300\t250\tnormal\n")
    probs = read_clinical_table(p, DRUGS).problems_by_sample["S1"]
    assert any(x.column == "ldh_level" and "contradicts" in x.message for x in probs)
