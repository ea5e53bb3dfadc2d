#!/usr/bin/env bash
# Installs the hash-locked flytekit environment (requirements.txt) into a virtualenv OUTSIDE the clone,
# at the path `venvPath()` in src/venv.ts computes too:
#   $FLYTEKIT_TS_VENV, or ${XDG_CACHE_HOME:-$HOME/.cache}/flytekit-ts/venv-<first 12 hex of sha256(requirements.txt)>
# A venv whose lock is unchanged is reused (the rerun takes well under a second); a changed lock gets
# a new venv. The venv counts as installed only once the marker file is written, so an interrupted
# install is redone from scratch, never half-used. Prints the venv's path on its last line.
#
# Python: $FLYTEKIT_TS_PYTHON, else python3.11, else python3 when it is 3.11 (the lock is for 3.11).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lock="$here/requirements.txt"
lockhash="$(sha256sum "$lock" | cut -c1-12)"
venv="${FLYTEKIT_TS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/flytekit-ts/venv-$lockhash}"
marker="$venv/.flytekit-ts-installed"

if [ -f "$marker" ] && [ "$(cat "$marker")" = "$lockhash" ]; then
  echo "flytekit venv up to date: $venv" >&2
  echo "$venv"
  exit 0
fi

python="${FLYTEKIT_TS_PYTHON:-}"
if [ -z "$python" ]; then
  if command -v python3.11 >/dev/null 2>&1; then python=python3.11
  elif command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then python=python3
  else
    echo "install.sh: no Python 3.11 found (set FLYTEKIT_TS_PYTHON to one)" >&2
    exit 1
  fi
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "install.sh: $python is $("$python" --version 2>&1), but the lock is for Python 3.11" >&2
  exit 1
fi

echo "installing flytekit (hash-locked, $(grep -c '^[A-Za-z0-9]' "$lock") packages) into $venv" >&2
mkdir -p "$(dirname "$venv")"
rm -rf "$venv"
"$python" -m venv "$venv"
# --require-hashes: every package, transitive ones included, must match a hash in the lock;
# --no-deps: nothing outside the lock is resolved.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
  --require-hashes --no-deps --only-binary=:all: -r "$lock" >&2
"$venv/bin/python" -c 'import flytekit, sys; print("flytekit", flytekit.__version__, file=sys.stderr)'
echo "$lockhash" > "$marker"
echo "$venv"
