"""Geometry of the patient page's time axis and disease-course panels (plain data; the SVG is in the template).

When every timepoint has a collection date, the fractions plot of the patient page (:func:`mmrisk.plots.
evolution_plot`) is drawn on a time axis (:class:`TimeAxis`) and, beneath it on the same axis, the lines of
therapy as bars (coloured by their status over the whole record, the refractory window after each last
dose shaded, progressions marked, an ongoing line open to the right), the MRD results and the M-protein
(with the involved free light chain) of each timepoint (:func:`course_panels`). Every text is placed so that
it never overprints another (:func:`rows_for`, which the sample page's plots use too): a line of therapy has its own row; the labels
of samples, MRD results and M-protein values that would collide go down a row.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from . import labels as _labels

#: Line heights of the panels, in SVG units (one row of 11-12 px text plus its gap).
ROW = 13.0
LINE_ROW = 20.0
BAR_H = 10.0
MPROTEIN_H = 60.0
#: Estimated advance of one character of plot text, in SVG units per font pixel (system-ui is narrower); the
#: sample page's plots (:func:`mmrisk.plots.text_width`) use the same.
CHAR_EM = 0.62
CHAR = 11 * CHAR_EM  # estimated width of one character of 11 px text


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class TimeAxis:
    """Dates from ``start`` to ``end`` mapped linearly onto ``left``..``right``."""

    start: dt.date
    end: dt.date
    left: float
    right: float

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        days = min(max((day - self.start).days, 0), span)
        return round(self.left + days / span * (self.right - self.left), 1)

    def years(self) -> list[dict[str, Any]]:
        """A tick at each 1 January inside the axis (every other year when there are more than 8)."""
        years = list(range(self.start.year + 1, self.end.year + 1))
        step = 1 if len(years) <= 8 else 2
        return [{"x": self.x(dt.date(y, 1, 1)), "label": str(y)} for y in years[::step]]


def time_axis(tps: Sequence[Mapping[str, Any]], course: Mapping[str, Any] | None, left: float,
              right: float) -> TimeAxis | None:
    """The axis over the samples' dates and the lines' dates; None when a timepoint has no collection date."""
    days = [_day(t.get("collection_date")) for t in tps]
    if not days or any(d is None for d in days):
        return None
    dated = [d for d in days if d is not None]
    for ln in (course or {}).get("lines") or []:
        dated += [d for d in (_day(ln.get("start")), _day(ln.get("end")), _day(ln.get("progression_date"))) if d]
    first, last = min(dated), max(dated)
    pad = max(dt.timedelta(days=20), (last - first) * 0.04)
    # an ongoing line runs on past the last date: room for it to show as a bar with its arrow
    ongoing = any(not ln.get("end") and not ln.get("reason_stopped") for ln in (course or {}).get("lines") or [])
    return TimeAxis(first - pad, last + (pad * 3 if ongoing else pad), left, right)


def rows_for(spans: Sequence[tuple[float, float]], pad: float = 4.0) -> list[int]:
    """A row index per horizontal span (x0, x1): spans that would overlap go to the next free row."""
    ends: list[float] = []  # the right end of the last span in each row
    rows = []
    for x0, x1 in spans:
        row = next((r for r, end in enumerate(ends) if x0 >= end + pad), len(ends))
        if row == len(ends):
            ends.append(x1)
        else:
            ends[row] = x1
        rows.append(row)
    return rows


def text_rows(marks: Sequence[tuple[float, str]], gap: float = 6.0) -> list[int]:
    """A row per text centred at x: texts that would overprint go to the next free row."""
    order = sorted(range(len(marks)), key=lambda i: marks[i][0])
    spans = [(marks[i][0] - len(marks[i][1]) * CHAR / 2, marks[i][0] + len(marks[i][1]) * CHAR / 2) for i in order]
    rows = rows_for(spans, gap)
    out = [0] * len(marks)
    for i, r in zip(order, rows):
        out[i] = r
    return out


def _line_label(ln: Mapping[str, Any]) -> str:
    best = f"best response {ln['best_response']}" if ln.get("best_response") else "best response not given"
    state = _labels.label("state", ln["status"])
    end = "ongoing" if ln.get("ongoing") else (f"to {ln['end']}" if ln.get("end") else "last dose not given")
    return f"Line {ln['line']}: {', '.join(ln['drugs'])} · {ln['start']} {end} · {best} · {state}"


def _lines_panel(course: Mapping[str, Any], axis: TimeAxis, top: float,
                 width: float) -> tuple[list[dict[str, Any]], float]:
    window = int(course.get("window_days") or 0)
    per_row = max(20, int((width - 8) / CHAR))
    out, y = [], top
    for ln in course.get("lines") or []:
        start, end = _day(ln["start"]), _day(ln.get("end"))
        x0 = axis.x(start) if start else axis.left
        x1 = axis.x(end) if end else axis.right
        text = textwrap.wrap(_line_label(ln), per_row, break_on_hyphens=False) or [""]
        longest = max(len(t) for t in text) * CHAR
        tx = max(4.0, min(x0, width - 4 - longest))
        label = [{"x": tx, "y": y + ROW * (k + 1) - 3, "text": t} for k, t in enumerate(text)]
        bar_y = y + ROW * len(text) + 2
        prog = _day(ln.get("progression_date"))
        item = {"line": ln["line"], "status": ln["status"], "label": label, "x0": x0, "x1": max(x1, x0 + 3),
                "y": bar_y, "h": BAR_H, "ongoing": bool(ln.get("ongoing")) and end is None,
                "title": _line_label(ln) + (f"; {ln['basis']}" if ln.get("basis") else ""),
                "window": None, "progression": None}
        if end is not None and window:
            item["window"] = {"x0": item["x1"], "x1": max(axis.x(end + dt.timedelta(days=window)), item["x1"]),
                              "title": f"{window} days after the last dose ({end}): progression by then is refractory"}
        if prog is not None:
            px = axis.x(prog)
            item["progression"] = {"x": px, "points": f"{px - 5},{bar_y - 4} {px + 5},{bar_y - 4} {px},{bar_y + 4}",
                                   "title": f"progression recorded on {prog}"}
        out.append(item)
        y = bar_y + BAR_H + LINE_ROW - ROW
    return out, y


def _marks_row(items: Sequence[tuple[float, str, str]], top: float,
               width: float) -> tuple[list[dict[str, Any]], float]:
    """Texts centred at their x (kept inside the figure), stacked in rows that never overprint; (x, text, css
    class) each; ``text_x`` is where the text is centred, ``x`` its mark."""
    def inside(x: float, t: str) -> float:
        half = len(t) * CHAR / 2
        return round(min(max(x, half + 4), width - half - 4), 1)

    centred = [(inside(x, t), t) for x, t, _ in items]
    rows = text_rows(centred)
    marks = [{"x": x, "text_x": tx, "text": t, "cls": c, "y": top + ROW * (r + 1) - 2, "row": r}
             for (x, t, c), (tx, _), r in zip(items, centred, rows)]
    return marks, top + ROW * (max(rows) + 1 if rows else 0)


def _activity_text(a: Mapping[str, Any]) -> str:
    parts = []
    if a.get("m_protein_g_dl") is not None:
        parts.append(f"M {a['m_protein_g_dl']:g} g/dL")
    if a.get("involved_flc_mg_l") is not None:
        chain = {"kappa": "κ", "lambda": "λ"}.get(a.get("involved_flc_chain") or "", "")
        parts.append(f"FLC {chain}{' ' if chain else ''}{a['involved_flc_mg_l']:g} mg/L")
    return "; ".join(parts)


def _mrd_text(a: Mapping[str, Any]) -> str:
    sign = "MRD−" if a["mrd"] == "negative" else "MRD+"
    return " ".join(x for x in (sign, a.get("mrd_method") or "", a.get("sensitivity_text") or "") if x)


def course_panels(course: Mapping[str, Any], axis: TimeAxis, top: float, width: float) -> dict[str, Any]:
    """The lines of therapy, MRD and M-protein beneath the fractions, from ``top`` down; ``height`` is their end."""
    y = top
    lines, y = _lines_panel(course, axis, y + ROW + 4, width) if course.get("lines") else ([], y)
    lines_title = {"y": top + ROW - 2} if lines else None
    activity = [a for a in course.get("activity") or [] if _day(a.get("date"))]
    mrd = [a for a in activity if a.get("mrd")]
    mrd_title = mrd_marks = None
    if mrd:
        mrd_title = {"y": y + ROW + 4}
        mrd_marks, y = _marks_row([(axis.x(_day(a["date"])), _mrd_text(a), f"mrd-{a['mrd']}") for a in mrd],
                                  y + ROW + 10, width)
        for m, a in zip(mrd_marks, mrd):
            m["dot_y"] = mrd_title["y"] + 4
            m["title"] = f"{a['timepoint']} ({a['date']}): MRD {a['mrd']}" + (
                f", {a['mrd_method']}" if a.get("mrd_method") else ", method not given") + (
                f", sensitivity {a['sensitivity_text']}" if a.get("sensitivity_text") else ", sensitivity not given")
    measured = [a for a in activity if a.get("m_protein_g_dl") is not None]
    mprotein = None
    if measured or any(a.get("involved_flc_mg_l") is not None for a in activity):
        chart_top = y + ROW + 18
        top_value = max([float(a["m_protein_g_dl"]) for a in measured] + [1.0])
        bottom = chart_top + MPROTEIN_H

        def my(v: float) -> float:
            return round(bottom - v / top_value * MPROTEIN_H, 1)

        pts = [{"x": axis.x(_day(a["date"])), "y": my(float(a["m_protein_g_dl"])),
                "title": f"{a['timepoint']} ({a['date']}): M-protein {a['m_protein_g_dl']:g} g/dL"} for a in measured]
        labelled = [a for a in activity if _activity_text(a)]
        marks, y = _marks_row([(axis.x(_day(a["date"])), _activity_text(a), "mprotein") for a in labelled],
                              bottom + 4, width)
        mprotein = {"top": chart_top, "bottom": bottom, "points": pts,
                    "path": " ".join(f"{p['x']},{p['y']}" for p in pts),
                    "yticks": [{"y": my(v), "label": f"{v:g}"} for v in (0.0, top_value)], "marks": marks,
                    "title_y": chart_top - 12}
    years = [dict(t, y=y + ROW + 2) for t in axis.years()]
    return {"lines": lines, "lines_title": lines_title, "mrd": mrd_marks, "mrd_title": mrd_title,
            "mprotein": mprotein, "years": years, "axis_y": y + 4, "height": y + ROW + 10}


__all__ = ["TimeAxis", "course_panels", "rows_for", "text_rows", "time_axis"]
