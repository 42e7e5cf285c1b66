-- Side-by-side (pairwise) studies (issue 20, docs/bundle-format.md): a rater reads two models' answers to one case
-- and answers each axis with A, B, a tie or "both unacceptable". The unit of work is a pair, not a response, so pairs
-- have their own assignments and votes; the answers stay rows of `responses`, and highlights on either stay
-- `span_annotations` of that response. In a pairwise study `studies.raters_per_response` is the raters per pair.
ALTER TABLE studies ADD COLUMN design TEXT NOT NULL DEFAULT 'single' CHECK (design IN ('single', 'pairwise'));

-- The questions asked of every pair, in display order.
CREATE TABLE pairwise_axes (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    question TEXT NOT NULL,                  -- in the study's language
    question_translations_json TEXT,
    help_md TEXT,
    help_translations_json TEXT,
    both_bad BOOLEAN NOT NULL,               -- offers "both unacceptable" beside A, B and tie
    UNIQUE (study_id, slug)
);

-- Reason tags a rater may tick for a pair.
CREATE TABLE pairwise_reasons (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    label_translations_json TEXT,
    UNIQUE (study_id, slug)
);

-- Two answers to one case by different models. A is the answer whose model comes first in ordinal order: votes are
-- stored by model (a, b), never by the side a rater saw. Raters name a pair only by its random handle.
CREATE TABLE pairs (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    case_id INTEGER NOT NULL REFERENCES cases (id),
    response_a_id INTEGER NOT NULL REFERENCES responses (id),
    response_b_id INTEGER NOT NULL REFERENCES responses (id),
    position INTEGER NOT NULL,
    handle TEXT NOT NULL CHECK (length(handle) = 16),
    CHECK (response_a_id <> response_b_id),
    UNIQUE (response_a_id, response_b_id)
);
CREATE UNIQUE INDEX pairs_handle ON pairs (study_id, handle);
CREATE INDEX pairs_case ON pairs (case_id);

-- Which rater compares which pair, with which answer on the left, in what queue order. The reasons ticked and the
-- comment belong to the rater's judgement of the whole pair, so they live here, saved as typed like a draft.
CREATE TABLE pair_assignments (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    pair_id INTEGER NOT NULL REFERENCES pairs (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    left_response_id INTEGER NOT NULL REFERENCES responses (id),
    queue_position INTEGER NOT NULL,
    assigned_at TEXT NOT NULL,
    completed_at TEXT,
    reasons_json TEXT,                       -- JSON array of pairwise_reasons slugs
    comment TEXT,
    UNIQUE (pair_id, rater_id)
);
CREATE INDEX pair_assignments_rater ON pair_assignments (rater_id, study_id, queue_position);

-- The current vote of one rater on one axis of one pair.
CREATE TABLE pair_votes (
    id INTEGER PRIMARY KEY,
    pair_id INTEGER NOT NULL REFERENCES pairs (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    axis_id INTEGER NOT NULL REFERENCES pairwise_axes (id),
    choice TEXT CHECK (choice IN ('a', 'b', 'tie', 'both_bad')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    UNIQUE (pair_id, rater_id, axis_id)
);
CREATE INDEX pair_votes_rater ON pair_votes (rater_id);

-- Every choice a vote has had, in order. Append-only, as rating_history.
CREATE TABLE pair_vote_history (
    id INTEGER PRIMARY KEY,
    vote_id INTEGER NOT NULL REFERENCES pair_votes (id),
    choice TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    source TEXT NOT NULL CHECK (source IN ('import', 'web', 'adjudication')),
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users (id)
);
CREATE INDEX pair_vote_history_vote ON pair_vote_history (vote_id);

CREATE TRIGGER pair_vote_history_no_update BEFORE UPDATE ON pair_vote_history
BEGIN
    SELECT RAISE(ABORT, 'pair_vote_history is append-only');
END;

CREATE TRIGGER pair_vote_history_no_delete BEFORE DELETE ON pair_vote_history
BEGIN
    SELECT RAISE(ABORT, 'pair_vote_history is append-only');
END;
