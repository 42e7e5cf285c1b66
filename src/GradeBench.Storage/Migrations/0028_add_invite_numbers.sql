-- The number an invite is listed and revoked by (`gradebench invite list/revoke`) was SQLite's implicit rowid, which a
-- copy to another database would not keep: it is a column of its own, filled from the rowid it replaces. New invites
-- take the next number in their insert, under the write lock.
ALTER TABLE invites ADD COLUMN number INTEGER;
UPDATE invites SET number = rowid;
CREATE UNIQUE INDEX invites_number ON invites (number);
