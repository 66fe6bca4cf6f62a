"""Which batch each sample belongs to (standard library only: the workflow reads it at parse time).

The samples of a cohort are evaluated in batches, one job per batch (rule ``evaluate_batch``,
:mod:`mmrisk.batch`). Membership must be stable: adding one sample to a cohort must change one
batch, not renumber them all, so that Snakemake reruns one job. A sample goes to the batch given by
a hash of its **patient** id (the sample id when the sheet names no patient) modulo the number of
batches; all samples of a patient therefore share a batch, whose job also writes the patient's
evolution page. The number of batches is the smallest power of two with at most
``limits.batch_size`` samples per batch on average: it changes only when the cohort crosses
``batch_size`` × 2^k samples, and then every batch splits in two (each batch job reruns once; its
samples are up to date and are not evaluated again, :func:`mmrisk.batch.up_to_date`).
"""

from __future__ import annotations

import hashlib
from typing import Mapping


def batch_count(n_samples: int, batch_size: int) -> int:
    """The number of batches: the smallest power of two ``n`` with ``n * batch_size >= n_samples``."""
    n = 1
    while n * max(1, batch_size) < n_samples:
        n *= 2
    return n


def bucket(key: str, n: int) -> int:
    """A stable bucket in ``0..n-1`` of ``key`` (the first 8 bytes of its SHA-256), the same on every machine."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") % n


def batch_name(index: int, n: int) -> str:
    """The batch's name, e.g. ``03-of-16`` (the ``{batch}`` wildcard; its manifest's file name)."""
    return f"{index + 1:0{len(str(n))}d}-of-{n}"


def assign(patient_of: Mapping[str, str], batch_size: int) -> dict[str, list[str]]:
    """Batch name -> its samples (sorted), for the non-empty batches; ``patient_of``: sample -> patient."""
    n = batch_count(len(patient_of), batch_size)
    out: dict[str, list[str]] = {}
    for sample in sorted(patient_of):
        out.setdefault(batch_name(bucket(patient_of[sample], n), n), []).append(sample)
    return dict(sorted(out.items()))


__all__ = ["assign", "batch_count", "batch_name", "bucket"]
