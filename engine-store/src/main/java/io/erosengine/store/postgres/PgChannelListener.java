package io.erosengine.store.postgres;

import io.erosengine.core.port.ConversationStore;
import io.erosengine.core.port.JobQueue;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener thread with a connection of its own, held for its whole life: {@code LISTEN channel},
 * then {@code getNotifications} with a timeout in a loop, calling the listener once per batch of
 * notifications with their payloads. A broken connection is reopened after a pause; a notification
 * sent meanwhile is not delivered, so once {@code LISTEN} took effect again the gap hook is called
 * with how long the channel may have gone unheard (from the start of the last wait that returned),
 * for the caller to catch up from what is stored; a hook that throws is called again, every
 * {@value #RECONNECT_MILLIS} ms, with the gap grown since, until it returns. Takes one connection
 * of the pool while it runs.
 * {@link #listen} returns once the first {@code LISTEN} took effect (or after {@value #READY_MILLIS}
 * ms when the database cannot be reached), so whatever commits after it is heard.
 */
final class PgChannelListener implements JobQueue.Subscription, ConversationStore.Subscription {
    private static final Logger log = LoggerFactory.getLogger(PgChannelListener.class);
    private static final int WAIT_MILLIS = 500;
    private static final long RECONNECT_MILLIS = 1_000;
    private static final long READY_MILLIS = 5_000;

    private final Pg pg;
    private final String channel;
    private final Consumer<List<String>> listener;
    private final Consumer<Duration> afterGap;
    private final Thread thread;
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile boolean closed;

    private PgChannelListener(Pg pg, String channel, Consumer<List<String>> listener, Consumer<Duration> afterGap) {
        this.pg = pg;
        this.channel = channel;
        this.listener = listener;
        this.afterGap = afterGap;
        this.thread = new Thread(this::run, "engine-listen-" + channel);
        thread.setDaemon(true);
    }

    /**
     * Starts listening on {@code channel}: {@code listener} gets the payloads of each batch of
     * notifications, {@code afterGap} (on the same thread) how long the channel may have gone unheard
     * each time a lost connection listens again.
     */
    static PgChannelListener listen(Pg pg, String channel, Consumer<List<String>> listener, Consumer<Duration> afterGap) {
        PgChannelListener l = new PgChannelListener(pg, channel, Objects.requireNonNull(listener, "listener"),
                Objects.requireNonNull(afterGap, "afterGap"));
        l.thread.start();
        try {
            if (!l.listening.await(READY_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("not yet listening on {} after {} ms; notifications until then are missed", channel, READY_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return l;
    }

    private void run() {
        // every notification committed before this System.nanoTime() was delivered or caught up on; -1: not listening yet
        long heardFrom = -1;
        while (!closed) {
            try (Handle h = pg.jdbi.open()) {
                try (Statement s = h.getConnection().createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                listening.countDown();
                boolean behind = heardFrom >= 0; // a gap to catch up on, tried again after each wait until it succeeds
                long triedAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(RECONNECT_MILLIS);
                if (!behind) heardFrom = System.nanoTime();
                PGConnection pgc = h.getConnection().unwrap(PGConnection.class);
                while (!closed) {
                    long now = System.nanoTime();
                    if (behind && now - triedAt >= TimeUnit.MILLISECONDS.toNanos(RECONNECT_MILLIS)) {
                        triedAt = now;
                        behind = !caughtUp(Duration.ofNanos(now - heardFrom));
                        if (!behind) heardFrom = now;
                    }
                    long waitFrom = System.nanoTime();
                    PGNotification[] notes = pgc.getNotifications(WAIT_MILLIS);
                    if (!behind) heardFrom = waitFrom;
                    if (notes == null || notes.length == 0) continue;
                    List<String> payloads = new ArrayList<>(notes.length);
                    for (PGNotification n : notes) payloads.add(n.getParameter());
                    deliver(payloads);
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                log.warn("{} listener connection lost ({}); listening again in {} ms", channel, e.toString(), RECONNECT_MILLIS);
                try {
                    Thread.sleep(RECONNECT_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Whether the gap hook caught up on the last {@code gap}. */
    private boolean caughtUp(Duration gap) {
        log.info("listening on {} again; catching up on the last {} ms", channel, gap.toMillis());
        try {
            afterGap.accept(gap);
            return true;
        } catch (RuntimeException e) {
            log.warn("catching up on {} failed; trying again in {} ms", channel, RECONNECT_MILLIS, e);
            return false;
        }
    }

    private void deliver(List<String> payloads) {
        try {
            listener.accept(payloads);
        } catch (RuntimeException e) {
            log.warn("a {} listener failed", channel, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(WAIT_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
