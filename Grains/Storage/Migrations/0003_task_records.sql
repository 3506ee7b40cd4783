-- Runs of funcs (SPEC M10). For batches it is also the persisted queue: a task is written as
-- 'queued' before the caller is answered, claimed by a silo with a lease, and completed.
CREATE TABLE of_task_records (
    id              TEXT PRIMARY KEY,
    origin          TEXT NOT NULL,
    origin_id       TEXT NOT NULL,
    func_id         TEXT NOT NULL,
    kwargs          TEXT NOT NULL,
    timeout_seconds INT NOT NULL,
    status          TEXT NOT NULL,
    trigger_time    TIMESTAMPTZ NOT NULL DEFAULT now(),
    start_time      TIMESTAMPTZ,
    end_time        TIMESTAMPTZ,
    cost            DOUBLE PRECISION,
    print_logs      TEXT,
    result          TEXT,
    error           TEXT,
    lease_owner     TEXT,
    lease_expires   TIMESTAMPTZ
);
CREATE INDEX of_task_records_waiting ON of_task_records (trigger_time) WHERE status IN ('queued', 'running');
CREATE INDEX of_task_records_origin ON of_task_records (origin, origin_id, trigger_time DESC);
