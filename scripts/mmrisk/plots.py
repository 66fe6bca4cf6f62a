"""Geometry of the inline SVG plots of the sample report.

The functions read the sample's typed records (small variants, lesion calls and their evidence,
gene copy states, the copy-number profile) and the thresholds in force (the run's settings), never
sentences or the provenance block. Every function here returns plain data (numbers and the input's
own strings);
the SVG itself is written by ``templates/_plots.html.j2`` so that Jinja2's
autoescaping covers every string that came from an input. A function returns
``None`` when there is nothing to draw: the template then says what was not
assessed instead of drawing an empty plot.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .courseplot import CHAR_EM, course_panels, rows_for, text_rows, time_axis
from .genome import chromosome_lengths
from .lesions import LESIONS

if TYPE_CHECKING:  # types only: the plots read these records' fields
    from .cnv import CnvThresholds, GeneState
    from .lesions import LesionCall
    from .result import CopyProfile
    from .snv import SmallVariant

#: Chromosomes whose genes define the copy-number lesions (1p32, 1q, 13q, 17p).
LESION_CHROMS = ("1", "13", "17")

_W = 720  # drawing width in SVG user units (scaled to the page width)


#: No axis gets more ticks than this, whatever its range (the step grows instead).
MAX_TICKS = 12
#: The copy-number bar plot's axis ends at most here; a longer bar is clipped and its text gives the value.
COPY_PLOT_MAX = 12.0


def _finite(v: float | None, default: float = 0.0) -> float:
    """``v`` as a finite float (``default`` for None, nan, inf): what an axis can place."""
    if v is None:
        return default
    f = float(v)
    return f if math.isfinite(f) else default


def _ticks(lo: float, hi: float, step: float) -> list[float]:
    """Ticks from ``lo`` to ``hi``: ``step`` apart, or wider steps so that there are at most MAX_TICKS."""
    lo, hi = _finite(lo), _finite(hi)
    if hi < lo or not step > 0:
        return [round(lo, 6)]
    while (hi - lo) / step > MAX_TICKS - 1:
        step *= 2
    return [round(lo + i * step, 6) for i in range(int((hi - lo) / step + 1e-9) + 1)]


#: Widest a timepoint's name is drawn under the evolution chart, in SVG units (then it wraps).
TICK_WIDTH = 170.0

#: Smallest gap between two stacked labels, in SVG units (one line of 11 px text).
LABEL_GAP = 13.0


def text_width(text: str, size: float = 12.0) -> float:
    """A generous estimate of the drawn width of ``text`` at ``size`` px: enough to keep labels apart."""
    return len(text) * size * CHAR_EM


def spread(wanted: Sequence[float], gap: float, lo: float, hi: float | None = None) -> list[float]:
    """Positions as close to ``wanted`` as possible, in the same order, at least ``gap`` apart and not below
    ``lo`` (nor, where there is room, above ``hi``): labels that never overprint (a leader line then ties
    a moved label to its mark)."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    out = [0.0] * len(wanted)
    prev = lo - gap
    for i in order:
        prev = max(_finite(wanted[i], lo), prev + gap)
        out[i] = prev
    if hi is not None and order and out[order[-1]] > hi:  # too low at the end: shift the stack up, keep the gaps
        shift = min(out[order[-1]] - hi, out[order[0]] - lo)
        nxt = hi + gap
        for i in reversed(order):
            nxt = min(out[i] - max(shift, 0.0), nxt - gap)
            out[i] = max(nxt, lo)
    return [round(v, 1) for v in out]


def wrap(text: str, width: float, size: float = 12.0, max_lines: int = 4) -> list[str]:
    """``text`` broken into lines of at most ``width`` px at ``size`` px (:func:`textwrap.wrap`: at spaces, after
    hyphens, inside a word too long for a line); past ``max_lines`` an ellipsis (the caller keeps the whole text
    in a title)."""
    per_line = max(int(width / (size * CHAR_EM)), 4)
    return textwrap.wrap(text, per_line, max_lines=max_lines, placeholder="\u2026") or [""]


# --------------------------------------------------------------------------- VAF

def vaf_plot(variants: Sequence[SmallVariant], floor: float | None) -> dict[str, Any] | None:
    """One horizontal bar per reported variant with a VAF; the VAF floor as a dashed line."""
    rows = [v for v in variants if v.vaf is not None]
    if not rows:
        return None
    width = 900
    label_w, right_w, row_h, top = 190, 330, 26, 30
    plot_w = width - label_w - right_w
    xmax = 1.0
    scale = plot_w / xmax

    def x(v: float) -> float:
        return round(label_w + max(0.0, min(_finite(v), xmax)) * scale, 1)

    bars = []
    for i, v in enumerate(rows):
        vaf = float(v.vaf)  # type: ignore[arg-type]
        flags = list(v.flags)
        low = floor is not None and vaf < floor
        if low and "low_vaf" not in flags:
            flags.append("below VAF floor")
        name = f"{v.gene or '?'} {v.hgvsp or (str(v.ref) + '>' + str(v.alt))}"
        marks = ", ".join(f.replace("_", " ") for f in flags)
        bars.append({
            "y": top + i * row_h, "h": row_h - 8, "x0": label_w, "x1": x(vaf), "label": name,
            "value": f"{vaf * 100:.1f}%", "depth": v.depth, "flags": marks,
            "kind": "flagged" if flags else "somatic",
        })
    height = top + len(rows) * row_h + 34
    ticks = [{"x": x(t), "label": f"{t * 100:.0f}%"} for t in _ticks(0.0, xmax, 0.25)]
    out: dict[str, Any] = {"width": width, "height": height, "bars": bars, "ticks": ticks, "top": top,
                           "bottom": top + len(rows) * row_h, "label_w": label_w, "right": label_w + plot_w,
                           "floor": None}
    if floor is not None:
        out["floor"] = {"x": x(floor), "label": f"VAF floor {floor * 100:g}%"}
    return out


# --------------------------------------------------------------------------- breakends

def breakends(lesions: Mapping[str, LesionCall]) -> dict[str, Any] | None:
    """Each IGH or MYC junction supporting a present lesion, once, with the lesions it supports."""
    junctions: dict[tuple[str, ...], dict[str, Any]] = {}
    unparsed: list[dict[str, str]] = []
    for lid, le in lesions.items():
        if le.status != "present":
            continue
        for e in le.evidence:
            if e.source != "SV" or e.status != "present":
                continue
            j = e.junction
            if j is None:
                unparsed.append({"lesion": lid, "detail": e.detail, "origin": e.origin})
                continue
            row = {"locus": j.locus, "locus_pos": f"{j.locus_chrom}:{j.locus_pos:,}", "partner": j.partner,
                   "partner_pos": f"{j.partner_chrom}:{j.partner_pos:,}" if j.partner_pos is not None else "",
                   "ident": j.record}
            key = (row["locus"], row["locus_pos"], row["partner_pos"] or row["partner"], row["ident"])
            entry = junctions.setdefault(key, {**row, "lesions": [], "origin": e.origin})
            if lid not in entry["lesions"]:
                entry["lesions"].append(lid)
    if not junctions and not unparsed:
        return None
    rows = []
    box_w, gap, top, line_h = 230, 120, 8, 13
    width = 2 * box_w + gap + 4
    per_line = int((width - 4) / text_width("x", 11))
    y = top
    for j in junctions.values():
        # the most specific lesion first: a named translocation before IGH_rearrangement
        j["lesions"].sort(key=lambda s: (s == "IGH_rearrangement", s))
        # the caller's record in full, wrapped (a cut record cannot be found in the file)
        record = textwrap.wrap(str(j["ident"]), per_line, break_on_hyphens=False) or [""]
        rows.append({**j, "y": y, "box_w": box_w, "x2": box_w + gap, "mid": box_w + gap / 2,
                     "record_lines": [{"y": y + 50 + line_h * (n + 1), "text": s} for n, s in enumerate(record)]})
        y += 50 + line_h * len(record) + 12
    return {"width": width, "height": y + 4, "rows": rows, "unparsed": unparsed}


# --------------------------------------------------------------------------- copy number

def _chrom_key(c: str) -> tuple[int, str]:
    return (int(c), "") if c.isdigit() else (100, c)


def copy_plot(states: Mapping[str, GeneState], cnv: CnvThresholds, ploidy: float) -> dict[str, Any] | None:
    """A bar per gene on chromosomes 1, 13 and 17 (and any other gene with a copy change).

    Loss, gain and amplification thresholds of the configuration are drawn as
    dashed lines; every bar carries its copy number and state as text.
    """
    genes = []
    for g, st in states.items():
        chrom = st.chrom or "?"
        changed = st.state not in ("neutral", None)
        if chrom in LESION_CHROMS or changed:
            genes.append((chrom, g, st))
    if not genes:
        return None
    genes.sort(key=lambda t: (t[0] not in LESION_CHROMS, _chrom_key(t[0]), t[1]))
    copies = [float(st.copies) for _, _, st in genes if st.copies is not None]
    if not copies:
        return None
    # the axis: one past the highest finite copy number, at least 4, at most COPY_PLOT_MAX (longer bars clipped)
    top_copies = max([_finite(c) for c in copies] + [_finite(st.max_copies) for _, _, st in genes])
    xmax = min(COPY_PLOT_MAX, max(4.0, math.floor(min(top_copies, COPY_PLOT_MAX)) + 1.0))
    label_w, right_w, row_h, top = 150, 230, 22, 34
    plot_w = _W - label_w - right_w
    scale = plot_w / xmax

    def x(v: float) -> float:
        return round(label_w + max(0.0, min(_finite(v), xmax)) * scale, 1)

    bars = []
    for i, (chrom, g, st) in enumerate(genes):
        c = st.copies
        lo, hi = st.min_copies, st.max_copies
        state = str(st.state or "unknown").replace("_", " ")
        bars.append({
            "y": top + i * row_h, "h": row_h - 7, "label": f"{g} (chr{chrom})", "gene": g,
            "x1": x(float(c)) if c is not None else None, "x0": label_w,
            "range": (x(float(lo)), x(float(hi))) if lo is not None and hi is not None and lo != hi else None,
            "value": (f"{float(c):.2f} copies, " if c is not None else "") + state
                     + (" (low confidence)" if st.low_confidence else ""),
            "state": st.state or "unknown",
            "clipped": c is not None and not 0.0 <= float(c) <= xmax,
        })
    thresholds = []
    for key, name in (("biallelic_max", "no copy"), ("loss_max", "loss"), ("gain_min", "gain"),
                      ("amp_min", "amp")):
        v = _finite(getattr(cnv, key), -1.0)
        if 0 <= v <= xmax:
            thresholds.append({"x": x(v), "label": f"{name} {v:g}"})
    # labels centred on their line; one that would overprint its neighbour goes up a row
    spans = [(th["x"] - text_width(th["label"], 11) / 2, th["x"] + text_width(th["label"], 11) / 2)
             for th in thresholds]
    for th, row in zip(thresholds, rows_for(spans)):
        th["label_y"] = 12 + 12 * row
    top = max(top, 12 * (max([th["label_y"] // 12 for th in thresholds] + [0])) + 10)
    for i, b in enumerate(bars):
        b["y"] = top + i * row_h
    return {"width": _W, "height": top + len(genes) * row_h + 30, "bars": bars, "top": top,
            "bottom": top + len(genes) * row_h, "label_w": label_w, "right": label_w + plot_w,
            "ticks": [{"x": x(t), "label": f"{t:g}"} for t in _ticks(0.0, xmax, 1.0)],
            "thresholds": thresholds, "ploidy": {"x": x(float(ploidy)), "label": f"ploidy {float(ploidy):g}"},
            "xmax": xmax}


# --------------------------------------------------------------------------- copy-number profile

PROFILE_MAX_COPIES = 6.0


def copy_profile(profile: CopyProfile | None, cnv: CnvThresholds, ploidy: float,
                 chroms: Sequence[str] | None = None, height: int = 190) -> dict[str, Any] | None:
    """Copies along the genome (``chroms`` None) or along the given chromosomes, probe loci marked.

    Segments are horizontal lines at their copy number (clipped at 6, the true value in the text);
    the configured loss/gain thresholds and the ploidy are drawn; the FISH probe loci of the
    copy-number lesions (TP53, CKS1B, CDKN2C, RB1) are vertical marks with their names.
    """
    if profile is None or not profile.segments:
        return None
    lengths = chromosome_lengths().get(profile.build, {})
    order = [c for c in lengths if c != "Y"] if chroms is None else [c for c in chroms if c in lengths]
    segs = [s for s in profile.segments if s[0] in order]
    if not segs or not order:
        return None
    left, right_pad, bottom_pad = 46, 78, 46
    loci_in = [(g, c, pos) for g, c, pos in profile.loci if c in order]
    plot_w = _W - left - right_pad
    total = sum(lengths[c] for c in order)
    offset: dict[str, int] = {}
    acc = 0
    for c in order:
        offset[c] = acc
        acc += lengths[c]

    def x(chrom: str, pos: float) -> float:
        at = max(0.0, min(_finite(pos), float(lengths[chrom])))  # a position off the chromosome stays on it
        return round(left + (offset[chrom] + at) / total * plot_w, 1)

    # probe-locus names: one that would overprint its neighbour (CDKN2C beside CKS1B) goes up a row
    loci = sorted(({"x": x(c, pos), "label": g} for g, c, pos in loci_in), key=lambda m: m["x"])
    locus_rows = rows_for([(m["x"] - text_width(m["label"], 10) / 2, m["x"] + text_width(m["label"], 10) / 2)
                           for m in loci])
    top = 22 + 12 * max(locus_rows + [0])
    for m, row in zip(loci, locus_rows):
        m["label_y"] = top - 7 - 12 * row
    height += top - 22 + 12  # room for the probe names above and a second row of chromosome names below
    plot_h = height - top - bottom_pad

    def y(copies: float) -> float:
        v = max(0.0, min(_finite(copies, PROFILE_MAX_COPIES), PROFILE_MAX_COPIES))
        return round(top + plot_h - v / PROFILE_MAX_COPIES * plot_h, 1)

    bands = [{"x0": x(c, 0), "x1": x(c, lengths[c]), "label": c, "odd": i % 2 == 1} for i, c in enumerate(order)]
    # chromosome names: where a name is wider than its band (17-22), alternate names drop to a second row
    for b, row in zip(bands, rows_for([((b["x0"] + b["x1"] - text_width(b["label"], 11)) / 2,
                                        (b["x0"] + b["x1"] + text_width(b["label"], 11)) / 2) for b in bands], 4.0)):
        b["label_y"] = top + plot_h + 12 + 11 * row
    # focal events (a homozygous deletion of a few hundred kb) must stay visible: at least 3 units wide
    lines = [{"x0": x(c, s), "x1": max(x(c, e), x(c, s) + 3.0), "y": y(float(cn)),
              "clipped": not 0.0 <= float(cn) <= PROFILE_MAX_COPIES,
              "state": "loss" if cn <= cnv.loss_max else "gain" if cn >= cnv.gain_min else "neutral",
              "text": f"chr{c}:{s:,}-{e:,} {float(cn):g} copies"} for c, s, e, cn in segs]
    # the thresholds and the ploidy named in the right margin, stacked apart, each tied to its line
    thresholds = [{"y": y(float(getattr(cnv, k))), "label": f"{name} {float(getattr(cnv, k)):g}"}
                  for k, name in (("loss_max", "loss"), ("gain_min", "gain"), ("amp_min", "amp"))]
    marks = thresholds + [{"y": y(float(ploidy)), "label": f"ploidy {float(ploidy):g}", "ploidy": True}]
    for m, ly in zip(marks, spread([m["y"] for m in marks], LABEL_GAP - 1, top + 4, top + plot_h)):
        m["label_y"] = ly
    span = "genome" if chroms is None else "chromosome " + ", ".join(order)
    return {"width": _W, "height": height, "left": left, "right": left + plot_w, "top": top,
            "bottom": top + plot_h, "bands": bands, "lines": lines, "loci": loci, "thresholds": thresholds,
            "ploidy": y(float(ploidy)), "ploidy_label": marks[-1], "label_x": left + plot_w + 14,
            "yticks": [{"y": y(v), "label": f"{v:g}"} for v in (0, 1, 2, 3, 4, 5, 6)],
            "span": span, "truncated": profile.truncated,
            "xlabel": "chromosome" if chroms is None else "position (Mb)",
            "xticks": [] if chroms is None or len(order) != 1 else
            [{"x": x(order[0], mb * 1e6), "label": f"{mb}"} for mb in range(0, lengths[order[0]] // 1_000_000 + 1, 25)]}


# --------------------------------------------------------------------------- clonal evolution

def evolution_plot(ev: Mapping[str, Any]) -> dict[str, Any] | None:
    """Fractions over a patient's timepoints: each variant's VAF and each present lesion's
    fraction of tumour cells, one line per item. A timepoint that did not assess an item
    breaks its line (no point); ``not detected`` / ``absent`` is drawn at 0 with a hollow point.

    When every timepoint has a collection date the x axis is time, and the disease course
    (``ev["course"]``: lines of therapy, MRD, M-protein) is drawn beneath on the same axis
    (:mod:`mmrisk.courseplot`); otherwise the timepoints are evenly spaced and the course is not drawn."""
    tps = ev["timepoints"]
    course = ev.get("course") or {}
    series = _evolution_series(ev)
    if not series and not course.get("lines") and not course.get("activity"):
        return None
    left, top, plot_h = 60, 24, 260
    # the right margin holds the longest name
    right = max(300, round(text_width(max((s["name"] for s in series), key=len, default=""), 11) + 30))
    width = 600 + right
    n = len(tps)
    step = (width - left - right) / max(n - 1, 1)
    axis = time_axis(tps, course, left, width - right)

    def px(i: int) -> float:
        if axis is not None:
            return axis.x(dt.date.fromisoformat(tps[i]["collection_date"]))
        return round(left + (i * step if n > 1 else (width - left - right) / 2), 1)

    def py(v: float) -> float:
        return round(top + plot_h * (1 - max(0.0, min(_finite(v), 1.0))), 1)

    for k, s in enumerate(series):
        _place_series(s, k, px, py, tps, top)
    # the names in the right margin, in the order of the lines' ends, stacked apart; a leader line runs from
    # each line's end to its name
    placed = spread([s["end"]["y"] for s in series], LABEL_GAP, top)
    for s, ly in zip(series, placed):
        s["label_y"] = ly
    bottom = top + plot_h
    # each timepoint's name wrapped to at most TICK_WIDTH px (the first one's also to the left margin), its
    # date beneath; names that would still overprint (samples close in time) go down a row
    xticks = []
    for i, t in enumerate(tps):
        label = t["timepoint"] or t["sample"]
        sub = t["collection_date"] or (t["sample"] if label != t["sample"] else "")
        fit = min(TICK_WIDTH, 2 * px(i) - 4)
        xticks.append({"x": px(i), "label": label, "sub": sub, "lines": wrap(label, fit, 11),
                       "sub_lines": wrap(sub, fit, 11, 2) if sub else []})
    depth = 14 * max(len(t["lines"]) + len(t["sub_lines"]) for t in xticks)
    widest = [max(t["lines"] + t["sub_lines"], key=len) for t in xticks]
    for t, w, row in zip(xticks, widest, text_rows([(t["x"], w) for t, w in zip(xticks, widest)])):
        t["y"] = bottom + 18 + (depth + 4) * row
        t["sub_y"] = t["y"] + 14 * len(t["lines"])
    below = max(t["sub_y"] + 14 * max(len(t["sub_lines"]) - 1, 0) for t in xticks) + 8
    panels = None
    if axis is not None and (course.get("lines") or course.get("activity")):
        panels = course_panels(course, axis, below + 6, width)
        below = panels["height"]
    return {"width": width, "height": max(below + 8, max(placed, default=0) + 12), "series": series,
            "xticks": xticks, "yticks": [{"y": py(t), "label": f"{t * 100:.0f}%"} for t in _ticks(0.0, 1.0, 0.25)],
            "left": left, "right": width - right, "top": top, "bottom": bottom, "label_x": width - right + 12,
            "timed": axis is not None, "course": panels, "grid_bottom": below if panels else bottom}


def _evolution_series(ev: Mapping[str, Any]) -> list[dict[str, Any]]:
    series = []
    for kind, items, value_key, present in (("variant", ev["variants"], "vaf", "detected"),
                                            ("lesion", ev["lesions"], "fraction", "present")):
        for x in items:
            if not any(c["state"] == present and c.get(value_key) is not None for c in x["cells"]):
                continue
            pts = []
            for i, c in enumerate(x["cells"]):
                if c["state"] == present and c.get(value_key) is not None:
                    pts.append({"i": i, "v": float(c[value_key]), "kind": "measured"})
                elif c["state"] in ("not_detected", "absent"):
                    pts.append({"i": i, "v": 0.0, "kind": "zero"})
                else:
                    pts.append({"i": i, "v": None, "kind": "not_assessed"})
            name = LESIONS[x["item"]].label if kind == "lesion" and x["item"] in LESIONS else str(x["item"])
            series.append({"kind": kind, "label": name, "overall": x["overall"], "points": pts,
                           "name": f"{name} · {str(x['overall']).replace('_', ' ')}"})
    return series


def _place_series(s: dict[str, Any], k: int, px: Any, py: Any, tps: Sequence[Mapping[str, Any]], top: float) -> None:
    s["n"] = k % 8
    segs, cur = [], []
    for p in s["points"]:
        if p["v"] is None:
            if len(cur) > 1:
                segs.append(cur)
            cur = []
            continue
        p["x"], p["y"] = px(p["i"]), py(p["v"])
        cur.append(f"{p['x']},{p['y']}")
    if len(cur) > 1:
        segs.append(cur)
    s["paths"] = [" ".join(c) for c in segs]
    last = next((p for p in reversed(s["points"]) if p["v"] is not None), None)
    # the line's own end: its last assessed timepoint (which may come before the patient's last)
    s["end"] = {"x": last["x"], "y": last["y"]} if last else {"x": px(0), "y": top}
    s["text"] = "; ".join(
        f"{tps[p['i']]['timepoint'] or tps[p['i']]['sample']}: "
        + ("not assessed" if p["v"] is None else "not detected" if p["kind"] == "zero" else f"{p['v'] * 100:.0f}%")
        for p in s["points"])
