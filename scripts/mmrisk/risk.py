"""Risk systems: IMS/IMWG 2025, ISS, R-ISS, R2-ISS and mSMART 3.0.

Each system is written once, as a plain function of *known* inputs (lesion
states and laboratory values), exactly as DOMAIN.md states it. Missing inputs
are handled by one generic, exact mechanism rather than by special cases in
each system: every input that was not assessed is replaced in turn by each of
its possible values, and

- a call or stage that comes out the same in every completion is reported;
- a criterion that holds in every completion is "met";
- otherwise the result is ``not_evaluable`` / ``null`` and ``missing`` names
  every unknown input whose value changes the result.

So "not assessed" never silently becomes "absent", and an unknown input that
cannot change the result (creatinine when β2M is low) is not reported as
missing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Callable, Iterable, Mapping, Sequence

from .completions import Assignment, Space, either
from .lesions import LesionCall, open_alternatives

#: The variables the systems read, in the order ``missing`` lists them.
VARIABLES: tuple[str, ...] = (
    "del(17p)", "del(17p) fraction", "TP53_mutation", "t(4;14)", "t(14;16)", "t(14;20)", "gain(1q)", "del(1p32)",
    "del(1p32) allelic state", "b2m_mg_l", "albumin_g_dl", "ldh_u_l", "creatinine_mg_dl",
)

# Internal domains of the two compound lesion variables.
DEL17P = "del17p"  # values: "absent", "low" (present, fraction <= threshold), "high"
DEL1P32 = "del1p32"  # values: "absent", "mono", "biallelic"


@dataclass(frozen=True)
class Thresholds:
    """All numbers of the risk systems (config ``risk:``; defaults only in the config schema)."""

    imwg_del17p_min_fraction: float
    imwg_b2m_mg_l: float
    imwg_creatinine_mg_dl: float
    iss_b2m_low_mg_l: float
    iss_albumin_g_dl: float
    iss_b2m_high_mg_l: float
    r2_points: tuple[tuple[str, float], ...]
    r2_stage_max: tuple[tuple[str, float], ...]

    @classmethod
    def from_config(cls, risk_cfg: Mapping[str, Any]) -> "Thresholds":
        """From the validated configuration's ``risk`` object (every key present)."""
        imwg, iss, r2 = risk_cfg["imwg2025"], risk_cfg["iss"], risk_cfg["r2iss"]
        return cls(
            imwg_del17p_min_fraction=float(imwg["del17p_min_fraction"]),
            imwg_b2m_mg_l=float(imwg["b2m_mg_l"]),
            imwg_creatinine_mg_dl=float(imwg["creatinine_mg_dl"]),
            iss_b2m_low_mg_l=float(iss["b2m_low_mg_l"]),
            iss_albumin_g_dl=float(iss["albumin_g_dl"]),
            iss_b2m_high_mg_l=float(iss["b2m_high_mg_l"]),
            r2_points=tuple((k, float(v)) for k, v in r2["points"].items()),
            r2_stage_max=tuple((k, float(v)) for k, v in r2["stage_max_score"].items()),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "imwg2025": {
                "del17p_min_fraction": self.imwg_del17p_min_fraction,
                "b2m_mg_l": self.imwg_b2m_mg_l,
                "creatinine_mg_dl": self.imwg_creatinine_mg_dl,
            },
            "iss": {
                "b2m_low_mg_l": self.iss_b2m_low_mg_l,
                "albumin_g_dl": self.iss_albumin_g_dl,
                "b2m_high_mg_l": self.iss_b2m_high_mg_l,
            },
            "r2iss": {"points": dict(self.r2_points), "stage_max_score": dict(self.r2_stage_max)},
        }


@dataclass(frozen=True)
class Labs:
    """Laboratory values; ``None`` = not given."""

    b2m_mg_l: float | None = None
    albumin_g_dl: float | None = None
    ldh_high: bool | None = None
    creatinine_mg_dl: float | None = None
    iss_stage: str | None = None  # ISS as the clinical table gives it (I, II, III), when recorded as a stage


# ---------------------------------------------------------------------------
# The results: typed records whose attribute names are the risk.json keys.
# ---------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if hasattr(value, "to_json"):
        return value.to_json()
    if isinstance(value, (tuple, list)):
        return [_json(v) for v in value]
    return value


class _Record:
    """A result record: ``to_json()`` is its risk.json object, keys in field order.

    ``get``, ``[]`` and ``in`` read the fields by their JSON key, so a template written
    for the risk.json dicts (``r.get("score")``, ``"call" in r``) reads a record alike.
    """

    def to_json(self) -> dict[str, Any]:
        return {f.name: _json(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    def __contains__(self, name: object) -> bool:
        return any(f.name == name for f in fields(self))  # type: ignore[arg-type]

    def __getitem__(self, name: str) -> Any:
        if name not in self:
            raise KeyError(name)
        return getattr(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name) if name in self else default


@dataclass(frozen=True)
class Criterion(_Record):
    """One IMWG 2025 criterion: True met, False not met, None depends on what is missing."""

    id: str
    text: str
    value: bool | None


@dataclass(frozen=True)
class RiskCall(_Record):
    """IMS/IMWG 2025: ``high``, ``standard`` or ``not_evaluable``."""

    call: str
    criteria_met: tuple[str, ...]
    missing: tuple[str, ...]
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class StageResult(_Record):
    """ISS or R-ISS: the stage, or None with the inputs that decide it."""

    stage: str | None
    missing: tuple[str, ...]


@dataclass(frozen=True)
class R2IssResult(_Record):
    """R2-ISS: the stage and score (None when not determined) and the range of possible scores."""

    stage: str | None
    score: float | None
    score_range: tuple[float, float]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class MsmartResult(_Record):
    """mSMART 3.0: the call, the number of genetic high-risk factors and their class."""

    call: str
    hits: int
    hit_class: str | None
    criteria_met: tuple[str, ...]
    missing: tuple[str, ...]
    standard_risk_markers: tuple[str, ...]
    not_considered: tuple[str, ...]


@dataclass(frozen=True)
class RiskResults(_Record):
    """Every risk system of one sample (risk.json ``risk``); ``results["iss"]`` is ``results.iss``."""

    imwg2025: RiskCall
    r2iss: R2IssResult
    riss: StageResult
    iss: StageResult
    msmart3: MsmartResult


# ---------------------------------------------------------------------------
# Candidate values of each input: one value if known, all cases if not.
# ---------------------------------------------------------------------------



def _num_candidates(value: float | None, cuts: Iterable[float]) -> list[float]:
    """A known value, or one representative of each interval the cuts make.

    The systems compare only with ``<`` / ``>=`` against these cuts, so the cut
    itself represents ``[cut, next cut)`` and ``min(cut) - 1`` everything below.
    """
    if value is not None:
        return [value]
    c = sorted(set(cuts))
    return [c[0] - 1.0] + c


def _candidates(lesions: Mapping[str, LesionCall], labs: Labs, t: Thresholds) -> dict[str, list[Any]]:
    def boolean(lid: str) -> list[bool]:
        s = lesions[lid].status
        return [True] if s == "present" else [False] if s == "absent" else [False, True]

    d17 = lesions["del(17p)"]
    if d17.status == "absent":
        del17p = ["absent"]
    elif d17.status == "present":
        if d17.fraction is None:
            del17p = ["low", "high"]
        else:
            del17p = ["high" if d17.fraction > t.imwg_del17p_min_fraction else "low"]
    else:
        del17p = ["absent", "low", "high"]

    d1p = lesions["del(1p32)"]
    if d1p.status == "absent":
        del1p32 = ["absent"]
    elif d1p.status == "present":
        del1p32 = [d1p.allelic] if d1p.allelic else ["mono", "biallelic"]
    else:
        del1p32 = ["absent", "mono", "biallelic"]

    ldh = [labs.ldh_high] if labs.ldh_high is not None else [False, True]
    return {
        DEL17P: del17p,
        "TP53_mutation": boolean("TP53_mutation"),
        "t(4;14)": boolean("t(4;14)"),
        "t(14;16)": boolean("t(14;16)"),
        "t(14;20)": boolean("t(14;20)"),
        # amp(1q) implies gain(1q) (the merge step adds that evidence)
        "gain(1q)": boolean("gain(1q)"),
        DEL1P32: del1p32,
        "b2m_mg_l": _num_candidates(labs.b2m_mg_l, (t.iss_b2m_low_mg_l, t.iss_b2m_high_mg_l, t.imwg_b2m_mg_l)),
        "albumin_g_dl": _num_candidates(labs.albumin_g_dl, (t.iss_albumin_g_dl,)),
        "ldh_u_l": ldh,
        "creatinine_mg_dl": _num_candidates(labs.creatinine_mg_dl, (t.imwg_creatinine_mg_dl,)),
    }


def _public_names(var: str, cands: list[Any], lesions: Mapping[str, LesionCall]) -> list[str]:
    """The name(s) ``missing`` shows for an unknown internal variable."""
    if var == DEL17P:
        return ["del(17p) fraction"] if lesions["del(17p)"].status == "present" else ["del(17p)"]
    if var == DEL1P32:
        return ["del(1p32) allelic state"] if lesions["del(1p32)"].status == "present" else ["del(1p32)"]
    return [var]


class _Cands(dict):  # type: ignore[type-arg]
    """The candidate values of every variable, and the completions a recorded stage rules out."""

    consistent: Callable[[Assignment], bool] | None = None


def _given_iss(cands: dict[str, list[Any]], labs: Labs, t: Thresholds) -> Callable[[Assignment], bool] | None:
    """A recorded ISS stage as a constraint on unknown β2M/albumin: only completions of that stage remain."""
    if labs.iss_stage is None or (labs.b2m_mg_l is not None and labs.albumin_g_dl is not None):
        return None  # no stage, or the values decide (a contradicting stage is a warning of the reader)
    stage = labs.iss_stage
    pools = {k: list(cands[k]) for k in ("b2m_mg_l", "albumin_g_dl")}

    def consistent(a: Assignment) -> bool:
        b2ms = [a["b2m_mg_l"]] if "b2m_mg_l" in a else pools["b2m_mg_l"]
        albs = [a["albumin_g_dl"]] if "albumin_g_dl" in a else pools["albumin_g_dl"]
        return any(iss_stage({"b2m_mg_l": b, "albumin_g_dl": al}, t) == stage for b in b2ms for al in albs)
    return consistent


def _with_either(consistent: Callable[[Assignment], bool] | None, groups: list[tuple[str, ...]],
                 cands: Mapping[str, list[Any]]) -> Callable[[Assignment], bool] | None:
    """``consistent`` and one lesion present per group of :func:`~mmrisk.lesions.open_alternatives`."""
    groups = [g for g in groups if all(x in cands for x in g)]
    if not groups:
        return consistent
    return lambda a: all(any(a[x] if x in a else True in cands[x] for x in g) for g in groups) and (
        consistent is None or consistent(a))


def _missing(vars_: Iterable[str], space: Space, lesions: Mapping[str, LesionCall]) -> list[str]:
    names: list[str] = []
    for v in vars_:
        for n in _public_names(v, space.cands[v], lesions):
            if n not in names:
                names.append(n)
    return sorted(names, key=VARIABLES.index)


# ---------------------------------------------------------------------------
# The systems, as functions of one complete assignment.
# ---------------------------------------------------------------------------


def iss_stage(a: Assignment, t: Thresholds) -> str:
    """ISS (Greipp et al., J Clin Oncol 2005)."""
    b2m, alb = a["b2m_mg_l"], a["albumin_g_dl"]
    if b2m >= t.iss_b2m_high_mg_l:
        return "III"
    if b2m < t.iss_b2m_low_mg_l and alb >= t.iss_albumin_g_dl:
        return "I"
    return "II"


def given_iss_conflict(labs: Labs, t: Thresholds) -> str | None:
    """A warning when a recorded ISS stage contradicts the β2M and albumin values given with it (values decide)."""
    if labs.iss_stage is None or labs.b2m_mg_l is None or labs.albumin_g_dl is None:
        return None
    computed = iss_stage({"b2m_mg_l": labs.b2m_mg_l, "albumin_g_dl": labs.albumin_g_dl}, t)
    if computed == labs.iss_stage:
        return None
    return (f"the clinical table gives ISS {labs.iss_stage} but β2-microglobulin {labs.b2m_mg_l:g} mg/L and albumin "
            f"{labs.albumin_g_dl:g} g/dL make ISS {computed}: the values are used")


def riss_high_risk_ca(a: Assignment) -> bool:
    """R-ISS high-risk CA: del(17p) and/or t(4;14) and/or t(14;16)."""
    return a[DEL17P] != "absent" or a["t(4;14)"] or a["t(14;16)"]


def riss_stage(a: Assignment, t: Thresholds) -> str:
    """R-ISS (Palumbo et al., J Clin Oncol 2015)."""
    iss = iss_stage(a, t)
    hr = riss_high_risk_ca(a)
    ldh = a["ldh_u_l"]
    if iss == "I" and not hr and not ldh:
        return "I"
    if iss == "III" and (hr or ldh):
        return "III"
    return "II"


def r2iss_score(a: Assignment, t: Thresholds) -> float:
    """R2-ISS total score (D'Agostino et al., J Clin Oncol 2022)."""
    p = dict(t.r2_points)
    iss = iss_stage(a, t)
    score = 0.0
    score += p["iss_II"] if iss == "II" else p["iss_III"] if iss == "III" else 0.0
    score += p["del17p"] if a[DEL17P] != "absent" else 0.0
    score += p["ldh_high"] if a["ldh_u_l"] else 0.0
    score += p["t4_14"] if a["t(4;14)"] else 0.0
    score += p["gain1q"] if a["gain(1q)"] else 0.0
    return round(score, 6)


def r2iss_stage_of(score: float, t: Thresholds) -> str:
    for stage, upper in t.r2_stage_max:
        if score <= upper + 1e-9:
            return stage
    return "IV"


# IMWG 2025: each criterion returns the set of reasons that make it true.
def _imwg_c1(a: Assignment, t: Thresholds) -> set[str]:
    r = set()
    if a[DEL17P] == "high":
        r.add(_del17p_text(t))
    if a["TP53_mutation"]:
        r.add("TP53 mutation")
    return r


def _imwg_c2(a: Assignment, t: Thresholds) -> set[str]:
    r = set()
    for tr in ("t(4;14)", "t(14;16)", "t(14;20)"):
        if a[tr]:
            if a["gain(1q)"]:
                r.add(f"{tr} with gain(1q)")
            if a[DEL1P32] != "absent":
                r.add(f"{tr} with del(1p32)")
    return r


def _imwg_c3(a: Assignment, t: Thresholds) -> set[str]:
    r = set()
    if a[DEL1P32] == "biallelic":
        r.add("biallelic del(1p32)")
    if a[DEL1P32] == "mono" and a["gain(1q)"]:
        r.add("monoallelic del(1p32) with gain(1q)")
    return r


def _imwg_c4(a: Assignment, t: Thresholds) -> set[str]:
    if a["b2m_mg_l"] >= t.imwg_b2m_mg_l and a["creatinine_mg_dl"] < t.imwg_creatinine_mg_dl:
        return {_b2m_text(t)}
    return set()


def _del17p_text(t: Thresholds) -> str:
    return f"del(17p) in > {t.imwg_del17p_min_fraction:.0%} of tumour cells"


def _b2m_text(t: Thresholds) -> str:
    return f"β2-microglobulin ≥ {t.imwg_b2m_mg_l:g} mg/L with creatinine < {t.imwg_creatinine_mg_dl:g} mg/dL"


#: IMWG 2025 criteria: id, text (made from the thresholds in force, never a stale copy), reasons, inputs.
IMWG_CRITERIA: tuple[tuple[str, Callable[[Thresholds], str], Callable[[Assignment, Thresholds], set[str]],
                           tuple[str, ...]], ...] = (
    ("1", lambda t: f"{_del17p_text(t)} and/or TP53 mutation", _imwg_c1, (DEL17P, "TP53_mutation")),
    ("2", lambda t: "t(4;14), t(14;16) or t(14;20) with gain/amp(1q) and/or del(1p32)", _imwg_c2,
     ("t(4;14)", "t(14;16)", "t(14;20)", "gain(1q)", DEL1P32)),
    ("3", lambda t: "biallelic del(1p32), or monoallelic del(1p32) with gain/amp(1q)", _imwg_c3,
     (DEL1P32, "gain(1q)")),
    ("4", _b2m_text, _imwg_c4, ("b2m_mg_l", "creatinine_mg_dl")),
)

MSMART_GENETIC: tuple[str, ...] = ("t(4;14)", "t(14;16)", "t(14;20)", "del(17p)", "TP53_mutation", "gain(1q)")


def _msmart_factors(a: Assignment, t: Thresholds) -> set[str]:
    out = set()
    for f in MSMART_GENETIC:
        v = a[DEL17P] != "absent" if f == "del(17p)" else a[f]
        if v:
            out.add(f)
    if riss_stage(a, t) == "III":
        out.add("R-ISS III")
    return out


# ---------------------------------------------------------------------------
# Evaluation over completions.
# ---------------------------------------------------------------------------


def _space(cands: dict[str, list[Any]], names: Sequence[str]) -> Space:
    return Space(list(dict.fromkeys(names)), {n: cands[n] for n in names}, getattr(cands, "consistent", None))


def _all_same(values: Iterable[Any]) -> tuple[bool, Any]:
    vs = list(values)
    first = vs[0]
    return all(v == first for v in vs), first


def _evaluate_stage(cands: dict[str, list[Any]], lesions: Mapping[str, LesionCall], names: Sequence[str],
                    stage_of: Callable[[Assignment], str]) -> StageResult:
    """A staging system over the completions of its unknown inputs: the stage, or null with what decides it."""
    sp = _space(cands, names)
    same, stage = _all_same(stage_of(a) for a in sp.assignments())
    if same:
        return StageResult(stage, ())
    return StageResult(None, tuple(_missing(sp.deciding(stage_of), sp, lesions)))


def evaluate_iss(cands: dict[str, list[Any]], lesions: Mapping[str, LesionCall], t: Thresholds) -> StageResult:
    return _evaluate_stage(cands, lesions, ("b2m_mg_l", "albumin_g_dl"), lambda a: iss_stage(a, t))


def evaluate_riss(cands: dict[str, list[Any]], lesions: Mapping[str, LesionCall], t: Thresholds) -> StageResult:
    return _evaluate_stage(cands, lesions, ("b2m_mg_l", "albumin_g_dl", "ldh_u_l", DEL17P, "t(4;14)", "t(14;16)"),
                           lambda a: riss_stage(a, t))


def evaluate_r2iss(cands: dict[str, list[Any]], lesions: Mapping[str, LesionCall], t: Thresholds) -> R2IssResult:
    sp = _space(cands, ("b2m_mg_l", "albumin_g_dl", "ldh_u_l", DEL17P, "t(4;14)", "gain(1q)"))
    score = lambda a: r2iss_score(a, t)  # noqa: E731
    stage = lambda a: r2iss_stage_of(score(a), t)  # noqa: E731
    scores = [score(a) for a in sp.assignments()]
    same_score, s = _all_same(scores)
    same_stage, st = _all_same(stage(a) for a in sp.assignments())
    return R2IssResult(
        stage=st if same_stage else None,
        score=s if same_score else None,
        score_range=(min(scores), max(scores)),
        missing=() if same_stage else tuple(_missing(sp.deciding(stage), sp, lesions)),
    )


def evaluate_imwg2025(cands: dict[str, list[Any]], lesions: Mapping[str, LesionCall],
                      t: Thresholds) -> RiskCall:
    names: list[str] = []
    for *_, vars_ in IMWG_CRITERIA:
        names += vars_
    sp = _space(cands, names)
    assignments = list(sp.assignments())
    criteria = []
    met: list[str] = []
    any_unknown = False
    for cid, text_of, fn, _vars in IMWG_CRITERIA:
        text = text_of(t)
        reasons = [fn(a, t) for a in assignments]
        truth = {bool(r) for r in reasons}
        value: bool | None = True if truth == {True} else False if truth == {False} else None
        if value is True:
            common = set.intersection(*reasons)
            met += sorted(common) if common else [text]
        if value is None:
            any_unknown = True
        criteria.append(Criterion(cid, text, value))
    high = lambda a: any(fn(a, t) for *_, fn, _v in IMWG_CRITERIA)  # noqa: E731
    if not met and assignments and all(high(a) for a in assignments):  # e.g. a MAF-family call, partner unknown
        texts = [c.text for c in criteria]
        met = either([{tx for (*_, fn, _v), tx in zip(IMWG_CRITERIA, texts) if fn(a, t)} for a in assignments], texts)
    if met:
        call, missing = "high", []
    elif not any_unknown:
        call, missing = "standard", []
    else:
        call = "not_evaluable"
        missing = _missing(sp.deciding(high), sp, lesions)
    return RiskCall(call, tuple(met), tuple(missing), tuple(criteria))


def evaluate_msmart3(cands: dict[str, list[Any]], lesions: Mapping[str, LesionCall],
                     t: Thresholds) -> MsmartResult:
    sp = _space(cands, (DEL17P, "TP53_mutation", "t(4;14)", "t(14;16)", "t(14;20)", "gain(1q)",
                        "b2m_mg_l", "albumin_g_dl", "ldh_u_l"))
    factor_sets = [_msmart_factors(a, t) for a in sp.assignments()]
    definite = set.intersection(*factor_sets)
    possible = set.union(*factor_sets)
    order = list(MSMART_GENETIC) + ["R-ISS III"]
    met = sorted(definite, key=order.index)
    if not met and all(factor_sets):  # high in every completion, by one factor or another (partner unknown)
        met = either(factor_sets, order)
    hits = min(len(fs & set(MSMART_GENETIC)) for fs in factor_sets)  # in every completion
    if met:
        call, missing = "high", []
    elif not possible:
        call, missing = "standard", []
    else:
        call = "not_evaluable"
        missing = _missing(sp.deciding(lambda a: bool(_msmart_factors(a, t))), sp, lesions)
    hit_class = "triple hit" if hits >= 3 else "double hit" if hits == 2 else None
    standard_markers = [m for m in ("hyperdiploidy", "t(11;14)", "t(6;14)") if lesions[m].status == "present"]
    return MsmartResult(
        call=call,
        hits=hits,
        hit_class=hit_class,
        criteria_met=tuple(met),
        missing=tuple(missing),
        standard_risk_markers=tuple(standard_markers),
        not_considered=("high-risk gene expression profile", "high plasma-cell S-phase"),
    )


def evaluate_all(lesions: Mapping[str, LesionCall], labs: Labs, t: Thresholds) -> RiskResults:
    """Every risk system for one sample (``to_json()`` is the contract's ``risk`` object)."""
    cands = _Cands(_candidates(lesions, labs, t))
    cands.consistent = _with_either(_given_iss(cands, labs, t), open_alternatives(lesions), cands)
    return RiskResults(
        imwg2025=evaluate_imwg2025(cands, lesions, t),
        r2iss=evaluate_r2iss(cands, lesions, t),
        riss=evaluate_riss(cands, lesions, t),
        iss=evaluate_iss(cands, lesions, t),
        msmart3=evaluate_msmart3(cands, lesions, t),
    )
