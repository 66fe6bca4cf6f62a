"""VAF and depth of one ALT allele from one sample's FORMAT values, whatever the caller.

:func:`allele_vaf` reads, in this order: ``AF`` (Mutect2), ``VAF`` (DeepVariant/DeepSomatic),
``FA`` (MuTect1), ``FREQ`` (VarScan, ``48.7%``); then allele counts: Strelka tier-1
``AU/CU/GU/TU`` (SNVs: alt/(ref+alt) base counts) and ``TAR/TIR`` (indels), VarScan ``RD/AD``,
``AD`` (ref,alt..; alt/sum, or alt/DP when the ref count is missing). Depth is ``DP``, else the
allele counts' sum. The VAF is clamped to [0, 1]. :func:`sample_format` splits a record line's
first sample column by its FORMAT keys.
"""

from __future__ import annotations

from typing import Mapping, Sequence


def _nums(text: str | None) -> list[float | None]:
    out: list[float | None] = []
    for x in (text or "").split(","):
        x = x.strip().rstrip("%")
        try:
            out.append(float(x))
        except ValueError:
            out.append(None)
    return out


def allele_vaf(fmt: Mapping[str, str], ref: str, alts: Sequence[str], i: int) -> tuple[float | None, int | None, str | None]:
    """(VAF, depth, FORMAT field used) of ALT number ``i`` (0-based) in one sample's FORMAT values."""
    n = len(alts)
    alt = alts[i]
    dp_vals = _nums(fmt.get("DP"))
    depth = int(dp_vals[0]) if dp_vals and dp_vals[0] is not None else None
    vaf: float | None = None
    used: str | None = None

    for key in ("AF", "VAF", "FA"):
        if key in fmt:
            vals = _nums(fmt[key])
            if len(vals) == n and vals[i] is not None:
                vaf, used = vals[i], key
                break
    if vaf is None and "FREQ" in fmt:  # VarScan: '48.7%'
        vals = _nums(fmt["FREQ"])
        if len(vals) == n and vals[i] is not None:
            vaf, used = vals[i] / 100.0, "FREQ"
    counts: tuple[float, float] | None = None  # (ref count, alt count)
    bases = {b: _nums(fmt.get(f"{b}U")) for b in "ACGT"}
    if all(f"{b}U" in fmt for b in "ACGT") and len(ref) == 1 and len(alt) == 1 and ref.upper() in bases \
            and alt.upper() in bases:
        r, a = bases[ref.upper()][0], bases[alt.upper()][0]
        if r is not None and a is not None:
            counts, src = (r, a), "AU/CU/GU/TU"
            if depth is None:
                depth = int(sum(v[0] or 0 for v in bases.values()))
    elif "TAR" in fmt and "TIR" in fmt:
        r, a = _nums(fmt["TAR"])[0], _nums(fmt["TIR"])[0]
        if r is not None and a is not None:
            counts, src = (r, a), "TAR/TIR"
    elif "AD" in fmt:
        ad = _nums(fmt["AD"])
        if len(ad) == 1 and "RD" in fmt:  # VarScan: AD = alt reads, RD = ref reads
            r = _nums(fmt["RD"])[0]
            if ad[0] is not None and r is not None:
                counts, src = (r, ad[0]), "RD/AD"
        elif len(ad) == n + 1 and ad[i + 1] is not None:
            a = ad[i + 1]
            if all(x is not None for x in ad):
                total = sum(x for x in ad if x is not None)
                if depth is None:
                    depth = int(total)
                if vaf is None and total > 0:
                    vaf, used = a / total, "AD"
            elif vaf is None and depth:
                vaf, used = a / depth, "AD/DP"
    if counts is not None:
        r, a = counts
        if depth is None:
            depth = int(r + a)
        if vaf is None and r + a > 0:
            vaf, used = a / (r + a), src
    if vaf is not None:
        vaf = min(1.0, max(0.0, vaf))
    return vaf, depth, used


def sample_format(line: str) -> dict[str, str]:
    """The first sample's FORMAT values of a VCF record line, by key (``{}`` for a sites-only line)."""
    cols = line.rstrip("\n").split("\t")
    if len(cols) < 10:
        return {}
    keys = cols[8].split(":")
    vals = cols[9].split(":")
    return {k: (vals[j] if j < len(vals) else ".") for j, k in enumerate(keys)}


__all__ = ["allele_vaf", "sample_format"]
