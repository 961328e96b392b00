-- Coalesced post-process extraction (issue 10): a user message is marked extracted in the same
-- transaction as the memories and insights extracted from it, so a job that batches the waiting
-- exchanges of one user x instance can prove none was skipped and none extracted twice (the row
-- lock of the mark is the guard across workers and processes).
ALTER TABLE chat_messages ADD COLUMN extracted_at timestamptz;

-- Messages stored before this migration count as extracted, unless their extraction job is still
-- waiting (it extracts them, now through the mark).
UPDATE chat_messages m
   SET extracted_at = now()
 WHERE m.role = 'user'
   AND NOT EXISTS (SELECT 1 FROM jobs j
                    WHERE j.user_id = m.user_id AND j.status IN ('queued', 'running')
                      AND j.dedup_key IN ('memory_extraction:' || m.id, 'insight_extraction:' || m.id));

-- An instance's pending exchanges in append order; only pending rows are in the index.
CREATE INDEX chat_messages_pending_extraction ON chat_messages (user_id, seq)
    WHERE role = 'user' AND extracted_at IS NULL;
