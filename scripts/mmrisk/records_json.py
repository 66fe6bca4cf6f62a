"""Typed readers of the written per-sample JSON: ``evaluation.json`` and the risk.json object inside it.

The per-patient and cohort jobs read other jobs' ``evaluation.json`` files
(``{"sample", "patient", "timepoint", "status": "ok"|"failed", "result"|"error"}``, written by
:class:`mmrisk.entry.Outcome`). :func:`read_evaluation` parses one such object once into typed records,
the same ones the evaluation made where they can be rebuilt from what was written:

- :meth:`mmrisk.lesions.LesionCall.from_json` (with its :class:`~mmrisk.lesions.Evidence` items);
- :meth:`mmrisk.snv.SmallVariant.from_json`;
- :class:`~mmrisk.cnv.GeneState` (``gene_copy_states`` leave out the chromosome: ``chrom`` is "");
- :class:`FindingRecord`: a knowledge-base finding as written (``kb.Finding`` needs the rule itself,
  i.e. the knowledge base; the JSON names the rule by ``rule_id``);
- :class:`SystemCall` per risk system (the call or stage, criteria met, missing: what the patient page compares), read by :func:`risk_calls` only (the one place to switch when the
  risk results are typed);
- the ``refractory`` block as :class:`mmrisk.clinical.TreatmentHistory` (its ``from_json``).

A key that the schema lets the writer leave out takes the field's default; a key it requires is read
as required.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .clinical import TreatmentHistory
from .cnv import GeneState
from .lesions import LESION_IDS, LesionCall
from .snv import SmallVariant

#: The field holding each risk system's call in risk.json.
RISK_CALL_FIELD: dict[str, str] = {"imwg2025": "call", "msmart3": "call", "r2iss": "stage", "riss": "stage",
                                   "iss": "stage"}


@dataclass(frozen=True)
class FindingRecord:
    """One knowledge-base finding as risk.json writes it (``kb.Finding.to_json``)."""

    rule_id: str
    gene: str  # the gene, or the lesion id of a lesion rule
    alteration: str
    source: str  # "SNV", "CNV" or "lesion"
    drug_classes: tuple[str, ...]
    effect: str
    evidence: str
    references: tuple[str, ...]
    vaf: float | None = None
    consequence: str | None = None
    alias: str | None = None
    origin: str = ""
    source_kind: str | None = None  # primary / review / abstract (absent before knowledge base 1.3.0)

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> FindingRecord:
        return cls(obj["rule_id"], obj["gene"], obj["alteration"], obj["source"], tuple(obj["drug_classes"]),
                   obj["effect"], obj["evidence"], tuple(obj["references"]), obj.get("vaf"), obj.get("consequence"),
                   obj.get("alias"), obj.get("origin", ""), obj.get("source_kind"))

    def to_json(self) -> dict[str, Any]:
        """The object it was read from (the keys and order of ``kb.Finding.to_json``)."""
        return {
            "gene": self.gene, "alteration": self.alteration, "consequence": self.consequence, "vaf": self.vaf,
            "drug_classes": list(self.drug_classes), "effect": self.effect, "evidence": self.evidence,
            "references": list(self.references), "alias": self.alias, "source": self.source, "rule_id": self.rule_id,
            "origin": self.origin, **({"source_kind": self.source_kind} if self.source_kind is not None else {}),
        }


@dataclass(frozen=True)
class SystemCall:
    """One risk system's call: ``value`` is the call (IMWG 2025, mSMART 3.0) or the stage (R2-ISS, R-ISS, ISS);
    None when it could not be computed."""

    value: str | None
    criteria_met: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def risk_calls(obj: Mapping[str, Any]) -> dict[str, SystemCall]:
    """Every system of :data:`RISK_CALL_FIELD` from risk.json's ``risk`` object (a system it lacks: no call)."""
    out = {}
    for key, call_field in RISK_CALL_FIELD.items():
        r = obj.get(key) or {}
        out[key] = SystemCall(r.get(call_field), tuple(r.get("criteria_met") or ()), tuple(r.get("missing") or ()))
    return out


@dataclass(frozen=True)
class SampleRecord:
    """What a risk.json object says, as typed records (the parts read back by the patient and cohort jobs)."""

    purity: float | None
    lesions: dict[str, LesionCall]  # every lesion id of the vocabulary, in order
    variants: list[SmallVariant]
    gene_states: dict[str, GeneState]  # {} when no copy-number file was read
    findings: list[FindingRecord]
    risk: dict[str, SystemCall]
    history: TreatmentHistory
    knowledge_base_version: str | None

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> SampleRecord:
        written = doc["lesions"]
        lesions = {lid: LesionCall.from_json(lid, written[lid]) if lid in written else LesionCall(lid)
                   for lid in LESION_IDS}
        return cls(
            purity=doc.get("purity"),
            lesions=lesions,
            variants=[SmallVariant.from_json(v) for v in doc.get("variants") or ()],
            gene_states={g: GeneState(**st) for g, st in (doc.get("gene_copy_states") or {}).items()},
            findings=[FindingRecord.from_json(f) for f in doc["findings"]],
            risk=risk_calls(doc["risk"]),
            history=TreatmentHistory.from_json(doc["refractory"]),
            knowledge_base_version=(doc.get("provenance") or {}).get("knowledge_base_version"),
        )


@dataclass(frozen=True)
class Evaluation:
    """One ``evaluation.json``: ``result`` when the sample was evaluated, else ``error`` says why not."""

    sample: str
    status: str  # ok / failed
    error: str | None
    result: SampleRecord | None

    @property
    def ok(self) -> bool:
        return self.result is not None


def read_evaluation(obj: Mapping[str, Any]) -> Evaluation:
    """The typed evaluation of one ``evaluation.json`` object (parsed once, by the job that reads it)."""
    if obj["status"] == "ok":
        return Evaluation(obj["sample"], "ok", None, SampleRecord.from_json(obj["result"]))
    return Evaluation(obj["sample"], "failed", str(obj.get("error")), None)
