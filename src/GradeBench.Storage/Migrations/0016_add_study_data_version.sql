-- What a study's statistics are computed from, versioned (issue 17): every write that changes what the results page or
-- the dashboard's agreement shows (a submitted rating, an import, a response or criterion added or edited, a consensus
-- value, a highlight) raises it in the same transaction, so a cached computation is served only for the version it was
-- computed from. Raised explicitly at each write site: a trigger per rating row would double the cost of an import.
ALTER TABLE studies ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;

-- The dashboard's "last activity" and "recent activity" look for work done in the browser: a few rows beside the
-- millions an import writes, which this partial index alone holds.
CREATE INDEX rating_history_web ON rating_history (recorded_by, rating_id) WHERE source = 'web';
