-- Opening a rater's next item must not read their whole queue from the table: progress, the first open item and
-- the neighbours of an item are answered from this covering index alone (completed_at included).
DROP INDEX assignments_rater;
CREATE INDEX assignments_queue ON assignments (rater_id, study_id, queue_position, response_id, completed_at);
