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
--   * (user_id, instance_id) INCLUDE (keyword_length), live rows: BM25's per-scope row count and
--     average length as an index-only scan.
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
CREATE INDEX companion_memories_keyword_stats ON companion_memories (user_id, instance_id) INCLUDE (keyword_length)
    WHERE deleted_at IS NULL;
CREATE INDEX companion_memories_observed ON companion_memories (user_id, observed_at DESC) INCLUDE (instance_id)
    WHERE deleted_at IS NULL;
