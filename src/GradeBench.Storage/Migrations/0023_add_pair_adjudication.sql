-- gradebench: rebuilds tables
-- Adjudication of side-by-side pairs (issue 20, docs/adjudication.md, "Side-by-side pairs"): a pair whose raters'
-- votes on an axis differ is an item of the same queue as a response, so it shares the queue's numbering, status and
-- discussion (adjudication_messages.item_id needs nothing new). An item names its response or its pair, never both;
-- a pair's disagreeing_criteria holds axis ids, in axis order, and a pair never raises a safety alert.
-- response_id loses its NOT NULL, which SQLite changes only by rebuilding the table (the migrator turns foreign keys
-- off and checks them after); adjudication_messages and consensus_values keep referring to it by name.
CREATE TABLE adjudication_items_new (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    response_id INTEGER UNIQUE REFERENCES responses (id),
    pair_id INTEGER UNIQUE REFERENCES pairs (id),
    disagreement BOOLEAN NOT NULL,
    safety BOOLEAN NOT NULL,
    disagreeing_criteria TEXT NOT NULL,      -- criterion ids (a pair's: axis ids), comma-separated, in rubric (axis) order
    status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    created_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by INTEGER REFERENCES users (id),
    CHECK (disagreement OR safety),
    CHECK ((response_id IS NULL) <> (pair_id IS NULL)),
    CHECK (pair_id IS NULL OR NOT safety)
);
INSERT INTO adjudication_items_new (id, study_id, response_id, disagreement, safety, disagreeing_criteria, status, created_at,
                                    resolved_at, resolved_by)
SELECT id, study_id, response_id, disagreement, safety, disagreeing_criteria, status, created_at, resolved_at, resolved_by
FROM adjudication_items;
DROP TABLE adjudication_items;
ALTER TABLE adjudication_items_new RENAME TO adjudication_items;
CREATE INDEX adjudication_items_study ON adjudication_items (study_id, status);

-- The choice the adjudicator settled on for one axis of a pair's item (stored by model: a, b, tie, both_bad, as
-- pair_votes), with the reason, who and when. Append-only: a new decision is a new row and the latest row of an
-- item × axis is its consensus, so every earlier decision stays on record.
CREATE TABLE pair_consensus_votes (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES adjudication_items (id),
    axis_id INTEGER NOT NULL REFERENCES pairwise_axes (id),
    choice TEXT NOT NULL CHECK (choice IN ('a', 'b', 'tie', 'both_bad')),
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 4000),
    decided_by INTEGER NOT NULL REFERENCES users (id),
    decided_at TEXT NOT NULL
);
CREATE INDEX pair_consensus_votes_item ON pair_consensus_votes (item_id, axis_id, id);

CREATE TRIGGER pair_consensus_votes_no_update BEFORE UPDATE ON pair_consensus_votes
BEGIN
    SELECT RAISE(ABORT, 'pair_consensus_votes is append-only');
END;

CREATE TRIGGER pair_consensus_votes_no_delete BEFORE DELETE ON pair_consensus_votes
BEGIN
    SELECT RAISE(ABORT, 'pair_consensus_votes is append-only');
END;

-- Independence after reveal for pairs (docs/grading.md, "When your rating is final"): once a pair's adjudication item
-- has shown a rater the other raters' votes, that rater's votes on the pair are final. One row per rater × pair, the
-- first time; vote writes are refused while a row exists. rating_reveals keeps the responses'.
CREATE TABLE pair_reveals (
    study_id INTEGER NOT NULL REFERENCES studies (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    pair_id INTEGER NOT NULL REFERENCES pairs (id),
    revealed_at TEXT NOT NULL,
    PRIMARY KEY (study_id, rater_id, pair_id)
);
