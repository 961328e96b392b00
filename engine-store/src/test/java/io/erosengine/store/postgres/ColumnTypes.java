package io.erosengine.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Reads a column's declared SQL type from the catalog, for schema tests. */
final class ColumnTypes {
    private ColumnTypes() {}

    /** The type of {@code engine.<table>.<column>} as Postgres prints it, e.g. {@code halfvec(512)}. */
    static String of(DataSource db, String table, String column) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                     WHERE attrelid = ('engine.' || ?)::regclass AND attname = ?""")) {
            s.setString(1, table);
            s.setString(2, column);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no column engine." + table + "." + column);
                return rs.getString(1);
            }
        }
    }
}
