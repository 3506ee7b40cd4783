-- Retries: each attempt of a queued run is a record of its own, linked to the first (NULL for a first attempt), so the
-- result of a batch call can follow its retries and the console can list a task's attempts.
ALTER TABLE of_task_records ADD COLUMN first_task_id TEXT, ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
CREATE INDEX of_task_records_attempts ON of_task_records (first_task_id, attempt) WHERE first_task_id IS NOT NULL;
