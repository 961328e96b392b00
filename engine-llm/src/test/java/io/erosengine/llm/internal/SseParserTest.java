package io.erosengine.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SseParserTest {
    private static final String STREAM = ": OPENROUTER PROCESSING\n\n"
            + "data: {\"a\":\"héllo 🌙 你好\"}\n\n"
            + "event: message\r\nid: 7\r\ndata: line one\r\ndata: line two\r\n\r\n"
            + ": comment\rdata:no-space\r\r"
            + "data: [DONE]\n\n"
            + "data: {\"cut\":";

    private static final List<String> EVENTS = List.of("{\"a\":\"héllo 🌙 你好\"}", "line one\nline two", "no-space", "[DONE]");

    private static List<String> parse(byte[] bytes, List<Integer> cuts) {
        List<String> out = new ArrayList<>();
        SseParser parser = new SseParser(out::add);
        int from = 0;
        for (int cut : cuts) {
            int to = Math.min(bytes.length, Math.max(from, cut));
            parser.feed(bytes, from, to - from);
            from = to;
        }
        parser.feed(bytes, from, bytes.length - from);
        return out;
    }

    @Test
    void events_comments_and_line_endings_are_parsed_and_an_unfinished_event_is_dropped() {
        assertThat(parse(STREAM.getBytes(StandardCharsets.UTF_8), List.of())).isEqualTo(EVENTS);
    }

    @Property
    void any_split_of_the_bytes_gives_the_same_events(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 200) Integer> cuts) {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        List<Integer> sorted = cuts.stream().sorted().toList();
        assertThat(parse(bytes, sorted)).isEqualTo(EVENTS);
    }
}
