#!/usr/bin/env bash
# A whole OrleansFunc cluster on this machine, every part on 127.0.0.1 with its own ports and folder:
# one PostgreSQL (Debian's server binaries), N WebFronts (each with a co-hosted silo), M headless
# silos, and HAProxy in front of the WebFronts. For trying scale-out and failover, for the cluster
# tests and for bench/cluster; a real deployment puts each part on its own host (see README.md).
#
#   deploy/local-cluster.sh start FOLDER [--webfronts N] [--silos M] [--port P] [--build Release|Debug]
#                                        [--set OrleansFunc__Section__Key=value]...   (a setting for every host)
#   deploy/local-cluster.sh stop FOLDER
#   deploy/local-cluster.sh restart FOLDER PART     (PART: web1, silo2, ...; SIGTERM, then start again)
#
# `start` returns once every WebFront answers /healthz and HAProxy listens on P (default 8180);
# WebFront i listens on P+i, and FOLDER/cluster.env says where everything is (ports, PIDs, the
# database). `stop` stops all of it (SIGTERM: silos drain first) and keeps the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$PWD

command=${1:-}
folder=${2:-}
[ -n "$command" ] && [ -n "$folder" ] || { sed -n '2,14p' "$0" >&2; exit 2; }
shift 2
part=""
[ "$command" = restart ] && { part=${1:-}; shift || true; }
webfronts=2 silos=1 port=8180 build=Release settings=()
while [ $# -gt 0 ]; do
    case "$1" in
        --webfronts) webfronts=$2; shift 2 ;;
        --silos) silos=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --set) [[ $2 == OrleansFunc__*=* ]] || { echo "--set takes OrleansFunc__Section__Key=value" >&2; exit 2; }
               settings+=("$2"); shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
folder=$(realpath -m "$folder")
pg_bin=/usr/lib/postgresql/15/bin
db_user=orleansfunc
# initdb refuses root: as root, the database runs as the same unprivileged user as ./run.sh's.
os_user=""
[ "$(id -u)" -eq 0 ] && os_user=orleansfunc

as_db_user() {
    if [ -n "$os_user" ]; then runuser -u "$os_user" -- "$@"; else "$@"; fi
}

# A free TCP port on 127.0.0.1, not one handed out before in this run.
taken=" "
free_port() {
    local candidate
    while true; do
        # Below the OS's ephemeral range (32768 up): an outgoing connection cannot take it before it is used.
        candidate=$(( 30000 + RANDOM % 2700 ))
        case "$taken" in *" $candidate "*) continue ;; esac
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            taken="$taken$candidate "
            echo "$candidate"
            return
        fi
    done
}

wait_healthy() {
    local url=$1 pid=$2 log=$3
    for _ in $(seq 240); do
        curl -sf -o /dev/null "$url/healthz" && return 0
        kill -0 "$pid" 2>/dev/null || { echo "exited before it was healthy; its log:" >&2; tail -n 40 "$log" >&2; return 1; }
        sleep 0.5
    done
    echo "$url was not healthy within two minutes; its log:" >&2
    tail -n 40 "$log" >&2
    return 1
}

# Writes how part $1 (a WebFront or a Silo, $2) starts: its project, then its settings, one a line
# (the database password among them: readable by root only).
write_launch() {
    local name=$1 project=$2
    shift 2
    mkdir -p "$folder/$name"
    printf '%s\n' "$project" "$@" >"$folder/$name.launch"
    chmod 600 "$folder/$name.launch"
}

# Starts part $1 as its launch file says, records its PID in cluster.env (replacing an earlier one)
# and leaves it in $launched.
launch() {
    local name=$1 project settings
    mapfile -t settings <"$folder/$name.launch"
    project=${settings[0]}
    (cd "$repository/$project" && exec env "${settings[@]:1}" dotnet "bin/$build/net10.0/$project.dll" >>"$folder/$name.log" 2>&1 </dev/null) &
    launched=$!
    sed -i "/^${name^^}_PID=/d" "$folder/cluster.env"
    echo "${name^^}_PID=$launched" >>"$folder/cluster.env"
}

# Stops part $1 with SIGTERM (it drains; see README "Scaling out"), waiting up to two minutes.
stop_part() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
}

# restart PART: stops a part (SIGTERM) and starts it again with the same ports and folder.
restart() {
    local name=$1 pid_var port_var
    . "$folder/cluster.env"
    build=$BUILD
    pid_var=${name^^}_PID
    [ -n "${!pid_var:-}" ] || { echo "no part $name in $folder" >&2; exit 1; }
    stop_part "${!pid_var}"
    launch "$name"
    port_var=${name^^}_HTTP_PORT
    if [ -n "${!port_var:-}" ]; then
        wait_healthy "http://127.0.0.1:${!port_var}" "$launched" "$folder/$name.log"
    fi
    echo "$name restarted (pid $launched)"
}

start() {
    . deploy/prerequisites.sh
    ensure_apt_packages haproxy curl
    [ -f "$repository/WebFront/bin/$build/net10.0/WebFront.dll" ] && [ -f "$repository/Silo/bin/$build/net10.0/Silo.dll" ] \
        || dotnet build "$repository/OrleansFunc.sln" -c "$build" -nologo -clp:ErrorsOnly
    mkdir -p "$folder"
    ensure_traversable "$folder"
    ensure_traversable "$repository/WebFront/bin"
    [ -n "$os_user" ] && { id "$os_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$os_user"; }

    # PostgreSQL: password sign-in over TCP on loopback only, a connection budget for every host.
    local pg_port password
    pg_port=$(free_port)
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    mkdir -p "$folder/pg"
    [ -n "$os_user" ] && chown "$os_user" "$folder/pg"
    printf '%s\n' "$password" >"$folder/pg.password"
    chmod 600 "$folder/pg.password"
    [ -n "$os_user" ] && chown "$os_user" "$folder/pg.password"
    as_db_user "$pg_bin/initdb" -D "$folder/pg/data" -U "$db_user" --pwfile="$folder/pg.password" \
        --auth-host=scram-sha-256 --auth-local=peer -E UTF8 >"$folder/pg/initdb.log"
    as_db_user "$pg_bin/pg_ctl" -D "$folder/pg/data" -l "$folder/pg/server.log" -w start \
        -o "-h 127.0.0.1 -p $pg_port -k $folder/pg -c max_connections=$(( 60 * (webfronts + silos) + 20 ))" >/dev/null
    as_db_user env PGPASSWORD="$password" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U "$db_user" orleansfunc
    local connection="Host=127.0.0.1;Port=$pg_port;Database=orleansfunc;Username=$db_user;Password=$password"

    # A start that fails half way stops what it started.
    trap 'echo "start failed; stopping what was started" >&2; stop >/dev/null 2>&1 || true' ERR
    {
        echo "FOLDER=$folder"
        echo "PG_PORT=$pg_port"
        echo "CONNECTION_STRING='$connection'"
        echo "HAPROXY_PORT=$port"
        echo "BUILD=$build"
    } >"$folder/cluster.env"
    chmod 600 "$folder/cluster.env"

    # Every host shares the secrets key (made here) and the cluster certificate (made by the first
    # host in its data folder; the others use a copy).
    head -c 32 /dev/urandom >"$folder/secret.key"
    chmod 600 "$folder/secret.key"
    local common=(
        "OrleansFunc__Storage__ConnectionString=$connection"
        "OrleansFunc__Cluster__ClusterId=local"
        "OrleansFunc__Secrets__KeyFile=$folder/secret.key"
        ${settings[@]+"${settings[@]}"}
    )
    local backends="" i name http silo_port gateway_port pid
    for i in $(seq 1 "$webfronts"); do
        name=web$i http=$(( port + i )) silo_port=$(free_port) gateway_port=$(free_port)
        write_launch "$name" WebFront "${common[@]}" ORLEANSFUNC_DATA="$folder/$name" ORLEANSFUNC_HTTP_PORT=$http \
            OrleansFunc__Cluster__SiloPort=$silo_port OrleansFunc__Cluster__GatewayPort=$gateway_port
        launch "$name"
        echo "${name^^}_HTTP_PORT=$http" >>"$folder/cluster.env"
        echo "${name^^}_SILO_PORT=$silo_port" >>"$folder/cluster.env"
        backends="$backends    server $name 127.0.0.1:$http check inter 1s fall 2 rise 1\n"
        if [ "$i" -eq 1 ]; then
            wait_healthy "http://127.0.0.1:$http" "$launched" "$folder/$name.log"
            cp -p "$folder/web1/cluster.pfx" "$folder/"
            common+=("OrleansFunc__Cluster__TlsCertificateFile=$folder/cluster.pfx")
        fi
    done
    for i in $(seq 1 "$silos"); do
        name=silo$i silo_port=$(free_port) gateway_port=$(free_port)
        write_launch "$name" Silo "${common[@]}" ORLEANSFUNC_DATA="$folder/$name" \
            OrleansFunc__Cluster__SiloPort=$silo_port OrleansFunc__Cluster__GatewayPort=$gateway_port
        launch "$name"
        echo "${name^^}_SILO_PORT=$silo_port" >>"$folder/cluster.env"
    done
    for i in $(seq 2 "$webfronts"); do
        . "$folder/cluster.env"
        pid_var=WEB${i}_PID port_var=WEB${i}_HTTP_PORT
        wait_healthy "http://127.0.0.1:${!port_var}" "${!pid_var}" "$folder/web$i.log"
    done

    # HAProxy: a WebFront that stops answering /healthz leaves the rotation within two seconds; a
    # request that could not reach one (connection refused, reset before an answer) is sent to another.
    printf 'global\n    maxconn 4096\n    pidfile %s/haproxy.pid\n\ndefaults\n    mode http\n    timeout connect 2s\n    timeout client 5m\n    timeout server 5m\n    retries 3\n    option redispatch 1\n    retry-on conn-failure empty-response\n\nfrontend orleansfunc\n    bind 127.0.0.1:%s\n    default_backend webfronts\n\nbackend webfronts\n    balance roundrobin\n    option httpchk GET /healthz\n%b' \
        "$folder" "$port" "$backends" >"$folder/haproxy.cfg"
    haproxy -f "$folder/haproxy.cfg" -D
    for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
    echo "HAPROXY_PID=$(cat "$folder/haproxy.pid")" >>"$folder/cluster.env"
    echo "OrleansFunc cluster: $webfronts WebFront(s), $silos silo(s), HAProxy at http://127.0.0.1:$port (details: $folder/cluster.env)"
}

stop() {
    [ -f "$folder/cluster.env" ] || { echo "no cluster in $folder" >&2; exit 1; }
    . "$folder/cluster.env"
    [ -f "$folder/haproxy.pid" ] && kill "$(cat "$folder/haproxy.pid")" 2>/dev/null || true
    local pids
    pids=$(grep -E '^(WEB|SILO)[0-9]+_PID=' "$folder/cluster.env" | cut -d= -f2)
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $pids; do stop_part "$pid"; done
    as_db_user "$pg_bin/pg_ctl" -D "$folder/pg/data" -m fast -w stop >/dev/null 2>&1 || true
    echo "OrleansFunc cluster in $folder stopped"
}

case "$command" in
    start) start ;;
    stop) stop ;;
    restart) restart "${part:?restart needs a part: web1, silo1, ...}" ;;
    *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
