package io.erosengine.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.erosengine.eval.Dataset.Category;
import io.erosengine.eval.Dataset.Conversation;
import io.erosengine.eval.Dataset.Question;
import io.erosengine.eval.Dataset.Session;
import io.erosengine.eval.Dataset.Speaker;
import io.erosengine.eval.Dataset.Turn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The data set's JSON form: {@code {"name", "description", "conversations": [{"user_id", "name", "timezone",
 * "sessions": [{"id", "turns": [{"id", "speaker", "at", "text"}]}], "questions": [{"id", "category",
 * "asked_at", "question", "answer", "evidence": [turn ids]}]}]}}, instants in ISO-8601 UTC.
 */
public final class DatasetJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DatasetJson() {}

    /** The JSON text of {@code dataset}, ending in a newline. */
    public static String write(Dataset dataset) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", dataset.name());
        root.put("description", dataset.description());
        ArrayNode conversations = root.putArray("conversations");
        for (Conversation c : dataset.conversations()) {
            ObjectNode cn = conversations.addObject();
            cn.put("user_id", c.userId());
            cn.put("name", c.name());
            cn.put("timezone", c.timezone().getId());
            ArrayNode sessions = cn.putArray("sessions");
            for (Session s : c.sessions()) {
                ObjectNode sn = sessions.addObject();
                sn.put("id", s.id());
                ArrayNode turns = sn.putArray("turns");
                for (Turn t : s.turns()) {
                    turns.addObject().put("id", t.id()).put("speaker", t.speaker().wireName())
                            .put("at", t.at().toString()).put("text", t.text());
                }
            }
            ArrayNode questions = cn.putArray("questions");
            for (Question q : c.questions()) {
                ObjectNode qn = questions.addObject();
                qn.put("id", q.id()).put("category", q.category().wireName()).put("asked_at", q.askedAt().toString())
                        .put("question", q.question()).put("answer", q.answer());
                ArrayNode evidence = qn.putArray("evidence");
                q.evidence().forEach(evidence::add);
            }
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a data set file. */
    public static Dataset read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data set " + file, e);
        }
    }

    /** Parses the JSON text of a data set; a missing field fails with IllegalArgumentException. */
    public static Dataset parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("data set is not JSON: " + e.getMessage(), e);
        }
        List<Conversation> conversations = new ArrayList<>();
        for (JsonNode cn : root.path("conversations")) {
            List<Session> sessions = new ArrayList<>();
            for (JsonNode sn : cn.path("sessions")) {
                List<Turn> turns = new ArrayList<>();
                for (JsonNode tn : sn.path("turns")) {
                    turns.add(new Turn(text(tn, "id"), Speaker.parse(text(tn, "speaker")), Instant.parse(text(tn, "at")),
                            text(tn, "text")));
                }
                sessions.add(new Session(text(sn, "id"), turns));
            }
            List<Question> questions = new ArrayList<>();
            for (JsonNode qn : cn.path("questions")) {
                List<String> evidence = new ArrayList<>();
                for (JsonNode e : qn.path("evidence")) evidence.add(e.asText());
                questions.add(new Question(text(qn, "id"), Category.parse(text(qn, "category")),
                        Instant.parse(text(qn, "asked_at")), text(qn, "question"), text(qn, "answer"), evidence));
            }
            conversations.add(new Conversation(text(cn, "user_id"), text(cn, "name"), ZoneId.of(text(cn, "timezone")),
                    sessions, questions));
        }
        return new Dataset(text(root, "name"), text(root, "description"), conversations);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("missing text field \"" + field + "\" in " + node);
        return v.asText();
    }
}
