-- Live calibration before a study opens. Entirely apart from ratings: nothing here enters agreement, exports or
-- the raters' queues.
CREATE TABLE calibration_sessions (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    created_by INTEGER NOT NULL REFERENCES users (id),
    phase TEXT NOT NULL CHECK (phase IN ('setup', 'rating', 'revealed', 'ended')),
    current_item_id INTEGER,                 -- the item of the running or last round; NULL before the first
    created_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX calibration_sessions_study ON calibration_sessions (study_id, phase);

-- A study response the coordinator chose to rate together, in the order of the session.
CREATE TABLE calibration_items (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES calibration_sessions (id),
    response_id INTEGER NOT NULL REFERENCES responses (id),
    position INTEGER NOT NULL,
    started_at TEXT,
    revealed_at TEXT,
    UNIQUE (session_id, response_id)
);

-- The expert reference rating of an item, per criterion (a gold item has at least one).
CREATE TABLE calibration_gold (
    item_id INTEGER NOT NULL REFERENCES calibration_items (id),
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    value TEXT NOT NULL,
    set_by INTEGER NOT NULL REFERENCES users (id),
    set_at TEXT NOT NULL,
    PRIMARY KEY (item_id, criterion_id)
);

-- Who a round waits for: the raters connected when it started, plus anyone who submits.
CREATE TABLE calibration_participants (
    item_id INTEGER NOT NULL REFERENCES calibration_items (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    submitted_at TEXT,
    PRIMARY KEY (item_id, rater_id)
);

CREATE TABLE calibration_ratings (
    item_id INTEGER NOT NULL REFERENCES calibration_items (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    value TEXT NOT NULL,
    PRIMARY KEY (item_id, rater_id, criterion_id)
);
