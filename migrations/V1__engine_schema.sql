-- eros-engine schema, version 1. Run by Flyway (EngineMigrations) into schema `engine`.
--
-- Placeholders:
--   ${embedding_dim}  dimension of the memory embeddings (default 512)
--   ${vector_schema}  schema holding the pgvector extension (default public; Supabase: extensions)
--
-- Design rules, applied to every table:
--   * every table that holds user data carries user_id, and user_id leads its primary key and every
--     index, so each query of one user touches only that user's index range, and the schema can be
--     distributed by user_id (Citus) without cross-shard queries;
--   * foreign keys are composite (user_id, id): a session, message, memory or affinity row can only
--     point at an instance or session of the SAME user, enforced by the database;
--   * no ON DELETE CASCADE: erasure deletes table by table so it can report counts.
--
-- Memory storage and retrieval (see BENCHMARKS.md, "Memory retrieval", for the measurements):
--   * embeddings are halfvec(${embedding_dim}): 2 * 512 + 8 = 1,032 bytes, below the ~2 KB TOAST
--     threshold, so the vector is stored inline. A vector(512) is 2,056 bytes and is TOASTed: every
--     distance then costs a TOAST index descent plus two chunk fetches (measured 5-10x slower).
--     fp16 rounding moves cosine similarities by ~1e-3, which can swap two near-tied rows at the
--     k-th place (measured: recall@16 0.9993 against an fp32 scan). So the fp32 embedding is kept
--     too, in embedding_full (vector, TOASTed, never scanned): the halfvec scan picks 2k + 8
--     candidates, and only those are re-ranked by their fp32 distance. Retrieval is then exact in
--     fp32 (recall@k 1.0, re-checked by the benchmark on every run) for the price of reading ~2k
--     TOASTed vectors per query, and export returns the embeddings exactly as given.
--   * retrieval is EXACT per user: a covering B-tree (user_id, instance_id, embedding_model)
--     INCLUDE (id, embedding) restricted to live rows. The per-user scan is an Index Only Scan over
--     the user's contiguous leaf pages (the heap is never touched), then the candidate ids are
--     joined back to the heap (the two-step, materialized-CTE query in PgMemoryStore).
--   * there is deliberately NO global ANN (ivfflat/hnsw) index. A global ANN index filtered by
--     user_id silently returns fewer than k rows, or the wrong ones; an ivfflat built on an empty
--     table is worse still. A per-user query touches 0.001-0.1 % of the table, where exact search
--     is both correct and fast (~2,000 rows/ms per core).
--   * no hash partitioning (yet): the covering index already gives each user's vectors contiguous
--     storage, which is what makes the scan fast; partitions would add per-query pruning and
--     planning cost and 32+ tables to maintain, for a benefit (smaller vacuums, detachable
--     ranges) that matters only far beyond ~10 M rows. user_id is in every primary key, so the
--     table can be re-created as PARTITION BY HASH (user_id) later without changing any query.

CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA ${vector_schema};

-- Personas are shared by all users (not user data). Upserted by name; extensions kept intact.
CREATE TABLE personas (
    id                uuid        NOT NULL PRIMARY KEY,
    name              text        NOT NULL UNIQUE,
    system_prompt     text        NOT NULL,
    age               integer     CHECK (age BETWEEN 0 AND 10000),
    mbti              text,
    backstory         text,
    speech_style      text,
    quirks            jsonb       NOT NULL DEFAULT '[]',
    topics            jsonb       NOT NULL DEFAULT '[]',
    timezone          text        NOT NULL,
    language          text        NOT NULL,
    gift_personality  text        NOT NULL CHECK (gift_personality IN ('warm', 'tsundere', 'zen', 'gold_digger')),
    greeting          text,
    avatar_url        text,
    model_override    text,
    extensions        jsonb       NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- One user's relationship with one persona.
CREATE TABLE persona_instances (
    user_id     uuid        NOT NULL,
    id          uuid        NOT NULL,
    persona_id  uuid        NOT NULL REFERENCES personas (id),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, id),
    UNIQUE (user_id, persona_id)
);

CREATE TABLE chat_sessions (
    user_id         uuid        NOT NULL,
    id              uuid        NOT NULL,
    instance_id     uuid        NOT NULL,
    demo            boolean     NOT NULL DEFAULT false,
    started_at      timestamptz NOT NULL,
    last_active_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, instance_id) REFERENCES persona_instances (user_id, id)
);
-- latest session of an instance; the user's sessions, most recently active first
CREATE INDEX chat_sessions_instance_active ON chat_sessions (user_id, instance_id, last_active_at DESC);
CREATE INDEX chat_sessions_user_active ON chat_sessions (user_id, last_active_at DESC);

CREATE TABLE chat_messages (
    user_id            uuid        NOT NULL,
    id                 uuid        NOT NULL,
    seq                bigint      GENERATED ALWAYS AS IDENTITY,  -- append order, the history cursor
    session_id         uuid        NOT NULL,
    role               text        NOT NULL CHECK (role IN ('user', 'assistant', 'gift', 'system_error')),
    content            text        NOT NULL,
    sent_at            timestamptz NOT NULL,
    client_msg_id      text        CHECK (length(client_msg_id) BETWEEN 1 AND 200),
    reply_to           uuid,
    ghosted            boolean     NOT NULL DEFAULT false,
    truncated          boolean     NOT NULL DEFAULT false,
    model              text,
    prompt_tokens      integer     CHECK (prompt_tokens >= 0),
    completion_tokens  integer     CHECK (completion_tokens >= 0),
    latency_ms         bigint      CHECK (latency_ms >= 0),
    PRIMARY KEY (user_id, id),
    -- idempotent append: one message per (session, client_msg_id); NULLs (no key) never collide
    UNIQUE (user_id, session_id, client_msg_id),
    FOREIGN KEY (user_id, session_id) REFERENCES chat_sessions (user_id, id),
    FOREIGN KEY (user_id, reply_to) REFERENCES chat_messages (user_id, id)
);
CREATE INDEX chat_messages_session_seq ON chat_messages (user_id, session_id, seq);
CREATE INDEX chat_messages_reply_to ON chat_messages (user_id, reply_to) WHERE reply_to IS NOT NULL;

-- Affinity state and ghost counters per instance; read-modify-written under SELECT ... FOR UPDATE.
CREATE TABLE companion_affinity (
    user_id        uuid             NOT NULL,
    instance_id    uuid             NOT NULL,
    warmth         double precision NOT NULL CHECK (warmth BETWEEN 0 AND 1),
    trust          double precision NOT NULL CHECK (trust BETWEEN 0 AND 1),
    intrigue       double precision NOT NULL CHECK (intrigue BETWEEN 0 AND 1),
    intimacy       double precision NOT NULL CHECK (intimacy BETWEEN 0 AND 1),
    patience       double precision NOT NULL CHECK (patience BETWEEN 0 AND 1),
    tension        double precision NOT NULL CHECK (tension BETWEEN 0 AND 1),
    ghost_streak   integer          NOT NULL CHECK (ghost_streak >= 0),
    total_ghosts   integer          NOT NULL CHECK (total_ghosts >= ghost_streak),
    last_ghost_at  timestamptz,
    updated_at     timestamptz      NOT NULL,
    PRIMARY KEY (user_id, instance_id),
    FOREIGN KEY (user_id, instance_id) REFERENCES persona_instances (user_id, id)
);

-- Every change of the affinity state, so a relationship can be replayed and debugged.
CREATE TABLE companion_affinity_events (
    user_id      uuid        NOT NULL,
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    instance_id  uuid        NOT NULL,
    type         text        NOT NULL CHECK (type IN ('message', 'ghost', 'gift', 'decay', 'judge')),
    pushes       jsonb       NOT NULL,
    before       jsonb       NOT NULL,
    after        jsonb       NOT NULL,
    reason       text        NOT NULL DEFAULT '',
    at           timestamptz NOT NULL,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, instance_id) REFERENCES persona_instances (user_id, id)
);
CREATE INDEX companion_affinity_events_instance ON companion_affinity_events (user_id, instance_id, id DESC);

-- Memories, both layers in one table: instance_id NULL = profile layer (about the user, shared by
-- all personas); instance_id = an instance = relationship layer.
CREATE TABLE companion_memories (
    user_id             uuid        NOT NULL,
    id                  uuid        NOT NULL,
    instance_id         uuid,
    session_id          uuid,
    source_message_ids  uuid[]      NOT NULL DEFAULT '{}',
    content             text        NOT NULL,
    content_normalized  text        NOT NULL,   -- MemoryText.normalize(content): exact dedup
    embedding           ${vector_schema}.halfvec(${embedding_dim}) NOT NULL,   -- fp16, inline: the scan
    embedding_full      ${vector_schema}.vector(${embedding_dim}) NOT NULL,    -- fp32, TOASTed: the final order
    embedding_model     text        NOT NULL,
    category            text        NOT NULL CHECK (category IN ('fact', 'preference', 'event', 'emotion', 'relation',
                                        'shared_experience', 'in_joke', 'nickname', 'conflict', 'repair', 'promise', 'milestone')),
    importance          smallint    NOT NULL CHECK (importance BETWEEN 1 AND 10),
    attributed_to       text        NOT NULL CHECK (attributed_to IN ('user', 'persona')),
    observed_at         timestamptz NOT NULL,   -- conversation time, not processing time
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    last_recalled_at    timestamptz,
    recall_count        integer     NOT NULL DEFAULT 0 CHECK (recall_count >= 0),
    mention_count       integer     NOT NULL DEFAULT 1 CHECK (mention_count >= 1),
    pinned              boolean     NOT NULL DEFAULT false,
    deleted_at          timestamptz,
    PRIMARY KEY (user_id, id),
    -- the layer must match the category
    CHECK ((instance_id IS NULL) = (category IN ('fact', 'preference', 'event', 'emotion', 'relation'))),
    FOREIGN KEY (user_id, instance_id) REFERENCES persona_instances (user_id, id),
    FOREIGN KEY (user_id, session_id) REFERENCES chat_sessions (user_id, id)
);
-- The retrieval index. Exact top-k of one scope is an Index Only Scan of this covering index:
-- keys pin the scope (user, layer/instance, embedding model), the partial predicate drops deleted
-- rows, and the INCLUDEd id + embedding are all the scan needs. Never add a global ANN index here.
CREATE INDEX companion_memories_retrieval
    ON companion_memories (user_id, instance_id, embedding_model) INCLUDE (id, embedding)
    WHERE deleted_at IS NULL;
-- Exact-duplicate lookup of merge-or-insert (md5 keeps long contents within the B-tree limit).
CREATE INDEX companion_memories_exact
    ON companion_memories (user_id, instance_id, md5(content_normalized))
    WHERE deleted_at IS NULL;
-- Listing a user's memories, newest first.
CREATE INDEX companion_memories_user_created ON companion_memories (user_id, created_at DESC);
-- Keep the visibility map fresh so the retrieval scan stays index-only under steady inserts.
ALTER TABLE companion_memories SET (autovacuum_vacuum_insert_scale_factor = 0.05);

-- The typed user profile, merged field by field.
CREATE TABLE user_insights (
    user_id             uuid        NOT NULL PRIMARY KEY,
    city                text,
    occupation          text,
    interests           jsonb       NOT NULL DEFAULT '[]',
    personality_traits  jsonb       NOT NULL DEFAULT '[]',
    emotional_needs     text,
    life_rhythm         text,
    love_values         text,
    mbti_guess          text,
    updated_at          timestamptz NOT NULL
);

-- The durable post-process queue. Workers claim across users (it is a queue), so the claim indexes
-- lead with status/time; every job still carries user_id, dedup keys are per user, and erasure
-- and export use the (user_id, ...) indexes.
CREATE TABLE jobs (
    id           uuid        NOT NULL PRIMARY KEY,
    user_id      uuid        NOT NULL,
    type         text        NOT NULL,
    payload      jsonb       NOT NULL,
    dedup_key    text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    attempts     integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    run_after    timestamptz NOT NULL,
    lease_until  timestamptz,
    locked_by    text,
    last_error   text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (user_id, dedup_key)
);
CREATE INDEX jobs_queued_due ON jobs (run_after) WHERE status = 'queued';
CREATE INDEX jobs_running_lease ON jobs (lease_until) WHERE status = 'running';
CREATE INDEX jobs_dead ON jobs (updated_at DESC) WHERE status = 'dead';
