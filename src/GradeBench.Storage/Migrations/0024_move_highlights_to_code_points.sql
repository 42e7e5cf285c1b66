-- gradebench: rebuilds tables
-- Highlights in Unicode code points over the hash of the text they were made on (issue 21, docs/spans.md "Offsets"):
-- brat, BioC as GradeBench writes it, Python and the span statistics count code points, where the browser and .NET
-- count UTF-16 units; the two differ after an emoji or a rare CJK ideograph. The stored UTF-16 offsets are converted
-- by code_point_offset and the answers hashed by sha256_hex, which the migrator gives its connection (Migrator.cs).
-- Columns change only by rebuilding the table (the migrator turns foreign keys off and checks them after).
CREATE TABLE span_annotations_new (
    id INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES responses (id),
    rater_id INTEGER NOT NULL REFERENCES users (id),
    label_id INTEGER NOT NULL REFERENCES span_labels (id),
    start_code_point INTEGER NOT NULL CHECK (start_code_point >= 0),
    end_code_point INTEGER NOT NULL,         -- exclusive
    text_sha256 TEXT NOT NULL CHECK (length(text_sha256) = 64),   -- of responses.content_md: lowercase hex of its UTF-8
    quote TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_code_point > start_code_point)
);
INSERT INTO span_annotations_new (id, response_id, rater_id, label_id, start_code_point, end_code_point, text_sha256, quote, note,
                                  created_at, updated_at)
SELECT a.id, a.response_id, a.rater_id, a.label_id, code_point_offset(r.content_md, a.start_offset, FALSE),
       code_point_offset(r.content_md, a.end_offset, TRUE), sha256_hex(r.content_md), a.quote, a.note, a.created_at, a.updated_at
FROM span_annotations a JOIN responses r ON r.id = a.response_id;
DROP TABLE span_annotations;
ALTER TABLE span_annotations_new RENAME TO span_annotations;
CREATE INDEX span_annotations_response ON span_annotations (response_id, rater_id);
