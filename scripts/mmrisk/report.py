"""HTML reports: one self-contained page per sample and the cohort page.

Jinja2 with autoescaping: every string that came from an input (sample ids,
FISH comments, file names, drug names) is escaped on its way into HTML.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import hashlib
import io
import json
import os
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence

import yaml
from markupsafe import Markup, escape
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape

from . import __version__
from . import cohortpage as _cohortpage
from . import labels as _labels
from . import plots as _plots
from .outputs import RESEARCH_USE, driver_variants
from .lesions import LESION_IDS, LESIONS
from .resources import TEMPLATE_DIR as TEMPLATES
from .reportlinks import Link
from .result import SampleResult

if TYPE_CHECKING:
    from .evolution import Timepoint
    from .records_json import SampleRecord

SYSTEMS = (
    ("imwg2025", "IMS/IMWG 2025"),
    ("msmart3", "mSMART 3.0"),
    ("r2iss", "R2-ISS"),
    ("riss", "R-ISS"),
    ("iss", "ISS"),
)
LABELS = {"high": "high risk", "standard": "standard risk", "not_evaluable": "not evaluable", None: "—"}
RISK_RANK = {"high": 0, "standard": 1, "not_evaluable": 2, None: 3}
STAGE_RANK = {"I": 1, "II": 2, "III": 3, "IV": 4}
MATRIX_SYMBOLS = {"present": "●", "absent": "○", "not_assessed": "–"}
SAMPLE_COLUMNS = (("Sample", "text"), ("Patient", "text"), ("Timepoint", "text"), ("Status", "num"),
                  ("IMS/IMWG 2025", "num"), ("mSMART 3.0", "num"), ("R2-ISS", "num"), ("R-ISS", "num"),
                  ("ISS", "num"), ("Lesions present", "text"), ("Refractory", "text"))


@lru_cache(maxsize=4)  # a batch job's samples share one configuration
def _config_text(config_json: str) -> str:
    """The effective configuration as the report shows it (YAML, in the configuration's order)."""
    return yaml.safe_dump(json.loads(config_json), sort_keys=False, allow_unicode=True)


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Jinja's compiled templates kept between processes (a user-only folder in the temporary directory,
    checked by Jinja; an entry is used only while its template's source is unchanged): compiling the page
    templates is a quarter of a second of every job otherwise. None where no such folder can be had."""
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        bytecode_cache=_bytecode_cache(),
    )
    # tests on a row of cells of the evolution page
    env.tests["present_somewhere"] = lambda cells: any(c["state"] in ("present", "detected") for c in cells)
    env.tests["never_assessed"] = lambda cells: all(c["state"] == "not_assessed" for c in cells)
    env.tests["some_not_assessed"] = lambda cells: any(c["state"] == "not_assessed" for c in cells)
    # identifiers become the names people read (mmrisk.labels); lists are joined after labelling
    for kind in _labels.KINDS:
        env.filters[kind] = (lambda k: lambda v: _labels.label(k, v))(kind)
    env.filters["lesion"] = _labels.lesion
    env.filters["variable"] = _labels.variable
    env.filters["sentence"] = _labels.sentence
    env.filters["labels"] = lambda values, kind: _labels.labels(kind, values or ())
    env.filters["path"] = path_breaks
    return env


def css() -> Markup:
    """The pages' shared style sheet: a static file of ours, inserted unescaped (an escaped quote would break it)."""
    return Markup((TEMPLATES / "base.css").read_text(encoding="utf-8"))


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal: anything but letters, digits and plain punctuation as a CSS escape, so
    that no input string can end the string, the rule or the ``<style>`` element."""
    safe = set(" .,:;()[]+-_#/")
    return '"' + "".join(c if c.isalnum() and c.isascii() or c in safe else f"\\{ord(c):06x}" for c in text) + '"'


def print_style(title: str, date: str) -> Markup:
    """The page's own @page rule: ``title`` (the sample, cohort or patient) and the report date at the top of
    every printed page (the page number is in base.css)."""
    font = "font: 8pt system-ui, sans-serif; color: #59636e;"
    return Markup(f"@page {{ @top-left {{ content: {_css_string(title)}; {font} }} "
                  f"@top-right {{ content: {_css_string('report date ' + date)}; {font} }} }}")


def path_breaks(path: Any) -> Markup:
    """A file path, escaped, that may break after each ``/`` (never inside a name unless it must)."""
    return Markup("/<wbr>".join(str(escape(part)) for part in str(path).split("/")))


_PMID = re.compile(r"PMID:?\s*(\d+)")
_DOI = re.compile(r"(?:DOI:?\s*|doi\.org/)(10\.\d{4,9}/[^\s;,]+)", flags=re.I)


def cite(reference: str) -> Markup:
    """A citation with its PMID and DOI linked (the text itself escaped)."""
    out = escape(reference)
    m = _PMID.search(reference)
    links = []
    if m:
        links.append(f'<a href="https://pubmed.ncbi.nlm.nih.gov/{m.group(1)}/">PubMed</a>')
    d = _DOI.search(reference)
    if d:
        links.append(f'<a href="https://doi.org/{escape(d.group(1))}">DOI</a>')
    return Markup(f"{out}{' (' + ', '.join(links) + ')' if links else ''}")


def pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


def num(v: Any) -> str:
    if v is None:
        return "—"
    return f"{v:g}" if isinstance(v, float) else str(v)


def today() -> str:
    """The report date: the only time stamp in the outputs (HTML pages only).

    Honours ``SOURCE_DATE_EPOCH`` (reproducible-builds convention), so a rerun
    with it set gives byte-identical pages.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
    return dt.date.today().isoformat()


def driver_context(result: SampleResult) -> list[dict[str, Any]]:
    """The sample's reported variants in myeloma driver genes (``driver_gene_variants`` of risk.json)."""
    return driver_variants(result)


def render_sample(result: SampleResult, date: str | None = None, patient_page: Link | None = None,
                  report_self: str = "") -> str:
    """The sample's report, from its typed result and the settings in force; ``patient_page`` links its
    patient's evolution page (patients with two or more samples); ``report_self``: the page's own place in
    a zip report (:mod:`mmrisk.reportlinks`)."""
    tpl = _env().get_template("sample.html.j2")
    links_script, links_hash = _script("links.js")
    config_text = _config_text(json.dumps(result.settings.effective_config()))
    return tpl.render(r=result, s=result.sample, p=result.provenance, cfg=result.settings, ruo=RESEARCH_USE,
                      carries=lambda lid: LESIONS[lid].carries, css=css(),
                      systems=SYSTEMS, labels=LABELS, pct=pct, num=num, cite=cite, date=date or today(),
                      config_text=config_text, plots=sample_plots(result), patient_page=patient_page,
                      drivers=driver_context(result), links_script=links_script, links_hash=links_hash,
                      report_self=report_self,
                      print_style=print_style(f"{result.sample.sample} · patient {result.sample.patient}",
                                              date or today()))


def sample_plots(result: SampleResult) -> dict[str, Any]:
    """Geometry of the sample report's plots from the typed records and the thresholds in force;
    a plot is None when its data does not exist."""
    cnv, ploidy = result.settings.cnv.thresholds, result.settings.cnv.ploidy
    return {
        "vaf": _plots.vaf_plot(result.variants, result.settings.snv.vaf_floor) if result.read("SNV") else None,
        "breakends": _plots.breakends(result.lesions),
        "copies": _plots.copy_plot(result.gene_states or {}, cnv, ploidy),
        "profile": _plots.copy_profile(result.profile, cnv, ploidy),
        "profile_chroms": [p for p in (_plots.copy_profile(result.profile, cnv, ploidy, [c], height=150)
                                       for c in _plots.LESION_CHROMS) if p],
    }


def _script(name: str) -> tuple[Markup, str]:
    """A static script of ours (never input) and its CSP hash source."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"sha256-{digest}"


def lesion_matrix(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Lesion-by-sample matrix of the reported samples: present / absent / not assessed, discordant marked
    (:func:`mmrisk.cohortpage.lesion_status` of each summary row)."""
    ok = [r for r in rows if r["status"] == "ok"]
    has_disc = any("lesions_discordant" in r for r in ok)
    cells: dict[str, list[dict[str, Any]]] = {}
    present: dict[str, int] = {}
    assessed: dict[str, int] = {}
    for lid in LESION_IDS:
        cells[lid] = []
        for r in ok:
            st, discordant = _cohortpage.lesion_status(r, lid)
            cells[lid].append({"sample": r["sample"], "status": st, "discordant": discordant})
        present[lid] = sum(c["status"] == "present" for c in cells[lid])
        assessed[lid] = sum(c["status"] != "not_assessed" for c in cells[lid])
    return {"lesions": list(LESION_IDS),
            "samples": [{"sample": r["sample"], "link": r.get("link") or "", "report_link": r.get("report_link") or ""}
                        for r in ok],
            "cells": cells, "present_count": present, "assessed_count": assessed, "has_discordance_data": has_disc}


def _encode_row(row: Mapping[str, Any], codes: str) -> str:
    return _cohortpage.script_json(_cohortpage.table_row(row, codes, LABELS, RISK_RANK, STAGE_RANK))


def cohort_tally(expected: int, spill: IO[str] | None = None) -> _cohortpage.Tally:
    """An empty :class:`mmrisk.cohortpage.Tally` for a cohort page of ``expected`` samples with this page's
    systems and labels; a paged page's data rows go to ``spill`` (a text file open for reading and writing)."""
    return _cohortpage.Tally(expected, tuple(key for key, _ in SYSTEMS), spill, _encode_row)


def _risk_counts(tally: _cohortpage.Tally) -> tuple[list[tuple[str, dict[str, int]]], list[str]]:
    """Per system its samples per group or stage (people's words), and the table's columns in order."""
    counts = []
    for key, name in SYSTEMS:
        c: dict[str, int] = {}
        for v, n in tally.values.get(key, {}).items():
            label = LABELS.get(v, f"stage {v}") if key in ("imwg2025", "msmart3") else (
                f"stage {v}" if v else "not computable")
            c[label] = c.get(label, 0) + n
        counts.append((name, c))
    cols: list[str] = []
    for _, c in counts:
        for k in c:
            if k not in cols:
                cols.append(k)
    order = ["high risk", "standard risk", "not evaluable", "stage I", "stage II", "stage III", "stage IV",
             "not computable"]
    cols.sort(key=lambda k: order.index(k) if k in order else len(order))
    return counts, cols


def cohort_page_parts(tally: _cohortpage.Tally, date: str | None = None, patients: Iterable[Mapping[str, Any]] = (),
                      has_patients: bool = False, report_self: str = "") -> Iterator[str]:
    """The cohort page of the samples counted in ``tally``, as a stream of text (written piece by piece, a
    10 000-sample page is never held whole). ``patients``: rows with ``link`` a
    :class:`mmrisk.reportlinks.Link`, consumed as the page is written (``has_patients``: whether there are
    any); ``report_self`` the page's own place in a zip report (:func:`mmrisk.reportlinks.report_place`).
    Above ``cohortpage.INLINE_MAX`` samples the table and matrix are paged by the page's script."""
    tpl = _env().get_template("cohort.html.j2")
    paged = tally.paged
    script, script_hash = _script("cohort_paged.js" if paged else "cohort.js")
    links_script, links_hash = _script("links.js")
    counts, cols = _risk_counts(tally)
    return tpl.generate(
        n_samples=tally.n, rows=tally.rows, failed=tally.failed, ok=tally.ok, counts=counts, count_cols=cols,
        labels=LABELS, css=css(), version=__version__, ruo=RESEARCH_USE, kb_versions=sorted(tally.kb_versions),
        print_style=print_style(f"cohort of {tally.n} samples", date or today()), date=date or today(),
        sample_cols=SAMPLE_COLUMNS, rank=RISK_RANK, stage_rank=STAGE_RANK, symbols=MATRIX_SYMBOLS,
        matrix=None if paged else lesion_matrix(tally.rows), has_discordance_data=tally.has_discordance_data,
        script=script, links_script=links_script, script_hashes=[links_hash, script_hash], patients=patients,
        has_patients=has_patients, report_self=report_self, paged=paged, per_page=_cohortpage.PAGE_ROWS,
        lesion_summary=tally.summary() if paged else [],
        data_block=_cohortpage.data_parts(tally.data_rows()) if paged else ())


def render_cohort(rows: Iterable[Mapping[str, Any]], date: str | None = None,
                  patients: Iterable[Mapping[str, Any]] = (), report_self: str = "") -> str:
    """The cohort page of summary ``rows`` (``link``/``report_link``: each report in results/ and in the zip
    report), whole (:func:`cohort_page_parts`, which the workflow's cohort job streams)."""
    rows = list(rows)
    patients = list(patients)
    tally = cohort_tally(len(rows), io.StringIO())
    for r in rows:
        tally.add(r)
    return "".join(cohort_page_parts(tally, date, patients, bool(patients), report_self))


MQC_COLUMNS = (
    ("status", "Status"), ("reason", "Failure reason"), ("imwg2025", "IMS/IMWG 2025"),
    ("imwg2025_criteria", "IMWG 2025 criteria met"), ("msmart3", "mSMART 3.0"), ("r2iss", "R2-ISS"), ("riss", "R-ISS"),
    ("iss", "ISS"), ("lesions_present", "Lesions present"), ("refractory", "Refractory"),
)
#: Background colours of MultiQC's table cells by their text (MultiQC ``bgcols``): the status and the risk calls.
MQC_COLOURS = {
    "Status": {"ok": "#dafbe1", "failed": "#ffebe9"},
    "IMS/IMWG 2025": {"high risk": "#ffebe9", "standard risk": "#dafbe1", "not evaluable": "#fff8c5"},
    "mSMART 3.0": {"high risk": "#ffebe9", "standard risk": "#dafbe1", "not evaluable": "#fff8c5"},
}


def _mqc_cell(v: Any) -> str:
    if v is None or v == "":
        return "NA"
    if isinstance(v, (list, tuple)):
        v = "; ".join(str(x) for x in v) if v else "none"  # looked and found nothing
    text = str(v) if not isinstance(v, (int, float)) else f"{v:g}"
    # one line, one field: no tab or newline may leak into the TSV
    return " ".join(text.replace("\t", " ").split())


def _mqc_value(r: Mapping[str, Any], key: str) -> str:
    """One cell of a reported sample's MultiQC row, in people's words."""
    v = r.get(key)
    if key == "reason":
        return "none"
    if key in ("imwg2025", "msmart3"):
        return LABELS.get(v, _mqc_cell(v)) if v else "NA"
    if key in ("r2iss", "riss", "iss"):
        return f"stage {v}" if v else "not computable"
    if key in ("lesions_present", "imwg2025_criteria"):
        return _mqc_cell(_labels.labels("variable", v or ()))
    if key == "refractory":
        return _mqc_cell(_labels.label("refractory", v)) if v else "unknown (no clinical record)"
    return _mqc_cell(v)


def _mqc_header() -> list[str]:
    """The custom-content header: the section, the table and its coloured columns (YAML in comments)."""
    lines = [
        "# id: 'mmrisk_risk'",
        "# section_name: 'Myeloma genomic risk'",
        "# description: 'Genomic risk calls per sample (IMS/IMWG 2025, mSMART 3.0, R2-ISS, R-ISS, ISS) "
        f"from mmrisk {__version__}. {RESEARCH_USE.replace(chr(39), '')} A failed sample shows its reason; "
        "none means looked and found nothing.'",
        "# plot_type: 'table'",
        "# pconfig:",
        "#     id: 'mmrisk_risk_table'",
        "#     title: 'mmrisk: genomic risk'",
        "#     namespace: 'mmrisk'",
        "# headers:",
    ]
    for _, label in MQC_COLUMNS:
        lines.append(f"#     '{label}':")
        lines.append(f"#         title: '{label}'")
        if label in MQC_COLOURS:
            lines.append("#         bgcols:")
            lines += [f"#             '{k}': '{c}'" for k, c in MQC_COLOURS[label].items()]
    return lines


def multiqc_head() -> str:
    """The lines of ``mmrisk_risk_mqc.tsv`` before its samples: the custom-content header and the columns."""
    return "\n".join(_mqc_header() + ["\t".join(["Sample"] + [label for _, label in MQC_COLUMNS])]) + "\n"


def multiqc_line(r: Mapping[str, Any]) -> str:
    """One sample's line of ``mmrisk_risk_mqc.tsv`` (``r`` a cohort summary row, ``outputs.summary_row``). A
    failed sample has status ``failed``, its reason in "Failure reason" and NA calls (none was made); an
    empty list of a reported sample is "none"."""
    ok = r.get("status") == "ok"
    cells = [_mqc_cell(r["sample"])]
    for key, _ in MQC_COLUMNS:
        if key == "status":
            cells.append("ok" if ok else "failed")
        elif not ok:
            reason = str(r.get("status") or "").removeprefix("failed: ")
            cells.append(_mqc_cell(_labels.sentence(reason) or "unknown") if key == "reason" else "NA")
        else:
            cells.append(_mqc_value(r, key))
    return "\t".join(cells) + "\n"


def multiqc_table(rows: Iterable[Mapping[str, Any]]) -> str:
    """``mmrisk_risk_mqc.tsv``: MultiQC custom content, one table row per sample with its risk calls, in
    sample order. Labels are spelled out ("high risk", lesion and refractoriness names) so that MultiQC shows
    them as text; the status and the risk calls are coloured (``bgcols``)."""
    return multiqc_head() + "".join(multiqc_line(r) for r in sorted(rows, key=lambda r: str(r["sample"])))


def _history_text(result: SampleRecord | None) -> str:
    if result is None:
        return "—"
    h = result.history
    if h.refractory_class is None:
        return "not given"
    text = _labels.label("refractory", h.refractory_class)
    if h.refractory_to:
        text += "; refractory to " + ", ".join(h.refractory_to)
    if h.exposed_to:
        text += "; exposed to " + ", ".join(h.exposed_to)
    return text


def render_evolution(ev: Mapping[str, Any], timepoints: Sequence[Timepoint], links: Mapping[str, Link],
                     ordering: str, cohort_link: Link, date: str | None = None, report_self: str = "") -> str:
    """The patient's clonal-evolution page: ``ev`` from :func:`mmrisk.evolution.compare` of the typed
    ``timepoints`` (:func:`mmrisk.evolution.timepoints`); ``links`` (to each sample's report) and
    ``cohort_link`` in results/ and in the zip report, ``report_self`` the page's own place there
    (:mod:`mmrisk.reportlinks`)."""
    tpl = _env().get_template("evolution.html.j2")
    links_script, links_hash = _script("links.js")
    kb = sorted({str(t.result.knowledge_base_version) for t in timepoints
                 if t.result is not None and t.result.knowledge_base_version})
    return tpl.render(ev=ev, timepoints=timepoints, css=css(), labels=LABELS,
                      print_style=print_style(f"clonal evolution · patient {ev['patient']}", date or today()),
                      pct=pct, num=num, cite=cite, date=date or today(), version=__version__, ruo=RESEARCH_USE,
                      kb_versions=kb, links=links, ordering=ordering, cohort_link=cohort_link,
                      links_script=links_script, links_hash=links_hash, report_self=report_self,
                      plot=_plots.evolution_plot(ev), histories={t.sample: _history_text(t.result) for t in timepoints},
                      any_snv=any("snv_vcf" in t.inputs for t in timepoints))
