"""Tests of FISH table reading and FISH evidence (scripts/mmrisk/fish.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmrisk.fish import (
    FishObservation,
    FishTable,
    fish_evidence,
    load_default_probes,
    load_default_targets,
    load_targets,
    read_fish_table,
)
from mmrisk.fishvocab import ProbeTable, TargetTable
from mmrisk.lesions import Evidence, merge
from mmrisk.tables import load_schema

CUTOFFS = {"fusion": 10, "breakapart": 10, "deletion": 20, "gain": 20}
HEADER = "sample\ttarget\tresult\tpercent\tcopies\tcells_scored\tprobe\tcomment\tiscn\n"


@pytest.fixture(scope="module")
def targets() -> TargetTable:
    return load_default_targets()


@pytest.fixture(scope="module")
def probes() -> ProbeTable:
    return load_default_probes()


def write_table(tmp_path: Path, rows: list[list[str]], header: str = HEADER, name: str = "fish.tsv") -> Path:
    """Write a FISH table; each row is padded to the header's width."""
    width = len(header.rstrip("\n").split("\t"))
    lines = [header.rstrip("\n")]
    for r in rows:
        lines.append("\t".join(r + [""] * (width - len(r))))
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_rows(tmp_path: Path, rows: list[list[str]], targets: TargetTable, probes: ProbeTable) -> FishTable:
    return read_fish_table(write_table(tmp_path, rows), targets, probes)


def obs(lesion: str, result: str, percent: float | None = None, copies: int | None = None,
        kind: str = "fusion", target: str | None = None, line: int = 2, **kw) -> FishObservation:
    return FishObservation(sample="S1", lesion=lesion, target=target or lesion,
                           probe_kind=kind, result=result,  # type: ignore[arg-type]
                           percent=percent, copies=copies, file="/data/fish.tsv", line=line, **kw)


def by_lesion(evidence: list[Evidence]) -> dict[str, Evidence]:
    out = {e.lesion: e for e in evidence}
    assert len(out) == len(evidence), evidence
    return out


# ---------------------------------------------------------------------------
# targets


@pytest.mark.parametrize(
    "lesion, kind, synonyms",
    [
        ("t(4;14)", "fusion", ["t(4;14)", "IGH::FGFR3", "FGFR3/IGH", "IGH/FGFR3", "t(4;14)(p16;q32)", "IGH-FGFR3",
                               "FGFR3-IGH", "IGH::NSD2"]),
        ("t(14;16)", "fusion", ["t(14;16)", "IGH::MAF", "MAF/IGH", "IGH/MAF", "t(14;16)(q32;q23)", "IGH-MAF",
                                "MAF-IGH"]),
        ("t(14;20)", "fusion", ["t(14;20)", "IGH::MAFB", "MAFB/IGH", "IGH/MAFB", "t(14;20)(q32;q12)", "IGH-MAFB",
                                "MAFB-IGH"]),
        ("t(11;14)", "fusion", ["t(11;14)", "IGH::CCND1", "CCND1/IGH", "IGH/CCND1", "t(11;14)(q13;q32)",
                                "IGH-CCND1", "CCND1-IGH"]),
        ("t(6;14)", "fusion", ["t(6;14)", "IGH::CCND3", "CCND3/IGH", "IGH/CCND3", "t(6;14)(p21;q32)", "IGH-CCND3",
                               "CCND3-IGH"]),
        ("IGH_rearrangement", "breakapart", ["IGH_rearrangement", "IGH break-apart", "IGH", "IGH rearrangement",
                                             "14q32"]),
        ("MYC_rearrangement", "breakapart", ["MYC_rearrangement", "MYC", "MYC break-apart", "8q24",
                                             "MYC rearrangement"]),
        ("del(17p)", "deletion", ["del(17p)", "17p-", "del17p", "TP53 deletion", "TP53", "17p13", "TP53/CEP17"]),
        ("gain(1q)", "gain", ["gain(1q)", "+1q", "1q+", "1q21 gain", "1q gain", "CKS1B", "1q21"]),
        ("amp(1q)", "gain", ["amp(1q)", "1q amplification", "amp1q"]),
        ("del(1p32)", "deletion", ["del(1p32)", "CDKN2C", "del(1p)", "1p-", "1p32 deletion", "FAF1",
                                   "CDKN2C/FAF1"]),
        ("del(13q)", "deletion", ["del(13q)", "13q-", "-13", "monosomy 13", "RB1", "13q14", "D13S319", "D13S25"]),
        ("hyperdiploidy", "gain", ["hyperdiploidy", "HRD"]),
    ],
)
def test_synonym_families(lesion, kind, synonyms, targets):
    for s in synonyms:
        for spelling in (s, s.lower(), s.upper(), f"  {s}  "):
            t = targets.lookup(spelling)
            assert t is not None, spelling
            assert (t.lesion, t.probe_kind) == (lesion, kind), spelling


@pytest.mark.parametrize("n", [3, 5, 7, 9, 11, 15, 19, 21])
def test_trisomy_synonyms(n, targets):
    for s in (f"trisomy {n}", f"+{n}", f"CEP{n}", f"CEP {n}", f"Trisomy  {n}"):
        t = targets.lookup(s)
        assert t is not None and t.lesion == f"trisomy_{n}" and t.probe_kind == "gain", s


def test_whitespace_is_collapsed(targets):
    assert targets.lookup("FGFR3 / IGH").lesion == "t(4;14)"
    assert targets.lookup("IGH   break-apart").lesion == "IGH_rearrangement"


def test_unknown_target_is_none(targets):
    assert targets.lookup("del(18q)") is None
    assert targets.lookup("IGH::BCL2") is None


def test_load_targets_from_path(tmp_path):
    p = tmp_path / "targets.tsv"
    p.write_text("# my lab\n# version: 7\nsynonym\tlesion\tprobe_kind\nLSI TP53\tdel(17p)\tdeletion\n")
    t = load_targets(p)
    assert t.version == "7"
    assert t.lookup("lsi tp53").lesion == "del(17p)"
    assert t.lookup("TP53") is None


# ---------------------------------------------------------------------------
# reading tables


def test_three_samples_one_bad_row_only_b_has_problems(tmp_path, targets, probes):
    table = read_rows(tmp_path, [
        ["A", "IGH::FGFR3", "positive", "62", "", "200"],
        ["A", "+1q", "positive", "45", "3"],
        ["B", "17p-", "negative", "4"],
        ["B", "t(4;14)", "positive", "abc"],
        ["C", "CDKN2C", "positive", "30", "1"],
        ["C", "t(11;14)", "negative"],
    ], targets, probes)
    assert table.file_problems == []
    assert set(table.problems_by_sample) == {"B"}
    [problem] = table.problems_by_sample["B"]
    assert problem.line == 5 and problem.column == "percent" and problem.value == "abc"
    a = table.rows_by_sample["A"]
    assert [(o.lesion, o.result, o.percent, o.copies, o.cells_scored) for o in a] == [
        ("t(4;14)", "positive", 62.0, None, 200), ("gain(1q)", "positive", 45.0, 3, None)]
    c = table.rows_by_sample["C"]
    assert [(o.lesion, o.result, o.percent, o.copies) for o in c] == [
        ("del(1p32)", "positive", 30.0, 1), ("t(11;14)", "negative", None, None)]
    # B's good row is kept; the bad one gives no observation
    assert [(o.lesion, o.line) for o in table.rows_by_sample["B"]] == [("del(17p)", 4)]
    assert table.problems("A") == [] and len(table.problems("B")) == 1
    assert table.samples == ["A", "B", "C"]


def test_missing_sample_column_is_a_file_problem(tmp_path, targets, probes):
    path = write_table(tmp_path, [["IGH::FGFR3", "positive", "40"]], header="target\tresult\tpercent\n")
    table = read_fish_table(path, targets, probes)
    assert table.rows_by_sample == {} and table.problems_by_sample == {}
    assert len(table.file_problems) == 1
    assert "'sample'" in str(table.file_problems[0])


def test_missing_file_is_a_file_problem(tmp_path, targets, probes):
    table = read_fish_table(tmp_path / "nope.tsv", targets, probes)
    assert len(table.file_problems) == 1 and "not found" in str(table.file_problems[0])


def test_missing_target_and_result_columns_without_iscn(tmp_path, targets, probes):
    path = write_table(tmp_path, [["A", "40"]], header="sample\tpercent\n")
    table = read_fish_table(path, targets, probes)
    assert len(table.file_problems) == 1
    msg = str(table.file_problems[0])
    assert "'target'" in msg and "'result'" in msg


def test_row_without_a_valid_sample_fails_no_sample_but_is_named(tmp_path, targets, probes):
    """#13: one stray row of a shared table must not fail every sample; it is named in the warnings."""
    table = read_rows(tmp_path, [["", "17p-", "negative"], ["bad id!", "17p-", "negative"],
                                 ["A", "17p-", "negative"]], targets, probes)
    assert table.file_problems == [] and table.problems("A") == []
    assert list(table.rows_by_sample) == ["A"]
    stray = [w for w in table.warnings if "row ignored" in w]
    assert [w.split(", line ")[1].split(":")[0] for w in stray] == ["2", "3"]
    assert "'bad id!'" in stray[1] and "is empty" in stray[0]
    # the job of sample A reads only its rows and the stray ones: the same warnings, no failure
    own = read_fish_table(tmp_path / "fish.tsv", targets, probes, sample="A")
    assert own.problems("A") == [] and len([w for w in own.warnings if "row ignored" in w]) == 2


def test_unknown_target_message(tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A", "del(18q)", "positive", "30"]], targets, probes)
    [p] = table.problems_by_sample["A"]
    msg = str(p)
    assert "unknown FISH target" in msg and "del(18q)" in msg
    assert "resources/fish_targets.tsv" in msg
    assert "t(4;14)" in msg and "del(17p)" in msg  # a few known spellings
    assert "A" not in table.rows_by_sample


def test_positive_without_percent(tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A", "t(4;14)", "positive"]], targets, probes)
    [p] = table.problems_by_sample["A"]
    assert p.column == "percent" and p.line == 2
    assert "required when result is positive" in str(p)


@pytest.mark.parametrize("value", ["150", "-5", "100.5"])
def test_percent_out_of_range(value, tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A", "t(4;14)", "positive", value]], targets, probes)
    [p] = table.problems_by_sample["A"]
    assert p.column == "percent" and p.value == value
    assert "0 to 100" in str(p)


def test_copies_out_of_range(tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A", "+1q", "positive", "30", "25"]], targets, probes)
    [p] = table.problems_by_sample["A"]
    assert p.column == "copies"


def test_neither_target_nor_iscn(tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A", "", "positive", "30"]], targets, probes)
    [p] = table.problems_by_sample["A"]
    assert "give `target` and `result`" in str(p)


def test_result_and_percent_spellings_are_normalised(tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A", "t(4;14)", "Positive", "85%"],
                                 ["A", "17p-", "NOT DONE"],
                                 ["A", "+1q", "Negative", "12,5"],
                                 ["A", "t(11;14)", "maybe"]], targets, probes)
    got = [(o.lesion, o.result, o.percent) for o in table.rows_by_sample["A"]]
    assert got == [("t(4;14)", "positive", 85.0), ("del(17p)", "not_done", None), ("gain(1q)", "negative", 12.5)]
    [p] = table.problems_by_sample["A"]
    assert p.line == 5 and p.column == "result" and "positive, negative, failed, not_done" in str(p)


def test_origin_is_file_and_line(tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A", "17p-", "negative"], ["A", "+1q", "negative"]], targets, probes)
    assert [o.origin for o in table.rows_by_sample["A"]] == ["fish.tsv:2", "fish.tsv:3"]


def test_comment_lines_and_extra_columns(tmp_path, targets, probes):
    path = tmp_path / "fish.tsv"
    path.write_text("# lab export\nsample\ttarget\tresult\tpercent\tlab_id\n# note\nA\t17p-\tpositive\t35\tX1\n")
    table = read_fish_table(path, targets, probes)
    [o] = table.rows_by_sample["A"]
    assert o.line == 4 and o.percent == 35.0
    assert any("lab_id" in w for w in table.warnings)


def test_iscn_row_gives_several_observations(tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A"] + [""] * 7 + ["nuc ish(CDKN2Cx1,CKS1Bx3)[50/200]"]], targets, probes)
    got = {o.lesion: (o.result, o.percent, o.copies, o.result_from_iscn) for o in table.rows_by_sample["A"]}
    assert got == {"del(1p32)": ("positive", 25.0, 1, True), "gain(1q)": ("positive", 25.0, 3, True)}
    assert all(o.cells_scored == 200 and o.iscn_reading for o in table.rows_by_sample["A"])


def test_iscn_row_with_target_keeps_that_target(tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A", "1q21 gain", "", "", "", "", "", "", "nuc ish(CDKN2Cx1,CKS1Bx3)[50/200]"]],
                      targets, probes)
    [o] = table.rows_by_sample["A"]
    assert (o.lesion, o.target, o.result, o.percent, o.copies) == ("gain(1q)", "1q21 gain", "positive", 25.0, 3)


def test_iscn_fills_only_empty_fields(tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A", "IGH::FGFR3", "positive", "", "", "", "", "",
                                  "nuc ish(FGFR3,IGH)x3(FGFR3 con IGHx2)[170/200]"]], targets, probes)
    [o] = table.rows_by_sample["A"]
    assert (o.result, o.percent, o.result_from_iscn) == ("positive", 85.0, False)


def test_iscn_not_testing_the_target(tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A", "17p-", "", "", "", "", "", "",
                                  "nuc ish(FGFR3,IGH)x3(FGFR3 con IGHx2)[170/200]"]], targets, probes)
    [p] = table.problems_by_sample["A"]
    assert p.column == "iscn" and "does not test" in str(p) and "t(4;14)" in str(p)


def test_unreadable_iscn_is_a_sample_problem(tmp_path, targets, probes):
    table = read_rows(tmp_path, [["A", "17p-", "negative", "3"],
                                 ["B"] + [""] * 7 + ["nuc ish(TP53x1,D17Z1x2[40/200]"],
                                 ["C", "+1q", "negative"]], targets, probes)
    assert set(table.problems_by_sample) == {"B"}
    [p] = table.problems_by_sample["B"]
    assert p.line == 3 and "nuc ish(TP53x1,D17Z1x2[40/200]" in str(p) and "position" in str(p)
    assert set(table.rows_by_sample) == {"A", "C"}


def test_schema_describes_every_column():
    schema = load_schema("fish")
    for name, prop in schema["properties"].items():
        assert prop.get("description"), name
    assert schema["properties"]["sample"]["pattern"] == "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


# ---------------------------------------------------------------------------
# evidence


@pytest.mark.parametrize(
    "kind, lesion, percent, status",
    [("deletion", "del(17p)", 19.5, "absent"), ("deletion", "del(17p)", 20.0, "present"),
     ("fusion", "t(4;14)", 9.0, "absent"), ("fusion", "t(4;14)", 10.0, "present"),
     ("breakapart", "IGH_rearrangement", 9.99, "absent"), ("breakapart", "IGH_rearrangement", 10.0, "present"),
     ("gain", "gain(1q)", 19.99, "absent"), ("gain", "gain(1q)", 20.0, "present")],
)
def test_cutoff_boundaries(kind, lesion, percent, status):
    result = "positive" if status == "present" else "negative"
    ev, warnings = fish_evidence([obs(lesion, result, percent, kind=kind)], CUTOFFS)
    e = by_lesion(ev)[lesion]
    assert e.status == status and e.source == "FISH"
    assert e.fraction == (percent / 100 if status == "present" else None)
    assert warnings == []


def test_cutoffs_come_from_the_argument():
    o = obs("del(17p)", "positive", 40.0, kind="deletion")
    assert by_lesion(fish_evidence([o], CUTOFFS)[0])["del(17p)"].status == "present"
    assert by_lesion(fish_evidence([o], {**CUTOFFS, "deletion": 60})[0])["del(17p)"].status == "absent"


def test_missing_cutoff_is_an_error():
    with pytest.raises(ValueError, match="breakapart"):
        fish_evidence([obs("IGH_rearrangement", "negative", 2.0, kind="breakapart")], {"fusion": 10})


def test_detail_and_origin():
    [e], _ = fish_evidence([obs("t(4;14)", "positive", 85.0, target="IGH::FGFR3", line=4)], CUTOFFS)
    assert e.detail == "IGH::FGFR3 positive in 85% of nuclei (cut-off 10%)"
    assert e.origin == "fish.tsv:4"
    assert e.fraction == 0.85


@pytest.mark.parametrize("result, percent, status, words", [
    ("positive", 8.0, "absent", ["positive", "8%", "10%", "below"]),
    ("negative", 15.0, "present", ["negative", "15%", "10%", "at or above"]),
])
def test_lab_result_against_cutoff_warns(result, percent, status, words):
    ev, warnings = fish_evidence([obs("t(4;14)", result, percent, target="IGH/FGFR3", line=6)], CUTOFFS)
    assert by_lesion(ev)["t(4;14)"].status == status
    [w] = warnings
    assert "fish.tsv:6" in w and "IGH/FGFR3" in w and "S1" in w
    for word in words:
        assert word in w


def test_iscn_reading_below_cutoff_does_not_warn():
    o = obs("del(17p)", "positive", 15.0, 1, kind="deletion", result_from_iscn=True,
            iscn_reading="TP53x1,D17Z1x2 (loss) in 30/200 nuclei")
    ev, warnings = fish_evidence([o], CUTOFFS)
    e = by_lesion(ev)["del(17p)"]
    assert e.status == "absent" and warnings == []
    assert "below the cut-off of 20%" in e.detail and "30/200" in e.detail


def test_negative_without_percent_is_absent():
    ev, warnings = fish_evidence([obs("t(14;16)", "negative")], CUTOFFS)
    assert by_lesion(ev)["t(14;16)"].status == "absent" and warnings == []


@pytest.mark.parametrize("result, detail", [("failed", "FISH failed"), ("not_done", "FISH not done")])
def test_failed_is_not_assessed_through_merge(result, detail):
    ev, _ = fish_evidence([obs("del(17p)", result, kind="deletion", line=9)], CUTOFFS)
    [e] = ev
    assert (e.status, e.detail) == ("not_assessed", detail)
    calls, _ = merge(ev)
    call = calls["del(17p)"]
    assert call.status == "not_assessed" and call.sources == []
    assert any(detail in n and "fish.tsv:9" in n for n in call.notes)


def test_1q_three_copies_is_gain_not_amp():
    ev, _ = fish_evidence([obs("gain(1q)", "positive", 45.0, 3, kind="gain")], CUTOFFS)
    calls, _ = merge(ev)
    assert (calls["gain(1q)"].status, calls["gain(1q)"].copies, calls["gain(1q)"].fraction) == ("present", 3, 0.45)
    assert calls["amp(1q)"].status == "absent"


def test_1q_four_copies_is_gain_and_amp():
    ev, _ = fish_evidence([obs("gain(1q)", "positive", 45.0, 4, kind="gain")], CUTOFFS)
    calls, _ = merge(ev)
    assert (calls["gain(1q)"].status, calls["gain(1q)"].copies) == ("present", 4)
    assert (calls["amp(1q)"].status, calls["amp(1q)"].copies) == ("present", 4)


def test_1q_positive_without_copies_leaves_amp_unassessed():
    ev, _ = fish_evidence([obs("gain(1q)", "positive", 45.0, kind="gain")], CUTOFFS)
    calls, _ = merge(ev)
    assert calls["gain(1q)"].status == "present"
    assert calls["amp(1q)"].status == "not_assessed"


def test_amp_target_with_three_copies_warns():
    ev, warnings = fish_evidence([obs("amp(1q)", "positive", 45.0, 3, kind="gain", target="amp(1q)")], CUTOFFS)
    calls, _ = merge(ev)
    assert calls["gain(1q)"].status == "present" and calls["amp(1q)"].status == "absent"
    assert len(warnings) == 1 and "3 copies" in warnings[0]


def test_1q_below_cutoff_is_absent():
    ev, _ = fish_evidence([obs("gain(1q)", "negative", 5.0, 3, kind="gain")], CUTOFFS)
    calls, _ = merge(ev)
    assert calls["gain(1q)"].status == "absent" and calls["amp(1q)"].status == "absent"


@pytest.mark.parametrize("copies, allelic", [(1, "mono"), (0, "biallelic"), (None, None)])
def test_1p32_allelic_state(copies, allelic):
    ev, _ = fish_evidence([obs("del(1p32)", "positive", 30.0, copies, kind="deletion")], CUTOFFS)
    calls, _ = merge(ev)
    call = calls["del(1p32)"]
    assert call.status == "present" and call.allelic == allelic
    assert call.to_json()["allelic"] == allelic


def test_17p_zero_copies_is_still_a_deletion():
    ev, _ = fish_evidence([obs("del(17p)", "positive", 30.0, 0, kind="deletion")], CUTOFFS)
    e = by_lesion(ev)["del(17p)"]
    assert e.status == "present" and e.copies == 0 and "0 copies" in e.detail


def tris(n: int, result: str, percent: float | None = None, line: int = 2) -> FishObservation:
    return obs(f"trisomy_{n}", result, percent, 3 if result == "positive" else 2, kind="gain",
               target=f"trisomy {n}", line=line)


def test_hyperdiploidy_present_with_two_trisomies():
    ev, warnings = fish_evidence([tris(5, "positive", 40), tris(9, "positive", 35), tris(15, "negative", 2)],
                                 CUTOFFS)
    e = by_lesion(ev)["hyperdiploidy"]
    assert e.status == "present" and e.fraction == 0.4 and warnings == []
    assert "5, 9" in e.detail


def test_hyperdiploidy_absent_with_three_tested_one_gained():
    ev, _ = fish_evidence([tris(5, "positive", 40), tris(9, "negative", 2), tris(15, "negative", 2)], CUTOFFS)
    assert by_lesion(ev)["hyperdiploidy"].status == "absent"


def test_trisomy_below_cutoff_does_not_count():
    ev, _ = fish_evidence([tris(5, "positive", 40), tris(9, "positive", 15), tris(15, "negative", 2)], CUTOFFS)
    assert by_lesion(ev)["hyperdiploidy"].status == "absent"


def test_hyperdiploidy_not_assessed_with_too_few_tested():
    ev, warnings = fish_evidence([tris(5, "positive", 40), tris(9, "negative", 1), tris(15, "failed")], CUTOFFS)
    assert ev == []
    [w] = warnings
    assert "hyperdiploidy not assessed" in w and "2 of the odd chromosomes" in w and "15" in w


def test_hyperdiploidy_thresholds_are_arguments():
    items = [tris(5, "positive", 40), tris(9, "positive", 40), tris(15, "negative", 2)]
    ev, _ = fish_evidence(items, CUTOFFS, hyperdiploidy_min_trisomies=3)
    assert by_lesion(ev)["hyperdiploidy"].status == "absent"
    ev, w = fish_evidence(items, CUTOFFS, hyperdiploidy_min_trisomies=3, hyperdiploidy_min_tested=4)
    assert ev == [] and len(w) == 1


def test_table_to_merged_calls(tmp_path, targets, probes):
    """End to end: a table with ISCN and plain rows, through evidence and merge."""
    table = read_rows(tmp_path, [
        ["P1", "", "", "", "", "", "", "", "nuc ish(FGFR3,IGH)x3(FGFR3 con IGHx2)[170/200]"],
        ["P1", "", "", "", "", "", "", "", "nuc ish(D5Z2,D9Z1,D15Z4)x3[80/200]"],
        ["P1", "17p-", "failed"],
        ["P1", "CKS1B", "positive", "25", "3"],
    ], targets, probes)
    assert table.problems("P1") == []
    ev, warnings = fish_evidence(table.observations("P1"), CUTOFFS)
    calls, merge_warnings = merge(ev)
    assert calls["t(4;14)"].status == "present" and calls["t(4;14)"].fraction == 0.85
    assert calls["IGH_rearrangement"].status == "present"
    assert calls["hyperdiploidy"].status == "present"
    assert calls["del(17p)"].status == "not_assessed" and calls["del(17p)"].notes
    assert calls["gain(1q)"].status == "present" and calls["amp(1q)"].status == "absent"
    assert calls["TP53_mutation"].status == "not_assessed"
    assert warnings == [] and merge_warnings == []
    t414 = calls["t(4;14)"].evidence[0]
    assert t414.origin == "fish.tsv:2" and "FGFR3 con IGHx2 in 170/200 nuclei" in t414.detail


@pytest.mark.parametrize("result, percent, status", [("negative", None, "absent"), ("positive", 8.0, "present")])
def test_tp53_sequencing_result_takes_the_lab_result(result, percent, status):
    """A lab's TP53 sequencing result in the FISH table: no FISH cut-off applies."""
    o = obs("TP53_mutation", result, percent, kind="mutation", target="TP53 mutation")
    ev, warnings = fish_evidence([o], {"fusion": 10})
    e = by_lesion(ev)["TP53_mutation"]
    assert e.status == status and warnings == []
    assert e.source == "SNV"  # a sequencing result, even when a lab lists it with its FISH results
    assert e.fraction is None  # a lab's percent for a mutation is a VAF, not a fraction of tumour cells


def test_demo_cohort_fish_table_reads_cleanly(targets, probes):
    """The bundled demo FISH table: only the deliberately broken sample DEMO-11 has problems."""
    path = Path(__file__).resolve().parents[1] / "resources" / "demo" / "fish.tsv"
    if not path.exists():
        pytest.skip("no demo cohort")
    table = read_fish_table(path, targets, probes)
    assert table.file_problems == []
    assert set(table.problems_by_sample) <= {"DEMO-11"}
    for sample in table.rows_by_sample:
        fish_evidence(table.observations(sample), CUTOFFS)


def test_reading_one_samples_rows_gives_what_the_whole_table_gives(tmp_path, targets, probes):
    """A per-sample job reads only its rows: same observations and problems as the whole table."""
    p = write_table(tmp_path, [
        ["S1", "t(4;14)", "positive", "40"],
        ["S2", "t(4;14)", "positive", "140"],           # S2's own problem
        ["S1", "17p-", "negative"],
        ["", "t(4;14)", "negative"],                     # names no sample: a problem of the file
        ["S 3", "t(4;14)", "negative"],                  # invalid id: a problem of the file
        ["S3", "1q21 gain", "positive", "30", "3"],
    ])
    whole = read_fish_table(p, targets, probes)
    for s in ("S1", "S2", "S3", "S4"):
        one = read_fish_table(p, targets, probes, sample=s)
        assert one.rows_by_sample.get(s) == whole.rows_by_sample.get(s)
        assert one.problems_by_sample.get(s) == whole.problems_by_sample.get(s)
        assert one.file_problems == whole.file_problems == []
        assert one.warnings == whole.warnings and len(one.warnings) == 2  # the two stray rows, named
        assert set(one.rows_by_sample) <= {s} and set(one.problems_by_sample) <= {s}


# ---------------------------------------------------------------------------
# #13: the demo FISH table (a real table of this project) mutated: sizes, columns, given fields

DEMO_FISH = Path(__file__).resolve().parents[1] / "resources" / "demo" / "fish.tsv"
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def _mutated_demo(tmp_path: Path, edit) -> Path:
    """The demo FISH table with ``edit(header cells, rows of cells) -> (header, rows)`` applied."""
    lines = DEMO_FISH.read_text(encoding="utf-8").splitlines()
    comments = [ln for ln in lines if ln.startswith("#")]
    body = [ln.split("\t") for ln in lines if not ln.startswith("#")]
    header, rows = edit(body[0], body[1:])
    p = tmp_path / "fish.tsv"
    p.write_text("\n".join(comments + ["\t".join(header)] + ["\t".join(r) for r in rows]) + "\n", encoding="utf-8")
    return p


def _set_cell(header: list[str], row: list[str], column: str, value: str) -> None:
    row[header.index(column)] = value


def _first(rows: list[list[str]], header: list[str], sample: str, target: str) -> list[str]:
    return next(r for r in rows if r[0] == sample and r[header.index("target")] == target)


def test_a_128_kib_comment_is_read_and_reported_as_given(tmp_path, targets, probes):
    long_comment = HOSTILE + " " + "c" * (128 * 1024)

    def edit(h, rows):
        _set_cell(h, _first(rows, h, "DEMO-01", "17p-"), "comment", long_comment)
        return h, rows
    table = read_fish_table(_mutated_demo(tmp_path, edit), targets, probes)
    assert table.file_problems == [] and table.problems("DEMO-01") == []
    [o] = [o for o in table.observations("DEMO-01") if o.target == "17p-"]
    assert o.comment == long_comment


def test_a_cell_over_the_maximum_is_a_clean_problem(tmp_path, targets, probes):
    from mmrisk.tables import MAX_CELL_CHARS

    def edit(h, rows):
        _set_cell(h, _first(rows, h, "DEMO-01", "17p-"), "comment", "c" * (MAX_CELL_CHARS + 1))
        return h, rows
    table = read_fish_table(_mutated_demo(tmp_path, edit), targets, probes)
    [p] = table.file_problems
    assert p.line == 4 and p.column == "comment" and f"at most {MAX_CELL_CHARS}" in str(p)


def test_misspelt_fish_column_gets_the_closest_known_name(tmp_path, targets, probes):
    def edit(h, rows):
        h = [("cels_scored" if c == "cells_scored" else c) for c in h] + ["Percnt"]
        return h, [r + [""] for r in rows]
    table = read_fish_table(_mutated_demo(tmp_path, edit), targets, probes, sample="DEMO-01")
    hints = [w for w in table.warnings if "is not a FISH table column" in w]
    assert len(hints) == 2
    assert "'cels_scored'" in hints[0] and "did you mean 'cells_scored'?" in hints[0]
    assert "'Percnt'" in hints[1] and "did you mean 'percent'?" in hints[1]


@pytest.mark.parametrize("cells,ok", [("-1", False), ("1.5", False), ("nan", False), ("1e308", False),
                                      ("9" * 5000, False), ("1000001", False), ("0", False), ("200", True)])
def test_cells_scored_is_range_checked(tmp_path, targets, probes, cells, ok):
    def edit(h, rows):
        _set_cell(h, _first(rows, h, "DEMO-01", "17p-"), "cells_scored", cells)
        return h, rows
    table = read_fish_table(_mutated_demo(tmp_path, edit), targets, probes)
    problems = table.problems("DEMO-01")
    assert (problems == []) == ok
    if not ok:
        assert [(p.line, p.column) for p in problems] == [(4, "cells_scored")]


@pytest.mark.parametrize("percent", ["nan", "inf", "-inf", "1e308", "-1", "100.5", "1e999"])
def test_percent_must_be_a_finite_number_from_0_to_100(tmp_path, targets, probes, percent):
    def edit(h, rows):
        _set_cell(h, _first(rows, h, "DEMO-01", "17p-"), "percent", percent)
        return h, rows
    table = read_fish_table(_mutated_demo(tmp_path, edit), targets, probes)
    assert [(p.line, p.column) for p in table.problems("DEMO-01")] == [(4, "percent")]


def test_percent_no_count_of_the_nuclei_gives_is_warned(tmp_path, targets, probes):
    def edit(h, rows):
        row = _first(rows, h, "DEMO-01", "17p-")
        _set_cell(h, row, "percent", "45")
        _set_cell(h, row, "cells_scored", "7")   # 3/7 = 42.9 %, 4/7 = 57.1 %: no count gives 45 %
        return h, rows
    table = read_fish_table(_mutated_demo(tmp_path, edit), targets, probes)
    assert table.problems("DEMO-01") == []
    [w] = [w for w in table.warnings if "nuclei scored" in w]
    assert "45% is no whole number of the 7 nuclei scored" in w
    # 200 nuclei and 45 % (90 nuclei) is consistent: no warning
    assert not [w for w in read_fish_table(DEMO_FISH, targets, probes).warnings if "nuclei scored" in w]


def test_probe_comment_cells_scored_reach_evidence_risk_json_and_page(tmp_path, targets, probes):
    """Contract: `cells_scored`, `probe`, `comment` are "reported as given"; a hostile comment is escaped."""
    from dataclasses import replace

    from conftest import demo_config
    from mmrisk.entry import evaluate
    from mmrisk.outputs import risk_document, validate_risk
    from mmrisk.report import render_sample
    from mmrisk.sheet import read_sample_sheet

    def edit(h, rows):
        _set_cell(h, _first(rows, h, "DEMO-01", "17p-"), "comment", HOSTILE)
        return h, rows
    path = _mutated_demo(tmp_path, edit)
    config = demo_config()
    sample = read_sample_sheet(config["samples"], config["default_build"]).samples["DEMO-01"]
    outcome = evaluate(replace(sample, fish=str(path)), config, config["samples"])
    assert outcome.result is not None, outcome.error
    doc = risk_document(outcome.result)
    assert validate_risk(doc) == []
    [item] = [e for e in doc["lesions"]["del(17p)"]["evidence"] if e["source"] == "FISH"]
    assert (item["cells_scored"], item["probe"], item["comment"]) == (200, "TP53/CEP17", HOSTILE)
    html = render_sample(outcome.result)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert "probe TP53/CEP17; 200 nuclei scored; lab comment:" in html
