-- Compatibility with the original eros-engine's clients (issue 16).

-- Sessions belong to a channel; start and resume are channel-scoped. Archived sessions are neither
-- resumed nor listed (DELETE /comp/instance/{iid}/sessions).
ALTER TABLE chat_sessions
    ADD COLUMN channel text NOT NULL DEFAULT 'text' CHECK (channel IN ('text', 'voice')),
    ADD COLUMN archived_at timestamptz;
DROP INDEX chat_sessions_instance_active;
CREATE INDEX chat_sessions_instance_active ON chat_sessions (user_id, instance_id, channel, last_active_at DESC)
    WHERE archived_at IS NULL;

-- When the user read a message (POST /comp/chat/{sid}/read).
ALTER TABLE chat_messages ADD COLUMN read_at timestamptz;

-- The profile's fields toward the original's full set, merged like the first eight.
ALTER TABLE user_insights
    ADD COLUMN location              text,
    ADD COLUMN hometown              text,
    ADD COLUMN nationality           text,
    ADD COLUMN education             text,
    ADD COLUMN family                text,
    ADD COLUMN relationship_history  text,
    ADD COLUMN social_pattern        text,
    ADD COLUMN future_plans          text,
    ADD COLUMN finance_status        text,
    ADD COLUMN preferred_gender      text,
    ADD COLUMN age_min               integer CHECK (age_min BETWEEN 0 AND 150),
    ADD COLUMN age_max               integer CHECK (age_max BETWEEN 0 AND 150),
    ADD COLUMN deal_breakers         jsonb   NOT NULL DEFAULT '[]',
    ADD CONSTRAINT user_insights_age_range CHECK (age_min IS NULL OR age_max IS NULL OR age_min <= age_max);

-- What was extracted from a message (the history's extracted_facts): memories by source message.
CREATE INDEX companion_memories_sources ON companion_memories USING gin (source_message_ids)
    WHERE deleted_at IS NULL;
