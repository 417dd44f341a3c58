#!/usr/bin/env bash
# A real one-node Slurm on loopback, for testing `deepcheap slurm` (never a mock).
#
#   scripts/slurm-local.sh start [DIR]   installs Debian's slurmctld, slurmd,
#                                         slurm-client and munge if missing, writes
#                                         DIR/slurm.conf, starts munged, slurmctld
#                                         and slurmd, waits until the node is idle
#   scripts/slurm-local.sh stop [DIR]    stops exactly the processes start started
#                                         (by the PIDs it recorded in DIR)
#   scripts/slurm-local.sh env [DIR]     prints the environment clients need
#
# DIR defaults to /tmp/deepcheap-slurm.  Every address is 127.0.0.1, so no
# traffic leaves the machine.  Needs root (slurmd runs jobs as their owner).
# Clients: export SLURM_CONF=DIR/slurm.conf (what `env` prints).
set -euo pipefail
cmd=${1:-}
dir=${2:-/tmp/deepcheap-slurm}

die() { echo "slurm-local: $*" >&2; exit 1; }

install_missing() {
    local pkgs=(slurmctld slurmd slurm-client munge) missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); run as root"
    echo "slurm-local: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# A free TCP port on loopback, from a small range (the test must not collide
# with a site's real Slurm on 6817/6818).
free_port() {
    local p
    for p in $(seq "$1" $(($1 + 200))); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    die "no free port from $1"
}

write_conf() {
    local host cpus ctl_port d_port
    host=$(hostname -s)
    cpus=$(nproc)
    ctl_port=$(free_port 16817)
    d_port=$(free_port $((ctl_port + 1)))
    mkdir -p "$dir/state" "$dir/spool" "$dir/log"
    cat > "$dir/slurm.conf" <<EOF
# written by scripts/slurm-local.sh: one node, loopback only
ClusterName=deepcheap
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctl_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

start() {
    [ "$(id -u)" -eq 0 ] || die "start needs root"
    install_missing
    [ -e "$dir/pids" ] && die "$dir/pids exists: already started (run stop first)"
    mkdir -p "$dir"
    write_conf
    # our own munge key and socket: the machine's munged, if any, is untouched
    dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none
    chmod 0400 "$dir/munge.key"
    : > "$dir/pids"
    munged --force --key-file="$dir/munge.key" --socket="$dir/munge.socket" \
           --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" \
           --seed-file="$dir/munged.seed"
    wait_file "$dir/munged.pid" munged
    echo "munged $(cat "$dir/munged.pid")" >> "$dir/pids"
    export SLURM_CONF=$dir/slurm.conf
    slurmctld -i
    wait_file "$dir/slurmctld.pid" slurmctld
    echo "slurmctld $(cat "$dir/slurmctld.pid")" >> "$dir/pids"
    slurmd -N "$(hostname -s)"
    wait_file "$dir/slurmd.pid" slurmd
    echo "slurmd $(cat "$dir/slurmd.pid")" >> "$dir/pids"
    local i state
    for i in $(seq 1 60); do
        state=$(sinfo -h -o '%T' 2>/dev/null | head -n 1 || true)
        case $state in idle|mixed|allocated) echo "slurm-local: node $state; export SLURM_CONF=$dir/slurm.conf"; return 0 ;; esac
        sleep 0.5
    done
    die "node not ready after 30 s (state '$state'; see $dir/log)"
}

wait_file() {
    local i
    for i in $(seq 1 50); do [ -s "$1" ] && return 0; sleep 0.1; done
    die "$2 did not start (see $dir/log)"
}

stop() {
    [ -f "$dir/pids" ] || { echo "slurm-local: nothing started in $dir" >&2; return 0; }
    local name pid i order
    # slurmd, slurmctld, then munged: the reverse of start
    for order in slurmd slurmctld munged; do
        while read -r name pid; do
            [ "$name" = "$order" ] || continue
            kill "$pid" 2>/dev/null || continue
            for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
        done < "$dir/pids"
    done
    rm -f "$dir/pids"
    rm -rf "$dir"
}

case $cmd in
    start) start ;;
    stop) stop ;;
    env) echo "export SLURM_CONF=$dir/slurm.conf" ;;
    *) echo "usage: scripts/slurm-local.sh start|stop|env [DIR]" >&2; exit 2 ;;
esac
