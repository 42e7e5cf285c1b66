-- Raters name a response only by a handle drawn at random (docs/setup.md "Blinding"): database ids follow an order
-- a rater could recompute from guessed model names, and a batch added later gets a block of its own.
ALTER TABLE responses ADD COLUMN handle TEXT;
UPDATE responses SET handle = lower(hex(randomblob(8)));
CREATE UNIQUE INDEX responses_handle ON responses (study_id, handle);

-- Every response inserted from now on carries one (SQLite adds a column NOT NULL only with a default).
CREATE TRIGGER responses_handle_required BEFORE INSERT ON responses
WHEN NEW.handle IS NULL OR length(NEW.handle) <> 16
BEGIN
    SELECT RAISE(ABORT, 'responses.handle is required');
END;

-- Queue positions were a function of database ids: drawn again at random, once. Positions stay fixed from here on.
UPDATE assignments SET queue_position = random();
