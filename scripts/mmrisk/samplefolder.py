"""A sample's results folder: its file names, and the failed evaluation written when a job dies.

``evaluation.json`` is written last and atomically (a temporary file renamed into place), so a
folder that holds it holds a complete outcome: ``ok`` with every output file, or ``failed`` with
the reason and no outputs. Standard library only: the supervising parent of a job uses it
without importing the evaluation's dependencies.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

EVALUATION = "evaluation.json"
#: The outputs of a sample that did not fail (removed again when writing them fails).
OUTPUT_FILES: tuple[str, ...] = ("risk.json", "lesions.tsv", "variants.tsv", "report.html")


def write_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def remove_outputs(folder: str | Path) -> None:
    """Remove a sample's output files (what a failed writer or a dead process may have left)."""
    for name in OUTPUT_FILES:
        (Path(folder) / name).unlink(missing_ok=True)


def failed_evaluation(row: Mapping[str, Any], error: str) -> dict[str, Any]:
    """The evaluation.json object of a failed sample (``row``: the sample's sheet fields)."""
    return {"sample": row.get("sample"), "patient": row.get("patient"), "timepoint": row.get("timepoint"),
            "status": "failed", "error": error}


def death_error(row: Mapping[str, Any], reason: str | None) -> str:
    """The error of a sample whose evaluation process died (``reason``: how; None: it wrote no evaluation.json),
    with the sample's input files."""
    inputs = ", ".join(f"{k} {v}" for k in ("snv_vcf", "sv_vcf", "cnv", "fish") if (v := row.get(k)))
    return f"{reason or 'the evaluation process ended without writing evaluation.json'}; inputs: {inputs or 'none'}"


def record_failure(row: Mapping[str, Any], folder: str | Path, error: str) -> None:
    """Leave ``folder`` as a failed sample's folder: no outputs, evaluation.json saying why."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    remove_outputs(folder)
    write_atomically(Path(folder) / EVALUATION,
                     json.dumps(failed_evaluation(row, error), indent=2, ensure_ascii=False) + "\n")


def read_evaluation(folder: str | Path, sample: str | None = None) -> dict[str, Any]:
    """A folder's evaluation.json; a missing or unreadable one is reported as a failed evaluation of
    ``sample`` (the cohort pages are written whatever happened to one sample's job)."""
    path = Path(folder) / EVALUATION
    sid = sample or Path(folder).name
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return failed_evaluation({"sample": sid}, "its job ended without writing evaluation.json (see its log "
                                                  f"logs/samples/{sid}.log and its batch's under logs/evaluate_batch/)")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return failed_evaluation({"sample": sid}, f"its evaluation.json cannot be read ({exc})")
    if not isinstance(doc, dict) or doc.get("status") not in ("ok", "failed") or "sample" not in doc:
        return failed_evaluation({"sample": sid}, "its evaluation.json is not an evaluation (no status or sample)")
    return doc


__all__ = ["EVALUATION", "OUTPUT_FILES", "death_error", "failed_evaluation", "read_evaluation", "record_failure", "remove_outputs",
           "write_atomically"]
