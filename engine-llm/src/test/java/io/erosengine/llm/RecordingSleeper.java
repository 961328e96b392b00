package io.erosengine.llm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sleeper that records the requested delays and returns at once. */
public final class RecordingSleeper implements Sleeper {
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) { sleeps.add(duration); }

    /** The delays requested so far. */
    public List<Duration> sleeps() { return List.copyOf(sleeps); }
}
