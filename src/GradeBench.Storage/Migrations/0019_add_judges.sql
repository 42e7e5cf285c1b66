-- gradebench: rebuilds tables
-- LLM judges (issue 19): automated raters of one study each, kept apart from the physicians. A judge is an account of
-- kind 'judge' (it has API tokens, never a password or a sign-in) and a member of its study in the role 'judge', which
-- no physician query selects; its ratings sit in `ratings` like anyone's and are left out of physician statistics,
-- progress, adjudication and exports unless a caller asks for them.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'judge'));

-- The role 'judge' is new: SQLite changes a CHECK only by rebuilding the table (the migrator turns foreign keys off).
CREATE TABLE study_members_new (
    study_id INTEGER NOT NULL REFERENCES studies (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'rater', 'judge')),
    joined_at TEXT NOT NULL,
    PRIMARY KEY (study_id, user_id)
);
INSERT INTO study_members_new (study_id, user_id, role, joined_at) SELECT study_id, user_id, role, joined_at FROM study_members;
DROP TABLE study_members;
ALTER TABLE study_members_new RENAME TO study_members;
CREATE INDEX study_members_user ON study_members (user_id);

-- A judge's provenance, as the methods of a study report it: what model, run how, against which rubric.
CREATE TABLE judges (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    study_id INTEGER NOT NULL REFERENCES studies (id),
    name TEXT NOT NULL,
    model TEXT NOT NULL,
    model_version TEXT,
    prompt_text TEXT,
    prompt_sha256 TEXT,                      -- of the prompt's UTF-8 bytes, lower-case hex
    temperature REAL,
    rubric_sha256 TEXT NOT NULL,             -- the study's rubric when the judge was added (RubricVersion)
    all_responses BOOLEAN NOT NULL,          -- rates every response, those added later too; else a chosen set
    created_at TEXT NOT NULL,
    UNIQUE (study_id, name),
    CHECK ((prompt_text IS NULL) = (prompt_sha256 IS NULL))
);
CREATE INDEX judges_study ON judges (study_id);

-- What the activity feed says of judges: one line per import, or per burst of API submissions.
CREATE TABLE judge_batches (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    judge_id INTEGER NOT NULL REFERENCES users (id),
    source TEXT NOT NULL CHECK (source IN ('api', 'import')),
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    responses INTEGER NOT NULL
);
CREATE INDEX judge_batches_study ON judge_batches (study_id, ended_at);

-- study.json's human_subset as given ('0.25' or '40'); NULL: physicians rate every response.
ALTER TABLE studies ADD COLUMN human_subset TEXT;
-- Whether physicians are assigned the response: every response unless human_subset chose fewer.
ALTER TABLE responses ADD COLUMN for_physicians BOOLEAN NOT NULL DEFAULT TRUE;
