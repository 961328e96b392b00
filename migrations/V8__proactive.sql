-- Proactive messages (issue 14), version 8.
--
-- A proactive message is an assistant message with no reply_to that the persona wrote after a
-- silence, on a proactive_check job. Its row here is written in the same transaction as the message,
-- under the job's idempotency key, so a check that runs again after a crash finds it and sends
-- nothing twice. The rows also count the daily cap and the messages left unanswered in a row.
CREATE TABLE proactive_messages (
    user_id          uuid        NOT NULL,
    idempotency_key  text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    session_id       uuid        NOT NULL,
    message_id       uuid        NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (user_id, idempotency_key),
    UNIQUE (user_id, message_id),
    FOREIGN KEY (user_id, session_id) REFERENCES chat_sessions (user_id, id),
    FOREIGN KEY (user_id, message_id) REFERENCES chat_messages (user_id, id)
);
CREATE INDEX proactive_messages_by_time ON proactive_messages (user_id, created_at);

-- The user's own switch (PUT /comp/user/{user_id}/proactive): no row means enabled.
CREATE TABLE proactive_settings (
    user_id     uuid        PRIMARY KEY,
    enabled     boolean     NOT NULL,
    updated_at  timestamptz NOT NULL
);
