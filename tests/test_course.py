"""Lines of therapy (#17): reading and checking the table, and the refractoriness that follows from it.

There is no lines-of-therapy file among the real caller outputs of the corpus (it is a clinical
record, not a caller's output), so the tables here are written in tmp_path in the documented form.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from mmrisk.clinical import ClinicalRecord, load_drugs
from mmrisk.course import RESPONSES, TherapyLine, read_treatment_lines
from mmrisk.courseclass import agreement_warnings, course_at, line_outcome
from mmrisk.errors import InputError
from mmrisk.resources import schema_default

DRUGS = load_drugs(ROOT / "resources" / "drugs.tsv")
WINDOW = schema_default("course.refractory_window_days")
HEADER = "patient\tline\tdrugs\tstart\tend\tbest_response\tprogression_date\treason_stopped\n"
D = dt.date.fromisoformat


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    p = tmp_path / "lines.tsv"
    p.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return p


def line(n: int = 1, drugs: tuple[str, ...] = ("bortezomib",), start: str = "2020-01-01", end: str | None = None,
         best: str | None = None, progression: str | None = None, reason: str | None = None) -> TherapyLine:
    return TherapyLine("P1", n, drugs, D(start), None if end is None else D(end), best,
                       None if progression is None else D(progression), reason, f"t.tsv:{n + 1}")


# ---------------------------------------------------------------------------- reading


def test_a_sound_table_is_read_into_typed_lines(tmp_path: Path) -> None:
    p = write(tmp_path, "P1\t1\tVelcade;len;dex\t2020-01-06\t2020-07-01\tVGPR\t2021-03-01\tprogression",
              "P1\t2\tdaratumumab;pomalidomide\t2021-03-10\t\tPR\t\t")
    t = read_treatment_lines(p, DRUGS)
    assert not t.problems_by_patient and not t.file_problems and not t.warnings
    l1, l2 = t.lines_by_patient["P1"]
    assert l1.drugs == ("bortezomib", "lenalidomide", "dexamethasone") and l1.end == D("2020-07-01")
    assert l1.best_response == "VGPR" and l1.progression_date == D("2021-03-01") and l1.reason_stopped == "progression"
    assert l2.end is None and l2.source.endswith(":3")


@pytest.mark.parametrize("cells, column, words", [
    ("P1\t1\tbortezomib\t2020-02-30\t\t\t\t", "start", "not a calendar date"),
    ("P1\t1\tbortezomib\t2020-02-01\t2020-01-31\t\t\t", "end", "before the start"),
    ("P1\t1\tbortezomib\t2020-02-01\t\t\t2020-01-31\t", "progression_date", "before the line started"),
    ("P1\t1\tbortezomib\t01/02/2020\t\t\t\t", "start", "invalid value"),
    ("P1\t0\tbortezomib\t2020-02-01\t\t\t\t", "line", "invalid value"),
    ("P1\t1\tbortezomib\t2020-02-01\t\tnCR\t\t", "best_response", "invalid value"),
    ("P1\t1\t\t2020-02-01\t\t\t\t", "drugs", "required value"),
    ("P1\t1\tnone\t2020-02-01\t\t\t\t", "drugs", "without a drug"),
])
def test_each_bad_cell_is_one_problem_with_line_and_column(tmp_path: Path, cells: str, column: str,
                                                           words: str) -> None:
    p = write(tmp_path, cells, "P2\t1\tlenalidomide\t2020-01-01\t\tPR\t\t")
    t = read_treatment_lines(p, DRUGS)
    problems = t.problems_by_patient["P1"]
    assert len(problems) == 1, problems
    assert problems[0].line == 2 and problems[0].column == column and words in str(problems[0])
    # the bad row fails only its own patient
    assert "P1" not in t.lines_by_patient and [ln.line for ln in t.lines_by_patient["P2"]] == [1]



def test_a_row_with_several_bad_cells_names_each_at_once(tmp_path: Path) -> None:
    """A schema problem (the response) does not hide the row's other problems (a date, a drug): all three at once."""
    t = read_treatment_lines(write(tmp_path, "P1\t1\tbortezomib;unknownumab\t2020-13-01\t\tXYZ\t\t"), DRUGS)
    assert sorted(pr.column for pr in t.problems_by_patient["P1"]) == ["best_response", "drugs", "start"]
    t = read_treatment_lines(write(tmp_path, "P1\t1\tbortezomib\t2020-1-1\t\tXYZ\t\t"), DRUGS)
    # the start's form is the schema's problem: said once, not again as "not a calendar date"
    assert sorted(pr.column for pr in t.problems_by_patient["P1"]) == ["best_response", "start"]

def test_unknown_drugs_list_the_known_names_and_a_guess(tmp_path: Path) -> None:
    t = read_treatment_lines(write(tmp_path, "P1\t1\tbortezomb;xyz\t2020-01-01\t\t\t\t"), DRUGS)
    (problem,) = t.problems_by_patient["P1"]
    text = str(problem)
    assert "'bortezomb' (did you mean bortezomib?)" in text and "'xyz'" in text and "daratumumab" in text


def test_lines_must_be_numbered_without_gaps_repeats_or_disorder(tmp_path: Path) -> None:
    gap = read_treatment_lines(write(tmp_path, "P1\t1\tlenalidomide\t2020-01-01\t\t\t\t",
                                     "P1\t3\tpomalidomide\t2021-01-01\t\t\t\t"), DRUGS)
    assert "skip line 2" in str(gap.problems_by_patient["P1"][0])
    twice = read_treatment_lines(write(tmp_path, "P1\t1\tlenalidomide\t2020-01-01\t\t\t\t",
                                       "P1\t1\tpomalidomide\t2021-01-01\t\t\t\t"), DRUGS)
    assert "given twice" in str(twice.problems_by_patient["P1"][0])
    order = read_treatment_lines(write(tmp_path, "P1\t1\tlenalidomide\t2021-01-01\t\t\t\t",
                                       "P1\t2\tpomalidomide\t2020-01-01\t\t\t\t"), DRUGS)
    (problem,) = order.problems_by_patient["P1"]
    assert problem.line == 3 and problem.column == "start" and "before line 1" in str(problem)


def test_unknown_columns_are_warned_with_the_closest_name_and_bad_ids_fail_no_patient(tmp_path: Path) -> None:
    p = write(tmp_path, "P1\t1\tlenalidomide\t2020-01-01\t\t\tPR\t", "bad id!\t1\tlenalidomide\t2020-01-01\t\t\t\t",
              header="patient\tline\tdrugs\tstart\tend\tprogresion_date\tbest_response\treason_stopped\n")
    t = read_treatment_lines(p, DRUGS)
    assert any("'progresion_date'" in w and "did you mean 'progression_date'" in w for w in t.warnings)
    assert any("line 3" in w and "no valid patient id" in w for w in t.warnings)
    assert list(t.lines_by_patient) == ["P1"] and not t.problems_by_patient


def test_a_missing_required_column_is_a_file_problem(tmp_path: Path) -> None:
    t = read_treatment_lines(write(tmp_path, "P1\t1\t2020-01-01", header="patient\tline\tstart\n"), DRUGS)
    assert t.file_problems and "'drugs' is missing" in str(t.file_problems[0])
    assert t.problems_of("P9") == t.file_problems


# ---------------------------------------------------------------------------- one line


@pytest.mark.parametrize("days, status", [(WINDOW - 1, "refractory"), (WINDOW, "refractory"),
                                          (WINDOW + 1, "relapsed")])
def test_the_60_day_window_is_inclusive(days: int, status: str) -> None:
    end = D("2020-06-30")
    ln = line(end=end.isoformat(), best="VGPR", progression=(end + dt.timedelta(days=days)).isoformat())
    assert line_outcome(ln, None, WINDOW).status == status


@pytest.mark.parametrize("best, status", [("MR", "responding"), ("SD", "refractory"), ("PD", "refractory"),
                                          ("sCR", "responding")])
def test_mr_is_a_response_and_sd_is_none(best: str, status: str) -> None:
    assert line_outcome(line(end="2020-06-30", best=best), None, WINDOW).status == status


def test_progression_on_an_ongoing_line_is_refractory() -> None:
    o = line_outcome(line(best="PR", progression="2021-01-01"), None, WINDOW)
    assert o.status == "refractory" and o.ongoing and "on therapy" in o.basis


def test_missing_data_make_a_line_not_evaluable_with_what_is_missing() -> None:
    o = line_outcome(line(end="2020-06-30"), None, WINDOW)
    assert o.status == "not_evaluable" and o.missing == ("best_response of line 1",)
    stopped = line_outcome(line(best="PR", progression="2021-01-01", reason="toxicity"), None, WINDOW)
    assert stopped.status == "not_evaluable" and stopped.missing == ("end (last dose) of line 1",)


def test_events_after_the_sample_are_not_yet_known() -> None:
    ln = line(end="2020-06-30", best="PR", progression="2020-07-15")
    assert line_outcome(ln, D("2020-07-14"), WINDOW).status == "responding"
    assert line_outcome(ln, D("2020-07-15"), WINDOW).status == "refractory"
    # the last dose after the sample: the line was ongoing at the sample
    assert line_outcome(line(end="2021-01-01", best="PR"), D("2020-06-01"), WINDOW).ongoing


@pytest.mark.parametrize("days, status", [(0, "refractory"), (1, "refractory"), (WINDOW - 1, "refractory"),
                                          (WINDOW, "refractory"), (WINDOW + 1, "relapsed")])
def test_the_window_from_the_last_dose_day_on(days: int, status: str) -> None:
    """Progression on the day of the last dose is on therapy; then 1..60 days after it refractory, 61 relapsed."""
    end = D("2021-02-27")
    o = line_outcome(line(end=end.isoformat(), best="PR", progression=(end + dt.timedelta(days=days)).isoformat()),
                     None, WINDOW)
    assert o.status == status
    assert ("on therapy" in o.basis) == (days == 0)


@pytest.mark.parametrize("window, status", [(30, "relapsed"), (31, "refractory")])
def test_the_window_is_the_configured_one(window: int, status: str) -> None:
    o = line_outcome(line(end="2020-06-30", best="VGPR", progression="2020-07-31"), None, window)
    assert o.status == status and f"{window} days" in o.basis


@pytest.mark.parametrize("at, status", [("2020-08-29", "responding"), ("2020-08-30", "refractory")])
def test_the_window_boundary_at_a_sample_date(at: str, status: str) -> None:
    """Progression 60 days after the last dose, sampled the day before and the day of the progression."""
    ln = line(end="2020-07-01", best="VGPR", progression="2020-08-30")
    assert line_outcome(ln, D(at), WINDOW).status == status


@pytest.mark.parametrize("bests, course", [
    (("MR",), "responding"), (("SD",), "primary_refractory"), (("PD",), "primary_refractory"),
    (("MR", "SD"), "relapsed_refractory"), (("SD", "MR"), "responding"), (("SD", "PD"), "primary_refractory"),
])
def test_mr_versus_sd_decides_primary_refractoriness(bests: tuple[str, ...], course: str) -> None:
    """MR is a response: a patient who reached MR on any line is never primary refractory."""
    lines = [line(i + 1, start=f"202{i}-01-01", end=f"202{i}-06-30", best=b) for i, b in enumerate(bests)]
    c = course_at(lines, None, DRUGS, WINDOW)
    assert c.classification == course, c.basis


def test_an_ongoing_line_at_its_boundaries() -> None:
    ongoing = line(start="2020-01-01", best="PR")
    o = line_outcome(ongoing, D("2020-03-01"), WINDOW)
    assert o.status == "responding" and o.ongoing
    assert line_outcome(line(start="2020-01-01", best="SD"), None, WINDOW).status == "refractory"
    unknown = line_outcome(line(start="2020-01-01"), None, WINDOW)
    assert unknown.status == "not_evaluable" and unknown.ongoing and unknown.missing == ("best_response of line 1",)
    # a line stopped (reason given) without a last-dose date is not ongoing
    assert not line_outcome(line(start="2020-01-01", best="PR", reason="toxicity"), None, WINDOW).ongoing
    # the sample's position: during the ongoing line, after a stopped one
    c = course_at([line(1, end="2020-06-30", best="VGPR"), line(2, ("daratumumab",), "2020-07-10", best="PR")],
                  D("2020-09-01"), DRUGS, WINDOW)
    assert c.position() == {"line": 2, "relation": "during", "drugs": ["daratumumab"], "status": "responding"}
    after = course_at([line(1, end="2020-06-30", best="VGPR")], D("2020-09-01"), DRUGS, WINDOW)
    assert after.position()["relation"] == "after"
    assert course_at([line(1, start="2021-01-01")], D("2020-09-01"), DRUGS, WINDOW).position() is None


def test_missing_dates_make_the_course_not_evaluable_with_what_is_missing() -> None:
    """A stopped line with a progression but no last dose cannot be placed against the window."""
    lines = [line(1, end="2020-06-30", best="VGPR", progression="2021-06-01"),
             line(2, ("daratumumab",), "2021-06-10", best="PR", progression="2021-12-01", reason="toxicity")]
    c = course_at(lines, None, DRUGS, WINDOW)
    assert c.classification is None and c.missing == ("end (last dose) of line 2",)
    assert c.history.refractory_class is None  # never "not refractory" while line 2 may be refractory
    assert "not evaluable" not in c.basis and "latest line 2" in c.basis


def test_a_sample_without_collection_date_counts_every_line_and_says_so(tmp_path: Path) -> None:
    from conftest import demo_config
    from mmrisk.entry import evaluate
    from mmrisk.sheet import read_sample_sheet

    config = demo_config()
    sheet = tmp_path / "samples.tsv"
    text = Path(config["samples"]).read_text(encoding="utf-8")
    sheet.write_text(text.replace("\t2025-01-20\t", "\t\t").replace("../resources", str(ROOT / "resources")),
                     encoding="utf-8")
    sample = read_sample_sheet(str(sheet), config["default_build"]).samples["DEMO-18"]
    outcome = evaluate(sample, config, str(sheet))
    assert outcome.result is not None, outcome.error
    course = outcome.result.course
    assert course.at is None and course.prior_lines == 3 and course.later_lines == 0
    assert any("no collection_date" in w and "every line of therapy" in w for w in outcome.result.warnings)


def test_patients_without_lines_are_named_once_before_the_run() -> None:
    from conftest import demo_config
    from mmrisk.preflight import preflight
    from mmrisk.sheet import read_sample_sheet

    config = demo_config()
    cohort = read_sample_sheet(config["samples"], config["default_build"])
    notes = [n for n in preflight(cohort, config) if "has no line for patient" in n]
    with_lines = set(read_treatment_lines(config["treatment_lines"], DRUGS).lines_by_patient)
    without = sorted({s.patient for s in cohort.samples.values()} - with_lines)
    assert {"DP08", "DP17", "DP20"} <= with_lines and len(without) > 5
    expected = (f"the lines-of-therapy table {config['treatment_lines']} has no line for patients "
                f"{', '.join(without[:5])} and {len(without) - 5} more: their disease course is not assessed")
    assert notes == [expected]


# ---------------------------------------------------------------------------- the course


def test_primary_refractory_when_no_line_reached_mr() -> None:
    c = course_at([line(1, end="2020-04-01", best="SD"), line(2, ("lenalidomide",), "2020-04-10", best="PD")],
                  None, DRUGS, WINDOW)
    assert c.classification == "primary_refractory" and c.prior_lines == 2
    assert c.history.refractory_class == "double_refractory" and c.history.course == "primary_refractory"


def test_relapsed_refractory_relapsed_and_responding() -> None:
    first = line(1, ("bortezomib", "lenalidomide"), end="2020-06-30", best="VGPR", progression="2021-06-01")
    assert course_at([first], None, DRUGS, WINDOW).classification == "relapsed"
    second = line(2, ("daratumumab", "pomalidomide"), "2021-06-10", best="PR", progression="2022-01-01")
    c = course_at([first, second], None, DRUGS, WINDOW)
    assert c.classification == "relapsed_refractory"
    assert c.history.refractory_to == ("daratumumab", "pomalidomide") and c.history.lines == 2
    assert {d.drug: d.exposed_lines for d in c.drugs}["bortezomib"] == (1,)
    # at a sample during line 2, before its progression: responding
    assert course_at([first, second], D("2021-09-01"), DRUGS, WINDOW).classification == "responding"


def test_samples_count_only_lines_started_by_their_date() -> None:
    lines = [line(1, end="2020-06-30", best="PR", progression="2020-07-10"),
             line(2, ("carfilzomib",), "2020-08-01", best="SD")]
    at_diagnosis = course_at(lines, D("2019-12-31"), DRUGS, WINDOW)
    assert at_diagnosis.prior_lines == 0 and at_diagnosis.later_lines == 2
    assert at_diagnosis.classification is None and at_diagnosis.history.refractory_class == "not_refractory"
    assert course_at(lines, D("2020-08-01"), DRUGS, WINDOW).prior_lines == 2


def test_penta_and_triple_class_reuse_the_clinical_classification() -> None:
    drugs = ("bortezomib", "carfilzomib", "lenalidomide", "pomalidomide", "daratumumab")
    lines = [line(i + 1, (d,), f"202{i}-01-01", end=f"202{i}-06-01", best="SD") for i, d in enumerate(drugs)]
    assert course_at(lines, None, DRUGS, WINDOW).history.refractory_class == "penta_refractory"
    assert course_at(lines[1:], None, DRUGS, WINDOW).history.refractory_class == "triple_class_refractory"


def test_not_refractory_is_never_claimed_for_a_line_not_evaluable() -> None:
    c = course_at([line(1, end="2020-06-30")], None, DRUGS, WINDOW)
    assert c.history.refractory_class is None and c.classification is None
    assert "best_response of line 1" in c.missing


def test_the_clinical_table_must_agree_with_the_lines() -> None:
    c = course_at([line(1, ("bortezomib", "lenalidomide"), end="2020-06-30", best="SD")], None, DRUGS, WINDOW)
    record = ClinicalRecord("S1", 2, "clinical.tsv", exposed_to=["bortezomib", "lenalidomide", "daratumumab"],
                            refractory_to=["bortezomib", "daratumumab"], prior_lines=2)
    warnings = agreement_warnings(c, record, "lines.tsv")
    assert any("prior_lines is 2" in w and "gives 1" in w for w in warnings)
    assert any("refractory_to" in w and "clinical table only: daratumumab" in w
               and "from the lines only: lenalidomide" in w for w in warnings)
    agreeing = ClinicalRecord("S1", 2, "clinical.tsv", exposed_to=["bortezomib", "lenalidomide"],
                              refractory_to=["lenalidomide", "bortezomib"], prior_lines=1)
    assert agreement_warnings(c, agreeing, "lines.tsv") == []


# ---------------------------------------------------------------------------- hostile cells

HOSTILE = st.sampled_from(["", "nan", "inf", "1e308", "-1", "0", "2020-13-01", "9999-12-31", "0000-01-01", "\ufeffP1",
                           "x" * 5000, "\udcff", "PR", "PD", "bortezomib;;", ";", "2020-02-29", "2021-02-29"])


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(HOSTILE, min_size=8, max_size=8), which=st.integers(0, 1))
def test_hostile_cells_give_problems_or_sound_lines(tmp_path: Path, cells: list[str], which: int) -> None:
    base = ["P1", "1", "bortezomib", "2020-01-01", "2020-06-01", "PR", "2020-07-01", "x"]
    row = [c if i % 2 == which else b for i, (c, b) in enumerate(zip(cells, base))]
    p = tmp_path / "lines.tsv"
    p.write_bytes((HEADER + "\t".join(row) + "\r\n").encode("utf-8", "surrogateescape"))
    t = read_treatment_lines(p, DRUGS)
    for lines in t.lines_by_patient.values():
        for ln in lines:
            assert ln.line >= 1 and (ln.end is None or ln.end >= ln.start) and ln.best_response in (None, *RESPONSES)
            c = course_at(lines, None, DRUGS, WINDOW)
            assert c.prior_lines == len(lines)
    for problems in t.problems_by_patient.values():
        assert all(pr.line is not None for pr in problems)  # each names its line


def test_a_non_utf8_or_empty_file_is_a_file_problem_not_a_crash(tmp_path: Path) -> None:
    p = tmp_path / "lines.tsv"
    p.write_bytes(b"patient\tline\tdrugs\tstart\nP1\t1\t\xff\xfe\t2020-01-01\n")
    assert read_treatment_lines(p, DRUGS).file_problems
    p.write_bytes(b"")
    assert read_treatment_lines(p, DRUGS).file_problems
    with pytest.raises(InputError):
        raise InputError(read_treatment_lines(tmp_path / "absent.tsv", DRUGS).file_problems)


# ---------------------------------------------------------------------------- the demo, through the real workflow


def test_demo_patient_dp17_course_through_the_workflow(demo_run: Path) -> None:
    """DP17: untreated at diagnosis, relapsed and refractory after line 1 and after line 2 (line 3 not yet)."""
    import json

    def doc(sample: str) -> dict:
        return json.loads((demo_run / "samples" / sample / "risk.json").read_text(encoding="utf-8"))

    dx, rel1, rel2 = doc("DEMO-17"), doc("DEMO-18"), doc("DEMO-19")
    assert dx["refractory"]["class"] == "not_refractory" and dx["refractory"]["lines"] == 0
    assert dx["refractory"]["course"] is None and dx["course"]["later_lines"] == 3
    assert rel1["refractory"]["course"] == "relapsed_refractory" and rel1["refractory"]["lines"] == 1
    assert rel1["refractory"]["class"] == "double_refractory"
    (l1,) = rel1["course"]["lines"]
    assert l1["status"] == "refractory" and "21 days after the last dose" in l1["basis"]
    assert rel2["refractory"]["course"] == "relapsed_refractory" and rel2["refractory"]["lines"] == 2
    assert rel2["refractory"]["class"] == "triple_class_refractory" and rel2["course"]["later_lines"] == 1
    drugs = {d["drug"]: d for d in rel2["course"]["drugs"]}
    assert drugs["bortezomib"]["refractory_lines"] == [1] and drugs["daratumumab"]["refractory_lines"] == [2]
    # the clinical table agrees with the lines: no disagreement warning
    for d in (dx, rel1, rel2):
        assert not [w for w in d["warnings"] if "disagrees with the lines" in w or "prior_lines is" in w]
    page = (demo_run / "samples" / "DEMO-18" / "report.html").read_text(encoding="utf-8")
    assert "Disease course (lines of therapy)" in page and "relapsed and refractory" in page
    # a patient without lines in the table: not assessed, said in one line on its page, not a warning per sample
    other = doc("DEMO-12")
    assert other["course"] is None and not any("no line for patient" in w for w in other["warnings"])
    other_page = (demo_run / "samples" / "DEMO-12" / "report.html").read_text(encoding="utf-8")
    assert "Disease course not assessed: the lines-of-therapy table has no line for patient DP12." in other_page


def test_a_bad_lines_row_fails_only_that_patients_samples(tmp_path: Path) -> None:
    import json

    from conftest import copy_project_inputs, run_snakemake

    copy_project_inputs(tmp_path)
    p = tmp_path / "resources" / "demo" / "treatment_lines.tsv"
    p.write_text(p.read_text(encoding="utf-8").replace("2025-08-20", "2025-02-30"), encoding="utf-8")
    run_snakemake(tmp_path, "--keep-going", check=False)
    summary = (tmp_path / "results" / "cohort" / "summary.tsv").read_text(encoding="utf-8")
    rows = {r.split("\t")[0]: r for r in summary.splitlines()[1:]}
    for sample in ("DEMO-17", "DEMO-18", "DEMO-19"):
        assert "failed" in rows[sample] and "not a calendar date" in rows[sample], rows[sample]
    assert "\tok\t" in rows["DEMO-12"]
    assert json.loads((tmp_path / "results" / "samples" / "DEMO-12" / "risk.json").read_text())["course"] is None


def test_without_a_lines_table_each_page_says_so_in_one_line_and_no_warning() -> None:
    from conftest import demo_config
    from mmrisk.entry import evaluate
    from mmrisk.report import render_sample
    from mmrisk.sheet import read_sample_sheet

    config = {**demo_config(), "treatment_lines": ""}
    sample = read_sample_sheet(config["samples"], config["default_build"]).samples["DEMO-18"]
    outcome = evaluate(sample, config, config["samples"])
    assert outcome.result is not None, outcome.error
    assert outcome.result.course is None
    assert not [w for w in outcome.result.warnings if "lines-of-therapy" in w or "disease course" in w]
    page = render_sample(outcome.result)
    assert page.count("Disease course not assessed: no lines-of-therapy table is configured (treatment_lines:).") == 1
    # the clinical table's refractory_to is used instead
    assert outcome.result.history.refractory_class == "double_refractory"
