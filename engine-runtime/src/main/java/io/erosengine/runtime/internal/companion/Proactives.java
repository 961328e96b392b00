package io.erosengine.runtime.internal.companion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.pde.ActionPlan;
import io.erosengine.core.pde.PdeEvent;
import io.erosengine.core.pde.PdeInput;
import io.erosengine.core.pde.PlannedAction;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.port.ProactiveWrite;
import io.erosengine.core.proactive.ProactiveGate;
import io.erosengine.core.proactive.ProactiveLimits;
import io.erosengine.core.proactive.ProactivePolicy;
import io.erosengine.core.proactive.ProactiveSituation;
import io.erosengine.runtime.internal.AffinityUpdates;
import io.erosengine.runtime.internal.EngineParts;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proactive messages: after each served reply or app-open message a {@value #CHECK} job is queued
 * for {@link ProactivePolicy#after()} later (one per anchor message, so every newer turn queues its
 * own and the older check finds itself superseded). When it runs, the {@link ProactivePolicy} gate
 * decides (off, opted out, superseded, unanswered, daily cap: nothing; quiet hours: a copy of the job
 * is queued for their end), then the PDE from the affinity and the newest open thread; a persona that
 * speaks has its message written by the chat model and stored with its bookkeeping in one
 * transaction under the check's idempotency key, which a deferred copy keeps, so a check that runs
 * again after a crash finds the stored message and sends nothing twice. The store checks the daily
 * cap and the unanswered ones again, atomically per user, as it stores, so checks racing on other
 * replicas or for other personas of the user cannot both pass. The store announces a stored message
 * ({@link ProactiveEvents} hears it in every process). No affinity change. Thread-safe.
 */
public final class Proactives {
    /** The job type. */
    public static final String CHECK = "proactive_check";
    /** What the model sees as the user's turn. */
    static final String PROMPT_TEXT = "(The user has been quiet for a while. You write first.)";

    private static final Logger log = LoggerFactory.getLogger(Proactives.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineParts p;
    private final AffinityUpdates affinity;
    private final OpenThreads threads;
    private final ProactivePolicy policy;

    public Proactives(EngineParts p, AffinityUpdates affinity, OpenThreads threads, ProactivePolicy policy) {
        this.p = p;
        this.affinity = affinity;
        this.threads = threads;
        this.policy = Checks.required(policy, "proactive policy");
    }

    /** The check to queue after the persona's message to {@code anchor} (or the anchor itself); empty when switched off. */
    public Optional<JobRequest> scheduleAfter(UserId userId, SessionId session, MessageId anchor, Instant now) {
        if (!policy.enabled()) return Optional.empty();
        String key = CHECK + ":" + anchor;
        return Optional.of(job(userId, session, anchor, now, key, key, now.plus(policy.after())));
    }

    private static JobRequest job(UserId userId, SessionId session, MessageId anchor, Instant scheduledAt, String key,
                                  String dedupKey, Instant runAfter) {
        String payload;
        try {
            payload = JSON.writeValueAsString(Map.of("session_id", session.toString(), "message_id", anchor.toString(),
                    "scheduled_at", scheduledAt.toString(), "idempotency_key", key));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new JobRequest(CHECK, userId, payload, dedupKey, runAfter);
    }

    /** Runs a check (see the class comment); throws to make the queue retry it (the chat model failed). */
    public void check(Job job, ChatSession session, MessageId anchor, PersonaInstance instance, Persona persona) {
        Map<?, ?> payload;
        try {
            payload = JSON.readValue(job.payloadJson(), Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed job payload: " + e.getOriginalMessage());
        }
        String key = String.valueOf(payload.get("idempotency_key"));
        Instant scheduledAt = Instant.parse(String.valueOf(payload.get("scheduled_at")));
        UserId userId = job.userId();
        var conversations = p.stores().conversations();
        if (conversations.findProactive(userId, key).isPresent()) return; // sent by an earlier run
        Instant now = p.clock().instant();
        ZoneId zone = policy.zoneFor(persona.timezone(),
                policy.userZoneFirst() ? conversations.userTimezone(userId) : Optional.empty());
        ProactiveGate gate = policy.gate(new ProactiveSituation(now, scheduledAt, zone,
                !conversations.proactiveEnabled(userId), conversations.previousUserMessageAt(userId, instance.id(), null),
                conversations.countProactiveSince(userId, ProactivePolicy.dayStart(now, zone)),
                conversations.unansweredProactive(userId, instance.id())));
        if (gate instanceof ProactiveGate.Defer defer) {
            p.stores().jobs().enqueue(job(userId, session.id(), anchor, scheduledAt, key, key + "@" + defer.until(), defer.until()));
        }
        if (!(gate instanceof ProactiveGate.Open)) {
            log.debug("proactive check {}: {}", key, gate.reason());
            return;
        }
        AffinityRecord record = affinity.current(userId, instance.id(), now);
        PdeEvent.ProactiveTrigger trigger = new PdeEvent.ProactiveTrigger("the user has been quiet since " + scheduledAt,
                threads.newestOpen(userId, instance.id()).map(MemoryItem::content).orElse(null));
        ActionPlan plan = p.pde().decide(new PdeInput(trigger, record.state(), persona,
                SpeakFirst.signals(p, userId, session, record, now)));
        if (!(plan.action() instanceof PlannedAction.Proactive)) {
            log.debug("proactive check {}: the persona stays quiet", key);
            return;
        }
        NewMessage message = SpeakFirst.write(p, userId, session, persona, record, plan, PROMPT_TEXT);
        // the bounds as of the message's own time: the model call may have crossed midnight
        ProactiveLimits limits = policy.limits(message.sentAt(), zone);
        ProactiveWrite write = conversations.recordProactive(key, message, limits);
        if (write instanceof ProactiveWrite.Refused refused) {
            log.debug("proactive check {}: refused as it was stored: {}", key, refused.reason());
        } else if (write instanceof ProactiveWrite.Stored stored) {
            scheduleAfter(userId, session.id(), stored.message().id(), stored.message().sentAt()).ifPresent(p.stores().jobs()::enqueue);
        }
    }
}
