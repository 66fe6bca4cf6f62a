"""The lesion model and the one merge step every evidence source plugs into.

The calls made from each input kind (``fish``, ``snv``, ``sv``, ``copynumber``) are
:class:`Evidence` items: "this source says lesion X is present (or absent) in this fraction of
tumour cells, with these copies or this allelic state, at this gene locus or SV junction
(:class:`JunctionEnds`), from this file and record" — fields that the plots, tables and the
knowledge base read, never the ``detail`` sentence, which is for people.
:func:`merge` combines all items of a sample into one :class:`LesionCall` per
lesion id of the contract. A lesion no item speaks to stays ``not_assessed``:
never absent by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping

from .errors import InputError, InputProblem
from .resources import RESOURCE_DIR
from .tables import read_tsv

GROUPS: tuple[str, ...] = ("igh_translocation", "rearrangement", "deletion", "mutation", "gain", "ploidy")
CARRIES: tuple[str, ...] = ("copies", "allelic")


@dataclass(frozen=True)
class LesionKind:
    """One lesion of the vocabulary (``resources/lesions.tsv``): its id, its name for people, what it carries."""

    id: str
    label: str
    group: str  # one of GROUPS
    partner: str | None  # the partner locus of a named IGH translocation
    carries: str | None  # "copies", "allelic" or None


def load_vocabulary(path: str | Path) -> tuple[LesionKind, ...]:
    """The lesion vocabulary, in report order; a malformed row is an InputError naming file and line."""
    table = read_tsv(path, required_columns=("id", "label", "group", "partner", "carries", "source"))
    out: list[LesionKind] = []
    problems: list[InputProblem] = []
    for row in table.rows:
        c = row.cells
        if c["group"] not in GROUPS or c["carries"] not in CARRIES + ("-",) or not c["id"] or not c["label"] \
                or any(k.id == c["id"] for k in out):
            problems.append(InputProblem(table.path, "malformed or duplicated lesion row", line=row.line, value=c["id"],
                                         expected=f"a new id, a label, group one of {', '.join(GROUPS)}, "
                                                  f"carries one of {', '.join(CARRIES)} or -"))
            continue
        out.append(LesionKind(c["id"], c["label"], c["group"], c["partner"] or None,
                              None if c["carries"] == "-" else c["carries"]))
    if problems:
        raise InputError(problems)
    return tuple(out)


#: The vocabulary every module and page uses (a package file: the ids are the contract's).
VOCABULARY: tuple[LesionKind, ...] = load_vocabulary(RESOURCE_DIR / "lesions.tsv")
LESIONS: dict[str, LesionKind] = {k.id: k for k in VOCABULARY}
#: Every lesion id of the contract, in report order.
LESION_IDS: tuple[str, ...] = tuple(LESIONS)
#: Named IGH translocations: each one is also an IGH rearrangement.
IGH_TRANSLOCATIONS: tuple[str, ...] = tuple(k.id for k in VOCABULARY if k.group == "igh_translocation")


def lesion_label(lesion_id: str) -> str:
    """The lesion's name for people (``TP53_mutation`` → ``TP53 mutation``)."""
    return LESIONS[lesion_id].label


SOURCES: tuple[str, ...] = ("FISH", "SV", "CNV", "SNV")

Status = Literal["present", "absent", "not_assessed"]
EvidenceStatus = Literal["present", "absent", "not_assessed"]
Allelic = Literal["mono", "biallelic"]


@dataclass(frozen=True)
class JunctionEnds:
    """The two ends of the SV junction behind an IGH or MYC lesion item, as fields (plots read these)."""

    locus: str  # "IGH" or "MYC": the end that lies in the locus
    locus_chrom: str
    locus_pos: int
    partner: str  # what that end is joined to, in words: a partner window ("NSD2/FGFR3"), an IG locus, a position
    partner_chrom: str | None  # None for a single breakend
    partner_pos: int | None
    record: str  # the caller's record: dialect, ids, FILTER, read support, file:line


@dataclass(frozen=True)
class Evidence:
    """What one source says about one lesion.

    ``status`` is ``present`` or ``absent``; ``not_assessed`` records a test
    that was attempted but gave no answer (a failed FISH probe), so the report
    can say why the lesion is not assessed.
    """

    lesion: str
    status: EvidenceStatus
    source: str
    fraction: float | None = None
    copies: int | None = None
    allelic: Allelic | None = None
    origin: str = ""  # file and line/record, e.g. "fish.tsv:4"
    detail: str = ""  # what was seen, e.g. "IGH::FGFR3 positive in 62% of nuclei (cut-off 10%)"
    implied_by: str | None = None  # set on items derived by an implication rule
    gene: str | None = None  # the gene locus a copy-number or small-variant item rests on (e.g. "TP53")
    junction: JunctionEnds | None = None  # the SV junction of an SV item
    # a FISH row's own words, reported as given (contract): nuclei scored, the probe (kit), the lab's comment
    cells_scored: int | None = None
    probe: str | None = None
    comment: str | None = None
    # how a FISH-table row was obtained where the table says (FISH, seqFISH, karyotype, NGS, report), or the
    # tool of an SV table (IgCaller); names the source in discordance warnings
    method: str | None = None
    # a not_assessed item that says "one of these lesions is present, which one was not given" (a MAF-family
    # call without its partner): the candidates, this item's lesion among them
    alternatives: tuple[str, ...] = ()
    # an item that only adds its detail to the call's notes (a light-chain translocation beside the IGH one
    # it is not, :mod:`mmrisk.igpartners`): it makes the call neither present nor absent
    note_only: bool = False

    def __post_init__(self) -> None:
        if self.lesion not in LESION_IDS:
            raise ValueError(f"unknown lesion id {self.lesion!r}")
        if self.status not in ("present", "absent", "not_assessed"):
            raise ValueError(f"unknown evidence status {self.status!r}")
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}")
        if self.fraction is not None and not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"fraction {self.fraction} outside [0, 1]")
        if self.allelic not in (None, "mono", "biallelic"):
            raise ValueError(f"unknown allelic state {self.allelic!r}")
        if self.cells_scored is not None and (isinstance(self.cells_scored, bool) or self.cells_scored < 0):
            raise ValueError(f"cells_scored {self.cells_scored!r} is not a non-negative integer")
        if self.alternatives and (self.status != "not_assessed" or self.lesion not in self.alternatives
                                  or any(a not in LESION_IDS for a in self.alternatives)):
            raise ValueError(f"alternatives {self.alternatives!r} need a not_assessed item of one of them")

    @classmethod
    def from_json(cls, lesion_id: str, obj: Mapping[str, Any]) -> Evidence:
        """An item as risk.json writes it in its call's ``evidence`` (:meth:`LesionCall.to_json`): the lesion is
        the call's; ``gene`` and ``junction`` are not written, so they are None."""
        return cls(lesion_id, obj["status"], obj["source"], obj.get("fraction"), obj.get("copies"), obj.get("allelic"),
                   obj.get("origin", ""), obj.get("detail", ""), obj.get("implied_by"),
                   cells_scored=obj.get("cells_scored"), probe=obj.get("probe"), comment=obj.get("comment"),
                   method=obj.get("method"), alternatives=tuple(obj.get("alternatives") or ()))

    def given(self) -> dict[str, object]:
        """The FISH row's own fields that were given (``cells_scored``, ``probe``, ``comment``, ``method``) and the
        ``alternatives`` of a partnerless call, for risk.json."""
        out: dict[str, object] = {k: v for k in ("cells_scored", "probe", "comment", "method")
                                  if (v := getattr(self, k)) is not None}
        if self.alternatives:
            out["alternatives"] = list(self.alternatives)
        return out

    @property
    def who(self) -> str:
        """The source in words, for warnings: its method where known (``report``, ``NGS``), and its origin."""
        where = [x for x in (self.method if self.method != self.source else None, self.origin) if x]
        return f"{self.source} ({', '.join(where)})" if where else self.source


@dataclass
class LesionCall:
    """The merged call of one lesion for one sample."""

    lesion: str
    status: Status = "not_assessed"
    fraction: float | None = None
    copies: int | None = None
    allelic: Allelic | None = None
    sources: list[str] = field(default_factory=list)
    discordant: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return self.status == "present"

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "status": self.status,
            "fraction": self.fraction,
            "sources": list(self.sources),
            "discordant": self.discordant,
        }
        carries = LESIONS[self.lesion].carries
        if carries == "copies":
            out["copies"] = self.copies
        if carries == "allelic":
            out["allelic"] = self.allelic
        out["evidence"] = [
            {
                "source": e.source,
                "status": e.status,
                "fraction": e.fraction,
                "copies": e.copies,
                "allelic": e.allelic,
                "origin": e.origin,
                "detail": e.detail,
                "implied_by": e.implied_by,
                **e.given(),
            }
            for e in self.evidence
        ]
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    @classmethod
    def from_json(cls, lesion_id: str, obj: Mapping[str, Any]) -> LesionCall:
        """The call as risk.json writes it (:meth:`to_json`); a key the object leaves out (``copies`` of a lesion
        that carries none, ``evidence``, ``notes``) takes the field's default."""
        return cls(lesion_id, obj["status"], obj.get("fraction"), obj.get("copies"), obj.get("allelic"),
                   list(obj.get("sources") or ()), bool(obj.get("discordant", False)),
                   [Evidence.from_json(lesion_id, e) for e in obj.get("evidence") or ()], list(obj.get("notes") or ()))


def _implied(items: list[Evidence], igh_breakapart_excludes_partners: bool) -> list[Evidence]:
    """Evidence that follows logically from other evidence.

    - amp(1q) present implies gain(1q) present; gain(1q) absent implies amp(1q) absent.
    - a named IGH translocation present implies IGH_rearrangement present.
    - optionally, IGH_rearrangement absent (a negative IGH break-apart probe)
      implies every named IGH translocation absent.
    """
    derived: list[Evidence] = []
    for e in items:
        why = f"{e.lesion} {e.status}"
        if e.lesion == "amp(1q)" and e.status == "present":
            derived.append(replace(e, lesion="gain(1q)", allelic=None, detail=f"implied by amp(1q): {e.detail}",
                                   implied_by=why))
        elif e.lesion == "gain(1q)" and e.status == "absent":
            derived.append(replace(e, lesion="amp(1q)", fraction=None, allelic=None,
                                   detail=f"implied by no gain(1q): {e.detail}", implied_by=why))
        elif e.lesion in IGH_TRANSLOCATIONS and e.status == "present":
            derived.append(replace(e, lesion="IGH_rearrangement", copies=None, allelic=None,
                                   detail=f"implied by {e.lesion}: {e.detail}", implied_by=why))
        elif (igh_breakapart_excludes_partners and e.lesion == "IGH_rearrangement"
              and e.status == "absent" and e.implied_by is None):
            for t in IGH_TRANSLOCATIONS:
                derived.append(replace(e, lesion=t, fraction=None, copies=None, allelic=None,
                                       detail=f"implied by no IGH rearrangement: {e.detail}", implied_by=why))
    return derived


def _disagreement(pres: list[Evidence], absn: list[Evidence]) -> str:
    """Every source on each side of a present/absent conflict, named with its method and origin."""
    def side(items: list[Evidence]) -> str:
        direct = [e for e in items if e.implied_by is None] or items
        return "; ".join(f"{e.who} ({e.detail})" for e in direct)
    return (f"sources disagree (discordant): present by {side(pres)}; absent by {side(absn)}; "
            "reported as present")


def merge(
    evidence: Iterable[Evidence],
    *,
    igh_breakapart_excludes_partners: bool = True,
) -> tuple[dict[str, LesionCall], list[str]]:
    """Merge all evidence of one sample into one call per lesion id.

    Returns the calls (every lesion id of the contract, in order) and the
    warnings the merge raised (discordant sources).

    Rules: a lesion is present if any item says present (each source has
    applied its own cut-off already), absent if at least one item says absent
    and none present, and not assessed otherwise. Where items disagree the call
    is marked discordant and a warning names both sides. The fraction is the
    largest fraction among the items that say present; copies the largest copy
    number; the allelic state biallelic if any present item says so.
    """
    items = list(evidence)
    direct_keys = {(e.lesion, e.status) for e in items}
    for d in _implied(items, igh_breakapart_excludes_partners):
        # a direct observation of the same lesion and status needs no implied twin
        if (d.lesion, d.status) not in direct_keys or d.status == "present":
            items.append(d)

    calls = {lid: LesionCall(lid) for lid in LESION_IDS}
    warnings: list[str] = []
    for e in items:
        if e.note_only:
            calls[e.lesion].notes.append(e.detail)
        else:
            calls[e.lesion].evidence.append(e)

    for lid, call in calls.items():
        pres = [e for e in call.evidence if e.status == "present"]
        absn = [e for e in call.evidence if e.status == "absent"]
        failed = [e for e in call.evidence if e.status == "not_assessed"]
        for e in failed:
            if e.alternatives:
                call.notes.append(f"{e.who}: {e.detail}; one of " + " or ".join(e.alternatives)
                                  + " is reported, which one is not given (not guessed)")
            else:
                call.notes.append(f"{e.source} gave no result ({e.origin}): {e.detail}")
        if pres:
            call.status = "present"
            fr = [e.fraction for e in pres if e.fraction is not None]
            call.fraction = max(fr) if fr else None
            cp = [e.copies for e in pres if e.copies is not None]
            call.copies = max(cp) if cp else None
            al = {e.allelic for e in pres if e.allelic is not None}
            call.allelic = "biallelic" if "biallelic" in al else ("mono" if al else None)
            if len(al) > 1:
                call.discordant = True
                warnings.append(
                    f"{lid}: sources disagree on the allelic state: "
                    + "; ".join(f"{e.source} ({e.origin}) says {e.allelic}" for e in pres if e.allelic)
                    + "; reported as biallelic"
                )
        elif absn:
            call.status = "absent"
            cp = [e.copies for e in absn if e.copies is not None]
            if LESIONS[lid].carries == "copies" and cp:
                call.copies = max(cp)
        if pres and absn:
            call.discordant = True
            text = _disagreement(pres, absn)
            call.notes.append(text)
            warnings.append(f"{lid}: {text}")
        used = pres if pres else absn
        call.sources = sorted({e.source for e in used}, key=SOURCES.index)
    warnings += _open_alternatives(calls)
    return calls, warnings


def _open_alternatives(calls: dict[str, LesionCall]) -> list[str]:
    """A partnerless call ("t(14;16) or t(14;20)") against sources that rule out every candidate: discordant.

    The positive call says one of them is present and does not say which, the others say none is: no candidate
    can be called present (that would be a guess) or absent (that would drop a source), so each is not assessed,
    discordant, with both sides named. Where some candidate is not ruled out, nothing disagrees.
    """
    warnings: list[str] = []
    groups = {e.alternatives: e for c in calls.values() for e in c.evidence if e.alternatives}
    for group, item in groups.items():
        if not all(calls[x].status == "absent" for x in group):
            continue
        against = [e for x in group for e in calls[x].evidence if e.status == "absent"]
        text = (f"sources disagree (discordant): {item.who} reports one of {' or '.join(group)} ({item.detail}); "
                "absent by " + "; ".join(f"{e.who} ({e.detail})" for e in against)
                + "; neither can be called, reported as not assessed")
        for x in group:
            call = calls[x]
            call.status, call.discordant, call.sources, call.fraction, call.copies = "not_assessed", True, [], None, None
            call.notes.append(text)
        warnings.append(f"{'/'.join(group)}: {text}")
    return warnings


def open_alternatives(calls: Mapping[str, LesionCall]) -> list[tuple[str, ...]]:
    """Groups of lesions one of which a source reports present without saying which (a MAF-family call without
    its partner: t(14;16) or t(14;20)) and that the other sources leave open (not every candidate absent): the
    risk systems take "at least one of them present" as a constraint on their completions."""
    groups: list[tuple[str, ...]] = []
    for call in calls.values():
        for e in call.evidence:
            g = tuple(e.alternatives)
            if g and g not in groups and any(calls[x].status != "absent" for x in g):
                groups.append(g)
    return groups
