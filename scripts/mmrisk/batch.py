"""A batch of samples evaluated in one process (the rule ``evaluate_batch``; ``mmrisk_job.py batch``).

One job per batch (:mod:`mmrisk.batches` says which samples): the interpreter starts and the modules
and resources (knowledge base, FISH vocabulary, the shared FISH and clinical tables) are loaded once;
then each sample is evaluated in a forked child (:mod:`mmrisk.supervise`: memory and time limits), so
one sample's crash, memory exhaustion or time-out is recorded in its own ``evaluation.json`` and never
stops the others. Each sample's folder is written exactly as a job of its own would write it
(``evaluation.json`` last, atomically), with its own log ``logs/samples/<sample>.log``.

Incremental: after a sample is evaluated its **signature** (:func:`signature`: its sheet row, the size
and modification time of its input files, clinical table and resource tables, the digest of the
effective configuration and of the package's code) is stored as ``.mmrisk/signatures/<sample>.json``;
a sample whose signature is unchanged and whose evaluation.json exists is up to date and is not
evaluated again. So a new sample evaluates one sample; a changed knowledge base or threshold
evaluates every sample. A patient's evolution page is written (by the same job: a patient's samples
share a batch) when one of its samples was evaluated or its pages or signature are missing.

The job's declared output is a small manifest (``.mmrisk/batches/<batch>.json``: which samples were
evaluated, up to date, failed), never the sample folders, so Snakemake does not delete up-to-date folders
before the job runs. Standard library only at import: the evaluation's modules are imported when needed.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import re
import signal
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

from .samplefolder import EVALUATION, death_error, record_failure, write_atomically
from .supervise import Death, Usage, supervise_with_usage

log = logging.getLogger("mmrisk")

PACKAGE_DIR = Path(__file__).resolve().parent
#: The share of a time limit after which work is stopped (the rest leaves time to record it).
STOP_AT = 0.9
#: Seconds of the batch's time left below which no further sample is started.
MIN_LEFT_S = 2.0
#: The configuration sections that do not change any sample's evaluation (how jobs are cut and sized);
#: a change to them reruns no evaluation. The per-sample limits do count: a sample that ran out of time
#: or memory is evaluated again when they are raised.
NOT_IN_SIGNATURE = ("batch_size", "batch_runtime_min", "patient_memory_mb", "patient_runtime_min",
                    "cohort_memory_mb", "cohort_runtime_min")


@lru_cache(maxsize=4)
def code_digest(package: Path = PACKAGE_DIR) -> str:
    """SHA-256 of the package's code and templates (their paths and contents): the code version (read once per
    process: the samples' signatures and the patients' need it both)."""
    h = hashlib.sha256()
    for p in sorted(package.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".j2", ".js", ".css") and "__pycache__" not in p.parts:
            h.update(p.relative_to(package).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def config_digest(config: Mapping[str, Any]) -> str:
    """SHA-256 of the effective configuration, without the options that change no evaluation."""
    doc = dict(config)
    doc["limits"] = {k: v for k, v in dict(doc.get("limits") or {}).items() if k not in NOT_IN_SIGNATURE}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def file_stats(paths: Sequence[str]) -> list[list[Any]]:
    """``[path, size, mtime_ns]`` of each file (size and time None for a file that is missing)."""
    out: list[list[Any]] = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append([p, st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([p, None, None])
    return out


_TABLE_DIGESTS: dict[tuple[str, str, int | None, int | None], tuple[str, dict[str, list[str]]] | None] = {}


def _table_rows(path: str, column: str) -> tuple[str, dict[str, list[str]]] | None:
    """(header and the rows naming no valid id, rows by id) of a tab-separated table, from its raw lines
    (remembered per path, size and time stamp); None when it cannot be read as UTF-8 text or has no such column."""
    from .tables import SAMPLE_ID

    try:
        st = os.stat(path)
        key = (path, column, st.st_size, st.st_mtime_ns)
    except OSError:
        return None
    if key in _TABLE_DIGESTS:
        return _TABLE_DIGESTS[key]
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        _TABLE_DIGESTS[key] = None
        return None
    header: list[str] | None = None
    head, by_id, idx = "", {}, -1
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip() for c in line.split("\t")]
            if column not in header:
                _TABLE_DIGESTS[key] = None
                return None
            head, idx = line, header.index(column)
            continue
        cells = line.split("\t")
        value = cells[idx].strip() if idx < len(cells) else ""
        by_id.setdefault(value if SAMPLE_ID.match(value) else "\x00", []).append(line)
    out = (head + "\n" + "\n".join(by_id.pop("\x00", [])), by_id)
    _TABLE_DIGESTS[key] = out if header is not None else None
    return _TABLE_DIGESTS[key]


def rows_digest(path: str, column: str, ident: str) -> str:
    """SHA-256 of what a sample's evaluation reads of a shared table: its header, the rows of ``ident`` in
    ``column`` and the rows naming no valid id (the file's own problems). A row added for another sample
    changes nothing; a table that cannot be read that way is taken whole (its size and time stamp)."""
    rows = _table_rows(path, column)
    if rows is None:
        return "file:" + json.dumps(file_stats([path]))
    head, by_id = rows
    return hashlib.sha256((head + "\x01" + "\n".join(by_id.get(ident, []))).encode()).hexdigest()


@dataclass(frozen=True)
class Member:
    """One sample of a batch, as the workflow describes it (the members file, written at parse time)."""

    row: dict[str, Any]
    folder: str
    log: str
    patient_page: str = ""
    files: tuple[str, ...] = ()
    #: ``(path, column, id)`` of each shared table the sample's rows are read from (FISH, clinical, lines)
    tables: tuple[tuple[str, str, str], ...] = ()

    @property
    def sample(self) -> str:
        return str(self.row["sample"])

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> "Member":
        return cls(dict(doc["row"]), str(doc["folder"]), str(doc["log"]), str(doc.get("patient_page") or ""),
                   tuple(doc.get("files") or ()), tuple(tuple(t) for t in doc.get("tables") or ()))


def signature(member: Member, config: str, code: str) -> dict[str, Any]:
    """What a sample's evaluation depends on; ``config``, ``code``: :func:`config_digest`, :func:`code_digest`."""
    return {"row": member.row, "patient_page": member.patient_page, "files": file_stats(member.files),
            "tables": [[p, c, i, rows_digest(p, c, i)] for p, c, i in member.tables], "config": config, "code": code}


def _signature_path(signatures: str, sample: str) -> Path:
    return Path(signatures) / f"{sample}.json"


def _dumps(doc: Any) -> str:
    return json.dumps(doc, sort_keys=True, indent=1) + "\n"


def up_to_date(member: Member, sig: Mapping[str, Any], signatures: str) -> bool:
    """True when the sample's evaluation.json exists and its stored signature is ``sig``."""
    if not (Path(member.folder) / EVALUATION).is_file():
        return False
    try:
        return _signature_path(signatures, member.sample).read_text(encoding="utf-8") == _dumps(sig)
    except OSError:
        return False


_STATUS = re.compile(r'^  "status": "(ok|failed)"', re.MULTILINE)


def evaluation_status(folder: str) -> str:
    """``ok`` or ``failed`` from a folder's evaluation.json (its head; the whole file when needed)."""
    path = Path(folder) / EVALUATION
    try:
        with open(path, encoding="utf-8") as fh:
            m = _STATUS.search(fh.read(4096))
        if m:
            return m.group(1)
        return str(json.loads(path.read_text(encoding="utf-8")).get("status") or "failed")
    except (OSError, ValueError, AttributeError):
        return "failed"


@dataclass
class Tally:
    """What a batch job did, for its manifest, its log and the run's closing summary."""

    batch: str
    samples: list[str]
    evaluated: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    not_evaluated: list[str] = field(default_factory=list)
    patients_written: list[str] = field(default_factory=list)
    patients_failed: list[str] = field(default_factory=list)
    usage: dict[str, Usage] = field(default_factory=dict)

    def manifest(self) -> dict[str, Any]:
        return {"batch": self.batch, "samples": len(self.samples), "evaluated": self.evaluated,
                "up_to_date": len(self.up_to_date), "failed": self.failed, "not_evaluated": self.not_evaluated,
                "patients_written": self.patients_written, "patients_failed": self.patients_failed}

    def line(self) -> str:
        return (f"batch {self.batch}: {len(self.samples)} samples, {len(self.evaluated)} evaluated "
                f"({len(self.failed)} failed), {len(self.up_to_date)} up to date"
                + (f", {len(self.not_evaluated)} not evaluated" if self.not_evaluated else "")
                + f"; {len(self.patients_written)} patient pages written"
                + (f", {len(self.patients_failed)} failed" if self.patients_failed else ""))


class _Stop:
    """Set by a SIGTERM that arrives between two samples (one during a sample reaches its supervisor)."""

    def __init__(self) -> None:
        self.set = False
        self._previous = signal.signal(signal.SIGTERM, self._on_term)

    def _on_term(self, signum: int, frame: object) -> None:
        self.set = True

    def restore(self) -> None:
        signal.signal(signal.SIGTERM, self._previous)


def prepare(config: Mapping[str, Any], members: Sequence[Member]) -> Any:
    """The shared :class:`mmrisk.evaluate.Context` with every resource loaded, the package's modules imported
    and the samples' shared tables read once (inherited by each forked child); None when that fails (each
    child then reads what it needs itself, and a problem is reported for its sample alone)."""
    try:
        from . import report, tables
        from .evaluate import Context, software_versions
        from .fish import read_fish_table

        _import_readers()
        report._env().get_template("sample.html.j2")
        report._env().get_template("evolution.html.j2")
        software_versions()
        tables.keep_tables()
        ctx = Context(config)
        for name in ("settings", "targets", "probes", "drugs", "panel", "benign", "genes", "centromeres",
                     "cnv_loci", "kb"):
            getattr(ctx, name)
        # the shared tables: read (and indexed) once here; "" selects no sample's rows
        for path in sorted({m.row["fish"] for m in members if m.row.get("fish")}):
            if os.path.isfile(path):
                read_fish_table(path, ctx.targets, ctx.probes, sample="")
        ctx.clinical_of("")
        ctx.treatment_lines_of("")
    except Exception as exc:  # whatever it is, each sample's child meets it again and fails alone
        log.warning("the shared resources could not be loaded once for the batch (%s: %s); each sample reads "
                    "its own", type(exc).__name__, exc)
        return None
    try:
        _warm_up(config, ctx)
    except Exception as exc:  # only slower: each child loads what it needs
        log.warning("the warm-up evaluation failed (%s: %s); each sample loads what it needs", type(exc).__name__, exc)
    return ctx


#: The bundled demo's sample whose evaluation warms the parent's lazily filled caches (schema validators, the
#: report's templates and configuration text, file digests): a file of ours, read before any child is forked.
WARM_UP = ("DEMO-13", "GRCh37", "demo/DEMO-13.snv.vcf", "demo/fish.tsv")


def _warm_up(config: Mapping[str, Any], ctx: Any) -> None:
    """One evaluation of the demo's :data:`WARM_UP` sample in this process, written to a temporary folder and
    discarded, so that every child inherits what a first evaluation loads (each child otherwise loads it
    again and loses it at its end)."""
    import tempfile

    from .entry import run_sample
    from .resources import RESOURCE_DIR
    from .sheet import Sample

    sample, build, snv, fish = WARM_UP
    quiet = logging.getLogger("mmrisk")
    quiet.disabled = True
    try:
        with tempfile.TemporaryDirectory() as tmp:
            run_sample(Sample(sample, sample, build, snv_vcf=str(RESOURCE_DIR / snv), fish=str(RESOURCE_DIR / fish)),
                       config, "warm-up", os.path.join(tmp, sample), ctx=ctx)
    finally:
        quiet.disabled = False


def _import_readers() -> None:
    """The libraries the readers import when first needed (cyvcf2, pysam, NumPy): once, in the parent."""
    import importlib

    for name in ("numpy", "cyvcf2", "pysam"):
        try:
            importlib.import_module(name)
        except ImportError:  # a reader that needs it says so for its sample
            pass


def _child_logging(path: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s",
                        handlers=[logging.FileHandler(path, mode="w", encoding="utf-8")], force=True)


def _evaluate_one(member: Member, config: Mapping[str, Any], sheet: str, ctx: Any, *, memory_mb: int | None,
                  time_s: float | None) -> tuple[Death | None, Usage]:
    folder = Path(member.folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / EVALUATION).unlink(missing_ok=True)

    def work() -> None:
        _child_logging(member.log)
        from .entry import run_sample
        from .sheet import Sample

        run_sample(Sample(**member.row), config, sheet, member.folder, patient_page=member.patient_page or None,
                   ctx=ctx)

    death, usage = supervise_with_usage(work, memory_mb=memory_mb, time_s=time_s)
    if death is None and (folder / EVALUATION).is_file():
        return None, usage
    error = death_error(member.row, death.reason if death else None)
    log.error("%s: failed: %s", member.sample, error)
    with open(member.log, "a", encoding="utf-8") as fh:
        fh.write(f"failed: {error}\n")
    record_failure(member.row, folder, error)
    return death or Death("ended without writing evaluation.json"), usage


def _not_evaluated(member: Member, why: str) -> None:
    """A sample the batch could not reach: failed with the reason, unsigned (evaluated on the next run)."""
    record_failure(member.row, member.folder, f"not evaluated: {why}; it is evaluated on the next run")


@dataclass(frozen=True)
class Limits:
    """A batch job's limits: ``memory_mb`` and ``sample_time_s`` per sample, ``batch_time_s`` for the job."""

    memory_mb: int | None = None
    sample_time_s: float | None = None
    batch_time_s: float | None = None


def evaluate_members(members: Sequence[Member], config: Mapping[str, Any], sheet: str, signatures: str,
                     limits: Limits, tally: Tally) -> None:
    """Evaluate the members that are not up to date, one forked child after another, and sign each."""
    cfg, code = config_digest(config), code_digest()
    sigs = {m.sample: signature(m, cfg, code) for m in members}
    todo = []
    for m in members:
        if up_to_date(m, sigs[m.sample], signatures):
            tally.up_to_date.append(m.sample)
        else:
            _signature_path(signatures, m.sample).unlink(missing_ok=True)
            todo.append(m)
    log.info("batch %s: %d samples, %d to evaluate, %d up to date", tally.batch, len(members), len(todo),
             len(tally.up_to_date))
    if not todo:
        return
    Path(signatures).mkdir(parents=True, exist_ok=True)
    ctx = prepare(config, todo)
    gc.freeze()  # what the parent holds stays out of the children's garbage collections (no copy-on-write)
    t0, stop = time.monotonic(), _Stop()
    try:
        for i, m in enumerate(todo):
            left = None if not limits.batch_time_s else limits.batch_time_s - (time.monotonic() - t0)
            if stop.set or (left is not None and left < MIN_LEFT_S):
                why = ("the batch job was stopped (SIGTERM)" if stop.set else
                       f"the batch job's time limit ({limits.batch_time_s / 60 / STOP_AT:g} min, "
                       "limits.batch_runtime_min) was reached first")
                for rest in todo[i:]:
                    _not_evaluated(rest, why)
                    tally.not_evaluated.append(rest.sample)
                break
            time_s = min(t for t in (limits.sample_time_s, left) if t) if (limits.sample_time_s or left) else None
            death, usage = _evaluate_one(m, config, sheet, ctx, memory_mb=limits.memory_mb, time_s=time_s)
            tally.usage[m.sample] = usage
            # a sample stopped by the batch's own end (not its own limit) is evaluated again next time
            cut_short = usage.terminated or (death is not None and death.timed_out and left is not None
                                             and limits.sample_time_s is not None and left < limits.sample_time_s)
            if cut_short:
                tally.not_evaluated.append(m.sample)
                stop.set = stop.set or usage.terminated
                continue
            tally.evaluated.append(m.sample)
            if death is not None or evaluation_status(m.folder) != "ok":
                tally.failed.append(m.sample)
            write_atomically(_signature_path(signatures, m.sample), _dumps(sigs[m.sample]))
    finally:
        stop.restore()


def write_patients(patients: Sequence[Mapping[str, Any]], cohort_index: str, signatures: str, tally: Tally) -> None:
    """Each patient's evolution pages, when one of its samples was evaluated or its pages are not up to date."""
    if not patients:
        return
    code = code_digest()
    evaluated = set(tally.evaluated)
    for p in patients:
        folders = list(p["folders"])
        sig = _dumps({"rows": p["rows"], "html": p["html"], "tsv": p["tsv"], "code": code,
                      "evaluations": [_digest(os.path.join(f, EVALUATION)) for f in folders]})
        path = Path(signatures) / "patients" / f"{p['patient']}.json"
        fresh = (not evaluated.intersection(r["sample"] for r in p["rows"]) and os.path.isfile(p["html"])
                 and os.path.isfile(p["tsv"]) and path.is_file() and path.read_text(encoding="utf-8") == sig)
        if fresh:
            continue
        path.unlink(missing_ok=True)
        try:
            from .entry import run_patient

            run_patient(folders, p["rows"], p["patient"], p["html"], p["tsv"], cohort_index)
        except Exception:  # the other patients' pages are still written; the job then fails (as a patient job did)
            log.exception("%s: the patient's evolution page could not be written; please report it", p["patient"])
            tally.patients_failed.append(p["patient"])
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, sig)
        tally.patients_written.append(p["patient"])


def _digest(path: str) -> str | None:
    """SHA-256 of a file's content (None when it cannot be read)."""
    from .evaluate import sha256_of

    try:
        return sha256_of(path)
    except OSError:
        return None


def _timings(tally: Tally) -> str:
    rows = ["sample\tstatus\ts\tmax_rss_mb"]
    for s in tally.samples:
        if s in tally.usage:
            u = tally.usage[s]
            status = "not evaluated" if s in tally.not_evaluated else ("failed" if s in tally.failed else "ok")
            rows.append(f"{s}\t{status}\t{u.wall_s}\t{'' if u.max_rss_mb is None else u.max_rss_mb}")
    return "\n".join(rows) + "\n"


def run_batch(doc: Mapping[str, Any], config: Mapping[str, Any], sheet: str, manifest: str, limits: Limits,
              timings: str | None = None) -> int:
    """The batch job: its samples, then its patients' pages, then the manifest. Exit status 0 unless the job
    was stopped before every sample was reached or a patient page failed (then no manifest: the job reruns)."""
    members = [Member.from_json(m) for m in doc["samples"]]
    tally = Tally(str(doc["batch"]), [m.sample for m in members])
    evaluate_members(members, config, sheet, str(doc["signatures"]), limits, tally)
    write_patients(doc.get("patients") or [], str(doc["cohort_index"]), str(doc["signatures"]), tally)
    if timings:
        Path(timings).parent.mkdir(parents=True, exist_ok=True)
        Path(timings).write_text(_timings(tally), encoding="utf-8")
    log.info("%s", tally.line())
    print(f"mmrisk: {tally.line()}", flush=True)
    if tally.not_evaluated or tally.patients_failed:
        return 1
    Path(manifest).parent.mkdir(parents=True, exist_ok=True)
    write_atomically(manifest, json.dumps(tally.manifest(), indent=1) + "\n")
    return 0


def run_summary(manifests: Sequence[str], since: float) -> dict[str, int] | None:
    """How many samples the batch jobs of this run (manifests written after ``since``) evaluated, and how
    many they found up to date; None when no manifest tells (a dry run, a run that evaluated nothing)."""
    evaluated = up = 0
    seen = False
    for path in manifests:
        try:
            if os.stat(path).st_mtime < since:
                continue
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        seen = True
        evaluated += len(doc.get("evaluated") or [])
        up += int(doc.get("up_to_date") or 0)
    return {"evaluated": evaluated, "up_to_date": up} if seen else None


__all__ = [
    "Limits",
    "Member",
    "Tally",
    "code_digest",
    "config_digest",
    "evaluate_members",
    "evaluation_status",
    "file_stats",
    "prepare",
    "rows_digest",
    "run_batch",
    "run_summary",
    "signature",
    "up_to_date",
    "write_patients",
]
