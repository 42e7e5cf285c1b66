-- gradebench: rebuilds tables
-- Study lifecycle: draft -> open -> adjudication -> closed, and a pause while open. SQLite changes a CHECK only by
-- rebuilding the table (https://sqlite.org/lang_altertable.html#otheralter); the migrator turns foreign keys off around it.
CREATE TABLE studies_new (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description_md TEXT NOT NULL,
    instructions_md TEXT NOT NULL,
    language TEXT NOT NULL,
    raters_per_response INTEGER NOT NULL CHECK (raters_per_response >= 1),
    state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'adjudication', 'closed')),
    paused BOOLEAN NOT NULL DEFAULT FALSE,
    state_changed_at TEXT,
    hide_model BOOLEAN NOT NULL,
    shuffle BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id)
);
INSERT INTO studies_new (id, slug, title, description_md, instructions_md, language, raters_per_response, state, paused,
                         state_changed_at, hide_model, shuffle, created_at, created_by)
SELECT id, slug, title, description_md, instructions_md, language, raters_per_response, state, FALSE,
       created_at, hide_model, shuffle, created_at, created_by
FROM studies;
DROP TABLE studies;
ALTER TABLE studies_new RENAME TO studies;

-- Who moved a study between states, and when (the activity feed and the methods section read it).
CREATE TABLE study_state_changes (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    state TEXT NOT NULL,
    paused BOOLEAN NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by INTEGER REFERENCES users (id)
);
CREATE INDEX study_state_changes_study ON study_state_changes (study_id, changed_at);
