"""Risk systems, table-driven from the published definitions (DOMAIN.md).

Each row states the inputs and what the definition demands; boundaries are
tested on both sides (del(17p) 20 % vs 21 %, β2M 3.5 and 5.5, albumin 3.5,
creatinine 1.2, R2-ISS totals 0.5/1/1.5/2.5/3).
"""

from __future__ import annotations

import html
import itertools
import json

import pytest

from conftest import evaluate_demo
from mmrisk.lesions import LESION_IDS, Evidence, merge
from mmrisk.outputs import validate_risk
from mmrisk.report import render_sample
from mmrisk.risk import (
    Criterion,
    Labs,
    MsmartResult,
    R2IssResult,
    RiskCall,
    RiskResults,
    StageResult,
    Thresholds,
    evaluate_all,
    r2iss_stage_of,
)
from mmrisk.settings import Settings, default_config

T = Settings.defaults().risk
ALL_HR = ("t(4;14)", "t(14;16)", "t(14;20)", "del(17p)", "TP53_mutation", "gain(1q)", "del(1p32)")


def lesions(present: dict[str, dict] | None = None, absent: tuple[str, ...] = ALL_HR, unknown: tuple[str, ...] = ()):
    """Lesion calls: ``present`` (id -> Evidence kwargs), ``absent`` ids, the rest not assessed."""
    present = present or {}
    ev = []
    for lid, kw in present.items():
        ev.append(Evidence(lid, "present", "FISH", **kw))
    for lid in absent:
        if lid not in present and lid not in unknown:
            ev.append(Evidence(lid, "absent", "FISH"))
    calls, _ = merge(ev, igh_breakapart_excludes_partners=False)
    return calls


NORMAL_LABS = Labs(b2m_mg_l=2.0, albumin_g_dl=4.0, ldh_high=False, creatinine_mg_dl=0.9)


# --- ISS --------------------------------------------------------------------

@pytest.mark.parametrize(
    "b2m, alb, stage",
    [
        (3.49, 3.5, "I"),   # both boundaries on the stage-I side
        (3.5, 3.5, "II"),   # β2M 3.5 is not < 3.5
        (3.49, 3.49, "II"),  # albumin below 3.5
        (5.49, 2.0, "II"),
        (5.5, 4.0, "III"),  # β2M 5.5 is stage III
        (12.0, 5.0, "III"),
    ],
)
def test_iss_boundaries(b2m, alb, stage):
    r = evaluate_all(lesions(), Labs(b2m, alb, False, 0.9), T).iss.to_json()
    assert r == {"stage": stage, "missing": []}


def test_iss_partial_inputs_decide_where_they_can():
    calls = lesions()
    assert evaluate_all(calls, Labs(b2m_mg_l=6.0), T).iss.to_json() == {"stage": "III", "missing": []}
    assert evaluate_all(calls, Labs(b2m_mg_l=4.0), T).iss.to_json() == {"stage": "II", "missing": []}
    assert evaluate_all(calls, Labs(b2m_mg_l=2.0), T).iss.to_json() == {"stage": None, "missing": ["albumin_g_dl"]}
    assert evaluate_all(calls, Labs(albumin_g_dl=2.0), T).iss.to_json() == {"stage": None, "missing": ["b2m_mg_l"]}
    assert evaluate_all(calls, Labs(), T).iss.to_json() == {"stage": None, "missing": ["b2m_mg_l", "albumin_g_dl"]}


# --- R-ISS ------------------------------------------------------------------

@pytest.mark.parametrize(
    "present, labs, stage",
    [
        ({}, Labs(2.0, 4.0, False, 0.9), "I"),
        ({}, Labs(2.0, 4.0, True, 0.9), "II"),  # ISS I but high LDH
        ({"del(17p)": {"fraction": 0.3}}, Labs(2.0, 4.0, False, 0.9), "II"),  # ISS I with high-risk CA
        ({"t(4;14)": {"fraction": 0.5}}, Labs(6.0, 4.0, False, 0.9), "III"),
        ({"t(14;16)": {"fraction": 0.5}}, Labs(6.0, 4.0, False, 0.9), "III"),
        ({}, Labs(6.0, 4.0, True, 0.9), "III"),  # ISS III with high LDH
        ({}, Labs(6.0, 4.0, False, 0.9), "II"),  # ISS III, no CA, normal LDH
        ({"t(14;20)": {"fraction": 0.5}}, Labs(6.0, 4.0, False, 0.9), "II"),  # t(14;20) is no R-ISS CA
        ({"gain(1q)": {"fraction": 0.5, "copies": 3}}, Labs(6.0, 4.0, False, 0.9), "II"),
        ({}, Labs(4.0, 4.0, False, 0.9), "II"),
    ],
)
def test_riss(present, labs, stage):
    assert evaluate_all(lesions(present), labs, T).riss.to_json() == {"stage": stage, "missing": []}


def test_riss_unknowns():
    # ISS III known, t(4;14) present: III whatever LDH is
    r = evaluate_all(lesions({"t(4;14)": {"fraction": 0.5}}), Labs(b2m_mg_l=7.0), T).riss.to_json()
    assert r == {"stage": "III", "missing": []}
    # ISS III, no CA, LDH unknown: II or III, LDH decides
    r = evaluate_all(lesions(), Labs(7.0, 4.0, None, 0.9), T).riss.to_json()
    assert r == {"stage": None, "missing": ["ldh_u_l"]}
    # ISS I, normal LDH, CA not assessed: del(17p), t(4;14), t(14;16) each decide
    r = evaluate_all(lesions(unknown=ALL_HR), NORMAL_LABS, T).riss.to_json()
    assert r == {"stage": None, "missing": ["del(17p)", "t(4;14)", "t(14;16)"]}
    # ISS II: II whatever else
    r = evaluate_all(lesions(unknown=ALL_HR), Labs(4.0, 4.0, None, None), T).riss.to_json()
    assert r == {"stage": "II", "missing": []}


# --- R2-ISS -----------------------------------------------------------------

@pytest.mark.parametrize(
    "score, stage",
    [(0, "I"), (0.5, "II"), (1.0, "II"), (1.5, "III"), (2.5, "III"), (3.0, "IV"), (5.0, "IV")],
)
def test_r2iss_stage_boundaries(score, stage):
    assert r2iss_stage_of(score, T) == stage


@pytest.mark.parametrize(
    "present, labs, score, stage",
    [
        ({}, Labs(2.0, 4.0, False, 0.9), 0.0, "I"),
        ({"gain(1q)": {"copies": 3, "fraction": 0.4}}, Labs(2.0, 4.0, False, 0.9), 0.5, "II"),
        ({}, Labs(4.0, 4.0, False, 0.9), 1.0, "II"),  # ISS II
        ({"gain(1q)": {"copies": 3, "fraction": 0.4}}, Labs(4.0, 4.0, False, 0.9), 1.5, "III"),
        ({}, Labs(6.0, 4.0, False, 0.9), 1.5, "III"),  # ISS III
        ({"t(4;14)": {"fraction": 0.6}}, Labs(6.0, 4.0, False, 0.9), 2.5, "III"),
        ({"t(4;14)": {"fraction": 0.6}, "gain(1q)": {"copies": 4, "fraction": 0.6}},
         Labs(6.0, 4.0, False, 0.9), 3.0, "IV"),
        ({"del(17p)": {"fraction": 0.5}, "t(4;14)": {"fraction": 0.6}, "gain(1q)": {"copies": 3, "fraction": 0.5}},
         Labs(6.0, 4.0, True, 0.9), 5.0, "IV"),
        ({"del(17p)": {"fraction": 0.1}}, Labs(2.0, 4.0, True, 0.9), 2.0, "III"),  # any del(17p) scores
    ],
)
def test_r2iss(present, labs, score, stage):
    r = evaluate_all(lesions(present), labs, T).r2iss
    assert (r.score, r.stage, r.missing) == (score, stage, ())


def test_r2iss_amp1q_scores_as_gain():
    calls = lesions({"amp(1q)": {"copies": 5, "fraction": 0.4}})
    assert calls["gain(1q)"].status == "present"
    assert evaluate_all(calls, NORMAL_LABS, T).r2iss.score == 0.5


def test_r2iss_decided_despite_unknowns():
    # ISS III + del(17p) + high LDH = 3.5 already: IV whatever t(4;14) and 1q are
    calls = lesions({"del(17p)": {"fraction": 0.5}}, absent=("del(17p)",))
    r = evaluate_all(calls, Labs(6.0, 4.0, True, 0.9), T).r2iss
    assert r.stage == "IV" and r.missing == () and r.score is None
    assert r.score_range == (3.5, 5.0)
    assert r.to_json()["score_range"] == [3.5, 5.0]


# --- IMS/IMWG 2025 ----------------------------------------------------------

@pytest.mark.parametrize(
    "present, labs, call, met",
    [
        ({"del(17p)": {"fraction": 0.21}}, NORMAL_LABS, "high", ["del(17p) in > 20% of tumour cells"]),
        ({"del(17p)": {"fraction": 0.20}}, NORMAL_LABS, "standard", []),  # 20 % is not > 20 %
        ({"TP53_mutation": {}}, NORMAL_LABS, "high", ["TP53 mutation"]),
        ({"t(4;14)": {"fraction": 0.5}}, NORMAL_LABS, "standard", []),  # alone: not high
        ({"t(4;14)": {"fraction": 0.5}, "gain(1q)": {"copies": 3, "fraction": 0.5}}, NORMAL_LABS, "high",
         ["t(4;14) with gain(1q)"]),
        ({"t(14;16)": {"fraction": 0.5}, "del(1p32)": {"allelic": "mono", "fraction": 0.5}}, NORMAL_LABS, "high",
         ["t(14;16) with del(1p32)"]),
        ({"t(14;20)": {"fraction": 0.5}, "amp(1q)": {"copies": 4, "fraction": 0.5}}, NORMAL_LABS, "high",
         ["t(14;20) with gain(1q)"]),
        ({"t(11;14)": {"fraction": 0.5}, "gain(1q)": {"copies": 3, "fraction": 0.5}}, NORMAL_LABS, "standard", []),
        ({"del(1p32)": {"allelic": "biallelic", "fraction": 0.5}}, NORMAL_LABS, "high", ["biallelic del(1p32)"]),
        ({"del(1p32)": {"allelic": "mono", "fraction": 0.5}}, NORMAL_LABS, "standard", []),
        ({"del(1p32)": {"allelic": "mono", "fraction": 0.5}, "gain(1q)": {"copies": 3, "fraction": 0.5}},
         NORMAL_LABS, "high", ["monoallelic del(1p32) with gain(1q)"]),
        ({"gain(1q)": {"copies": 3, "fraction": 0.5}}, NORMAL_LABS, "standard", []),
        ({}, Labs(5.5, 4.0, False, 1.19), "high",
         ["β2-microglobulin ≥ 5.5 mg/L with creatinine < 1.2 mg/dL"]),
        ({}, Labs(5.49, 4.0, False, 0.8), "standard", []),  # β2M just below 5.5
        ({}, Labs(6.0, 4.0, False, 1.2), "standard", []),  # creatinine 1.2 is not normal
    ],
)
def test_imwg2025(present, labs, call, met):
    r = evaluate_all(lesions(present), labs, T).imwg2025
    assert r.call == call
    assert r.criteria_met == tuple(met)
    assert r.missing == ()


def test_imwg2025_three_valued():
    # nothing assessed, no labs: not evaluable, and everything that could decide is named
    r = evaluate_all(lesions(absent=()), Labs(), T).imwg2025
    assert r.call == "not_evaluable"
    assert r.missing == ("del(17p)", "TP53_mutation", "t(4;14)", "t(14;16)", "t(14;20)", "gain(1q)",
                         "del(1p32)", "b2m_mg_l", "creatinine_mg_dl")
    # all lesions absent, β2M low: creatinine cannot matter; standard
    r = evaluate_all(lesions(), Labs(b2m_mg_l=2.0), T).imwg2025
    assert (r.call, r.missing) == ("standard", ())
    # all lesions absent, β2M high, creatinine unknown: creatinine decides
    r = evaluate_all(lesions(), Labs(b2m_mg_l=6.0), T).imwg2025
    assert (r.call, r.missing) == ("not_evaluable", ("creatinine_mg_dl",))
    # TP53 not assessed (FISH only): not evaluable, TP53 named
    r = evaluate_all(lesions(unknown=("TP53_mutation",)), NORMAL_LABS, T).imwg2025
    assert (r.call, r.missing) == ("not_evaluable", ("TP53_mutation",))
    # one criterion met is enough, whatever is unknown
    r = evaluate_all(lesions({"TP53_mutation": {}}, absent=()), Labs(), T).imwg2025
    assert (r.call, r.missing) == ("high", ())
    # del(17p) present with unknown fraction: the fraction decides
    r = evaluate_all(lesions({"del(17p)": {}}), NORMAL_LABS, T).imwg2025
    assert (r.call, r.missing) == ("not_evaluable", ("del(17p) fraction",))
    # del(1p32) of unknown allelic state with gain(1q): high either way
    r = evaluate_all(lesions({"del(1p32)": {}, "gain(1q)": {"copies": 3}}), NORMAL_LABS, T).imwg2025
    assert r.call == "high"
    # ... and without gain(1q): the allelic state decides
    r = evaluate_all(lesions({"del(1p32)": {}}), NORMAL_LABS, T).imwg2025
    assert (r.call, r.missing) == ("not_evaluable", ("del(1p32) allelic state",))
    # t(4;14) absent, the partners absent, 1q unknown: criterion 2 is false, 3 still open via 1p32 absent
    r = evaluate_all(lesions(unknown=("gain(1q)",)), NORMAL_LABS, T).imwg2025
    assert (r.call, r.missing) == ("standard", ())


def test_imwg_threshold_from_config():
    cfg = default_config()
    cfg["risk"]["imwg2025"]["del17p_min_fraction"] = 0.5
    t = Thresholds.from_config(cfg["risk"])
    r = evaluate_all(lesions({"del(17p)": {"fraction": 0.45}}), NORMAL_LABS, t).imwg2025
    assert r.call == "standard"


# --- mSMART 3.0 ---------------------------------------------------------------

@pytest.mark.parametrize(
    "present, call, hits, hit_class",
    [
        ({}, "standard", 0, None),
        ({"t(4;14)": {"fraction": 0.5}}, "high", 1, None),
        ({"del(17p)": {"fraction": 0.1}}, "high", 1, None),  # any del(17p) for mSMART
        ({"t(4;14)": {"fraction": 0.5}, "gain(1q)": {"copies": 3}}, "high", 2, "double hit"),
        ({"t(14;16)": {"fraction": 0.5}, "gain(1q)": {"copies": 3}, "TP53_mutation": {}}, "high", 3, "triple hit"),
        ({"t(11;14)": {"fraction": 0.5}}, "standard", 0, None),
    ],
)
def test_msmart3(present, call, hits, hit_class):
    r = evaluate_all(lesions(present), NORMAL_LABS, T).msmart3
    assert (r.call, r.hits, r.hit_class) == (call, hits, hit_class)


def test_msmart3_riss_iii_counts_and_unknowns():
    r = evaluate_all(lesions(), Labs(6.0, 4.0, True, 0.9), T).msmart3
    assert r.call == "high" and r.criteria_met == ("R-ISS III",) and r.hits == 0
    r = evaluate_all(lesions(), Labs(), T).msmart3
    assert r.call == "not_evaluable" and r.missing == ("b2m_mg_l", "ldh_u_l")
    assert "t(11;14)" in evaluate_all(lesions({"t(11;14)": {"fraction": 0.3}}), NORMAL_LABS, T).msmart3.standard_risk_markers


# --- Properties over all lesion states ----------------------------------------

def test_three_valued_is_consistent_with_every_completion():
    """For every mix of present/absent/not-assessed lesions, a decided call equals
    the call of every completion, and an undecided one differs between two."""
    keys = ("del(17p)", "t(4;14)", "gain(1q)", "TP53_mutation")
    for states in itertools.product(("present", "absent", "unknown"), repeat=len(keys)):
        present = {k: {"fraction": 0.5} for k, s in zip(keys, states) if s == "present"}
        unknown = tuple(k for k, s in zip(keys, states) if s == "unknown")
        r = evaluate_all(lesions(present, unknown=unknown), NORMAL_LABS, T).imwg2025
        completions = set()
        for fill in itertools.product((True, False), repeat=len(unknown)):
            p2 = dict(present)
            p2.update({k: {"fraction": 0.5} for k, f in zip(unknown, fill) if f})
            completions.add(evaluate_all(lesions(p2), NORMAL_LABS, T).imwg2025.call)
        if r.call == "not_evaluable":
            assert completions == {"high", "standard"}
            assert r.missing and set(r.missing) <= set(unknown)
        else:
            assert completions == {r.call}


def test_every_lesion_id_reaches_the_engine():
    calls = lesions()
    assert set(calls) == set(LESION_IDS)


def test_criterion_texts_follow_the_thresholds_in_force() -> None:
    """A changed threshold can never leave a stale sentence in risk.json or the report."""
    from dataclasses import replace

    t = replace(T, imwg_del17p_min_fraction=0.6, imwg_b2m_mg_l=7.0, imwg_creatinine_mg_dl=2.0)
    calls, _ = merge([Evidence("del(17p)", "present", "FISH", fraction=0.7, origin="f.tsv:2")])
    res = evaluate_all(calls, Labs(b2m_mg_l=8.0, creatinine_mg_dl=1.0), t).imwg2025
    texts = {c.id: c.text for c in res.criteria}
    assert texts["1"].startswith("del(17p) in > 60% of tumour cells")
    assert texts["4"] == "β2-microglobulin ≥ 7 mg/L with creatinine < 2 mg/dL"
    assert "del(17p) in > 60% of tumour cells" in res.criteria_met
    assert "β2-microglobulin ≥ 7 mg/L with creatinine < 2 mg/dL" in res.criteria_met
    assert not any("20%" in x or "5.5" in x for x in set(texts.values()) | set(res.criteria_met))


# --- The typed results and their risk.json objects ----------------------------

SYSTEM_KEYS = ["imwg2025", "r2iss", "riss", "iss", "msmart3"]
JSON_KEYS = {
    "imwg2025": ["call", "criteria_met", "missing", "criteria"],
    "r2iss": ["stage", "score", "score_range", "missing"],
    "riss": ["stage", "missing"],
    "iss": ["stage", "missing"],
    "msmart3": ["call", "hits", "hit_class", "criteria_met", "missing", "standard_risk_markers", "not_considered"],
}
#: Lesion states and labs that between them reach every call, a null stage and score of each system.
LESION_CASES = [
    {},
    {"absent": ()},
    {"unknown": ALL_HR},
    {"present": {"TP53_mutation": {}}, "absent": ()},
    {"present": {"del(17p)": {}}},
    {"present": {"t(4;14)": {"fraction": 0.5}, "gain(1q)": {"copies": 3}, "TP53_mutation": {}}},
    {"present": {"t(4;14)": {"fraction": 0.5}, "gain(1q)": {"copies": 3}}},
    {"present": {"t(11;14)": {"fraction": 0.3}}},
]
LAB_CASES = [Labs(), NORMAL_LABS, Labs(b2m_mg_l=2.0), Labs(6.0, 4.0, True, 0.9), Labs(7.0, 4.0, None, 0.9)]


@pytest.fixture(scope="module")
def demo_doc() -> dict:
    """A valid risk.json object (DEMO-01) whose ``risk`` the tests replace."""
    return evaluate_demo("DEMO-01")[1]


def test_to_json_gives_the_risk_json_object_the_schema_accepts(demo_doc):
    assert validate_risk(demo_doc) == []
    seen: dict[str, set] = {key: set() for key in SYSTEM_KEYS}
    for case, labs in itertools.product(LESION_CASES, LAB_CASES):
        res = evaluate_all(lesions(**case), labs, T)
        risk = res.to_json()
        assert list(risk) == SYSTEM_KEYS
        for key in SYSTEM_KEYS:
            assert list(risk[key]) == JSON_KEYS[key]
            assert risk[key] == res[key].to_json()
        assert all(list(c) == ["id", "text", "value"] for c in risk["imwg2025"]["criteria"])
        assert json.loads(json.dumps(risk)) == risk  # JSON types only: a tuple would not equal its list
        assert validate_risk({**demo_doc, "risk": risk}) == [], (case, labs)
        for key in ("imwg2025", "msmart3"):
            seen[key].add(res[key].call)
        for key in ("riss", "iss"):
            seen[key].add(res[key].stage is None)
        seen["r2iss"].add((res.r2iss.stage is None, res.r2iss.score is None))
    assert seen["imwg2025"] == seen["msmart3"] == {"high", "standard", "not_evaluable"}
    assert seen["riss"] == seen["iss"] == {True, False}
    assert {(True, True), (False, False), (False, True)} <= seen["r2iss"]


def test_result_types_and_their_json():
    res = evaluate_all(lesions({"t(4;14)": {"fraction": 0.5}, "gain(1q)": {"copies": 3}}), NORMAL_LABS, T)
    assert isinstance(res, RiskResults)
    assert isinstance(res.imwg2025, RiskCall) and isinstance(res.msmart3, MsmartResult)
    assert isinstance(res.r2iss, R2IssResult) and isinstance(res.riss, StageResult) and isinstance(res.iss, StageResult)
    assert all(isinstance(c, Criterion) for c in res.imwg2025.criteria)
    assert res.imwg2025.to_json() == {
        "call": "high",
        "criteria_met": ["t(4;14) with gain(1q)"],
        "missing": [],
        "criteria": [
            {"id": "1", "text": "del(17p) in > 20% of tumour cells and/or TP53 mutation", "value": False},
            {"id": "2", "text": "t(4;14), t(14;16) or t(14;20) with gain/amp(1q) and/or del(1p32)", "value": True},
            {"id": "3", "text": "biallelic del(1p32), or monoallelic del(1p32) with gain/amp(1q)", "value": False},
            {"id": "4", "text": "β2-microglobulin ≥ 5.5 mg/L with creatinine < 1.2 mg/dL", "value": False},
        ],
    }
    assert res.msmart3.to_json() == {
        "call": "high", "hits": 2, "hit_class": "double hit", "criteria_met": ["t(4;14)", "gain(1q)"],
        "missing": [], "standard_risk_markers": [],
        "not_considered": ["high-risk gene expression profile", "high plasma-cell S-phase"],
    }
    assert res.r2iss.to_json() == {"stage": "III", "score": 1.5, "score_range": [1.5, 1.5], "missing": []}
    assert res.riss.to_json() == {"stage": "II", "missing": []}
    assert res.iss.to_json() == {"stage": "I", "missing": []}
    assert res.to_json() == {key: res[key].to_json() for key in SYSTEM_KEYS}


def test_results_read_like_the_risk_json_dicts():
    """What the templates do with the dicts (``d.risk[key]``, ``"call" in r``, ``r.get("score")``) works on the
    records too."""
    res = evaluate_all(lesions(), Labs(), T)
    for key in SYSTEM_KEYS:
        assert res[key] is getattr(res, key) and res.get(key) is getattr(res, key) and key in res
        d = res[key].to_json()
        for name in JSON_KEYS[key]:
            assert name in res[key]
            value = res[key][name]
            assert value is res[key].get(name) and value is getattr(res[key], name)
            if name == "criteria":
                value = [c.to_json() for c in value]
            assert (list(value) if isinstance(value, tuple) else value) == d[name]
    c = res.imwg2025.criteria[0]
    assert (c["id"], c.get("text"), c.get("value")) == (c.id, c.text, c.value)
    assert "call" in res.imwg2025 and "call" in res.msmart3 and "call" not in res.iss and "call" not in res.r2iss
    assert "score_range" in res.r2iss and "score_range" not in res.riss
    assert res.iss.get("score") is None and res.iss.get("score", 0) == 0
    assert res.imwg2025.get("hit_class") is None and res.iss.get("criteria_met") is None
    assert res.iss.get("to_json") is None and "to_json" not in res.iss  # fields only, never a method
    with pytest.raises(KeyError):
        res["nope"]
    with pytest.raises(KeyError):
        res.iss["score"]


@pytest.mark.parametrize("sample", ["DEMO-07", "DEMO-08", "DEMO-12"])
def test_sample_page_reads_the_typed_results_as_risk_json_states_them(sample):
    """The page's risk and treatment-history sections say what risk.json says (the page reads the records)."""
    from mmrisk import labels
    from mmrisk.report import LABELS

    result, doc = evaluate_demo(sample)
    page = render_sample(result, date="2025-01-01")
    for key, r in doc["risk"].items():
        if "call" in r:
            assert f'<span class="badge {r["call"]}">{LABELS[r["call"]]}</span>' in page, key
        elif r["stage"]:
            assert f"Stage {r['stage']}" in page, key
        for c in r.get("criteria_met") or []:  # a criterion that is a lesion id is shown by its label
            assert f"<li>{html.escape(labels.variable(c), quote=True)}</li>" in page, (key, c)
    for c in doc["risk"]["imwg2025"]["criteria"]:
        assert html.escape(c["text"], quote=True) in page
    if doc["refractory"]["class"]:
        assert doc["refractory"]["class"].replace("_", " ") in page