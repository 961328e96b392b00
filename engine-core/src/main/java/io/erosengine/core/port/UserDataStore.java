package io.erosengine.core.port;

import io.erosengine.core.model.UserId;
import java.util.List;
import java.util.Map;

/** Everything stored about one user, for export and erasure. Thread-safe. */
public interface UserDataStore {

    /**
     * Every row of the user in every table, as table name -> rows (column -> value; values are
     * strings, numbers, booleans, lists or maps; embeddings as float lists).
     */
    Map<String, List<Map<String, Object>>> export(UserId userId);

    /** Deletes every row of the user in every table; returns table name -> rows deleted. */
    Map<String, Integer> deleteUser(UserId userId);
}
