"""Reading tab-separated tables and validating them against JSON schemas.

All tables of the workflow (sample sheet, FISH table, clinical table, the
resource tables) go through :func:`read_tsv`; user tables are then checked row
by row against their JSON schema (``workflow/schemas/*.schema.yaml``) by
:func:`validate_rows`, which reports *every* problem at once, each naming the
file, line, column, the bad value and what the schema allows.
"""

from __future__ import annotations

import csv
import re
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml
from jsonschema import Draft202012Validator

from . import textio
from .errors import InputError, InputProblem
from .resources import SCHEMA_DIR


@dataclass
class Row:
    """One data row: its 1-based line number in the file and its cells."""

    line: int
    cells: dict[str, str]


@dataclass
class Table:
    path: str
    header: list[str]
    rows: list[Row]


def read_tsv(path: str | Path, *, required_columns: Iterable[str] = ()) -> Table:
    """Read a tab-separated file; ``#`` starts a comment line.

    The first non-comment line is the header. Cells are stripped; a row with
    the wrong number of cells, a duplicated header name or a missing required
    column is an :class:`InputError` naming the line.
    """
    p = Path(path)
    name = str(path)
    if textio.is_gzip(p, "table"):
        raise InputError([InputProblem(name, "is gzip-compressed", expected="a plain tab-separated text file")])
    problems: list[InputProblem] = []
    header: list[str] | None = None
    rows: list[Row] = []
    text = (line for _, line in textio.lines(p, "table", expected="a UTF-8 tab-separated file"))
    reader = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)
    for lineno, cells in enumerate(reader, start=1):
        if not cells or all(not c.strip() for c in cells):
            continue
        if cells[0].lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in cells]
        if header is None:
            header = cells
            seen: set[str] = set()
            for c in header:
                if not c:
                    problems.append(InputProblem(name, "empty column name in the header", line=lineno))
                elif c in seen:
                    problems.append(InputProblem(name, "duplicated column name", line=lineno, value=c))
                seen.add(c)
            if len(header) == 1 and ("," in header[0] or ";" in header[0]):
                problems.append(
                    InputProblem(name, "the header has a single column", line=lineno, value=header[0],
                                 expected="tab-separated columns (this looks comma- or semicolon-separated)")
                )
            continue
        if len(cells) != len(header):
            # trailing empty cells are tolerated
            while len(cells) > len(header) and cells[-1] == "":
                cells.pop()
            if len(cells) > len(header):
                problems.append(
                    InputProblem(name, f"row has {len(cells)} cells but the header has {len(header)} columns",
                                 line=lineno, expected="one tab-separated cell per header column")
                )
                continue
            cells = cells + [""] * (len(header) - len(cells))
        rows.append(Row(lineno, dict(zip(header, cells))))
    if header is None:
        problems.append(InputProblem(name, "has no header line (the file is empty or all comments)"))
    else:
        for col in required_columns:
            if col not in header:
                problems.append(
                    InputProblem(name, f"required column '{col}' is missing", line=None,
                                 expected="a header with columns " + ", ".join(required_columns))
                )
    if problems:
        raise InputError(problems)
    assert header is not None
    return Table(name, header, rows)


#: A sample (and patient) id, as the sample sheet's schema allows it.
SAMPLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def rows_of_sample(table: Table, sample: str | None, column: str = "sample") -> Table:
    """``table`` with only the rows of ``sample`` and the rows whose id is not a valid sample id.

    A per-sample job reads a table shared by the whole cohort: validating every other sample's
    rows in every job would make a cohort's cost grow with the square of its size. Rows with an
    empty or malformed id stay, as they are problems of the file (they name no sample).
    ``sample`` None keeps every row.
    """
    if sample is None:
        return table
    keep = [r for r in table.rows if r.cells.get(column, "") == sample or not SAMPLE_ID.match(r.cells.get(column, ""))]
    return Table(table.path, table.header, keep)


#: The header fields a resource table gives, each with the form of its value (a regular expression).
HEADER_FIELDS: Mapping[str, str] = {"version": r"\S+", "date": r"\S+"}


def header_fields(path: str | Path, fields: Mapping[str, str] = HEADER_FIELDS) -> dict[str, str]:
    """The ``# key: value`` fields of a resource table's leading ``#`` lines (``# version: 1.0.0  date: ...``).

    ``fields`` maps each key (a whole word, in any case) to the form of its value, a regular
    expression the value must start with (the part it matches is the value); the first such value
    of each key wins. The file is read through :func:`mmrisk.textio.lines`; a file that cannot be
    read gives no fields (its reader reports the problem).
    """
    keys = "|".join(re.escape(key) for key in fields)
    forms = {key.lower(): re.compile(form) for key, form in fields.items()}
    found: dict[str, str] = {}
    try:
        with closing(textio.lines(path, "table")) as numbered:
            for _, line in numbered:
                if not line.startswith("#"):
                    break
                for key, token in re.findall(rf"\b({keys}):\s*(\S+)", line, flags=re.IGNORECASE):
                    if key.lower() not in found and (m := forms[key.lower()].match(token)):
                        found[key.lower()] = m.group(0)
    except InputError:
        return {}
    return found


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """Load ``workflow/schemas/{name}.schema.yaml`` (or ``.json``)."""
    for suffix in (".schema.yaml", ".schema.json"):
        p = SCHEMA_DIR / f"{name}{suffix}"
        if p.exists():
            with p.open() as fh:
                return yaml.safe_load(fh)
    raise FileNotFoundError(f"no schema {name} in {SCHEMA_DIR}")


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


def _types(prop: dict[str, Any]) -> set[str]:
    t = prop.get("type", "string")
    return set(t) if isinstance(t, list) else {t}


def coerce_row(cells: dict[str, str], schema: dict[str, Any]) -> dict[str, Any]:
    """Turn a row of strings into typed values as the schema's columns declare.

    Empty cells are dropped (the column counts as not given). A cell that
    cannot be converted is kept as its string so that validation reports it
    with the schema's description of what is allowed.
    """
    props: dict[str, Any] = schema.get("properties", {})
    out: dict[str, Any] = {}
    for key, value in cells.items():
        if value == "":
            continue
        prop = props.get(key, {})
        types = _types(prop)
        v: Any = value
        if "integer" in types and _INTEGER.match(value):
            v = int(value)
        elif "number" in types and _NUMBER.match(value):
            v = float(value)
        elif "boolean" in types and value.lower() in _TRUE | _FALSE:
            v = value.lower() in _TRUE
        out[key] = v
    return out


def _expected(schema: dict[str, Any], column: str | None) -> str | None:
    if column is None:
        return None
    prop = schema.get("properties", {}).get(column, {})
    if "enum" in prop:
        return "one of " + ", ".join(str(x) for x in prop["enum"])
    return prop.get("description")


def validate_rows(table: Table, schema: dict[str, Any]) -> tuple[list[dict[str, Any]], list[InputProblem]]:
    """Coerce and validate every row; return typed rows and all problems.

    Typed rows carry the line number under the key ``_line``. A row with
    problems is still returned (so callers can attribute the problem to the
    sample it names) but callers must not trust its values.
    """
    validator = Draft202012Validator(schema)
    typed: list[dict[str, Any]] = []
    problems: list[InputProblem] = []
    for row in table.rows:
        values = coerce_row(row.cells, schema)
        for err in sorted(validator.iter_errors(values), key=lambda e: list(e.path)):
            column: str | None = str(err.path[0]) if err.path else None
            if err.validator == "required":
                missing = re.findall(r"'([^']+)' is a required property", err.message)
                column = missing[0] if missing else None
                problems.append(
                    InputProblem(table.path, "required value is empty or missing", line=row.line,
                                 column=column, expected=_expected(schema, column))
                )
                continue
            if err.validator in ("anyOf", "oneOf", "if", "then", "allOf", "dependentRequired", "not"):
                # schemas state the message of a combined rule in an `errorMessage` keyword
                msg = err.schema.get("errorMessage") if isinstance(err.schema, dict) else None
                problems.append(
                    InputProblem(table.path, msg or err.message, line=row.line, column=column,
                                 value=None if column is None else str(row.cells.get(column, "")))
                )
                continue
            problems.append(
                InputProblem(table.path, "invalid value", line=row.line, column=column,
                             value=str(row.cells.get(column, err.instance)) if column else str(err.instance),
                             expected=_expected(schema, column) or err.message)
            )
        values["_line"] = row.line
        typed.append(values)
    return typed, problems
