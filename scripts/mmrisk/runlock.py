"""One run per results folder: a lock in the outdir itself.

Snakemake locks its working directory, but two runs from two checkouts (or two working
directories) may name the same ``outdir`` and would overwrite each other's samples and cohort
pages. :func:`acquire` creates ``<outdir>/.mmrisk/run.lock`` (hard-linked into place, so only one
run can win, also on NFS) holding who holds it; a second run is refused at once with who holds
it and what to do. A lock left by a run that was killed is recognised as stale when its process
is gone from this host (process id and start time, so a reused id is not taken for the run) and
replaced with a note. Standard library only.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import asdict, dataclass
from pathlib import Path

LOCK = Path(".mmrisk") / "run.lock"


class RunLocked(Exception):
    """The outdir is in use by another run."""


@dataclass(frozen=True)
class Holder:
    """Who holds a lock."""

    pid: int
    host: str
    started: str  # when the run started, ISO 8601
    proc_start: str  # the process's start time on its host (/proc/<pid>/stat field 22), "" where unknown
    workdir: str
    command: str

    @staticmethod
    def me(command: str) -> Holder:
        pid = os.getpid()
        return Holder(pid, socket.gethostname(), time.strftime("%Y-%m-%dT%H:%M:%S%z"), _proc_start(pid),
                      os.getcwd(), command)


def _proc_start(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[19]


def alive(h: Holder) -> bool | None:
    """Whether the holder's process still runs: True/False on this host, None on another host."""
    if h.host != socket.gethostname():
        return None
    try:
        os.kill(h.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    start = _proc_start(h.pid)
    return not (h.proc_start and start and start != h.proc_start)


def _read(path: Path) -> Holder | None:
    try:
        return Holder(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        return Holder(-1, "?", "?", "", "?", "an unreadable lock file")


def _message(path: Path, h: Holder, where: str) -> str:
    return (f"the results folder {path.parent.parent} is in use by another run ({where}: process {h.pid} on host "
            f"{h.host}, started {h.started}, working directory {h.workdir}, command: {h.command}). Two runs into one "
            f"outdir overwrite each other's results: wait for it to end, or give this run another outdir "
            f"(--config outdir=...). If that run is no longer running, delete {path}.")


def acquire(outdir: str | Path, command: str = "") -> list[str]:
    """Take the lock of ``outdir`` for this process; the notes to log (a stale lock replaced).

    Raises :class:`RunLocked` with who holds it when another live run (or a run on another host, whose
    liveness cannot be checked from here) holds it.
    """
    path = Path(outdir) / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    me = Holder.me(command)
    tmp = path.with_name(f"run.lock.{me.host}.{me.pid}.tmp")
    tmp.write_text(json.dumps(asdict(me), indent=1) + "\n", encoding="utf-8")
    notes: list[str] = []
    try:
        for _ in range(3):
            try:
                os.link(tmp, path)
                return notes
            except FileExistsError:
                pass
            h = _read(path)
            if h is None:
                continue  # released meanwhile
            if h.pid == me.pid and h.host == me.host:
                return notes  # ours already (a second acquire in the same process)
            state = alive(h)
            if state is True:
                raise RunLocked(_message(path, h, "running"))
            if state is None and h.host != "?":
                raise RunLocked(_message(path, h, "on another host, so this run cannot check whether it still runs"))
            notes.append(f"replaced a stale lock of {path.parent.parent}: its run ({h.command}, process {h.pid} on "
                         f"{h.host}, started {h.started}) ended without releasing it")
            path.unlink(missing_ok=True)
        raise RunLocked(f"cannot take the lock {path}: other runs keep taking it")
    finally:
        tmp.unlink(missing_ok=True)


def release(outdir: str | Path) -> None:
    """Release the lock of ``outdir`` if this process holds it."""
    path = Path(outdir) / LOCK
    h = _read(path)
    if h is not None and h.pid == os.getpid() and h.host == socket.gethostname():
        path.unlink(missing_ok=True)


__all__ = ["Holder", "LOCK", "RunLocked", "acquire", "alive", "release"]
