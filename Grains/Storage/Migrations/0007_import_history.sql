-- Finished script package imports: who, when, note, what was added or replaced (never code).
CREATE TABLE of_import_history (
    id                TEXT PRIMARY KEY,
    import_time       TIMESTAMPTZ NOT NULL DEFAULT now(),
    user_id           TEXT,
    username          TEXT,
    note              TEXT NOT NULL,
    restore_point_id  TEXT NOT NULL,
    summary           TEXT NOT NULL
);
CREATE INDEX of_import_history_time ON of_import_history (import_time DESC);
