"""LUMPY: support is ``SR`` (split reads) and ``PE`` (read pairs), with the total ``SU`` kept as well."""

from __future__ import annotations

from .base import Dialect, Fields, Support, first_int


def support(f: Fields) -> Support:
    su = first_int(f.get("SU"))
    return Support(first_int(f.get("SR")), first_int(f.get("PE")), (("SU", float(su)),) if su is not None else ())


LUMPY = Dialect("LUMPY", ("lumpy",), support)
