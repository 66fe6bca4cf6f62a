"""Refractoriness from lines of therapy, per sample (at its collection date) and per patient.

Definitions: Rajkumar SV, Harousseau JL, Durie B, et al. "Consensus recommendations for the uniform reporting
of clinical trials: report of the International Myeloma Workshop Consensus Panel 1." Blood 2011;117(18):4691-5,
doi:10.1182/blood-2010-10-299487 (title, authors, volume, pages and DOI seen on the journal's page and the
author manuscript; the stored page text ends before its definitions, so the 60-day wording was seen only as
quoted by a registrars' glossary: "progression within 60 days of their last therapy"), with the response
categories of Kumar S et al., "International Myeloma Working Group consensus criteria for response and minimal
residual disease assessment in multiple myeloma", Lancet Oncol 2016, doi:10.1016/S1470-2045(16)30206-6 (title
and abstract seen). As the contract (``refractory.course``) states them:

* a line is **refractory** when its best response was below a minimal response (SD, PD) while on
  it, or when progression was recorded on therapy or within ``refractory_window_days`` (60,
  inclusive) of its last dose; its drugs are then refractory drugs;
* a line is **relapsed** when progression came later than that window after the last dose;
* a line is **responding** when it reached at least MR and no progression is recorded;
* otherwise it is **not evaluable**, and ``missing`` names what would decide it (its best response;
  the last dose of a stopped line whose progression is recorded).

At a sample, the lines that started on or before its ``collection_date`` are counted (all lines when
it has none), and only progressions and last doses on or before that date (a later last dose means
the line was ongoing at the sample). The course is ``primary_refractory`` when no counted line
reached at least MR, otherwise that of the latest line: ``relapsed_refractory``, ``relapsed`` or
``responding``; ``None`` when no line had started or what is missing decides it. The
refractoriness class (double, triple-class, penta) is :func:`mmrisk.clinical.refractory_class` of
the refractory drugs; with a line not evaluable, "not refractory" is never claimed (class None).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Literal

from .clinical import ClinicalRecord, DrugVocabulary, TreatmentHistory, class_exposure, refractory_class
from .course import AT_LEAST_MR, TherapyLine

LineStatus = Literal["refractory", "relapsed", "responding", "not_evaluable"]
CourseClass = Literal["primary_refractory", "relapsed_refractory", "relapsed", "responding"]


@dataclass(frozen=True)
class LineOutcome:
    """One line of therapy as judged at a date: its status, why, and what is missing to judge it."""

    line: TherapyLine
    status: LineStatus
    basis: str
    missing: tuple[str, ...] = ()
    ongoing: bool = False  # no last dose on or before the date

    def to_json(self) -> dict[str, Any]:
        return {**self.line.to_json(), "status": self.status, "basis": self.basis, "missing": list(self.missing),
                "ongoing": self.ongoing}


@dataclass(frozen=True)
class DrugCourse:
    """One drug of a patient's lines: the lines that exposed it and those it was refractory in."""

    drug: str
    classes: tuple[str, ...]
    exposed_lines: tuple[int, ...]
    refractory_lines: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {"drug": self.drug, "classes": list(self.classes), "exposed_lines": list(self.exposed_lines),
                "refractory_lines": list(self.refractory_lines)}


@dataclass(frozen=True)
class Course:
    """The disease course at one date (a sample's collection date, or None for the whole record)."""

    at: dt.date | None
    outcomes: tuple[LineOutcome, ...]  # the lines counted, in order
    later_lines: int  # lines that started after ``at`` (not counted)
    classification: CourseClass | None
    basis: str
    missing: tuple[str, ...]
    drugs: tuple[DrugCourse, ...]
    history: TreatmentHistory
    window_days: int
    later: tuple[TherapyLine, ...] = ()  # the lines that started after ``at``, as the table gives them

    @property
    def prior_lines(self) -> int:
        return len(self.outcomes)

    def outcome_of(self, number: int) -> LineOutcome | None:
        return next((o for o in self.outcomes if o.line.line == number), None)

    def position(self) -> dict[str, Any] | None:
        """Where the date falls in the course: during or after the latest line started by it (None before any)."""
        if not self.outcomes:
            return None
        o = self.outcomes[-1]
        return {"line": o.line.line, "relation": "during" if o.ongoing else "after", "drugs": list(o.line.drugs),
                "status": o.status}

    def to_json(self) -> dict[str, Any]:
        return {
            "at": None if self.at is None else self.at.isoformat(),
            "classification": self.classification, "basis": self.basis, "missing": list(self.missing),
            "prior_lines": self.prior_lines, "later_lines": self.later_lines,
            "refractory_window_days": self.window_days,
            "lines": [o.to_json() for o in self.outcomes],
            "drugs": [d.to_json() for d in self.drugs],
            "position": self.position(),
            "later": [ln.to_json() for ln in self.later],
        }


def _known_by(day: dt.date | None, at: dt.date | None) -> dt.date | None:
    """``day`` if it had happened by ``at`` (every day counts without ``at``)."""
    return day if day is not None and (at is None or day <= at) else None


def line_outcome(line: TherapyLine, at: dt.date | None, window_days: int) -> LineOutcome:
    """The status of ``line`` as known at ``at`` (see the module's definitions)."""
    n = line.line
    end = _known_by(line.end, at)
    progression = _known_by(line.progression_date, at)
    ongoing = end is None and not (line.end is None and line.reason_stopped)
    if line.best_response in ("SD", "PD"):
        return LineOutcome(line, "refractory", f"best response {line.best_response}: no response (less than MR) "
                                               "while on therapy", ongoing=ongoing)
    if progression is not None:
        if line.end is None and line.reason_stopped:
            return LineOutcome(line, "not_evaluable", f"progression on {progression}, but the line was stopped "
                                                      "without a date of the last dose",
                               (f"end (last dose) of line {n}",), ongoing=False)
        if end is None or progression <= end:
            return LineOutcome(line, "refractory", f"progression on therapy ({progression})", ongoing=ongoing)
        days = (progression - end).days
        if days <= window_days:
            return LineOutcome(line, "refractory", f"progression {days} days after the last dose ({end}), within "
                                                   f"{window_days} days")
        return LineOutcome(line, "relapsed", f"progression {days} days after the last dose ({end}), later than "
                                             f"{window_days} days")
    if line.best_response in AT_LEAST_MR:
        return LineOutcome(line, "responding", f"best response {line.best_response}, no progression recorded"
                                               + ("" if at is None else f" by {at}"), ongoing=ongoing)
    return LineOutcome(line, "not_evaluable", "no best response and no progression recorded",
                       (f"best_response of line {n}",), ongoing=ongoing)


def _classify(outcomes: tuple[LineOutcome, ...], at: dt.date | None) -> tuple[CourseClass | None, str, tuple[str, ...]]:
    if not outcomes:
        when = "" if at is None else f" by {at}"
        return None, f"no line of therapy had started{when}", ()
    unknown = tuple(f"best_response of line {o.line.line}" for o in outcomes if o.line.best_response is None)
    responded = [o.line.line for o in outcomes if o.line.best_response in AT_LEAST_MR]
    if not responded:
        if unknown:
            return None, "no counted line is known to have reached at least MR", unknown
        return "primary_refractory", ("no line reached at least MR (best responses: "
                                      + ", ".join(f"line {o.line.line} {o.line.best_response}" for o in outcomes)
                                      + ")"), ()
    latest = outcomes[-1]
    first = next(o for o in outcomes if o.line.best_response in AT_LEAST_MR)
    lead = f"line {first.line.line} reached {first.line.best_response}; latest line {latest.line.line}: {latest.basis}"
    if latest.status == "refractory":
        return "relapsed_refractory", lead, ()
    if latest.status == "relapsed":
        return "relapsed", lead, ()
    if latest.status == "responding":
        return "responding", lead, ()
    return None, lead, latest.missing


def _drugs(outcomes: Iterable[LineOutcome], drugs: DrugVocabulary) -> tuple[DrugCourse, ...]:
    exposed: dict[str, list[int]] = {}
    refractory: dict[str, list[int]] = {}
    for o in outcomes:
        for d in o.line.drugs:
            exposed.setdefault(d, []).append(o.line.line)
            if o.status == "refractory":
                refractory.setdefault(d, []).append(o.line.line)
    return tuple(DrugCourse(d, tuple(sorted(drugs.classes_of(d))), tuple(lines), tuple(refractory.get(d, ())))
                 for d, lines in exposed.items())


def course_at(lines: Iterable[TherapyLine], at: dt.date | None, drugs: DrugVocabulary, window_days: int) -> Course:
    """The course of a patient's ``lines`` at ``at`` (all lines and every date when ``at`` is None)."""
    every = tuple(sorted(lines, key=lambda ln: ln.line))
    counted = tuple(ln for ln in every if at is None or ln.start <= at)
    outcomes = tuple(line_outcome(ln, at, window_days) for ln in counted)
    classification, basis, missing = _classify(outcomes, at)
    per_drug = _drugs(outcomes, drugs)
    refractory = [d.drug for d in per_drug if d.refractory_lines]
    exposed = [d.drug for d in per_drug]
    cls = refractory_class(refractory, drugs)
    undecided = [m for o in outcomes if o.status == "not_evaluable" for m in o.missing]
    if cls == "not_refractory" and undecided:
        cls = None  # a line not evaluable may be refractory: never claim "not refractory" without the data
    history = TreatmentHistory(cls, tuple(refractory), tuple(exposed), class_exposure(refractory, exposed, drugs),
                               classification, len(outcomes), tuple(dict.fromkeys(missing + tuple(undecided))))
    return Course(at, outcomes, len(every) - len(counted), classification, basis,
                  history.missing, per_drug, history, window_days, tuple(ln for ln in every if ln not in counted))


def _listed(names: Iterable[str]) -> str:
    return ", ".join(sorted(names)) or "none"


def agreement_warnings(course: Course, record: ClinicalRecord | None, source: str) -> list[str]:
    """Where the clinical table's ``prior_lines``, ``refractory_to`` or ``exposed_to`` disagree with the lines."""
    if record is None:
        return []
    out: list[str] = []
    where = f"{record.path}, line {record.line}"
    if record.prior_lines is not None and record.prior_lines != course.prior_lines:
        out.append(f"{where}: prior_lines is {record.prior_lines} but {source} gives {course.prior_lines} line(s) "
                   "started by the collection date; the lines of therapy are used")
    for column, table, derived in (("refractory_to", record.refractory_to, course.history.refractory_to),
                                   ("exposed_to", record.exposed_to, course.history.exposed_to)):
        if table is None:
            continue
        only_table, only_lines = set(table) - set(derived), set(derived) - set(table)
        if only_table or only_lines:
            out.append(f"{where}: {column} disagrees with the lines of therapy in {source}: in the clinical table "
                       f"only: {_listed(only_table)}; from the lines only: {_listed(only_lines)}; the lines of "
                       "therapy are used")
    return out
