-- Translations of a study's texts (issue 18; study.json's map form, docs/bundle-format.md): a JSON object from language
-- tag to text, e.g. {"zh-CN": "总体质量"}, beside the text in the study's language, which stays in its own column (the
-- set-up page edits that one only). NULL: no translations.
ALTER TABLE studies ADD COLUMN instructions_translations_json TEXT;
ALTER TABLE criteria ADD COLUMN label_translations_json TEXT;
ALTER TABLE criteria ADD COLUMN help_translations_json TEXT;
ALTER TABLE criterion_options ADD COLUMN label_translations_json TEXT;
ALTER TABLE criterion_anchors ADD COLUMN label_translations_json TEXT;
ALTER TABLE span_labels ADD COLUMN label_translations_json TEXT;
