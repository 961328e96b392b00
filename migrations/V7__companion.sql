-- Companion features (issue 14), version 7.
--
-- App-open events: what the persona decided for one client event id of a session (greeted,
-- referenced an open thread or a memory, or stayed quiet), so a repeat of the event returns the
-- same decision and the same message instead of writing again. The message (an assistant message
-- with no reply_to) is stored in the same transaction as the event row.
CREATE TABLE app_open_events (
    user_id          uuid        NOT NULL,
    session_id       uuid        NOT NULL,
    client_event_id  text        NOT NULL CHECK (length(client_event_id) BETWEEN 1 AND 200),
    decision         text        NOT NULL CHECK (decision IN ('greeting', 'open_thread', 'memory', 'quiet')),
    message_id       uuid,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (user_id, session_id, client_event_id),
    CHECK ((decision = 'quiet') = (message_id IS NULL)),
    FOREIGN KEY (user_id, session_id) REFERENCES chat_sessions (user_id, id),
    FOREIGN KEY (user_id, message_id) REFERENCES chat_messages (user_id, id)
);

-- The persona's unprompted messages (no reply_to): when it last spoke first to an instance.
CREATE INDEX chat_messages_unprompted ON chat_messages (user_id, session_id, sent_at)
    WHERE role = 'assistant' AND reply_to IS NULL;

-- Open threads: the promises (relationship layer) and events (profile layer) the user mentioned are
-- threads, open until marked done (thread_done_at set) through the memory API. A row whose category
-- is edited to a non-thread category keeps the column, which is then ignored.
ALTER TABLE companion_memories ADD COLUMN thread_done_at timestamptz;

-- Regenerate: a user message may have several assistant replies (alternatives); exactly one is
-- selected, and only the selected one feeds the prompt's history, the memory extraction and the
-- turn's replay. The database keeps "one committed answer per message" true for selected replies.
ALTER TABLE chat_messages ADD COLUMN selected boolean NOT NULL DEFAULT true;
DROP INDEX chat_messages_one_reply;
CREATE UNIQUE INDEX chat_messages_one_selected_reply ON chat_messages (user_id, reply_to)
    WHERE reply_to IS NOT NULL AND role = 'assistant' AND selected;
CREATE INDEX chat_messages_reply_to ON chat_messages (user_id, reply_to) WHERE reply_to IS NOT NULL;
