package io.erosengine.runtime;

/**
 * The input limits of the engine, the one source of truth: {@link CompanionEngine} enforces them
 * and the HTTP layer documents and applies the same numbers. Lengths are UTF-16 chars after
 * trimming.
 */
public final class Limits {
    private Limits() {}

    /** The longest user message (and memory content, search query). Longer: {@link CompanionException.MessageTooLong}. */
    public static final int MESSAGE_CHARS = 4000;
    /** The longest {@code client_msg_id}. */
    public static final int CLIENT_MSG_ID_CHARS = 200;
    /** The longest gift label. */
    public static final int GIFT_LABEL_CHARS = 200;
    /** The longest gift id. */
    public static final int GIFT_ID_CHARS = 64;
    /** The history page size when none is given. */
    public static final int HISTORY_PAGE_DEFAULT = 20;
    /** The largest history page. */
    public static final int HISTORY_PAGE_MAX = 50;
    /** The memory list or search page size when none is given. */
    public static final int MEMORY_PAGE_DEFAULT = 20;
    /** The largest memory list or search page. */
    public static final int MEMORY_PAGE_MAX = 100;
    /** The most dead jobs listed at once. */
    public static final int DEAD_JOBS_MAX = 1000;
}
