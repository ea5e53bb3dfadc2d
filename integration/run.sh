#!/usr/bin/env bash
# `pnpm test:integration`: starts the local Flyte control plane, runs the integration suite against
# it, and stops it again whatever the suite's outcome (the suite's exit code is this script's).
# Extra arguments go to vitest (e.g. a test file, or -t 'a test name').
set -uo pipefail
cd "$(dirname "$0")/.."
bash integration/flyte/up.sh || { bash integration/flyte/down.sh --keep; exit 1; }
status=0
pnpm exec vitest run --config integration/vitest.config.ts "$@" || status=$?
if [ "$status" != 0 ]; then
  state="$(bash -c 'source integration/flyte/lib.sh; echo "$STATE"')"
  echo "integration suite failed; the last lines of FlyteAdmin's log:" >&2
  tail -n 40 "$state/logs/flyteadmin.log" >&2 || true
fi
bash integration/flyte/down.sh || true
exit "$status"
