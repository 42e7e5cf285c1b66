-- GradeBench schema, version 1. SQLite dialect; column types and constraints are chosen so that a
-- PostgreSQL migration differs only in the identity columns (INTEGER PRIMARY KEY -> GENERATED ALWAYS AS
-- IDENTITY) and the append-only triggers. Timestamps are UTC ISO-8601 text (sortable).

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT,                      -- NULL: cannot sign in with a password (e.g. imported pilot raters)
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_username_unique ON users (lower(username));

CREATE TABLE sign_in_links (
    token_hash TEXT PRIMARY KEY,             -- SHA-256 of the token; the token itself is never stored
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE studies (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,               -- the bundle's study id
    title TEXT NOT NULL,
    description_md TEXT NOT NULL,
    instructions_md TEXT NOT NULL,
    language TEXT NOT NULL,
    raters_per_response INTEGER NOT NULL CHECK (raters_per_response >= 1),
    state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
    hide_model BOOLEAN NOT NULL,
    shuffle BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id)
);

CREATE TABLE study_members (
    study_id INTEGER NOT NULL REFERENCES studies (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'rater')),
    joined_at TEXT NOT NULL,
    PRIMARY KEY (study_id, user_id)
);
CREATE INDEX study_members_user ON study_members (user_id);

CREATE TABLE criteria (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    help_md TEXT,
    type TEXT NOT NULL CHECK (type IN ('likert', 'ordinal', 'nominal', 'binary', 'numeric', 'text')),
    required BOOLEAN NOT NULL,
    min_value REAL,
    max_value REAL,
    UNIQUE (study_id, slug)
);

-- The values of an ordinal or nominal criterion, in scale order.
CREATE TABLE criterion_options (
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    position INTEGER NOT NULL,
    value TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (criterion_id, value)
);

-- Labels of some points of a likert criterion.
CREATE TABLE criterion_anchors (
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    point INTEGER NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (criterion_id, point)
);

CREATE TABLE span_labels (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    color TEXT,
    UNIQUE (study_id, slug)
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    language TEXT,
    tags_json TEXT NOT NULL,
    presentation_md TEXT NOT NULL,
    question_md TEXT NOT NULL,
    reference_md TEXT,
    UNIQUE (study_id, slug)
);

CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    case_id INTEGER NOT NULL REFERENCES cases (id),
    slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    model TEXT NOT NULL,                     -- hidden from raters when the study hides models
    content_md TEXT NOT NULL,
    meta_json TEXT,
    UNIQUE (study_id, slug)
);
CREATE INDEX responses_case ON responses (case_id);

-- Which rater grades which response, and in what order their queue presents it.
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    response_id INTEGER NOT NULL REFERENCES responses (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    queue_position INTEGER NOT NULL,
    assigned_at TEXT NOT NULL,
    completed_at TEXT,
    UNIQUE (response_id, rater_id)
);
CREATE INDEX assignments_rater ON assignments (rater_id, study_id, queue_position);

-- The current rating of one criterion of one response by one rater.
CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES responses (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    value TEXT,
    comment TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    UNIQUE (response_id, rater_id, criterion_id)
);
CREATE INDEX ratings_rater ON ratings (rater_id);

-- Every value a rating has had, in order. Append-only: rows are never updated or deleted.
CREATE TABLE rating_history (
    id INTEGER PRIMARY KEY,
    rating_id INTEGER NOT NULL REFERENCES ratings (id),
    value TEXT,
    comment TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    source TEXT NOT NULL CHECK (source IN ('import', 'web', 'adjudication')),
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users (id)
);
CREATE INDEX rating_history_rating ON rating_history (rating_id);

CREATE TRIGGER rating_history_no_update BEFORE UPDATE ON rating_history
BEGIN
    SELECT RAISE(ABORT, 'rating_history is append-only');
END;

CREATE TRIGGER rating_history_no_delete BEFORE DELETE ON rating_history
BEGIN
    SELECT RAISE(ABORT, 'rating_history is append-only');
END;

-- A highlighted passage of a response, as character offsets into its Markdown source.
CREATE TABLE span_annotations (
    id INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES responses (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    label_id INTEGER NOT NULL REFERENCES span_labels (id),
    start_offset INTEGER NOT NULL CHECK (start_offset >= 0),
    end_offset INTEGER NOT NULL,
    quote TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_offset > start_offset)
);
CREATE INDEX span_annotations_response ON span_annotations (response_id, rater_id);
