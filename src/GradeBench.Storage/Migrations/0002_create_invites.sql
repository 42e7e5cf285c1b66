-- Single-use, expiring invitations to join a study in a role. Only the token's SHA-256 is stored.
CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'rater')),
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by INTEGER REFERENCES users (id)
);
CREATE INDEX invites_study ON invites (study_id);
