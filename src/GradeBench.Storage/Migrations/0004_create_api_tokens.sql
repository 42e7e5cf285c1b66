-- Personal API tokens for scripted raters (an LLM judge, a site's own grading form). Only the token's
-- SHA-256 is stored; a revoked token stays as a row so that who had access, and when, remains on record.
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
