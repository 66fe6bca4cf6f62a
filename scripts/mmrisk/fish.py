"""FISH results tables: reading them and turning them into lesion evidence.

A FISH table (contract, "FISH table") has one row per test: ``sample``,
``target`` (a lesion id or a lab's spelling of it, resolved with
``resources/fish_targets.tsv``, see :mod:`mmrisk.fishvocab`), ``result``,
``percent``, ``copies`` and optional ``cells_scored``, ``probe``, ``comment``
and ``iscn``. An ISCN ``nuc ish`` string fills the fields left empty
(:mod:`mmrisk.iscn`).

:func:`read_fish_table` never raises for a bad row: problems are collected
per sample, so one sample's broken row does not stop the others.
:func:`fish_evidence` applies the configured positivity cut-offs and returns
:class:`~mmrisk.lesions.Evidence` items for :func:`mmrisk.lesions.merge`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, cast

from . import filekind
from .errors import InputError, InputProblem
from .fishvocab import (
    HYPERDIPLOIDY_CHROMOSOMES,
    ProbeKind,
    ProbeTable,
    TargetTable,
    load_default_probes,
    load_default_targets,
    load_probes,
    load_targets,
)
from .igpartners import is_pseudo_target, partner_evidence
from .iscn import parse_iscn
from .lesions import LESIONS, Allelic, Evidence, EvidenceStatus
from .tables import SAMPLE_ID, Row, Table, load_schema, read_tsv, rows_of_sample, unknown_columns, validate_rows

__all__ = [
    "FishObservation",
    "FishTable",
    "RESULTS",
    "fish_evidence",
    "load_default_probes",
    "load_default_targets",
    "load_probes",
    "load_targets",
    "read_fish_table",
]

Result = Literal["positive", "negative", "failed", "not_done"]
RESULTS: tuple[str, ...] = ("positive", "negative", "failed", "not_done")

#: Copy numbers of 1q21 as the contract defines them: 3 = gain, 4 or more = amplification.
GAIN_1Q_COPIES = 3
AMP_1Q_MIN_COPIES = 4

#: How far a percent may be from count / cells scored: half a point, as percents are written to whole numbers
#: at least (a rounding, not a threshold).
PERCENT_ROUNDING = 0.5

#: Columns of the contract's FISH table; other columns are ignored with a warning.
FISH_COLUMNS: tuple[str, ...] = (
    "sample", "target", "result", "percent", "copies", "cells_scored", "probe", "comment", "iscn", "method",
)

#: The methods a row may name (the schema's ``method`` enum, its one copy). Only ``FISH`` counts nuclei, so only a
#: FISH row (or a row naming no method) is held to a percent and a cut-off; the others give the lab's call.
METHODS: tuple[str, ...] = tuple(load_schema("fish")["properties"]["method"]["enum"])
COUNTING_METHOD = "FISH"


def counts_nuclei(method: str | None) -> bool:
    """Whether a row's result rests on counted nuclei: FISH, or no method named (the contract's FISH table)."""
    return method in (None, COUNTING_METHOD)



@dataclass(frozen=True)
class FishObservation:
    """One FISH result of one sample for one lesion (or ``trisomy_N``)."""

    sample: str
    lesion: str  # lesion id or trisomy_N
    target: str  # as the table wrote it; the lesion id for targets read from ISCN only
    probe_kind: ProbeKind
    result: Result
    percent: float | None
    copies: int | None
    file: str
    line: int
    cells_scored: int | None = None
    probe: str | None = None
    comment: str | None = None
    iscn: str | None = None
    iscn_reading: str | None = None  # what the ISCN string was read as, e.g. "FGFR3 con IGHx2 in 170/200 nuclei"
    result_from_iscn: bool = False  # the result was read from the ISCN string, not stated by the lab
    method: str | None = None  # FISH, seqFISH, karyotype, NGS or report, where the table says

    @property
    def origin(self) -> str:
        """``file:line`` with the file's name, e.g. ``fish.tsv:4``."""
        return f"{Path(self.file).name}:{self.line}"



@dataclass
class FishTable:
    """A read FISH table: observations and problems per sample."""

    path: str
    rows_by_sample: dict[str, list[FishObservation]] = field(default_factory=dict)
    problems_by_sample: dict[str, list[InputProblem]] = field(default_factory=dict)
    file_problems: list[InputProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def samples(self) -> list[str]:
        """Every sample id the table names (with rows or with problems), sorted."""
        return sorted(set(self.rows_by_sample) | set(self.problems_by_sample))

    def observations(self, sample: str) -> list[FishObservation]:
        return list(self.rows_by_sample.get(sample, []))

    def problems(self, sample: str) -> list[InputProblem]:
        """The problems that concern one sample: its rows' and the whole file's."""
        return list(self.file_problems) + list(self.problems_by_sample.get(sample, []))


# ---------------------------------------------------------------------------
# reading


def _normalise_cells(cells: dict[str, str]) -> dict[str, str]:
    """Lab spellings the schema would reject for form only: result case/spaces, '85%', '19,5'."""
    out = dict(cells)
    res = out.get("result", "")
    if res:
        out["result"] = re.sub(r"[\s-]+", "_", res.strip().lower())
    pct = out.get("percent", "")
    if pct:
        pct = pct.strip()
        if pct.endswith("%"):
            pct = pct[:-1].strip()
        if re.fullmatch(r"\d+,\d+", pct):
            pct = pct.replace(",", ".")
        out["percent"] = pct
    method = out.get("method", "").strip()
    if method:
        out["method"] = next((m for m in METHODS if m.casefold() == method.casefold()), method)
    return out


def read_fish_table(
    path: str | Path,
    targets: TargetTable,
    probes: ProbeTable,
    *,
    schema: dict[str, Any] | None = None,
    sample: str | None = None,
) -> FishTable:
    """Read a FISH table into observations per sample, collecting every problem.

    Each row is validated against ``workflow/schemas/fish.schema.yaml``; its
    ``target`` is resolved with ``targets``; an ``iscn`` string is read (with
    ``targets`` and ``probes``) when any of target, result, percent or copies
    is empty, and fills the empty ones. One ISCN string may give several
    observations; with a ``target`` only that target's are kept.

    Problems of a row go to ``problems_by_sample[sample]`` (the row gives no
    observation); problems that belong to no sample (file missing or
    unreadable, a required column missing) go to ``file_problems``. A row
    without a valid sample id fails no sample: it is named in ``warnings``
    (read by every sample sharing the table), as are unknown columns (with the
    closest known name). Nothing is raised for bad input. ``sample``: read only that sample's rows
    (and the rows that name no valid sample), as its job needs.
    """
    out = FishTable(str(path))
    try:
        table = rows_of_sample(read_tsv(path, required_columns=("sample",), kind="fish"), sample)
    except InputError as exc:
        out.file_problems.extend(exc.problems)
        return out
    if "iscn" not in table.header and not {"target", "result"} <= set(table.header):
        missing = [c for c in ("target", "result") if c not in table.header]
        out.file_problems.append(InputProblem(
            table.path, "required column" + ("s " if len(missing) > 1 else " ")
            + ", ".join(f"'{c}'" for c in missing) + " missing" + filekind.hint(table.path, "fish"),
            expected="columns sample, target, result (percent for positive results), or an iscn column"))
        return out
    out.warnings += unknown_columns(table, FISH_COLUMNS, "FISH table")

    normalised = Table(table.path, table.header, [Row(r.line, _normalise_cells(r.cells)) for r in table.rows])
    typed, problems = validate_rows(normalised, schema if schema is not None else load_schema("fish"))
    sample_of_line = {r.line: r.cells.get("sample", "") for r in table.rows}
    bad_lines: set[int | None] = set()
    for pr in problems:
        bad_lines.add(pr.line)
        _file_problem(out, sample_of_line.get(pr.line or -1, ""), pr)
    _warn_unattributed(out, table)

    for values in typed:
        line = int(values["_line"])
        if line in bad_lines:
            continue
        sample = str(values["sample"])
        observations, row_problems = _row_observations(values, table.path, targets, probes)
        row_problems += _count_problems(observations, out.warnings)
        if row_problems:
            observations = []
        for pr in row_problems:
            _file_problem(out, sample, pr)
        if observations:
            out.rows_by_sample.setdefault(sample, []).extend(observations)
    for plist in out.problems_by_sample.values():
        plist.sort(key=lambda pr: pr.line or 0)
    out.file_problems.sort(key=lambda pr: pr.line or 0)
    return out


def _count_problems(observations: list[FishObservation], warnings: list[str]) -> list[InputProblem]:
    """``percent`` against ``cells_scored``: a percent of 0 nuclei is refused; a percent that no count
    of that many nuclei gives (written to a whole number, :data:`PERCENT_ROUNDING`) is warned about."""
    problems: list[InputProblem] = []
    for o in observations:
        if o.cells_scored is None or o.percent is None:
            continue
        if o.cells_scored == 0:
            problems.append(InputProblem(o.file, f"{o.percent:g}% of 0 nuclei scored", line=o.line,
                                         column="cells_scored", value="0",
                                         expected="the number of nuclei the percent was counted in, 1 or more"))
            continue
        count = round(o.percent * o.cells_scored / 100)
        if abs(100 * count / o.cells_scored - o.percent) > PERCENT_ROUNDING + 1e-9:
            warnings.append(f"{o.sample} {o.origin}: {o.target}: {o.percent:g}% is no whole number of the "
                            f"{o.cells_scored} nuclei scored (the nearest, {count}, is "
                            f"{100 * count / o.cells_scored:.1f}%); percent and cells_scored reported as given")
    return problems


def _file_problem(out: FishTable, sample: str, problem: InputProblem) -> None:
    """File a row problem under its sample; a row that names no valid sample fails nobody (see below)."""
    if sample and SAMPLE_ID.match(sample):
        out.problems_by_sample.setdefault(sample, []).append(problem)
    elif problem.line is None:
        out.file_problems.append(problem)


def _warn_unattributed(out: FishTable, table: Table) -> None:
    """A warning for each row whose sample id is empty or malformed, for every sample sharing the table.

    Such a row belongs to no sample of the sheet (sheet ids obey the same rule), so it fails none:
    failing every sample of a shared table for one stray row would lose the cohort. Its line is
    named in the warnings of each sample that reads the table, so it is never silently dropped.
    """
    for row in table.rows:
        sid = row.cells.get("sample", "")
        if sid and SAMPLE_ID.match(sid):
            continue
        shown = repr(sid if len(sid) <= 40 else sid[:37] + "...") if sid else "empty"
        out.warnings.append(f"{table.path}, line {row.line}: row ignored: its sample id is {shown}, which is no "
                            "valid sample id (1-64 letters, digits, '.', '_' or '-'), so the row belongs to "
                            "no sample")


def _row_observations(
    values: dict[str, Any], file: str, targets: TargetTable, probes: ProbeTable
) -> tuple[list[FishObservation], list[InputProblem]]:
    """The observations of one schema-valid row, or the problems that stop it."""
    line = int(values["_line"])
    sample = str(values["sample"])
    target_text: str | None = values.get("target")
    result: str | None = values.get("result")
    percent = float(values["percent"]) if "percent" in values else None
    copies: int | None = values.get("copies")
    cells: int | None = values.get("cells_scored")
    iscn_text: str | None = values.get("iscn")

    def make(lesion: str, target_as_written: str, kind: ProbeKind, res: str, pct: float | None,
             n_copies: int | None, n_cells: int | None, reading: str | None = None,
             from_iscn: bool = False) -> FishObservation:
        return FishObservation(
            sample=sample, lesion=lesion, target=target_as_written, probe_kind=kind, result=cast(Result, res),
            percent=pct, copies=n_copies, file=file, line=line, cells_scored=n_cells, probe=values.get("probe"),
            comment=values.get("comment"), iscn=iscn_text, iscn_reading=reading, result_from_iscn=from_iscn,
            method=values.get("method"))

    target = None
    if target_text:
        target = targets.lookup(target_text)
        if target is None:
            return [], [InputProblem(
                file, "unknown FISH target", line=line, column="target", value=target_text,
                expected=f"a lesion id or a synonym listed in {targets.display_path}, e.g. "
                + ", ".join(targets.examples(10)))]

    if result in ("failed", "not_done"):
        if target is None:
            return [], [InputProblem(file, f"a {result} test needs a `target` saying which test gave no result",
                                     line=line, column="target")]
        return [make(target.lesion, str(target_text), target.probe_kind, result, percent, copies, cells)], []

    if iscn_text and (not target_text or not result or percent is None or copies is None):
        try:
            found = parse_iscn(iscn_text, targets, probes, file=file, line=line)
        except InputError as exc:
            return [], exc.problems
        if target is not None:
            keep = [o for o in found if o.lesion == target.lesion
                    or (target.lesion == "hyperdiploidy" and o.lesion.startswith("trisomy_"))]
            if not keep:
                return [], [InputProblem(
                    file, f"the iscn string does not test the target {target_text!r} ({target.lesion}); "
                    "it tests " + ", ".join(o.lesion for o in found), line=line, column="iscn",
                    expected="a target the iscn string tests, or an empty target")]
        else:
            keep = found
        out: list[FishObservation] = []
        problems: list[InputProblem] = []
        for o in keep:
            stated = target is not None and o.lesion == target.lesion  # the row's own fields speak to it
            res = result if (stated and result) else ("positive" if o.positive else "negative")
            pct = percent if (stated and percent is not None) else o.percent
            if res == "positive" and pct is None and counts_nuclei(values.get("method")):
                problems.append(InputProblem(
                    file, "a positive result needs `percent` and the iscn string does not give it", line=line,
                    column="percent", expected="percent of scored nuclei with the abnormality, 0 to 100"))
                continue
            out.append(make(o.lesion, str(target_text) if stated else o.lesion, o.probe_kind, res, pct,
                            copies if (stated and copies is not None) else o.copies,
                            cells if cells is not None else o.cells_scored,
                            reading=o.text, from_iscn=not (stated and result)))
        return (out if not problems else []), problems

    # target and result are both given here (the schema requires them without iscn)
    assert target is not None and result is not None
    if result == "positive" and percent is None and counts_nuclei(values.get("method")):
        return [], [InputProblem(file, "a positive result needs `percent`", line=line, column="percent",
                                 expected="percent of scored nuclei with the abnormality, 0 to 100, or a `method` "
                                          "that counts no nuclei (" + ", ".join(METHODS[1:]) + ")")]
    return [make(target.lesion, str(target_text), target.probe_kind, result, percent, copies, cells)], []


# ---------------------------------------------------------------------------
# evidence


def _pct(value: float) -> str:
    return f"{round(value, 2):g}"


def _decide(
    obs: FishObservation, cutoffs: Mapping[str, float], warnings: list[str]
) -> tuple[bool, str]:
    """Present or absent by the cut-off of the probe kind; the detail sentence."""
    if obs.probe_kind == "mutation":  # a sequencing result: no FISH cut-off, the lab's result decides
        present = obs.result == "positive"
        amount = f" in {_pct(obs.percent)}%" if obs.percent is not None else ""
        return present, f"{obs.target} {obs.result}{amount} (lab result; no FISH cut-off applies)"
    if not counts_nuclei(obs.method):  # seqFISH, karyotype, NGS, an outside report: the lab's call is taken
        present = obs.result == "positive"
        amount = (f" in {_pct(obs.percent)}% of cells" if obs.percent is not None
                  else ", fraction unknown (no percent given)" if present else "")
        return present, (f"{obs.target} {obs.result} by {obs.method}{amount}: the lab's call, no FISH cut-off "
                         "could be applied")
    if obs.probe_kind not in cutoffs:
        raise ValueError(f"no FISH cut-off configured for probe kind {obs.probe_kind!r} "
                         f"(configured: {', '.join(sorted(cutoffs))})")
    cut = float(cutoffs[obs.probe_kind])
    if obs.percent is None:
        if obs.result == "positive":
            warnings.append(f"{obs.sample} {obs.origin}: {obs.target} is positive without a percent; "
                            f"the {obs.probe_kind} cut-off of {_pct(cut)}% could not be checked")
            return True, f"{obs.target} positive (percent not given; cut-off {_pct(cut)}% not checked)"
        return False, f"{obs.target} negative"
    present = obs.percent >= cut
    stated_positive = obs.result == "positive"
    if present != stated_positive and not obs.result_from_iscn:
        warnings.append(
            f"{obs.sample} {obs.origin}: the lab reports {obs.target} as {obs.result}, but "
            f"{_pct(obs.percent)}% of nuclei is {'at or above' if present else 'below'} the {obs.probe_kind} "
            f"cut-off of {_pct(cut)}%; the cut-off decides: {'present' if present else 'absent'}")
    if present:
        return True, f"{obs.target} positive in {_pct(obs.percent)}% of nuclei (cut-off {_pct(cut)}%)"
    return False, f"{obs.target} negative: {_pct(obs.percent)}% of nuclei, below the cut-off of {_pct(cut)}%"


def _one_q(obs: FishObservation, present: bool, detail: str, fraction: float | None,
           warnings: list[str]) -> list[Evidence]:
    """gain(1q)/amp(1q) evidence of one observation, by its copy number where given."""

    def ev(lesion: str, status: EvidenceStatus, frac: float | None, n: int | None, text: str = detail) -> Evidence:
        return Evidence(lesion, status, "FISH", fraction=frac, copies=n, origin=obs.origin, detail=text,
                        **_given(obs))

    copies = obs.copies
    if not present:
        return [ev(obs.lesion, "absent", None, copies)]
    if copies is None:
        # gain without copies: gain present, amp not spoken to; amp present implies gain in merge
        return [ev(obs.lesion, "present", fraction, None)]
    if copies >= AMP_1Q_MIN_COPIES:
        return [ev("gain(1q)", "present", fraction, copies), ev("amp(1q)", "present", fraction, copies)]
    if copies == GAIN_1Q_COPIES:
        if obs.lesion == "amp(1q)":
            warnings.append(f"{obs.sample} {obs.origin}: {obs.target} is given with {copies} copies, which is a "
                            f"gain, not an amplification (>= {AMP_1Q_MIN_COPIES}); reported as gain(1q)")
        return [ev("gain(1q)", "present", fraction, copies),
                ev("amp(1q)", "absent", None, copies, f"{copies} copies, no amplification: {detail}")]
    warnings.append(f"{obs.sample} {obs.origin}: {obs.target} is positive but with {copies} copies, which is no "
                    f"gain (>= {GAIN_1Q_COPIES}); reported as {obs.lesion} present without a copy number")
    return [ev(obs.lesion, "present", fraction, None)]


def _given(obs: FishObservation) -> dict[str, Any]:
    """The row's own fields the contract reports as given: ``cells_scored``, ``probe``, ``comment``."""
    return {"cells_scored": obs.cells_scored, "probe": obs.probe, "comment": obs.comment, "method": obs.method}


def _joined(observations: Iterable[FishObservation]) -> dict[str, Any]:
    """:func:`_given` of several rows (the trisomies of hyperdiploidy): distinct texts joined with '; ',
    each prefixed by its row when the rows differ; cells scored only when every row gives the same number."""
    obs = list(observations)
    out: dict[str, Any] = {}
    for key in ("probe", "comment"):
        texts = [(o.origin, getattr(o, key)) for o in obs if getattr(o, key)]
        distinct = list(dict.fromkeys(t for _, t in texts))
        if len(distinct) == 1:
            out[key] = distinct[0]
        elif distinct:
            out[key] = "; ".join(f"{origin}: {t}" for origin, t in dict.fromkeys(texts))
    methods = {o.method for o in obs}
    if len(methods) == 1 and None not in methods:
        out["method"] = methods.pop()
    cells = {o.cells_scored for o in obs}
    if len(cells) == 1 and None not in cells:
        out["cells_scored"] = cells.pop()
    return out


def _source(obs: FishObservation) -> str:
    """The kind of evidence a row is: a lab's sequencing result (TP53_mutation) is SNV evidence."""
    return "SNV" if obs.probe_kind == "mutation" else "FISH"


def fish_evidence(
    observations: Iterable[FishObservation],
    cutoffs: Mapping[str, float],
    *,
    hyperdiploidy_min_trisomies: int = 2,
    hyperdiploidy_min_tested: int = 3,
) -> tuple[list[Evidence], list[str]]:
    """Turn one sample's FISH observations into lesion evidence and warnings.

    ``cutoffs`` maps probe kinds (fusion, breakapart, deletion, gain) to the
    positivity cut-off in percent of nuclei (config ``fish.cutoffs``); a
    ``mutation`` row (a lab's TP53 sequencing result) takes the lab's result. With a
    percent, the cut-off decides (percent >= cut-off = present), and a lab
    result that disagrees gives a warning; a negative without percent is
    absent; failed / not done tests give ``not_assessed`` evidence ("FISH
    failed" / "FISH not done"). Copies: 1q with 3 copies = gain present, amp
    absent; >= 4 = gain and amp present; 1p32 with 1 copy = monoallelic, 0 =
    biallelic. ``trisomy_N`` observations combine into ``hyperdiploidy``:
    present with at least ``hyperdiploidy_min_trisomies`` trisomies, absent when
    at least ``hyperdiploidy_min_tested`` odd chromosomes were scored and fewer
    were gained, otherwise not assessed (no evidence, a warning says why).
    """
    evidence: list[Evidence] = []
    warnings: list[str] = []
    trisomies: dict[int, list[tuple[FishObservation, str, float | None]]] = defaultdict(list)

    for obs in observations:
        if obs.result in ("failed", "not_done"):
            test = "sequencing" if obs.probe_kind == "mutation" else "FISH"
            status_text = f"{test} failed" if obs.result == "failed" else f"{test} not done"
            if obs.lesion.startswith("trisomy_"):
                trisomies[int(obs.lesion.split("_")[1])].append((obs, "not_assessed", None))
            elif is_pseudo_target(obs.lesion):
                evidence += partner_evidence(obs.lesion, "not_assessed", _source(obs), obs.origin, status_text,
                                             _given(obs))
            else:
                evidence.append(Evidence(obs.lesion, "not_assessed", _source(obs), origin=obs.origin,
                                         detail=status_text, **_given(obs)))
            continue
        present, detail = _decide(obs, cutoffs, warnings)
        fraction = obs.percent / 100.0 if (present and obs.percent is not None) else None
        if obs.probe_kind == "mutation":
            # a lab's percent for a mutation is a variant allele fraction, not a fraction of tumour cells
            fraction = None
        if obs.copies is not None:
            detail += f"; {obs.copies} {'copy' if obs.copies == 1 else 'copies'}"
        if obs.iscn_reading:
            detail += f"; ISCN read as {obs.iscn_reading}"
        if obs.lesion.startswith("trisomy_"):
            trisomies[int(obs.lesion.split("_")[1])].append((obs, "present" if present else "absent", fraction))
            continue
        if is_pseudo_target(obs.lesion):
            evidence += partner_evidence(obs.lesion, "present" if present else "absent", _source(obs), obs.origin,
                                         detail, _given(obs))
            continue
        if obs.lesion in ("gain(1q)", "amp(1q)"):
            evidence += _one_q(obs, present, detail, fraction, warnings)
            continue
        allelic: Allelic | None = None
        if LESIONS[obs.lesion].carries == "allelic" and present and obs.copies is not None:
            if obs.copies == 0:
                allelic = "biallelic"
            elif obs.copies == 1:
                allelic = "mono"
        evidence.append(Evidence(obs.lesion, "present" if present else "absent", _source(obs), fraction=fraction,
                                 copies=obs.copies, allelic=allelic, origin=obs.origin,
                                 detail=detail, **_given(obs)))

    if trisomies:
        ev, warning = _hyperdiploidy(trisomies, hyperdiploidy_min_trisomies, hyperdiploidy_min_tested)
        evidence += ev
        if warning:
            warnings.append(warning)
    return evidence, warnings


def _hyperdiploidy(
    trisomies: Mapping[int, list[tuple[FishObservation, str, float | None]]],
    min_trisomies: int,
    min_tested: int,
) -> tuple[list[Evidence], str | None]:
    """Combine per-chromosome trisomy results into hyperdiploidy evidence (or a warning)."""
    gained: dict[int, float | None] = {}
    normal: list[int] = []
    failed: list[int] = []
    origins: list[str] = []
    rows: list[FishObservation] = []
    for chrom in sorted(trisomies):
        items = trisomies[chrom]
        for obs, _, _ in items:
            rows.append(obs)
            if obs.origin not in origins:
                origins.append(obs.origin)
        pres = [fr for _, st, fr in items if st == "present"]
        if pres:
            known = [f for f in pres if f is not None]
            gained[chrom] = max(known) if known else None
        elif any(st == "absent" for _, st, _ in items):
            normal.append(chrom)
        else:
            failed.append(chrom)
    tested = len(gained) + len(normal)
    sample = next(iter(trisomies.values()))[0][0].sample
    origin = ", ".join(origins)

    def chroms(cs: Iterable[int]) -> str:
        return ", ".join(str(c) for c in cs) or "none"

    summary = (f"trisomies of chromosome(s) {chroms(gained)}; "
               f"{tested} of the odd chromosomes {chroms(HYPERDIPLOIDY_CHROMOSOMES)} scored"
               + (f" (no result for {chroms(failed)})" if failed else ""))
    if len(gained) >= min_trisomies:
        fractions = [f for f in gained.values() if f is not None]
        return [Evidence("hyperdiploidy", "present", "FISH", fraction=max(fractions) if fractions else None,
                         origin=origin, detail=f"hyperdiploid by FISH: {summary} "
                         f"(needs >= {min_trisomies} trisomies)", **_joined(rows))], None
    if tested >= min_tested:
        return [Evidence("hyperdiploidy", "absent", "FISH", origin=origin,
                         detail=f"not hyperdiploid by FISH: {summary} "
                         f"(needs >= {min_trisomies} trisomies)", **_joined(rows))], None
    return [], (f"{sample} {origin}: hyperdiploidy not assessed by FISH: {summary}; a call needs "
                f">= {min_trisomies} trisomies, or >= {min_tested} odd chromosomes scored to rule it out")
