#!/usr/bin/env bash
# The nightly regression check: runs configs/nightly.yaml into ROOT/<UTC date> (running it again the same day
# resumes what finished), then compares the night with the latest earlier one under ROOT that has results.arrow
# and saves the report beside the results as compare.md.
#
#   scripts/nightly.sh [ROOT] [--compare-with DIR]
#
# ROOT defaults to results/nightly in this repository; --compare-with names the folder to compare with
# instead of the latest earlier night.
#
# TOKBENCH_NIGHTLY_CONFIG names another sweep file (relative to the repository) to run instead.
#
# Exit code: compare's when it is not 0 (3: a quality metric got worse, see compare.md); otherwise run's
# (0 all runs ok, 1 some failed or diverged). A run that exits otherwise (2 bad input, 130/143 stopped) is
# not compared.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$repo/results/nightly
previous=
while [[ $# -gt 0 ]]; do
  case $1 in
    --compare-with) previous=$(cd "$2" && pwd); shift 2 ;;
    *) root=$1; shift ;;
  esac
done
case $root in
  /*) ;;
  *) root=$PWD/$root ;;
esac
config=${TOKBENCH_NIGHTLY_CONFIG:-configs/nightly.yaml}
today=$(date -u +%Y-%m-%d)
out=$root/$today

tokbench() {
  node "$repo/bin/tokbench.js" "$@"
}

cd "$repo"
run_status=0
tokbench run "$config" --out "$out" || run_status=$?
if [[ $run_status -ne 0 && $run_status -ne 1 ]]; then
  echo "nightly: tokbench run exited with $run_status; nothing compared" >&2
  exit "$run_status"
fi

# Folders are named by date, so the glob lists them in order: the last earlier one with a table wins.
if [[ -z $previous ]]; then
  for dir in "$root"/????-??-??; do
    name=${dir##*/}
    if [[ -f $dir/results.arrow && $name < $today ]]; then
      previous=$dir
    fi
  done
fi
if [[ -z $previous ]]; then
  echo "nightly: no earlier night under $root to compare with" >&2
  exit "$run_status"
fi

compare_status=0
tokbench compare "$out" --with "$previous" | tee "$out/compare.md" || compare_status=$?
if [[ $compare_status -ne 0 ]]; then
  exit "$compare_status"
fi
exit "$run_status"
