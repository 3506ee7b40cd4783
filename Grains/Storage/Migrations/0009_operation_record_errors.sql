-- Refused changes are recorded too, with the error the caller was answered (code and reason).
ALTER TABLE of_operation_records ADD COLUMN error_code DOUBLE PRECISION;
ALTER TABLE of_operation_records ADD COLUMN error_reason TEXT;
