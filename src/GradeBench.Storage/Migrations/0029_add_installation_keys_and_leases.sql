-- For several web nodes on one database (docs/deploy.md):
-- installation: the id that keeps this installation's live messages apart from another's on a shared Redis. Made once,
--   here; `gradebench copy` gives the target its own.
-- data_protection_keys: the keys that sign cookies and antiforgery tokens, shared by every node (one XML element each,
--   as ASP.NET Core's key manager writes it, encrypted when a certificate is configured).
-- leases: work that must run on one node at a time (the agreement monitors): a holder keeps it by renewing it before it
--   expires, and another node may take it once it has.
CREATE TABLE installation (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    id TEXT NOT NULL CHECK (length(id) = 32)
);
INSERT INTO installation (singleton, id) VALUES (1, lower(hex(randomblob(16))));

CREATE TABLE data_protection_keys (
    name TEXT PRIMARY KEY,
    xml TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
