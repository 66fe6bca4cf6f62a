"""Disease-activity values of a sample: MRD with its method and sensitivity, M-protein, involved free light chain.

Optional columns of the clinical table (``workflow/schemas/clinical.schema.yaml``), each value as the
lab reported it at the sample's collection, never interpreted into a response category:

- ``mrd``: ``negative`` or ``positive`` (also ``neg``/``pos``, ``MRD-negative``, any case); empty means
  not assessed, never negative;
- ``mrd_method``: ``NGS`` (clonotype sequencing), ``NGF`` (next-generation flow), ``flow`` (other
  multiparameter flow cytometry) or ``PCR`` (allele-specific PCR), any case;
- ``mrd_sensitivity``: the lowest tumour-cell fraction the assay detects, as labs write it:
  ``10^-6``, ``10-6``, ``10⁻⁶``, ``1e-6``, ``1:1000000`` or ``0.000001``; its allowed range is the
  ``minimum``/``maximum`` of the column in the schema;
- ``m_protein_g_dl``: serum M-protein in g/dL; ``involved_flc_mg_l``: the involved serum free light
  chain in mg/L, with ``involved_flc_chain`` ``kappa`` or ``lambda`` when given.

The IMWG's MRD-negativity categories rest on flow cytometry or gene sequencing of the marrow (Kumar S et al.,
"International Myeloma Working Group consensus criteria for response and minimal residual disease assessment
in multiple myeloma", Lancet Oncol 2016, doi:10.1016/S1470-2045(16)30206-6; abstract seen): a result is only
read with the method and the sensitivity the lab states, and no threshold or response category is applied here.

A method or sensitivity without an MRD result is a problem of the row (it would be a result without
its answer); an MRD result without method or sensitivity is kept and shown with what was not given.
Every bad cell is one :class:`~mmrisk.errors.InputProblem` naming file, line and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from .errors import InputProblem
from .tables import Row, load_schema

MRD_RESULTS: tuple[str, ...] = ("negative", "positive")
MRD_METHODS: tuple[str, ...] = ("NGS", "NGF", "flow", "PCR")
FLC_CHAINS: tuple[str, ...] = ("kappa", "lambda")
#: The columns this module reads (the clinical table's disease-activity columns).
COLUMNS: tuple[str, ...] = ("mrd", "mrd_method", "mrd_sensitivity", "m_protein_g_dl", "involved_flc_mg_l",
                            "involved_flc_chain")

_RESULT = re.compile(r"^(?:mrd)?[\s_-]*(neg(?:ative)?|pos(?:itive)?)$", re.IGNORECASE)
_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
_POWER = re.compile(r"^10\s*(?:\^|\*\*)?\s*\(?\s*-\s*([0-9])\s*\)?$")
_RATIO = re.compile(r"^1\s*(?:/|:|in)\s*([0-9][0-9,. ]*)$", re.IGNORECASE)
_NA = frozenset({"NA", "N/A", "."})


@dataclass(frozen=True)
class DiseaseActivity:
    """The disease-activity values of one sample; None means not given (not assessed)."""

    mrd: str | None = None  # negative / positive
    mrd_method: str | None = None  # one of MRD_METHODS
    mrd_sensitivity: float | None = None  # e.g. 1e-06
    m_protein_g_dl: float | None = None
    involved_flc_mg_l: float | None = None
    involved_flc_chain: str | None = None  # kappa / lambda

    @property
    def sensitivity_text(self) -> str | None:
        """``10⁻⁶`` for a power of ten, else ``2×10⁻⁶``."""
        s = self.mrd_sensitivity
        if s is None:
            return None
        exponent = math.floor(math.log10(s) + 1e-9)
        mantissa = round(s / 10.0 ** exponent, 3)
        power = "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        return power if mantissa == 1 else f"{mantissa:g}×{power}"

    def to_json(self) -> dict[str, Any]:
        return {"mrd": self.mrd, "mrd_method": self.mrd_method, "mrd_sensitivity": self.mrd_sensitivity,
                "m_protein_g_dl": self.m_protein_g_dl, "involved_flc_mg_l": self.involved_flc_mg_l,
                "involved_flc_chain": self.involved_flc_chain}

    @classmethod
    def from_json(cls, obj: dict[str, Any] | None) -> DiseaseActivity | None:
        if not obj:
            return None
        return cls(**{k: obj.get(k) for k in COLUMNS})


def _range(column: str) -> tuple[float, float]:
    prop = load_schema("clinical")["properties"][column]
    return float(prop["minimum"]), float(prop["maximum"])


def parse_sensitivity(text: str) -> float | None:
    """A sensitivity as labs write it (``10^-6``, ``10-6``, ``10⁻⁶``, ``1e-6``, ``1:100000``, ``0.00001``), or None."""
    t = text.strip().translate(_SUPERSCRIPT).replace("−", "-")
    if m := _POWER.match(t):
        return 10.0 ** -int(m.group(1))
    if m := _RATIO.match(t):
        digits = re.sub(r"[,. ]", "", m.group(1))
        return 1.0 / int(digits) if digits.isdigit() and int(digits) > 0 else None
    try:
        v = float(t)
    except ValueError:
        return None
    return v if math.isfinite(v) and v > 0 else None


def _cell(row: Row, column: str) -> str | None:
    raw = row.cells.get(column, "").strip()
    return None if not raw or raw.upper() in _NA else raw


def _mrd(row: Row, path: str) -> tuple[str | None, str | None, float | None, list[InputProblem]]:
    problems: list[InputProblem] = []
    result = method = None
    sensitivity = None
    if (raw := _cell(row, "mrd")) is not None:
        if m := _RESULT.match(raw):
            result = "negative" if m.group(1).lower().startswith("neg") else "positive"
        else:
            problems.append(InputProblem(path, "not an MRD result", line=row.line, column="mrd", value=raw,
                                         expected="negative or positive (empty when MRD was not assessed)"))
    if (raw := _cell(row, "mrd_method")) is not None:
        method = next((x for x in MRD_METHODS if x.lower() == raw.lower()), None)
        if method is None:
            problems.append(InputProblem(path, "not an MRD method", line=row.line, column="mrd_method", value=raw,
                                         expected="NGS, NGF, flow or PCR"))
    if (raw := _cell(row, "mrd_sensitivity")) is not None:
        lo, hi = _range("mrd_sensitivity")
        sensitivity = parse_sensitivity(raw)
        if sensitivity is None or not lo <= sensitivity <= hi:
            problems.append(InputProblem(
                path, "not an MRD sensitivity" if sensitivity is None else "MRD sensitivity out of range",
                line=row.line, column="mrd_sensitivity", value=raw,
                expected=f"the fraction the assay detects, from {lo:g} to {hi:g}, written 10^-6, 10-6, 1e-6 or "
                         "1:1000000"))
            sensitivity = None
    if result is None and _cell(row, "mrd") is None:
        for column in ("mrd_method", "mrd_sensitivity"):
            if _cell(row, column) is not None:
                problems.append(InputProblem(path, f"{column} is given without an MRD result", line=row.line,
                                             column=column, value=row.cells.get(column),
                                             expected="the result in mrd (negative or positive), or no "
                                                      f"{column}"))
    return result, method, sensitivity, problems


def disease_activity(row: Row, values: dict[str, Any], path: str) -> tuple[DiseaseActivity | None, list[InputProblem]]:
    """The row's disease-activity values (None when it gives none), and its problems.

    ``values``: the row typed and schema-checked (the numbers' ranges are the schema's).
    """
    result, method, sensitivity, problems = _mrd(row, path)
    chain = None
    if (raw := _cell(row, "involved_flc_chain")) is not None:
        chain = raw.lower() if raw.lower() in FLC_CHAINS else None
        if chain is None:
            problems.append(InputProblem(path, "not a light chain", line=row.line, column="involved_flc_chain",
                                         value=raw, expected="kappa or lambda"))

    def number(key: str) -> float | None:
        v = values.get(key)
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    activity = DiseaseActivity(result, method, sensitivity, number("m_protein_g_dl"), number("involved_flc_mg_l"),
                               chain)
    return (None if activity == DiseaseActivity() else activity), problems


__all__ = ["COLUMNS", "FLC_CHAINS", "MRD_METHODS", "MRD_RESULTS", "DiseaseActivity", "disease_activity",
           "parse_sensitivity"]
