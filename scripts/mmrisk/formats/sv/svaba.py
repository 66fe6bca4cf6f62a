"""SvABA: support is ``SR`` (split reads) and ``DR`` (discordant read pairs), with ``AD`` kept as well."""

from __future__ import annotations

from .base import Dialect, Fields, Support, first_int


def support(f: Fields) -> Support:
    ad = first_int(f.get("AD"))
    return Support(first_int(f.get("SR")), first_int(f.get("DR")), (("AD", float(ad)),) if ad is not None else ())


SVABA = Dialect("SvABA", ("svaba",), support)
