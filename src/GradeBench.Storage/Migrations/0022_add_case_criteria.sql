-- gradebench: rebuilds tables
-- Checklists (issue 20): criteria of one case, HealthBench's design (docs/bundle-format.md, "Checklists: criteria of one
-- case"). They are rows of `criteria` with their case (`case_id`; NULL is the study's shared rubric), their points and
-- tags; always binary and required, their text in `label`. Raters' marks are ordinary `ratings` ('true' = met), so
-- drafts, history, submission, adjudication and exports take them as they take any rating; everything that speaks of
-- "the rubric" selects `case_id IS NULL`.
-- Ids are unique within the rubric and within a case, so the inline UNIQUE (study_id, slug) becomes two partial indexes:
-- SQLite changes a constraint only by rebuilding the table (the migrator turns foreign keys off and checks them after).
CREATE TABLE criteria_new (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies (id),
    slug TEXT NOT NULL,
    position INTEGER NOT NULL,               -- in the rubric, or in the case's checklist
    label TEXT NOT NULL,                     -- a case criterion's text_md
    help_md TEXT,
    type TEXT NOT NULL CHECK (type IN ('likert', 'ordinal', 'nominal', 'binary', 'numeric', 'text')),
    required BOOLEAN NOT NULL,
    min_value REAL,
    max_value REAL,
    label_translations_json TEXT,
    help_translations_json TEXT,
    case_id INTEGER REFERENCES cases (id),
    points INTEGER,                          -- a case criterion's points (non-zero, -100 to 100); NULL in the rubric
    tags_json TEXT,                          -- a case criterion's tags, a JSON array; NULL in the rubric
    CHECK ((case_id IS NULL) = (points IS NULL)),
    CHECK (case_id IS NULL OR (type = 'binary' AND required AND tags_json IS NOT NULL))
);
INSERT INTO criteria_new (id, study_id, slug, position, label, help_md, type, required, min_value, max_value,
                          label_translations_json, help_translations_json)
SELECT id, study_id, slug, position, label, help_md, type, required, min_value, max_value,
       label_translations_json, help_translations_json
FROM criteria;
DROP TABLE criteria;
ALTER TABLE criteria_new RENAME TO criteria;
CREATE UNIQUE INDEX criteria_rubric_slug ON criteria (study_id, slug) WHERE case_id IS NULL;
CREATE UNIQUE INDEX criteria_case_slug ON criteria (case_id, slug) WHERE case_id IS NOT NULL;

-- study.json's adjudication.checklist: whether raters' disagreeing marks send an answer to adjudication ('any', the
-- default of a binary criterion) or never. The rubric's rules stay one row per criterion in adjudication_rules.
ALTER TABLE studies ADD COLUMN checklist_adjudication TEXT NOT NULL DEFAULT 'any' CHECK (checklist_adjudication IN ('any', 'never'));
