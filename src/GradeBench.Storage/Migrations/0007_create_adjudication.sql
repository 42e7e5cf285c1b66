-- Adjudication and safety escalation. Independent ratings are never written here: agreement is computed on
-- `ratings` alone, and consensus values live beside them.

-- The disagreement rule of each criterion, as imported (defaults filled in). Every study imported from this version
-- on has one row per criterion; a study with none was imported earlier and has the default rules.
CREATE TABLE adjudication_rules (
    criterion_id INTEGER PRIMARY KEY REFERENCES criteria (id),
    study_id INTEGER NOT NULL REFERENCES studies (id),
    disagreement TEXT NOT NULL CHECK (disagreement IN ('never', 'any', 'range')),
    min_range REAL,
    CHECK ((disagreement = 'range') = (min_range IS NOT NULL))
);
CREATE INDEX adjudication_rules_study ON adjudication_rules (study_id);

-- Values of a criterion whose submitted rating raises a safety alert.
CREATE TABLE safety_rules (
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    value TEXT NOT NULL,
    PRIMARY KEY (criterion_id, value)
);

-- A submitted rating that reported severe possible harm: at most one per rater × response × criterion.
CREATE TABLE safety_alerts (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    response_id INTEGER NOT NULL REFERENCES responses (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    value TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by INTEGER REFERENCES users (id),
    UNIQUE (response_id, rater_id, criterion_id)
);
CREATE INDEX safety_alerts_study ON safety_alerts (study_id, acknowledged_at);

-- A response in the adjudication queue, and why it is there (reasons accumulate when the queue is built again).
CREATE TABLE adjudication_items (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    response_id INTEGER NOT NULL UNIQUE REFERENCES responses (id),
    disagreement BOOLEAN NOT NULL,
    safety BOOLEAN NOT NULL,
    disagreeing_criteria TEXT NOT NULL,      -- criterion ids, comma-separated, in rubric order
    status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    created_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by INTEGER REFERENCES users (id),
    CHECK (disagreement OR safety)
);
CREATE INDEX adjudication_items_study ON adjudication_items (study_id, status);

-- The discussion of one item between its raters and the coordinators.
CREATE TABLE adjudication_messages (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES adjudication_items (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    posted_at TEXT NOT NULL
);
CREATE INDEX adjudication_messages_item ON adjudication_messages (item_id, id);

-- The value the adjudicator settled on for one criterion of one item, with the reason; the latest decision counts.
CREATE TABLE consensus_values (
    item_id INTEGER NOT NULL REFERENCES adjudication_items (id),
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    value TEXT NOT NULL,
    reason TEXT NOT NULL,
    decided_by INTEGER NOT NULL REFERENCES users (id),
    decided_at TEXT NOT NULL,
    PRIMARY KEY (item_id, criterion_id)
);
