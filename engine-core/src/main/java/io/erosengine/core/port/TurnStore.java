package io.erosengine.core.port;

import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityTransition;
import io.erosengine.core.affinity.EventKey;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The chat turn's guards and its atomic commit, held in the store so that any number of engine
 * processes on one database behave like one (ARCHITECTURE.md "Scaling out"):
 * <ul>
 *   <li>{@link #start}: the user message is appended (idempotent on client_msg_id) and its turn is
 *       claimed in one transaction serialized per user: one turn per user message at a time, and
 *       at most N claimed turns per user. A claim expires after its lease, so the turn of a process
 *       that died can be run again.</li>
 *   <li>{@link #commit}: everything the turn changes (the reply or the ghost mark, the post-process
 *       jobs, the affinity change with its event rows, the recall marks) is written in ONE
 *       transaction under the instance's affinity row lock, and the claim is released in it. A crash
 *       leaves either the whole turn or none of it.</li>
 * </ul>
 * Every method is scoped to one user. Thread-safe.
 */
public interface TurnStore {

    /**
     * Appends the user (or gift) message and claims its turn.
     *
     * @param maxTurnsPerUser the most turns one user may have claimed at once, across processes
     * @param lease how long the claim holds before another process may take the message over
     * @throws IllegalArgumentException when the session is not the user's
     */
    TurnStart start(NewMessage message, int maxTurnsPerUser, Duration lease, Instant now);

    /**
     * Commits the turn's outcome whole and releases its claim. Under the affinity row lock,
     * {@code decide} receives the instance's stored affinity record (or the initial one at
     * {@code now}) and returns the outcome to store (the claim is released with it), or empty to store
     * nothing (the claim is kept: the turn goes on, for example to a reply). When the message was answered already (a reply stored or a ghost marked, by a
     * process whose lease had expired), nothing is written and the stored outcome is returned.
     * {@code decide} must be pure: it may run more than once.
     */
    Committed commit(UserId userId, InstanceId instanceId, MessageId messageId, Instant now,
                     Function<AffinityRecord, Optional<Outcome>> decide);

    /** Releases the message's claim without an outcome (the turn failed before anything was stored). */
    void release(UserId userId, MessageId messageId);

    /** What {@link #start} found. */
    enum Claim {
        /** This caller holds the turn now. */
        CLAIMED,
        /** The message has a stored reply or was ghosted: replay it; nothing was claimed. */
        ANSWERED,
        /** Another turn holds this message (within its lease). */
        IN_PROGRESS,
        /** The user has the maximum of turns claimed; a new message was not stored. */
        USER_AT_CAP
    }

    /**
     * @param message the stored user message; null for {@link Claim#USER_AT_CAP} on a new message (it
     *                was not stored)
     * @param created false when the client_msg_id was seen before and {@code message} is the stored one
     */
    record TurnStart(ChatMessage message, boolean created, Claim claim) {
        public TurnStart {
            Checks.required(claim, "claim");
            if (message == null && claim != Claim.USER_AT_CAP) throw new IllegalArgumentException("a turn start needs its message");
        }
    }

    /** What a turn stores. */
    sealed interface Outcome {
        /**
         * A reply (with its jobs), the turn's affinity change and the recall marks of the memories
         * its prompt used.
         *
         * @param affinity the change to store, or null for none
         */
        record Reply(NewMessage reply, List<JobRequest> jobs, AffinityTransition affinity, EventKey affinityKey,
                     List<MemoryId> recalled) implements Outcome {
            public Reply {
                Checks.required(reply, "reply");
                jobs = Checks.listOf(jobs);
                recalled = Checks.listOf(recalled);
            }
        }

        /** The persona ghosts the message: its affinity change, the ghost mark and its jobs. */
        record Ghost(AffinityTransition affinity, EventKey affinityKey, List<JobRequest> jobs) implements Outcome {
            public Ghost {
                Checks.required(affinity, "affinity");
                jobs = Checks.listOf(jobs);
            }
        }
    }

    /**
     * The result of {@link #commit}.
     *
     * @param reply the stored reply (this commit's or an earlier one's), if the turn has one
     * @param ghosted true when the message is ghosted
     * @param affinity the instance's stored affinity record after the commit
     * @param alreadyAnswered true when an earlier run had answered the message and nothing was written
     */
    record Committed(Optional<ChatMessage> reply, boolean ghosted, AffinityRecord affinity, boolean alreadyAnswered) {
        public Committed {
            Checks.required(reply, "reply");
            Checks.required(affinity, "affinity");
        }
    }
}
