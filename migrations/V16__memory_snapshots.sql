-- eros-engine schema, version 16: what a process needs to keep a copy of a memory layer up to date
-- (issue 11, "Fast"; BENCHMARKS.md, "Layer snapshots in the engine's process").
--
-- An exact scan in the server costs about 1 us per row of a layer on this project's machines (the
-- covering index's 1 KB halfvec tuples are copied row by row), so a 3,000-memory layer cannot be
-- searched in well under 2 ms there. PgMemoryStore therefore keeps a copy of a recently searched
-- layer (its live rows with their fp32 embeddings) in the process and searches that, after asking
-- the database in one statement what changed since the copy was taken:
--
-- * written_by: the transaction that last wrote the row (set by a row trigger on every insert and
--   update, whoever runs it, SQL included). The rows changed since a copy's snapshot (a
--   pg_snapshot the copy's own statement returned) are those whose writer that snapshot does not
--   see; the (user_id, written_by) index finds them from the snapshot's xmin on. Commit order
--   does not matter and no lock is taken. Rows written before this migration have no writer and
--   are older than any copy.
-- * embedding_written_by: the transaction that last wrote the row's content, embedding or
--   embedding model. A changed row whose embedding the copy already holds (a recall count, a pin)
--   is read without its 2 KB vector: 30 rows marked recalled by a turn read in 0.27 ms instead of
--   0.93 (measured on 100k memories).
-- * companion_memory_stats.live_ids: the XOR of the low 64 bits of the scope's live ids, kept by
--   the statistics trigger beside the live count. A row that leaves the layer without an update
--   (a hard delete, an erasure that removes the statistics row) changes them, and a copy whose
--   count or XOR differs from the database's after the changes is dropped and loaded again.
--
-- Two columns without a default and a partial index that starts empty: no table rewrite. The id
-- checksums are filled by one pass over the memories.

ALTER TABLE companion_memories ADD COLUMN written_by xid8, ADD COLUMN embedding_written_by xid8;

CREATE FUNCTION companion_memory_written_by() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.written_by := pg_current_xact_id();
    IF TG_OP = 'INSERT' OR NEW.content IS DISTINCT FROM OLD.content
            OR NEW.embedding_model IS DISTINCT FROM OLD.embedding_model
            OR NOT (NEW.embedding_full OPERATOR(${vector_schema}.=) OLD.embedding_full) THEN
        NEW.embedding_written_by := NEW.written_by;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER companion_memory_written_by
    BEFORE INSERT OR UPDATE ON companion_memories
    FOR EACH ROW EXECUTE FUNCTION companion_memory_written_by();

CREATE INDEX companion_memories_written_by ON companion_memories (user_id, written_by) WHERE written_by IS NOT NULL;

-- The low 64 bits of a memory id (as java.util.UUID.getLeastSignificantBits).
CREATE FUNCTION companion_memory_id_bits(id uuid) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CAST(CAST('x' || right(replace(CAST(id AS text), '-', ''), 16) AS bit(64)) AS bigint)
$$;

ALTER TABLE companion_memory_stats ADD COLUMN live_ids bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION companion_memory_stats_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
        UPDATE ${flyway:defaultSchema}.companion_memory_stats SET live = live - 1, total_length = total_length - OLD.keyword_length,
            live_ids = live_ids # ${flyway:defaultSchema}.companion_memory_id_bits(OLD.id)
        WHERE user_id = OLD.user_id AND scope = coalesce(OLD.instance_id, '00000000-0000-0000-0000-000000000000');
        DELETE FROM ${flyway:defaultSchema}.companion_memory_stats
        WHERE user_id = OLD.user_id AND scope = coalesce(OLD.instance_id, '00000000-0000-0000-0000-000000000000')
          AND live = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
        INSERT INTO ${flyway:defaultSchema}.companion_memory_stats AS s (user_id, scope, live, total_length, live_ids)
        VALUES (NEW.user_id, coalesce(NEW.instance_id, '00000000-0000-0000-0000-000000000000'), 1, NEW.keyword_length,
                ${flyway:defaultSchema}.companion_memory_id_bits(NEW.id))
        ON CONFLICT (user_id, scope) DO UPDATE SET live = s.live + 1, total_length = s.total_length + EXCLUDED.total_length,
            live_ids = s.live_ids # EXCLUDED.live_ids;
    END IF;
    RETURN NULL;
END $$;

UPDATE companion_memory_stats s SET live_ids = x.bits
FROM (SELECT user_id, coalesce(instance_id, '00000000-0000-0000-0000-000000000000') AS scope,
             bit_xor(companion_memory_id_bits(id)) AS bits
      FROM companion_memories WHERE deleted_at IS NULL GROUP BY 1, 2) x
WHERE s.user_id = x.user_id AND s.scope = x.scope;
