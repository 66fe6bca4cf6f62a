"""Run one piece of work in a child process that may die, and say why it died.

A sample's evaluation reads untrusted files with C libraries (htslib through cyvcf2 and pysam):
a malformed record can crash the process (a segmentation fault), a pathological file can
exhaust memory or run forever. :func:`supervise` forks, runs the work in the child under a
memory limit (``RLIMIT_AS``) and a wall-clock limit, and returns a :class:`Death` describing
how the child ended when it did not end normally, so the caller can record the sample as failed
with that reason instead of losing it (and with it the cohort pages, which need every sample's
evaluation).

This module imports only the standard library: the supervising parent stays small and starts
fast; the child imports what the work needs.
"""

from __future__ import annotations

import os
import resource
import select
import signal
import sys
import time
from dataclasses import dataclass
from typing import Callable

#: Environment for the child: one thread per numerical library and few malloc arenas, so the
#: address-space limit measures the work, not per-core thread reservations.
CHILD_ENV: dict[str, str] = {
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
}

#: What a fatal signal usually means for this workflow's jobs.
SIGNAL_MEANING: dict[int, str] = {
    signal.SIGSEGV: "segmentation fault: a library crashed while reading the inputs, most likely on a malformed "
                    "record",
    signal.SIGBUS: "bus error: a library crashed while reading the inputs (a truncated or changing file?)",
    signal.SIGABRT: "aborted: a library gave up (often a failed memory allocation or a malformed record)",
    signal.SIGKILL: "killed: out of memory, or killed by the system or the scheduler",
    signal.SIGTERM: "terminated: stopped by the scheduler (time limit or cancellation)",
    signal.SIGFPE: "arithmetic error in a library",
    signal.SIGILL: "illegal instruction in a library (a build for another CPU?)",
}

#: Exit status of the child when the work raised MemoryError under the limit.
EXIT_MEMORY = 86
#: Exit status of the child when the work raised anything else (the work should catch its own errors).
EXIT_ERROR = 87


@dataclass(frozen=True)
class Usage:
    """What a supervised child cost: wall time, its peak resident memory, and whether the supervising
    parent was itself told to stop (SIGTERM) while the child ran."""

    wall_s: float
    max_rss_mb: float | None
    terminated: bool = False


@dataclass(frozen=True)
class Death:
    """How a supervised child ended when it did not end normally."""

    reason: str
    signal: int | None = None
    exit_status: int | None = None
    timed_out: bool = False


def _child(work: Callable[[], None], memory_mb: int | None) -> None:
    os.environ.update(CHILD_ENV)
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    code = 0
    try:
        work()
    except MemoryError:
        code = EXIT_MEMORY
    except BaseException:  # the work should catch its own errors; anything left is reported by the parent
        import traceback

        traceback.print_exc()
        code = EXIT_ERROR
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _wait(pid: int, time_s: float | None) -> tuple[int | None, bool, float | None]:
    """Wait for ``pid``; ``(wait status, timed out, peak RSS in MB)``. Kills the child after ``time_s`` seconds."""
    deadline = None if not time_s else time.monotonic() + time_s
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
    try:
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                return status, False, usage.ru_maxrss / 1024
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                os.kill(pid, signal.SIGKILL)
                _, _, usage = os.wait4(pid, 0)
                return None, True, usage.ru_maxrss / 1024
            if fd is not None:
                select.select([fd], [], [], left)
            else:
                time.sleep(min(0.05, left) if left is not None else 0.05)
    finally:
        if fd is not None:
            os.close(fd)


def describe(status: int | None, timed_out: bool, *, memory_mb: int | None, time_s: float | None) -> Death | None:
    """The :class:`Death` of a child from its wait status, or None when it exited with status 0."""
    if timed_out:
        return Death(f"did not finish within {time_s:g} s (the job's time limit); the input may be far larger "
                     "than expected, or a reader may be stuck on it", timed_out=True)
    assert status is not None
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else f"signal {sig}"
        meaning = SIGNAL_MEANING.get(sig, "ended by a signal")
        if sig in (signal.SIGKILL, signal.SIGABRT) and memory_mb:
            meaning += f" (the job's memory limit is {memory_mb} MB)"
        return Death(f"the evaluation process died ({name}, {meaning})", signal=sig)
    code = os.WEXITSTATUS(status)
    if code == 0:
        return None
    if code == EXIT_MEMORY:
        return Death(f"the evaluation ran out of memory (the job's memory limit is {memory_mb} MB)", exit_status=code)
    return Death(f"the evaluation process ended with exit status {code}", exit_status=code)


def supervise(work: Callable[[], None], *, memory_mb: int | None = None, time_s: float | None = None) -> Death | None:
    """Run ``work()`` in a forked child under the limits; None when it ended normally, else how it died.

    A SIGTERM to the parent (a scheduler's time limit or ``scancel``) kills the child and is reported as the
    child's death by SIGTERM, so the caller still records the outcome before the scheduler's final SIGKILL.
    """
    return supervise_with_usage(work, memory_mb=memory_mb, time_s=time_s)[0]


def supervise_with_usage(work: Callable[[], None], *, memory_mb: int | None = None,
                         time_s: float | None = None) -> tuple[Death | None, Usage]:
    """:func:`supervise`, and what the child cost (:class:`Usage`; ``terminated``: the parent got SIGTERM,
    so a caller running several children one after another knows to stop)."""
    t0 = time.monotonic()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which leaves through os._exit
        _child(work, memory_mb)
    terminated: list[bool] = []

    def on_term(signum: int, frame: object) -> None:
        terminated.append(True)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        while True:
            try:
                status, timed_out, rss = _wait(pid, time_s)
                break
            except InterruptedError:  # pragma: no cover - PEP 475 retries most calls already
                continue
    finally:
        signal.signal(signal.SIGTERM, previous)
    usage = Usage(round(time.monotonic() - t0, 3), None if rss is None else round(rss, 1), bool(terminated))
    return describe(status, timed_out, memory_mb=memory_mb, time_s=time_s), usage


__all__ = ["CHILD_ENV", "Death", "EXIT_ERROR", "EXIT_MEMORY", "SIGNAL_MEANING", "Usage", "describe", "supervise",
           "supervise_with_usage"]
