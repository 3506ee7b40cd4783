#!/usr/bin/env bash
# Backs up a running (or stopped) OrleansFunc installation into one archive (mode 600):
#   deploy/backup.sh --data DATA_FOLDER [--database-url postgresql://USER:PASSWORD@HOST:PORT/DB] --out FILE
# The archive holds a pg_dump of the database (custom format: every entity, record, reminder and grain state) and
# the data folder's keys and files: cluster.pfx (the cluster's TLS certificate), secret.key (without it the data
# sources' secrets cannot be read back), metrics.token and resources/ (the scripts' files). Without --database-url,
# the installation's embedded PostgreSQL (in DATA_FOLDER/pg) is dumped; it must be running (start the server).
# pg_dump takes one consistent snapshot, so the installation may keep serving meanwhile.
set -euo pipefail
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
data="" url="" out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --data) data="$2"; shift 2 ;;
        --database-url) url="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) echo "backup.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$data" ] && [ -n "$out" ] || { echo "usage: backup.sh --data DATA_FOLDER [--database-url URL] --out FILE" >&2; exit 2; }
[ -d "$data" ] || { echo "backup.sh: no data folder $data" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"

if [ -z "$url" ]; then
    # The embedded server: its port and socket folder are lines 4 and 5 of postmaster.pid, its password in pg-credentials.json.
    pid_file="$data/pg/postmaster.pid"
    [ -f "$pid_file" ] || { echo "backup.sh: the embedded PostgreSQL of $data is not running (start the server first)" >&2; exit 1; }
    port=$(sed -n 4p "$pid_file")
    socket=$(sed -n 5p "$pid_file")
    host=${socket:-127.0.0.1}
    password=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["password"])' "$data/pg-credentials.json")
    PGPASSWORD="$password" "$PG_BIN/pg_dump" -h "$host" -p "$port" -U orleansfunc -d orleansfunc -Fc -f "$work/database.dump"
else
    "$PG_BIN/pg_dump" -d "$url" -Fc -f "$work/database.dump"
fi

mkdir "$work/files"
for file in cluster.pfx secret.key metrics.token; do
    [ -f "$data/$file" ] && cp -p "$data/$file" "$work/files/"
done
[ -d "$data/resources" ] && cp -a "$data/resources" "$work/files/"

umask 077
tar -C "$work" -czf "$out" database.dump files
echo "backup.sh: $out ($(du -h "$out" | cut -f1))"
