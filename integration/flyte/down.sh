#!/usr/bin/env bash
# Stops the local Flyte control plane that up.sh started and deletes its state (database, objects,
# logs); `--keep` keeps the state for the next `up`. Does nothing when nothing runs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=auth.sh
source "$here/auth.sh"

keep=false
[ "${1:-}" = "--keep" ] && keep=true
[ -d "$STATE" ] || { log "nothing to stop ($STATE does not exist)"; exit 0; }

auth_down
stop flyteadmin
stop minio
if [ -f "$STATE/pg/postmaster.pid" ]; then
  pg_bin="$(find_pg_bin)"
  pg_user=()
  if [ "$(id -u)" = 0 ]; then pg_user=(runuser -u postgres --); fi
  "${pg_user[@]}" "$pg_bin/pg_ctl" -D "$STATE/pg" -m fast -w -t 60 stop > /dev/null || log "pg_ctl stop failed"
fi
if [ "$keep" = false ]; then
  rm -rf "$STATE"
  log "stopped; state removed"
else
  log "stopped; state kept in $STATE"
fi
