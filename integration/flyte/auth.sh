# shellcheck shell=bash
# The auth profile of the local Flyte control plane: Dex (a real OpenID provider) and a second
# FlyteAdmin with `useAuth: true` that trusts it, sharing the first one's database and object store,
# so the rest of the suite keeps its open admin. Sourced by up.sh, which calls auth_up once PostgreSQL,
# MinIO and the open FlyteAdmin run (idempotent like it), and by down.sh (auth_down). Writes, in the
# state directory:
#   auth.json                   endpoints, clients and the test user, for the integration tests
#   config-client-secret.yaml   flyte-ts config: the client credentials grant (secret in auth/)
#   config-device-flow.yaml     flyte-ts config: the device flow
CI_CLIENT_ID=flytekit-ts-ci
CI_CLIENT_SECRET=flytekit-ts-ci-secret
ADMIN_CLIENT_SECRET=flyteadmin-oidc-secret
USER_EMAIL=user@flytekit-ts.test
USER_PASSWORD=flytekit-ts-user-password

auth_down() {
  stop flyteadmin-auth
  stop dex
}

auth_up() { # uses up.sh's variables: here, pg_bin, the ports, S3_*
  if [ ! -f "$STATE/auth-ports" ]; then
    local dex http grpc profiler
    read -r dex http grpc profiler < <(free_ports 4)
    printf 'DEX_PORT=%s\nAUTH_ADMIN_HTTP_PORT=%s\nAUTH_ADMIN_GRPC_PORT=%s\nAUTH_ADMIN_PROFILER_PORT=%s\n' "$dex" "$http" "$grpc" "$profiler" > "$STATE/auth-ports"
  fi
  # shellcheck disable=SC1091
  source "$STATE/auth-ports"
  local dex_bin admin_bin issuer="http://127.0.0.1:$DEX_PORT"
  dex_bin="$("$here/build.sh" dex)"
  admin_bin="$("$here/build.sh" admin)"
  mkdir -p "$STATE/auth/secrets"
  chmod 700 "$STATE/auth"

  # ---- Dex ----------------------------------------------------------------------------------------
  if [ "$("$pg_bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname = 'dex'")" != 1 ]; then
    "$pg_bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres dex
  fi
  auth_fill "$here/dex.yaml.in" > "$STATE/auth/dex.yaml"
  if ! alive dex || ! curl -fsS -o /dev/null "$issuer/.well-known/openid-configuration"; then
    log "starting Dex on 127.0.0.1:$DEX_PORT"
    daemon dex "$dex_bin" serve "$STATE/auth/dex.yaml"
    wait_for "Dex" dex 120 curl -fsS -o /dev/null "$issuer/.well-known/openid-configuration"
  fi

  # ---- FlyteAdmin with useAuth: true ----------------------------------------------------------------
  if [ ! -f "$STATE/auth/secrets/cookie_hash_key" ]; then
    "$admin_bin" secret init -p "$STATE/auth/secrets" > "$STATE/logs/auth-secrets.log" 2>&1 \
      || die "flyteadmin secret init failed: $(tail -n 20 "$STATE/logs/auth-secrets.log")"
  fi
  printf '%s' "$ADMIN_CLIENT_SECRET" > "$STATE/auth/secrets/oidc_client_secret"
  printf '%s\n' "$CI_CLIENT_SECRET" > "$STATE/auth/client_secret"
  # The open admin's configuration on the auth admin's ports, with useAuth on and the auth sections.
  {
    ADMIN_HTTP_PORT="$AUTH_ADMIN_HTTP_PORT" ADMIN_GRPC_PORT="$AUTH_ADMIN_GRPC_PORT" ADMIN_PROFILER_PORT="$AUTH_ADMIN_PROFILER_PORT" \
      auth_fill "$here/flyteadmin.yaml.in" | sed 's/^\(    useAuth:\) false$/\1 true/'
    auth_fill "$here/flyteadmin-auth.yaml.in"
  } > "$STATE/auth/flyteadmin.yaml"
  grep -q '^    useAuth: true$' "$STATE/auth/flyteadmin.yaml" || die "flyteadmin.yaml.in no longer has 'useAuth: false' under server.security"
  if ! alive flyteadmin-auth || ! curl -fsS -o /dev/null "http://127.0.0.1:$AUTH_ADMIN_HTTP_PORT/healthcheck"; then
    log "starting FlyteAdmin with auth on 127.0.0.1:$AUTH_ADMIN_GRPC_PORT (gRPC), 127.0.0.1:$AUTH_ADMIN_HTTP_PORT (HTTP)"
    daemon flyteadmin-auth "$admin_bin" --config "$STATE/auth/flyteadmin.yaml" serve
    wait_for "FlyteAdmin (auth)" flyteadmin-auth 180 curl -fsS -o /dev/null "http://127.0.0.1:$AUTH_ADMIN_HTTP_PORT/healthcheck"
  fi

  cat > "$STATE/config-client-secret.yaml" <<YAML
# flyte-ts configuration for the auth-enabled FlyteAdmin, client credentials (written by integration/flyte/auth.sh)
admin:
  endpoint: dns:///127.0.0.1:$AUTH_ADMIN_GRPC_PORT
  insecure: true
  authType: ClientSecret
  clientId: $CI_CLIENT_ID
  clientSecretLocation: $STATE/auth/client_secret
  # Dex refuses offline_access in the client credentials grant (the server's public-client scopes have it).
  scopes:
    - openid
YAML
  cat > "$STATE/config-device-flow.yaml" <<YAML
# flyte-ts configuration for the auth-enabled FlyteAdmin, device flow (written by integration/flyte/auth.sh)
admin:
  endpoint: dns:///127.0.0.1:$AUTH_ADMIN_GRPC_PORT
  insecure: true
  authType: DeviceFlow
YAML
  cat > "$STATE/auth.json" <<JSON
{
  "adminEndpoint": "dns:///127.0.0.1:$AUTH_ADMIN_GRPC_PORT",
  "adminHttp": "http://127.0.0.1:$AUTH_ADMIN_HTTP_PORT",
  "issuer": "$issuer",
  "clientSecretConfigFile": "$STATE/config-client-secret.yaml",
  "deviceFlowConfigFile": "$STATE/config-device-flow.yaml",
  "client": { "id": "$CI_CLIENT_ID", "secretFile": "$STATE/auth/client_secret" },
  "publicClientId": "flytectl",
  "user": { "email": "$USER_EMAIL", "password": "$USER_PASSWORD" }
}
JSON
  echo "  auth: FlyteAdmin with useAuth at dns:///127.0.0.1:$AUTH_ADMIN_GRPC_PORT, Dex at $issuer"
  echo "    flyte-ts --config $STATE/config-client-secret.yaml …  (or config-device-flow.yaml)"
}

auth_fill() { # template: the @…@ values substituted
  sed -e "s|@STATE@|$STATE|g" -e "s|@ADMIN_HTTP_PORT@|$ADMIN_HTTP_PORT|g" -e "s|@ADMIN_GRPC_PORT@|$ADMIN_GRPC_PORT|g" \
    -e "s|@ADMIN_PROFILER_PORT@|$ADMIN_PROFILER_PORT|g" -e "s|@PG_PORT@|$PG_PORT|g" -e "s|@S3_PORT@|$S3_PORT|g" \
    -e "s|@S3_ACCESS_KEY@|$S3_ACCESS_KEY|g" -e "s|@S3_SECRET_KEY@|$S3_SECRET_KEY|g" -e "s|@S3_BUCKET@|$S3_BUCKET|g" \
    -e "s|@DEX_PORT@|$DEX_PORT|g" -e "s|@DEX_ISSUER@|http://127.0.0.1:$DEX_PORT|g" \
    -e "s|@AUTH_ADMIN_HTTP_PORT@|$AUTH_ADMIN_HTTP_PORT|g" -e "s|@AUTH_ADMIN_GRPC_PORT@|$AUTH_ADMIN_GRPC_PORT|g" \
    -e "s|@CI_CLIENT_ID@|$CI_CLIENT_ID|g" -e "s|@CI_CLIENT_SECRET@|$CI_CLIENT_SECRET|g" \
    -e "s|@ADMIN_CLIENT_SECRET@|$ADMIN_CLIENT_SECRET|g" -e "s|@USER_EMAIL@|$USER_EMAIL|g" -e "s|@USER_PASSWORD@|$USER_PASSWORD|g" \
    "$1"
}
