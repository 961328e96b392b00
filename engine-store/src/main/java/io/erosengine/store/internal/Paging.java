package io.erosengine.store.internal;

/** The history paging bounds both stores enforce. */
public final class Paging {
    private Paging() {}

    /** Throws IllegalArgumentException unless {@code limit} is 1..1000 and {@code offset} is not negative. */
    public static void require(int limit, int offset) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("history limit must be in [1, 1000], got " + limit);
        if (offset < 0) throw new IllegalArgumentException("history offset must not be negative, got " + offset);
    }
}
