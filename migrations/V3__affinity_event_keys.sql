-- Typed idempotency keys on affinity events (issue 9): a turn or job that runs again finds its
-- effect by key, under the affinity row lock, instead of searching free-text reasons. At most one
-- event per key and instance; the unique index is the database's own guard across processes.
ALTER TABLE companion_affinity_events ADD COLUMN idempotency_key text
    CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 200);

-- Events written before this migration carried their marker in the reason: "[message <uuid>]".
UPDATE companion_affinity_events
   SET idempotency_key = m[1] || ':' || m[2]
  FROM (SELECT user_id AS u, id AS eid, regexp_match(reason, '\[(message|judge) ([0-9a-f-]{36})\]') AS m
          FROM companion_affinity_events) found
 WHERE user_id = found.u AND id = found.eid AND found.m IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM companion_affinity_events e2
                    WHERE e2.user_id = found.u AND e2.idempotency_key = found.m[1] || ':' || found.m[2]);

CREATE UNIQUE INDEX companion_affinity_events_key
    ON companion_affinity_events (user_id, instance_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
