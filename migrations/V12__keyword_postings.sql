-- eros-engine schema, version 12: per-scope keyword postings replace the keyword GIN index
-- (issue 11, "Fast").
--
-- Until V11 a keyword search found its candidates in the GIN index companion_memories_scope_keywords
-- and then visited each candidate's heap row for its keyword_terms (the term frequencies) and
-- keyword_length. Both costs grew with the table, not with the user: a lexeme's GIN posting list
-- holds every row of every user with that word, and the heap rows are spread over the whole table
-- (measured at 1M rows, one layer's keyword list: 0.54 ms for a 300-row layer, 0.96 ms for a
-- 3,000-row one; 0.33 ms for the latter at 100k rows).
--
-- companion_memory_postings holds, for each live memory and each lexeme of its keyword_terms, one
-- row keyed (user_id, scope, lexeme, memory_id) with the term frequency (tf, the lexeme's
-- positions) and the memory's document length (dl, keyword_length). scope is as in
-- companion_memory_stats and companion_memory_terms: the instance id, or the nil uuid for the
-- profile layer. A search reads the looked-up terms' postings of one layer as index-only range
-- scans of the primary key (INCLUDE tf, dl) and never visits companion_memories for them: the same
-- candidates and the same BM25 as before (tests compare), from the layer's own entries only
-- (0.12 and 0.62 ms for the two layers above at 1M rows).
--
-- A row trigger keeps the postings: the old row's are deleted (when it was live) and the new row's
-- inserted (when it is live), by primary key; each memory owns its rows, so writers of one scope
-- do not contend. Erasing a user's memories erases their postings. Cost: one posting per distinct
-- lexeme of a memory (about 10 here): table and key about 1.9 KB per memory (1,865 MB at 1M rows,
-- against 50 MB for the GIN index).

CREATE TABLE companion_memory_postings (
    user_id   uuid    NOT NULL,
    scope     uuid    NOT NULL,
    lexeme    text    NOT NULL,
    memory_id uuid    NOT NULL,
    tf        integer NOT NULL,
    dl        integer NOT NULL,
    PRIMARY KEY (user_id, scope, lexeme, memory_id) INCLUDE (tf, dl)
) WITH (autovacuum_vacuum_insert_scale_factor = 0.05);   -- a fresh visibility map: index-only scans

CREATE FUNCTION companion_memory_postings_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    nil      CONSTANT uuid := '00000000-0000-0000-0000-000000000000';
    old_live boolean := TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL;
    new_live boolean := TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL;
BEGIN
    IF old_live AND new_live AND OLD.instance_id IS NOT DISTINCT FROM NEW.instance_id
            AND OLD.keyword_terms = NEW.keyword_terms AND OLD.keyword_length = NEW.keyword_length THEN
        RETURN NULL;
    END IF;
    IF old_live THEN
        DELETE FROM ${flyway:defaultSchema}.companion_memory_postings
        WHERE user_id = OLD.user_id AND scope = coalesce(OLD.instance_id, nil)
          AND lexeme = ANY (tsvector_to_array(OLD.keyword_terms)) AND memory_id = OLD.id;
    END IF;
    IF new_live THEN
        INSERT INTO ${flyway:defaultSchema}.companion_memory_postings (user_id, scope, lexeme, memory_id, tf, dl)
        SELECT NEW.user_id, coalesce(NEW.instance_id, nil), t.lexeme, NEW.id, cardinality(t.positions), NEW.keyword_length
        FROM unnest(NEW.keyword_terms) t;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER companion_memory_postings_apply
    AFTER INSERT OR DELETE OR UPDATE OF deleted_at, keyword_terms, keyword_length, instance_id ON companion_memories
    FOR EACH ROW EXECUTE FUNCTION companion_memory_postings_apply();

INSERT INTO companion_memory_postings (user_id, scope, lexeme, memory_id, tf, dl)
SELECT m.user_id, coalesce(m.instance_id, '00000000-0000-0000-0000-000000000000'), t.lexeme, m.id,
       cardinality(t.positions), m.keyword_length
FROM companion_memories m, unnest(m.keyword_terms) t
WHERE m.deleted_at IS NULL;

DROP INDEX companion_memories_scope_keywords;
