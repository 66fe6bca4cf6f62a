"""The steps the workflow's rules run, as plain functions of paths.

Each rule's script in ``scripts/`` is a thin adapter that unpacks Snakemake's
``snakemake`` object and calls one function here; tests call them directly.
"""

from __future__ import annotations

import logging
import os
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from .errors import InputError
from .evaluate import Context, evaluate_sample
from .outputs import (SUMMARY_COLUMNS, dumps_json, lesions_tsv, risk_document, summary_row, tsv, tsv_header, tsv_row,
                      variants_tsv, write_risk_json)
from .result import SampleResult
from .samplefolder import EVALUATION, read_evaluation, remove_outputs, write_atomically
from . import evolution, reportlinks
from .sheet import Sample

log = logging.getLogger("mmrisk")


@dataclass
class Outcome:
    """A sample's evaluation: its typed result, or why it failed."""

    sample: Sample
    result: SampleResult | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """evaluation.json: ``{"status": "ok", "result": <risk.json>}`` or ``{"status": "failed", "error": ...}``."""
        out: dict[str, Any] = {"sample": self.sample.sample, "patient": self.sample.patient,
                               "timepoint": self.sample.timepoint}
        if self.result is not None:
            out.update(status="ok", result=risk_document(self.result))
        else:
            out.update(status="failed", error=self.error)
        return out


def evaluate(sample: Sample, config: Mapping[str, Any], sheet: str, ctx: Context | None = None) -> Outcome:
    """Evaluate one sample. Problems with its inputs never raise: they are recorded so that the
    sample fails alone and the rest of the cohort is still reported."""
    ctx = ctx or Context(config)
    try:
        result = evaluate_sample(sample, ctx, sheet)
        log.info("%s: evaluated (%d warnings)", sample.sample, len(result.warnings))
        return Outcome(sample, result)
    except InputError as exc:
        log.error("%s: failed: %s", sample.sample, exc.summary())
        return Outcome(sample, error=exc.summary())
    except Exception as exc:  # a defect of ours must not take the cohort down with it
        log.error("%s: internal error\n%s", sample.sample, traceback.format_exc())
        return Outcome(sample, error=f"internal error ({type(exc).__name__}: {exc}); please report it")


def write_sample_outputs(result: SampleResult, doc: Mapping[str, Any], folder: str,
                         patient_page: str | None = None) -> None:
    """Write risk.json (``doc``, schema-validated), lesions.tsv, variants.tsv and report.html of a sample.

    ``patient_page``: path of the patient's evolution page (patients with two or more samples), linked
    from the report.
    """
    from .report import render_sample  # only samples that did not fail need the report's imports

    out = Path(folder)
    write_risk_json(doc, out / "risk.json")
    (out / "lesions.tsv").write_text(lesions_tsv(doc), encoding="utf-8")
    (out / "variants.tsv").write_text(variants_tsv(doc), encoding="utf-8")
    link = reportlinks.link(folder, patient_page) if patient_page else None
    (out / "report.html").write_text(render_sample(result, patient_page=link,
                                                   report_self=reportlinks.report_place(
                                                       reportlinks.sample_page(folder), folder)), encoding="utf-8")
    log.info("%s: wrote risk.json, lesions.tsv, variants.tsv and report.html in %s", doc["sample"], folder)


def run_sample(sample: Sample, config: Mapping[str, Any], sheet: str, folder: str,
               patient_page: str | None = None, ctx: Context | None = None) -> str:
    """The per-sample job: the outputs unless the sample failed, then ``folder``/evaluation.json (always, last).

    A failure while writing the outputs (a defect of ours) fails the sample alone: its partial outputs are
    removed and evaluation.json says why, so the cohort pages are still written. ``ctx``: the resources
    already loaded (a batch job shares one among its samples, :mod:`mmrisk.batch`).
    """
    outcome = evaluate(sample, config, sheet, ctx)
    status = outcome.to_json()
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / EVALUATION).unlink(missing_ok=True)
    if outcome.result is not None:
        try:
            write_sample_outputs(outcome.result, status["result"], folder, patient_page)
        except Exception as exc:  # a defect of ours must not take the cohort down with it
            log.error("%s: internal error while writing its outputs\n%s", sample.sample, traceback.format_exc())
            remove_outputs(folder)
            status = Outcome(sample, error=f"internal error while writing the outputs ({type(exc).__name__}: {exc}); "
                                           "please report it").to_json()
    write_atomically(Path(folder) / EVALUATION, dumps_json(status))
    return str(status["status"])


def _read_evaluations(folders: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
    """(folder, its evaluation.json) of each sample folder, in the order given; a folder whose job died
    without one reads as a failed evaluation saying so."""
    return [(f, read_evaluation(f)) for f in folders]


def _evaluations_by_sample(folders: Iterable[str]) -> dict[str, dict[str, Any]]:
    return {status["sample"]: status for _, status in _read_evaluations(folders)}


def _patient_evolution(patient: str, rows: Sequence[Mapping[str, Any]], evaluations: Mapping[str, Mapping[str, Any]],
                       ) -> tuple[list[evolution.Timepoint], dict[str, Any]]:
    """The patient's typed timepoints (each of its evaluations parsed once) and their comparison."""
    tps = evolution.timepoints([evaluations[r["sample"]] for r in rows if r["sample"] in evaluations], rows)
    return tps, evolution.compare(patient, tps)


def run_patient(folders: Iterable[str], rows: Sequence[Mapping[str, Any]], patient: str, html: str,
                table: str, cohort_index: str) -> None:
    """Write a patient's evolution.html and evolution.tsv from its samples' evaluations.

    ``rows``: the patient's samples in time order (``sample``, ``timepoint``, ``collection_date``,
    ``inputs``), as :func:`mmrisk.evolution.patients_with_timepoints` ordered them.
    """
    from .report import render_evolution

    folders = list(folders)
    tps, ev = _patient_evolution(patient, rows, _evaluations_by_sample(folders))
    here = os.path.dirname(html) or "."
    # the samples' folders as the rule names them (its inputs), so that their zip-report ids match
    given = {os.path.basename(os.path.normpath(f)): f for f in folders}
    links = {r["sample"]: reportlinks.link_to_sample(here, given.get(r["sample"]) or os.path.join(
        os.path.dirname(os.path.dirname(here)), "samples", r["sample"])) for r in rows}
    ordering = ("collection date" if all(r.get("collection_date") for r in rows)
                else "order in the sample sheet (not every sample has a collection date)")
    Path(html).parent.mkdir(parents=True, exist_ok=True)
    Path(html).write_text(render_evolution(ev, tps, links, ordering, reportlinks.link(here, cohort_index),
                                           report_self=reportlinks.report_place(html)), encoding="utf-8")
    Path(table).write_text(tsv(evolution.evolution_rows(ev), evolution.TSV_COLUMNS), encoding="utf-8")
    log.info("%s: %d timepoints; %s", patient, len(rows), ev["summary"])


def _patient_rows(patients: Mapping[str, Sequence[Mapping[str, Any]]], folders: Mapping[str, str],
                  index_dir: str) -> Iterator[dict[str, Any]]:
    """The cohort page's row of each patient with several samples, one patient at a time: its samples'
    evaluations (``folders``: sample → folder) are read again here and dropped after its row, so the job
    never holds more than one patient's evaluations."""
    for patient, prow in patients.items():
        evs = {r["sample"]: read_evaluation(folders[r["sample"]], r["sample"]) for r in prow if r["sample"] in folders}
        tps, ev = _patient_evolution(patient, prow, evs)
        yield {"patient": patient, "timepoints": [f"{t.label} ({t.sample})" for t in tps], "summary": ev["summary"],
               "link": reportlinks.link(index_dir, os.path.join(os.path.dirname(index_dir), "patients", patient,
                                                                "evolution.html"))}


def run_cohort(folders: Iterable[str], summary: str, index: str, multiqc: str | None = None,
               patients: Mapping[str, Sequence[Mapping[str, Any]]] | None = None) -> None:
    """Write cohort/summary.tsv, cohort/index.html and the MultiQC table from every sample's evaluation.

    ``patients``: patients with two or more samples and their samples in time order; the cohort page
    lists them with a one-line summary of what changed and a link to their evolution page.

    One sample at a time (a cohort may have tens of thousands): each evaluation.json is read and reduced to
    its summary row, which goes at once to the two tables and to the page's tally
    (:class:`mmrisk.cohortpage.Tally`); the page is then written as a stream, so the job's memory does not
    grow with the cohort. Each file is written beside its place and moved there when complete.
    """
    from .report import cohort_page_parts, cohort_tally, multiqc_head, multiqc_line

    by_sample = {os.path.basename(os.path.normpath(f)): f for f in folders}
    index_dir = os.path.dirname(index) or "."
    Path(summary).parent.mkdir(parents=True, exist_ok=True)
    targets = [summary, index] + ([multiqc] if multiqc else [])
    parts = {t: f"{t}.part" for t in targets}
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as spill, \
            open(parts[summary], "w", encoding="utf-8") as table, \
            open(parts.get(multiqc or "", os.devnull), "w", encoding="utf-8") as mqc:
        tally = cohort_tally(len(by_sample), spill)
        table.write(tsv_header(SUMMARY_COLUMNS))
        mqc.write(multiqc_head())
        for sample in sorted(by_sample):
            status = read_evaluation(by_sample[sample])
            row = summary_row(status, status.get("result") if status["status"] == "ok" else None, status.get("error"))
            row["link"], row["report_link"] = reportlinks.link_to_sample(index_dir, by_sample[sample])
            table.write(tsv_row(row, SUMMARY_COLUMNS))
            mqc.write(multiqc_line(row))
            tally.add(row)
        with open(parts[index], "w", encoding="utf-8") as page:
            page.writelines(cohort_page_parts(tally, patients=_patient_rows(patients or {}, by_sample, index_dir),
                                              has_patients=bool(patients), report_self=reportlinks.report_place(index)))
    for target in targets:
        os.replace(parts[target], target)
    failed = [r["sample"] for r in tally.failed]
    log.info("cohort: %d samples, %d failed%s", tally.n, len(failed), f" ({', '.join(failed)})" if failed else "")
