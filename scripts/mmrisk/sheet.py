"""The sample sheet and the configuration, validated before any job runs.

Problems are collected, never raised one at a time: a user with ten bad rows
sees ten messages in one run. Relative paths in the sheet are resolved against
the folder that holds the sheet.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import operator
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from jsonschema import Draft202012Validator, validators

from .errors import InputError, InputProblem
from .tables import SAMPLE_ID, load_schema, read_tsv, unknown_columns, validate_rows
from .textio import BGZF_EOF

INPUT_KINDS: tuple[str, ...] = ("snv_vcf", "sv_vcf", "cnv", "fish")


@dataclass(frozen=True)
class Sample:
    """One sample of the cohort, its paths resolved."""

    sample: str
    patient: str
    build: str
    line: int | None = None  # line in the sample sheet; None for a sample from the drop-in folder
    timepoint: str | None = None
    collection_date: str | None = None
    snv_vcf: str | None = None
    sv_vcf: str | None = None
    cnv: str | None = None
    fish: str | None = None
    tumor_column: str | None = None
    purity: float | None = None
    order: int = 0  # position in the sheet, for ordering timepoints without dates

    def job_params(self) -> dict[str, Any]:
        """The fields a sample's job needs: not its line or position in the sheet, so that
        adding rows elsewhere in the sheet does not rerun this sample."""
        return {k: v for k, v in self.__dict__.items() if k not in ("line", "order")}

    def inputs(self) -> dict[str, str]:
        """The input files given for this sample, by kind."""
        return {k: v for k in INPUT_KINDS if (v := getattr(self, k))}

    def to_json(self) -> dict[str, Any]:
        return {
            "sample": self.sample,
            "patient": self.patient,
            "build": self.build,
            "timepoint": self.timepoint,
            "collection_date": self.collection_date,
            "purity": self.purity,
            "tumor_column": self.tumor_column,
            "inputs": self.inputs(),
        }


@dataclass
class Cohort:
    samples: dict[str, Sample] = field(default_factory=dict)
    #: what the run should hear before any job (unknown sheet columns, with the closest known name);
    #: :func:`mmrisk.preflight.preflight` yields them
    notes: list[str] = field(default_factory=list)


def _resolve(base: str, path: str) -> str:
    if os.path.isabs(path):
        return os.path.normpath(path)
    return os.path.normpath(os.path.join(base, path))


def read_sample_sheet(path: str, default_build: str = "GRCh38", *, allow_empty: bool = False) -> Cohort:
    """Read and validate ``samples.tsv``; raise :class:`InputError` listing every problem."""
    table = read_tsv(path, required_columns=("sample",), kind="samples")
    schema = load_schema("samples")
    rows, problems = validate_rows(table, schema)
    base = os.path.dirname(path) or "."
    seen: dict[str, int] = {}
    cohort = Cohort(notes=unknown_columns(table, schema.get("properties", {}), "sample sheet"))
    bad_lines = {p.line for p in problems}
    for order, r in enumerate(rows):
        line = r["_line"]
        sid = r.get("sample")
        if isinstance(sid, str):
            if sid in seen:
                problems.append(
                    InputProblem(path, f"sample id is not unique (first used on line {seen[sid]})", line=line,
                                 column="sample", value=sid, expected="one row per sample id")
                )
                bad_lines.add(line)
            else:
                seen[sid] = line
        date = r.get("collection_date")
        if isinstance(date, str):
            try:
                dt.date.fromisoformat(date)
            except ValueError:
                problems.append(
                    InputProblem(path, "not a calendar date", line=line, column="collection_date", value=date,
                                 expected="a real date written YYYY-MM-DD")
                )
                bad_lines.add(line)
        if line in bad_lines:
            continue
        resolved = {k: _resolve(base, r[k]) for k in INPUT_KINDS if r.get(k)}
        cohort.samples[sid] = Sample(
            sample=sid,
            patient=r.get("patient", sid),
            build=r.get("build", default_build),
            line=line,
            timepoint=r.get("timepoint"),
            collection_date=r.get("collection_date"),
            tumor_column=r.get("tumor_column"),
            purity=r.get("purity"),
            order=order,
            **resolved,
        )
    if not rows and not problems and not allow_empty:
        problems.append(InputProblem(path, "the sample sheet has no samples", expected="one row per sample"))
    if problems:
        problems.sort(key=lambda p: (p.line or 0))
        raise InputError(problems)
    return cohort


def _with_defaults(validator_class: type) -> type:
    """A validator that fills in schema defaults (as Snakemake's validate does)."""
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator: Any, properties: Any, instance: Any, schema: Any) -> Any:
        if isinstance(instance, dict):
            for prop, sub in properties.items():
                if "default" in sub and prop not in instance:
                    instance[prop] = copy.deepcopy(sub["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return validators.extend(validator_class, {"properties": set_defaults})


def _non_finite(value: Any, source: str, key: str = "") -> list[InputProblem]:
    """``.nan``, ``.inf`` anywhere in the configuration (JSON Schema's ranges let NaN through)."""
    if isinstance(value, float) and not math.isfinite(value):
        return [InputProblem(source, "not a finite number", column=key or None, value=str(value),
                             expected="a finite number")]
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in _non_finite(v, source, f"{key}.{k}" if key else str(k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _non_finite(v, source, f"{key}.{i}")]
    return []


_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _number_at(cfg: Mapping[str, Any], path: str) -> float | None:
    """The number at a dotted key path, or None (missing or not a number: the schema reports that)."""
    node: Any = cfg
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    if isinstance(node, bool) or not isinstance(node, (int, float)) or not math.isfinite(node):
        return None
    return float(node)


def relation_problems(cfg: Mapping[str, Any], relations: Iterable[Mapping[str, Any]],
                      source: str = "config") -> list[InputProblem]:
    """Every violated relation between options (the config schema's ``x-relations``), each with both values.

    A relation is ``{left: path, op: "<" | "<=" | ">" | ">=", right: path or [paths] (their sum),
    why: text}``; one whose values are missing or not numbers is skipped (the schema reports those).
    """
    problems: list[InputProblem] = []
    for rel in relations:
        left = _number_at(cfg, rel["left"])
        paths = [rel["right"]] if isinstance(rel["right"], str) else list(rel["right"])
        parts = [_number_at(cfg, p) for p in paths]
        if left is None or any(v is None for v in parts):
            continue
        right = sum(v for v in parts if v is not None)
        if _OPS[rel["op"]](left, right):
            continue
        named = " + ".join(paths)
        shown = " + ".join(f"{v:g}" for v in parts if v is not None) + (f" = {right:g}" if len(paths) > 1 else "")
        problems.append(InputProblem(
            source, f"{rel['left']} ({left:g}) must be {rel['op']} {named} ({shown}): {rel['why']}",
            column=rel["left"], value=f"{left:g}", expected=f"{rel['left']} {rel['op']} {named}"))
    return problems


def validate_config(config: Mapping[str, Any], source: str = "config") -> dict[str, Any]:
    """Validate the configuration, fill in defaults, and return a copy.

    Every problem is listed at once, each with its key path and what is allowed: values out of
    their schema ranges, non-finite numbers, and violated relations between options (the
    schema's ``x-relations``: ``cnv.loss_max < cnv.gain_min``, R2-ISS stages increasing, ...).
    """
    cfg = copy.deepcopy(dict(config))
    # `--config clinical=` gives None or ""; both mean "no clinical table"
    for key in ("clinical", "treatment_lines", "inbox"):
        if cfg.get(key) is None and key in cfg:
            cfg[key] = ""
    schema = load_schema("config")
    filler = _with_defaults(Draft202012Validator)(schema)
    problems = _non_finite(cfg, source)
    errors = sorted(filler.iter_errors(cfg), key=lambda e: list(e.path))
    for e in errors:
        key = ".".join(str(x) for x in e.path) or None
        sub = e.schema if isinstance(e.schema, dict) else {}
        problems.append(
            InputProblem(source, e.message, column=key,
                         expected=sub.get("description") or (
                             "one of " + ", ".join(map(str, sub["enum"])) if "enum" in sub else None))
        )
    # a second pass fills defaults of nested objects that were added as defaults
    list(filler.iter_errors(cfg))
    problems += relation_problems(cfg, schema.get("x-relations", []), source)
    if problems:
        raise InputError(problems)
    for key in ("samples", "clinical", "treatment_lines", "inbox"):
        val = cfg.get(key)
        if val and not Path(val).exists():
            problems.append(InputProblem(source, "file or folder not found", column=key, value=str(val)))
    if problems:
        raise InputError(problems)
    return cfg


# ---------------------------------------------------------------------------
# The drop-in folder
# ---------------------------------------------------------------------------

#: File name patterns of the drop-in folder: SAMPLE.<kind suffix>
INBOX_SUFFIXES: tuple[tuple[str, str], ...] = (
    (".fish.tsv", "fish"),
    (".snv.vcf.gz", "snv_vcf"),
    (".snv.vcf", "snv_vcf"),
    (".sv.vcf.gz", "sv_vcf"),
    (".sv.vcf", "sv_vcf"),
    (".cnv.vcf.gz", "cnv"),
    (".cnv.vcf", "cnv"),
    (".cnv.cns", "cnv"),
    (".cnv.seg", "cnv"),
    (".cnv.tsv", "cnv"),
)


def _complete(path: Path, done: bool, now: float, settle_seconds: float) -> tuple[bool, str]:
    """Whether a dropped file is complete: see :func:`scan_inbox`."""
    if done:
        return True, ""
    if path.name.endswith(".gz"):
        size = path.stat().st_size
        if size < len(BGZF_EOF):
            return False, "too short to be a complete bgzip file"
        with path.open("rb") as fh:
            fh.seek(size - len(BGZF_EOF))
            if fh.read() != BGZF_EOF:
                return False, "no bgzip end-of-file block yet (still being written, or not bgzip)"
        return True, ""
    age = now - path.stat().st_mtime
    if age < settle_seconds:
        return False, f"changed {age:.0f} s ago; waiting until it has been unchanged for {settle_seconds:.0f} s"
    return True, ""


def scan_inbox(folder: str, *, now: float | None = None, settle_seconds: float = 60.0
               ) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Files of the drop-in folder, by sample and kind, and notes on what was skipped.

    A file joins the cohort only when it is complete: a ``.gz`` file when it
    ends with the bgzip end-of-file block (bgzip and tabix-ready writers write
    it last); a plain-text file when it has not changed for ``settle_seconds``;
    any file at once when ``SAMPLE.done`` exists beside it (write it after the
    sample's files are in place). Files that fit no pattern are noted, not used.
    """
    import time

    now = time.time() if now is None else now
    found: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    base = Path(folder)
    names = sorted(p.name for p in base.iterdir() if p.is_file())
    done = {n[: -len(".done")] for n in names if n.endswith(".done")}
    for name in names:
        if name.endswith((".done", ".tbi", ".csi")) or name.startswith("."):
            continue
        for suffix, kind in INBOX_SUFFIXES:
            if name.endswith(suffix):
                sid = name[: -len(suffix)]
                break
        else:
            notes.append(f"drop-in folder {folder}: {name} is not named SAMPLE.fish.tsv, SAMPLE.snv.vcf[.gz], "
                         "SAMPLE.sv.vcf[.gz] or SAMPLE.cnv.{vcf.gz,vcf,cns,seg,tsv}; ignored")
            continue
        if not SAMPLE_ID.match(sid):
            notes.append(f"drop-in folder {folder}: {name}: {sid!r} is not a valid sample id; ignored")
            continue
        ok, why = _complete(base / name, sid in done, now, settle_seconds)
        if not ok:
            notes.append(f"drop-in folder {folder}: {name} is not complete ({why}); not used in this run")
            continue
        if kind in found.get(sid, {}):
            notes.append(f"drop-in folder {folder}: {name}: sample {sid} already has a {kind} file "
                         f"({Path(found[sid][kind]).name}); ignored")
            continue
        found.setdefault(sid, {})[kind] = os.path.normpath(str(base / name))
    return found, notes


def add_inbox(cohort: Cohort, inbox: Mapping[str, Mapping[str, str]], default_build: str) -> list[str]:
    """Join drop-in samples to the cohort: a sheet row with the same id wins and fills its gaps."""
    notes: list[str] = []
    for sid in sorted(inbox):
        files = dict(inbox[sid])
        if sid in cohort.samples:
            s = cohort.samples[sid]
            gaps = {k: v for k, v in files.items() if not getattr(s, k)}
            ignored = sorted(set(files) - set(gaps))
            if ignored:
                notes.append(f"sample {sid}: the sheet names its {', '.join(ignored)} file(s); "
                             "the drop-in folder's are not used")
            if gaps:
                cohort.samples[sid] = replace(s, **gaps)
        else:
            cohort.samples[sid] = Sample(sample=sid, patient=sid, build=default_build, order=len(cohort.samples),
                                         **files)
    return notes
