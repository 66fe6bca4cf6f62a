#!/usr/bin/env bash
# Start a single-node SLURM test cluster on this machine (run as root).
#
#   tests/slurm/start_cluster.sh          # install if needed, configure, start, wait
#
# Idempotent: packages are installed only when missing, the configuration is
# rewritten only when it changed (then the daemons are restarted), and running
# daemons are left alone.  Meant for CI runners and containers without systemd:
# munged, slurmctld and slurmd are started by hand as daemons.
#
# What it sets up (deliberately minimal, NOT a production configuration):
#   * one node named after `hostname -s`, with the CPU count and memory that
#     `slurmd -C` detects, reachable at 127.0.0.1;
#   * two partitions: `mmtest_default` (the default) and `mmtest_site` (what a site's own profile
#     names: the shipped profile names none);
#   * no accounting database (AccountingStorageType=accounting_storage/none),
#     so `sacct`, `sacctmgr` and `sshare` do not work: job status must come
#     from `squeue`, hence a long MinJobAge keeps finished jobs visible there;
#   * no cgroups (containers rarely allow them): proctrack/linuxproc, task/none.
#
# Environment knobs:
#   SLURM_TEST_WAIT         seconds to wait for the node to become idle [90]
#   SLURM_TEST_MIN_JOB_AGE  MinJobAge in seconds [7200]
#   SLURM_TEST_FORCE=1      overwrite an /etc/slurm/slurm.conf not written by this script
#
# Stop everything again with tests/slurm/stop_cluster.sh.
set -euo pipefail

WAIT_SECONDS="${SLURM_TEST_WAIT:-90}"
MIN_JOB_AGE="${SLURM_TEST_MIN_JOB_AGE:-7200}"
MARKER="# managed by tests/slurm/start_cluster.sh"
CONF=/etc/slurm/slurm.conf
LOGDIR=/var/log/slurm
CTLD_LOG="$LOGDIR/slurmctld.log"
SLURMD_LOG="$LOGDIR/slurmd.log"
MUNGE_LOG=/var/log/munge/munged.log
CTLD_PID=/run/slurmctld.pid
SLURMD_PID=/run/slurmd.pid

log() { echo "[start_cluster] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

dump_logs() {
    local f
    for f in "$MUNGE_LOG" "$CTLD_LOG" "$SLURMD_LOG"; do
        if [ -f "$f" ]; then
            echo "----- last lines of $f -----" >&2
            tail -n 30 "$f" >&2 || true
        else
            echo "----- $f does not exist -----" >&2
        fi
    done
    echo "----- sinfo -----" >&2
    timeout 10 sinfo -N -l >&2 2>&1 || true
}

# pid_alive PIDFILE: the daemon whose pid is in PIDFILE is running.
pid_alive() {
    [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

[ "$(uname -s)" = Linux ] || die "Linux only"
[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and starts daemons)"

# --- 1. packages ------------------------------------------------------------
need=()
command -v slurmctld >/dev/null 2>&1 || need+=(slurm-wlm)
command -v slurmd >/dev/null 2>&1 || need+=(slurm-wlm)
command -v sbatch >/dev/null 2>&1 || need+=(slurm-wlm)
command -v munged >/dev/null 2>&1 || need+=(munge)
if [ ${#need[@]} -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "SLURM is not installed and apt-get is not available"
    log "installing slurm-wlm munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

HOST="$(hostname -s)"
[ -n "$HOST" ] || die "hostname -s is empty"

# --- 2. munge -----------------------------------------------------------------
install -d -o munge -g munge -m 0700 /etc/munge
install -d -o munge -g munge -m 0700 /var/log/munge
install -d -o munge -g munge -m 0711 /var/lib/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    if command -v mungekey >/dev/null 2>&1; then
        mungekey --create --keyfile=/etc/munge/munge.key --force
    else
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
    fi
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key

if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    log "starting munged"
    # a stale pid/socket from a killed munged would make it refuse to start
    if ! pid_alive /run/munge/munged.pid; then
        rm -f /run/munge/munged.pid /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
    fi
    runuser -u munge -- /usr/sbin/munged || { dump_logs; die "munged did not start"; }
    ok=0
    for _ in $(seq 1 20); do
        if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then ok=1; break; fi
        sleep 0.5
    done
    [ "$ok" = 1 ] || { dump_logs; die "munge does not work (munge -n | unmunge fails)"; }
fi

# --- 3. slurm.conf ------------------------------------------------------------
# `slurmd -C` prints e.g. "NodeName=vm CPUs=2 Boards=1 SocketsPerBoard=1
# CoresPerSocket=2 ThreadsPerCore=1 RealMemory=24105"; keep the hardware part.
hw="$(slurmd -C | head -n 1)"
case "$hw" in NodeName=*) ;; *) die "unexpected output of slurmd -C: $hw" ;; esac
hw="$(echo "$hw" | sed -e 's/^NodeName=[^ ]* *//')"
# Leave a little slack so memory jitter never drains the node ("Low RealMemory").
mem="$(echo "$hw" | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')"
[ -n "$mem" ] || die "no RealMemory in slurmd -C output: $hw"
mem_cfg=$(( mem > 1024 ? mem - 256 : mem ))
hw="$(echo "$hw" | sed -e "s/RealMemory=[0-9]*/RealMemory=$mem_cfg/")"

new_conf="$(cat <<EOF
$MARKER
# Single-node test cluster for the Snakemake SLURM profile (profiles/slurm).
# No accounting database, no cgroups. Regenerated on every start.
ClusterName=snakemaketest
SlurmctldHost=${HOST}(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmdSpoolDir=/var/spool/slurmd
StateSaveLocation=/var/spool/slurmctld
SlurmctldLogFile=$CTLD_LOG
SlurmdLogFile=$SLURMD_LOG
SlurmctldDebug=info
SlurmdDebug=info
# containers: no cgroups
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
# scheduling: cores and memory are consumable resources
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
# no accounting database: sacct/sacctmgr/sshare do not work
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
# keep finished jobs visible to squeue/scontrol (the Snakemake SLURM plugin
# then queries job states with squeue instead of sacct)
MinJobAge=$MIN_JOB_AGE
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=10
NodeName=$HOST NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=mmtest_default Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
PartitionName=mmtest_site Nodes=$HOST Default=NO MaxTime=INFINITE State=UP
EOF
)"

changed=0
if [ -f "$CONF" ] && ! grep -qF "$MARKER" "$CONF" && [ "${SLURM_TEST_FORCE:-0}" != 1 ]; then
    die "$CONF exists and was not written by this script; refusing to overwrite it (set SLURM_TEST_FORCE=1 to do so)"
fi
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$new_conf" ]; then
    log "writing $CONF"
    install -d -m 0755 /etc/slurm
    printf '%s\n' "$new_conf" > "$CONF"
    chmod 0644 "$CONF"
    changed=1
fi

install -d -o slurm -g slurm -m 0755 /var/spool/slurmctld "$LOGDIR"
install -d -o root -g root -m 0755 /var/spool/slurmd
touch "$CTLD_LOG" "$SLURMD_LOG"
chown slurm:slurm "$CTLD_LOG"

# --- 4. daemons -----------------------------------------------------------------
stop_pidfile() {  # stop_pidfile PIDFILE NAME
    local pid i
    pid_alive "$1" || return 0
    pid="$(cat "$1")"
    log "stopping $2 (pid $pid) to apply the new configuration"
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
}

if [ "$changed" = 1 ]; then
    stop_pidfile "$SLURMD_PID" slurmd
    stop_pidfile "$CTLD_PID" slurmctld
fi

if ! pid_alive "$CTLD_PID"; then
    log "starting slurmctld"
    # -i: ignore errors from state files of an earlier, differently configured run
    slurmctld -i || { dump_logs; die "slurmctld did not start"; }
fi
ok=0
for _ in $(seq 1 60); do
    if timeout 5 scontrol ping 2>/dev/null | grep -q "is UP"; then ok=1; break; fi
    sleep 0.5
done
[ "$ok" = 1 ] || { dump_logs; die "slurmctld does not answer (scontrol ping)"; }

if ! pid_alive "$SLURMD_PID"; then
    log "starting slurmd"
    slurmd || { dump_logs; die "slurmd did not start"; }
fi

# --- 5. wait for the node ---------------------------------------------------------
deadline=$(( $(date +%s) + WAIT_SECONDS ))
state=""
resumed=0
while :; do
    state="$(timeout 10 sinfo -h -N -n "$HOST" -o '%T' 2>/dev/null | head -n 1 || true)"
    case "$state" in
        idle|mixed|allocated|completing) break ;;
        down*|drain*|fail*)
            # e.g. left "down" by an earlier run; ReturnToService=2 normally
            # handles this, but be explicit once.
            if [ "$resumed" = 0 ]; then
                log "node $HOST is $state, resuming it"
                timeout 10 scontrol update NodeName="$HOST" State=RESUME 2>/dev/null || true
                resumed=1
            fi ;;
    esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
        dump_logs
        die "node $HOST did not become idle within ${WAIT_SECONDS}s (state: '${state:-unknown}')"
    fi
    sleep 1
done
log "SLURM cluster up: node $HOST is $state (partitions mmtest_default (the default) and mmtest_site)"
