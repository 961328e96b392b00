package io.erosengine.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.Axis;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.HistoryPage;
import io.erosengine.core.port.SessionSummary;
import io.erosengine.runtime.AffinityView;
import io.erosengine.runtime.GiftResult;
import io.erosengine.runtime.SessionStart;
import io.erosengine.runtime.TurnListener;
import io.erosengine.runtime.TurnResult;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON bodies of the {@code /comp/*} routes and their SSE frames, as records the API's
 * snake_case mapper serializes ({@code sessionId} is {@code session_id} on the wire). Each has a
 * factory from the engine's type, so a handler is one engine call and one {@code ctx.json}.
 */
final class Responses {
    private Responses() {}

    record PersonaJson(UUID id, String name, String greeting, String avatarUrl, Integer age, String mbti, String language,
                       String timezone, String giftPersonality, List<String> topics) {
        static PersonaJson of(Persona p) {
            return new PersonaJson(p.id().value(), p.name(), p.greeting(), p.avatarUrl(), p.age(), p.mbti(), p.language(),
                    p.timezone().getId(), p.giftPersonality().wireName(), p.topics());
        }
    }

    record Personas(List<PersonaJson> personas) {}

    record GiftEntry(String id, String label, double referenceValue, Map<String, Double> pushes) {
        static GiftEntry of(GiftCatalog.Entry e) { return new GiftEntry(e.id(), e.label(), e.referenceValue(), axes(e.pushes())); }
    }

    record Gifts(List<GiftEntry> gifts) {}

    record Start(UUID sessionId, UUID instanceId, String personaName, boolean isNew, String greeting) {
        static Start of(SessionStart s) {
            return new Start(s.sessionId().value(), s.instanceId().value(), s.personaName(), s.isNew(), s.greeting());
        }
    }

    record Message(UUID messageId, UUID userMessageId, String reply, String action, String style, long typingDelayMs,
                   List<UUID> memoriesUsed, String relationshipLabel, boolean truncated, boolean replayed) {
        static Message of(TurnResult t) {
            return new Message(t.messageId().value(), t.userMessageId().value(), t.reply(), t.action().wireName(),
                    t.style() == null ? null : t.style().wireName(), t.typingDelay().toMillis(), ids(t.memoriesUsed()),
                    t.label().wireName(), t.truncated(), t.replayed());
        }
    }

    record HistoryMessage(UUID id, String role, String content, Instant sentAt, String action, boolean truncated) {
        static HistoryMessage of(ChatMessage m) {
            return new HistoryMessage(m.id().value(), m.role().wireName(), m.content(), m.sentAt(),
                    m.ghosted() ? "ghost" : null, m.truncated());
        }
    }

    record History(UUID sessionId, List<HistoryMessage> messages, UUID nextBefore) {
        static History of(UUID sessionId, HistoryPage page) {
            return new History(sessionId, page.messages().stream().map(HistoryMessage::of).toList(),
                    page.nextBefore() == null ? null : page.nextBefore().value());
        }
    }

    record Session(UUID sessionId, UUID instanceId, String personaName, Instant lastActiveAt) {
        static Session of(SessionSummary s) {
            return new Session(s.session().id().value(), s.session().instanceId().value(), s.personaName(),
                    s.session().lastActiveAt());
        }
    }

    record Sessions(UUID userId, List<Session> sessions) {}

    record Profile(UUID userId, String city, String occupation, List<String> interests, List<String> personalityTraits,
                   String emotionalNeeds, String lifeRhythm, String loveValues, String mbtiGuess) {
        static Profile of(UserId user, UserInsights i) {
            return new Profile(user.value(), i.city(), i.occupation(), i.interests(), i.personalityTraits(),
                    i.emotionalNeeds(), i.lifeRhythm(), i.loveValues(), i.mbtiGuess());
        }
    }

    record Gift(UUID messageId, UUID giftMessageId, String reply, String style, Map<String, Double> appliedPushes,
                String relationshipLabel, boolean replayed) {
        static Gift of(GiftResult g) {
            return new Gift((g.replyId() != null ? g.replyId() : g.giftMessageId()).value(), g.giftMessageId().value(),
                    g.reply(), g.style() == null ? null : g.style().wireName(), axes(g.appliedPushes()), g.label().wireName(),
                    g.replayed());
        }
    }

    record Affinity(UUID sessionId, double warmth, double trust, double intrigue, double intimacy, double patience,
                    double tension, String label, int ghostStreak, int totalGhosts, Instant updatedAt) {
        static Affinity of(UUID sessionId, AffinityView a) {
            AffinityState s = a.axes();
            return new Affinity(sessionId, s.warmth(), s.trust(), s.intrigue(), s.intimacy(), s.patience(), s.tension(),
                    a.label().wireName(), a.ghostStreak(), a.totalGhosts(), a.updatedAt());
        }
    }

    /** Why a memory was recalled: the parts of its score. */
    record Score(double similarity, double importanceBoost, double recencyBoost, double total) {
        static Score of(ScoredMemory s) {
            return new Score(s.similarity(), s.importanceBoost(), s.recencyBoost(), s.score());
        }
    }

    record Memory(UUID id, String layer, UUID instanceId, UUID sessionId, String category, String content, int importance,
                  String attributedTo, boolean pinned, int mentionCount, int recallCount, List<UUID> sourceMessageIds,
                  Instant observedAt, Instant createdAt, Instant updatedAt, Instant lastRecalledAt,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Score score) {
        static Memory of(MemoryItem m) { return of(m, null); }

        static Memory of(ScoredMemory s) { return of(s.item(), Score.of(s)); }

        private static Memory of(MemoryItem m, Score score) {
            return new Memory(m.id().value(), m.layer().wireName(), m.instanceId() == null ? null : m.instanceId().value(),
                    m.sessionId() == null ? null : m.sessionId().value(), m.category().wireName(), m.content(),
                    m.importance(), m.attributedTo().wireName(), m.pinned(), m.mentionCount(), m.recallCount(),
                    m.sourceMessageIds().stream().map(MessageId::value).toList(), m.observedAt(), m.createdAt(),
                    m.updatedAt(), m.lastRecalledAt(), score);
        }
    }

    record Memories(List<Memory> memories) {}

    record Export(UUID userId, Map<String, List<Map<String, Object>>> tables) {}

    record Deleted(Map<String, Integer> deleted) {}

    // ---- SSE frames ----

    record MetaFrame(UUID messageId, String action, String style) {
        static MetaFrame of(TurnListener.Meta m) {
            return new MetaFrame(m.messageId().value(), m.action().wireName(), m.style() == null ? null : m.style().wireName());
        }
    }

    record DeltaFrame(String content) {}

    record Usage(int promptTokens, int completionTokens, int totalTokens) {
        static Usage of(TokenUsage u) { return new Usage(u.promptTokens(), u.completionTokens(), u.totalTokens()); }
    }

    record DoneFrame(UUID messageId, Usage usage, List<UUID> memoriesUsed) {
        static DoneFrame of(TurnListener.Done d) {
            return new DoneFrame(d.messageId().value(), Usage.of(d.usage()), ids(d.memoriesUsed()));
        }
    }

    record ErrorFrame(String code, boolean retryable, String message, UUID partialMessageId) {
        static ErrorFrame of(TurnListener.Error e) {
            return new ErrorFrame(e.code(), e.retryable(), e.message(),
                    e.partialReplyId() == null ? null : e.partialReplyId().value());
        }
    }

    private static List<UUID> ids(List<MemoryId> ids) { return ids.stream().map(MemoryId::value).toList(); }

    private static Map<String, Double> axes(AffinityDelta d) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Axis axis : Axis.values()) out.put(axis.wireName(), d.get(axis));
        return out;
    }
}
