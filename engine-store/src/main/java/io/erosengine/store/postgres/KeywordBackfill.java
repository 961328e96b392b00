package io.erosengine.store.postgres;

import io.erosengine.core.memory.Keywords;
import io.erosengine.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes the keyword columns of every memory analyzed by an older {@link Keywords#VERSION} (0 =
 * never: the rows that existed before migration V2, or were written by an older engine). One pass
 * in primary-key order, a batch per transaction, so it resumes where it stopped and never rescans.
 */
final class KeywordBackfill {
    static final int BATCH = 1000;

    private KeywordBackfill() {}

    /** Analyzes the stale rows; returns how many were updated. */
    static long run(DataSource dataSource) {
        long updated = 0;
        UUID lastUser = new UUID(0, 0); // the least uuid in Postgres order (unsigned bytes)
        UUID lastId = lastUser;
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("""
                     SELECT user_id, id, content FROM engine.companion_memories
                     WHERE (user_id, id) > (?, ?) AND keyword_version <> ?
                     ORDER BY user_id, id LIMIT ?""");
             PreparedStatement update = c.prepareStatement("""
                     UPDATE engine.companion_memories SET keyword_terms = CAST(? AS tsvector), keyword_length = ?,
                         keyword_version = ? WHERE user_id = ? AND id = ?""")) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                while (true) {
                    select.setObject(1, lastUser);
                    select.setObject(2, lastId);
                    select.setInt(3, Keywords.VERSION);
                    select.setInt(4, BATCH);
                    int rows = 0;
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            rows++;
                            lastUser = rs.getObject(1, UUID.class);
                            lastId = rs.getObject(2, UUID.class);
                            Map<String, Object> columns = PgMemoryStore.keywordColumns(rs.getString(3));
                            update.setString(1, (String) columns.get("kt"));
                            update.setInt(2, (Integer) columns.get("kl"));
                            update.setInt(3, (Integer) columns.get("kv"));
                            update.setObject(4, lastUser);
                            update.setObject(5, lastId);
                            update.addBatch();
                        }
                    }
                    if (rows == 0) break;
                    update.executeBatch();
                    c.commit();
                    updated += rows;
                }
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException("analyzing the keywords of existing memories failed: " + e.getMessage(), e);
        }
        return updated;
    }
}
