package io.erosengine.llm.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An incremental Server-Sent Events parser: feed it bytes as they arrive, split anywhere (even inside
 * a UTF-8 character or a line ending); it hands the data of each complete event to the consumer.
 * Comment lines (starting with {@code ':'}, such as {@code ": OPENROUTER PROCESSING"}) and the
 * {@code event}/{@code id}/{@code retry} fields are skipped; several {@code data} lines of one event are
 * joined with {@code "\n"}. An event not finished by a blank line when the stream ends is dropped
 * (it may be cut). Not thread-safe: one parser per stream.
 */
public final class SseParser {
    private final Consumer<String> onData;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private boolean pendingCr;

    /** @param onData receives each event's data */
    public SseParser(Consumer<String> onData) { this.onData = onData; }

    /** Consumes a chunk of the stream. */
    public void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') continue;
            }
            if (b == '\r') {
                pendingCr = true;
                endLine();
            } else if (b == '\n') {
                endLine();
            } else {
                line.write(b);
            }
        }
    }

    /** True when part of an event was read but not yet finished. */
    public boolean midEvent() { return hasData || line.size() > 0; }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
            if (hasData) {
                String event = data.toString();
                data.setLength(0);
                hasData = false;
                onData.accept(event);
            }
            return;
        }
        if (text.startsWith(":")) return;
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        if (!field.equals("data")) return;
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        if (hasData) data.append('\n');
        data.append(value);
        hasData = true;
    }
}
