#!/usr/bin/env bash
# Batch calls in a burst: N calls of a trivial func sent at once through the public batch route (16 keep-alive
# connections) to one WebFront (deploy/local-cluster.sh, Release build); then every result fetched through
# func-result, and the queue's rate (tasks/s through PostgreSQL, from the first call to the last end) read from the
# task records.   Usage: bench/batch/run.sh [calls]   (results: bench/batch/results-<calls>.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
bench_prepare haproxy curl
calls=${1:-10000}
work=$(mktemp -d /tmp/orleansfunc-bench-batch-XXXXXX)
chmod 755 "$work"
cluster="$work/cluster"
trap 'deploy/local-cluster.sh stop "$cluster" >/dev/null 2>&1; rm -rf "$work"' EXIT
deploy/local-cluster.sh start "$cluster" --webfronts 1 --silos 0 --port 18390 >/dev/null
. "$cluster/cluster.env"
base=http://127.0.0.1:$WEB1_HTTP_PORT
bench_sign_in "$base"
bench_publish "$base" '@DFF.API(\"Work\")\ndef work(n):\n    return n * 2\n'
curl -sf -X POST "$base/api/v1/batches" -H "$auth" -H "$bench_json" -d '{"id":"burst","funcId":"bench__main.work"}' >/dev/null

{
    echo "# bench/batch/run.sh $calls   ($(date -u +%Y-%m-%d), $(nproc) cores, one WebFront co-hosting its silo, 1 batch worker)"
    /usr/bin/python3 bench/batch/burst.py "$base" burst "$calls" 16
    PGPASSWORD=$(cat "$cluster/pg.password") /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$PG_PORT" -U orleansfunc -d orleansfunc \
        -v ON_ERROR_STOP=1 -P pager=off -P footer=off <<SQL
SELECT count(*) AS tasks,
       count(*) FILTER (WHERE status = 'success') AS succeeded,
       round(extract(epoch FROM max(end_time) - min(trigger_time))::numeric, 1) AS seconds_first_call_to_last_end,
       round((count(*) / extract(epoch FROM max(end_time) - min(trigger_time)))::numeric) AS tasks_per_second,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM start_time - trigger_time))::numeric, 2) AS wait_p50,
       round(max(extract(epoch FROM start_time - trigger_time))::numeric, 2) AS wait_max
FROM of_task_records WHERE origin = 'batch' AND origin_id = 'burst';
SQL
} | tee "bench/batch/results-$calls.txt"
