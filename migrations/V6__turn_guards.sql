-- Guards that hold across processes (issue 12): a user message's turn is claimed in the database
-- (turn_claimed_until, a lease), so one turn runs per message and a user's concurrent turns are
-- capped whichever replica serves them; and the database itself refuses a second reply to one
-- message.
ALTER TABLE chat_messages ADD COLUMN turn_claimed_until timestamptz;
CREATE INDEX chat_messages_claimed ON chat_messages (user_id, turn_claimed_until) WHERE turn_claimed_until IS NOT NULL;

DROP INDEX chat_messages_reply_to;
CREATE UNIQUE INDEX chat_messages_one_reply ON chat_messages (user_id, reply_to)
    WHERE reply_to IS NOT NULL AND role = 'assistant';
