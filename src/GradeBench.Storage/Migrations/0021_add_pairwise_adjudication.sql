-- Whether a side-by-side study sends a pair whose raters disagree on an axis to adjudication: study.json's
-- adjudication.pairwise (docs/bundle-format.md), 'any' or 'never'; NULL in a study of single answers, whose rules are
-- adjudication_rules'.
ALTER TABLE studies ADD COLUMN pairwise_adjudication TEXT CHECK (pairwise_adjudication IN ('any', 'never'));
