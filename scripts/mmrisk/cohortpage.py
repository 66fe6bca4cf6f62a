"""The cohort page of a large cohort: its samples as data for the page's script, not as DOM.

Up to :data:`INLINE_MAX` samples the page holds every table row and every lesion-matrix cell in its HTML
(it reads, sorts, filters and prints without a script). Above it, a 10 000-sample page in that form
(14 × N matrix cells, 11 × N table cells) keeps a browser loading for more than half a minute; there the
page carries the rows once, as JSON in a data block, and its script (``templates/cohort_paged.js``)
filters and sorts them in memory and shows :data:`PAGE_ROWS` of them at a time, in the table and in the
matrix (whose columns are the table page's samples), beside a per-lesion count summary of the whole cohort
drawn in the HTML. Nothing here is a threshold of the science: only how many rows a page draws.
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

from markupsafe import Markup

from . import labels as _labels
from .lesions import LESION_IDS

#: Cohorts of up to this many samples are drawn whole in the HTML.
INLINE_MAX = 500
#: Rows (and matrix columns) a page of a larger cohort shows at a time.
PAGE_ROWS = 100
#: One letter per lesion and sample in the data block: present, absent, not assessed (upper case: discordant).
CODES = {"present": "p", "absent": "a", "not_assessed": "n"}


def paged(n_rows: int) -> bool:
    """Whether a cohort of ``n_rows`` samples gets the paged page."""
    return n_rows > INLINE_MAX


def lesion_codes(matrix: Mapping[str, Any]) -> dict[str, str]:
    """``{sample: one letter per lesion}`` of :func:`mmrisk.report.lesion_matrix`'s cells."""
    out: dict[str, list[str]] = {s["sample"]: [] for s in matrix["samples"]}
    for lid in matrix["lesions"]:
        for c in matrix["cells"][lid]:
            code = CODES[c["status"]]
            out[c["sample"]].append(code.upper() if c["discordant"] else code)
    return {s: "".join(v) for s, v in out.items()}


def lesion_summary(matrix: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per lesion over the reported samples: present, absent, not assessed, discordant."""
    out = []
    for lid in matrix["lesions"]:
        cells = matrix["cells"][lid]
        out.append({"id": lid, "lesion": _labels.lesion(lid),
                    "present": sum(c["status"] == "present" for c in cells),
                    "absent": sum(c["status"] == "absent" for c in cells),
                    "not_assessed": sum(c["status"] == "not_assessed" for c in cells),
                    "discordant": sum(bool(c["discordant"]) for c in cells)})
    return out


def _stage(v: Any, stage_rank: Mapping[str, int]) -> tuple[str, int]:
    return (str(v) if v else "—"), stage_rank.get(v, 9)


def table_row(r: Mapping[str, Any], codes: Mapping[str, str], risk_labels: Mapping[Any, str],
              rank: Mapping[Any, int], stage_rank: Mapping[str, int]) -> dict[str, Any]:
    """One sample for the script: ``c`` the 11 cells' texts (people's words), ``k`` the sort keys of the
    numeric columns (None for text columns), ``b`` the badges' classes, ``g`` the risk group of the filter,
    ``l``/``r`` its report's link in results/ and in the zip report, ``m`` its lesion letters."""
    ok = r["status"] == "ok"
    head = [str(r["sample"]), str(r.get("patient") or ""), str(r.get("timepoint") or "")]
    if not ok:
        return {"c": head + ["failed", "failed", "—", "—", "—", "—", "—", "—"],
                "k": [None, None, None, 1, 9, 9, 9, 9, 9, None, None], "b": ["failed", None, None],
                "g": "failed", "l": "", "r": "", "m": ""}
    stages = [_stage(r.get(k), stage_rank) for k in ("r2iss", "riss", "iss")]
    lesions = ", ".join(_labels.labels("lesion", r.get("lesions_present") or ())) or "none"
    refractory = _labels.label("refractory", r["refractory"]) if r.get("refractory") else "unknown"
    return {"c": head + ["ok", risk_labels[r.get("imwg2025")], risk_labels[r.get("msmart3")]]
            + [s for s, _ in stages] + [lesions, refractory],
            "k": [None, None, None, 0, rank[r.get("imwg2025")], rank[r.get("msmart3")]] + [k for _, k in stages]
            + [None, None],
            "b": [None, r.get("imwg2025"), r.get("msmart3")], "g": r.get("imwg2025"),
            "l": r.get("link") or "", "r": r.get("report_link") or "", "m": codes.get(r["sample"], "")}


def data_block(rows: Sequence[Mapping[str, Any]], matrix: Mapping[str, Any], risk_labels: Mapping[Any, str],
               rank: Mapping[Any, int], stage_rank: Mapping[str, int]) -> Markup:
    """The JSON the paged page's script reads, safe inside ``<script type="application/json">``: every
    ``<``, ``>`` and ``&`` of an input's text is a JSON escape, so no text can end the element."""
    codes = lesion_codes(matrix)
    doc = {"per_page": PAGE_ROWS, "lesions": [_labels.lesion(lid) for lid in LESION_IDS],
           "rows": [table_row(r, codes, risk_labels, rank, stage_rank) for r in rows]}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
