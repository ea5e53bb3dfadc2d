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

build_label="e2e build"
# shellcheck source=../flyte/go-build.sh
source "$here/../flyte/go-build.sh"

build_propeller() {
  local hash dir out work
  hash="$(cat "$here/propeller/go.mod" "$here/propeller/go.sum" "$here/propeller/main.go" "$sources" "$here/build.sh" "$here/../flyte/go-build.sh" | sha256sum | cut -c1-16)"
  dir="$cache/flytepropeller-$hash"
  out="$dir/flytepropeller"
  if [ -x "$out" ]; then echo "$out"; return; fi
  log "building FlytePropeller into $dir (a cold build takes a while; later runs reuse it)"
  work="$(mktemp -d "$cache/flytepropeller-$hash.build.XXXXXX")"
  trap 'rm -rf "$work"' RETURN
  cp "$here/propeller/go.mod" "$here/propeller/go.sum" "$here/propeller/main.go" "$work/"
  fetch_sources "$sources" "$work" flyteadmin
  chmod -R u+w "$work/src"
  # flytestdlib 1.16 (the only one served) takes the cache's worker count and size as uint; the
  # 1.13 callers pass int.
  patch_exact "$work/src/flyteplugins/go/tasks/pluginmachinery/internal/webapi/cache.go" \
    'cfg.ResyncInterval.Duration, cfg.Workers, cfg.Size,' 'cfg.ResyncInterval.Duration, uint(cfg.Workers), uint(cfg.Size),' 1
  patch_exact "$work/src/flytepropeller/pkg/controller/nodes/subworkflow/launchplan/admin.go" \
    'syncPeriod, cfg.Workers, cfg.MaxCacheSize, scope)' 'syncPeriod, uint(cfg.Workers), uint(cfg.MaxCacheSize), scope)' 1
  # Its profiling server listens on every interface; these tests serve on loopback only.
  patch_exact "$work/src/flytestdlib/profutils/server.go" '":%d"' '"127.0.0.1:%d"' 1
  build_into "$work" "$dir" flytepropeller FlytePropeller
}

build_kube() {
  local hash dir out work
  hash="$(cat "$here/kube/go.mod" "$here/kube/go.sum" "$here/kube/main.go" "$here/build.sh" "$here/../flyte/go-build.sh" | sha256sum | cut -c1-16)"
  dir="$cache/kube-apiserver-$hash"
  out="$dir/kube-apiserver"
  if [ -x "$out" ]; then echo "$out"; return; fi
  log "building kube-apiserver into $dir (a cold build takes a while; later runs reuse it)"
  work="$(mktemp -d "$cache/kube-apiserver-$hash.build.XXXXXX")"
  trap 'rm -rf "$work"' RETURN
  cp "$here/kube/go.mod" "$here/kube/go.sum" "$here/kube/main.go" "$work/"
  build_into "$work" "$dir" kube-apiserver kube-apiserver
}

mkdir -p "$cache"
case "${1:-all}" in
  propeller) build_propeller ;;
  kube) build_kube ;;
  all) build_propeller; build_kube ;;
  *) die "usage: build.sh [propeller|kube|all]" ;;
esac
