package io.erosengine.core.port;

import io.erosengine.core.EngineException;
import java.time.Duration;
import java.util.Optional;

/**
 * A model provider failed (chat or embedding), after retries. Subclasses name the failure; each
 * carries the HTTP status (0 when there was none, e.g. a timeout), the provider's error code, the
 * model tried, and for streams the partial text already delivered.
 */
public class ModelException extends EngineException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String providerCode;
    private final String model;
    private final String partialText;

    public ModelException(String message, int httpStatus, String providerCode, String model, String partialText,
                          Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.providerCode = providerCode;
        this.model = model;
        this.partialText = partialText == null ? "" : partialText;
    }

    /** The HTTP status, or 0 when none was received. */
    public int httpStatus() { return httpStatus; }

    /** The provider's error code, or null. */
    public String providerCode() { return providerCode; }

    /** The model that was tried last, or null. */
    public String model() { return model; }

    /** Text already streamed before the failure ("" when none). */
    public String partialText() { return partialText; }

    /** True when trying again later may succeed. */
    public boolean retryable() { return false; }

    /** 429: the provider rate-limited us; {@link #retryAfter()} says how long it asked us to wait. */
    public static final class RateLimited extends ModelException {
        private static final long serialVersionUID = 1L;
        private final Duration retryAfter;

        public RateLimited(String message, String providerCode, String model, Duration retryAfter, String partialText) {
            super(message, 429, providerCode, model, partialText, null);
            this.retryAfter = retryAfter;
        }

        public Optional<Duration> retryAfter() { return Optional.ofNullable(retryAfter); }

        @Override public boolean retryable() { return true; }
    }

    /** 408, 5xx, timeouts, connection failures, a stream cut mid-reply: the provider is not answering. */
    public static final class Unavailable extends ModelException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, int httpStatus, String providerCode, String model, String partialText,
                           Throwable cause) {
            super(message, httpStatus, providerCode, model, partialText, cause);
        }

        @Override public boolean retryable() { return true; }
    }

    /** 400 or a malformed reply: the request or the response was wrong; retrying will not help. */
    public static final class BadRequest extends ModelException {
        private static final long serialVersionUID = 1L;

        public BadRequest(String message, int httpStatus, String providerCode, String model, Throwable cause) {
            super(message, httpStatus, providerCode, model, null, cause);
        }
    }

    /** 401 or 403: the key is wrong or the request was refused (moderation). */
    public static final class Unauthorized extends ModelException {
        private static final long serialVersionUID = 1L;

        public Unauthorized(String message, int httpStatus, String providerCode, String model) {
            super(message, httpStatus, providerCode, model, null, null);
        }
    }

    /** 402: the account is out of credits. */
    public static final class OutOfCredits extends ModelException {
        private static final long serialVersionUID = 1L;

        public OutOfCredits(String message, String providerCode, String model) {
            super(message, 402, providerCode, model, null, null);
        }
    }
}
