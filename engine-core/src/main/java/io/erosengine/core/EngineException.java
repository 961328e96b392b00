package io.erosengine.core;

/**
 * The root of every unchecked exception the engine throws on purpose. Subclasses are named after
 * the failure (a model being unavailable, a user over their concurrency cap, ...).
 */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineException(String message) { super(message); }

    public EngineException(String message, Throwable cause) { super(message, cause); }
}
