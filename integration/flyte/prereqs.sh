#!/usr/bin/env bash
# Installs what the local Flyte control plane needs and a fresh machine may lack (PostgreSQL's server,
# curl; openssl for the end-to-end profile's certificates), through apt-get; checks Go. Used by
# .ci/run before `pnpm test:integration` and `pnpm test:e2e`.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1 || [ -n "${PG_BIN:-}" ] || missing+=(postgresql)
command -v curl > /dev/null || missing+=(curl)
command -v openssl > /dev/null || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "[flyte] missing ${missing[*]}: install them (apt-get install ${missing[*]})" >&2; exit 1; }
  echo "[flyte] installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi
command -v go > /dev/null || { echo "[flyte] Go (>= 1.26) is not installed: the control plane is built from Go modules" >&2; exit 1; }
go_minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
[ "$go_minor" -ge 26 ] || { echo "[flyte] Go $(go env GOVERSION) is too old: FlyteAdmin's modules need Go >= 1.26" >&2; exit 1; }
