package io.erosengine.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock tests move by hand (decay, ghost cooldowns, consolidation delays). Thread-safe. */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /** A clock standing at {@code start}. */
    public MutableClock(Instant start) { this.now = start; }

    /** Moves the clock forward (or back, for a negative duration). */
    public void advance(Duration d) { now = now.plus(d); }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) { now = instant; }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }

    @Override public Instant instant() { return now; }
}
