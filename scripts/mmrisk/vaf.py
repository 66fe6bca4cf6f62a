"""VAF and depth of one ALT allele from one sample's FORMAT values, whatever the caller.

:func:`allele_vaf` reads, in this order: ``AF`` (Mutect2), ``VAF`` (DeepVariant/DeepSomatic),
``FA`` (MuTect1), ``FREQ`` (VarScan, ``48.7%``); then allele counts: Strelka tier-1
``AU/CU/GU/TU`` (SNVs: alt/(ref+alt) base counts) and ``TAR/TIR`` (indels), VarScan ``RD/AD``,
``AD`` (ref,alt..; alt/sum, or alt/DP when the ref count is missing). Depth is ``DP``, else the
allele counts' sum. Every number must be finite: ``nan``/``inf`` count as missing. A frequency outside
[0, 1] (``AF=1.5``) or a negative or fractional depth or read count is never clamped or rounded: it is
refused (the next source is tried, else the VAF or depth is unknown) and, with ``notes``, said in words.
:func:`sample_format` splits a record line's first sample column by its FORMAT keys.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence


def _nums(text: str | None) -> list[float | None]:
    """The comma-separated numbers of a FORMAT value; None for a missing, unparseable or non-finite one."""
    out: list[float | None] = []
    for x in (text or "").split(","):
        x = x.strip().rstrip("%")
        try:
            v = float(x)
        except ValueError:
            out.append(None)
            continue
        out.append(v if math.isfinite(v) else None)
    return out


def _counts(fmt: Mapping[str, str], keys: Sequence[str], notes: list[str] | None) -> dict[str, list[float | None]]:
    """Read counts of ``keys``: each a non-negative whole number, else None (with a note)."""
    out: dict[str, list[float | None]] = {}
    for k in keys:
        vals = _nums(fmt.get(k))
        for j, v in enumerate(vals):
            if v is not None and (v < 0 or v != int(v)):
                if notes is not None:
                    notes.append(f"FORMAT/{k} {fmt.get(k)!r} is not a count (a non-negative whole number): ignored")
                vals[j] = None
        out[k] = vals
    return out


def _fraction(key: str, raw: str, v: float | None, notes: list[str] | None) -> float | None:
    if v is not None and not 0.0 <= v <= 1.0:
        if notes is not None:
            notes.append(f"FORMAT/{key} {raw!r} is not an allele fraction in [0, 1]: not used as the VAF")
        return None
    return v


def allele_vaf(fmt: Mapping[str, str], ref: str, alts: Sequence[str], i: int,
               notes: list[str] | None = None) -> tuple[float | None, int | None, str | None]:
    """(VAF, depth, FORMAT field used) of ALT number ``i`` (0-based) in one sample's FORMAT values.

    ``notes`` collects a sentence for every value refused (out of range, not a count)."""
    n = len(alts)
    alt = alts[i]
    c = _counts(fmt, [k for k in ("DP", "AD", "RD", "TAR", "TIR", "AU", "CU", "GU", "TU") if k in fmt], notes)
    dp_vals = c.get("DP", [])
    depth = int(dp_vals[0]) if dp_vals and dp_vals[0] is not None else None
    vaf: float | None = None
    used: str | None = None

    for key in ("AF", "VAF", "FA"):
        if key in fmt:
            vals = _nums(fmt[key])
            if len(vals) == n and _fraction(key, fmt[key], vals[i], notes) is not None:
                vaf, used = vals[i], key
                break
    if vaf is None and "FREQ" in fmt:  # VarScan: '48.7%'
        vals = _nums(fmt["FREQ"])
        if len(vals) == n and vals[i] is not None and \
                _fraction("FREQ", fmt["FREQ"], vals[i] / 100.0, notes) is not None:
            vaf, used = vals[i] / 100.0, "FREQ"
    counts, src, depth = _allele_counts(fmt, c, ref, alt, n, i, depth)
    if counts is not None:
        r, a = counts
        if depth is None:
            depth = int(r + a)
        if vaf is None and r + a > 0:
            vaf, used = a / (r + a), src
    if vaf is None and counts is None and "AD" in fmt:
        ad = c["AD"]
        if len(ad) == n + 1 and ad[i + 1] is not None and any(x is None for x in ad) and depth:
            if ad[i + 1] <= depth:
                vaf, used = ad[i + 1] / depth, "AD/DP"
            elif notes is not None:
                notes.append(f"FORMAT/AD {fmt['AD']!r} has more ALT reads than DP {depth}: no VAF")
    return vaf, depth, used


def _allele_counts(fmt: Mapping[str, str], c: Mapping[str, list[float | None]], ref: str, alt: str, n: int, i: int,
                   depth: int | None) -> tuple[tuple[float, float] | None, str | None, int | None]:
    """(ref count, alt count), their FORMAT fields, and the depth (their sum where DP is missing)."""
    bases = {b: c.get(f"{b}U", []) for b in "ACGT"}
    if all(f"{b}U" in fmt for b in "ACGT") and len(ref) == 1 and len(alt) == 1 and ref.upper() in bases \
            and alt.upper() in bases:
        r, a = (bases[ref.upper()] or [None])[0], (bases[alt.upper()] or [None])[0]
        if r is not None and a is not None:
            if depth is None:
                depth = int(sum((v[0] if v and v[0] is not None else 0) for v in bases.values()))
            return (r, a), "AU/CU/GU/TU", depth
    elif "TAR" in fmt and "TIR" in fmt:
        r, a = (c["TAR"] or [None])[0], (c["TIR"] or [None])[0]
        if r is not None and a is not None:
            return (r, a), "TAR/TIR", depth
    elif "AD" in fmt:
        ad = c["AD"]
        if len(ad) == 1 and "RD" in fmt:  # VarScan: AD = alt reads, RD = ref reads
            r = (c["RD"] or [None])[0]
            if ad[0] is not None and r is not None:
                return (r, ad[0]), "RD/AD", depth
        elif len(ad) == n + 1 and ad[i + 1] is not None and all(x is not None for x in ad):
            total = sum(x for x in ad if x is not None)
            return (total - ad[i + 1], ad[i + 1]), "AD", depth if depth is not None else int(total)
    return None, None, depth


def sample_format(line: str) -> dict[str, str]:
    """The first sample's FORMAT values of a VCF record line, by key (``{}`` for a sites-only line)."""
    cols = line.rstrip("\n").split("\t")
    if len(cols) < 10:
        return {}
    keys = cols[8].split(":")
    vals = cols[9].split(":")
    return {k: (vals[j] if j < len(vals) else ".") for j, k in enumerate(keys)}


__all__ = ["allele_vaf", "sample_format"]
