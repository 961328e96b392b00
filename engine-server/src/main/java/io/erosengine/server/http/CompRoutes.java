package io.erosengine.server.http;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.HistoryPage;
import io.erosengine.core.port.SessionSummary;
import io.erosengine.server.engine.AffinityView;
import io.erosengine.server.engine.CompanionEngine;
import io.erosengine.server.engine.GiftResult;
import io.erosengine.server.engine.MemoryUpdate;
import io.erosengine.server.engine.SessionStart;
import io.erosengine.server.engine.StartRequest;
import io.erosengine.server.engine.TurnListener;
import io.erosengine.server.engine.TurnResult;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The {@code /comp/*} routes of API.md over a {@link CompanionEngine}. Handlers only translate:
 * validated input from {@link Requests}, the caller's user id from the token, one engine call, a
 * JSON shape out. Tenancy is the engine's: every call carries the caller's id, and another user's
 * session, instance or memory is "not found".
 */
public final class CompRoutes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CompRoutes.class);
    private final CompanionEngine engine;

    private CompRoutes(CompanionEngine engine) { this.engine = Objects.requireNonNull(engine, "engine"); }

    /** Every {@code /comp/*} route, over {@code engine}. */
    public static List<Route> routes(CompanionEngine engine) {
        CompRoutes r = new CompRoutes(engine);
        return List.of(
                Route.get("/comp/personas", r::personas),
                Route.post("/comp/chat/start", r::start),
                Route.post("/comp/chat/{sid}/message", r::message),
                Route.post("/comp/chat/{sid}/message/stream", r::stream),
                Route.get("/comp/chat/{sid}/history", r::history),
                Route.get("/comp/chat/{user_id}/sessions", r::sessions),
                Route.get("/comp/user/{user_id}/profile", r::profile),
                Route.post("/comp/chat/{sid}/event/gift", r::gift),
                Route.get("/comp/affinity/{sid}", r::affinity),
                Route.get("/comp/memories", r::memories),
                Route.patch("/comp/memories/{id}", r::editMemory),
                Route.delete("/comp/memories/{id}", r::deleteMemory),
                Route.get("/comp/user/{user_id}/export", r::export),
                Route.delete("/comp/user/{user_id}", r::deleteUser));
    }

    // ---- request bodies (snake_case on the wire; unknown fields ignored) ----

    record StartBody(UUID personaId, UUID instanceId, Boolean isDemo, Boolean forceNew) {}

    record MessageBody(String message, String clientMsgId) {}

    record GiftBody(String giftId, String label, Double value, Map<String, Object> metadata, String clientMsgId) {}

    record MemoryPatchBody(String content, Boolean pinned, String category) {}

    // ---- handlers ----

    private void personas(Context ctx) {
        Requests.user(ctx);
        ctx.json(Map.of("personas", engine.personas().stream().map(CompRoutes::persona).toList()));
    }

    private void start(Context ctx) {
        UserId user = Requests.user(ctx);
        StartBody b = Requests.body(ctx, StartBody.class);
        StartRequest request = valid(() -> new StartRequest(b.personaId() == null ? null : new PersonaId(b.personaId()),
                b.instanceId() == null ? null : new InstanceId(b.instanceId()), Boolean.TRUE.equals(b.isDemo()),
                Boolean.TRUE.equals(b.forceNew())));
        SessionStart s = engine.startSession(user, request);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", s.sessionId().toString());
        out.put("instance_id", s.instanceId().toString());
        out.put("persona_name", s.personaName());
        out.put("is_new", s.isNew());
        out.put("greeting", s.greeting());
        ctx.json(out);
    }

    private void message(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        MessageBody b = Requests.body(ctx, MessageBody.class);
        TurnResult t = engine.send(user, sid, b.message(), b.clientMsgId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message_id", t.messageId().toString());
        out.put("user_message_id", t.userMessageId().toString());
        out.put("reply", t.reply());
        out.put("action", t.action().wireName());
        out.put("style", t.style() == null ? null : t.style().wireName());
        out.put("typing_delay_ms", t.typingDelay().toMillis());
        out.put("memories_used", t.memoriesUsed().stream().map(MemoryId::toString).toList());
        out.put("relationship_label", t.label().wireName());
        out.put("truncated", t.truncated());
        out.put("replayed", t.replayed());
        ctx.json(out);
    }

    /**
     * The streamed turn. Errors the engine throws before its first callback (validation, not found,
     * 409, 429) are plain JSON errors; the event stream starts at {@code meta}.
     */
    private void stream(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        MessageBody b = Requests.body(ctx, MessageBody.class);
        SseListener listener = new SseListener(ctx);
        try {
            engine.stream(user, sid, b.message(), b.clientMsgId(), listener);
        } catch (RuntimeException e) {
            if (!listener.started()) throw e; // before the first byte: a plain JSON error
            LOG.error("stream failed after it began", e);
            listener.onError(new TurnListener.Error("internal", true, "internal error", null));
        } finally {
            listener.close();
        }
    }

    private void history(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        int limit = Requests.intQuery(ctx, "limit", 20, 1, CompanionEngine.MAX_HISTORY_LIMIT);
        UUID before = Requests.uuidQuery(ctx, "before");
        HistoryPage page = engine.history(user, sid, limit, before == null ? null : new MessageId(before));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", sid.toString());
        out.put("messages", page.messages().stream().map(CompRoutes::message).toList());
        out.put("next_before", page.nextBefore() == null ? null : page.nextBefore().toString());
        ctx.json(out);
    }

    private void sessions(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        List<Map<String, Object>> sessions = engine.sessions(user).stream().map(CompRoutes::session).toList();
        ctx.json(Map.of("user_id", user.toString(), "sessions", sessions));
    }

    private void profile(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        UserInsights i = engine.profile(user);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_id", user.toString());
        out.put("city", i.city());
        out.put("occupation", i.occupation());
        out.put("interests", i.interests());
        out.put("personality_traits", i.personalityTraits());
        out.put("emotional_needs", i.emotionalNeeds());
        out.put("life_rhythm", i.lifeRhythm());
        out.put("love_values", i.loveValues());
        out.put("mbti_guess", i.mbtiGuess());
        ctx.json(out);
    }

    private void gift(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        GiftBody b = Requests.body(ctx, GiftBody.class);
        GiftEvent gift = valid(() -> new GiftEvent(b.giftId(), b.label(), b.value() == null ? 1.0 : b.value(), null, b.metadata()));
        GiftResult g = engine.sendGift(user, sid, gift, b.clientMsgId());
        Map<String, Object> pushes = new LinkedHashMap<>();
        for (io.erosengine.core.affinity.Axis axis : io.erosengine.core.affinity.Axis.values()) {
            pushes.put(axis.name().toLowerCase(java.util.Locale.ROOT), g.appliedPushes().get(axis));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message_id", (g.replyId() != null ? g.replyId() : g.giftMessageId()).toString());
        out.put("gift_message_id", g.giftMessageId().toString());
        out.put("reply", g.reply());
        out.put("style", g.style() == null ? null : g.style().wireName());
        out.put("applied_pushes", pushes);
        out.put("relationship_label", g.label().wireName());
        out.put("replayed", g.replayed());
        ctx.json(out);
    }

    private void affinity(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        AffinityView a = engine.affinity(user, sid);
        AffinityState s = a.axes();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", sid.toString());
        out.put("warmth", s.warmth());
        out.put("trust", s.trust());
        out.put("intrigue", s.intrigue());
        out.put("intimacy", s.intimacy());
        out.put("patience", s.patience());
        out.put("tension", s.tension());
        out.put("label", a.label().wireName());
        out.put("ghost_streak", a.ghostStreak());
        out.put("total_ghosts", a.totalGhosts());
        out.put("updated_at", a.updatedAt());
        ctx.json(out);
    }

    private void memories(Context ctx) {
        UserId user = Requests.user(ctx);
        String layerText = ctx.queryParam("layer");
        MemoryLayer layer = layerText == null || layerText.isEmpty() ? null
                : valid(() -> MemoryLayer.parse(layerText), "layer must be profile or relationship");
        UUID instance = Requests.uuidQuery(ctx, "instance_id");
        InstanceId instanceId = instance == null ? null : new InstanceId(instance);
        int limit = Requests.intQuery(ctx, "limit", 20, 1, 100);
        String q = ctx.queryParam("q");
        List<Map<String, Object>> rows;
        if (q != null && !q.isBlank()) {
            rows = engine.searchMemories(user, q, layer, instanceId, limit).stream().map(CompRoutes::scored).toList();
        } else {
            rows = engine.memories(user, new MemoryFilter(layer, instanceId, false, limit)).stream().map(m -> memory(m, null)).toList();
        }
        ctx.json(Map.of("memories", rows));
    }

    private void editMemory(Context ctx) {
        UserId user = Requests.user(ctx);
        MemoryId id = new MemoryId(Requests.uuidPath(ctx, "id"));
        MemoryPatchBody b = Requests.body(ctx, MemoryPatchBody.class);
        MemoryCategory category = b.category() == null ? null
                : valid(() -> MemoryCategory.parse(b.category()), "category '" + b.category() + "' is not a memory category");
        MemoryUpdate update = new MemoryUpdate(b.content(), category, b.pinned());
        ctx.json(memory(engine.editMemory(user, id, update), null));
    }

    private void deleteMemory(Context ctx) {
        UserId user = Requests.user(ctx);
        engine.forgetMemory(user, new MemoryId(Requests.uuidPath(ctx, "id")));
        ctx.status(204);
    }

    private void export(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_id", user.toString());
        out.put("tables", engine.exportUser(user));
        ctx.json(out);
    }

    private void deleteUser(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        ctx.json(Map.of("deleted", engine.deleteUser(user)));
    }

    // ---- JSON shapes ----

    /** The JSON shape of a persona in listings (no system prompt). */
    static Map<String, Object> persona(Persona p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.id().toString());
        out.put("name", p.name());
        out.put("greeting", p.greeting());
        out.put("avatar_url", p.avatarUrl());
        out.put("age", p.age());
        out.put("mbti", p.mbti());
        out.put("language", p.language());
        out.put("timezone", p.timezone().getId());
        out.put("gift_personality", p.giftPersonality().wireName());
        out.put("topics", p.topics());
        return out;
    }

    private static Map<String, Object> message(ChatMessage m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id().toString());
        out.put("role", m.role().wireName());
        out.put("content", m.content());
        out.put("sent_at", m.sentAt());
        out.put("action", m.ghosted() ? "ghost" : null);
        out.put("truncated", m.truncated());
        return out;
    }

    private static Map<String, Object> session(SessionSummary s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", s.session().id().toString());
        out.put("instance_id", s.session().instanceId().toString());
        out.put("persona_name", s.personaName());
        out.put("last_active_at", s.session().lastActiveAt());
        return out;
    }

    private static Map<String, Object> scored(ScoredMemory s) {
        Map<String, Object> score = new LinkedHashMap<>();
        score.put("similarity", s.similarity());
        score.put("importance_boost", s.importanceBoost());
        score.put("recency_boost", s.recencyBoost());
        score.put("total", s.score());
        return memory(s.item(), score);
    }

    private static Map<String, Object> memory(MemoryItem m, Map<String, Object> score) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id().toString());
        out.put("layer", m.layer().wireName());
        out.put("instance_id", m.instanceId() == null ? null : m.instanceId().toString());
        out.put("session_id", m.sessionId() == null ? null : m.sessionId().toString());
        out.put("category", m.category().wireName());
        out.put("content", m.content());
        out.put("importance", m.importance());
        out.put("attributed_to", m.attributedTo().wireName());
        out.put("pinned", m.pinned());
        out.put("mention_count", m.mentionCount());
        out.put("recall_count", m.recallCount());
        out.put("source_message_ids", m.sourceMessageIds().stream().map(MessageId::toString).toList());
        out.put("observed_at", m.observedAt());
        out.put("created_at", m.createdAt());
        out.put("updated_at", m.updatedAt());
        out.put("last_recalled_at", m.lastRecalledAt());
        if (score != null) out.put("score", score);
        return out;
    }

    private static <T> T valid(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static <T> T valid(Supplier<T> build, String message) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(message);
        }
    }

    /** Writes the engine's callbacks as SSE frames; the stream opens at the first callback (meta). */
    private static final class SseListener implements TurnListener {
        private final Context ctx;
        private SseWriter sse;

        SseListener(Context ctx) { this.ctx = ctx; }

        @Override public void onMeta(Meta meta) {
            try {
                sse = SseWriter.start(ctx);
            } catch (IOException e) {
                throw new UncheckedIOException("the client went away before the stream began", e);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("message_id", meta.messageId().toString());
            data.put("action", meta.action().wireName());
            data.put("style", meta.style() == null ? null : meta.style().wireName());
            sse.send("meta", data);
        }

        @Override public void onDelta(String text) {
            if (sse != null) sse.send("delta", Map.of("content", text));
        }

        @Override public void onDone(Done done) {
            if (sse == null) return;
            TokenUsage u = done.usage();
            Map<String, Object> usage = new LinkedHashMap<>();
            usage.put("prompt_tokens", u.promptTokens());
            usage.put("completion_tokens", u.completionTokens());
            usage.put("total_tokens", u.totalTokens());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("message_id", done.messageId().toString());
            data.put("usage", usage);
            data.put("memories_used", done.memoriesUsed().stream().map(MemoryId::toString).toList());
            sse.send("done", data);
        }

        @Override public void onError(Error error) {
            if (sse == null) return;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("code", error.code());
            data.put("retryable", error.retryable());
            data.put("message", error.message());
            data.put("partial_message_id", error.partialReplyId() == null ? null : error.partialReplyId().toString());
            sse.send("error", data);
        }

        boolean started() { return sse != null; }

        void close() {
            if (sse != null) sse.close();
        }
    }

}
