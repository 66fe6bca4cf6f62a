"""Files whose header names no known caller: every common support key is tried.

Split reads from the first of ``SR``/``RV``, read pairs from the first of ``PE``/``PR``/``DV``
(a ``ref,alt`` pair counts its alt), and each of ``VF``, ``SU``, ``RE``, ``SUPPORT`` that is given
as an other count. This dialect is the fallback, not a registry row: it is never recognised.
"""

from __future__ import annotations

from .base import GENERIC, Dialect, Fields, Support, alt_count, first_int


def support(f: Fields) -> Support:
    split = paired = None
    for key, slot in (("SR", "s"), ("PE", "p"), ("PR", "p"), ("RV", "s"), ("DV", "p")):
        v = alt_count(f.get(key))
        if v is None:
            continue
        if slot == "s" and split is None:
            split = v
        elif slot == "p" and paired is None:
            paired = v
    other = []
    for key in ("VF", "SU", "RE", "SUPPORT"):
        v = first_int(f.get(key))
        if v is not None:
            other.append((key, float(v)))
    return Support(split, paired, tuple(other))


GENERIC_DIALECT = Dialect(GENERIC, (), support)
