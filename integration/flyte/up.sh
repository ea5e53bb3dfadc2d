#!/usr/bin/env bash
# Starts a local Flyte control plane on loopback: PostgreSQL, MinIO (S3) and FlyteAdmin with its data
# proxy; then the auth profile (auth.sh): Dex and a second FlyteAdmin with useAuth. Idempotent: what
# already runs is kept. Writes, in the state directory (and auth.sh its own files)
#   config.yaml    the flytectl / flyte-ts configuration (`flyte-ts --config <it> …`)
#   sandbox.json   endpoints and credentials, for the integration tests
# and prints the admin endpoint. State directory: $FLYTE_TS_SANDBOX_DIR, default
# ${TMPDIR:-/tmp}/flytekit-ts-flyte-<uid>. Ports are picked free at the first start and kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=auth.sh
source "$here/auth.sh"

mkdir -p "$STATE/logs"
chmod 755 "$STATE"

read -r admin_bin minio_bin < <("$here/build.sh" all | paste -sd' ')
pg_bin="$(find_pg_bin)"

if [ ! -f "$STATE/ports" ]; then
  read -r pg http grpc profiler s3 < <(free_ports 5)
  printf 'PG_PORT=%s\nADMIN_HTTP_PORT=%s\nADMIN_GRPC_PORT=%s\nADMIN_PROFILER_PORT=%s\nS3_PORT=%s\n' "$pg" "$http" "$grpc" "$profiler" "$s3" > "$STATE/ports"
fi
# shellcheck disable=SC1091
source "$STATE/ports"
S3_ACCESS_KEY=flytekit-ts
S3_SECRET_KEY=flytekit-ts-secret
S3_BUCKET=flyte-data

# ---- PostgreSQL ---------------------------------------------------------------------------------
pg_user=()
if [ "$(id -u)" = 0 ]; then pg_user=(runuser -u postgres --); fi # initdb refuses to run as root
if [ ! -f "$STATE/pg/PG_VERSION" ]; then
  mkdir -p "$STATE/pg" "$STATE/pgrun"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$STATE/pg" "$STATE/pgrun" "$STATE/logs"; fi
  "${pg_user[@]}" "$pg_bin/initdb" -D "$STATE/pg" -U postgres -A trust -E UTF8 --no-instructions > "$STATE/logs/initdb.log" 2>&1 \
    || die "initdb failed: $(tail -n 20 "$STATE/logs/initdb.log")"
fi
if ! "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  "${pg_user[@]}" "$pg_bin/pg_ctl" -D "$STATE/pg" -l "$STATE/logs/postgres.log" -w -t 120 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $STATE/pgrun -c fsync=off -c full_page_writes=off" start > /dev/null \
    || die "PostgreSQL did not start: $(tail -n 20 "$STATE/logs/postgres.log")"
fi
if [ "$("$pg_bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname = 'flyteadmin'")" != 1 ]; then
  "$pg_bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres flyteadmin
fi

# ---- MinIO --------------------------------------------------------------------------------------
if ! alive minio || ! curl -fsS -o /dev/null "http://127.0.0.1:$S3_PORT/minio/health/live"; then
  log "starting MinIO on 127.0.0.1:$S3_PORT"
  mkdir -p "$STATE/minio"
  MINIO_ROOT_USER="$S3_ACCESS_KEY" MINIO_ROOT_PASSWORD="$S3_SECRET_KEY" MINIO_BROWSER=off MINIO_UPDATE=off \
    daemon minio "$minio_bin" server --quiet --address "127.0.0.1:$S3_PORT" "$STATE/minio"
  wait_for "MinIO" minio 120 curl -fsS -o /dev/null "http://127.0.0.1:$S3_PORT/minio/health/live"
fi
# The bucket, made here: FlyteAdmin makes it only at its own first write, and the first write may be a
# fast registration's upload through a signed URL, which does not make it.
bucket_status="$(curl -sS -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
  -X PUT "http://127.0.0.1:$S3_PORT/$S3_BUCKET")"
case "$bucket_status" in 200|409) ;; *) die "creating the bucket $S3_BUCKET in MinIO failed (HTTP $bucket_status)" ;; esac

# ---- FlyteAdmin ---------------------------------------------------------------------------------
# The Kubernetes API server FlyteAdmin creates executions on: none by default, or the one whose
# kubeconfig $FLYTE_TS_KUBECONFIG names (the end-to-end profile, integration/e2e/up.sh). FlyteAdmin
# restarts when it changes.
if [ -n "${FLYTE_TS_KUBECONFIG:-}" ]; then
  cp "$FLYTE_TS_KUBECONFIG" "$STATE/kubeconfig.new"
else
  cat > "$STATE/kubeconfig.new" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: unreachable
    cluster:
      server: https://127.0.0.1:1
contexts:
  - name: unreachable
    context:
      cluster: unreachable
      user: nobody
current-context: unreachable
users:
  - name: nobody
    user:
      token: none
EOF
fi
if ! cmp -s "$STATE/kubeconfig.new" "$STATE/kubeconfig"; then stop flyteadmin; fi
mv "$STATE/kubeconfig.new" "$STATE/kubeconfig"
sed -e "s|@STATE@|$STATE|g" -e "s|@ADMIN_HTTP_PORT@|$ADMIN_HTTP_PORT|g" -e "s|@ADMIN_GRPC_PORT@|$ADMIN_GRPC_PORT|g" \
  -e "s|@ADMIN_PROFILER_PORT@|$ADMIN_PROFILER_PORT|g" -e "s|@PG_PORT@|$PG_PORT|g" -e "s|@S3_PORT@|$S3_PORT|g" \
  -e "s|@S3_ACCESS_KEY@|$S3_ACCESS_KEY|g" -e "s|@S3_SECRET_KEY@|$S3_SECRET_KEY|g" -e "s|@S3_BUCKET@|$S3_BUCKET|g" \
  "$here/flyteadmin.yaml.in" > "$STATE/flyteadmin.yaml"

if ! alive flyteadmin || ! curl -fsS -o /dev/null "http://127.0.0.1:$ADMIN_HTTP_PORT/healthcheck"; then
  log "migrating FlyteAdmin's database"
  "$admin_bin" --config "$STATE/flyteadmin.yaml" migrate run > "$STATE/logs/migrate.log" 2>&1 \
    || die "FlyteAdmin's migrations failed: $(tail -n 20 "$STATE/logs/migrate.log")"
  "$admin_bin" --config "$STATE/flyteadmin.yaml" migrate seed-projects flytesnacks >> "$STATE/logs/migrate.log" 2>&1 \
    || die "seeding the flytesnacks project failed: $(tail -n 20 "$STATE/logs/migrate.log")"
  log "starting FlyteAdmin on 127.0.0.1:$ADMIN_GRPC_PORT (gRPC), 127.0.0.1:$ADMIN_HTTP_PORT (HTTP)"
  daemon flyteadmin "$admin_bin" --config "$STATE/flyteadmin.yaml" serve
  wait_for "FlyteAdmin" flyteadmin 180 curl -fsS -o /dev/null "http://127.0.0.1:$ADMIN_HTTP_PORT/healthcheck"
fi

cat > "$STATE/config.yaml" <<EOF
# flytectl / flyte-ts configuration for the local Flyte control plane (written by integration/flyte/up.sh)
admin:
  endpoint: dns:///127.0.0.1:$ADMIN_GRPC_PORT
  insecure: true
EOF
cat > "$STATE/sandbox.json" <<EOF
{
  "adminEndpoint": "dns:///127.0.0.1:$ADMIN_GRPC_PORT",
  "adminHttp": "http://127.0.0.1:$ADMIN_HTTP_PORT",
  "configFile": "$STATE/config.yaml",
  "project": "flytesnacks",
  "s3": {
    "endpoint": "http://127.0.0.1:$S3_PORT",
    "region": "us-east-1",
    "accessKeyId": "$S3_ACCESS_KEY",
    "secretAccessKey": "$S3_SECRET_KEY",
    "bucket": "$S3_BUCKET"
  },
  "postgres": { "host": "127.0.0.1", "port": $PG_PORT },
  "logs": "$STATE/logs"
}
EOF
echo "Flyte control plane up: FlyteAdmin at dns:///127.0.0.1:$ADMIN_GRPC_PORT (insecure)"
echo "  flyte-ts --config $STATE/config.yaml …"
echo "  S3: http://127.0.0.1:$S3_PORT (bucket $S3_BUCKET); logs: $STATE/logs; stop: pnpm flyte:down"
auth_up
