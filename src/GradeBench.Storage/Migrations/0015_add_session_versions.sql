-- Sessions that really end (issue 16). A sign-in cookie carries the account's session version from when it was issued;
-- signing out, "sign out everywhere", a password change and disabling raise the version, so every cookie issued
-- before (a copy included) is refused at its next request.
ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0;

-- An API token may stop working at a set moment; NULL: until revoked.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;

-- Ended sign-ins and revoked API tokens, in the order recorded, whichever process recorded them: the feed a running
-- server polls to close the live pages and hub connections they opened.
CREATE TABLE credential_revocations (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    session_version INTEGER,                           -- sign-ins issued before this version ended
    token_hash TEXT REFERENCES api_tokens (token_hash), -- this API token revoked
    recorded_at TEXT NOT NULL,
    CHECK ((session_version IS NULL) <> (token_hash IS NULL))
);
