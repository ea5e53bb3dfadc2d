#!/usr/bin/env bash
# Builds (once) the Go programs the local Flyte control plane runs, into a cache outside the clone:
#   $FLYTEKIT_TS_CACHE/flyteadmin-<hash>/flyteadmin  FlyteAdmin, from the wrapper module in admin/
#   $FLYTEKIT_TS_CACHE/minio-<version>/minio          MinIO, from its Go module
#   $FLYTEKIT_TS_CACHE/dex-<hash>/dex                 Dex (the auth profile's OpenID provider), from the wrapper in dex/
# (FLYTEKIT_TS_CACHE defaults to ~/.cache/flytekit-ts). <hash> covers every input of the build, so a
# changed wrapper builds anew and an unchanged one costs nothing. Prints the paths, one a line
# (`all`: FlyteAdmin's, then MinIO's).
# Builds are niced: the machine is shared.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${FLYTEKIT_TS_CACHE:-$HOME/.cache/flytekit-ts}"
minio_module="github.com/minio/minio"
minio_version="$(tr -d '[:space:]' < "$here/minio.version")"

build_label="flyte build"
# shellcheck source=go-build.sh
source "$here/go-build.sh"

build_admin() {
  local hash dir out work
  hash="$(cat "$here/admin/go.mod" "$here/admin/go.sum" "$here/admin/main.go" "$here/admin/sources.txt" "$here/build.sh" "$here/go-build.sh" | sha256sum | cut -c1-16)"
  dir="$cache/flyteadmin-$hash"
  out="$dir/flyteadmin"
  if [ -x "$out" ]; then echo "$out"; return; fi
  log "building FlyteAdmin into $dir (a cold build takes a while; later runs reuse it)"
  work="$(mktemp -d "$cache/flyteadmin-$hash.build.XXXXXX")"
  trap 'rm -rf "$work"' RETURN
  cp "$here/admin/go.mod" "$here/admin/go.sum" "$here/admin/main.go" "$work/"
  fetch_sources "$here/admin/sources.txt" "$work"
  # FlyteAdmin and its profiling server listen on every interface; these tests serve on loopback only.
  patch_exact "$work/src/flyteadmin/pkg/config/config.go" '"0.0.0.0:%d"' '"127.0.0.1:%d"' 3
  patch_exact "$work/src/flytestdlib/profutils/server.go" '":%d"' '"127.0.0.1:%d"' 1
  build_into "$work" "$dir" flyteadmin FlyteAdmin
}

build_minio() {
  local dir="$cache/minio-$minio_version" out
  out="$dir/minio"
  if [ -x "$out" ]; then echo "$out"; return; fi
  log "building MinIO $minio_version into $dir"
  mkdir -p "$dir"
  local started=$SECONDS
  GOBIN="$dir/bin.tmp" nice -n 10 go install -trimpath "$minio_module@$minio_version" || die "go install of MinIO failed"
  log "MinIO built in $((SECONDS - started)) s"
  mv "$dir/bin.tmp/minio" "$out" && rm -rf "$dir/bin.tmp"
  echo "$out"
}

build_dex() {
  # The hash covers the wrapper and this recipe's flags (bump "dex-recipe-1" when they change).
  local hash dir out
  hash="$( (cat "$here/dex/go.mod" "$here/dex/go.sum" "$here/dex/main.go"; echo dex-recipe-1) | sha256sum | cut -c1-16)"
  dir="$cache/dex-$hash"
  out="$dir/dex"
  if [ -x "$out" ]; then echo "$out"; return; fi
  log "building Dex into $dir (a cold build takes a while; later runs reuse it)"
  mkdir -p "$dir"
  local started=$SECONDS
  (cd "$here/dex" && nice -n 10 go build -mod=readonly -trimpath -o "$out.tmp" .) \
    || die "go build of Dex failed"
  log "Dex built in $((SECONDS - started)) s"
  mv "$out.tmp" "$out"
  echo "$out"
}

mkdir -p "$cache"
case "${1:-all}" in
  admin) build_admin ;;
  minio) build_minio ;;
  dex) build_dex ;;
  all) build_admin; build_minio ;;
  *) die "usage: build.sh [admin|minio|dex|all]" ;;
esac
