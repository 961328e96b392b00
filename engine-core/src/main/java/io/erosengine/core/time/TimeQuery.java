package io.erosengine.core.time;

import io.erosengine.core.model.Checks;
import java.util.Optional;

/**
 * What a query says about time.
 *
 * @param window the first time expression of the query, resolved; empty when there is none
 * @param asksForDate true when the query asks for a date ("when did I ...", "what day was ..."): the
 *     answer needs the memories' dates, not a window
 */
public record TimeQuery(Optional<TimeWindow> window, boolean asksForDate) {
    /** A query that says nothing about time. */
    public static final TimeQuery NONE = new TimeQuery(Optional.empty(), false);

    public TimeQuery { Checks.required(window, "window"); }
}
