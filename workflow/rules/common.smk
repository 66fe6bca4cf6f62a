# Validation of the configuration and the sample sheet (before any job runs),
# and the input functions of the rules.

import hashlib
import json
import os
import re
import sys

import yaml

from snakemake.exceptions import WorkflowError

# The workflow's own folder (the repository root), found from this file, never from the working directory or
# the folder of a workflow that uses this one as a module: the package, its templates, schemas and resources.
ROOT = os.path.normpath(os.path.join(workflow.current_basedir, "..", ".."))
SCRIPTS = os.path.join(ROOT, "scripts")
# the package the rules run; each rule's script puts its own folder on sys.path too
sys.path.insert(0, SCRIPTS)

from mmrisk.batch import code_digest, rows_digest
from mmrisk.batches import assign
from mmrisk.errors import InputError
from mmrisk.evolution import patients_with_timepoints
from mmrisk.layering import effective_config
from mmrisk.preflight import preflight
from mmrisk.samplefolder import write_atomically
from mmrisk.sheet import add_inbox, read_sample_sheet, scan_inbox, validate_config

# The demo's configuration (config/config.yaml) is used only when the run gives none of its own; a
# user's configuration (--configfile, --config samples=..., or a module's config) sits on the schema's
# defaults alone, so the demo's fictional clinical table never reaches real samples (mmrisk.layering).
MODULE = not workflow.modifier.is_main_snakefile()
_user = dict(workflow.config_settings.overwrite_config or {})
_DEMO_RUN = not MODULE and not workflow.overwrite_configfiles and "samples" not in _user
try:
    _config, _layer_notes = effective_config(
        config,
        user=None if _DEMO_RUN else (dict(config) if MODULE else _user),
        root=ROOT,
        shipped=yaml.safe_load(
            open(os.path.join(ROOT, "config", "config.yaml"), encoding="utf-8")
        ),
        sources=(
            "the module's config"
            if MODULE
            else (
                ", ".join(map(str, workflow.overwrite_configfiles or [])) or "--config"
            )
        ),
    )
    CONFIG = validate_config(_config, "config")
    COHORT = read_sample_sheet(
        CONFIG["samples"], CONFIG["default_build"], allow_empty=bool(CONFIG["inbox"])
    )
except InputError as exc:
    raise WorkflowError(f"invalid input, nothing was run:\n{exc.summary()}") from None

_notes = []
if CONFIG["inbox"]:
    _found, _notes = scan_inbox(
        CONFIG["inbox"], settle_seconds=CONFIG["inbox_settle_seconds"]
    )
    _notes += add_inbox(COHORT, _found, CONFIG["default_build"])
if not COHORT.samples:
    raise WorkflowError(
        "no samples: the sample sheet has none and the drop-in folder holds no complete files"
    )

OUT = CONFIG["outdir"].rstrip("/")
# the configuration as the per-sample jobs receive it (a parameter: a changed option reruns them); the jobs
# read it from a file named by its digest (written below), never from the command line,
# whose length is limited
CONFIG_JSON = json.dumps(CONFIG, sort_keys=True)
CONFIG_FILE = (
    f"{OUT}/.mmrisk/config-{hashlib.sha256(CONFIG_JSON.encode()).hexdigest()[:16]}.json"
)
if workflow.is_main_process and not os.path.isfile(CONFIG_FILE):
    # written at parse time, not in onstart: a module's handlers are not run (Snakemake runs the main
    # Snakefile's only); content-addressed, so concurrent runs never write different contents to one name
    os.makedirs(os.path.dirname(CONFIG_FILE), exist_ok=True)
    write_atomically(CONFIG_FILE, CONFIG_JSON)
# the jobs' Python: the environment's own when Snakemake deploys conda environments, else Snakemake's
JOB = os.path.join(SCRIPTS, "mmrisk_job.py")
PYTHON = (
    "python"
    if "conda"
    in {str(m).lower() for m in workflow.deployment_settings.deployment_method}
    else sys.executable
)
SAMPLES = sorted(COHORT.samples)
# patients with two or more samples, each with its samples in time order
PATIENTS = {
    p: [
        {
            "sample": s.sample,
            "timepoint": s.timepoint,
            "collection_date": s.collection_date,
            "inputs": sorted(s.inputs()),
        }
        for s in ss
    ]
    for p, ss in patients_with_timepoints(COHORT.samples.values()).items()
}

if workflow.is_main_process:
    _which = " (the bundled demo)" if _DEMO_RUN else ""
    logger.info(f"cohort: {len(SAMPLES)} samples; results in {OUT}/{_which}")
    for _line in _layer_notes:
        logger.warning(_line)
    for _line in _notes:
        logger.warning(_line)
    # problems that fail single samples (not the run): shown once, before any job
    for _line in preflight(COHORT, CONFIG):
        logger.warning(_line)


# Batches: the samples of a patient share one; membership is a stable hash of the patient id (mmrisk.batches)
BATCHES = assign(
    {s: COHORT.samples[s].patient for s in SAMPLES}, CONFIG["limits"]["batch_size"]
)
BATCH_OF = {s: b for b, ss in BATCHES.items() for s in ss}
SIGNATURES = f"{OUT}/.mmrisk/signatures"
# the package's code version: a change reruns every batch job, whose samples are then evaluated again
CODE = code_digest()


wildcard_constraints:
    batch="|".join(re.escape(b) for b in BATCHES),


def sample_params(sample):
    """The sample's sheet row (paths resolved), passed to its job."""
    return COHORT.samples[sample].job_params()


def _sample_files(sample):
    """The sample's existing input files, its clinical table and the resources (a missing input fails the
    sample, not the run)."""
    files = [p for p in COHORT.samples[sample].inputs().values() if os.path.isfile(p)]
    if CONFIG["clinical"]:
        files.append(CONFIG["clinical"])
    if CONFIG["treatment_lines"]:
        files.append(CONFIG["treatment_lines"])
    files.extend(CONFIG["resources"].values())
    return files


# Snakemake reads {...} in a path as a wildcard and <...> as a path variable: such a file cannot be a
# rule's input without stopping the run. It is read all the same; its size and time stamp are a parameter
# of the job instead, so that a change to it still reruns the sample.
_UNTRACKABLE = re.compile(r"[{}<>]")


def sample_untracked(sample):
    """Size and modification time of the sample's files whose names Snakemake cannot take as inputs."""
    out = []
    for p in _sample_files(sample):
        if _UNTRACKABLE.search(p):
            st = os.stat(p)
            out.append([p, st.st_size, st.st_mtime_ns])
    return json.dumps(out)


def sample_dir(sample):
    """The sample's results folder (evaluation.json; risk.json, lesions.tsv, variants.tsv, report.html if ok)."""
    return f"{OUT}/samples/{sample}"


def patient_page(sample):
    """The evolution page of the sample's patient when the patient has two or more samples, else ''."""
    patient = COHORT.samples[sample].patient
    return f"{OUT}/patients/{patient}/evolution.html" if patient in PATIENTS else ""


def batch_manifest(batch):
    """The small file a batch job writes last (the rule's declared output; mmrisk.batch)."""
    return f"{OUT}/.mmrisk/batches/{batch}.json"


def sample_tables(sample):
    """(path, column, id) of the tables the sample's rows are read from: its FISH table, the clinical table,
    the lines of therapy (by patient). Many samples share them: their own rows, not the files, are what
    decides whether a sample is up to date (mmrisk.batch.rows_digest)."""
    smp = COHORT.samples[sample]
    out = [[smp.fish, "sample", sample]] if smp.fish else []
    if CONFIG["clinical"]:
        out.append([CONFIG["clinical"], "sample", sample])
    if CONFIG["treatment_lines"]:
        out.append([CONFIG["treatment_lines"], "patient", smp.patient])
    return out


_TABLES = {p for s in SAMPLES for p, _, _ in sample_tables(s)}


def batch_inputs(wildcards):
    """The input files of the batch's samples that Snakemake can track (shared ones once), but for the
    shared tables, whose rows of the batch's samples are a parameter instead (batch_rows).
    """
    return sorted(
        {
            p
            for s in BATCHES[wildcards.batch]
            for p in _sample_files(s)
            if not _UNTRACKABLE.search(p) and p not in _TABLES
        }
    )


def batch_rows(wildcards):
    """The digest of the batch's samples' rows in the shared tables: a row added or changed for one sample
    reruns its batch alone."""
    h = hashlib.sha256()
    for s in BATCHES[wildcards.batch]:
        for p, col, ident in sample_tables(s):
            h.update(f"{s}\0{p}\0{rows_digest(p, col, ident)}\n".encode())
    return h.hexdigest()


def batch_untracked(wildcards):
    """Size and time stamp of the batch's files whose names Snakemake cannot take as inputs."""
    return json.dumps(
        {s: json.loads(sample_untracked(s)) for s in BATCHES[wildcards.batch]},
        sort_keys=True,
    )


def _members(batch):
    """The batch's members document (mmrisk.batch.Member and its patients), as its job reads it."""
    samples = BATCHES[batch]
    patients = sorted({COHORT.samples[s].patient for s in samples} & set(PATIENTS))
    res = CONFIG["resources"]
    return {
        "batch": batch,
        "signatures": SIGNATURES,
        "cohort_index": f"{OUT}/cohort/index.html",
        "samples": [
            {
                "row": sample_params(s),
                "folder": sample_dir(s),
                "log": f"{OUT}/logs/samples/{s}.log",
                "patient_page": patient_page(s),
                # every file the evaluation reads: its own (missing ones too) and the resources; of the
                # tables shared by many samples (FISH, clinical, lines of therapy) only its own rows
                "files": sorted(
                    v for k, v in COHORT.samples[s].inputs().items() if k != "fish"
                )
                + [res[k] for k in sorted(res)],
                "tables": sample_tables(s),
            }
            for s in samples
        ],
        "patients": [
            {
                "patient": p,
                "rows": PATIENTS[p],
                "folders": [sample_dir(r["sample"]) for r in PATIENTS[p]],
                "html": f"{OUT}/patients/{p}/evolution.html",
                "tsv": f"{OUT}/patients/{p}/evolution.tsv",
            }
            for p in patients
        ],
    }


def _write_members():
    """Each batch's members file, named by the digest of its contents (a parameter of the job: a changed
    row or membership reruns the batch), and the batches whose samples lost their evaluation since.
    """
    files = {}
    for b in BATCHES:
        text = json.dumps(_members(b), sort_keys=True)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        files[b] = f"{OUT}/.mmrisk/members/{b}-{digest}.json"
        if workflow.is_main_process and not os.path.isfile(files[b]):
            os.makedirs(os.path.dirname(files[b]), exist_ok=True)
            write_atomically(files[b], text)
    return files


MEMBERS = _write_members()


def _drop_incomplete_batches():
    """A batch whose manifest exists but one of whose samples has no evaluation.json (a folder removed by
    hand) runs again: its manifest is removed, so Snakemake sees the output missing."""
    for b, samples in BATCHES.items():
        manifest = batch_manifest(b)
        if os.path.isfile(manifest):
            lost = [
                s
                for s in samples
                if not os.path.isfile(os.path.join(sample_dir(s), "evaluation.json"))
            ]
            if lost:
                logger.warning(
                    f"{', '.join(lost[:5])}{' ...' if len(lost) > 5 else ''}: no evaluation.json; "
                    f"batch {b} runs again"
                )
                os.unlink(manifest)


if workflow.is_main_process:
    _drop_incomplete_batches()


# Snakemake's report() flag (a bare `report(` opening a line reads as the `report:` keyword)
_REPORT = report


def report_samples():
    """The sample folders that exist, for snakemake --report (their report.html, rule all's inputs)."""
    return [
        _REPORT(
            directory(sample_dir(s)),
            patterns=["{name}.html"],
            caption="report/sample.rst",
            category="Samples",
            labels={"sample": s},
        )
        for s in SAMPLES
        if os.path.isfile(os.path.join(sample_dir(s), "report.html"))
    ]


def report_patients():
    """The patient pages that exist, for snakemake --report (rule all's inputs)."""
    return [
        _REPORT(
            f"{OUT}/patients/{p}/evolution.html",
            caption="report/evolution.rst",
            category="Patients",
            labels={"patient": p},
        )
        for p in PATIENTS
        if os.path.isfile(f"{OUT}/patients/{p}/evolution.html")
    ]
