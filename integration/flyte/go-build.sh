# Sourced by build.sh here and by ../e2e/build.sh: what their Go builds share. The sourcing script sets
# $build_label (the log prefix) first. Part of every build's cache hash that uses it.

log() { echo "[$build_label] $*" >&2; }
die() { echo "[$build_label] error: $*" >&2; exit 1; }

command -v go >/dev/null || die "Go is not installed (needs Go >= 1.26; see integration/flyte/README.md)"
command -v curl >/dev/null || die "curl is not installed"
export CGO_ENABLED=0 GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
proxy="$(go env GOPROXY | tr ',|' '\n\n' | grep -E '^https?://' | head -n1)"
[ -n "$proxy" ] || die "GOPROXY ($(go env GOPROXY)) names no module proxy to fetch Flyte's module zips from"

unpack() { # zip, destination directory
  if command -v unzip >/dev/null; then unzip -q "$1" -d "$2"; else python3 -m zipfile -e "$1" "$2"; fi
}

# The Flyte module zips a sources file pins (`<module path> <version> <zip sha256>` a line), fetched from
# the proxy, checked and unpacked to <work>/src/<last path element>; modules whose path ends in one of
# the skipped names are left out.
fetch_sources() { # sources file, work directory, skipped names…
  local list="$1" work="$2" path version sum name skip
  shift 2
  mkdir -p "$work/src" "$work/zips"
  while read -r path version sum; do
    case "$path" in ''|'#'*) continue ;; esac
    name="${path##*/}"
    for skip in "$@"; do [ "$name" = "$skip" ] && continue 2; done
    curl --fail --silent --show-error --location --retry 3 -o "$work/zips/$name.zip" "$proxy/$path/@v/$version.zip" \
      || die "could not fetch $path@$version from $proxy"
    echo "$sum  $work/zips/$name.zip" | sha256sum --check --quiet - || die "$path@$version: the zip's sha256 is not the pinned one"
    unpack "$work/zips/$name.zip" "$work/zips/$name"
    mv "$work/zips/$name/$path@$version" "$work/src/$name"
  done < "$list"
}

patch_exact() { # file, from, to, expected count: a source line rewritten, or the build stops
  local count
  count="$(grep -cF -- "$2" "$1" || true)"
  [ "$count" = "$4" ] || die "$1: expected $4 occurrence(s) of $2, found $count (the pinned sources changed?)"
  sed -i "s/$(printf '%s' "$2" | sed 's/[.[\*^$/]/\\&/g')/$(printf '%s' "$3" | sed 's/[&/\]/\\&/g')/g" "$1"
}

# `go build` of the module in <work> into <dir>/<name> (moved in whole, so a half-written binary is never
# taken for a build), printing the binary's path.
build_into() { # work directory, cache directory, binary name, what it is (for the log)
  local work="$1" dir="$2" name="$3" what="$4" started=$SECONDS
  (cd "$work" && nice -n 10 go build -trimpath -o "$work/$name" .) || die "go build of $what failed"
  log "$what built in $((SECONDS - started)) s"
  mkdir -p "$dir"
  mv "$work/$name" "$dir/$name.tmp" && mv "$dir/$name.tmp" "$dir/$name"
  echo "$dir/$name"
}
