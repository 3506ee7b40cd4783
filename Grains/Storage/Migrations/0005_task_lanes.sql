-- Crontab configs queue their runs in the same table as batches: each waiting task names the lane
-- that runs it, may wait until run_after (delayed_crontab), and carries extra _DFF_* context values.
ALTER TABLE of_task_records
    ADD COLUMN lane TEXT NOT NULL DEFAULT 'batch',
    ADD COLUMN run_after TIMESTAMPTZ,
    ADD COLUMN context TEXT NOT NULL DEFAULT '{}';
DROP INDEX of_task_records_waiting;
CREATE INDEX of_task_records_waiting ON of_task_records (lane, trigger_time) WHERE status IN ('queued', 'running');
