"""The Hartwig family (GRIDSS, ESVEE, PURPLE-annotated SV VCFs): support is the variant fragment count.

``VF`` for a junction, ``BVF`` for a single breakend where given (tumour column first, then INFO),
reported as that count (not as split reads or read pairs). The three share one layout and differ
only in the header text that names them.
"""

from __future__ import annotations

from .base import Dialect, Fields, Support, first_int


def support(f: Fields) -> Support:
    key = "BVF" if f.single and f.get("BVF") is not None else "VF"
    v = first_int(f.get(key))
    return Support(other=((key, float(v)),) if v is not None else ())


GRIDSS = Dialect("GRIDSS", ("gridss",), support)
ESVEE = Dialect("ESVEE", ("esvee",), support)
PURPLE = Dialect("PURPLE", ("purple",), support)
