-- A rater's note to the coordinator about one response ("the case contradicts itself", "outside my expertise").
CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    response_id INTEGER NOT NULL REFERENCES responses (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    note TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by INTEGER REFERENCES users (id)
);
CREATE INDEX flags_study ON flags (study_id, resolved_at);
CREATE INDEX flags_rater ON flags (rater_id, response_id);
