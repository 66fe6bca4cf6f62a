"""The end of a run: what failed and where to read why (standard library only).

:func:`closing_lines` reads ``cohort/summary.tsv`` (one row per sample of the cohort, written by
the cohort job, or by the run's error handler when a job died) and says how many samples were
evaluated, how many failed, which, and where the reasons are. The workflow logs these lines when
a run ends, locally or on a cluster (Snakemake's ``onsuccess``/``onerror`` run in the main process).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

#: How many failed samples the closing lines name one by one (the rest are counted).
SHOWN_FAILURES = 20


def this_run_line(counts: Mapping[str, int] | None) -> str:
    """What this run's batch jobs did (``counts``: ``evaluated``, ``up_to_date``, :func:`mmrisk.batch.run_summary`)."""
    if counts is None:
        return "mmrisk: this run evaluated no sample (every batch was up to date)"
    n = counts["evaluated"]
    return (f"mmrisk: this run evaluated {n} sample{'' if n == 1 else 's'}; {counts['up_to_date']} in the batches "
            "it ran were up to date (inputs, configuration, knowledge base and code unchanged) and were kept")


def closing_lines(summary: str | Path, index: str | Path, *, jobs_failed: bool = False,
                  this_run: Mapping[str, int] | None | bool = False) -> list[str]:
    """The closing lines of a run from its cohort summary; ``this_run``: what its batch jobs did (False: not said)."""
    path = Path(summary)
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        return [f"mmrisk: no cohort summary ({path}: {exc}); see the Snakemake log for what failed"]
    failed = [r for r in rows if (r.get("status") or "") != "ok"]
    head = f"mmrisk: {len(rows)} samples, {len(rows) - len(failed)} evaluated, {len(failed)} failed"
    lines = [head + ("." if not failed else ":")]
    for r in failed[:SHOWN_FAILURES]:
        reason = (r.get("status") or "failed").removeprefix("failed: ")
        lines.append(f"  {r.get('sample')}: {reason if len(reason) <= 160 else reason[:157] + '...'}")
    if len(failed) > SHOWN_FAILURES:
        lines.append(f"  ... and {len(failed) - SHOWN_FAILURES} more")
    lines.append(f"mmrisk: why, per sample: {path} (column status) and {index}")
    if this_run is not False:
        lines.append(this_run_line(None if this_run is True else this_run))
    if jobs_failed:
        lines.append("mmrisk: some jobs of this run failed (see Snakemake's messages above); the cohort pages were "
                     "written from the samples that have an evaluation")
    return lines


__all__ = ["SHOWN_FAILURES", "closing_lines", "this_run_line"]
