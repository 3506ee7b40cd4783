-- The entries of the listing grains (crontab configs, auth links, scripts, ...), one row each: a change writes
-- its own row, not the whole listing (which made creating the 10,000th config write 10,000 entries).
CREATE TABLE of_directory_entries (
    listing TEXT NOT NULL,
    id      TEXT NOT NULL,
    entry   BYTEA NOT NULL,
    PRIMARY KEY (listing, id)
);
