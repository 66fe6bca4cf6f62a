"""The disease course on the patient page (#17 point 4): lines of therapy on the fractions' time axis, MRD and
M-protein beneath, and each emerged item tied to the line it emerged under.

The unit tests build the samples' risk.json courses with the real functions (courseclass.course_at on
typed lines, serialised as evaluate_sample writes them); the workflow tests read the real demo run
(DP17: three lines; DP20: the MRD series).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from mmrisk import evolution, plots
from mmrisk.clinical import load_drugs
from mmrisk.course import TherapyLine
from mmrisk.courseclass import course_at
from mmrisk.courseplot import CHAR
from test_evolution import _doc, _var

DRUGS = load_drugs(ROOT / "resources" / "drugs.tsv")
D = dt.date.fromisoformat

LINES = (
    TherapyLine("P", 1, ("bortezomib", "lenalidomide", "dexamethasone"), D("2020-01-10"), D("2020-12-01"), "VGPR",
                D("2021-01-10"), "progression", "lines.tsv:2"),
    TherapyLine("P", 2, ("daratumumab", "pomalidomide"), D("2021-01-20"), None, "PR", None, None, "lines.tsv:3"),
)


def _timepoints(dates: list[str | None], docs: list[dict], activity: list[dict | None] | None = None,
                lines: tuple[TherapyLine, ...] = LINES) -> list[evolution.Timepoint]:
    evals, rows = [], []
    for i, (day, doc) in enumerate(zip(dates, docs)):
        at = D(day) if day else None
        doc = {**doc, "course": course_at(lines, at, DRUGS, 60).to_json() if lines else None,
               "clinical": {"source": "c.tsv:2", "disease_activity": (activity or [None] * len(docs))[i]}}
        evals.append({"sample": f"S{i}", "status": "ok", "result": doc})
        rows.append({"sample": f"S{i}", "timepoint": ["diagnosis", "relapse1", "relapse2"][i], "collection_date": day,
                     "inputs": ["fish", "snv_vcf"]})
    return evolution.timepoints(evals, rows)


def _three(dates: list[str | None], **kw: Any) -> dict:
    docs = [_doc({"del(17p)": ("absent", None)}, [_var("NRAS", "p.Gln61Arg", 0.3)]),
            _doc({"del(17p)": ("present", 0.5)}, [_var("NRAS", "p.Gln61Arg", 0.3), _var("PSMB5", "p.Ala108Thr", 0.2)]),
            _doc({"del(17p)": ("present", 0.6)}, [_var("NRAS", "p.Gln61Arg", 0.3), _var("PSMB5", "p.Ala108Thr", 0.2),
                                                  _var("TP53", "p.Arg175His", 0.4)])]
    return evolution.compare("P", _timepoints(dates, docs, **kw))


def _item(ev: dict, kind: str, name: str) -> dict:
    return next(x for x in ev[kind] if x["item"] == name)


# ------------------------------------------------------------------------------------------- the tie

def test_an_item_emerged_after_a_stopped_line_is_tied_to_it_with_its_status_then() -> None:
    ev = _three(["2019-12-01", "2021-01-15", "2021-06-01"])
    seen = _item(ev, "variants", "PSMB5 p.Ala108Thr")["first_seen"]
    assert seen["text"] == ("PSMB5 p.Ala108Thr first seen at relapse1, after line 1 with bortezomib, lenalidomide, "
                            "dexamethasone, refractory")
    assert seen["line"]["lines"] == [1] and seen["line"]["relation"] == "after"
    assert _item(ev, "lesions", "del(17p)")["first_seen"]["line"]["lines"] == [1]
    # during the ongoing line 2 (started after relapse1): responding at relapse2
    tp53 = _item(ev, "variants", "TP53 p.Arg175His")["first_seen"]
    assert tp53["text"].endswith("during line 2 with daratumumab, pomalidomide, responding")
    # present from the first timepoint: it did not emerge
    assert _item(ev, "variants", "NRAS p.Gln61Arg")["first_seen"] is None
    # each step names the lines given between its two samples
    assert [s["course"]["lines"] for s in ev["steps"]] == [[1], [2]]


def test_several_lines_between_two_samples_are_all_named() -> None:
    ev = _three(["2019-12-01", "2021-06-01", "2021-07-01"])
    seen = _item(ev, "variants", "PSMB5 p.Ala108Thr")["first_seen"]
    assert seen["line"]["lines"] == [1, 2] and seen["line"]["relation"] == "during"
    assert "during lines 1 and 2 (line 1 with bortezomib" in seen["text"] and "line 2 with daratumumab" in seen["text"]


def test_before_any_line_and_without_dates_nothing_is_claimed() -> None:
    early = _three(["2019-10-01", "2019-11-01", "2021-06-01"])
    assert _item(early, "variants", "PSMB5 p.Ala108Thr")["first_seen"]["line"]["text"] == "before any line of therapy"
    undated = _three(["2019-10-01", None, "2021-06-01"])
    seen = _item(undated, "variants", "PSMB5 p.Ala108Thr")["first_seen"]
    assert seen["line"]["lines"] == [] and "S1 has no collection date" in seen["line"]["text"]
    assert undated["course"]["undated"] == ["S1"]
    # no lines of therapy at all: first seen, tied to nothing
    none = _three(["2019-10-01", "2020-11-01", "2021-06-01"], lines=())
    assert _item(none, "variants", "PSMB5 p.Ala108Thr")["first_seen"]["text"] == "PSMB5 p.Ala108Thr first seen at relapse1"
    assert none["course"]["lines"] == [] and all(s["course"] is None for s in none["steps"])


def test_the_patient_course_judges_the_lines_over_the_whole_record() -> None:
    # at the first sample no line had started, yet the page's lines carry every recorded date
    ev = _three(["2019-12-01", "2021-01-15", "2021-06-01"])
    lines = ev["course"]["lines"]
    assert [(ln["line"], ln["status"], ln["ongoing"]) for ln in lines] == [(1, "refractory", False),
                                                                          (2, "responding", True)]
    assert "40 days after the last dose" in lines[0]["basis"] and ev["course"]["window_days"] == 60


def test_the_tie_reaches_the_evolution_table() -> None:
    ev = _three(["2019-12-01", "2021-01-15", "2021-06-01"])
    rows = [r for r in evolution.evolution_rows(ev) if r["item"] == "PSMB5 p.Ala108Thr" and r["sample"] == "S1"]
    assert rows and rows[0]["detail"].endswith("after line 1 with bortezomib, lenalidomide, dexamethasone, refractory")


# ------------------------------------------------------------------------------------------- the drawing

def _spans(texts: list[dict], x: str = "x") -> list[tuple[float, float, float]]:
    return [(t[x] - len(t["text"]) * CHAR / 2, t[x] + len(t["text"]) * CHAR / 2, t["y"]) for t in texts]


def _overprint(spans: list[tuple[float, float, float]]) -> list[tuple[Any, Any]]:
    return [(a, b) for i, a in enumerate(spans) for b in spans[i + 1:] if abs(a[2] - b[2]) < 11
            and min(a[1], b[1]) > max(a[0], b[0])]


def test_lines_share_the_time_axis_of_the_fractions() -> None:
    activity = [{"mrd": None, "mrd_method": None, "mrd_sensitivity": None, "m_protein_g_dl": 3.0,
                 "involved_flc_mg_l": 400, "involved_flc_chain": "kappa"},
                {"mrd": "negative", "mrd_method": "NGS", "mrd_sensitivity": 1e-6, "m_protein_g_dl": 0.0,
                 "involved_flc_mg_l": 12, "involved_flc_chain": "kappa"},
                {"mrd": "positive", "mrd_method": "NGF", "mrd_sensitivity": 2e-6, "m_protein_g_dl": 1.2,
                 "involved_flc_mg_l": 150, "involved_flc_chain": "kappa"}]
    # relapse1 and relapse2 five days apart: their labels would overprint on a time axis
    ev = _three(["2019-12-01", "2021-05-27", "2021-06-01"], activity=activity)
    p = plots.evolution_plot(ev)
    assert p["timed"] and p["course"]
    xs = [t["x"] for t in p["xticks"]]
    assert xs == sorted(xs) and xs[2] - xs[1] < xs[1] - xs[0]  # positions follow the dates, not the order
    assert p["xticks"][1]["y"] != p["xticks"][2]["y"]  # the close labels went to different rows
    bars = p["course"]["lines"]
    line1, line2 = bars
    # a bar starts at its line's first dose on the same axis as the samples: line 1 between the first two samples
    assert xs[0] < line1["x0"] < line1["x1"] < xs[1] and line1["window"]["x0"] == line1["x1"]
    assert line1["progression"] is not None and line1["x1"] < line1["progression"]["x"] < line1["window"]["x1"]
    assert line2["ongoing"] and line2["x1"] == p["right"] and line2["progression"] is None
    # every text of the course panels stays inside the figure and none overprints another
    texts = [t for b in bars for t in b["label"]]
    assert all(t["x"] >= 0 and t["x"] + len(t["text"]) * CHAR <= p["width"] for t in texts)
    marks = p["course"]["mrd"] + p["course"]["mprotein"]["marks"]
    assert [m["text"] for m in p["course"]["mrd"]] == ["MRD− NGS 10⁻⁶", "MRD+ NGF 2×10⁻⁶"]
    assert all(m["text_x"] - len(m["text"]) * CHAR / 2 >= 0 for m in marks)
    assert not _overprint(_spans(marks, "text_x"))
    rows = {round(t["y"]) for t in texts}
    assert len(rows) == len(texts)  # one row per text line of the line labels
    assert p["height"] >= p["course"]["height"]


def test_without_every_collection_date_the_course_is_not_drawn() -> None:
    p = plots.evolution_plot(_three(["2019-12-01", None, "2021-06-01"]))
    assert not p["timed"] and p["course"] is None
    xs = [t["x"] for t in p["xticks"]]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.2)  # evenly spaced


# ------------------------------------------------------------------------------------------- the demo

def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_demo_patient_pages_draw_the_course_and_tie_what_emerged(demo_run: Path) -> None:
    dp17 = (demo_run / "patients" / "DP17" / "evolution.html").read_text(encoding="utf-8")
    assert ("PSMB5 p.Ala108Thr first seen at relapse1, after line 1 with bortezomib, lenalidomide, dexamethasone, "
            "refractory") in dp17
    assert "gain(1q) (≥ 3 copies) first seen at relapse2, after line 2 with daratumumab, pomalidomide, " \
           "dexamethasone, refractory" in dp17
    assert dp17.count('class="line-refractory"') == 2 and dp17.count('class="line-responding"') == 1
    assert "Lines of therapy" in dp17 and 'class="progression"' in dp17
    rows = _tsv(demo_run / "patients" / "DP17" / "evolution.tsv")
    psmb5 = [r for r in rows if r["kind"] == "variant" and r["item"] == "PSMB5 p.Ala108Thr" and r["sample"] == "DEMO-18"]
    assert psmb5[0]["detail"].endswith("after line 1 with bortezomib, lenalidomide, dexamethasone, refractory")
    dp20 = (demo_run / "patients" / "DP20" / "evolution.html").read_text(encoding="utf-8")
    assert "after line 1 with daratumumab, bortezomib, lenalidomide, dexamethasone, relapsed" in dp20
    assert 'class="mrd-negative"' in dp20 and 'class="mrd-positive"' in dp20


def test_demo_primary_refractory_patient(demo_run: Path) -> None:
    import json

    doc = json.loads((demo_run / "samples" / "DEMO-08" / "risk.json").read_text(encoding="utf-8"))
    assert doc["refractory"]["course"] == "primary_refractory" and doc["refractory"]["class"] == "refractory"
    (l1,) = doc["course"]["lines"]
    assert l1["status"] == "refractory" and l1["best_response"] == "SD"
    assert doc["course"]["position"] == {"line": 1, "relation": "after",
                                         "drugs": ["daratumumab", "bortezomib", "dexamethasone"], "status": "refractory"}
    assert not [w for w in doc["warnings"] if "disagrees with the lines" in w]
    page = (demo_run / "samples" / "DEMO-08" / "report.html").read_text(encoding="utf-8")
    assert "primary refractory (no line reached at least a minimal response)" in page
    # the demo's three-line patient: every line recorded in each sample's record (counted or later)
    dp17 = json.loads((demo_run / "samples" / "DEMO-17" / "risk.json").read_text(encoding="utf-8"))
    assert [ln["line"] for ln in dp17["course"]["later"]] == [1, 2, 3] and dp17["course"]["position"] is None


@pytest.mark.parametrize("width", (390, 1280))
def test_demo_course_pages_fit_and_no_text_overprints_in_a_browser(demo_run: Path, width: int) -> None:
    """DP17 (three lines) and DP20 (the MRD series) at 390 and 1280 px: as wide as the viewport, no two texts of
    a plot overprint, plot text never drawn below 8 px (the plots scroll in their own box on a phone)."""
    from test_browser import _OVERLAPS, _missing, _open_at

    if _missing():
        pytest.skip(_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            for patient in ("DP17", "DP20"):
                ctx, page = _open_at(browser, demo_run / "patients" / patient / "evolution.html", width)
                try:
                    assert page.evaluate("document.documentElement.scrollWidth") == width, patient
                    assert page.evaluate(_OVERLAPS) == [], patient
                    assert page.locator("svg[role=img] g.course rect.bar").count() == 3 if patient == "DP17" else 2
                    sizes = page.eval_on_selector_all(
                        "svg[role=img] text", "ts => ts.map(t => t.getBoundingClientRect().height).filter(h => h > 0)")
                    assert min(sizes) >= 8, (patient, min(sizes))
                finally:
                    ctx.close()
        finally:
            browser.close()
