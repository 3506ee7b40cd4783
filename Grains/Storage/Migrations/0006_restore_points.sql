-- Restore points of the script library (sets, scripts with code and draft, funcs) as JSON.
CREATE TABLE of_restore_points (
    id          TEXT PRIMARY KEY,
    create_time TIMESTAMPTZ NOT NULL DEFAULT now(),
    kind        TEXT NOT NULL,
    note        TEXT NOT NULL,
    user_id     TEXT,
    username    TEXT,
    set_count   INT NOT NULL,
    script_count INT NOT NULL,
    content     TEXT NOT NULL
);
CREATE INDEX of_restore_points_time ON of_restore_points (create_time DESC);
