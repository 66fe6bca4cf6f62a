#!/usr/bin/env bash
# Stop the single-node SLURM test cluster started by tests/slurm/start_cluster.sh
# (slurmd, slurmctld, munged), using their pid files. Safe to run repeatedly.
#
#   tests/slurm/stop_cluster.sh           # stop the daemons
#   tests/slurm/stop_cluster.sh --purge   # also forget the job state (spool dirs)
#
# The packages stay in place. /etc/slurm/slurm.conf is removed when start_cluster.sh wrote it:
# with a configuration naming a controller that no longer runs, `scontrol` waits ~9 s for it,
# and the SLURM executor plugin runs `scontrol show config` at every Snakemake start (also for
# local runs). start_cluster.sh writes it again.
set -uo pipefail

log() { echo "[stop_cluster] $*" >&2; }

[ "$(id -u)" -eq 0 ] || { log "ERROR: must run as root"; exit 1; }

# stop PIDFILE NAME: SIGTERM, wait up to 10 s, then SIGKILL.
stop() {
    local pidfile="$1" name="$2" pid i
    if [ ! -s "$pidfile" ]; then
        log "$name: not running (no pid file)"
        return 0
    fi
    pid="$(cat "$pidfile")"
    if ! kill -0 "$pid" 2>/dev/null; then
        log "$name: not running (stale pid file)"
        rm -f "$pidfile"
        return 0
    fi
    log "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 40); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
        sleep 0.25
    done
    log "$name did not stop after 10 s, killing it"
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
}

stop /run/slurmd.pid slurmd
stop /run/slurmctld.pid slurmctld
stop /run/munge/munged.pid munged

if [ -f /etc/slurm/slurm.conf ] && grep -qF "# managed by tests/slurm/start_cluster.sh" /etc/slurm/slurm.conf; then
    log "removing /etc/slurm/slurm.conf (written by start_cluster.sh)"
    rm -f /etc/slurm/slurm.conf
fi

if [ "${1:-}" = "--purge" ]; then
    log "removing job state in /var/spool/slurmctld and /var/spool/slurmd"
    rm -rf /var/spool/slurmctld/* /var/spool/slurmd/*
fi
exit 0
