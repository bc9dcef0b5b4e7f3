#!/usr/bin/env bash
# Submit a trappe parameter sweep to Slurm: a job array of TASKS shards and
# a merge job that starts when all of them have succeeded.
#
#   examples/slurm/submit.sh OUT SCENARIO.toml [trappe sweep options...]
#
# e.g.
#   TASKS=8 examples/slurm/submit.sh runs/caseworkers \
#       scenarios/herning-sverigesmodel.toml \
#       --vary workforce.caseworkers=2..12 --replications 1000
#
# Environment: TASKS (array size, default 4), TRAPPE (the trappe binary,
# default: `trappe` on PATH; it must be reachable from the compute nodes),
# SBATCH_ARGS (extra sbatch options for both jobs, e.g. "--partition=short
# --time=02:00:00"). OUT must be on a file system the compute nodes share.
#
# Prints the two job ids ("ARRAY_JOB MERGE_JOB"); results land in
# OUT/results (sweep.csv, points.csv, sweep.json, plots/), partial results
# in OUT/shards, logs in OUT/logs.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,20p' "$0" >&2
  exit 2
fi
out=$1
scenario=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
tasks=${TASKS:-4}
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
export TRAPPE=${TRAPPE:-trappe}
# shellcheck disable=SC2086 # SBATCH_ARGS is a list of options
array=$(sbatch --parsable ${SBATCH_ARGS:-} \
  --array="0-$((tasks - 1))" \
  --output="$out/logs/sweep-%A_%a.log" \
  --export=ALL \
  "$here/sweep.sbatch" "$scenario" --out "$out/shards" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_ARGS:-} \
  --dependency="afterok:$array" \
  --kill-on-invalid-dep=yes \
  --output="$out/logs/merge-%j.log" \
  --export=ALL \
  "$here/merge.sbatch" "$out/shards" --out "$out/results")
merge=${merge%%;*}
echo "$array $merge"
