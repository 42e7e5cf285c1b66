-- Placeholder so that this branch (i15-accounts, which owns 0012) numbers its migrations without a gap. Another
-- branch of issue 15 owns 0011: on merging, keep that branch's 0011 and delete this file.
SELECT 1;
