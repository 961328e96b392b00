package io.erosengine.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.Axis;
import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryThread;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.model.Channel;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
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
import io.erosengine.runtime.QueuedTurn;
import io.erosengine.runtime.StartRequest;
import io.erosengine.runtime.TurnListener;
import io.javalin.http.Context;

import java.time.ZoneId;
import java.util.EnumMap;
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
    private final boolean clientGiftDeltas;

    private CompRoutes(CompanionEngine engine, boolean clientGiftDeltas) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.clientGiftDeltas = clientGiftDeltas;
    }

    /** Every {@code /comp/*} route, over {@code engine}, with client-supplied gift deltas refused. */
    public static List<Route> routes(CompanionEngine engine) { return routes(engine, false); }

    /**
     * Every {@code /comp/*} route (and the original eros-engine's {@code /v2/comp/*} async paths),
     * over {@code engine}.
     *
     * @param clientGiftDeltas whether a gift's {@code deltas} (affinity pushes chosen by the caller)
     *                         are applied; only for deployments where the caller is a trusted server
     */
    public static List<Route> routes(CompanionEngine engine, boolean clientGiftDeltas) {
        CompRoutes r = new CompRoutes(engine, clientGiftDeltas);
        return List.of(
                Route.get("/comp/personas", r::personas),
                Route.get("/comp/gifts", r::gifts),
                Route.post("/comp/chat/start", r::start),
                Route.post("/comp/chat/{sid}/message", r::message),
                Route.post("/comp/chat/{sid}/message/stream", r::stream),
                Route.post("/comp/chat/{sid}/message_async", r::messageAsync),
                Route.post("/v2/comp/session/{sid}/message/async", r::messageAsync),
                Route.post("/v2/comp/chat/{sid}/message/async", r::messageAsync),
                Route.get("/comp/chat/{sid}/pending/{message_id}", r::pending),
                Route.get("/comp/chat/{sid}/history", r::history),
                Route.post("/comp/chat/{sid}/read", r::markRead),
                Route.get("/comp/chat/{user_id}/sessions", r::sessions),
                Route.delete("/comp/instance/{iid}/sessions", r::archiveSessions),
                Route.get("/comp/instance/{iid}/profile", r::instanceProfile),
                Route.get("/comp/user/{user_id}/profile", r::profile),
                Route.get("/comp/user/{user_id}/timezone", r::timezone),
                Route.put("/comp/user/{user_id}/timezone", r::setTimezone),
                Route.post("/comp/chat/{sid}/event/gift", r::gift),
                Route.post("/comp/chat/{sid}/event/app-open", r::appOpen),
                Route.post("/comp/chat/{sid}/regenerate", r::regenerate),
                Route.post("/comp/chat/{sid}/messages/{id}/select", r::selectReply),
                Route.get("/comp/affinity/{sid}", r::affinity),
                Route.get("/comp/memories", r::memories),
                Route.patch("/comp/memories/{id}", r::editMemory),
                Route.post("/comp/memories/{id}/hide", r::hideMemory),
                Route.delete("/comp/memories/{id}", r::forgetMemory),
                Route.get("/comp/threads", r::threads),
                Route.patch("/comp/threads/{id}", r::setThreadStatus),
                Route.get("/comp/user/{user_id}/export", r::export),
                Route.delete("/comp/user/{user_id}", r::deleteUser));
    }

    // ---- request bodies (snake_case on the wire; unknown fields ignored) ----

    /** {@code genome_id} is the original eros-engine's name of {@code persona_id}. */
    record StartBody(UUID personaId, UUID genomeId, UUID instanceId, Boolean isDemo, Boolean forceNew, String channel) {}

    /**
     * {@code content} is the original eros-engine's name of {@code message}. Its other optional
     * fields (prompt_traits, tier, tips_amount_usd, image_url, ...) are ignored like any unknown field.
     */
    record MessageBody(String message, String content, String clientMsgId) {
        String text() { return message != null ? message : content; }
    }

    /** {@code deltas} are affinity pushes chosen by the caller (the original's gift body). */
    record GiftBody(String giftId, String label, Double value, Map<String, Object> metadata, String clientMsgId,
                    Map<String, Double> deltas) {}

    record AppOpenBody(String clientEventId) {}

    record RegenerateBody(String clientMsgId) {}

    record ThreadPatchBody(String status) {}

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

    /**
     * Starts or resumes: an {@code instance_id} wins (as in the original), else the persona
     * ({@code persona_id} or {@code genome_id}) is required.
     */
    private void start(Context ctx) {
        UserId user = Requests.user(ctx);
        StartBody b = Requests.body(ctx, StartBody.class);
        if (b.personaId() != null && b.genomeId() != null && !b.personaId().equals(b.genomeId())) {
            throw ApiException.badRequest("persona_id and genome_id name different personas");
        }
        UUID persona = b.personaId() != null ? b.personaId() : b.genomeId();
        if (b.instanceId() == null && persona == null) throw ApiException.badRequest("missing genome_id (or instance_id)");
        Channel channel = b.channel() == null ? Channel.TEXT : valid(() -> Channel.parse(b.channel()));
        StartRequest request = b.instanceId() != null
                ? new StartRequest(null, new InstanceId(b.instanceId()), Boolean.TRUE.equals(b.isDemo()),
                        Boolean.TRUE.equals(b.forceNew()), channel)
                : new StartRequest(new PersonaId(persona), null, Boolean.TRUE.equals(b.isDemo()),
                        Boolean.TRUE.equals(b.forceNew()), channel);
        ctx.json(Responses.Start.of(engine.startSession(user, request)));
    }

    private void message(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        MessageBody b = Requests.body(ctx, MessageBody.class);
        ctx.json(Responses.Message.of(sid, engine.send(user, sid, b.text(), b.clientMsgId())));
    }

    /**
     * The turn for a client that cannot hold a connection: 202 with the user message id to poll
     * ({@code queued}, {@code already_queued}), 200 when that client_msg_id was already answered
     * ({@code already_completed}) or failed for good ({@code failed}).
     */
    private void messageAsync(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        MessageBody b = Requests.body(ctx, MessageBody.class);
        QueuedTurn queued = engine.enqueueTurn(user, sid, b.text(), b.clientMsgId());
        boolean accepted = queued.status() == QueuedTurn.Status.QUEUED || queued.status() == QueuedTurn.Status.ALREADY_QUEUED;
        ctx.status(accepted ? 202 : 200).json(Responses.Queued.of(sid, queued));
    }

    private void pending(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        MessageId messageId = new MessageId(Requests.uuidPath(ctx, "message_id"));
        ctx.json(Responses.Pending.of(sid, messageId, engine.pendingTurn(user, sid, messageId)));
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
            engine.stream(user, sid, b.text(), b.clientMsgId(), listener);
        } catch (RuntimeException e) {
            if (!listener.started()) throw e; // before the first byte: a plain JSON error
            LOG.error("stream failed after it began", e);
            listener.onError(new TurnListener.Error("internal", true, "internal error", null));
        } finally {
            listener.close();
        }
    }

    /**
     * A history page: by the {@code before} cursor, else by {@code offset} from the newest end (the
     * original's paging, default 0). {@code limit} is clamped to 1..50 and a negative offset read as
     * 0, as the original does; text that is no integer is still a 400.
     */
    private void history(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        int limit = Requests.clampedIntQuery(ctx, "limit", Limits.HISTORY_PAGE_DEFAULT, 1, Limits.HISTORY_PAGE_MAX);
        UUID before = Requests.uuidQuery(ctx, "before");
        int offset = Requests.clampedIntQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        ChatSession session = engine.session(user, sid);
        HistoryPage page = before != null ? engine.history(user, sid, limit, new MessageId(before))
                : engine.recentHistory(user, sid, limit, offset);
        var extracted = engine.extractedFrom(user, page.messages().stream().map(ChatMessage::id).toList());
        ctx.json(Responses.History.of(session, page, extracted));
    }

    private void markRead(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        ctx.json(new Responses.MarkedRead(sid.value(), engine.markRead(user, sid)));
    }

    private void archiveSessions(Context ctx) {
        UserId user = Requests.user(ctx);
        InstanceId iid = new InstanceId(Requests.uuidPath(ctx, "iid"));
        ctx.json(new Responses.Archived(iid.value(), engine.archiveSessions(user, iid)));
    }

    private void instanceProfile(Context ctx) {
        UserId user = Requests.user(ctx);
        InstanceId iid = engine.instance(user, new InstanceId(Requests.uuidPath(ctx, "iid"))).id();
        ctx.json(Responses.InstanceProfile.unknown(iid));
    }

    private void sessions(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        ctx.json(new Responses.Sessions(user.value(), engine.sessions(user).stream().map(Responses.Session::of).toList()));
    }

    private void profile(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        ctx.json(Responses.Profile.of(user, engine.profile(user)));
    }

    private void timezone(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        ctx.json(Responses.UserTimezone.of(user, engine.userTimezone(user).orElse(null)));
    }

    /** {@code {"timezone": "Europe/Paris"}} sets the caller's time zone, {@code {"timezone": null}} clears it. */
    private void setTimezone(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        JsonNode body = Requests.body(ctx, JsonNode.class);
        if (!body.isObject() || !body.has("timezone")) {
            throw ApiException.badRequest("timezone is required: an IANA time zone like Europe/Paris, or null to clear it");
        }
        JsonNode value = body.get("timezone");
        if (!value.isNull() && !value.isTextual()) throw ApiException.badRequest("field 'timezone' has the wrong type");
        ZoneId zone = value.isNull() ? null : Requests.timezone(value.textValue(), "timezone");
        engine.setUserTimezone(user, zone);
        ctx.json(Responses.UserTimezone.of(user, zone));
    }

    /**
     * A gift. Its {@code deltas} go through the EMA, capped per axis by the affinity policy, only
     * when the operator enabled client-supplied deltas; otherwise they are refused (403). A gift with
     * deltas needs no label (the original's default, "gift"). Axes other than the six are ignored.
     */
    private void gift(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        GiftBody b = Requests.body(ctx, GiftBody.class);
        AffinityDelta deltas = b.deltas() == null ? null : clientDeltas(b.deltas());
        String label = deltas != null && b.giftId() == null && (b.label() == null || b.label().isBlank()) ? "gift" : b.label();
        GiftEvent gift = valid(() -> new GiftEvent(b.giftId(), label, b.value() == null ? 0 : b.value(), deltas, b.metadata()));
        ctx.json(Responses.Gift.of(engine.sendGift(user, sid, gift, b.clientMsgId())));
    }

    /** The user opened the app: the persona greets, references a thread or a memory, or stays quiet. */
    private void appOpen(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        AppOpenBody b = Requests.body(ctx, AppOpenBody.class);
        ctx.json(Responses.AppOpen.of(engine.appOpen(user, sid, b.clientEventId())));
    }

    /** A new alternative to the latest reply; the body ({@code {}} at least) may carry the request's client_msg_id. */
    private void regenerate(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        RegenerateBody b = Requests.body(ctx, RegenerateBody.class);
        ctx.json(Responses.Regenerated.of(engine.regenerate(user, sid, b.clientMsgId())));
    }

    /** Selects one of the alternative replies. */
    private void selectReply(Context ctx) {
        UserId user = Requests.user(ctx);
        SessionId sid = new SessionId(Requests.uuidPath(ctx, "sid"));
        MessageId id = new MessageId(Requests.uuidPath(ctx, "id"));
        ctx.json(Responses.Selected.of(engine.selectReply(user, sid, id)));
    }

    /** A gift's own deltas, when the operator allows them (403 otherwise). */
    private AffinityDelta clientDeltas(Map<String, Double> given) {
        if (!clientGiftDeltas) {
            throw ApiException.forbidden("client-supplied affinity deltas are disabled on this server; send a gift_id "
                    + "(the operator enables deltas for server-to-server use with GIFT_CLIENT_DELTAS=true)");
        }
        Map<Axis, Double> pushes = new EnumMap<>(Axis.class);
        for (Axis axis : Axis.values()) {
            if (!given.containsKey(axis.wireName())) continue;
            Double push = given.get(axis.wireName());
            if (push == null) throw ApiException.badRequest("deltas." + axis.wireName() + " must be a number");
            pushes.put(axis, push);
        }
        return valid(() -> AffinityDelta.of(pushes));
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

    /** The instance's threads: {@code status=open} (the default) or {@code all}. */
    private void threads(Context ctx) {
        UserId user = Requests.user(ctx);
        UUID instance = Requests.uuidQuery(ctx, "instance_id");
        if (instance == null) throw ApiException.badRequest("instance_id is required");
        String status = ctx.queryParam("status");
        if (status != null && !status.equals("open") && !status.equals("all")) {
            throw ApiException.badRequest("status must be open or all");
        }
        int limit = Requests.intQuery(ctx, "limit", Limits.MEMORY_PAGE_DEFAULT, 1, Limits.MEMORY_PAGE_MAX);
        ctx.json(new Responses.Threads(engine.threads(user, new InstanceId(instance), "all".equals(status), limit).stream()
                .map(Responses.ThreadRow::of).toList()));
    }

    /** Marks a thread {@code done} or {@code open} again. */
    private void setThreadStatus(Context ctx) {
        UserId user = Requests.user(ctx);
        MemoryId id = new MemoryId(Requests.uuidPath(ctx, "id"));
        ThreadPatchBody b = Requests.body(ctx, ThreadPatchBody.class);
        MemoryThread.Status status = valid(() -> MemoryThread.Status.parse(b.status()), "status must be open or done");
        ctx.json(Responses.ThreadRow.of(engine.setThreadStatus(user, id, status)));
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
