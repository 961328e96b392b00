package io.erosengine.runtime;

import io.erosengine.core.EngineException;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.port.ModelException;

import java.time.Duration;
import java.util.Optional;

/**
 * The root of the failures {@link CompanionEngine} reports on purpose. Each subclass names one
 * failure so a caller (the HTTP layer) can map it to a status without reading messages.
 */
public class CompanionException extends EngineException {
    private static final long serialVersionUID = 1L;

    CompanionException(String message) { super(message); }

    CompanionException(String message, Throwable cause) { super(message, cause); }

    /**
     * The thing does not exist for this user. Also thrown for another user's ids, so existence is
     * never revealed (HTTP 404).
     */
    public static final class NotFound extends CompanionException {
        private static final long serialVersionUID = 1L;

        public NotFound(String what) { super(what + " not found"); }
    }

    /**
     * A turn with the same client_msg_id in the same session is still running (HTTP 409); try the
     * replay again once it finished.
     */
    public static final class TurnInProgress extends CompanionException {
        private static final long serialVersionUID = 1L;
        private final transient MessageId userMessageId;

        /** @param userMessageId the stored user message whose turn is running */
        public TurnInProgress(MessageId userMessageId) {
            super("a turn with this client_msg_id is still in progress");
            this.userMessageId = Checks.required(userMessageId, "user message id");
        }

        /** The stored user message whose turn is running. */
        public MessageId userMessageId() { return userMessageId; }
    }

    /** The user already has the maximum number of turns in flight (HTTP 429). */
    public static final class TooManyTurns extends CompanionException {
        private static final long serialVersionUID = 1L;
        private final int limit;

        public TooManyTurns(int limit) {
            super("too many turns in progress for this user (at most " + limit + " at a time)");
            this.limit = limit;
        }

        /** The per-user cap that was hit. */
        public int limit() { return limit; }
    }

    /** The input was malformed (empty message, bad limit, invalid memory edit, ...): HTTP 400. */
    public static class InvalidInput extends CompanionException {
        private static final long serialVersionUID = 1L;

        public InvalidInput(String message) { super(message); }
    }

    /**
     * A message (or memory content, search query) longer than {@link Limits#MESSAGE_CHARS} after
     * trimming (HTTP 413).
     */
    public static final class MessageTooLong extends InvalidInput {
        private static final long serialVersionUID = 1L;
        private final int length;

        public MessageTooLong(String field, int length) {
            super(field + " is " + length + " characters after trimming; at most " + Limits.MESSAGE_CHARS + " are allowed");
            this.length = length;
        }

        /** The trimmed text's length in UTF-16 chars. */
        public int length() { return length; }
    }

    /**
     * The {@code client_msg_id} was used before in this session with a different text (HTTP 409):
     * the stored turn is not replayed for a message it does not belong to.
     */
    public static final class ClientMsgIdReused extends CompanionException {
        private static final long serialVersionUID = 1L;

        public ClientMsgIdReused() {
            super("this client_msg_id was already used in this session for a different message; send a new client_msg_id");
        }
    }

    /**
     * The chat model failed after its own retries and fallbacks (HTTP 502/503, or 429 when
     * rate-limited). The user's message stays stored. {@link #modelError()} is the typed cause.
     */
    public static final class ModelUnavailable extends CompanionException {
        private static final long serialVersionUID = 1L;

        public ModelUnavailable(ModelException cause) {
            super("the chat model is unavailable: " + cause.getMessage(), cause);
        }

        /** The model failure as the model adapter reported it. */
        public ModelException modelError() { return (ModelException) getCause(); }

        /** True when trying again later may succeed. */
        public boolean retryable() { return modelError().retryable(); }

        /** How long the provider asked to wait, when it was a rate limit that said so. */
        public Optional<Duration> retryAfter() {
            return modelError() instanceof ModelException.RateLimited r ? r.retryAfter() : Optional.empty();
        }
    }
}
