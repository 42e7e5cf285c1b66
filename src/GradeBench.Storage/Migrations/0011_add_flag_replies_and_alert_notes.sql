-- A coordinator's reply to a rater's flag; the rater reads it on the flagged item.
CREATE TABLE flag_replies (
    id INTEGER PRIMARY KEY,
    flag_id INTEGER NOT NULL REFERENCES flags (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    posted_at TEXT NOT NULL
);
CREATE INDEX flag_replies_flag ON flag_replies (flag_id, id);
CREATE INDEX flags_response ON flags (response_id, id);

-- What the coordinator did about an alert, kept beside who acknowledged it and when (exported in safety-alerts.csv).
ALTER TABLE safety_alerts ADD COLUMN acknowledgement_note TEXT;

-- 'web': raised by a rating submitted here, at that moment. 'import': raised by a pilot rating of an imported bundle,
-- whose raised_at is the import, not when the rating was made; never announced live.
ALTER TABLE safety_alerts ADD COLUMN source TEXT NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'import'));

-- Alerts raised before this version by an import: their rating was recorded by the import at the very same time.
UPDATE safety_alerts SET source = 'import'
WHERE EXISTS (
    SELECT 1 FROM ratings g JOIN rating_history h ON h.rating_id = g.id
    WHERE g.response_id = safety_alerts.response_id AND g.rater_id = safety_alerts.rater_id
      AND g.criterion_id = safety_alerts.criterion_id AND h.source = 'import' AND h.recorded_at = safety_alerts.raised_at
);
