-- The interface language a user chose (issue 18), e.g. 'en' or 'zh-CN'; NULL: none saved, so the language switch's
-- cookie or the browser's Accept-Language decides.
ALTER TABLE users ADD COLUMN language TEXT;
