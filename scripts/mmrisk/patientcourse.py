"""A patient's disease course across its samples: the lines of therapy, MRD and M-protein, and where each change fell.

Pure functions of what the samples' ``risk.json`` carry (each sample's ``course`` holds every line of the
patient's lines-of-therapy table: those counted at the sample in ``lines``, the later ones in ``later``;
``clinical.disease_activity`` holds its MRD, M-protein and free light chain). The patient page draws the
lines on the time axis of the fractions (:mod:`mmrisk.courseplot`) and ties each item that emerged at a
timepoint to the line(s) given since the timepoint before it (:func:`tie`):

- the lines given between the two samples (started by the later one, not stopped before the earlier one);
  without one, the latest line started by the later sample;
- ``during`` a line whose last dose had not been given by the later sample's collection date, else ``after``;
- the line's status is the one the later sample's own course gives (what was known then), else the status
  over the whole record.

Over the whole record (the patient page's bars) a line's status is :func:`mmrisk.courseclass.line_outcome`
with every recorded date. A sample without a collection date cannot be placed: its items are not tied,
and the page says why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence

from .course import TherapyLine
from .courseclass import line_outcome
from .diseaseactivity import DiseaseActivity

STATUS_WORDS = {"refractory": "refractory", "relapsed": "relapsed", "responding": "responding",
                "not_evaluable": "not evaluable for refractoriness"}


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _lines_of(course: Mapping[str, Any], patient: str) -> list[TherapyLine]:
    return sorted((TherapyLine.from_json(patient, obj) for obj in list(course.get("lines") or ())
                   + list(course.get("later") or ())), key=lambda ln: ln.line)


def patient_course(patient: str, tps: Sequence[Any]) -> dict[str, Any]:
    """The patient's lines over the whole record, the disease activity per timepoint, and what dates are missing.

    ``tps``: the patient's :class:`mmrisk.evolution.Timepoint` records in order (``course`` and ``activity``).
    """
    with_course = [tp for tp in tps if tp.course]
    course = with_course[-1].course if with_course else None
    window = int(course.get("refractory_window_days") or 0) if course else None
    lines = []
    for ln in (_lines_of(course, patient) if course else []):
        o = line_outcome(ln, None, window or 0)
        lines.append({**ln.to_json(), "status": o.status, "basis": o.basis, "missing": list(o.missing),
                      "ongoing": ln.end is None and not ln.reason_stopped})
    activity = []
    for tp in tps:
        a: DiseaseActivity | None = tp.activity
        if a is not None:
            activity.append({"order": tp.order, "sample": tp.sample, "timepoint": tp.label,
                             "date": tp.collection_date, **a.to_json(), "sensitivity_text": a.sensitivity_text})
    return {"lines": lines, "window_days": window, "activity": activity,
            "undated": [tp.sample for tp in tps if not _date(tp.collection_date)],
            "source": (lines[0]["source"].rsplit(":", 1)[0] if lines else None)}


def _drugs(line: Mapping[str, Any]) -> str:
    return ", ".join(line["drugs"])


def tie(tps: Sequence[Any], index: int, since: int | None, course: Mapping[str, Any]) -> dict[str, Any] | None:
    """The line(s) under which an item first seen at ``tps[index]`` (absent at ``tps[since]``) emerged.

    None when the patient has no lines of therapy. ``text``: ``after line 1 with bortezomib, lenalidomide,
    dexamethasone, refractory``; ``lines``: the numbers of the lines given between the two samples.
    """
    lines = course.get("lines") or []
    if not lines:
        return None
    tp = tps[index]
    at = _date(tp.collection_date)
    before = _date(tps[since].collection_date) if since is not None else None
    if at is None or (since is not None and before is None):
        missing = tp.sample if at is None else tps[since].sample
        return {"lines": [], "relation": None, "text": f"not tied to a line of therapy: {missing} has no "
                                                       "collection date"}
    started = [ln for ln in lines if _date(ln["start"]) <= at]
    if not started:
        return {"lines": [], "relation": "before", "text": "before any line of therapy"}
    between = [ln for ln in started if before is None or ln["end"] is None or _date(ln["end"]) >= before]
    given = between or started[-1:]
    own = {o["line"]: o for o in ((tp.course or {}).get("lines") or [])}
    parts = []
    for ln in given:
        end = _date(ln["end"])
        relation = "during" if end is None or end > at else "after"
        status = (own.get(ln["line"]) or ln)["status"]
        parts.append((relation, f"line {ln['line']} with {_drugs(ln)}, {STATUS_WORDS.get(status, status)}"))
    relation = parts[-1][0]
    if len(parts) == 1:
        text = f"{relation} {parts[0][1]}"
    else:
        text = f"{relation} lines " + " and ".join(str(ln["line"]) for ln in given) + " (" + "; ".join(
            p for _, p in parts) + ")"
    return {"lines": [ln["line"] for ln in given], "relation": relation, "text": text}


def first_seen(name: str, tps: Sequence[Any], cells: Sequence[Mapping[str, Any]],
               course: Mapping[str, Any]) -> dict[str, Any] | None:
    """Where ``name`` was first gained (after an assessed absence) and the line it emerged under, or None."""
    labels = [tp.label for tp in tps]
    for i, cell in enumerate(cells):
        if cell.get("state") in ("present", "detected") and cell.get("change") != "gained":
            return None  # present before (or at the first assessment): it did not emerge
        if cell.get("change") == "gained":
            since = next((j for j in range(i - 1, -1, -1) if labels[j] == cell.get("since")), None)
            t = tie(tps, i, since, course)
            sentence = f"{name} first seen at {tps[i].label}" + (f", {t['text']}" if t else "")
            return {"sample": tps[i].sample, "timepoint": tps[i].label, "since": cell.get("since"),
                    "line": t, "text": sentence}
    return None


__all__ = ["STATUS_WORDS", "first_seen", "patient_course", "tie"]
