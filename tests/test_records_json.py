"""The typed readers of the written JSON (mmrisk.records_json and the records' from_json) give back what
was written: for demo samples evaluated in this process, JSON -> typed record -> JSON is the identity, and
the typed record read back equals the one the evaluation made wherever the JSON carries every field."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

import pytest

from conftest import evaluate_demo
from mmrisk.cnv import GeneState
from mmrisk.entry import Outcome
from mmrisk.lesions import LESION_IDS, LesionCall
from mmrisk.clinical import TreatmentHistory
from mmrisk.records_json import (RISK_CALL_FIELD, FindingRecord, SampleRecord, read_evaluation,
                                 risk_calls)
from mmrisk.snv import SmallVariant

# FISH only; SNV + SV + CNV with purity; SV + CNV; the DP17 timepoints with knowledge-base findings
SAMPLES = ("DEMO-01", "DEMO-12", "DEMO-14", "DEMO-17", "DEMO-18")


@pytest.fixture(scope="module", params=SAMPLES)
def evaluated(request: pytest.FixtureRequest) -> tuple:
    result, doc = evaluate_demo(request.param)
    # what the patient job reads: the file's text, not the in-memory object
    return result, json.loads(json.dumps(doc))


def test_lesion_calls_round_trip(evaluated):
    result, doc = evaluated
    for lid in LESION_IDS:
        call = LesionCall.from_json(lid, doc["lesions"][lid])
        assert call.to_json() == doc["lesions"][lid]
        made = result.lesions[lid]
        assert (call.status, call.fraction, call.sources, call.discordant, call.notes) == (
            made.status, made.fraction, made.sources, made.discordant, made.notes)
        # the evidence as written: gene and junction are not part of risk.json
        assert call.evidence == [replace(e, gene=None, junction=None) for e in made.evidence]


def test_variants_round_trip(evaluated):
    result, doc = evaluated
    read = [SmallVariant.from_json(v) for v in doc.get("variants", [])]
    assert [asdict(v) for v in read] == doc.get("variants", [])
    assert [replace(v, kb_match="") for v in read] == [replace(v, kb_match="") for v in result.variants]


def test_findings_round_trip(evaluated):
    result, doc = evaluated
    for key, made in (("findings", result.findings), ("findings_below_vaf_floor", result.below_floor)):
        read = [FindingRecord.from_json(f) for f in doc[key]]
        assert [f.to_json() for f in read] == doc[key]
        assert [(f.rule_id, f.gene, f.alteration, f.vaf, list(f.drug_classes), f.effect, f.source, f.origin)
                for f in read] == [(f.rule.id, f.gene, f.alteration, f.vaf, f.drug_classes, f.effect, f.source,
                                    f.origin) for f in made]


def test_gene_states_risk_and_history_read_back(evaluated):
    result, doc = evaluated
    states = {g: GeneState(**st) for g, st in doc["gene_copy_states"].items()}
    assert states == {g: replace(st, chrom="") for g, st in (result.gene_states or {}).items()}
    calls = risk_calls(doc["risk"])
    assert set(calls) == set(RISK_CALL_FIELD)
    for key, call in calls.items():
        written = doc["risk"][key]
        assert call.value == written[RISK_CALL_FIELD[key]]
        assert list(call.missing) == written["missing"]
        assert list(call.criteria_met) == written.get("criteria_met", [])
    h = TreatmentHistory.from_json(doc["refractory"])
    assert (h.refractory_class, list(h.refractory_to), dict(h.by_class)) == (
        doc["refractory"]["class"], doc["refractory"]["refractory_to"], doc["refractory"].get("by_class", {}))


def test_evaluation_json_parsed_once_into_one_record(evaluated):
    result, doc = evaluated
    status = json.loads(json.dumps(Outcome(result.sample, result).to_json()))
    ev = read_evaluation(status)
    assert ev.ok and ev.status == "ok" and ev.error is None and ev.sample == result.sample.sample
    rec = ev.result
    assert isinstance(rec, SampleRecord)
    assert list(rec.lesions) == list(LESION_IDS)
    assert {lid: c.to_json() for lid, c in rec.lesions.items()} == doc["lesions"]
    assert [asdict(v) for v in rec.variants] == doc["variants"]
    assert [f.to_json() for f in rec.findings] == doc["findings"]
    assert rec.purity == doc["purity"]
    assert rec.knowledge_base_version == doc["provenance"]["knowledge_base_version"]


def test_a_failed_evaluation_has_its_reason_and_no_records():
    ev = read_evaluation({"sample": "S1", "patient": "P", "timepoint": None, "status": "failed",
                          "error": "fish.tsv, line 3: bad"})
    assert (ev.ok, ev.status, ev.error, ev.result) == (False, "failed", "fish.tsv, line 3: bad", None)
