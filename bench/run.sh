#!/usr/bin/env bash
# Kept for `bash bench/run.sh` habits: the benchmark is bench/run (same options).
exec "$(dirname "$0")/run" "$@"
