-- Python packages installed for scripts. Each change is a generation: the pinned requirements, what pip installed,
-- the wheels it came from (to build the next generation offline) and the installed folder as a zip, which every silo
-- unpacks. The newest generation is the installation's; a few older ones stay for silos still unpacking them.
CREATE TABLE of_python_package_sets (
    generation   BIGINT PRIMARY KEY,
    create_time  TIMESTAMPTZ NOT NULL,
    requirements TEXT NOT NULL,
    packages     TEXT NOT NULL,
    wheels       BYTEA NOT NULL,
    site         BYTEA NOT NULL
);

-- Wheels an administrator uploaded, until the install that uses them ends.
CREATE TABLE of_python_package_uploads (
    id          BIGSERIAL PRIMARY KEY,
    file_name   TEXT NOT NULL,
    create_time TIMESTAMPTZ NOT NULL,
    content     BYTEA NOT NULL
);
