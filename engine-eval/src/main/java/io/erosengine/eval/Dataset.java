package io.erosengine.eval;

import io.erosengine.core.model.Checks;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recall data set: conversations of synthetic users, each a sequence of timed sessions, and questions
 * whose answers lie in annotated evidence turns.
 *
 * @param name e.g. {@code "recall-v1"}
 * @param description what it is, how it was made and its license
 */
public record Dataset(String name, String description, List<Conversation> conversations) {
    public Dataset {
        Checks.requireText(name, "name");
        Checks.requireText(description, "description");
        conversations = Checks.listOf(conversations);
    }

    /** All questions of all conversations. */
    public List<Question> questions() {
        return conversations.stream().flatMap(c -> c.questions().stream()).toList();
    }

    /**
     * The first {@code users} conversations, each with at most {@code questionsPerUser} of its questions,
     * spread evenly over its list (so every kind of question stays in).
     */
    public Dataset slice(int users, int questionsPerUser) {
        return new Dataset(name + "-slice", description, conversations.stream().limit(users)
                .map(c -> new Conversation(c.userId(), c.name(), c.timezone(), c.sessions(), spread(c.questions(), questionsPerUser)))
                .toList());
    }

    private static List<Question> spread(List<Question> questions, int n) {
        if (n >= questions.size()) return questions;
        List<Question> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(questions.get(i * questions.size() / n));
        return out;
    }

    /** Who speaks a turn. */
    public enum Speaker {
        USER, ASSISTANT;

        String wireName() { return name().toLowerCase(Locale.ROOT); }

        static Speaker parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
    }

    /** What a question tests. */
    public enum Category {
        /** One turn holds the answer. */
        SINGLE_HOP,
        /** The answer joins two or more turns (a name in one, what it did in another). */
        MULTI_HOP,
        /** The answer depends on when: a date, an order, a window ("last weekend") or the latest of changing facts. */
        TEMPORAL,
        /** A taste or habit the user showed, usually without naming it as such. */
        PREFERENCE;

        /** {@code "single-hop"}. */
        public String wireName() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

        static Category parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_')); }
    }

    /** One synthetic user's history with the companion. */
    public record Conversation(String userId, String name, ZoneId timezone, List<Session> sessions, List<Question> questions) {
        public Conversation {
            Checks.requireText(userId, "user id");
            Checks.requireText(name, "name");
            Checks.required(timezone, "timezone");
            sessions = Checks.listOf(sessions);
            questions = Checks.listOf(questions);
            Set<String> turnIds = new HashSet<>();
            for (Session s : sessions) for (Turn t : s.turns()) if (!turnIds.add(t.id())) throw new IllegalArgumentException("duplicate turn id " + t.id());
            for (Question q : questions) {
                for (String e : q.evidence()) {
                    if (!turnIds.contains(e)) throw new IllegalArgumentException("question " + q.id() + " cites unknown turn " + e);
                }
            }
        }

        /** Every turn, in order. */
        public List<Turn> turns() { return sessions.stream().flatMap(s -> s.turns().stream()).toList(); }
    }

    /** One sitting: turns close together in time. */
    public record Session(String id, List<Turn> turns) {
        public Session {
            Checks.requireText(id, "session id");
            turns = Checks.listOf(turns);
        }
    }

    /** One message. */
    public record Turn(String id, Speaker speaker, Instant at, String text) {
        public Turn {
            Checks.requireText(id, "turn id");
            Checks.required(speaker, "speaker");
            Checks.required(at, "at");
            Checks.requireText(text, "text");
        }
    }

    /**
     * A question and where its answer lies.
     *
     * @param askedAt the moment it is asked: relative words in it ("last weekend") count from here
     * @param answer the expected answer, for people reading the data set
     * @param evidence the ids of the turns that together hold the answer, at least one
     */
    public record Question(String id, Category category, Instant askedAt, String question, String answer,
                           List<String> evidence) {
        public Question {
            Checks.requireText(id, "question id");
            Checks.required(category, "category");
            Checks.required(askedAt, "asked at");
            Checks.requireText(question, "question");
            Checks.requireText(answer, "answer");
            evidence = Checks.listOf(evidence);
            if (evidence.isEmpty()) throw new IllegalArgumentException("question " + id + " has no evidence");
        }
    }
}
