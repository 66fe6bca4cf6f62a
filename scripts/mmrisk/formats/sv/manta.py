"""Manta (Illumina): ``##source=GenerateSVCandidates``; support is FORMAT ``SR``/``PR`` as ``ref,alt`` pairs.

Split reads are the alt count of ``SR``, read pairs the alt count of ``PR`` (tumour column first, then
INFO).
"""

from __future__ import annotations

from .base import Dialect, Fields, Support, alt_count


def support(f: Fields) -> Support:
    return Support(alt_count(f.get("SR")), alt_count(f.get("PR")))


MANTA = Dialect("Manta", ("manta", "generatesvcandidates"), support)
