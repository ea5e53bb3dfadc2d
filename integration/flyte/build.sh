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

log() { echo "[flyte build] $*" >&2; }
die() { echo "[flyte build] error: $*" >&2; exit 1; }

command -v go >/dev/null || die "Go is not installed (needs Go >= 1.26; see integration/flyte/README.md)"
command -v curl >/dev/null || die "curl is not installed"
export CGO_ENABLED=0 GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
proxy="$(go env GOPROXY | tr ',|' '\n\n' | grep -E '^https?://' | head -n1)"
[ -n "$proxy" ] || die "GOPROXY ($(go env GOPROXY)) names no module proxy to fetch Flyte's module zips from"

unpack() { # zip, destination directory
  if command -v unzip >/dev/null; then unzip -q "$1" -d "$2"; else python3 -m zipfile -e "$1" "$2"; fi
}

build_admin() {
  local hash dir out work
  hash="$(cat "$here/admin/go.mod" "$here/admin/go.sum" "$here/admin/main.go" "$here/admin/sources.txt" "$here/build.sh" | sha256sum | cut -c1-16)"
  dir="$cache/flyteadmin-$hash"
  out="$dir/flyteadmin"
  if [ -x "$out" ]; then echo "$out"; return; fi
  log "building FlyteAdmin into $dir (a cold build takes a while; later runs reuse it)"
  work="$(mktemp -d "$cache/flyteadmin-$hash.build.XXXXXX")"
  trap 'rm -rf "$work"' RETURN
  cp "$here/admin/go.mod" "$here/admin/go.sum" "$here/admin/main.go" "$work/"
  mkdir -p "$work/src" "$work/zips"
  local path version sum name
  while read -r path version sum; do
    case "$path" in ''|'#'*) continue ;; esac
    name="${path##*/}"
    curl --fail --silent --show-error --location --retry 3 -o "$work/zips/$name.zip" "$proxy/$path/@v/$version.zip" \
      || die "could not fetch $path@$version from $proxy"
    echo "$sum  $work/zips/$name.zip" | sha256sum --check --quiet - || die "$path@$version: the zip's sha256 is not the pinned one"
    unpack "$work/zips/$name.zip" "$work/zips/$name"
    mv "$work/zips/$name/$path@$version" "$work/src/$name"
  done < "$here/admin/sources.txt"
  # FlyteAdmin and its profiling server listen on every interface; these tests serve on loopback only.
  loopback "$work/src/flyteadmin/pkg/config/config.go" '"0.0.0.0:%d"' '"127.0.0.1:%d"' 3
  loopback "$work/src/flytestdlib/profutils/server.go" '":%d"' '"127.0.0.1:%d"' 1
  local started=$SECONDS
  (cd "$work" && nice -n 10 go build -trimpath -o "$work/flyteadmin" .) || die "go build of FlyteAdmin failed"
  log "FlyteAdmin built in $((SECONDS - started)) s"
  mkdir -p "$dir"
  mv "$work/flyteadmin" "$out.tmp" && mv "$out.tmp" "$out"
  echo "$out"
}

loopback() { # file, from, to, expected count: a listen address rewritten, or the build stops
  local count
  count="$(grep -cF -- "$2" "$1" || true)"
  [ "$count" = "$4" ] || die "$1: expected $4 listen address(es) $2, found $count (the pinned sources changed?)"
  sed -i "s/$(printf '%s' "$2" | sed 's/[.[\*^$/]/\\&/g')/$3/g" "$1"
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
