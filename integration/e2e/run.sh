#!/usr/bin/env bash
# `pnpm test:e2e`: starts the end-to-end profile of the local Flyte control plane (up.sh), runs the
# end-to-end suite against it, and stops everything whatever the outcome (the suite's exit code is
# this script's). Extra arguments go to vitest (e.g. a test file, or -t 'a test name').
set -uo pipefail
cd "$(dirname "$0")"
started=$SECONDS
bash up.sh || { bash down.sh --keep; exit 1; }
echo "[flyte e2e] control plane up in $((SECONDS - started)) s" >&2
status=0
../../node_modules/.bin/vitest run --config vitest.e2e.config.ts "$@" || status=$?
if [ "$status" != 0 ]; then
  state="$(bash -c 'source ../flyte/lib.sh; echo "$STATE"')"
  for name in flytepropeller pod-runner flyteadmin; do
    echo "end-to-end suite failed; the last lines of $name's log:" >&2
    tail -n 30 "$state/logs/$name.log" >&2 || true
  done
fi
bash down.sh || true
exit "$status"
