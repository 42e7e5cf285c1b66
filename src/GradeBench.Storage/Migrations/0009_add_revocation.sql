-- Revocation. A disabled account keeps its rows (its ratings stay in the studies' data) but may no longer sign in or
-- act. study_members keeps meaning "current members", so every access query stays as it is; a removal is recorded
-- here instead, with who made it. Both tables are also the feed a running server polls, so a change made by another
-- process (the command line) reaches open pages and hub connections too.
ALTER TABLE users ADD COLUMN disabled_at TEXT;

CREATE TABLE account_status_changes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    disabled BOOLEAN NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by INTEGER REFERENCES users (id)   -- NULL: the command line
);
CREATE INDEX account_status_changes_user ON account_status_changes (user_id, changed_at);

CREATE TABLE study_member_removals (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    removed_at TEXT NOT NULL,
    removed_by INTEGER REFERENCES users (id),
    released_assignments INTEGER NOT NULL      -- their unstarted items handed back for the other raters
);
CREATE INDEX study_member_removals_study ON study_member_removals (study_id, removed_at);
