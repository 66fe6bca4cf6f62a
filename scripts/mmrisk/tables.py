"""Reading tab-separated tables and validating them against JSON schemas.

All tables of the workflow (sample sheet, FISH table, clinical table, the
resource tables) go through :func:`read_tsv`; user tables are then checked row
by row against their JSON schema (``workflow/schemas/*.schema.yaml``) by
:func:`validate_rows`, which reports *every* problem at once, each naming the
file, line, column, the bad value and what the schema allows.
"""

from __future__ import annotations

import difflib
import math
import re
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import filekind, textio
from .errors import InputError, InputProblem
from .resources import SCHEMA_DIR, load_yaml


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


#: The longest cell any table may hold, in characters (1 MiB). Cells are read whole at any size
#: (no ``csv`` field limit applies); a longer cell is an InputError naming its line and column, as
#: no cell of these tables (ids, numbers, paths, a free comment) is meant to be that long.
MAX_CELL_CHARS = 1 << 20

#: Tables kept in memory once read (None: off, the default): see :func:`keep_tables`.
_KEPT: dict[tuple[Any, ...], Table | InputError] | None = None


def keep_tables() -> None:
    """From now on keep every table this process reads, keyed by its path, size and modification time.

    For a process that evaluates many samples sharing one FISH or clinical table (a batch job,
    :mod:`mmrisk.batch`, whose forked children inherit what the parent read): the table is read once,
    and :func:`rows_of_sample` finds a sample's rows through an index instead of a scan. A changed file
    (other size or time stamp) is read again.
    """
    global _KEPT
    if _KEPT is None:
        _KEPT = {}


def read_tsv(path: str | Path, *, required_columns: Iterable[str] = (), kind: str | None = None) -> Table:
    """:func:`_read_tsv`, through the kept tables when :func:`keep_tables` is on."""
    if _KEPT is None:
        return _read_tsv(path, required_columns=required_columns, kind=kind)
    required_columns = tuple(required_columns)
    try:
        st = Path(path).stat()
        key: tuple[Any, ...] | None = (str(path), st.st_size, st.st_mtime_ns, required_columns, kind)
    except OSError:
        key = None
    if key is not None and key in _KEPT:
        kept = _KEPT[key]
        if isinstance(kept, InputError):
            raise InputError(list(kept.problems))
        return kept
    try:
        table = _read_tsv(path, required_columns=required_columns, kind=kind)
    except InputError as exc:
        if key is not None:
            _KEPT[key] = exc
        raise
    if key is not None:
        _KEPT[key] = table
    return table


def _read_tsv(path: str | Path, *, required_columns: Iterable[str] = (), kind: str | None = None) -> Table:
    """Read a tab-separated file; ``#`` starts a comment line.

    The first non-comment line is the header. Cells are stripped and split on tabs only (no
    quoting, no size limit of the ``csv`` module); trailing empty header cells (a trailing tab)
    are dropped. A row with the wrong number of cells, an empty or duplicated header name
    (naming both positions), a NUL byte, a cell over :data:`MAX_CELL_CHARS` or a missing
    required column is an :class:`InputError` naming the line; every problem is listed at once.
    """
    p = Path(path)
    name = str(path)
    if textio.is_gzip(p, "table"):
        raise InputError([InputProblem(name, "is gzip-compressed", expected="a plain tab-separated text file")])
    problems: list[InputProblem] = []
    header: list[str] | None = None
    rows: list[Row] = []
    with closing(textio.lines(p, "table", expected="a UTF-8 tab-separated file")) as numbered:
        for lineno, line in numbered:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if "\x00" in line:
                problems.append(InputProblem(name, "contains a NUL byte (a binary or UTF-16 file?)", line=lineno,
                                             expected="a UTF-8 tab-separated text file"))
                continue
            cells = [c.strip() for c in line.split("\t")]
            long_cells = [i for i, c in enumerate(cells) if len(c) > MAX_CELL_CHARS]
            if long_cells:
                i = long_cells[0]
                col = header[i] if header is not None and i < len(header) else f"#{i + 1}"
                problems.append(InputProblem(name, f"a cell of {len(cells[i])} characters", line=lineno, column=col,
                                             expected=f"at most {MAX_CELL_CHARS} characters per cell"))
                continue
            if header is None:
                while len(cells) > 1 and cells[-1] == "":
                    cells.pop()
                header = cells
                problems += _header_problems(name, header, lineno)
                continue
            row = _fit_row(name, cells, header, lineno)
            if isinstance(row, InputProblem):
                problems.append(row)
            else:
                rows.append(row)
    if header is None:
        problems.append(InputProblem(name, "has no header line (the file is empty or all comments)"))
    else:
        missing = [col for col in required_columns if col not in header]
        # ``kind``: the sample-sheet column the file was given as; a file of another kind is named as such
        looks = filekind.hint(p, kind) if missing and kind else ""
        for col in missing:
            problems.append(
                InputProblem(name, f"required column '{col}' is missing{looks}", line=None,
                             expected="a header with columns " + ", ".join(required_columns))
            )
    if problems:
        raise InputError(problems)
    assert header is not None
    return Table(name, header, rows)


def _header_problems(name: str, header: list[str], lineno: int) -> list[InputProblem]:
    """Empty and duplicated column names (each duplicate with both positions), a comma-separated header."""
    problems: list[InputProblem] = []
    first: dict[str, int] = {}
    for pos, c in enumerate(header, start=1):
        if not c:
            problems.append(InputProblem(name, f"empty column name in the header (column {pos})", line=lineno))
        elif c in first:
            problems.append(InputProblem(name, f"duplicated column name: columns {first[c]} and {pos} are both "
                                               f"named {c!r}", line=lineno, value=c,
                                         expected="each column name once"))
        else:
            first[c] = pos
    if len(header) == 1 and ("," in header[0] or ";" in header[0]):
        problems.append(
            InputProblem(name, "the header has a single column", line=lineno, value=header[0],
                         expected="tab-separated columns (this looks comma- or semicolon-separated)")
        )
    return problems


def _fit_row(name: str, cells: list[str], header: list[str], lineno: int) -> Row | InputProblem:
    """A data row's cells under the header: trailing empty cells tolerated, short rows padded."""
    if len(cells) > len(header):
        while len(cells) > len(header) and cells[-1] == "":
            cells = cells[:-1]
        if len(cells) > len(header):
            return InputProblem(name, f"row has {len(cells)} cells but the header has {len(header)} columns",
                                line=lineno, expected="one tab-separated cell per header column")
    cells = cells + [""] * (len(header) - len(cells))
    return Row(lineno, dict(zip(header, cells)))


def unknown_columns(table: Table, known: Iterable[str], what: str) -> list[str]:
    """A warning for each column of ``table`` not in ``known``, with the closest known name (difflib).

    E.g. ``samples.tsv: column 'puritiy' is not a sample sheet column and is ignored; did you mean
    'purity'?``. ``what`` names the kind of table.
    """
    names = list(known)
    out: list[str] = []
    for col in table.header:
        if col in names:
            continue
        close = difflib.get_close_matches(col.lower(), names, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "known columns: " + ", ".join(names)
        shown = col if len(col) <= 80 else col[:77] + "..."
        out.append(f"{table.path}: column '{shown}' is not a {what} column and is ignored; {hint}")
    return out


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
    if _KEPT is None:
        keep = [r for r in table.rows
                if r.cells.get(column, "") == sample or not SAMPLE_ID.match(r.cells.get(column, ""))]
        return Table(table.path, table.header, keep)
    index = table.__dict__.setdefault("_rows_by_id", {})
    if column not in index:  # a kept table: one pass builds the index of this column
        by_id: dict[str, list[Row]] = {}
        for r in table.rows:
            value = r.cells.get(column, "")
            by_id.setdefault(value if SAMPLE_ID.match(value) else "\x00", []).append(r)
        index[column] = by_id
    by_id = index[column]
    rows = by_id.get(sample, []) + by_id.get("\x00", []) if SAMPLE_ID.match(sample) else by_id.get("\x00", [])
    return Table(table.path, table.header, sorted(rows, key=lambda r: r.line))


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
            return load_yaml(p)  # type: ignore[no-any-return]
    raise FileNotFoundError(f"no schema {name} in {SCHEMA_DIR}")


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
#: Longer integers stay strings, so validation refuses them (no table counts past 10**18).
_MAX_INTEGER_DIGITS = 19
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


def _types(prop: dict[str, Any]) -> set[str]:
    t = prop.get("type", "string")
    return set(t) if isinstance(t, list) else {t}


def coerce_row(cells: dict[str, str], schema: dict[str, Any]) -> dict[str, Any]:
    """Turn a row of strings into typed values as the schema's columns declare.

    Empty cells are dropped (the column counts as not given). A cell that
    cannot be converted (``nan``, ``inf``, ``1e999``, an integer of more than 19 digits) is
    kept as its string so that validation reports it with the schema's description of what is
    allowed.
    """
    props: dict[str, Any] = schema.get("properties", {})
    out: dict[str, Any] = {}
    for key, value in cells.items():
        if value == "":
            continue
        prop = props.get(key, {})
        types = _types(prop)
        v: Any = value
        if "integer" in types and _INTEGER.match(value) and len(value) <= _MAX_INTEGER_DIGITS:
            v = int(value)
        elif "number" in types and _NUMBER.match(value) and math.isfinite(number := float(value)):
            v = number
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
    from jsonschema import Draft202012Validator  # here, not at import: readers that validate nothing skip its 0.15 s

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
