# What happens when a run starts and ends (main process only; never in a dry run).
#
# Start: take the outdir's lock (one run per results folder, whichever checkout or working
# directory it comes from; mmrisk.runlock).
# End: release the lock and say how many samples failed, which, and where to read why. When
# jobs failed (e.g. a job killed by the cluster before it could record its sample), the cohort
# pages are written from the evaluations that exist, the missing ones reported as failed.

import atexit
import time

from mmrisk import runlock
from mmrisk.batch import run_summary
from mmrisk.runend import closing_lines

# when this run started: the batch manifests written since are this run's (how many samples it evaluated)
_STARTED = time.time()


def _say_how_it_ended(jobs_failed):
    this_run = run_summary([batch_manifest(b) for b in BATCHES], _STARTED)
    for line in closing_lines(
        f"{OUT}/cohort/summary.tsv",
        f"{OUT}/cohort/index.html",
        jobs_failed=jobs_failed,
        this_run=True if this_run is None else this_run,
    ):
        logger.info(line)


def _rescue_cohort_pages():
    """The cohort pages from the evaluations that exist, when the cohort job did not write them."""
    from mmrisk.entry import run_cohort

    patients = {
        p: rows
        for p, rows in PATIENTS.items()
        if os.path.isfile(f"{OUT}/patients/{p}/evolution.html")
    }
    try:
        run_cohort(
            [sample_dir(s) for s in SAMPLES],
            f"{OUT}/cohort/summary.tsv",
            f"{OUT}/cohort/index.html",
            f"{OUT}/cohort/mmrisk_risk_mqc.tsv",
            patients=patients,
        )
    except Exception as exc:  # the error handler must end the run, whatever it meets
        logger.error(
            f"mmrisk: the cohort pages could not be written after the failed jobs ({type(exc).__name__}: "
            f"{exc}); please report it"
        )


onstart:
    try:
        for _note in runlock.acquire(OUT, " ".join(sys.argv)):
            logger.warning(_note)
    except runlock.RunLocked as exc:
        raise WorkflowError(str(exc)) from None
    atexit.register(runlock.release, OUT)


onsuccess:
    _say_how_it_ended(False)
    runlock.release(OUT)


onerror:
    _rescue_cohort_pages()
    _say_how_it_ended(True)
    runlock.release(OUT)
