#!/bin/sh
# Starts the host ORLEANSFUNC_ROLE names: webfront (default) or silo; "healthcheck" asks that host's readiness.
# A silo advertises the container's own address to the cluster unless told otherwise.
set -eu
role="${ORLEANSFUNC_ROLE:-webfront}"
case "$role" in
    webfront) probe="http://127.0.0.1:${ORLEANSFUNC_HTTP_PORT:-8088}/healthz/ready" ;;
    silo) probe="http://127.0.0.1:${OrleansFunc__Telemetry__OperationsPort:-8089}/healthz/ready" ;;
    *) echo "ORLEANSFUNC_ROLE must be webfront or silo, not $role" >&2; exit 2 ;;
esac
if [ "${1:-}" = "healthcheck" ]; then
    exec curl -fsS -o /dev/null "$probe"
fi
: "${OrleansFunc__Cluster__AdvertisedAddress:=$(hostname -i | cut -d' ' -f1)}"
export OrleansFunc__Cluster__AdvertisedAddress
if [ "$role" = silo ]; then
    : "${OrleansFunc__Telemetry__OperationsPort:=8089}" "${OrleansFunc__Telemetry__OperationsAddress:=0.0.0.0}"
    export OrleansFunc__Telemetry__OperationsPort OrleansFunc__Telemetry__OperationsAddress
    exec dotnet /app/silo/Silo.dll
fi
exec dotnet /app/webfront/WebFront.dll
