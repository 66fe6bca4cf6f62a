"""The one relation between purity, copy number, log2 ratios, allele fractions and cell fractions.

A sample of purity ``p`` (tumour cell fraction) whose tumour cells carry ``CN`` copies of a
segment and whose normal cells carry 2 has ``p·CN + 2(1−p)`` copies per average cell. From it:

- log2 ratio against a tumour of ploidy ``P``: ``r = (p·CN + 2(1−p)) / (p·P + 2(1−p))``
  (:func:`copies_to_log2`, :func:`log2_to_copies`);
- a single-copy loss (gain) in a fraction ``f`` of the tumour cells gives purity-adjusted copies
  ``2 − f`` (``2 + f``) (:func:`single_copy_fraction`), the lesion fraction of a copy-number call;
- a variant on one of ``CN`` copies in a fraction ``c`` of the tumour cells has
  ``VAF = p·c / (p·CN + 2(1−p))``, so its cancer cell fraction is
  ``c = VAF·(p·CN + 2(1−p)) / p`` (:func:`ccf`), used by the clonal-evolution view.

Copy-number lesions and clonal evolution use these functions, never a copy of the formula.
"""

from __future__ import annotations

import math
from typing import Literal

#: copies assumed where no copy-number call covers a variant's gene
DEFAULT_COPIES = 2.0


def cells_copies(copies: float, purity: float) -> float:
    """Copies per average cell of the sample: ``p·CN + 2(1−p)``."""
    return purity * copies + 2.0 * (1.0 - purity)


def copies_to_log2(copies: float, purity: float = 1.0, ploidy: float = 2.0) -> float:
    """Expected log2 ratio of a segment with ``copies`` in the tumour cells; ``-inf`` for a clonal 0 at purity 1."""
    r = cells_copies(copies, purity) / cells_copies(ploidy, purity)
    return math.log2(r) if r > 0 else float("-inf")


def log2_to_copies(log2: float, purity: float = 1.0, ploidy: float = 2.0) -> float:
    """Absolute tumour copies from a log2 ratio: ``CN = (r·(p·P + 2(1−p)) − 2(1−p)) / p``, clipped at 0."""
    if not 0 < purity <= 1:
        raise ValueError(f"purity {purity} outside (0, 1]")
    r = 2.0 ** log2
    cn = (r * cells_copies(ploidy, purity) - 2.0 * (1.0 - purity)) / purity
    return max(cn, 0.0)


def single_copy_fraction(copies: float, direction: Literal["loss", "gain"]) -> float:
    """Fraction of tumour cells with a single-copy loss (gain), from purity-adjusted copies; in [0, 1]."""
    f = 2.0 - copies if direction == "loss" else copies - 2.0
    return round(min(1.0, max(0.0, f)), 3)


def ccf(vaf: float | None, purity: float | None, copies: float | None) -> tuple[float | None, bool]:
    """Cancer cell fraction of a variant on one mutated copy, and whether it was capped at 1.

    ``copies``: the gene's copies in the tumour cells (``DEFAULT_COPIES`` when unknown or 0).
    ``None`` without a VAF or a purity.
    """
    if vaf is None or not purity:
        return None, False
    cn = copies if copies is not None and copies > 0 else DEFAULT_COPIES
    value = vaf * cells_copies(cn, purity) / purity
    return (1.0, True) if value > 1 else (round(value, 3), False)
