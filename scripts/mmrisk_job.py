#!/usr/bin/env python3
"""Command-line entry of the workflow's per-sample and per-patient jobs (see ``mmrisk_job.py --help``).

The rules call this through ``shell:`` rather than ``script:`` so that a job does not import
Snakemake itself (a fifth of a job's cost in a cohort of small samples; README "Performance").
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from mmrisk.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
