"""Delly: support is the tumour column's ``DV`` (read pairs) and ``RV`` (split reads), else INFO ``PE``/``SR``.

A record of a file whose header names no caller is Delly when its ``INFO/SVMETHOD`` says so
(``EMBL.DELLYv1.1.6``). Delly's ``INFO/CT`` connection type is appended to the orientation of
a bracket breakend.
"""

from __future__ import annotations

from typing import Mapping

from .base import Dialect, Fields, Support, first_int


def support(f: Fields) -> Support:
    # unlike the other dialects, only "." (not an empty value) in the tumour column falls back to INFO
    paired = first_int(f.fmt.get("DV")) if f.fmt.get("DV") not in (None, ".") else first_int(f.info.get("PE"))
    split = first_int(f.fmt.get("RV")) if f.fmt.get("RV") not in (None, ".") else first_int(f.info.get("SR"))
    return Support(split, paired)


def breakend_note(orientation: str, info: Mapping[str, str | bool]) -> str:
    """A bracket breakend's orientation with Delly's connection type, e.g. ``t]p] (CT=3to5)``."""
    ct = info.get("CT")
    return f"{orientation} (CT={ct})" if isinstance(ct, str) else orientation


DELLY = Dialect("Delly", ("delly",), support, svmethod_keys=("delly",), breakend_note=breakend_note)
