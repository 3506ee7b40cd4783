#!/usr/bin/env bash
# Restores an archive of deploy/backup.sh into a fresh installation:
#   deploy/restore.sh --archive FILE --data NEW_DATA_FOLDER --database-url postgresql://USER:PASSWORD@HOST:PORT/EMPTY_DB
# The database must exist and be empty (createdb); the data folder must not hold another installation's keys. The
# cluster's membership rows are dropped after the restore: they describe the silos of the old installation, which
# the new one must not try to join. Then start the server(s) with OrleansFunc__Storage__ConnectionString naming the
# database and the data folder as ORLEANSFUNC_DATA. (An installation on the embedded database: restore into a
# PostgreSQL server, and run on it; see deploy/README.md.)
set -euo pipefail
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
archive="" data="" url=""
while [ $# -gt 0 ]; do
    case "$1" in
        --archive) archive="$2"; shift 2 ;;
        --data) data="$2"; shift 2 ;;
        --database-url) url="$2"; shift 2 ;;
        *) echo "restore.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$archive" ] && [ -n "$data" ] && [ -n "$url" ] || {
    echo "usage: restore.sh --archive FILE --data NEW_DATA_FOLDER --database-url URL" >&2; exit 2; }
[ -f "$archive" ] || { echo "restore.sh: no archive $archive" >&2; exit 1; }
if [ -f "$data/secret.key" ] || [ -f "$data/cluster.pfx" ]; then
    echo "restore.sh: $data already holds an installation's keys; restore into a new data folder" >&2
    exit 1
fi
tables=$("$PG_BIN/psql" -d "$url" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
[ "$tables" = "0" ] || { echo "restore.sh: the database is not empty ($tables tables); restore into a new one" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$archive"
"$PG_BIN/pg_restore" --no-owner --exit-on-error -d "$url" "$work/database.dump"
"$PG_BIN/psql" -d "$url" -qc "DELETE FROM orleansmembershiptable"

mkdir -p "$data"
cp -a "$work/files/." "$data/"
chmod 600 "$data"/cluster.pfx "$data"/secret.key "$data"/metrics.token 2>/dev/null || true
echo "restore.sh: restored into $data and the database"
