-- Accounts managed from the browser (issue 15).
-- When each account last signed in, for the administrators' account list.
ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;

-- A coordinator can revoke an invite before it is used; a revoked link is refused and says so.
ALTER TABLE invites ADD COLUMN revoked_at TEXT;
ALTER TABLE invites ADD COLUMN revoked_by INTEGER REFERENCES users (id);

-- sign_in_links also carries the set-password links an administrator makes (new account, password reset). A sign-in
-- link signs in at once; a set-password link is used up only when the new password is saved, and only that one.
ALTER TABLE sign_in_links ADD COLUMN purpose TEXT NOT NULL DEFAULT 'sign-in' CHECK (purpose IN ('sign-in', 'set-password'));
