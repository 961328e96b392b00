package io.erosengine.server.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Parses an event-stream body into frames (comments skipped). */
public final class Sse {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Frame(String event, JsonNode data) {}

    private Sse() {}

    public static List<Frame> parse(String body) {
        List<Frame> frames = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String event = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) event = line.substring(7);
                else if (line.startsWith("data: ")) data = line.substring(6);
            }
            if (event == null) continue;
            try {
                frames.add(new Frame(event, JSON.readTree(data)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return frames;
    }
}
