"""Immunoglobulin translocations the contract names no lesion id for (``resources/ig_partners.tsv``).

- **light-chain translocations**: an IGK or IGL locus joined to a partner gene of an IGH translocation
  (MAF with IGL, t(16;22); MAFB with IGL, t(20;22); CCND1 with IGK or IGL; ...). They are reported as
  themselves, naming the IG locus and the partner, as a labelled note on the call of the IGH translocation
  they are not (with how the risk systems treat them), and never become t(14;16), t(14;20) or t(11;14).
- **partnerless calls**: a MAF-family translocation reported without saying MAF or MAFB. Its candidates
  (t(14;16), t(14;20)) are both recorded as open, never guessed (:class:`~mmrisk.lesions.Evidence`
  ``alternatives``).

The table is a package file read once at import (like ``lesions.tsv``): its ids are what
``fish_targets.tsv`` maps lab spellings to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from .errors import InputError, InputProblem
from .lesions import LESION_IDS, Evidence, EvidenceStatus
from .resources import RESOURCE_DIR
from .tables import read_tsv

KINDS: tuple[str, ...] = ("light_chain", "partnerless")
LIGHT_CHAIN_LOCI: tuple[str, ...] = ("IGK", "IGL")


@dataclass(frozen=True)
class IgPartner:
    """One row of ``ig_partners.tsv``."""

    kind: str
    id: str
    label: str
    ig_locus: str
    window: str
    lesions: tuple[str, ...]
    risk_note: str


def load_ig_partners(path: str | Path, lesion_ids: tuple[str, ...]) -> tuple[IgPartner, ...]:
    """The table's rows; a malformed row is an InputError naming file and line."""
    table = read_tsv(path, required_columns=("kind", "id", "label", "ig_locus", "window", "lesions", "risk_note"))
    out: list[IgPartner] = []
    problems: list[InputProblem] = []
    for row in table.rows:
        c = row.cells
        lesions = tuple(x.strip() for x in c["lesions"].split(",") if x.strip())
        ok = (c["kind"] in KINDS and c["id"] and c["label"] and c["risk_note"] and lesions
              and all(x in lesion_ids for x in lesions) and not any(p.id == c["id"] for p in out)
              and (c["kind"] != "light_chain" or (c["ig_locus"] in LIGHT_CHAIN_LOCI and c["window"]
                                                  and len(lesions) == 1))
              and (c["kind"] != "partnerless" or len(lesions) >= 2))
        if not ok:
            problems.append(InputProblem(table.path, "malformed or duplicated IG partner row", line=row.line,
                                         value=c["id"], expected="a new id, kind light_chain (IGK/IGL, a window, "
                                         "one lesion id) or partnerless (two or more lesion ids), a label, a note"))
            continue
        out.append(IgPartner(c["kind"], c["id"], c["label"], c["ig_locus"], c["window"], lesions, c["risk_note"]))
    if problems:
        raise InputError(problems)
    return tuple(out)


IG_PARTNERS: tuple[IgPartner, ...] = load_ig_partners(RESOURCE_DIR / "ig_partners.tsv", LESION_IDS)
BY_ID: dict[str, IgPartner] = {p.id: p for p in IG_PARTNERS}


def light_chain(ig_locus: str, window: str) -> IgPartner | None:
    """The light-chain translocation of an IGK/IGL locus joined to a partner window, if the table lists it."""
    return next((p for p in IG_PARTNERS if p.kind == "light_chain" and p.ig_locus == ig_locus
                 and p.window == window), None)


def is_pseudo_target(target_id: str) -> bool:
    """True for an id of this table (a FISH target that is no lesion id of the contract)."""
    return target_id in BY_ID


def partner_evidence(target_id: str, status: str, source: str, origin: str, detail: str,
                     given: dict[str, Any]) -> list[Evidence]:
    """The evidence of one test of an ``ig_partners.tsv`` target, ``status`` present, absent or not_assessed.

    - light chain: a note on the call of the IGH translocation it is not (label, result, how the risk
      systems treat it); the call's status is untouched.
    - partnerless present: each candidate not_assessed with the candidates as ``alternatives``, and
      IGH_rearrangement present (each candidate is an IGH translocation); absent: each candidate absent;
      not assessed: each candidate not assessed.
    """
    p = BY_ID[target_id]
    if p.kind == "light_chain":
        (lesion,) = p.lesions
        word = {"present": "present", "absent": "absent", "not_assessed": "not assessed"}[status]
        text = (f"{p.label} {word} by {given.get('method') or source} ({origin}: {detail}): an {p.ig_locus} "
                f"translocation, not {lesion}; {p.risk_note}")
        return [Evidence(lesion, "not_assessed", source, origin=origin, detail=text, note_only=True, **given)]
    if status == "present":
        out = [Evidence(x, "not_assessed", source, origin=origin, alternatives=p.lesions,
                        detail=f"{p.label}: {detail}; {p.risk_note}", **given) for x in p.lesions]
        return out + [Evidence("IGH_rearrangement", "present", source, origin=origin,
                               detail=f"{p.label}: {detail}", **given)]
    return [Evidence(x, cast(EvidenceStatus, status), source, origin=origin, detail=f"{p.label}: {detail}",
                     **given) for x in p.lesions]
