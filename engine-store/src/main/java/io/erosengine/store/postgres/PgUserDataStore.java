package io.erosengine.store.postgres;

import io.erosengine.core.model.UserId;
import io.erosengine.core.port.UserDataStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Export and erasure of one user's rows. Tables are listed children first, the order erasure needs
 * (foreign keys have no cascades, so counts are exact per table).
 */
final class PgUserDataStore implements UserDataStore {
    /** Every table holding user data, in deletion order, with the export's row order. */
    static final Map<String, String> TABLES = tables();

    private static Map<String, String> tables() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("jobs", "created_at, id");
        t.put("user_insights", "user_id");
        t.put("companion_memories", "created_at, id");
        t.put("companion_affinity_events", "id");
        t.put("companion_affinity", "instance_id");
        t.put("app_open_events", "created_at, client_event_id");
        t.put("proactive_messages", "created_at, idempotency_key");
        t.put("user_settings", "user_id");
        t.put("chat_messages", "seq");
        t.put("chat_sessions", "started_at, id");
        t.put("persona_instances", "created_at, id");
        return java.util.Collections.unmodifiableMap(t);
    }

    /** Memory columns the engine derives from content and embedding; export leaves them out. */
    static final List<String> DERIVED_MEMORY_COLUMNS = List.of("keyword_terms", "keyword_length", "keyword_version");

    private final Pg pg;

    PgUserDataStore(Pg pg) { this.pg = pg; }

    @Override
    public Map<String, List<Map<String, Object>>> export(UserId userId) {
        return pg.tx(h -> {
            h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
            for (var table : TABLES.entrySet()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (String json : h.createQuery("SELECT to_jsonb(t)::text FROM engine." + table.getKey()
                                + " t WHERE user_id = :u ORDER BY " + table.getValue())
                        .bind("u", userId.value()).mapTo(String.class).list()) {
                    Map<String, Object> row = Pg.jsonObject(json);
                    // the fp32 embedding as given; its halfvec copy is derived, so it is not repeated
                    if (row.remove("embedding_full") instanceof String vector) row.put("embedding", floats(vector));
                    // derived from the content and the embedding by the engine (keyword index)
                    DERIVED_MEMORY_COLUMNS.forEach(row::remove);
                    rows.add(row);
                }
                out.put(table.getKey(), rows);
            }
            return out;
        });
    }

    private static List<Float> floats(String vector) {
        String body = vector.substring(1, vector.length() - 1);
        List<Float> out = new ArrayList<>();
        if (body.isEmpty()) return out;
        for (String part : body.split(",")) out.add(Float.parseFloat(part));
        return out;
    }

    @Override
    public Map<String, Integer> deleteUser(UserId userId) {
        return pg.tx(h -> {
            // The memory triggers' delete halves skip this user's rows (V13): their derived rows go
            // here by key prefix, instead of being updated once per deleted memory.
            h.createQuery("SELECT set_config('eros_engine.erasing_user', :u, true)")
                    .bind("u", userId.value().toString()).mapTo(String.class).one();
            for (String derived : List.of("companion_memory_postings", "companion_memory_terms", "companion_memory_stats")) {
                h.createUpdate("DELETE FROM engine." + derived + " WHERE user_id = :u").bind("u", userId.value()).execute();
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String table : TABLES.keySet()) {
                counts.put(table, h.createUpdate("DELETE FROM engine." + table + " WHERE user_id = :u")
                        .bind("u", userId.value()).execute());
            }
            return counts;
        });
    }
}
