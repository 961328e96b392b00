package io.erosengine.core.time;

/** How firmly a query's time window should constrain retrieval. */
public enum TimeUse {
    /** A calendar unit the user named exactly ("yesterday", "in May 2023", "last week"): keep rows inside. */
    FILTER,
    /** A loose window ("recently", "two weeks ago", "last summer"): prefer rows inside, keep the others. */
    BOOST
}
