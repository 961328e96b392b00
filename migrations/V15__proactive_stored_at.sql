-- eros-engine schema, version 15: when each proactive message was stored, in the database's clock.
--
-- A stored proactive message is announced by NOTIFY to every process's listening connection. A
-- notification sent while such a connection is lost is not delivered, so when the connection
-- listens again the store announces the messages stored meanwhile from here (PgConversationStore,
-- "catch-up"). created_at is the writer's engine clock, which can differ between processes and from
-- the database's; stored_at is the database's, the one clock every writer shares.
--
-- Rows stored before this version take their created_at (now at the latest, for a writer clock that
-- ran ahead), so a catch-up never announces them as new.
ALTER TABLE proactive_messages ADD COLUMN stored_at timestamptz;
UPDATE proactive_messages SET stored_at = least(created_at, now());
ALTER TABLE proactive_messages ALTER COLUMN stored_at SET DEFAULT now(), ALTER COLUMN stored_at SET NOT NULL;
CREATE INDEX proactive_messages_by_stored_at ON proactive_messages (stored_at);
