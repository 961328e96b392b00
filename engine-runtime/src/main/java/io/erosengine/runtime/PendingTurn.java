package io.erosengine.runtime;

import io.erosengine.core.model.Checks;

/**
 * The state of a queued turn ({@link CompanionEngine#pendingTurn}).
 *
 * @param result the stored turn once {@link Status#COMPLETED}, else null
 */
public record PendingTurn(Status status, TurnResult result) {
    public PendingTurn {
        Checks.required(status, "status");
        if ((status == Status.COMPLETED) != (result != null)) {
            throw new IllegalArgumentException("a pending turn has a result exactly when it is completed");
        }
    }

    /** Where the turn is. */
    public enum Status {
        /** Waiting for a worker (also between retries). */
        QUEUED,
        /** A worker is answering it. */
        RUNNING,
        /** Answered: replied to or ghosted. */
        COMPLETED,
        /** Given up after the queue's retries, or never queued and never answered. */
        FAILED
    }
}
