package io.erosengine.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Writes a server-sent event stream as the answer to a POST (Javalin's SSE helper is GET-only).
 * Frames are {@code event: <type>\ndata: <compact JSON>\n\n}, each flushed at once; while the
 * stream is open a {@code : ping} comment is written every ping interval. When the client goes
 * away, writes stop quietly ({@link #send} returns false) so the caller can finish its work.
 * Thread-safe: frames and pings never interleave.
 */
public final class SseWriter implements AutoCloseable {
    private static final Pattern EVENT_NAME = Pattern.compile("[a-z_]{1,32}");

    private final OutputStream out;
    private final ObjectMapper mapper;
    private final ScheduledFuture<?> pinger;
    private boolean open = true;

    private SseWriter(OutputStream out, ObjectMapper mapper, ScheduledExecutorService scheduler, Duration pingInterval) {
        this.out = out;
        this.mapper = mapper;
        long ms = pingInterval.toMillis();
        this.pinger = scheduler.scheduleAtFixedRate(this::ping, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the stream with the server's JSON mapper and ping interval; see
     * {@link #start(Context, ObjectMapper, ScheduledExecutorService, Duration)}. Only inside a
     * request handled by {@link EngineHttpServer}.
     */
    public static SseWriter start(Context ctx) throws IOException {
        return start(ctx, ctx.attribute(Requests.MAPPER_ATTRIBUTE), ctx.attribute(EngineHttpServer.SCHEDULER_ATTRIBUTE),
                ctx.attribute(EngineHttpServer.PING_ATTRIBUTE));
    }

    /**
     * Starts the stream: status 200, {@code Content-Type: text/event-stream}, {@code Cache-Control:
     * no-cache}, {@code X-Accel-Buffering: no}, headers flushed to the client.
     *
     * @param scheduler runs the keep-alive pings
     * @throws IOException when the client is already gone
     */
    public static SseWriter start(Context ctx, ObjectMapper mapper, ScheduledExecutorService scheduler, Duration pingInterval)
            throws IOException {
        Objects.requireNonNull(mapper, "mapper");
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream;charset=utf-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        OutputStream out = res.getOutputStream();
        out.flush();
        return new SseWriter(out, mapper, scheduler, pingInterval);
    }

    /**
     * Writes one frame with {@code data} as compact JSON and flushes it.
     *
     * @param event the event type, lower case ({@code meta}, {@code delta}, ...)
     * @return false when the stream is closed or the client has gone away
     */
    public boolean send(String event, Object data) {
        if (!EVENT_NAME.matcher(event).matches()) throw new IllegalArgumentException("bad event name: " + event);
        String json;
        try {
            json = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize the " + event + " frame", e);
        }
        return write("event: " + event + "\ndata: " + json + "\n\n");
    }

    /** True while frames can still be written. */
    public synchronized boolean isOpen() { return open; }

    /** Stops the pings and flushes; the response completes when the handler returns. */
    @Override public void close() {
        pinger.cancel(false);
        synchronized (this) {
            if (!open) return;
            open = false;
            try {
                out.flush();
            } catch (IOException e) {
                // the client is gone; nothing left to tell it
            }
        }
    }

    private void ping() { write(": ping\n\n"); }

    private synchronized boolean write(String frame) {
        if (!open) return false;
        try {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            open = false;
            pinger.cancel(false);
            return false;
        }
    }
}
