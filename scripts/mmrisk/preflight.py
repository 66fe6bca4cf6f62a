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


def preflight(cohort: Cohort, config: Mapping[str, Any]) -> Iterator[str]:
    """Yield one line per problem that will fail a sample."""
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
        for p in table.file_problems:
            yield f"samples {', '.join(samples)} will fail: {p}"
        for sid in samples:
            for p in table.problems_by_sample.get(sid, []):
                yield f"sample {sid} will fail: {p}"
    clinical = ctx.clinical
    if clinical is not None:
        for p in clinical.file_problems:
            yield f"every sample will fail: {p}"
        for sid in cohort.samples:
            for p in clinical.problems_by_sample.get(sid, []):
                yield f"sample {sid} will fail: {p}"
