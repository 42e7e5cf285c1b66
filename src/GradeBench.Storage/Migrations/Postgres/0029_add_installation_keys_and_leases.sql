-- The installation's id, its shared data-protection keys and the leases of work that runs on one node: as SQLite's 0029.
CREATE TABLE installation (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    id TEXT COLLATE "C" NOT NULL CHECK (length(id) = 32)
);
INSERT INTO installation (singleton, id) VALUES (1, md5(random()::text || clock_timestamp()::text));

CREATE TABLE data_protection_keys (
    name TEXT COLLATE "C" PRIMARY KEY,
    xml TEXT COLLATE "C" NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE leases (
    name TEXT COLLATE "C" PRIMARY KEY,
    holder TEXT COLLATE "C" NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
