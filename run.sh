#!/usr/bin/env bash
# Installs what is missing, builds, and starts OrleansFunc on its embedded default:
# a private PostgreSQL in ./data (or $ORLEANSFUNC_DATA) and the API at http://127.0.0.1:8088
# (or $ORLEANSFUNC_HTTP_PORT). Stop it with Ctrl+C; the embedded database stops with it.
set -euo pipefail
cd "$(dirname "$0")"
. deploy/prerequisites.sh

ensure_server_prerequisites
dotnet build WebFront/WebFront.csproj -c Release -nologo -clp:ErrorsOnly

export ORLEANSFUNC_DATA="${ORLEANSFUNC_DATA:-$PWD/data}"
ensure_traversable "$PWD/WebFront/bin"
ensure_traversable "$ORLEANSFUNC_DATA"
export ORLEANSFUNC_HTTP_PORT="${ORLEANSFUNC_HTTP_PORT:-8088}"
echo "OrleansFunc: data in $ORLEANSFUNC_DATA, console and API at http://127.0.0.1:$ORLEANSFUNC_HTTP_PORT"
cd WebFront
exec dotnet bin/Release/net10.0/WebFront.dll
