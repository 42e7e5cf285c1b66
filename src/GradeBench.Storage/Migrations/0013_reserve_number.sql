-- Placeholder so that 0015 loads on this branch (migrations are numbered without gaps). Issue 16 gives 0013 to
-- another change: the integrator drops this file when that change's 0013 is merged.
SELECT 1;
