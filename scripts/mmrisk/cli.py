"""``mmrisk_job.py``: the per-sample and per-patient jobs as commands (what the rules run).

    mmrisk_job.py sample --sample-json JSON (--config-file PATH | --config-json JSON) --sheet PATH --out DIR
                         [--patient-page PATH] [--memory-mb MB] [--runtime-min MIN] [--log PATH]
    mmrisk_job.py batch --members PATH --config-file PATH --sheet PATH --manifest PATH [--memory-mb MB]
                        [--runtime-min MIN] [--batch-runtime-min MIN] [--timings PATH] [--log PATH]
    mmrisk_job.py patient --patient ID --rows-json JSON --html PATH --tsv PATH --cohort-index PATH [--log PATH] FOLDER...

``--sample-json`` is the sample's sheet row as ``Sample.job_params()`` gives it; the validated
configuration comes as a file (``--config-file``, what the rules pass: a configuration never meets
the command-line length limit) or as JSON. Both are written by the rules.

The sample's evaluation runs in a child process under ``--memory-mb`` and ``--runtime-min``
(:mod:`mmrisk.supervise`). Whatever happens to it (a bad input, a defect of ours, a library that
crashes on a malformed record, memory exhausted, the time limit), ``evaluation.json`` is written:
``ok``, or ``failed`` with the reason, and the job exits with status 0, so a broken sample never
stops the cohort or its pages.

``batch`` evaluates the samples of one batch in this process, each in its own supervised child, and
writes their patients' pages (:mod:`mmrisk.batch`); ``--members`` is the batch's file that the workflow
writes (its samples, their folders, logs and files, its patients).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from .joblog import setup_logging
from .samplefolder import EVALUATION, death_error, record_failure
from .supervise import supervise

log = logging.getLogger("mmrisk")

#: The share of the job's runtime after which the evaluation is stopped (the rest leaves time to record it).
STOP_AT = 0.9


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="mmrisk_job.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", help="evaluate one sample and write its folder")
    s.add_argument("--sample-json", required=True, help="the sample's sheet row (JSON object)")
    cfg = s.add_mutually_exclusive_group(required=True)
    cfg.add_argument("--config-file", help="the validated configuration (a JSON file)")
    cfg.add_argument("--config-json", help="the validated configuration (JSON object)")
    s.add_argument("--sheet", required=True, help="the sample sheet (named in messages)")
    s.add_argument("--out", required=True, help="the sample's results folder")
    s.add_argument("--patient-page", default="", help="the patient's evolution page, linked from the report")
    s.add_argument("--memory-mb", type=int, default=0,
                   help="address-space limit of the evaluation in MB (0: none)")
    s.add_argument("--runtime-min", type=float, default=0,
                   help="the job's wall-clock limit in minutes (0: none); the evaluation is stopped at "
                        f"{STOP_AT:.0%} of it, so that its failure is recorded before a scheduler's own kill")
    s.add_argument("--time-limit-s", type=float, default=0,
                   help="wall-clock limit of the evaluation in seconds (overrides --runtime-min)")
    s.add_argument("--log", help="log file")
    b = sub.add_parser("batch", help="evaluate the samples of one batch and write their folders")
    b.add_argument("--members", required=True, help="the batch's members file (JSON, written by the workflow)")
    b.add_argument("--config-file", required=True, help="the validated configuration (a JSON file)")
    b.add_argument("--sheet", required=True, help="the sample sheet (named in messages)")
    b.add_argument("--manifest", required=True, help="the batch's manifest, written when the job succeeds")
    b.add_argument("--memory-mb", type=int, default=0, help="address-space limit of each evaluation in MB")
    b.add_argument("--runtime-min", type=float, default=0, help="wall-clock limit of each sample in minutes")
    b.add_argument("--batch-runtime-min", type=float, default=0, help="the job's wall-clock limit in minutes")
    b.add_argument("--timings", help="a table of each evaluated sample's time and peak memory")
    b.add_argument("--log", help="log file")
    p = sub.add_parser("patient", help="a patient's evolution.html and evolution.tsv")
    p.add_argument("--patient", required=True)
    p.add_argument("--rows-json", required=True, help="the patient's samples in time order (JSON list)")
    p.add_argument("--html", required=True)
    p.add_argument("--tsv", required=True)
    p.add_argument("--cohort-index", required=True, help="the cohort page, linked from the patient page")
    p.add_argument("--log", help="log file")
    p.add_argument("folders", nargs="+", help="the results folders of the patient's samples")
    return ap


def _sample_job(args: argparse.Namespace) -> None:
    row: dict[str, Any] = json.loads(args.sample_json)
    config = (json.loads(Path(args.config_file).read_text(encoding="utf-8")) if args.config_file
              else json.loads(args.config_json))
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / EVALUATION).unlink(missing_ok=True)

    def work() -> None:
        from .entry import run_sample
        from .sheet import Sample

        run_sample(Sample(**row), config, args.sheet, args.out, patient_page=args.patient_page or None)

    time_s = args.time_limit_s or args.runtime_min * 60 * STOP_AT
    death = supervise(work, memory_mb=args.memory_mb or None, time_s=time_s or None)
    if death is None and (folder / EVALUATION).is_file():
        return
    error = death_error(row, death.reason if death else None)
    log.error("%s: failed: %s", row.get("sample"), error)
    record_failure(row, folder, error)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging(args.log)
    if args.command == "sample":
        _sample_job(args)
    elif args.command == "batch":
        from .batch import Limits, run_batch

        limits = Limits(args.memory_mb or None, args.runtime_min * 60 * STOP_AT or None,
                        args.batch_runtime_min * 60 * STOP_AT or None)
        return run_batch(json.loads(Path(args.members).read_text(encoding="utf-8")),
                         json.loads(Path(args.config_file).read_text(encoding="utf-8")), args.sheet, args.manifest,
                         limits, args.timings)
    else:
        from .entry import run_patient

        run_patient(args.folders, json.loads(args.rows_json), args.patient, args.html, args.tsv, args.cohort_index)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
