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
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterator, Mapping, Sequence

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


def lesion_status(row: Mapping[str, Any], lid: str) -> tuple[str, bool]:
    """A reported sample's state of lesion ``lid`` from its summary row (present, absent, not assessed) and
    whether its sources disagree (``lesions_discordant``, when the row has it)."""
    if lid in (row.get("lesions_present") or ()):
        status = "present"
    elif lid in (row.get("lesions_not_assessed") or ()):
        status = "not_assessed"
    else:
        status = "absent"
    return status, lid in (row.get("lesions_discordant") or ())


def _stage(v: Any, stage_rank: Mapping[str, int]) -> tuple[str, int]:
    return (str(v) if v else "—"), stage_rank.get(v, 9)


def table_row(r: Mapping[str, Any], codes: str, risk_labels: Mapping[Any, str],
              rank: Mapping[Any, int], stage_rank: Mapping[str, int]) -> dict[str, Any]:
    """One sample for the script: ``c`` the 11 cells' texts (people's words), ``k`` the sort keys of the
    numeric columns (None for text columns), ``b`` the badges' classes, ``g`` the risk group of the filter,
    ``l``/``r`` its report's link in results/ and in the zip report, ``m`` its lesion letters (``codes``,
    :class:`Tally`)."""
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
            "l": r.get("link") or "", "r": r.get("report_link") or "", "m": codes}


def script_json(obj: Any) -> str:
    """``obj`` as JSON safe inside ``<script type="application/json">``: every ``<``, ``>`` and ``&`` of an
    input's text is a JSON escape, so no text can end the element."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def data_parts(row_texts: Iterator[str] | Sequence[str]) -> Iterator[Markup]:
    """The data block in pieces, one per sample (``row_texts``: each row's :func:`script_json`), for a page
    written as a stream: ``{"per_page": …, "lesions": […], "rows": [row, row, …]}``."""
    head = script_json({"per_page": PAGE_ROWS, "lesions": [_labels.lesion(lid) for lid in LESION_IDS]})
    yield Markup(head[:-1] + ',"rows":[')
    for i, text in enumerate(row_texts):
        yield Markup(("," if i else "") + text)
    yield Markup("]}")


@dataclass
class Tally:
    """What the cohort page needs of its samples, gathered one summary row at a time in the page's order, so
    that the job's memory does not grow with the cohort: a page drawn whole (up to :data:`INLINE_MAX`
    samples) keeps its rows; a paged page keeps its first :data:`PAGE_ROWS` rows, the counts, the failed
    samples (sample and reason) and writes each row's data-block text to ``spill`` as one line.

    ``systems``: the summary keys whose values the page counts; ``encode``: a summary row and its lesion
    letters → that row's data-block JSON (:func:`script_json` of :func:`table_row` with the page's labels)."""

    expected: int
    systems: Sequence[str] = ()
    spill: IO[str] | None = None
    encode: Callable[[Mapping[str, Any], str], str] | None = None
    n: int = 0
    ok: int = 0
    rows: list[Mapping[str, Any]] = field(default_factory=list)
    failed: list[Mapping[str, Any]] = field(default_factory=list)
    #: per risk system's summary key: {value: samples}
    values: dict[str, dict[Any, int]] = field(default_factory=dict)
    #: per lesion: present, absent, not_assessed, discordant over the reported samples
    lesions: dict[str, dict[str, int]] = field(
        default_factory=lambda: {lid: dict.fromkeys(("present", "absent", "not_assessed", "discordant"), 0)
                                 for lid in LESION_IDS})
    kb_versions: set[str] = field(default_factory=set)
    has_discordance_data: bool = False

    @property
    def paged(self) -> bool:
        return paged(self.expected)

    def add(self, row: Mapping[str, Any]) -> None:
        """Count one summary row (:func:`mmrisk.outputs.summary_row`)."""
        self.n += 1
        if not self.paged or len(self.rows) < PAGE_ROWS:
            self.rows.append(row)
        ok = row["status"] == "ok"
        codes = ""
        if ok:
            self.ok += 1
            for key in self.systems:
                counts = self.values.setdefault(key, {})
                counts[row.get(key)] = counts.get(row.get(key), 0) + 1
            if row.get("knowledge_base"):
                self.kb_versions.add(str(row["knowledge_base"]))
            self.has_discordance_data |= "lesions_discordant" in row
            letters = []
            for lid in LESION_IDS:
                status, discordant = lesion_status(row, lid)
                self.lesions[lid][status] += 1
                self.lesions[lid]["discordant"] += discordant
                letters.append(CODES[status].upper() if discordant else CODES[status])
            codes = "".join(letters)
        else:
            self.failed.append({"sample": row["sample"], "status": row["status"]})
        if self.paged and self.spill is not None and self.encode is not None:
            self.spill.write(self.encode(row, codes) + "\n")  # JSON text: its newlines are escapes

    def data_rows(self) -> Iterator[str]:
        """The spilled data-block rows, in the order added."""
        if self.spill is None:
            return
        self.spill.seek(0)
        for line in self.spill:
            yield line.rstrip("\n")

    def summary(self) -> list[dict[str, Any]]:
        """Per lesion over the reported samples: present, absent, not assessed, discordant."""
        return [{"id": lid, "lesion": _labels.lesion(lid), **counts} for lid, counts in self.lesions.items()]
