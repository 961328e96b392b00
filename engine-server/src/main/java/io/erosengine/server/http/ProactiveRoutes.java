package io.erosengine.server.http;

import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;
import io.erosengine.runtime.CompanionEngine;
import io.erosengine.runtime.EngineEvents;
import io.erosengine.runtime.ProactiveMessage;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proactive messages over HTTP: the user's event stream {@code GET /comp/events} and their own
 * switch {@code GET|PUT /comp/user/{user_id}/proactive}.
 *
 * <p>The event stream announces every proactive message stored for the caller (any persona, whichever
 * replica's worker stored it) as {@code id: <message id>}, {@code event: proactive}, {@code data:
 * {type, message_id, session_id, content, sent_at}}, with a {@code : ping} comment every ping interval
 * of {@link HttpSettings}. The subscription is in place before the response headers are sent, so a
 * message stored after the client saw them is announced. A reconnecting client that sends
 * {@code Last-Event-ID} (the id of the last frame it saw) first gets the proactive messages stored
 * after that one, oldest first, at most {@value #REPLAY_MAX} (fewer than it missed only after a very
 * long absence: the history has them all); an id that is not one of the caller's proactive messages
 * replays nothing. A user holds at most {@code maxStreamsPerUser} streams on one server (429
 * beyond). A stream ends when the client goes away (the pings find out), unsubscribing at once, or
 * when the server stops.
 */
public final class ProactiveRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ProactiveRoutes.class);
    /** The most proactive messages one {@code Last-Event-ID} replays. */
    static final int REPLAY_MAX = 50;
    /** The {@code Retry-After} of a refused stream. */
    private static final Duration RETRY_STREAM = Duration.ofSeconds(10);

    private final CompanionEngine engine;
    private final EngineEvents events;
    private final int maxStreamsPerUser;
    private final Map<UserId, Integer> streams = new ConcurrentHashMap<>();

    private ProactiveRoutes(CompanionEngine engine, EngineEvents events, int maxStreamsPerUser) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.events = Objects.requireNonNull(events, "events");
        if (maxStreamsPerUser < 1) throw new IllegalArgumentException("maxStreamsPerUser must be positive, got " + maxStreamsPerUser);
        this.maxStreamsPerUser = maxStreamsPerUser;
    }

    /**
     * The event stream and the switch, over {@code engine}.
     *
     * @param maxStreamsPerUser event streams one user may hold open on this server at once, at least 1
     */
    public static List<Route> routes(CompanionEngine engine, int maxStreamsPerUser) {
        return routes(engine, engine.events(), maxStreamsPerUser);
    }

    /** As {@link #routes(CompanionEngine, int)}, the stream subscribing through {@code events}. */
    static List<Route> routes(CompanionEngine engine, EngineEvents events, int maxStreamsPerUser) {
        ProactiveRoutes r = new ProactiveRoutes(engine, events, maxStreamsPerUser);
        return List.of(
                Route.get("/comp/events", r::events),
                Route.get("/comp/user/{user_id}/proactive", r::proactiveSwitch),
                Route.put("/comp/user/{user_id}/proactive", r::setProactiveSwitch));
    }

    /** {@code {"enabled": true|false}}, required. */
    record SwitchBody(Boolean enabled) {}

    private void proactiveSwitch(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        ctx.json(new Responses.ProactiveSwitch(user.value(), engine.proactiveEnabled(user)));
    }

    private void setProactiveSwitch(Context ctx) {
        UserId user = Requests.ownUserId(ctx, "user_id");
        SwitchBody b = Requests.body(ctx, SwitchBody.class);
        if (b.enabled() == null) throw ApiException.badRequest("enabled is required: true or false");
        engine.setProactiveEnabled(user, b.enabled());
        ctx.json(new Responses.ProactiveSwitch(user.value(), b.enabled()));
    }

    private void events(Context ctx) {
        UserId user = Requests.user(ctx);
        UUID lastEventId = Requests.uuidHeader(ctx, "Last-Event-ID");
        acquireStream(user);
        EngineEvents.Subscription subscription = null;
        try {
            Executor writes = ctx.attribute(EngineHttpServer.SCHEDULER_ATTRIBUTE); // never the store's listening thread
            Stream stream = new Stream();
            subscription = events.onProactive(user, m -> writes.execute(() -> stream.live(m)));
            List<ProactiveMessage> replay = lastEventId == null ? List.of()
                    : engine.proactiveMessagesAfter(user, new MessageId(lastEventId), REPLAY_MAX);
            SseWriter writer = SseWriter.open(ctx);
            EngineEvents.Subscription mine = subscription;
            writer.closed().whenComplete((v, e) -> {
                mine.close();
                releaseStream(user);
            });
            stream.begin(writer, replay);
        } catch (IOException | RuntimeException e) {
            if (subscription != null) subscription.close();
            releaseStream(user);
            if (e instanceof IOException io) throw new UncheckedIOException("the client went away before the stream began", io);
            throw (RuntimeException) e;
        }
    }

    private void acquireStream(UserId user) {
        boolean[] refused = {false};
        streams.compute(user, (u, n) -> {
            int open = n == null ? 0 : n;
            if (open >= maxStreamsPerUser) {
                refused[0] = true;
                return n;
            }
            return open + 1;
        });
        if (refused[0]) {
            throw ApiException.rateLimited("at most " + maxStreamsPerUser + " event streams per user are open at once; close one first",
                    RETRY_STREAM);
        }
    }

    private void releaseStream(UserId user) {
        streams.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
    }

    /** One client's stream: announcements that arrive before it began wait, replayed ones are not sent twice. */
    private static final class Stream {
        private SseWriter writer; // guarded by this
        private final List<ProactiveMessage> early = new ArrayList<>();
        private final Set<MessageId> replayed = new HashSet<>();

        synchronized void live(ProactiveMessage m) {
            if (writer == null) early.add(m);
            else if (!replayed.contains(m.messageId())) send(m);
        }

        synchronized void begin(SseWriter w, List<ProactiveMessage> missed) {
            writer = w;
            for (ProactiveMessage m : missed) {
                send(m);
                replayed.add(m.messageId());
            }
            for (ProactiveMessage m : early) {
                if (!replayed.contains(m.messageId())) send(m);
            }
            early.clear();
        }

        private void send(ProactiveMessage m) {
            if (!writer.send(m.messageId().toString(), "proactive", Responses.ProactiveFrame.of(m))) {
                LOG.debug("event stream of {} closed; message {} is in the history", m.userId(), m.messageId());
            }
        }
    }
}
