"""``mmrisk_job.py``: the per-sample and per-patient jobs as commands (what the rules run).

    mmrisk_job.py sample --sample-json JSON --config-json JSON --sheet PATH --out DIR [--patient-page PATH] [--log PATH]
    mmrisk_job.py patient --patient ID --rows-json JSON --html PATH --tsv PATH --cohort-index PATH [--log PATH] FOLDER...

``--sample-json`` is the sample's sheet row as ``Sample.job_params()`` gives it, ``--config-json`` the
validated configuration; both are written by the rules. Exit status 0 also when the sample failed
(its evaluation.json says why): a broken sample must not stop the cohort.
"""

from __future__ import annotations

import argparse
import json
import sys

from .entry import run_patient, run_sample, setup_logging
from .sheet import Sample


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="mmrisk_job.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", help="evaluate one sample and write its folder")
    s.add_argument("--sample-json", required=True, help="the sample's sheet row (JSON object)")
    s.add_argument("--config-json", required=True, help="the validated configuration (JSON object)")
    s.add_argument("--sheet", required=True, help="the sample sheet (named in messages)")
    s.add_argument("--out", required=True, help="the sample's results folder")
    s.add_argument("--patient-page", default="", help="the patient's evolution page, linked from the report")
    s.add_argument("--log", help="log file")
    p = sub.add_parser("patient", help="a patient's evolution.html and evolution.tsv")
    p.add_argument("--patient", required=True)
    p.add_argument("--rows-json", required=True, help="the patient's samples in time order (JSON list)")
    p.add_argument("--html", required=True)
    p.add_argument("--tsv", required=True)
    p.add_argument("--cohort-index", required=True, help="the cohort page, linked from the patient page")
    p.add_argument("--log", help="log file")
    p.add_argument("folders", nargs="+", help="the results folders of the patient's samples")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging(args.log)
    if args.command == "sample":
        sample = Sample(**json.loads(args.sample_json))
        run_sample(sample, json.loads(args.config_json), args.sheet, args.out, patient_page=args.patient_page or None)
    else:
        run_patient(args.folders, json.loads(args.rows_json), args.patient, args.html, args.tsv, args.cohort_index)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
