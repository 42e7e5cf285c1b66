-- Clinical note annotation (issue 21; docs/bundle-format.md, "Note labels"): a rater marks passages of a case's
-- clinical note (cases.presentation_md) with the study's note labels, sets the label's attributes, and may link a
-- passage to a highlight of an answer to that case. Offsets are Unicode code points of the note, end exclusive, as
-- brat and BioC exports count them, and mean something only over the text whose SHA-256 the span keeps.

-- study.json's note_labels, in their order.
CREATE TABLE note_labels (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,                     -- in the study's language
    label_translations_json TEXT,
    color TEXT,
    UNIQUE (study_id, slug)
);

-- The attributes a passage of a label may carry, in their order.
CREATE TABLE note_label_attributes (
    id INTEGER PRIMARY KEY,
    label_id INTEGER NOT NULL REFERENCES note_labels (id),
    slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    label_translations_json TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('flag', 'number', 'text')),
    UNIQUE (label_id, slug)
);

-- A passage of a case's note marked by one rater. quote is the note's text at the offsets, text_sha256 the hash of the
-- whole note (lowercase hex of its UTF-8), both taken by the server when the passage is saved.
CREATE TABLE note_spans (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    label_id INTEGER NOT NULL REFERENCES note_labels (id),
    start_code_point INTEGER NOT NULL CHECK (start_code_point >= 0),
    end_code_point INTEGER NOT NULL,
    text_sha256 TEXT NOT NULL CHECK (length(text_sha256) = 64),
    quote TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_code_point > start_code_point)
);
CREATE INDEX note_spans_case ON note_spans (case_id, rater_id);

-- The attributes set on a passage: a set flag is 'true' (an unset one has no row), a number in its shortest invariant
-- form, a text as typed. They go with their passage.
CREATE TABLE note_span_attributes (
    note_span_id INTEGER NOT NULL REFERENCES note_spans (id) ON DELETE CASCADE,
    attribute_id INTEGER NOT NULL REFERENCES note_label_attributes (id),
    value TEXT NOT NULL,
    PRIMARY KEY (note_span_id, attribute_id)
);

-- A rater's passage of an answer (span_annotations) tied to their passage of the case's note, e.g. the claim and the
-- finding it contradicts. Both are the same rater's and on the same case. A link goes with either passage: deleting a
-- highlight of an answer removes its links without SpanStore knowing of them.
CREATE TABLE span_links (
    answer_span_id INTEGER NOT NULL REFERENCES span_annotations (id) ON DELETE CASCADE,
    note_span_id INTEGER NOT NULL REFERENCES note_spans (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (answer_span_id, note_span_id)
);
CREATE INDEX span_links_note_span ON span_links (note_span_id);
