package io.erosengine.server.persona;

import io.erosengine.core.EngineException;

/** A persona file (or folder) cannot be used; the message names the file and the problem. */
public final class PersonaFileException extends EngineException {
    private static final long serialVersionUID = 1L;

    /** A failure with a message naming the file. */
    public PersonaFileException(String message) { super(message); }
}
