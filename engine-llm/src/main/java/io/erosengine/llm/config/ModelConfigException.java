package io.erosengine.llm.config;

import io.erosengine.core.EngineException;

/** The model config file is missing, not TOML, or has a bad key or value; the message names it. */
public final class ModelConfigException extends EngineException {
    private static final long serialVersionUID = 1L;

    ModelConfigException(String message) { super(message); }

    ModelConfigException(String message, Throwable cause) { super(message, cause); }
}
