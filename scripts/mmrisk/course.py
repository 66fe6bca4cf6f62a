"""The lines-of-therapy table: reading and checking it.

The optional table (``treatment_lines:`` in the config, one row per line of therapy of a patient;
columns in ``workflow/schemas/treatment_lines.schema.yaml``) is read by
:func:`read_treatment_lines` into typed :class:`TherapyLine` records, grouped by patient. Like the
other user tables, every problem is reported at once with file, line, column, value and what is
allowed; a problem of a row belongs to the patient it names, so a bad row fails only that
patient's samples; unknown columns are warned about with the closest known name.

Checks beyond the schema: real calendar dates; ``start`` on or before ``end``; ``progression_date``
on or after ``start``; the lines of a patient numbered 1..n without gaps or repeats and started in
that order; drug names known to ``resources/drugs.tsv`` (an unknown name lists the known ones).

The refractoriness that follows from the lines is derived in :mod:`mmrisk.courseclass`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .clinical import DrugVocabulary, parse_drug_list, unknown_drugs_problem
from .errors import InputError, InputProblem
from .tables import SAMPLE_ID, Row, load_schema, read_tsv, rows_of_sample, unknown_columns, validate_rows

#: IMWG response categories, best first (Kumar et al., Lancet Oncol 2016; MR as in the uniform-reporting
#: recommendations, Rajkumar et al., Blood 2011;117(18):4691-5; see mmrisk.courseclass for what was verified).
RESPONSES: tuple[str, ...] = ("sCR", "CR", "VGPR", "PR", "MR", "SD", "PD")

#: The categories that are a response (at least a minimal response); SD and PD are none.
AT_LEAST_MR: frozenset[str] = frozenset(RESPONSES[: RESPONSES.index("MR") + 1])

_DATE_COLUMNS = ("start", "end", "progression_date")


@dataclass(frozen=True)
class TherapyLine:
    """One line of therapy of a patient, as the table gives it (drugs as generic names)."""

    patient: str
    line: int
    drugs: tuple[str, ...]
    start: dt.date
    end: dt.date | None = None  # last dose; None while ongoing
    best_response: str | None = None  # one of RESPONSES
    progression_date: dt.date | None = None
    reason_stopped: str | None = None
    source: str = ""  # path:line

    @classmethod
    def from_json(cls, patient: str, obj: dict[str, Any]) -> TherapyLine:
        """The line a risk.json ``course`` object wrote (its ``lines`` items or ``later`` items)."""
        def day(key: str) -> dt.date | None:
            return dt.date.fromisoformat(obj[key]) if obj.get(key) else None

        return cls(patient, int(obj["line"]), tuple(obj["drugs"]), dt.date.fromisoformat(obj["start"]), day("end"),
                   obj.get("best_response"), day("progression_date"), obj.get("reason_stopped"),
                   str(obj.get("source") or ""))

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line, "drugs": list(self.drugs), "start": self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(), "best_response": self.best_response,
            "progression_date": None if self.progression_date is None else self.progression_date.isoformat(),
            "reason_stopped": self.reason_stopped, "source": self.source,
        }


@dataclass
class LinesTable:
    """A read lines-of-therapy table.

    ``lines_by_patient`` holds the patients whose rows are all sound, each with its lines in order.
    A patient with any problem is only in ``problems_by_patient``. ``file_problems``: a missing or
    unreadable file, a missing required column. ``warnings``: unknown columns and rows without a
    valid patient id (which fail no patient).
    """

    path: str
    lines_by_patient: dict[str, tuple[TherapyLine, ...]] = field(default_factory=dict)
    problems_by_patient: dict[str, list[InputProblem]] = field(default_factory=dict)
    file_problems: list[InputProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def problems_of(self, patient: str) -> list[InputProblem]:
        """The problems that fail ``patient``'s samples: the file's, then the patient's rows'."""
        return list(self.file_problems) + list(self.problems_by_patient.get(patient, []))


def _dates(row: Row, path: str) -> tuple[dict[str, dt.date], list[InputProblem]]:
    """The row's date cells as dates; a cell of the right form that is no calendar date is a problem."""
    dates: dict[str, dt.date] = {}
    problems: list[InputProblem] = []
    for column in _DATE_COLUMNS:
        cell = row.cells.get(column, "")
        if not cell:
            continue
        try:
            dates[column] = dt.date.fromisoformat(cell)
        except ValueError:
            problems.append(InputProblem(path, "not a calendar date", line=row.line, column=column, value=cell,
                                         expected="a real date written YYYY-MM-DD"))
    start, end, progression = dates.get("start"), dates.get("end"), dates.get("progression_date")
    if start and end and end < start:
        problems.append(InputProblem(path, f"the last dose ({end}) is before the start of the line ({start})",
                                     line=row.line, column="end", value=row.cells["end"],
                                     expected="a date on or after start"))
    if start and progression and progression < start:
        problems.append(InputProblem(path, f"progression ({progression}) is recorded before the line started "
                                           f"({start})", line=row.line, column="progression_date",
                                     value=row.cells["progression_date"], expected="a date on or after start"))
    return dates, problems


def _drugs(row: Row, path: str, drugs: DrugVocabulary) -> tuple[list[Any], list[InputProblem]]:
    """The row's drugs resolved through the vocabulary; an unknown name or an empty list is a problem."""
    resolved, unknown = parse_drug_list(row.cells.get("drugs", ""), drugs)
    if unknown:
        return resolved, [unknown_drugs_problem(path, row, "drugs", unknown, drugs)]
    if not resolved:
        return resolved, [InputProblem(path, "a line of therapy without a drug", line=row.line, column="drugs",
                                       value=row.cells.get("drugs", ""), expected="drug names separated by ';'")]
    return resolved, []


def _line_of(row: Row, values: dict[str, Any], path: str,
             drugs: DrugVocabulary) -> tuple[TherapyLine | None, list[InputProblem]]:
    """The typed line of one schema-valid row, or None with its problems."""
    dates, problems = _dates(row, path)
    resolved, drug_problems = _drugs(row, path, drugs)
    problems += drug_problems
    if problems or "start" not in dates:
        return None, problems
    reason = row.cells.get("reason_stopped") or None
    return TherapyLine(patient=row.cells["patient"], line=int(values["line"]), drugs=tuple(resolved),
                       start=dates["start"], end=dates.get("end"), best_response=values.get("best_response"),
                       progression_date=dates.get("progression_date"), reason_stopped=reason,
                       source=f"{path}:{row.line}"), []


def _numbering_problems(path: str, patient: str, lines: list[TherapyLine]) -> list[InputProblem]:
    """Lines numbered 1..n once each, started in the order of their numbers."""
    problems: list[InputProblem] = []
    by_number: dict[int, TherapyLine] = {}
    for ln in lines:
        first = by_number.setdefault(ln.line, ln)
        if first is not ln:
            problems.append(InputProblem(path, f"line {ln.line} of patient {patient} is given twice "
                                               f"(first at {first.source})", line=_row(ln), column="line",
                                         value=str(ln.line), expected="one row per line of a patient"))
    numbers = sorted(by_number)
    missing = [n for n in range(1, (numbers[-1] if numbers else 0) + 1) if n not in by_number]
    if missing:
        last = by_number[numbers[-1]]
        problems.append(InputProblem(path, f"the lines of patient {patient} skip line " + ", ".join(map(str, missing)),
                                     line=_row(last), column="line", value=str(last.line),
                                     expected=f"lines numbered 1 to {len(numbers)} without gaps"))
    ordered = [by_number[n] for n in numbers]
    for before, after in zip(ordered, ordered[1:]):
        if after.start < before.start:
            problems.append(InputProblem(path, f"line {after.line} of patient {patient} starts ({after.start}) "
                                               f"before line {before.line} ({before.start})", line=_row(after),
                                         column="start", value=after.start.isoformat(),
                                         expected=f"a start on or after {before.start}"))
    return problems


def _row(ln: TherapyLine) -> int | None:
    tail = ln.source.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


def read_treatment_lines(path: str | Path, drugs: DrugVocabulary, patient: str | None = None) -> LinesTable:
    """Read and check the lines-of-therapy table at ``path`` (never raises for a bad input).

    ``patient``: read only that patient's rows (and the rows that name no valid patient), as one
    sample's job needs.
    """
    name = str(path)
    try:
        table = rows_of_sample(read_tsv(path, required_columns=("patient", "line", "drugs", "start")),
                               patient, column="patient")
    except InputError as exc:
        return LinesTable(name, file_problems=list(exc.problems))
    schema = load_schema("treatment_lines")
    result = LinesTable(table.path, warnings=unknown_columns(table, schema.get("properties", {}),
                                                             "lines-of-therapy table"))
    typed, schema_problems = validate_rows(table, schema)
    by_line: dict[int, list[InputProblem]] = {}
    for problem in schema_problems:
        by_line.setdefault(problem.line or 0, []).append(problem)
    result.file_problems += by_line.pop(0, [])
    good: dict[str, list[TherapyLine]] = {}
    for row, values in zip(table.rows, typed):
        who = row.cells["patient"]
        if not SAMPLE_ID.match(who):
            shown = repr(who if len(who) <= 40 else who[:37] + "...") if who else "empty"
            result.warnings.append(f"{table.path}, line {row.line}: row ignored: its patient id is {shown}, which is "
                                   "no valid patient id (1-64 letters, digits, '.', '_' or '-'), so the row belongs "
                                   "to no patient")
            continue
        problems = by_line.get(row.line, [])
        line = None
        if not problems:
            line, problems = _line_of(row, values, table.path, drugs)
        else:  # every problem of the row at once: also its dates and drugs, where the schema said nothing
            told = {pr.column for pr in problems}
            more = _dates(row, table.path)[1] + _drugs(row, table.path, drugs)[1]
            problems = problems + [pr for pr in more if pr.column not in told]
        if problems:
            result.problems_by_patient.setdefault(who, []).extend(problems)
        elif line is not None:
            good.setdefault(who, []).append(line)
    for who, lines in good.items():
        if who in result.problems_by_patient:  # a bad row: its numbering would be reported twice
            continue
        problems = _numbering_problems(table.path, who, lines)
        if problems:
            result.problems_by_patient[who] = problems
        else:
            result.lines_by_patient[who] = tuple(sorted(lines, key=lambda ln: ln.line))
    return result
