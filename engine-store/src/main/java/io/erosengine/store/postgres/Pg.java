package io.erosengine.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.store.StoreException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.postgresql.util.PSQLException;

/**
 * What every Postgres store shares: the Jdbi instance, the settings, JSON and type conversions, and
 * the translation of database errors into IllegalArgumentException (bad input) or StoreException.
 */
final class Pg {
    static final ObjectMapper JSON = new ObjectMapper();

    final Jdbi jdbi;
    final int embeddingDim;
    /** The schema-qualified cosine distance operator, e.g. {@code OPERATOR(public.<=>)}. */
    final String cosine;
    /** The schema-qualified halfvec type, e.g. {@code public.halfvec}. */
    final String halfvec;
    /** The schema-qualified fp32 vector type, e.g. {@code public.vector}. */
    final String fullvec;

    Pg(Jdbi jdbi, int embeddingDim, String vectorSchema) {
        this.jdbi = jdbi;
        this.embeddingDim = embeddingDim;
        this.cosine = "OPERATOR(" + vectorSchema + ".<=>)";
        this.halfvec = vectorSchema + ".halfvec";
        this.fullvec = vectorSchema + ".vector";
    }

    /** Runs {@code callback} on a handle, translating failures. */
    <T> T call(HandleCallback<T, RuntimeException> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (JdbiException e) {
            throw translate(e);
        }
    }

    /** Runs {@code callback} in one transaction (read committed), translating failures. */
    <T> T tx(HandleCallback<T, RuntimeException> callback) {
        try {
            return jdbi.inTransaction(callback);
        } catch (JdbiException e) {
            throw translate(e);
        }
    }

    static RuntimeException translate(JdbiException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && p.getSQLState() != null) {
                String state = p.getSQLState();
                if (state.equals("23503")) {
                    return new IllegalArgumentException("a referenced row does not exist or belongs to another user: "
                            + p.getServerErrorMessage(), e);
                }
                if (state.startsWith("22") || state.equals("23514") || state.equals("23502")) {
                    return new IllegalArgumentException("invalid value: " + p.getServerErrorMessage(), e);
                }
                break;
            }
        }
        return new StoreException("database operation failed: " + e.getMessage(), e);
    }

    /**
     * Validates an embedding for this schema and makes it one statement parameter: a {@code real[]}
     * that pgjdbc sends in binary, 4 bytes a value. (The two text forms sent before, fp16 and fp32,
     * took 85 us a search to print, the largest item in a profile of the client, and the server
     * parsed both.) Statements read it through {@link #halfvecOf} and {@link #vectorOf}.
     */
    Argument vector(float[] embedding) {
        if (embedding.length != embeddingDim) {
            throw new IllegalArgumentException("embedding must have " + embeddingDim + " dimensions, got " + embedding.length);
        }
        checkEmbedding(embedding);
        float[] copy = embedding.clone();
        return (position, statement, context) -> statement.setObject(position, copy);
    }

    /**
     * SQL for the fp16 value of the embedding parameter {@code param} (e.g. {@code :q}), as a scalar
     * subquery: an InitPlan, converted once per statement. (A bare cast of a parameter is evaluated
     * per row under a generic plan: 4.3 ms instead of 0.8 for a 3,000-row scan, measured.)
     */
    String halfvecOf(String param) {
        return "(SELECT CAST(CAST(" + param + " AS real[]) AS " + halfvec + "))";
    }

    /** SQL for the fp32 value of the embedding parameter {@code param}; see {@link #halfvecOf}. */
    String vectorOf(String param) {
        return "(SELECT CAST(CAST(" + param + " AS real[]) AS " + fullvec + "))";
    }

    /** Rejects non-finite values, values outside halfvec's range and zero vectors (no cosine). */
    static void checkEmbedding(float[] embedding) {
        double norm = 0;
        for (float f : embedding) {
            if (!Float.isFinite(f) || Math.abs(f) > 65504f) {
                throw new IllegalArgumentException("embedding values must be finite and within +-65504, got " + f);
            }
            norm += (double) f * f;
        }
        if (norm == 0) throw new IllegalArgumentException("embedding must not be the zero vector");
    }

    static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static List<UUID> uuids(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        if (array == null) return List.of();
        Object[] values = (Object[]) array.getArray();
        List<UUID> out = new ArrayList<>(values.length);
        for (Object v : values) out.add((UUID) v);
        return out;
    }

    static UUID[] uuidArray(Collection<UUID> ids) {
        return ids.toArray(new UUID[0]);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be stored as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static <T> T fromJson(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> jsonObject(String text) {
        return fromJson(text, new TypeReference<Map<String, Object>>() {});
    }

    static List<String> stringList(String text) {
        return fromJson(text, new TypeReference<List<String>>() {});
    }
}
