-- The user's own settings (version 9): the proactive switch of V8 and the user's time zone, one row
-- per user (no row: proactive messages allowed, no time zone of their own). The time zone is an IANA
-- id ("Europe/Paris"); relative dates in the user's questions ("last week") and, with
-- PROACTIVE_TIMEZONE=user, the quiet hours are counted in it.
ALTER TABLE proactive_settings RENAME TO user_settings;
ALTER TABLE user_settings RENAME COLUMN enabled TO proactive_enabled;
ALTER TABLE user_settings ALTER COLUMN proactive_enabled SET DEFAULT true;
ALTER TABLE user_settings ADD COLUMN timezone text CHECK (length(timezone) BETWEEN 1 AND 64);
