package io.erosengine.core.port;

import io.erosengine.core.EngineException;

/**
 * A store operation failed for a reason other than bad input (the database is unreachable or
 * timed out, a row could not be decoded): trying again later may succeed. Store adapters throw
 * this or a subclass, so callers (the HTTP layer answers 503) need no adapter type. Bad input is
 * reported as {@link IllegalArgumentException} instead.
 */
public class StoreUnavailableException extends EngineException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) { super(message); }

    public StoreUnavailableException(String message, Throwable cause) { super(message, cause); }
}
