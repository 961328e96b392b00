-- eros-engine schema, version 13: erasing a user does not run the memory triggers row by row.
--
-- The three row triggers on companion_memories (BM25 statistics, V2; document frequencies, V10;
-- keyword postings, V12) keep per-scope rows. Erasing a user deleted the memories in one
-- statement, and each deleted row then ran the three triggers, updating the same per-scope rows
-- over and over inside one transaction: 82 s for a 10,000-memory user, 0.5-0.8 ms a row for a
-- 2,000-memory one against 0.07 ms to delete one memory alone (measured; it grows with the user).
-- Now: 0.27 s for the 10,000-memory user.
--
-- Each trigger is split in two: the insert/update one is unchanged; the delete one fires unless
-- the transaction is erasing that very user (UserDataStore.deleteUser sets
-- eros_engine.erasing_user, transaction-local, and deletes the user's rows of the three tables by
-- their key prefix first). Any other delete, and every other user's rows, keep the triggers.

DROP TRIGGER companion_memory_stats_apply ON companion_memories;
CREATE TRIGGER companion_memory_stats_apply
    AFTER INSERT OR UPDATE OF deleted_at, keyword_length, instance_id ON companion_memories
    FOR EACH ROW EXECUTE FUNCTION companion_memory_stats_apply();
CREATE TRIGGER companion_memory_stats_on_delete
    AFTER DELETE ON companion_memories
    FOR EACH ROW WHEN (current_setting('eros_engine.erasing_user', true) IS DISTINCT FROM OLD.user_id::text)
    EXECUTE FUNCTION companion_memory_stats_apply();

DROP TRIGGER companion_memory_terms_apply ON companion_memories;
CREATE TRIGGER companion_memory_terms_apply
    AFTER INSERT OR UPDATE OF deleted_at, keyword_terms, instance_id ON companion_memories
    FOR EACH ROW EXECUTE FUNCTION companion_memory_terms_apply();
CREATE TRIGGER companion_memory_terms_on_delete
    AFTER DELETE ON companion_memories
    FOR EACH ROW WHEN (current_setting('eros_engine.erasing_user', true) IS DISTINCT FROM OLD.user_id::text)
    EXECUTE FUNCTION companion_memory_terms_apply();

DROP TRIGGER companion_memory_postings_apply ON companion_memories;
CREATE TRIGGER companion_memory_postings_apply
    AFTER INSERT OR UPDATE OF deleted_at, keyword_terms, keyword_length, instance_id ON companion_memories
    FOR EACH ROW EXECUTE FUNCTION companion_memory_postings_apply();
CREATE TRIGGER companion_memory_postings_on_delete
    AFTER DELETE ON companion_memories
    FOR EACH ROW WHEN (current_setting('eros_engine.erasing_user', true) IS DISTINCT FROM OLD.user_id::text)
    EXECUTE FUNCTION companion_memory_postings_apply();
