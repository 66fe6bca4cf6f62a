"""Clinical values as tables record them: ISS given as a stage, LDH as a category, albumin of unknown unit.

- ``iss``: the ISS stage as the record gives it: ``I``/``II``/``III`` (also ``1``-``3``, ``ISS1``, ``ISS II``,
  ``stage III``, any case); the risk systems use it where β2-microglobulin or albumin is not given
  (:class:`mmrisk.risk.Labs` ``iss_stage``); where both are given they decide, and a stage that
  contradicts them is a warning (:func:`mmrisk.risk.given_iss_conflict`);
- ``ldh_level``: ``low``/``normal``/``high`` (any case): high is ``ldh_high`` true, low or normal false; a
  level that contradicts ``ldh_high`` or the LDH value with its upper limit is a problem of the row;
- ``albumin``: albumin without a unit, read as g/dL or g/L by its magnitude only where that is
  unambiguous (the ranges of ``albumin_g_dl`` and ``albumin_g_l`` of ``clinical.schema.yaml`` do not
  overlap); a value between them is a problem that asks for the unit's column.

Every value is checked; a bad cell is an :class:`~mmrisk.errors.InputProblem` naming file, line, column.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import InputProblem
from .tables import Row, load_schema

ISS_STAGES: tuple[str, ...] = ("I", "II", "III")
LDH_LEVELS: tuple[str, ...] = ("low", "normal", "high")
_ISS = re.compile(r"^(?:iss)?[\s_-]*(?:stage)?[\s_-]*(i{1,3}|[123])$", re.I)
_ARABIC = {"1": "I", "2": "II", "3": "III"}


def _range(column: str) -> tuple[float, float]:
    prop = load_schema("clinical")["properties"][column]
    return float(prop["minimum"]), float(prop["maximum"])


def iss_stage(row: Row, path: str) -> tuple[str | None, InputProblem | None]:
    """The ``iss`` cell as I/II/III, None when empty; a problem when it is no stage."""
    raw = row.cells.get("iss", "").strip()
    if not raw or raw.upper() in ("NA", "."):
        return None, None
    m = _ISS.match(raw)
    if not m:
        return None, InputProblem(path, "not an ISS stage", line=row.line, column="iss", value=raw,
                                  expected="I, II or III (also 1-3, ISS1, ISS II, stage III)")
    v = m.group(1).upper()
    return _ARABIC.get(v, v), None


def ldh_level(row: Row, path: str, ldh_high: bool | None) -> tuple[bool | None, InputProblem | None]:
    """``ldh_high`` from the ``ldh_level`` cell (unchanged when empty); a problem when unknown or contradicting."""
    raw = row.cells.get("ldh_level", "").strip()
    if not raw or raw.upper() in ("NA", "."):
        return ldh_high, None
    level = raw.lower()
    if level not in LDH_LEVELS:
        return ldh_high, InputProblem(path, "not an LDH level", line=row.line, column="ldh_level", value=raw,
                                      expected=" or ".join(LDH_LEVELS))
    high = level == "high"
    if ldh_high is not None and ldh_high != high:
        return ldh_high, InputProblem(path, f"ldh_level {level} contradicts LDH above normal = "
                                            f"{str(ldh_high).lower()} (ldh_high or ldh_u_l/ldh_uln_u_l)",
                                      line=row.line, column="ldh_level", value=raw,
                                      expected="one LDH statement, or statements that agree")
    return high, None


def albumin_by_magnitude(row: Row, path: str, values: dict[str, Any]) -> tuple[float | None, InputProblem | None]:
    """Albumin in g/dL from the unitless ``albumin`` cell, where its magnitude tells the unit."""
    v = values.get("albumin")
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return None, None
    dl_lo, dl_hi = _range("albumin_g_dl")
    l_lo, l_hi = _range("albumin_g_l")
    if dl_lo <= v <= dl_hi and not l_lo <= v <= l_hi:
        return float(v), None
    if l_lo <= v <= l_hi and not dl_lo <= v <= dl_hi:
        return round(float(v) / 10.0, 6), None
    return None, InputProblem(path, "albumin without a unit whose magnitude does not tell g/dL from g/L",
                              line=row.line, column="albumin", value=row.cells.get("albumin"),
                              expected=f"{dl_lo:g}-{dl_hi:g} (g/dL) or {l_lo:g}-{l_hi:g} (g/L), or the value in "
                                       "albumin_g_dl / albumin_g_l")


__all__ = ["ISS_STAGES", "LDH_LEVELS", "albumin_by_magnitude", "iss_stage", "ldh_level"]
