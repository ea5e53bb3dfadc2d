#!/usr/bin/env bash
# Stops what up.sh started (the pod runner, FlytePropeller, kube-apiserver), then the rest of the
# control plane (../flyte/down.sh, which deletes the state unless --keep).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../flyte/lib.sh
source "$here/../flyte/lib.sh"
if [ -d "$STATE" ]; then
  stop pod-runner
  stop flytepropeller
  stop kube-apiserver
fi
bash "$here/../flyte/down.sh" "$@"
