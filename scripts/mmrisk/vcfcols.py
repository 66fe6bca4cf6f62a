"""Which sample column of a VCF is the tumour: one rule for every VCF reader.

The contract: the sheet's ``tumor_column`` names the tumour's column in a
multi-sample VCF; otherwise it is detected: Mutect2's ``##tumor_sample``, a
column named ``TUMOR`` (Strelka, VarScan, Delly), the only column, or the one
column whose name says tumour; else an error that names the columns.
"""

from __future__ import annotations

import re
from typing import Sequence

from .errors import InputError, InputProblem


def choose_tumor_column(samples: Sequence[str], header_text: str, tumor_column: str | None,
                        path: str) -> tuple[str | None, str | None]:
    """The tumour's column (None for a sites-only VCF) and a note for the report, if any."""
    if not samples:
        return None, None
    if tumor_column:
        if tumor_column in samples:
            return tumor_column, None
        if len(samples) == 1:
            # tumor_column is for multi-sample files: a single-sample file speaks for itself, but say so
            return samples[0], (f"{path}: its only sample column is {samples[0]!r}, not the sheet's tumor_column "
                                f"{tumor_column!r}; read as the tumour (check the file belongs to this sample)")
        raise InputError([InputProblem(path, "the sheet's tumor_column is not a sample column of the file",
                                       column="tumor_column", value=tumor_column,
                                       expected="one of " + ", ".join(samples))])
    m = re.search(r"^##tumor_sample=(.+)$", header_text, flags=re.M)
    if m and m.group(1).strip() in samples:
        return m.group(1).strip(), None
    for s in samples:
        if s.upper() == "TUMOR":
            return s, None
    if len(samples) == 1:
        return samples[0], None
    named = [s for s in samples if re.search(r"tumou?r", s, flags=re.I)]
    if len(named) == 1:
        return named[0], None
    raise InputError([InputProblem(
        path, f"cannot tell which of the {len(samples)} sample columns is the tumour (no ##tumor_sample header, "
              "no TUMOR column)", column="tumor_column", value=", ".join(samples),
        expected="tumor_column in the sample sheet naming one of them")])
