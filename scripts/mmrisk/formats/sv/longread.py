"""Long-read callers (Sniffles, Severus): support is one count of supporting reads.

The first of ``DV``, ``RE``, ``SUPPORT`` that is given (tumour column first, then INFO). A record
of a file whose header names no caller is Sniffles when its ``INFO/SVMETHOD`` says so.
"""

from __future__ import annotations

from .base import Dialect, Fields, Support, first_int


def support(f: Fields) -> Support:
    for key in ("DV", "RE", "SUPPORT"):
        v = first_int(f.get(key))
        if v is not None:
            return Support(other=((key, float(v)),))
    return Support()


SNIFFLES = Dialect("Sniffles", ("sniffles",), support, svmethod_keys=("sniffles",))
SEVERUS = Dialect("Severus", ("severus",), support)
