package io.erosengine.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.Axis;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.Channel;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.HistoryPage;
import io.erosengine.core.port.SessionSummary;
import io.erosengine.runtime.AffinityView;
import io.erosengine.core.memory.MemoryThread;
import io.erosengine.runtime.AppOpenResult;
import io.erosengine.runtime.RegenerateResult;
import io.erosengine.runtime.GiftResult;
import io.erosengine.runtime.PendingTurn;
import io.erosengine.runtime.ProactiveMessage;
import io.erosengine.runtime.QueuedTurn;
import io.erosengine.runtime.SessionStart;
import io.erosengine.runtime.TurnListener;
import io.erosengine.runtime.TurnResult;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON bodies of the {@code /comp/*} routes and their SSE frames, as records the API's
 * snake_case mapper serializes ({@code sessionId} is {@code session_id} on the wire). Each has a
 * factory from the engine's type, so a handler is one engine call and one {@code ctx.json}.
 */
final class Responses {
    private Responses() {}

    /**
     * A persona. {@code tip_personality}, {@code art_metadata} and {@code is_active} are the original
     * eros-engine's names: the gift personality, the extensions with the avatar, and always true
     * (a persona that is listed can be chatted with).
     */
    record PersonaJson(UUID id, String name, String greeting, String avatarUrl, Integer age, String mbti, String language,
                       String timezone, String giftPersonality, List<String> topics, String systemPrompt,
                       String tipPersonality, Map<String, Object> artMetadata, boolean isActive) {
        static PersonaJson of(Persona p) {
            Map<String, Object> art = new LinkedHashMap<>(p.extensions());
            if (p.avatarUrl() != null) art.putIfAbsent("avatar_url", p.avatarUrl());
            return new PersonaJson(p.id().value(), p.name(), p.greeting(), p.avatarUrl(), p.age(), p.mbti(), p.language(),
                    p.timezone().getId(), p.giftPersonality().wireName(), p.topics(), p.systemPrompt(),
                    p.giftPersonality().wireName(), art, true);
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

    record Message(UUID messageId, UUID userMessageId, UUID sessionId, String reply, String action, String style,
                   long typingDelayMs, List<UUID> memoriesUsed, String relationshipLabel, boolean truncated, boolean replayed) {
        static Message of(SessionId sessionId, TurnResult t) {
            return new Message(t.messageId().value(), t.userMessageId().value(), sessionId.value(), t.reply(),
                    t.action().wireName(), t.style() == null ? null : t.style().wireName(), t.typingDelay().toMillis(),
                    ids(t.memoriesUsed()), t.label().wireName(), t.truncated(), t.replayed());
        }
    }

    /** A memory learned from a message, as the history's {@code extracted_facts} lists it. */
    record ExtractedFact(UUID id, String layer, String category, String content) {
        static ExtractedFact of(MemoryItem m) {
            return new ExtractedFact(m.id().value(), m.layer().wireName(), m.category().wireName(), m.content());
        }
    }

    /**
     * A history row. {@code role} uses the original eros-engine's names ({@code gift_user} for a
     * gift); {@code extracted_facts} is null when nothing was learned from the message (yet).
     */
    /**
     * A history row; {@code reply_to} is the message an assistant reply answers (null for the
     * persona's unprompted messages), and {@code selected} is false for an alternative reply that
     * was regenerated or deselected.
     */
    record HistoryMessage(UUID id, String role, String content, Instant sentAt, String action, boolean truncated,
                          List<ExtractedFact> extractedFacts, String channel, UUID replyTo, boolean selected) {
        static HistoryMessage of(ChatMessage m, List<MemoryItem> extracted, Channel channel) {
            return new HistoryMessage(m.id().value(), role(m.role()), m.content(), m.sentAt(), m.ghosted() ? "ghost" : null,
                    m.truncated(), extracted.isEmpty() ? null : extracted.stream().map(ExtractedFact::of).toList(),
                    channel.wireName(), m.replyTo() == null ? null : m.replyTo().value(), m.selected());
        }

        private static String role(MessageRole role) { return role == MessageRole.GIFT ? "gift_user" : role.wireName(); }
    }

    /** A history page; {@code total} is the number of messages in this page, as the original counts it. */
    record History(UUID sessionId, List<HistoryMessage> messages, UUID nextBefore, int total) {
        static History of(ChatSession session, HistoryPage page, Map<MessageId, List<MemoryItem>> extracted) {
            List<HistoryMessage> rows = page.messages().stream()
                    .map(m -> HistoryMessage.of(m, extracted.getOrDefault(m.id(), List.of()), session.channel())).toList();
            return new History(session.id().value(), rows, page.nextBefore() == null ? null : page.nextBefore().value(),
                    rows.size());
        }
    }

    /** A session; the original's {@code lead_score} and {@code is_converted} are not served (no such product here). */
    record Session(UUID sessionId, UUID instanceId, String personaName, Instant lastActiveAt, String channel) {
        static Session of(SessionSummary s) {
            return new Session(s.session().id().value(), s.session().instanceId().value(), s.personaName(),
                    s.session().lastActiveAt(), s.session().channel().wireName());
        }
    }

    record Sessions(UUID userId, List<Session> sessions) {}

    /** The typed insights, the original's field names. */
    record Insights(String city, String occupation, List<String> interests, List<String> personalityTraits,
                    String emotionalNeeds, String lifeRhythm, String loveValues, String mbtiGuess, String location,
                    String hometown, String nationality, String education, String family, String relationshipHistory,
                    String socialPattern, String futurePlans, String financeStatus, String preferredGender, Integer ageMin,
                    Integer ageMax, List<String> dealBreakers) {
        static Insights of(UserInsights i) {
            return new Insights(i.city(), i.occupation(), i.interests(), i.personalityTraits(), i.emotionalNeeds(),
                    i.lifeRhythm(), i.loveValues(), i.mbtiGuess(), i.location(), i.hometown(), i.nationality(),
                    i.education(), i.family(), i.relationshipHistory(), i.socialPattern(), i.futurePlans(),
                    i.financeStatus(), i.preferredGender(), i.ageMin(), i.ageMax(), i.dealBreakers());
        }
    }

    /**
     * The profile: the insights' fields at the top level (the original's current shape) and again
     * under {@code companion_insights} (its first releases' shape; null while nothing is known).
     */
    record Profile(UUID userId, @JsonUnwrapped Insights insights, Insights companionInsights) {
        static Profile of(UserId user, UserInsights i) {
            Insights typed = Insights.of(i);
            return new Profile(user.value(), typed, i.isEmpty() ? null : typed);
        }
    }

    /**
     * The profile of one relationship in the original's shape (its character-side insights). This
     * engine extracts no character-side insights, so every field is unknown, as the original
     * answers for an instance with no insights yet.
     */
    record InstanceProfile(UUID instanceId, String location, String occupation, String currentSituation, String desires,
                           String vulnerabilities, String habits, String personalValues, List<String> likes,
                           List<String> dislikes, List<String> relationships, Instant updatedAt) {
        static InstanceProfile unknown(InstanceId instanceId) {
            return new InstanceProfile(instanceId.value(), null, null, null, null, null, null, null, List.of(), List.of(),
                    List.of(), null);
        }
    }

    /** {@code applied_deltas} repeats {@code applied_pushes} under the original's name. */
    record Gift(UUID messageId, UUID giftMessageId, String reply, String style, Map<String, Double> appliedPushes,
                Map<String, Double> appliedDeltas, String relationshipLabel, boolean replayed) {
        static Gift of(GiftResult g) {
            Map<String, Double> applied = axes(g.appliedPushes());
            return new Gift((g.replyId() != null ? g.replyId() : g.giftMessageId()).value(), g.giftMessageId().value(),
                    g.reply(), g.style() == null ? null : g.style().wireName(), applied, applied, g.label().wireName(),
                    g.replayed());
        }
    }

    /** A regenerated reply, now the selected one. */
    record Regenerated(UUID messageId, UUID replyTo, String reply, boolean replayed) {
        static Regenerated of(RegenerateResult r) {
            return new Regenerated(r.replyId().value(), r.userMessageId().value(), r.reply(), r.replayed());
        }
    }

    /** The selected alternative. */
    record Selected(UUID messageId, UUID replyTo, boolean selected) {
        static Selected of(ChatMessage m) { return new Selected(m.id().value(), m.replyTo().value(), m.selected()); }
    }

    /** An app open: {@code message_id} and {@code message} are null when the persona stays quiet. */
    record AppOpen(String decision, UUID messageId, String message, boolean replayed) {
        static AppOpen of(AppOpenResult r) {
            return new AppOpen(r.decision(), r.quiet() ? null : r.messageId().value(), r.quiet() ? null : r.message(),
                    r.replayed());
        }
    }

    /** {@code relationship_label} repeats {@code label} under the original's name. */
    record Affinity(UUID sessionId, double warmth, double trust, double intrigue, double intimacy, double patience,
                    double tension, String label, String relationshipLabel, int ghostStreak, int totalGhosts,
                    Instant updatedAt) {
        static Affinity of(UUID sessionId, AffinityView a) {
            AffinityState s = a.axes();
            return new Affinity(sessionId, s.warmth(), s.trust(), s.intrigue(), s.intimacy(), s.patience(), s.tension(),
                    a.label().wireName(), a.label().wireName(), a.ghostStreak(), a.totalGhosts(), a.updatedAt());
        }
    }

    /** A queued turn: {@code message_id} is the user message to poll ({@code user_message_id} repeats it). */
    record Queued(String status, UUID messageId, UUID userMessageId, UUID sessionId) {
        static Queued of(SessionId sessionId, QueuedTurn q) {
            return new Queued(q.status().name().toLowerCase(Locale.ROOT), q.userMessageId().value(),
                    q.userMessageId().value(), sessionId.value());
        }
    }

    /** A poll of a queued turn: {@code ready} once completed, with the reply as the message route answers it. */
    record Pending(boolean ready, String status, UUID messageId, Message reply) {
        static Pending of(SessionId sessionId, MessageId messageId, PendingTurn p) {
            return new Pending(p.status() == PendingTurn.Status.COMPLETED, p.status().name().toLowerCase(Locale.ROOT),
                    messageId.value(), p.result() == null ? null : Message.of(sessionId, p.result()));
        }
    }

    record MarkedRead(UUID sessionId, int markedRead) {}

    record Archived(UUID instanceId, int archivedSessions) {}

    /**
     * Why a memory was recalled: the parts of its score. Ranks are 1-based places in the vector,
     * keyword and time-window lists (0: not in that list; {@code similarity} null without a vector);
     * {@code relevance} is the fused vector and keyword relevance (0 to 1) before the boosts;
     * {@code window_boost} is added when the memory happened in the time the query names;
     * {@code total} the score results are ordered by (pinned rows first).
     */
    record Score(Double similarity, int vectorRank, double keywordScore, int keywordRank, int windowRank,
                 double relevance, double windowBoost, double importanceBoost, double recencyBoost, boolean pinned,
                 double total) {
        static Score of(ScoredMemory s) {
            return new Score(Double.isNaN(s.similarity()) ? null : s.similarity(), s.vectorRank(), s.keywordScore(),
                    s.keywordRank(), s.windowRank(), s.relevance(), s.windowBoost(), s.importanceBoost(), s.recencyBoost(),
                    s.pinned(), s.score());
        }
    }

    /** A thread: its memory, {@code open} or {@code done}, and when it was marked done (null while open). */
    record ThreadRow(Memory memory, String status, Instant doneAt) {
        static ThreadRow of(MemoryThread t) {
            return new ThreadRow(Memory.of(t.memory()), t.status().wireName(), t.doneAt());
        }
    }

    record Threads(List<ThreadRow> threads) {}

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

    /** The user's own proactive-message switch. */
    record ProactiveSwitch(UUID userId, boolean enabled) {}

    /** The caller's own time zone (IANA id), null when they set none. */
    record UserTimezone(UUID userId, String timezone) {
        static UserTimezone of(UserId user, java.time.ZoneId zone) {
            return new UserTimezone(user.value(), zone == null ? null : zone.getId());
        }
    }

    // ---- SSE frames ----
    // Each frame's JSON carries its type and the turn's message id (the reply's, or the user
    // message's for a ghost), so a client that reads only data lines (the original's) can dispatch.

    record MetaFrame(String type, UUID messageId, UUID userMessageId, String action, String actionType, String style,
                     long typingDelayMs) {
        static MetaFrame of(TurnListener.Meta m) {
            return new MetaFrame("meta", m.messageId().value(), m.userMessageId().value(), m.action().wireName(),
                    m.action().wireName(), m.style() == null ? null : m.style().wireName(), m.typingDelay().toMillis());
        }
    }

    record DeltaFrame(String type, UUID messageId, String content) {
        static DeltaFrame of(MessageId messageId, String content) { return new DeltaFrame("delta", messageId.value(), content); }
    }

    record Usage(int promptTokens, int completionTokens, int totalTokens) {
        static Usage of(TokenUsage u) { return new Usage(u.promptTokens(), u.completionTokens(), u.totalTokens()); }
    }

    /** {@code generation_id} is the original's provider generation id; this engine does not keep one. */
    record DoneFrame(String type, UUID messageId, boolean truncated, Usage usage, String generationId,
                     List<UUID> memoriesUsed) {
        static DoneFrame of(TurnListener.Done d) {
            return new DoneFrame("done", d.messageId().value(), false, Usage.of(d.usage()), null, ids(d.memoriesUsed()));
        }
    }

    /** The original's closing frame after done, with its neutral values (no output filter, no tiers, no retries). */
    record FinalFrame(String type, UUID messageId, boolean filtered, Boolean promptInjected, String tier, int retriesChat,
                      int retriesFilter) {
        static FinalFrame of(TurnListener.Done d) { return new FinalFrame("final", d.messageId().value(), false, null, null, 0, 0); }
    }

    record ErrorFrame(String type, UUID messageId, String code, boolean retryable, String message, String userMessage,
                      UUID partialMessageId) {
        static ErrorFrame of(MessageId messageId, TurnListener.Error e) {
            return new ErrorFrame("error", messageId == null ? null : messageId.value(), e.code(), e.retryable(),
                    e.message(), ErrorCode.ofWireName(e.code()).userMessage(), e.partialReplyId() == null ? null : e.partialReplyId().value());
        }
    }

    /** A proactive message on the user's event stream ({@code GET /comp/events}); its id is the frame's {@code id:}. */
    record ProactiveFrame(String type, UUID messageId, UUID sessionId, String content, Instant sentAt) {
        static ProactiveFrame of(ProactiveMessage m) {
            return new ProactiveFrame("proactive", m.messageId().value(), m.sessionId().value(), m.content(), m.sentAt());
        }
    }

    private static List<UUID> ids(List<MemoryId> ids) { return ids.stream().map(MemoryId::value).toList(); }

    private static Map<String, Double> axes(AffinityDelta d) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Axis axis : Axis.values()) out.put(axis.wireName(), d.get(axis));
        return out;
    }
}
