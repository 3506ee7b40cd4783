-- Operation records keep a masked summary of the request body, and are filtered by user and time.
ALTER TABLE of_operation_records ADD COLUMN body_summary TEXT;
CREATE INDEX of_operation_records_time ON of_operation_records (time DESC);
CREATE INDEX of_operation_records_user ON of_operation_records (user_id, id DESC);
