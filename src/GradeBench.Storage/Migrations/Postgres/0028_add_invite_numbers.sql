-- The number an invite is listed and revoked by: a column of its own, as in SQLite's 0028 (where it replaced the rowid).
ALTER TABLE invites ADD COLUMN number BIGINT;
UPDATE invites SET number = numbered.n FROM (SELECT token_hash, row_number() OVER (ORDER BY created_at, token_hash) AS n FROM invites) numbered
WHERE invites.token_hash = numbered.token_hash;
CREATE UNIQUE INDEX invites_number ON invites (number);
