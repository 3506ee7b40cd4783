-- Audit trail of every change made through the API (SPEC M7).
CREATE TABLE of_operation_records (
    id           BIGSERIAL PRIMARY KEY,
    time         TIMESTAMPTZ NOT NULL DEFAULT now(),
    user_id      TEXT,
    username     TEXT,
    action       TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    status_code  INT NOT NULL,
    client_ip    TEXT,
    trace_id     TEXT
);
CREATE INDEX of_operation_records_entity ON of_operation_records (entity_type, entity_id);
