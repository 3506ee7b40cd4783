-- The newest records of one origin, whatever the origin ID (the overview's firings of the last hour, the task record
-- list filtered by origin only): without it, those read every record of the origin.
CREATE INDEX of_task_records_origin_time ON of_task_records (origin, trigger_time DESC);

-- A func's runs from every origin (its own page in the console).
CREATE INDEX of_task_records_func ON of_task_records (func_id, trigger_time DESC);
