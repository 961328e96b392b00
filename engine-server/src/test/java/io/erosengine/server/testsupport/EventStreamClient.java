package io.erosengine.server.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A long-lived {@code GET} of an event stream over a plain socket (HTTP/1.0, so the body is the raw
 * stream until the server closes it), read on a thread of its own into a queue of frames and
 * comments. {@link #close()} drops the connection the way a client that goes away does.
 */
public final class EventStreamClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A frame ({@code event} set) or a comment ({@code comment} set). */
    public record Item(String id, String event, JsonNode data, String comment) {
        public boolean isFrame() { return event != null; }
    }

    private final Socket socket;
    private final BufferedReader in;
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private volatile boolean ended;
    private String errorBody = "";

    private EventStreamClient(int port, String path, String token, String lastEventId) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n");
        if (token != null) request.append("Authorization: Bearer ").append(token).append("\r\n");
        if (lastEventId != null) request.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String statusLine = in.readLine();
        if (statusLine == null) throw new IOException("no response");
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        if (status == 200) {
            Thread reader = new Thread(this::read, "event-stream-client");
            reader.setDaemon(true);
            reader.start();
        } else {
            StringBuilder body = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) body.append(line);
            errorBody = body.toString();
            socket.close();
        }
    }

    /** Opens {@code path} with a bearer token (or none) and, if not null, a {@code Last-Event-ID}; returns once the headers arrived. */
    public static EventStreamClient open(int port, String path, String token, String lastEventId) {
        try {
            return new EventStreamClient(port, path, token, lastEventId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int status() { return status; }

    public String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

    /** The JSON error body of a refused stream. */
    public JsonNode error() {
        try {
            return JSON.readTree(errorBody);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + errorBody, e);
        }
    }

    /** The next frame, skipping comments; fails after {@code timeout}. */
    public Item nextFrame(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Item item = items.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (item == null) throw new AssertionError("no frame within " + timeout + (ended ? " (the stream ended)" : ""));
            if (item.isFrame()) return item;
        }
    }

    /** The next item, frame or comment; fails after {@code timeout}. */
    public Item next(Duration timeout) throws InterruptedException {
        Item item = items.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (item == null) throw new AssertionError("nothing within " + timeout + (ended ? " (the stream ended)" : ""));
        return item;
    }

    /** Waits until the server ended the stream; false when it did not within {@code timeout}. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!ended && System.nanoTime() < end) Thread.sleep(10);
        return ended;
    }

    private void read() {
        String id = null;
        String event = null;
        String data = null;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(":")) {
                    items.add(new Item(null, null, null, line.substring(1).strip()));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.isEmpty() && event != null) {
                    items.add(new Item(id, event, JSON.readTree(data), null));
                    id = null;
                    event = null;
                    data = null;
                }
            }
        } catch (IOException e) {
            // closed by this side, or the connection broke: the stream ended either way
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
