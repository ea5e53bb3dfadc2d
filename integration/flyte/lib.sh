# Shared by up.sh and down.sh: where the state lives and how processes are started and stopped.
# shellcheck shell=bash
STATE="${FLYTE_TS_SANDBOX_DIR:-${TMPDIR:-/tmp}/flytekit-ts-flyte-$(id -u)}"

log() { echo "[flyte] $*" >&2; }
die() { echo "[flyte] error: $*" >&2; exit 1; }

# The newest PostgreSQL server binaries Debian installed (or $PG_BIN).
find_pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] || die "PostgreSQL is not installed (apt-get install postgresql), or set PG_BIN"
  echo "$dir"
}

# N distinct free loopback ports (all held open until every one is picked).
free_ports() {
  node -e '
    const net = require("node:net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", () => ok(s.address().port)))))
      .then((ports) => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); });
  ' "$1"
}

alive() { # name: its recorded process runs
  local pid
  [ -f "$STATE/$1.pid" ] && pid="$(cat "$STATE/$1.pid")" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

daemon() { # name, command…: started in its own session, detached, output to logs/<name>.log
  local name="$1"
  shift
  setsid "$@" >> "$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/$name.pid"
}

wait_for() { # label, process name, seconds, check command…
  local label="$1" name="$2" seconds="$3"
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" 2>/dev/null; do
    alive "$name" || die "$label exited while starting: $(tail -n 30 "$STATE/logs/$name.log")"
    [ "$SECONDS" -lt "$deadline" ] || die "$label did not answer within $seconds s: $(tail -n 30 "$STATE/logs/$name.log")"
    sleep 1
  done
}

stop() { # name: TERM, then KILL after 20 s
  alive "$1" || { rm -f "$STATE/$1.pid"; return 0; }
  local pid
  pid="$(cat "$STATE/$1.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$STATE/$1.pid"
}
