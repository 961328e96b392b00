package io.erosengine.server.http;

import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.HistoryPage;
import io.erosengine.runtime.CompanionEngine;
import io.erosengine.runtime.Limits;
import io.erosengine.runtime.MemoryUpdate;
import io.erosengine.runtime.StartRequest;
import io.erosengine.runtime.TurnListener;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The {@code /comp/*} routes of API.md over a {@link CompanionEngine}. Handlers only translate:
 * validated input from {@link Requests}, the caller's user id from the token, one engine call, a
 * response record out ({@link Responses}). Tenancy is the engine's: every call carries the caller's id, and another user's
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
                Route.get("/comp/gifts", r::gifts),
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
                Route.post("/comp/memories/{id}/hide", r::hideMemory),
                Route.delete("/comp/memories/{id}", r::forgetMemory),
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
        ctx.json(new Responses.Personas(engine.personas().stream().map(Responses.PersonaJson::of).toList()));
    }

    /** The gift catalog, cheapest first, with each gift's pushes at its reference value. */
    private void gifts(Context ctx) {
        Requests.user(ctx);
        ctx.json(new Responses.Gifts(engine.gifts().stream().map(Responses.GiftEntry::of).toList()));
    }

    private void start(Context ctx) {
        UserId user = Requests.user(ctx);
        StartBody b = Requests.body(ctx, StartBody.class);
        StartRequest request = valid(() -> new StartRequest(b.personaId() == null ? null : new PersonaId(b.personaId()),
                b.instanceId() == null ? null : new InstanceId(b.instanceId()), Boolean.TRUE.equals(b.isDemo()),
                Boolean.TRUE.equals(b.forceNew())));
        ctx.json(Responses.Start.of(engine.startSession(user, request)));
    }

    private void message(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        MessageBody b = Requests.body(ctx, MessageBody.class);
        ctx.json(Responses.Message.of(engine.send(user, sid, b.message(), b.clientMsgId())));
    }

    /**
     * The streamed turn. Errors the engine throws before its first callback (validation, not found,
     * 409, 429) are plain JSON errors; the event stream starts at {@code meta}.
     */
    private void stream(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        MessageBody b = Requests.body(ctx, MessageBody.class);
        SseTurnListener listener = new SseTurnListener(ctx);
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
        int limit = Requests.intQuery(ctx, "limit", Limits.HISTORY_PAGE_DEFAULT, 1, Limits.HISTORY_PAGE_MAX);
        UUID before = Requests.uuidQuery(ctx, "before");
        HistoryPage page = engine.history(user, sid, limit, before == null ? null : new MessageId(before));
        ctx.json(Responses.History.of(sid.value(), page));
    }

    private void sessions(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        ctx.json(new Responses.Sessions(user.value(), engine.sessions(user).stream().map(Responses.Session::of).toList()));
    }

    private void profile(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        ctx.json(Responses.Profile.of(user, engine.profile(user)));
    }

    private void gift(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        GiftBody b = Requests.body(ctx, GiftBody.class);
        GiftEvent gift = valid(() -> new GiftEvent(b.giftId(), b.label(), b.value() == null ? 0 : b.value(), null, b.metadata()));
        ctx.json(Responses.Gift.of(engine.sendGift(user, sid, gift, b.clientMsgId())));
    }

    private void affinity(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        ctx.json(Responses.Affinity.of(sid.value(), engine.affinity(user, sid)));
    }

    private void memories(Context ctx) {
        UserId user = Requests.user(ctx);
        String layerText = ctx.queryParam("layer");
        MemoryLayer layer = layerText == null || layerText.isEmpty() ? null
                : valid(() -> MemoryLayer.parse(layerText), "layer must be profile or relationship");
        UUID instance = Requests.uuidQuery(ctx, "instance_id");
        InstanceId instanceId = instance == null ? null : new InstanceId(instance);
        int limit = Requests.intQuery(ctx, "limit", Limits.MEMORY_PAGE_DEFAULT, 1, Limits.MEMORY_PAGE_MAX);
        String q = ctx.queryParam("q");
        List<Responses.Memory> rows;
        if (q != null && !q.isBlank()) {
            rows = engine.searchMemories(user, q, layer, instanceId, limit).stream().map(Responses.Memory::of).toList();
        } else {
            rows = engine.memories(user, new MemoryFilter(layer, instanceId, false, limit)).stream()
                    .map(Responses.Memory::of).toList();
        }
        ctx.json(new Responses.Memories(rows));
    }

    private void editMemory(Context ctx) {
        UserId user = Requests.user(ctx);
        MemoryId id = new MemoryId(Requests.uuidPath(ctx, "id"));
        MemoryPatchBody b = Requests.body(ctx, MemoryPatchBody.class);
        MemoryCategory category = b.category() == null ? null
                : valid(() -> MemoryCategory.parse(b.category()), "category '" + b.category() + "' is not a memory category");
        MemoryUpdate update = new MemoryUpdate(b.content(), category, b.pinned());
        ctx.json(Responses.Memory.of(engine.editMemory(user, id, update)));
    }

    /** Soft delete: the row stays (with deleted_at) but is never listed, searched or recalled again. */
    private void hideMemory(Context ctx) {
        UserId user = Requests.user(ctx);
        engine.hideMemory(user, new MemoryId(Requests.uuidPath(ctx, "id")));
        ctx.status(204);
    }

    /** Hard delete: the row is gone. */
    private void forgetMemory(Context ctx) {
        UserId user = Requests.user(ctx);
        engine.forgetMemory(user, new MemoryId(Requests.uuidPath(ctx, "id")));
        ctx.status(204);
    }

    private void export(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        ctx.json(new Responses.Export(user.value(), engine.exportUser(user)));
    }

    private void deleteUser(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        ctx.json(new Responses.Deleted(engine.deleteUser(user)));
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
}
