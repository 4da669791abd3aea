#!/usr/bin/env bash
# A sweep spread over a Slurm job array: array task i runs shard i of 4 into its own folder. tokbench reads
# SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT and SLURM_ARRAY_TASK_MIN itself and balances the shards by
# estimated cost; submitting again resumes what each shard finished.
#
#   cd tokbench && sbatch scripts/slurm-array.sh [CONFIG] [DIR]     defaults: configs/nightly.yaml, results/slurm
#
# Then merge the shards into one folder once every task has ended (afterany: a failed task leaves its runs
# missing, which merge lists, exiting 1):
#   sbatch --dependency=afterany:<array job id> --wrap 'node bin/tokbench.js merge results/slurm/shard-* --out results/slurm/all'
#
#SBATCH --job-name=tokbench
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail

config=${1:-configs/nightly.yaml}
dir=${2:-results/slurm}
# sbatch runs a copy of this script, so the repository is the folder it was submitted from.
cd "${SLURM_SUBMIT_DIR:-.}"
exec node bin/tokbench.js run "$config" --out "$dir/shard-$SLURM_ARRAY_TASK_ID" --concurrency "${SLURM_CPUS_PER_TASK:-1}"
