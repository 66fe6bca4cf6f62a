"""Pre-flight: problems that will fail single samples, listed before any job runs.

The sample sheet and the configuration are checked strictly (a problem there
stops the run). Problems inside a sample's own files only fail that sample;
this module finds the ones that can be seen cheaply up front (missing files,
bad FISH or clinical rows) so the user sees all of them at once, at the start.
"""

from __future__ import annotations

import os
from typing import Any, Iterator, Mapping

from .evaluate import Context
from .errors import InputError
from .fish import read_fish_table
from .sheet import Cohort


def _names(samples: list[str], shown: int = 5) -> str:
    """``samples A, B, C and 7 more``: the samples sharing a table, not a line per cohort member."""
    more = f" and {len(samples) - shown} more" if len(samples) > shown else ""
    return ("sample " if len(samples) == 1 else "samples ") + ", ".join(samples[:shown]) + more


def preflight(cohort: Cohort, config: Mapping[str, Any]) -> Iterator[str]:
    """Yield one line per problem that will fail a sample, and the notes of the sheet and tables.

    Notes: the sample sheet's unknown columns (:attr:`Cohort.notes`), the FISH and clinical
    tables' unknown columns and rows that name no valid sample (each with its file and line).
    """
    yield from cohort.notes
    ctx = Context(config)
    try:
        targets, probes, drugs = ctx.targets, ctx.probes, ctx.drugs
    except InputError as exc:  # a broken resource table fails every sample: say so now
        yield f"a resource table is invalid; every sample will fail: {exc.summary()}"
        return
    del drugs
    fish_files: dict[str, list[str]] = {}
    for s in cohort.samples.values():
        for kind, path in s.inputs().items():
            if not os.path.isfile(path):
                yield f"sample {s.sample} will fail: {kind} file not found: {path}"
            elif kind == "fish":
                fish_files.setdefault(path, []).append(s.sample)
    for path, samples in fish_files.items():
        table = read_fish_table(path, targets, probes)
        for w in table.warnings:
            yield f"{_names(samples)}: {w}"
        for p in table.file_problems:
            yield f"{_names(samples)} will fail: {p}"
        for sid in samples:
            for p in table.problems_by_sample.get(sid, []):
                yield f"sample {sid} will fail: {p}"
    clinical = ctx.clinical
    if clinical is not None:
        yield from clinical.warnings
        for p in clinical.file_problems:
            yield f"every sample will fail: {p}"
        for sid in cohort.samples:
            for p in clinical.problems_by_sample.get(sid, []):
                yield f"sample {sid} will fail: {p}"
    lines = ctx.treatment_lines
    if lines is not None:
        yield from lines.warnings
        for p in lines.file_problems:
            yield f"every sample will fail: {p}"
        for s in cohort.samples.values():
            for p in lines.problems_by_patient.get(s.patient, []):
                yield f"sample {s.sample} (patient {s.patient}) will fail: {p}"
        without = sorted({s.patient for s in cohort.samples.values()} - set(lines.lines_by_patient)
                         - set(lines.problems_by_patient))
        if without and not lines.file_problems:
            names = ", ".join(without[:5]) + (f" and {len(without) - 5} more" if len(without) > 5 else "")
            yield (f"the lines-of-therapy table {lines.path} has no line for patient{'s' if len(without) > 1 else ''} "
                   f"{names}: their disease course is not assessed")
