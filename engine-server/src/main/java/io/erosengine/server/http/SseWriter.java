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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Writes a server-sent event stream as the answer to a POST (Javalin's SSE helper is GET-only).
 * Frames are {@code event: <type>\ndata: <compact JSON>\n\n}, each flushed at once; while the
 * stream is open a {@code : ping} comment is written every ping interval. When the client goes
 * away, writes stop quietly ({@link #send} returns false) so the caller can finish its work.
 * A stream {@linkplain #open opened} for a long life ends with the writer instead of the handler.
 * Thread-safe: frames and pings never interleave.
 */
public final class SseWriter implements AutoCloseable {
    private static final Pattern EVENT_NAME = Pattern.compile("[a-z_]{1,32}");
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final OutputStream out;
    private final ObjectMapper mapper;
    private final ScheduledFuture<?> pinger;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
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
        SseWriter writer = unflushed(ctx, mapper, scheduler, pingInterval);
        writer.out.flush();
        return writer;
    }

    private static SseWriter unflushed(Context ctx, ObjectMapper mapper, ScheduledExecutorService scheduler, Duration pingInterval)
            throws IOException {
        Objects.requireNonNull(mapper, "mapper");
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream;charset=utf-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        return new SseWriter(res.getOutputStream(), mapper, scheduler, pingInterval);
    }

    /**
     * Starts a stream that outlives the handler (see {@link #start(Context)}): the request turns
     * asynchronous, so no request thread waits while it is idle, and the response completes when the
     * writer closes: by {@link #close()}, by a write that fails because the client went away (the
     * pings find that out within two intervals), or by the server stopping, which closes every open
     * stream. Only inside a request handled by {@link EngineHttpServer}.
     *
     * @throws IOException when the client is already gone
     */
    public static SseWriter open(Context ctx) throws IOException {
        SseWriter writer = unflushed(ctx, ctx.attribute(Requests.MAPPER_ATTRIBUTE), ctx.attribute(EngineHttpServer.SCHEDULER_ATTRIBUTE),
                ctx.attribute(EngineHttpServer.PING_ATTRIBUTE));
        Set<SseWriter> streams = ctx.attribute(EngineHttpServer.STREAMS_ATTRIBUTE);
        streams.add(writer); // before the client sees the headers, so a server stopping from then on ends it
        writer.closed.whenComplete((v, e) -> {
            streams.remove(writer);
            writer.close(); // the container ended the request (an error, a timeout): no more writes
        });
        ctx.future(() -> writer.closed);
        try {
            writer.out.flush();
        } catch (IOException e) {
            writer.close();
            throw e;
        }
        return writer;
    }

    /**
     * Writes one frame with {@code data} as compact JSON and flushes it.
     *
     * @param event the event type, lower case ({@code meta}, {@code delta}, ...)
     * @return false when the stream is closed or the client has gone away
     */
    public boolean send(String event, Object data) {
        return write(frame(null, event, data));
    }

    /**
     * Writes one frame with an {@code id:} line (what a client sends back as {@code Last-Event-ID}
     * when it reconnects) and flushes it.
     *
     * @param id the event id: letters, digits, {@code -} and {@code _}, 1..64 characters
     * @return false when the stream is closed or the client has gone away
     */
    public boolean send(String id, String event, Object data) {
        if (!EVENT_ID.matcher(id).matches()) throw new IllegalArgumentException("bad event id: " + id);
        return write(frame(id, event, data));
    }

    private String frame(String id, String event, Object data) {
        if (!EVENT_NAME.matcher(event).matches()) throw new IllegalArgumentException("bad event name: " + event);
        String json;
        try {
            json = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize the " + event + " frame", e);
        }
        return (id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + json + "\n\n";
    }

    /** True while frames can still be written. */
    public synchronized boolean isOpen() { return open; }

    /** Completes once the stream is closed (by {@link #close()} or because the client went away). */
    public CompletableFuture<Void> closed() { return closed; }

    /** Stops the pings and flushes; the response completes when the handler returns (or, {@linkplain #open opened}, now). */
    @Override public void close() {
        pinger.cancel(false);
        synchronized (this) {
            if (open) {
                open = false;
                try {
                    out.flush();
                } catch (IOException | RuntimeException e) {
                    // the client is gone (or the container ended the response); nothing left to tell it
                }
            }
        }
        closed.complete(null);
    }

    private void ping() { write(": ping\n\n"); }

    private boolean write(String frame) {
        synchronized (this) {
            if (!open) return false;
            try {
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException | RuntimeException e) {
                open = false; // the client is gone (or the container ended the response)
                pinger.cancel(false);
            }
        }
        closed.complete(null); // outside the lock: completing runs the stream's clean-up
        return false;
    }
}
