#!/usr/bin/env bash
# The end-to-end profile of the local Flyte control plane (`pnpm flyte:up:e2e`): what ../flyte/up.sh
# starts (PostgreSQL, MinIO, FlyteAdmin), plus, on loopback:
#   kube-apiserver  Kubernetes' API server with an embedded etcd; a CA, its serving certificate, the
#                   service-account signing key and an admin token are generated at the first start
#   FlytePropeller  against it (it installs the FlyteWorkflow CRD), events to FlyteAdmin, data in MinIO
#   pod runner      runs the pods FlytePropeller creates as local processes (pod-runner/)
# FlyteAdmin gets a kubeconfig for this API server, so CreateExecution creates FlyteWorkflow objects.
# Idempotent, like ../flyte/up.sh, and in the same state directory; writes e2e.json there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=../flyte/lib.sh
source "$here/../flyte/lib.sh"
log() { echo "[flyte e2e] $*" >&2; }
die() { echo "[flyte e2e] error: $*" >&2; exit 1; }

command -v openssl >/dev/null || die "openssl is not installed (it makes the API server's certificates)"
KUBE_DIR="$STATE/kube"
mkdir -p "$STATE/logs" "$KUBE_DIR"
chmod 755 "$STATE"

read -r propeller_bin kube_bin < <("$here/build.sh" all | paste -sd' ')
[ -x "$kube_bin" ] && [ -x "$propeller_bin" ] || die "the builds did not produce both programs"
venv="$(bash "$repo/conformance/python/install.sh" | tail -n1)"

if [ ! -f "$STATE/e2e-ports" ]; then
  read -r kube etcd peer profiler < <(free_ports 4)
  printf 'KUBE_PORT=%s\nETCD_PORT=%s\nETCD_PEER_PORT=%s\nPROPELLER_PROFILER_PORT=%s\n' "$kube" "$etcd" "$peer" "$profiler" > "$STATE/e2e-ports"
fi
# shellcheck disable=SC1091
source "$STATE/e2e-ports"
KUBE_URL="https://127.0.0.1:$KUBE_PORT"

# ---- certificates, keys, token (once per state directory) --------------------------------------
if [ ! -f "$KUBE_DIR/token" ]; then
  log "generating the API server's CA, serving certificate, service-account key and admin token"
  (
    cd "$KUBE_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 7 -subj "/CN=flytekit-ts-e2e-ca" -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=kube-apiserver" -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
    openssl x509 -req -sha256 -days 7 -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -extfile server.ext -out server.crt 2>/dev/null
    openssl genrsa -out service-account.key 2048 2>/dev/null
    openssl rand -hex 24 > token.tmp
    printf '%s,flytekit-ts-e2e,flytekit-ts-e2e,"system:masters"\n' "$(cat token.tmp)" > tokens.csv
    mv token.tmp token
  ) || die "generating the certificates failed"
fi
TOKEN="$(cat "$KUBE_DIR/token")"
cat > "$KUBE_DIR/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: e2e
    cluster:
      server: $KUBE_URL
      certificate-authority: $KUBE_DIR/ca.crt
contexts:
  - name: e2e
    context:
      cluster: e2e
      user: e2e
current-context: e2e
users:
  - name: e2e
    user:
      token: $TOKEN
KUBECONFIG

kube() { # method, path, [body]: a request to the API server as its admin; prints the response body
  curl -fsS --cacert "$KUBE_DIR/ca.crt" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -X "$1" "$KUBE_URL$2" ${3:+--data "$3"}
}
kube_ok() { kube "$@" > /dev/null; } # the same, succeeding or not, silently

# ---- kube-apiserver -------------------------------------------------------------------------------
if ! alive kube-apiserver || ! kube GET /readyz > /dev/null 2>&1; then
  log "starting kube-apiserver on $KUBE_URL (etcd on 127.0.0.1:$ETCD_PORT)"
  # No controller-manager, scheduler or kubelet: pods keep the service account they name without it
  # existing (no ServiceAccount admission), and the pod runner plays the kubelet.
  daemon kube-apiserver "$kube_bin" --etcd-dir "$KUBE_DIR/etcd" --etcd-port "$ETCD_PORT" --etcd-peer-port "$ETCD_PEER_PORT" -- \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$KUBE_PORT" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --tls-cert-file="$KUBE_DIR/server.crt" --tls-private-key-file="$KUBE_DIR/server.key" --client-ca-file="$KUBE_DIR/ca.crt" \
    --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$KUBE_DIR/service-account.key" \
    --service-account-signing-key-file="$KUBE_DIR/service-account.key" \
    --token-auth-file="$KUBE_DIR/tokens.csv" --authorization-mode=RBAC \
    --disable-admission-plugins=ServiceAccount --service-cluster-ip-range=10.0.0.0/24 \
    --enable-priority-and-fairness=false --profiling=false --endpoint-reconciler-type=none
  wait_for "kube-apiserver" kube-apiserver 300 kube_ok GET /readyz
fi

# The namespaces FlyteAdmin maps executions to ({{ project }}-{{ domain }}): no cluster-resource
# controller runs to make them.
for domain in development staging production; do
  kube GET "/api/v1/namespaces/flytesnacks-$domain" > /dev/null 2>&1 \
    || kube POST /api/v1/namespaces "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"flytesnacks-$domain\"}}" > /dev/null \
    || die "could not create the namespace flytesnacks-$domain"
done

# ---- FlyteAdmin (and PostgreSQL, MinIO), given this API server --------------------------------------
FLYTE_TS_KUBECONFIG="$KUBE_DIR/kubeconfig" bash "$here/../flyte/up.sh" >&2
# shellcheck disable=SC1091
source "$STATE/ports"
# (../flyte/up.sh has made the bucket.)

# ---- FlytePropeller -------------------------------------------------------------------------------
sed -e "s|@KUBE_DIR@|$KUBE_DIR|g" -e "s|@ADMIN_GRPC_PORT@|$ADMIN_GRPC_PORT|g" -e "s|@PROPELLER_PROFILER_PORT@|$PROPELLER_PROFILER_PORT|g" \
  -e "s|@S3_PORT@|$S3_PORT|g" -e "s|@S3_ACCESS_KEY@|flytekit-ts|g" -e "s|@S3_SECRET_KEY@|flytekit-ts-secret|g" -e "s|@S3_BUCKET@|flyte-data|g" \
  "$here/flytepropeller.yaml.in" > "$STATE/flytepropeller.yaml.new"
# A changed configuration restarts FlytePropeller (it reloads only some settings by itself).
if ! cmp -s "$STATE/flytepropeller.yaml.new" "$STATE/flytepropeller.yaml"; then stop flytepropeller; fi
mv "$STATE/flytepropeller.yaml.new" "$STATE/flytepropeller.yaml"
if ! alive flytepropeller; then
  log "starting FlytePropeller"
  daemon flytepropeller "$propeller_bin" --config "$STATE/flytepropeller.yaml"
fi
wait_for "FlytePropeller (its FlyteWorkflow CRD)" flytepropeller 180 kube_ok GET /apis/flyte.lyft.com/v1alpha1/flyteworkflows

# ---- the pod runner -------------------------------------------------------------------------------
mkdir -p "$STATE/bin"
# Pods of the runtime image run what the image holds (pod-runner/install-app.ts): the packed packages
# installed by npm in an /app of its own, on the image's Node.js (the Dockerfile's FROM), with its
# compile cache.
log "installing the runtime image's /app (packed packages, npm) for the pods"
{ read -r image_node; read -r app; read -r compile_cache; } < <("$here/node_modules/.bin/tsx" "$here/pod-runner/install-app.ts" "$STATE/app" | tail -n 3)
[ -x "$image_node" ] && [ -x "$app/node_modules/.bin/flyte-ts" ] || die "the runtime image's /app is not complete in '$app'"
cat > "$STATE/bin/flyte-ts" <<SHIM
#!/bin/sh
# The runtime image's flyte-ts: the packed packages in $app, on the image's Node.js, with its compile cache.
PATH="$(dirname "$image_node"):\$PATH" NODE_COMPILE_CACHE="$compile_cache" exec "$app/node_modules/.bin/flyte-ts" "\$@"
SHIM
chmod +x "$STATE/bin/flyte-ts"
cat > "$STATE/pod-runner.json" <<JSON
{
  "kubeconfig": "$KUBE_DIR/kubeconfig",
  "images": [
    { "image": "ghcr.io/flytekit-ts/runtime:", "path": ["$STATE/bin"] },
    { "image": "cr.flyte.org/flyteorg/flytekit:", "path": ["$venv/bin"] }
  ],
  "workRoot": "$STATE/pods",
  "nodeModules": "$app/node_modules",
  "logDir": "$STATE/logs/pods",
  "concurrency": 4
}
JSON
if ! alive pod-runner; then
  log "starting the pod runner"
  : > "$STATE/logs/pod-runner.log" # its readiness is read from this log
  daemon pod-runner "$here/node_modules/.bin/tsx" "$here/pod-runner/main.ts" "$STATE/pod-runner.json"
  wait_for "the pod runner" pod-runner 120 grep -q "pod runner watching" "$STATE/logs/pod-runner.log"
fi

cat > "$STATE/e2e.json" <<JSON
{
  "kubeconfig": "$KUBE_DIR/kubeconfig",
  "kubeServer": "$KUBE_URL",
  "podLogs": "$STATE/logs/pods",
  "venv": "$venv"
}
JSON
echo "Flyte end-to-end profile up: FlyteAdmin at dns:///127.0.0.1:$ADMIN_GRPC_PORT, FlytePropeller on $KUBE_URL"
echo "  flyte-ts --config $STATE/config.yaml run --remote …; kubeconfig: $KUBE_DIR/kubeconfig; logs: $STATE/logs"
