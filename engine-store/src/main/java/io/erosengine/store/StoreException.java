package io.erosengine.store;

import io.erosengine.core.port.StoreUnavailableException;

/**
 * A store operation failed for a reason other than bad input (the database is unreachable, a
 * migration failed, a row could not be decoded). Bad input is reported as
 * {@link IllegalArgumentException} instead.
 */
public class StoreException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    /** A failure with a message naming what was being done. */
    public StoreException(String message, Throwable cause) { super(message, cause); }

    /** A failure with a message only. */
    public StoreException(String message) { super(message); }
}
