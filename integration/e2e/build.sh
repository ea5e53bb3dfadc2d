#!/usr/bin/env bash
# Builds (once) the two Go programs the end-to-end profile adds to the local Flyte control plane,
# into the same cache as ../flyte/build.sh ($FLYTEKIT_TS_CACHE, default ~/.cache/flytekit-ts):
#   flytepropeller-<hash>/flytepropeller  FlytePropeller 1.13.0, from the wrapper module in propeller/
#   kube-apiserver-<hash>/kube-apiserver   Kubernetes' API server with an embedded etcd, from kube/
# <hash> covers every input of a build. Prints the two paths, one a line. Builds are niced.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${FLYTEKIT_TS_CACHE:-$HOME/.cache/flytekit-ts}"
sources="$here/../flyte/admin/sources.txt" # the Flyte module zips FlyteAdmin's build pins

log() { echo "[e2e build] $*" >&2; }
die() { echo "[e2e build] error: $*" >&2; exit 1; }

command -v go >/dev/null || die "Go is not installed (needs Go >= 1.26; see integration/flyte/README.md)"
command -v curl >/dev/null || die "curl is not installed"
export CGO_ENABLED=0 GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
proxy="$(go env GOPROXY | tr ',|' '\n\n' | grep -E '^https?://' | head -n1)"
[ -n "$proxy" ] || die "GOPROXY ($(go env GOPROXY)) names no module proxy to fetch Flyte's module zips from"

unpack() { # zip, destination directory
  if command -v unzip >/dev/null; then unzip -q "$1" -d "$2"; else python3 -m zipfile -e "$1" "$2"; fi
}

patch_exact() { # file, from, to, expected count: a source line rewritten, or the build stops
  local count
  count="$(grep -cF -- "$2" "$1" || true)"
  [ "$count" = "$4" ] || die "$1: expected $4 occurrence(s) of $2, found $count (the pinned sources changed?)"
  sed -i "s/$(printf '%s' "$2" | sed 's/[.[\*^$/]/\\&/g')/$(printf '%s' "$3" | sed 's/[&/\]/\\&/g')/g" "$1"
}

build_propeller() {
  local hash dir out work
  hash="$(cat "$here/propeller/go.mod" "$here/propeller/go.sum" "$here/propeller/main.go" "$sources" "$here/build.sh" | sha256sum | cut -c1-16)"
  dir="$cache/flytepropeller-$hash"
  out="$dir/flytepropeller"
  if [ -x "$out" ]; then echo "$out"; return; fi
  log "building FlytePropeller into $dir (a cold build takes a while; later runs reuse it)"
  work="$(mktemp -d "$cache/flytepropeller-$hash.build.XXXXXX")"
  trap 'rm -rf "$work"' RETURN
  cp "$here/propeller/go.mod" "$here/propeller/go.sum" "$here/propeller/main.go" "$work/"
  mkdir -p "$work/src" "$work/zips"
  local path version sum name
  while read -r path version sum; do
    case "$path" in ''|'#'*|*/flyteadmin) continue ;; esac
    name="${path##*/}"
    curl --fail --silent --show-error --location --retry 3 -o "$work/zips/$name.zip" "$proxy/$path/@v/$version.zip" \
      || die "could not fetch $path@$version from $proxy"
    echo "$sum  $work/zips/$name.zip" | sha256sum --check --quiet - || die "$path@$version: the zip's sha256 is not the pinned one"
    unpack "$work/zips/$name.zip" "$work/zips/$name"
    mv "$work/zips/$name/$path@$version" "$work/src/$name"
  done < "$sources"
  chmod -R u+w "$work/src"
  # flytestdlib 1.16 (the only one served) takes the cache's worker count and size as uint; the
  # 1.13 callers pass int.
  patch_exact "$work/src/flyteplugins/go/tasks/pluginmachinery/internal/webapi/cache.go" \
    'cfg.ResyncInterval.Duration, cfg.Workers, cfg.Size,' 'cfg.ResyncInterval.Duration, uint(cfg.Workers), uint(cfg.Size),' 1
  patch_exact "$work/src/flytepropeller/pkg/controller/nodes/subworkflow/launchplan/admin.go" \
    'syncPeriod, cfg.Workers, cfg.MaxCacheSize, scope)' 'syncPeriod, uint(cfg.Workers), uint(cfg.MaxCacheSize), scope)' 1
  # Its profiling server listens on every interface; these tests serve on loopback only.
  patch_exact "$work/src/flytestdlib/profutils/server.go" '":%d"' '"127.0.0.1:%d"' 1
  local started=$SECONDS
  (cd "$work" && nice -n 10 go build -trimpath -o "$work/flytepropeller" .) || die "go build of FlytePropeller failed"
  log "FlytePropeller built in $((SECONDS - started)) s"
  mkdir -p "$dir"
  mv "$work/flytepropeller" "$out.tmp" && mv "$out.tmp" "$out"
  echo "$out"
}

build_kube() {
  local hash dir out work
  hash="$(cat "$here/kube/go.mod" "$here/kube/go.sum" "$here/kube/main.go" "$here/build.sh" | sha256sum | cut -c1-16)"
  dir="$cache/kube-apiserver-$hash"
  out="$dir/kube-apiserver"
  if [ -x "$out" ]; then echo "$out"; return; fi
  log "building kube-apiserver into $dir (a cold build takes a while; later runs reuse it)"
  work="$(mktemp -d "$cache/kube-apiserver-$hash.build.XXXXXX")"
  trap 'rm -rf "$work"' RETURN
  cp "$here/kube/go.mod" "$here/kube/go.sum" "$here/kube/main.go" "$work/"
  local started=$SECONDS
  (cd "$work" && nice -n 10 go build -trimpath -o "$work/kube-apiserver" .) || die "go build of kube-apiserver failed"
  log "kube-apiserver built in $((SECONDS - started)) s"
  mkdir -p "$dir"
  mv "$work/kube-apiserver" "$out.tmp" && mv "$out.tmp" "$out"
  echo "$out"
}

mkdir -p "$cache"
case "${1:-all}" in
  propeller) build_propeller ;;
  kube) build_kube ;;
  all) build_propeller; build_kube ;;
  *) die "usage: build.sh [propeller|kube|all]" ;;
esac
