-- A span label (rubric.span_labels[].criteria) or note label (note_labels[].criteria) may name the rubric criteria it
-- bears on; span agreement is then also reported per criterion, over the labels linked to it (docs/spans.md).
CREATE TABLE span_label_criteria (
    label_id INTEGER NOT NULL REFERENCES span_labels (id),
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    position INTEGER NOT NULL,               -- in the label's list
    PRIMARY KEY (label_id, criterion_id)
) WITHOUT ROWID;

CREATE TABLE note_label_criteria (
    label_id INTEGER NOT NULL REFERENCES note_labels (id),
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (label_id, criterion_id)
) WITHOUT ROWID;
