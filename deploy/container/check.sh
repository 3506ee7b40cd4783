#!/usr/bin/env bash
# Checks on this machine what can be checked of the container and Kubernetes kit without Docker or a cluster:
# publishes the application exactly as the Dockerfile's build stage does, starts the published WebFront on a fresh
# data folder (embedded PostgreSQL) the way the entrypoint does, runs a func through it, and validates compose.yaml
# (Debian's docker-compose), haproxy.cfg (haproxy -c) and the Kubernetes manifests (YAML, probes against the routes).
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/prerequisites.sh
ensure_apt_packages docker-compose yamllint haproxy curl
work=$(mktemp -d)
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
chmod 755 "$work"

echo "== publish (the Dockerfile's build stage)"
dotnet publish WebFront/WebFront.csproj -c Release -o "$work/app/webfront" -nologo -clp:ErrorsOnly
dotnet publish Silo/Silo.csproj -c Release -o "$work/app/silo" -nologo -clp:ErrorsOnly
test -f "$work/app/webfront/PythonWorker.dll" && test -f "$work/app/silo/PythonWorker.dll"
test -f "$work/app/webfront/wwwroot/index.html"
# The runtime stage's bytecode step.
/usr/bin/python3 -m compileall -q --invalidation-mode checked-hash "$work/app/webfront/Runtime" "$work/app/silo/Runtime"
ensure_traversable "$work/app"

echo "== the published WebFront serves a func"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ORLEANSFUNC_DATA="$work/data" ORLEANSFUNC_HTTP_PORT="$port" dotnet "$work/app/webfront/WebFront.dll" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz/ready" && break; sleep 1; done
curl -fsS "http://127.0.0.1:$port/healthz/ready" || { tail -50 "$work/server.log"; exit 1; }
echo
api() { curl -fsS -H 'Content-Type: application/json' ${token:+-H "X-Dff-Auth-Token: $token"} -X "$1" "http://127.0.0.1:$port$2" ${3:+-d "$3"}; }
api POST /api/v1/setup '{"username":"admin","password":"check-password-1"}' > /dev/null
token=$(api POST /api/v1/auth/sign-in '{"username":"admin","password":"check-password-1"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["token"])')
api POST /api/v1/script-sets '{"id":"check"}' > /dev/null
api POST /api/v1/scripts '{"id":"check__main","codeDraft":"@DFF.API(\"Hello\")\ndef hello():\n    return \"published\"\n"}' > /dev/null
api POST /api/v1/scripts/check__main/publish > /dev/null
api POST /api/v1/func/check__main.hello '{}' | grep -q '"published"'
curl -fsS -o /dev/null "http://127.0.0.1:$port/"
kill "$server"; wait "$server" || true; server=""
echo "served"

echo "== compose.yaml, haproxy.cfg, entrypoint.sh"
POSTGRES_PASSWORD=check DOTNET_SDK_IMAGE=dotnet/sdk:10.0 DOTNET_RUNTIME_IMAGE=dotnet/aspnet:10.0 docker-compose -f deploy/container/compose.yaml config -q
haproxy -c -f deploy/container/haproxy.cfg
sh -n deploy/container/entrypoint.sh

echo "== Kubernetes manifests"
yamllint -d "{extends: relaxed, rules: {line-length: {max: 170}}}" deploy/kubernetes/orleansfunc.yaml deploy/container/compose.yaml
python3 - deploy/kubernetes/orleansfunc.yaml <<'PY'
import sys, yaml
routes = {"/healthz/live", "/healthz/ready"}
kinds = []
for doc in yaml.safe_load_all(open(sys.argv[1])):
    assert doc["apiVersion"] and doc["metadata"]["name"], doc
    kinds.append(doc["kind"])
    if doc["kind"] != "Deployment":
        continue
    pod = doc["spec"]["template"]
    assert doc["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items(), "selector matches the pods"
    for container in pod["spec"]["containers"]:
        ports = {p["containerPort"] for p in container["ports"]}
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            get = container[probe]["httpGet"]
            assert get["path"] in routes and get["port"] in ports, (doc["metadata"]["name"], probe, get)
print("manifests:", ", ".join(kinds))
PY
echo "all checks passed"
