package io.erosengine.runtime.internal.turn;

import io.erosengine.runtime.TurnListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a turn's reply goes as it happens: nowhere for the blocking turn (the result carries it),
 * or a {@link TurnListener} for the streamed one. The turn code is the same for both; only
 * {@link #streaming()} tells the model call which form to use. A listener that throws on a delta
 * (the client went away) is not called again, and the turn finishes and stores the reply anyway.
 */
sealed interface ReplyOutput {
    Logger log = LoggerFactory.getLogger(ReplyOutput.class);

    /** The output for {@code listener}, or the blocking one when it is null. */
    static ReplyOutput of(TurnListener listener) { return listener == null ? new Blocking() : new Streamed(listener); }

    /** True when the reply should be streamed from the model. */
    boolean streaming();

    void meta(TurnListener.Meta meta);

    void delta(String text);

    void done(TurnListener.Done done);

    void error(TurnListener.Error error);

    /** The blocking turn: the caller reads the result. */
    final class Blocking implements ReplyOutput {
        @Override public boolean streaming() { return false; }

        @Override public void meta(TurnListener.Meta meta) {}

        @Override public void delta(String text) {}

        @Override public void done(TurnListener.Done done) {}

        @Override public void error(TurnListener.Error error) {}
    }

    /** The streamed turn. {@link #meta} may throw (nothing was sent yet); the other callbacks never do. */
    final class Streamed implements ReplyOutput {
        private final TurnListener listener;
        private volatile boolean gone;

        Streamed(TurnListener listener) { this.listener = listener; }

        @Override public boolean streaming() { return true; }

        @Override public void meta(TurnListener.Meta meta) { listener.onMeta(meta); }

        @Override public void delta(String text) {
            if (gone) return;
            try {
                listener.onDelta(text);
            } catch (RuntimeException e) {
                gone = true;
                log.info("stream listener failed ({}); finishing the reply without it", e.toString());
            }
        }

        @Override public void done(TurnListener.Done done) {
            if (!gone) quietly(() -> listener.onDone(done));
        }

        @Override public void error(TurnListener.Error error) { quietly(() -> listener.onError(error)); }

        private static void quietly(Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                log.warn("stream listener failed after the reply was stored: {}", e.toString());
            }
        }
    }
}
