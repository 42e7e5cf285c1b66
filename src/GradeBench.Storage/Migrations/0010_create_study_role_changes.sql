-- A member's role in a study changed (`gradebench users add --role …` on an existing member): kept for the record, and
-- read by a running server as a revocation when a coordinator lost that role, so their open dashboard and hub
-- connection stop receiving what only coordinators may see.
CREATE TABLE study_role_changes (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    old_role TEXT NOT NULL,
    new_role TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by INTEGER REFERENCES users (id)   -- NULL: the command line
);
CREATE INDEX study_role_changes_study ON study_role_changes (study_id, changed_at);
