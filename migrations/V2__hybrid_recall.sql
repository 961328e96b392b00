-- eros-engine schema, version 2: the keyword path of hybrid recall (issue 11).
--
-- Each memory's content is analyzed in Java (io.erosengine.core.memory.Keywords: NFKC, lower case,
-- split on non letters/digits, stop words dropped, a light English stemmer, numbers kept) and the
-- lexemes are stored as a tsvector literal, never re-parsed by a text search configuration: the
-- in-memory store sees exactly the same lexemes, so both stores match and rank alike. The keyword
-- score is BM25 over the scope (Bm25 in engine-core, mirrored in PgMemoryStore's SQL).
--
--   keyword_terms    each lexeme with positions 1..tf (tf capped at 256, a tsvector's limit)
--   keyword_length   the document length for BM25 (sum of the tfs)
--   keyword_version  the Keywords.VERSION that produced them; 0 = not analyzed yet. Existing rows
--                    (and rows written by an older engine) are backfilled in Java by
--                    EngineMigrations.migrate right after Flyway (a SQL backfill could not stem alike).
--
--   embedding_bits   binary_quantize(embedding): the sign bit of each dimension, 64 bytes at 512
--                    dimensions, for the optional binary prefilter of the hybrid vector list
--                    (HybridQuery.vectorPrefilter): a Hamming scan of a compact covering index keeps
--                    a few hundred rows, which are then ranked by halfvec and fp32 exactly. The
--                    exact halfvec scan reads ~1 KB of index per row, the bits index ~0.1 KB.
--
-- Indexes (see BENCHMARKS.md, "Memory retrieval", for the measurements):
--   * GIN (user_id, keyword_terms), btree_gin for the uuid: the user's posting list is intersected
--     with the query lexemes', so a keyword search reads only the user's matching rows however big
--     the table; live rows only; fastupdate off (no pending-list flush stalls inserts or searches).
--   * (user_id, observed_at) INCLUDE (instance_id), live rows: the time-window list, newest first.

CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA ${vector_schema};

ALTER TABLE companion_memories
    ADD COLUMN keyword_terms   tsvector NOT NULL DEFAULT '',
    ADD COLUMN keyword_length  integer  NOT NULL DEFAULT 0 CHECK (keyword_length >= 0),
    ADD COLUMN keyword_version smallint NOT NULL DEFAULT 0 CHECK (keyword_version >= 0),
    ADD COLUMN embedding_bits  bit(${embedding_dim})
        GENERATED ALWAYS AS (${vector_schema}.binary_quantize(embedding)::bit(${embedding_dim})) STORED;

-- The binary prefilter's scan: an Index Only Scan of the scope's bits, like companion_memories_retrieval.
CREATE INDEX companion_memories_bits
    ON companion_memories (user_id, instance_id, embedding_model) INCLUDE (id, embedding_bits)
    WHERE deleted_at IS NULL;

CREATE INDEX companion_memories_keywords ON companion_memories USING gin (user_id, keyword_terms)
    WITH (fastupdate = off) WHERE deleted_at IS NULL;
CREATE INDEX companion_memories_observed ON companion_memories (user_id, observed_at DESC) INCLUDE (instance_id)
    WHERE deleted_at IS NULL;

-- BM25's statistics per scope, kept by a trigger so that a search reads one row per layer instead
-- of scanning the scope: the live rows and the sum of their keyword_length. A scope's row exists
-- while it has live memories (it is deleted at zero, so erasing a user's memories erases it too).
-- scope = the instance id, or the nil uuid for the profile layer. (The trigger runs with the
-- writer's search_path, hence the schema-qualified names in its body.)
CREATE TABLE companion_memory_stats (
    user_id       uuid    NOT NULL,
    scope         uuid    NOT NULL,
    live          integer NOT NULL CHECK (live >= 0),
    total_length  bigint  NOT NULL CHECK (total_length >= 0),
    PRIMARY KEY (user_id, scope)
);

CREATE FUNCTION companion_memory_stats_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
        UPDATE ${flyway:defaultSchema}.companion_memory_stats SET live = live - 1, total_length = total_length - OLD.keyword_length
        WHERE user_id = OLD.user_id AND scope = coalesce(OLD.instance_id, '00000000-0000-0000-0000-000000000000');
        DELETE FROM ${flyway:defaultSchema}.companion_memory_stats
        WHERE user_id = OLD.user_id AND scope = coalesce(OLD.instance_id, '00000000-0000-0000-0000-000000000000')
          AND live = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
        INSERT INTO ${flyway:defaultSchema}.companion_memory_stats AS s (user_id, scope, live, total_length)
        VALUES (NEW.user_id, coalesce(NEW.instance_id, '00000000-0000-0000-0000-000000000000'), 1, NEW.keyword_length)
        ON CONFLICT (user_id, scope) DO UPDATE SET live = s.live + 1, total_length = s.total_length + EXCLUDED.total_length;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER companion_memory_stats_apply
    AFTER INSERT OR DELETE OR UPDATE OF deleted_at, keyword_length, instance_id ON companion_memories
    FOR EACH ROW EXECUTE FUNCTION companion_memory_stats_apply();

INSERT INTO companion_memory_stats (user_id, scope, live, total_length)
SELECT user_id, coalesce(instance_id, '00000000-0000-0000-0000-000000000000'), count(*), sum(keyword_length)
FROM companion_memories WHERE deleted_at IS NULL GROUP BY 1, 2;
