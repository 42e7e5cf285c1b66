-- Independence after reveal (issue 16): once the server has shown a rater other raters' values for a response (an
-- adjudication item page, a calibration round's reveal), that rater's independent rating of it is final. One row per
-- rater × response, the first time it happened; rating writes are refused while a row exists.
CREATE TABLE rating_reveals (
    study_id INTEGER NOT NULL REFERENCES studies (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    response_id INTEGER NOT NULL REFERENCES responses (id),
    source TEXT NOT NULL CHECK (source IN ('adjudication', 'calibration')),
    revealed_at TEXT NOT NULL,
    PRIMARY KEY (study_id, rater_id, response_id)
);
