#!/usr/bin/env bash
# End-to-end test of a sweep on a real Slurm cluster: a single-node
# slurmctld + slurmd on localhost, started here without systemd.
#
#   bash tests/slurm.sh
#
# 1. installs Debian's slurm-wlm and munge (if missing; needs root and apt);
# 2. starts munged, slurmctld and slurmd from a scratch folder, with their
#    own socket, ports, state and logs, so nothing on the machine is touched
#    and a system Slurm, if any, keeps running;
# 3. submits a sweep as a 4-task job array plus a dependent merge job with
#    examples/slurm/submit.sh, and waits for the merge;
# 4. checks that the merged results equal the single-machine sweep byte for
#    byte (sweep.csv, points.csv, sweep.json, scenario.toml, values.bin,
#    shard.json);
# 5. stops the daemons it started, by PID, and removes the scratch folder.
#
# Exits 0 with "SKIPPED: ..." only when the Slurm packages cannot be
# installed (not root, no apt-get, or the install fails), and only outside
# CI: with CI=true (as .ci/run sets) or TRAPPE_SLURM_REQUIRED=1 that is a
# failure, like the other tests that need system tools.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

say() { echo "slurm.sh: $*"; }

skip() {
  if [ "${TRAPPE_SLURM_REQUIRED:-0}" = 1 ] || [ "${CI:-}" = true ]; then
    echo "slurm.sh: FAILED: $* (required here: CI=${CI:-} TRAPPE_SLURM_REQUIRED=${TRAPPE_SLURM_REQUIRED:-})" >&2
    exit 1
  fi
  echo "SKIPPED: Slurm test: $*"
  exit 0
}

# --- 1. packages -----------------------------------------------------------
have_slurm() {
  [ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/slurmd ] && [ -x /usr/sbin/munged ] &&
    command -v sbatch >/dev/null
}
if ! have_slurm; then
  [ "$(id -u)" = 0 ] || skip "slurm-wlm is not installed and installing it needs root"
  command -v apt-get >/dev/null || skip "slurm-wlm is not installed and there is no apt-get"
  export DEBIAN_FRONTEND=noninteractive
  say "installing slurm-wlm and munge"
  if ! apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends slurm-wlm munge >/dev/null 2>&1; then
    apt-get update -qq -o DPkg::Lock::Timeout=300 >/dev/null 2>&1 || true
    apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends slurm-wlm munge >/dev/null 2>&1 ||
      skip "apt-get could not install slurm-wlm and munge"
  fi
  have_slurm || skip "slurm-wlm installed but its daemons are missing"
fi
[ "$(id -u)" = 0 ] || skip "the single-node cluster runs its daemons as root (SlurmUser=root)"

# --- the trappe binary -------------------------------------------------------
say "building trappe (release)"
cargo build --release --quiet --bin trappe
scratch=$(mktemp -d /tmp/trappe-slurm.XXXXXX)
chmod 755 "$scratch"
# A private copy: concurrent builds may replace target/release/trappe.
cp target/release/trappe "$scratch/trappe"
export TRAPPE="$scratch/trappe"

# --- 2. daemons ----------------------------------------------------------------
pids=()
stop() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$status" != 0 ] && [ -d "$scratch/log" ]; then
    for f in "$scratch"/log/* "$scratch"/run/logs/*.log; do
      [ -f "$f" ] || continue
      echo "--- $f (last 30 lines)" >&2
      tail -n 30 "$f" >&2
    done
  fi
  rm -rf "$scratch"
  exit "$status"
}
trap stop EXIT

# A free TCP port (not listened on, not one we already chose).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [ "$port" != "${1:-}" ]; then
      echo "$port"
      return
    fi
  done
}

mkdir -p "$scratch"/{munge,log,state,spool,run}
chown munge:munge "$scratch/munge"
chmod 755 "$scratch/munge" # clients need to reach the socket
dd if=/dev/urandom of="$scratch/munge/munge.key" bs=1024 count=1 status=none
chown munge:munge "$scratch/munge/munge.key"
chmod 400 "$scratch/munge/munge.key"
socket="$scratch/munge/munge.socket"
say "starting munged"
runuser -u munge -- /usr/sbin/munged --foreground \
  --socket="$socket" --key-file="$scratch/munge/munge.key" \
  --pid-file="$scratch/munge/munged.pid" --seed-file="$scratch/munge/munged.seed" \
  --log-file="$scratch/log/munged.log" >"$scratch/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || { echo "munged did not start" >&2; exit 1; }

ctld_port=$(free_port)
slurmd_port=$(free_port "$ctld_port")
cpus=$(nproc)
export SLURM_CONF="$scratch/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=trappetest
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$scratch/state
SlurmdSpoolDir=$scratch/spool
SlurmctldPidFile=$scratch/run/slurmctld.pid
SlurmdPidFile=$scratch/run/slurmd.pid
SlurmctldLogFile=$scratch/log/slurmctld.log
SlurmdLogFile=$scratch/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
say "starting slurmctld (port $ctld_port) and slurmd (port $slurmd_port), $cpus CPUs"
/usr/sbin/slurmctld -D -f "$SLURM_CONF" >"$scratch/log/slurmctld.out" 2>&1 &
pids+=($!)
/usr/sbin/slurmd -D -N localhost -f "$SLURM_CONF" >"$scratch/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
  state=$(sinfo -h -N -o '%t' 2>/dev/null | head -n 1 || true)
  [ "$state" = idle ] && break
  sleep 0.5
done
if [ "$state" != idle ]; then
  echo "the node did not become idle (state: '${state:-none}')" >&2
  sinfo -N -l >&2 || true
  exit 1
fi
say "cluster up: $(sinfo -h -o '%P %a %D %t' | head -n 1)"

# --- 3. the sweep as a job array + dependent merge -----------------------------
scenario="$repo/scenarios/herning-sverigesmodel.toml"
sweep_args=(--vary workforce.caseworkers=2..12 --replications 40)
run="$scratch/run"
jobs=$(cd "$scratch" && TASKS=4 "$repo/examples/slurm/submit.sh" "$run" "$scenario" "${sweep_args[@]}")
read -r array merge <<<"$jobs"
say "submitted array job $array (4 tasks) and merge job $merge"
merge_state=
for _ in $(seq 600); do
  merge_state=$(scontrol show job "$merge" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1)
  case "$merge_state" in
  COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE) break ;;
  esac
  sleep 0.5
done
say "merge job $merge: ${merge_state:-unknown}"
if [ "$merge_state" != COMPLETED ]; then
  scontrol show job "$array" >&2 || true
  scontrol show job "$merge" >&2 || true
  exit 1
fi
tasks_done=$(scontrol show job "$array" | grep -c 'JobState=COMPLETED' || true)
[ "$tasks_done" = 4 ] || { echo "expected 4 completed array tasks, found $tasks_done" >&2; exit 1; }
shards=$(find "$run/shards" -mindepth 1 -maxdepth 1 -name 'shard-*-of-4' | wc -l)
[ "$shards" = 4 ] || { echo "expected 4 shard folders, found $shards" >&2; exit 1; }
# Each task chose its shard from the array variables (no --shard given).
for k in 1 2 3 4; do
  grep -q "from SLURM_ARRAY_TASK_ID=$((k - 1)) of 4 array tasks" "$run/shards/shard-$k-of-4/run.json" ||
    { echo "shard $k/4 was not chosen from SLURM_ARRAY_TASK_ID" >&2; exit 1; }
done

# --- 4. compare with the single-machine sweep -----------------------------------
say "running the same sweep on one machine"
"$TRAPPE" sweep "$scenario" "${sweep_args[@]}" --out "$scratch/single" --quiet --no-auto-shard >/dev/null
for f in sweep.csv points.csv sweep.json scenario.toml values.bin shard.json; do
  cmp "$scratch/single/$f" "$run/results/$f"
done
[ -s "$run/results/plots/cost-total-vs-workforce_caseworkers.png" ]
say "OK: merged Slurm results are byte-identical to the single-machine sweep ($(wc -l <"$run/results/sweep.csv") lines of sweep.csv)"
