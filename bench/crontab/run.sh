#!/usr/bin/env bash
# Crontab firings at scale: N configs of a trivial func, each `* * * * *`, created through the API on one
# WebFront (deploy/local-cluster.sh, Release build); then, for M whole minutes, what the task records say
# per minute: fired, ended, missed or missing, and how late the runs started and ended after their minute.
# Usage: bench/crontab/run.sh [configs] [minutes] [cron workers]   (results: bench/crontab/results-<configs>[-w<workers>].txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
bench_prepare haproxy curl
configs=${1:-1000} minutes=${2:-3} workers=${3:-}
work=$(mktemp -d /tmp/orleansfunc-bench-crontab-XXXXXX)
chmod 755 "$work"
cluster="$work/cluster"
trap 'deploy/local-cluster.sh stop "$cluster" >/dev/null 2>&1; rm -rf "$work"' EXIT
deploy/local-cluster.sh start "$cluster" --webfronts 1 --silos 0 --port 18380 \
    ${workers:+--set OrleansFunc__Engine__Lanes__Cron__Workers=$workers} >/dev/null
. "$cluster/cluster.env"
base=http://127.0.0.1:$WEB1_HTTP_PORT
bench_sign_in "$base"
bench_publish "$base" '@DFF.API(\"Tick\")\ndef tick():\n    return 1\n'

started=$(date +%s)
seq 1 "$configs" | xargs -P 8 -I{} curl -sf -o /dev/null -X POST "$base/api/v1/crontab-configs" -H "$auth" -H "$bench_json" \
    -d '{"id":"c{}","funcId":"bench__main.tick","crontab":"* * * * *"}'
created=$(date +%s)
# The first whole minute at least 20 s after the last config was made, and M minutes from there.
first=$(( (created + 20 + 59) / 60 * 60 ))
last=$(( first + (minutes - 1) * 60 ))
sleep $(( last + 50 - $(date +%s) ))

{
    echo "# bench/crontab/run.sh $configs $minutes $workers   ($(date -u +%Y-%m-%d), $(nproc) cores, one WebFront co-hosting its silo, ${workers:-1} cron worker(s))"
    echo "# $configs configs made through the API in $(( created - started )) s; seconds after each minute"
    PGPASSWORD=$(cat "$cluster/pg.password") /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$PG_PORT" -U orleansfunc -d orleansfunc \
        -v ON_ERROR_STOP=1 -P pager=off -P footer=off <<SQL
SELECT to_char(m.minute, 'HH24:MI') AS minute,
       count(t.id) AS fired,
       count(t.id) FILTER (WHERE t.status = 'success') AS succeeded,
       count(t.id) FILTER (WHERE t.status = 'missed') AS missed,
       $configs - count(t.id) AS missing,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.start_time - m.minute))::numeric, 2) AS start_p50,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM t.start_time - m.minute))::numeric, 2) AS start_p99,
       round(max(extract(epoch FROM t.end_time - m.minute))::numeric, 2) AS end_max
FROM generate_series(to_timestamp($first), to_timestamp($last), interval '1 minute') AS m(minute)
LEFT JOIN of_task_records t ON t.origin = 'crontab' AND t.trigger_time = m.minute
GROUP BY m.minute ORDER BY m.minute;
SQL
} | tee "bench/crontab/results-$configs${workers:+-w$workers}.txt"
