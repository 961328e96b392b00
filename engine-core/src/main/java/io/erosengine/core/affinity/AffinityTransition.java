package io.erosengine.core.affinity;

import java.util.List;

/** The new affinity record and the event rows that explain how it got there. */
public record AffinityTransition(AffinityRecord next, List<AffinityEvent> events) {
    public AffinityTransition { events = List.copyOf(events); }
}
