"""Lesion calls without percentages, MAF-family calls without partner, light-chain translocations and
discordant sources (#14 points 3, 5, 7), built from the CoMMpass translocation calls of the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS
from mmrisk.fish import fish_evidence, load_default_probes, load_default_targets, read_fish_table
from mmrisk.lesions import merge
from mmrisk.risk import Labs, evaluate_all
from mmrisk.settings import Settings

MM = CORPUS / "myeloma" / "commpass_gcp_mm"
pytestmark = pytest.mark.skipif(not MM.is_dir(), reason=f"corpus folder {MM} is absent")
CUTS = {"fusion": 10.0, "breakapart": 10.0, "deletion": 20.0, "gain": 20.0}
T = Settings.defaults().risk
#: the CoMMpass columns and the targets a lab would write for them
COLUMNS = {"t_CCND1": "t(11;14)", "t_MMSET": "t(4;14)", "t_MAF": "MAF translocation"}


def _calls_table(path: Path) -> dict[str, dict[str, str]]:
    lines = path.read_text().splitlines()
    head = lines[0].split("\t")
    return {c[0]: dict(zip(head, c)) for c in (ln.split("\t") for ln in lines[1:] if ln.strip())}


def _fish_rows(calls: dict[str, dict[str, str]], method: str, origin: str) -> list[str]:
    return [f"{s}\t{target}\t{'positive' if row[col] == '1' else 'negative'}\t\t{method}\t{origin}"
            for s, row in calls.items() for col, target in COLUMNS.items()]


def _sample_calls(table: Path, sample: str):
    t = read_fish_table(table, load_default_targets(), load_default_probes())
    assert t.problems(sample) == []
    ev, warnings = fish_evidence(t.observations(sample), CUTS)
    calls, merge_warnings = merge(ev)
    return calls, warnings + merge_warnings


@pytest.fixture()
def seqfish(tmp_path: Path) -> Path:
    rows = _fish_rows(_calls_table(MM / "commpass_translocations.txt"), "seqFISH", "commpass_translocations.txt")
    p = tmp_path / "fish.tsv"
    p.write_text("sample\ttarget\tresult\tpercent\tmethod\tcomment\n" + "\n".join(rows) + "\n")
    return p


def test_positive_calls_without_percent_are_the_labs_call_with_fraction_unknown(seqfish: Path) -> None:
    calls, _ = _sample_calls(seqfish, "MMRF_1016")  # t_MMSET = 1
    c = calls["t(4;14)"]
    assert c.status == "present" and c.fraction is None and c.sources == ["FISH"]
    assert c.evidence[0].method == "seqFISH" and "no FISH cut-off could be applied" in c.evidence[0].detail
    assert calls["t(11;14)"].status == "absent"
    calls, _ = _sample_calls(seqfish, "MMRF_1054")  # t_CCND1 = 1
    assert calls["t(11;14)"].status == "present" and calls["t(4;14)"].status == "absent"


def test_fish_rows_without_method_still_need_a_percent(tmp_path: Path) -> None:
    p = tmp_path / "fish.tsv"
    p.write_text("sample\ttarget\tresult\tpercent\tmethod\nS1\tt(4;14)\tpositive\t\t\nS2\tt(4;14)\tpositive\t\tFISH\n"
                 "S3\tt(4;14)\tpositive\t\tngs\nS4\tt(4;14)\tpositive\t\tPCR\n")
    t = read_fish_table(p, load_default_targets(), load_default_probes())
    assert t.problems("S1") and t.problems("S2") and not t.problems("S3") and t.problems("S4")
    assert t.observations("S3")[0].method == "NGS"


def test_maf_family_call_without_partner_is_not_guessed(seqfish: Path, tmp_path: Path) -> None:
    calls, _ = _sample_calls(seqfish, "MMRF_1016")
    assert calls["t(14;16)"].status == "absent" and calls["t(14;20)"].status == "absent"  # t_MAF = 0
    p = tmp_path / "maf.tsv"
    p.write_text("sample\ttarget\tresult\tmethod\nS1\tt(14;16) or t(14;20)\tpositive\tNGS\n"
                 "S1\tgain(1q)\tpositive\treport\n")
    calls, _ = _sample_calls(p, "S1")
    for lid in ("t(14;16)", "t(14;20)"):
        assert calls[lid].status == "not_assessed" and not calls[lid].discordant
        assert calls[lid].evidence[0].alternatives == ("t(14;16)", "t(14;20)")
        assert any("not guessed" in n for n in calls[lid].notes)
    assert calls["IGH_rearrangement"].status == "present"
    risk = evaluate_all(calls, Labs(), T)
    # IMWG 2025 and mSMART 3 count either partner: a MAF-family translocation with gain(1q) decides them
    assert risk.msmart3.call == "high" and "gain(1q)" in risk.msmart3.criteria_met
    # R-ISS counts only t(14;16): it stays open, naming it
    assert risk.riss.stage is None



def test_maf_family_call_alone_is_high_risk_by_either_partner_never_an_internal_error(tmp_path: Path) -> None:
    """mSMART 3.0 counts t(14;16) and t(14;20) alike: a MAF-family call without partner is high in every
    completion though neither partner holds in all of them; the call names them as one "either" criterion
    (it was a risk.json schema violation: high-or-high read as not evaluable with nothing missing)."""
    p = tmp_path / "maf.tsv"
    p.write_text("sample\ttarget\tresult\tmethod\nS1\tMAF translocation\tpositive\tseqFISH\n")
    calls, _ = _sample_calls(p, "S1")
    risk = evaluate_all(calls, Labs(), T)
    assert risk.msmart3.call == "high" and risk.msmart3.criteria_met == ("t(14;16) or t(14;20)",)
    assert risk.msmart3.hits == 1 and risk.msmart3.missing == ()
    # IMWG 2025 needs gain(1q) or del(1p32) beside it: still open, naming what is missing
    assert risk.imwg2025.call == "not_evaluable" and "gain(1q)" in risk.imwg2025.missing
    p.write_text("sample\ttarget\tresult\tmethod\nS1\tMAF translocation\tpositive\tseqFISH\n"
                 "S1\tt(14;16)\tnegative\tFISH\n")
    calls, _ = _sample_calls(p, "S1")  # one partner excluded: the other is the call
    risk = evaluate_all(calls, Labs(), T)
    assert risk.msmart3.call == "high" and risk.msmart3.criteria_met == ("t(14;20)",)


def test_two_translocation_tables_that_disagree_are_discordant_with_both_named(seqfish: Path,
                                                                               tmp_path: Path) -> None:
    """MMRF_1048: t_MAF 0 in commpass_translocations.txt, 1 in commpass_info_test.txt (the README's conflict)."""
    second = _fish_rows(_calls_table(MM / "commpass_info_test.txt"), "report", "commpass_info_test.txt")
    both = tmp_path / "both.tsv"
    both.write_text(seqfish.read_text() + "\n".join(second) + "\n")
    calls, warnings = _sample_calls(both, "MMRF_1048")
    for lid in ("t(14;16)", "t(14;20)"):
        c = calls[lid]
        assert c.discordant and c.status == "not_assessed"
        assert any("FISH (report, " in n and "FISH (seqFISH, " in n for n in c.notes)
    assert any("sources disagree" in w and "report" in w and "seqFISH" in w for w in warnings)
    assert calls["t(4;14)"].status == "present" and not calls["t(4;14)"].discordant  # both tables agree


def test_present_against_absent_names_every_source_and_method(tmp_path: Path) -> None:
    p = tmp_path / "fish.tsv"
    p.write_text("sample\ttarget\tresult\tpercent\tmethod\nS1\tdel(17p)\tpositive\t\treport\n"
                 "S1\tdel(17p)\tnegative\t4\tFISH\n")
    calls, warnings = _sample_calls(p, "S1")
    c = calls["del(17p)"]
    assert c.status == "present" and c.discordant and c.fraction is None
    assert any("FISH (report, fish.tsv:2)" in w and "fish.tsv:3" in w and "fish.tsv:2" in w for w in warnings)
    # the IMWG del(17p) criterion needs a fraction: open, and named as missing
    imwg = evaluate_all(calls, Labs(), T).imwg2025
    assert imwg.call != "high" and "del(17p) fraction" in imwg.missing


@pytest.mark.parametrize("target,not_lesion", [("IGL/MAF", "t(14;16)"), ("t(20;22)", "t(14;20)"),
                                               ("IGK::CCND1", "t(11;14)"), ("IGL/CCND1", "t(11;14)")])
def test_light_chain_translocations_are_reported_as_themselves(tmp_path: Path, target: str, not_lesion: str) -> None:
    p = tmp_path / "fish.tsv"
    p.write_text(f"sample\ttarget\tresult\tpercent\nS1\t{target}\tpositive\t40\n")
    calls, _ = _sample_calls(p, "S1")
    c = calls[not_lesion]
    assert c.status == "not_assessed" and not c.evidence
    assert any(f"not {not_lesion}" in n and ("IGL" in n or "IGK" in n) and "risk systems" in n or "mSMART" in n
               for n in c.notes)
    assert calls["IGH_rearrangement"].status == "not_assessed"
