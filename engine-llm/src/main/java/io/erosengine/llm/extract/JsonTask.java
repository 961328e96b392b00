package io.erosengine.llm.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.ModelTask;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.llm.internal.TolerantJson;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One strict-JSON call: instructions, the exchange as a transcript, the schema; the reply's JSON object. */
final class JsonTask {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.ENGLISH);

    private JsonTask() {}

    static Optional<JsonNode> ask(ChatModel model, ModelTask task, String instructions, String schema,
                                  ExtractionInput input, String extra) {
        return ask(model, task, instructions, schema, transcript(input) + (extra == null ? "" : "\n\n" + extra));
    }

    static Optional<JsonNode> ask(ChatModel model, ModelTask task, String instructions, String schema, String user) {
        ChatRequest request = new ChatRequest(task,
                List.of(PromptMessage.system(instructions), PromptMessage.user(user)), null, schema, null);
        return TolerantJson.firstObject(model.complete(request).content());
    }

    /**
     * When the exchange happened, in the persona's time zone with its weekday, and as an instant:
     * {@code "Sunday 1 February 2026, 21:00 in Europe/Berlin (2026-02-01T20:00:00Z)"}.
     */
    private static String conversationTime(ExtractionInput input) {
        ZoneId zone = input.persona().timezone();
        return WHEN.format(input.observedAt().atZone(zone)) + " in " + zone.getId() + " (" + input.observedAt() + ")";
    }

    static String transcript(ExtractionInput input) {
        StringBuilder b = new StringBuilder();
        b.append("Persona: ").append(input.persona().name()).append('\n');
        b.append("Conversation time: ").append(conversationTime(input)).append("\n\n");
        if (!input.context().isEmpty()) {
            b.append("Earlier messages:\n");
            for (PromptMessage m : input.context()) {
                if (m.role() == PromptMessage.Role.SYSTEM) continue;
                b.append(m.role() == PromptMessage.Role.USER ? "User: " : input.persona().name() + ": ")
                        .append(m.content()).append('\n');
            }
            b.append('\n');
        }
        b.append("The exchange to analyse:\nUser: ").append(input.userMessage()).append('\n');
        b.append(input.persona().name()).append(": ")
                .append(input.personaReply().isEmpty() ? "(no reply)" : input.personaReply()).append('\n');
        return b.toString();
    }
}
