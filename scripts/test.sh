#!/bin/sh
# Runs every test file under test/ with node:test through tsx. Node 20 does not expand a quoted glob,
# and a run that finds no test exits 0, so the file list is built here and an empty one is an error.
set -eu
cd "$(dirname "$0")/.."
files=$(find test -name '*.test.ts' | sort)
if [ -z "$files" ]; then
  echo "scripts/test.sh: no test files found under test/" >&2
  exit 1
fi
# shellcheck disable=SC2086
exec node --import tsx --test --test-reporter=spec "$@" $files
