-- eros-engine schema, version 10: the keyword path of hybrid recall, faster (issue 11, "Fast").
--
-- 1. The keyword GIN index is keyed by scope instead of user: coalesce(instance_id, user_id) is the
--    instance for a relationship-layer row and the user for a profile row (instance ids are
--    engine-generated uuids, never a user's id; the search still filters by user and layer). A
--    search of one layer then intersects that layer's posting list with the terms', so it visits
--    only the layer's matching rows (with (user_id, ...) it visited the matching rows of every
--    layer of the user), and no B-tree can serve the predicate, so the planner cannot trade the
--    GIN scan for a scan of the layer's B-tree entries (it did, for small layers).
--
-- 2. Per-scope document frequencies: companion_memory_terms holds, for each scope (as in
--    companion_memory_stats: the instance id, or the nil uuid for the profile layer) and each
--    lexeme of its live memories' keyword_terms, df = the live memories holding it. A keyword
--    search reads the query terms' df first (primary-key reads), looks up only the terms that
--    io.erosengine.core.memory.KeywordLookup selects (a frequent word would make it visit thousands
--    of rows for a near-zero BM25 weight) and uses the stored df in BM25 instead of counting over
--    the matched rows. A row exists while df > 0, so erasing a user's memories erases their terms.
--
--    The trigger applies one row's change as one INSERT .. ON CONFLICT of the net change per
--    (scope, lexeme), sorted like the primary key, so that concurrent writers of one scope lock
--    the same rows in the same order (no deadlock), then deletes the rows it brought to zero
--    (rows it has already locked). It runs with the writer's search_path, hence the
--    schema-qualified names.

DROP INDEX companion_memories_keywords;
CREATE INDEX companion_memories_scope_keywords ON companion_memories
    USING gin ((coalesce(instance_id, user_id)), keyword_terms) WITH (fastupdate = off) WHERE deleted_at IS NULL;

CREATE TABLE companion_memory_terms (
    user_id  uuid    NOT NULL,
    scope    uuid    NOT NULL,
    lexeme   text    NOT NULL,
    df       integer NOT NULL,
    PRIMARY KEY (user_id, scope, lexeme)
);

CREATE FUNCTION companion_memory_terms_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    nil       CONSTANT uuid := '00000000-0000-0000-0000-000000000000';
    old_live  boolean := TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL;
    new_live  boolean := TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL;
    old_scope uuid;
    new_scope uuid;
BEGIN
    IF old_live THEN old_scope := coalesce(OLD.instance_id, nil); END IF;
    IF new_live THEN new_scope := coalesce(NEW.instance_id, nil); END IF;
    IF old_live AND new_live AND old_scope = new_scope AND OLD.keyword_terms = NEW.keyword_terms THEN
        RETURN NULL;
    END IF;
    INSERT INTO ${flyway:defaultSchema}.companion_memory_terms AS t (user_id, scope, lexeme, df)
    SELECT coalesce(NEW.user_id, OLD.user_id), scope, lexeme, sum(change)
    FROM (SELECT old_scope AS scope, l AS lexeme, -1 AS change FROM unnest(tsvector_to_array(OLD.keyword_terms)) l
          WHERE old_live
          UNION ALL
          SELECT new_scope, l, 1 FROM unnest(tsvector_to_array(NEW.keyword_terms)) l WHERE new_live) c
    GROUP BY scope, lexeme HAVING sum(change) <> 0
    ORDER BY scope, lexeme
    ON CONFLICT (user_id, scope, lexeme) DO UPDATE SET df = t.df + EXCLUDED.df;
    IF old_live THEN
        DELETE FROM ${flyway:defaultSchema}.companion_memory_terms
        WHERE user_id = OLD.user_id AND scope = old_scope AND lexeme = ANY (tsvector_to_array(OLD.keyword_terms))
          AND df <= 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER companion_memory_terms_apply
    AFTER INSERT OR DELETE OR UPDATE OF deleted_at, keyword_terms, instance_id ON companion_memories
    FOR EACH ROW EXECUTE FUNCTION companion_memory_terms_apply();

INSERT INTO companion_memory_terms (user_id, scope, lexeme, df)
SELECT user_id, coalesce(instance_id, '00000000-0000-0000-0000-000000000000'), l, count(*)
FROM companion_memories, unnest(tsvector_to_array(keyword_terms)) l
WHERE deleted_at IS NULL
GROUP BY 1, 2, 3;
