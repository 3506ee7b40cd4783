-- DFF.STORE: what scripts keep for good (until an expiry they set), by scope (a script ID by default) and key.
CREATE TABLE of_func_store (
    scope text NOT NULL,
    key text NOT NULL,
    value_json text NOT NULL,
    expire_at timestamptz,
    create_time timestamptz NOT NULL,
    update_time timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX of_func_store_expiry ON of_func_store (expire_at) WHERE expire_at IS NOT NULL;
