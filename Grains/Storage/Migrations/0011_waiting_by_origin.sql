-- A crontab firing asks whether its config's previous run still waits or runs: found by origin among the waiting
-- tasks alone, not by scanning every waiting task (10,000 of them in a busy minute).
CREATE INDEX of_task_records_waiting_origin ON of_task_records (origin, origin_id) WHERE status IN ('queued', 'running');
