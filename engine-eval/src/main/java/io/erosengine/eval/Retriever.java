package io.erosengine.eval;

import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.model.UserId;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** One retrieval path under evaluation: the user's profile memories for a question, best first. */
public interface Retriever {

    /** A short column name, e.g. {@code "vector"}. */
    String name();

    /**
     * At most {@code limit} of the user's memories, best first.
     *
     * @param askedAt the moment of asking (recency and relative dates count from it)
     * @param zone the user's time zone
     */
    List<MemoryItem> retrieve(UserId user, String question, Instant askedAt, ZoneId zone, int limit);
}
