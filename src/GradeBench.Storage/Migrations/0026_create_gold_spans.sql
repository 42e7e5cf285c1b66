-- The gold set of note passages (issue 21; docs/spans.md, "Gold spans"): coordinators decide, group by group, what the
-- raters' passages of a case's note (note_spans) make gold, or import a gold-spans.csv. Append-only: a decision taken
-- back is marked undone (undone_at), never deleted, so the gold set keeps its history. The gold set is the rows that are
-- not undone and not rejections.
CREATE TABLE gold_spans (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'edited', 'rejected')),
    -- The gold passage in code points of the note, as note_spans; all four null for a rejection, which adds nothing.
    label_id INTEGER REFERENCES note_labels (id),
    start_code_point INTEGER CHECK (start_code_point >= 0),
    end_code_point INTEGER,
    quote TEXT,
    -- The note decided on (SHA-256 of its UTF-8, lowercase hex), rejections included.
    text_sha256 TEXT NOT NULL CHECK (length(text_sha256) = 64),
    -- The group decided: its note_spans ids, ascending, as a JSON array; null for an imported row, which decides none.
    group_span_ids TEXT,
    -- Provenance: the raters' passages the decision took (JSON array of note_spans ids; [] for an imported row) and
    -- their raters' usernames (JSON array): names, not ids, so that they survive an export and an import into a copy.
    source_span_ids TEXT NOT NULL,
    source_raters TEXT NOT NULL,
    -- Who decided: their account where there is one here (an imported row's decider may have none), and their username.
    decided_by INTEGER REFERENCES users (id),
    decided_by_name TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('web', 'import')),
    imported_at TEXT,
    imported_by INTEGER REFERENCES users (id),
    undone_at TEXT,
    undone_by INTEGER REFERENCES users (id),
    CHECK ((decision = 'rejected') = (label_id IS NULL)),
    CHECK ((label_id IS NULL) = (start_code_point IS NULL) AND (label_id IS NULL) = (end_code_point IS NULL) AND (label_id IS NULL) = (quote IS NULL)),
    CHECK (end_code_point > start_code_point),
    CHECK ((source = 'import') = (imported_at IS NOT NULL))
);
CREATE INDEX gold_spans_case ON gold_spans (case_id);

-- The attributes of a gold passage, stored as note_span_attributes stores a rater's.
CREATE TABLE gold_span_attributes (
    gold_span_id INTEGER NOT NULL REFERENCES gold_spans (id),
    attribute_id INTEGER NOT NULL REFERENCES note_label_attributes (id),
    value TEXT NOT NULL,
    PRIMARY KEY (gold_span_id, attribute_id)
);
