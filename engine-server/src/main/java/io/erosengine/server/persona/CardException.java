package io.erosengine.server.persona;

import io.erosengine.core.EngineException;

/**
 * A Character Card cannot be imported. The subclass says why, so the HTTP layer maps it to a status
 * without reading the message; the message is safe to show to the client and names the field or
 * chunk at fault.
 */
public abstract sealed class CardException extends EngineException permits CardException.Malformed, CardException.TooLarge {
    private static final long serialVersionUID = 1L;

    CardException(String message) { super(message); }

    /** The card is not valid: bad PNG, bad base64, bad JSON, wrong spec, a missing or mistyped field (HTTP 400). */
    public static final class Malformed extends CardException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) { super(message); }
    }

    /** The card, a chunk, a field or a list is over its limit (HTTP 413). */
    public static final class TooLarge extends CardException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) { super(message); }
    }
}
