"""The steps the workflow's rules run, as plain functions of paths.

Each rule's script in ``scripts/`` is a thin adapter that unpacks Snakemake's
``snakemake`` object and calls one function here; tests call them directly.
"""

from __future__ import annotations

import json
import logging
import os
import traceback
from pathlib import Path
from typing import Any, Iterable, Mapping

from .errors import InputError
from .evaluate import Context, evaluate_sample
from .outputs import SUMMARY_COLUMNS, dumps_json, lesions_tsv, summary_row, tsv, variants_tsv, write_risk_json
from .report import multiqc_table, render_cohort, render_sample
from .sheet import Sample

log = logging.getLogger("mmrisk")


def setup_logging(path: str | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(path, mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", handlers=handlers,
                        force=True)


def run_evaluate(sample: Sample, config: Mapping[str, Any], sheet: str, out: str) -> str:
    """Evaluate one sample and write ``evaluation.json``: the result, or the reason it failed.

    Problems with this sample's inputs never raise: they are recorded so that
    the sample fails alone and the rest of the cohort is still reported.
    """
    ctx = Context(config)
    status: dict[str, Any] = {"sample": sample.sample, "patient": sample.patient, "timepoint": sample.timepoint}
    try:
        doc = evaluate_sample(sample, ctx, sheet)
        status.update(status="ok", result=doc)
        log.info("%s: evaluated (%d warnings)", sample.sample, len(doc["warnings"]))
    except InputError as exc:
        status.update(status="failed", error=exc.summary())
        log.error("%s: failed: %s", sample.sample, exc.summary())
    except Exception as exc:  # a defect of ours must not take the cohort down with it
        status.update(status="failed", error=f"internal error ({type(exc).__name__}: {exc}); please report it")
        log.error("%s: internal error\n%s", sample.sample, traceback.format_exc())
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(dumps_json(status), encoding="utf-8")
    return str(status["status"])


def run_sample_outputs(evaluation: str, risk_json: str, lesions: str, variants: str, report: str) -> None:
    """Write risk.json (schema-validated), lesions.tsv, variants.tsv and report.html of one evaluated sample."""
    status = json.loads(Path(evaluation).read_text(encoding="utf-8"))
    if status["status"] != "ok":
        raise RuntimeError(f"{evaluation}: sample failed, no outputs to write: {status.get('error')}")
    doc = status["result"]
    write_risk_json(doc, risk_json)
    Path(lesions).write_text(lesions_tsv(doc), encoding="utf-8")
    Path(variants).write_text(variants_tsv(doc), encoding="utf-8")
    Path(report).write_text(render_sample(doc), encoding="utf-8")
    log.info("%s: wrote %s, %s, %s", doc["sample"], risk_json, lesions, report)


def run_cohort(evaluations: Iterable[str], summary: str, index: str, multiqc: str | None = None) -> None:
    """Write cohort/summary.tsv, cohort/index.html and the MultiQC table from every sample's evaluation."""
    rows = []
    index_dir = os.path.dirname(index) or "."
    for path in evaluations:
        status = json.loads(Path(path).read_text(encoding="utf-8"))
        doc = status.get("result") if status["status"] == "ok" else None
        row = summary_row(status, doc, status.get("error"))
        row["link"] = os.path.relpath(os.path.join(os.path.dirname(path), "report.html"), index_dir)
        rows.append(row)
    rows.sort(key=lambda r: r["sample"])
    Path(summary).parent.mkdir(parents=True, exist_ok=True)
    Path(summary).write_text(tsv(rows, SUMMARY_COLUMNS), encoding="utf-8")
    Path(index).write_text(render_cohort(rows), encoding="utf-8")
    if multiqc:
        Path(multiqc).write_text(multiqc_table(rows), encoding="utf-8")
    failed = [r["sample"] for r in rows if r["status"] != "ok"]
    log.info("cohort: %d samples, %d failed%s", len(rows), len(failed), f" ({', '.join(failed)})" if failed else "")
