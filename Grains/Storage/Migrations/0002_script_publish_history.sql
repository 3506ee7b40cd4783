-- One row per publish of a script: the code that went live, by whom, with which note.
CREATE TABLE of_script_publish_history (
    id              BIGSERIAL PRIMARY KEY,
    script_id       TEXT NOT NULL,
    publish_version INT NOT NULL,
    code_md5        TEXT NOT NULL,
    code            TEXT NOT NULL,
    note            TEXT,
    user_id         TEXT NOT NULL,
    username        TEXT NOT NULL,
    time            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX of_script_publish_history_script ON of_script_publish_history (script_id, id);
