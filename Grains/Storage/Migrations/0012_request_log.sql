-- The slow and failed requests of every WebFront, for the console's request log: newest kept, the rest pruned.
CREATE TABLE of_request_log (
    id bigserial PRIMARY KEY,
    time timestamptz NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    status_code int NOT NULL,
    cost_ms int NOT NULL,
    slow boolean NOT NULL,
    trace_id text NOT NULL,
    client_ip text,
    user_id text,
    host text NOT NULL
);
